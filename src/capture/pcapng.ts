/**
 * pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, one IDB
 * per interface with its own link type, if_tsresol and if_tsoffset; EPB, SPB
 * and OPB packet blocks. Unknown blocks are skipped by their length.
 */
import { CaptureError } from '../errors.js';
import { MAX_CAPLEN } from './pcap.js';
import { newRecord, type CaptureReader, type PacketRecord } from './record.js';
import type { ByteWindow } from './window.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const BT_IDB = 1;
const BT_OPB = 2;
const BT_SPB = 3;
const BT_EPB = 6;
/** Like libpcap's limit: a larger block length means a corrupt file. */
const MAX_BLOCK = 16 << 20;
const MAX_INTERFACES = 65536;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second when decimal (10^n), 0 when binary. */
  unitsPerSec: number;
  /** Binary resolution exponent (2^-n) when unitsPerSec is 0. */
  binExp: number;
  /** if_tsoffset in seconds. */
  tsOffset: number;
  name: string;
}

export class PcapngReader implements CaptureReader {
  readonly record: PacketRecord = newRecord();
  private le = true;
  private need = 12;
  private ifaces: Iface[] = [];
  private inSection = false;

  constructor(
    readonly name: string,
    private readonly w: ByteWindow,
    input = 0,
  ) {
    this.record.input = input;
  }

  get position(): number {
    return this.w.offset;
  }
  get size(): number {
    return this.w.source.size;
  }
  get fraction(): number {
    return this.w.source.progress?.() ?? -1;
  }

  private u16(o: number): number {
    return this.le ? this.w.buf.readUInt16LE(o) : this.w.buf.readUInt16BE(o);
  }
  private u32(o: number): number {
    return this.le ? this.w.buf.readUInt32LE(o) : this.w.buf.readUInt32BE(o);
  }

  private corrupt(at: number, detail: string): CaptureError {
    return new CaptureError(this.name, this.w.base + at, detail);
  }

  next(): boolean {
    const w = this.w;
    for (;;) {
      const at = w.pos;
      const avail = w.end - at;
      if (avail < 12) {
        this.need = 12;
        return false;
      }
      const b = w.buf;
      let type = this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
      if (type === PCAPNG_SHB) {
        // The byte order is that of the section being opened.
        const bom = b.readUInt32LE(at + 8);
        if (bom === BOM) this.le = true;
        else if (b.readUInt32BE(at + 8) === BOM) this.le = false;
        else throw this.corrupt(at, `bad pcapng byte-order magic 0x${b.readUInt32BE(at + 8).toString(16).padStart(8, '0')}`);
        type = PCAPNG_SHB;
      } else if (!this.inSection) {
        throw this.corrupt(at, `not a pcapng section header (block type 0x${type.toString(16)})`);
      }
      const len = this.u32(at + 4);
      if (len < 12 || len % 4 !== 0) throw this.corrupt(at, `invalid pcapng block length ${len}`);
      if (len > MAX_BLOCK) throw this.corrupt(at, `pcapng block length ${len} is bigger than the maximum of ${MAX_BLOCK}`);
      if (avail < len) {
        this.need = len;
        return false;
      }
      const trailer = this.u32(at + len - 4);
      if (trailer !== len) throw this.corrupt(at, `pcapng block length ${len} does not match its trailer ${trailer}`);
      w.pos = at + len;
      switch (type) {
        case PCAPNG_SHB:
          if (len < 28) throw this.corrupt(at, `pcapng section header too short (${len} bytes)`);
          this.inSection = true;
          this.ifaces = [];
          break;
        case BT_IDB:
          this.readIdb(at, len);
          break;
        case BT_EPB:
        case BT_OPB:
          if (this.packet(at, len, type)) return true;
          break;
        case BT_SPB:
          if (this.simplePacket(at, len)) return true;
          break;
        default:
          break; // statistics, name resolution, custom, DSB...: skipped by length
      }
    }
  }

  private readIdb(at: number, len: number): void {
    if (len < 20) throw this.corrupt(at, `pcapng interface block too short (${len} bytes)`);
    if (this.ifaces.length >= MAX_INTERFACES) throw this.corrupt(at, 'too many pcapng interfaces');
    const iface: Iface = {
      linkType: this.u16(at + 8),
      snaplen: this.u32(at + 12),
      unitsPerSec: 1e6,
      binExp: 0,
      tsOffset: 0,
      name: '',
    };
    const end = at + len - 4;
    let o = at + 16;
    while (o + 4 <= end) {
      const code = this.u16(o);
      const olen = this.u16(o + 2);
      const v = o + 4;
      if (code === 0) break; // opt_endofopt
      if (v + olen > end) throw this.corrupt(o, `pcapng option length ${olen} runs past its block`);
      if (code === 9 && olen >= 1) {
        const r = this.w.buf[v]!;
        if (r & 0x80) {
          iface.unitsPerSec = 0;
          iface.binExp = r & 0x7f;
        } else {
          if (r > 15) throw this.corrupt(o, `unsupported pcapng if_tsresol 10^-${r}`);
          iface.unitsPerSec = 10 ** r;
        }
      } else if (code === 14 && olen >= 8) {
        const hi = this.le ? this.w.buf.readInt32LE(v + 4) : this.w.buf.readInt32BE(v);
        const lo = this.le ? this.w.buf.readUInt32LE(v) : this.w.buf.readUInt32BE(v + 4);
        iface.tsOffset = hi * 0x100000000 + lo;
      } else if (code === 2 && olen > 0) {
        iface.name = this.w.buf.toString('utf8', v, v + Math.min(olen, 256)).replace(/\0.*$/s, '');
      }
      o = v + ((olen + 3) & ~3);
    }
    this.ifaces.push(iface);
  }

  private iface(at: number, id: number): Iface {
    const iface = this.ifaces[id];
    if (iface === undefined) throw this.corrupt(at, `packet block for undefined pcapng interface ${id}`);
    return iface;
  }

  private packet(at: number, len: number, type: number): boolean {
    if (len < 32) throw this.corrupt(at, `pcapng packet block too short (${len} bytes)`);
    const id = type === BT_EPB ? this.u32(at + 8) : this.u16(at + 8);
    const iface = this.iface(at, id);
    const hi = this.u32(at + 12);
    const lo = this.u32(at + 16);
    const caplen = this.u32(at + 20);
    const wire = this.u32(at + 24);
    if (caplen > len - 32) throw this.corrupt(at, `pcapng captured length ${caplen} runs past its ${len}-byte block`);
    if (caplen > MAX_CAPLEN) throw this.corrupt(at, `captured length ${caplen} is bigger than the maximum of ${MAX_CAPLEN}`);
    this.emit(at, at + 28, caplen, wire, id, iface, hi, lo);
    return true;
  }

  private simplePacket(at: number, len: number): boolean {
    if (len < 16) throw this.corrupt(at, `pcapng simple packet block too short (${len} bytes)`);
    const iface = this.iface(at, 0);
    const wire = this.u32(at + 8);
    let caplen = Math.min(wire, len - 16);
    if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    this.emit(at, at + 12, caplen, wire, 0, iface, -1, 0);
    return true;
  }

  private emit(at: number, data: number, caplen: number, wire: number, id: number, iface: Iface, hi: number, lo: number): void {
    const r = this.record;
    r.buf = this.w.buf;
    r.off = data;
    r.caplen = caplen;
    r.wireLen = wire;
    r.linkType = iface.linkType;
    r.ifIndex = id;
    r.ifName = iface.name;
    r.fileOffset = this.w.base + at;
    r.frame++;
    if (hi < 0) {
      r.tsSec = 0; // simple packet blocks carry no timestamp
      r.tsNsec = 0;
    } else {
      setTimestamp(r, hi, lo, iface);
    }
  }

  async fill(): Promise<boolean> {
    const w = this.w;
    if (await w.fill(this.need)) return true;
    const left = w.available;
    if (left === 0) {
      if (!this.inSection) throw new CaptureError(this.name, -1, 'empty input: no pcapng section header');
      return false;
    }
    throw new CaptureError(this.name, w.offset, `input ends inside a pcapng block (${left} of ${this.need} bytes)`);
  }

  close(): void {
    this.w.source.close();
  }
}

/** Splits the 64-bit timestamp hi:lo into seconds and nanoseconds without losing precision. */
function setTimestamp(r: PacketRecord, hi: number, lo: number, iface: Iface): void {
  const u = iface.unitsPerSec;
  if (u === 1e6) {
    // Microseconds since 1970 stay below 2^53 until the year 2255.
    const t = hi * 0x100000000 + lo;
    const s = Math.floor(t / 1e6);
    r.tsSec = s + iface.tsOffset;
    r.tsNsec = (t - s * 1e6) * 1000;
    return;
  }
  if (u !== 0 && u <= 1e9) {
    const qh = Math.floor(hi / u);
    let rem = hi - qh * u;
    let t = rem * 65536 + (lo >>> 16);
    const q2 = Math.floor(t / u);
    rem = t - q2 * u;
    t = rem * 65536 + (lo & 0xffff);
    const q3 = Math.floor(t / u);
    rem = t - q3 * u;
    r.tsSec = qh * 0x100000000 + q2 * 65536 + q3 + iface.tsOffset;
    r.tsNsec = Math.floor((rem * 1e9) / u);
    return;
  }
  // Rare resolutions (binary, or finer than 1 ns): exact BigInt arithmetic.
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  const units = u !== 0 ? BigInt(u) : 1n << BigInt(iface.binExp);
  const s = t / units;
  r.tsSec = Number(s) + iface.tsOffset;
  r.tsNsec = Number(((t - s * units) * 1000000000n) / units);
}
