/**
 * The byte-level fast path of `read`: the lines that make up nearly all of
 * a real capture, written as ASCII straight into an output buffer, with no
 * string built per frame.
 *
 * Covered: LINKTYPE_ETHERNET, untagged or up to MAX_TAGS 802.1Q/802.1ad
 * tags, then
 *   - ARP/RARP with hln 6, pln 4, pro IPv4 (or Trail), any hardware type but
 *     Frame Relay and ATM, op request/reply/reverse/inverse;
 *   - IPv6 with ICMPv6 right after the fixed header, a non-zero payload
 *     length the wire length covers, ND types 133-137 (RS, RA, NS, NA,
 *     redirect) with their fixed part captured;
 * at -v 0, every -t variant, with or without -e and -#.
 *
 * Everything else (other links, LLC, truncation, odd ARP, other ICMPv6,
 * header problems, -v) is declined: print() then writes nothing and
 * returns false, and the caller formats the frame with FramePrinter, whose
 * text this path must reproduce byte for byte (src/print/fast.test.ts
 * compares both on every frame of the corpus and on mutated frames).
 *
 * Selection: a frame this path accepts is always one the default ARP/ND
 * selection takes (ethertype ARP/RARP after tags, or ICMPv6 ND right after
 * the IPv6 header), so the default `read` asks it first, before decoding.
 */
import { isVlanTpid } from '../decode/frame.js';
import type { PacketRecord } from '../capture/record.js';
import { arpopNames, ethertypeName, hex4 } from './names.js';
import { TimeFormat, TimestampFormatter } from './timestamp.js';

/** Where the fast path writes: `buf[pos..]`, after `room(n)` made n bytes free. */
export interface ByteSink {
  buf: Buffer;
  pos: number;
  /** Makes at least `n` bytes free after `pos` (may flush, replacing `pos` and possibly `buf`). */
  room(n: number): void;
}

export interface FastPrintOptions {
  eflag: boolean;
  vflag: number;
  tflag: number;
  numbers: boolean;
  nano: boolean;
}

const MAXIMUM_SNAPLEN = 262144;
/** Deeper tag stacks go to the general printer (keeps a line under LINE_MAX). */
export const MAX_TAGS = 8;
/** Longest line this path writes: 8 tags with -e, -#, a dated nanosecond timestamp, IPv6 redirect. */
const LINE_MAX = 2048;

const enum Ch {
  NL = 10,
  SP = 32,
  PAREN_C = 41,
  DOT = 46,
  ZERO = 48,
  COLON = 58,
}

// ---------------------------------------------------------------------------
// Writers. Text goes out through a DataView in little-endian 32-bit stores,
// up to four characters at a time (several times cheaper than byte stores);
// a store may write up to 3 bytes past the text, which the next one
// overwrites (room(LINE_MAX) leaves the slack).

const HEXDIGITS = '0123456789abcdef';
const hexCode = (v: number): number => HEXDIGITS.charCodeAt(v);

/** "xx:" of each octet. */
const MAC3 = new Uint32Array(256);
/** Decimal "0".."999" without leading zeros, packed; its length in DEC_LEN. */
const DEC = new Uint32Array(1000);
const DEC_LEN = new Uint8Array(1000);
/** "0.".."255." for dotted quads, packed; length (with the dot) in DOT_LEN. */
const DOT = new Uint32Array(256);
const DOT_LEN = new Uint8Array(256);
/** "000".."999", packed. */
const D3 = new Uint32Array(1000);

function pack(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length && i < 4; i++) w |= s.charCodeAt(i) << (8 * i);
  return w >>> 0;
}
// Built arithmetically: no strings at start-up.
for (let i = 0; i < 1000; i++) {
  const h = 48 + Math.floor(i / 100);
  const t = 48 + (Math.floor(i / 10) % 10);
  const u = 48 + (i % 10);
  D3[i] = h | (t << 8) | (u << 16);
  if (i >= 100) {
    DEC[i] = D3[i]!;
    DEC_LEN[i] = 3;
  } else if (i >= 10) {
    DEC[i] = t | (u << 8);
    DEC_LEN[i] = 2;
  } else {
    DEC[i] = u;
    DEC_LEN[i] = 1;
  }
}
for (let i = 0; i < 256; i++) {
  const hi = i >> 4;
  const lo = i & 15;
  MAC3[i] = (hi < 10 ? 48 + hi : 87 + hi) | ((lo < 10 ? 48 + lo : 87 + lo) << 8) | (Ch.COLON << 16);
  DOT[i] = DEC[i]! | (Ch.DOT << (8 * DEC_LEN[i]!));
  DOT_LEN[i] = DEC_LEN[i]! + 1;
}

/** A constant text as 32-bit words. */
interface Text {
  readonly w: Uint32Array;
  readonly n: number;
}
function text(s: string): Text {
  const w = new Uint32Array(Math.ceil(s.length / 4));
  for (let i = 0; i < w.length; i++) w[i] = pack(s.slice(4 * i, 4 * i + 4));
  return { w, n: s.length };
}

function put(dv: DataView, p: number, t: Text): number {
  const w = t.w;
  for (let i = 0; i < w.length; i++) dv.setUint32(p + 4 * i, w[i]!, true);
  return p + t.n;
}

/** Unsigned decimal of a non-negative integer below 2^53. */
function putUint(dv: DataView, p: number, n: number): number {
  if (n < 1000) {
    dv.setUint32(p, DEC[n]!, true);
    return p + DEC_LEN[n]!;
  }
  if (n < 1e6) {
    const hi = Math.floor(n / 1000);
    dv.setUint32(p, DEC[hi]!, true);
    p += DEC_LEN[hi]!;
    dv.setUint32(p, D3[n - hi * 1000]!, true);
    return p + 3;
  }
  if (n < 1e9) {
    const hi = Math.floor(n / 1e6);
    const rest = n - hi * 1e6;
    const mid = Math.floor(rest / 1000);
    dv.setUint32(p, DEC[hi]!, true);
    p += DEC_LEN[hi]!;
    dv.setUint32(p, D3[mid]!, true);
    dv.setUint32(p + 3, D3[rest - mid * 1000]!, true);
    return p + 6;
  }
  const s = String(n);
  for (let i = 0; i < s.length; i++) dv.setUint8(p + i, s.charCodeAt(i));
  return p + s.length;
}

/** Colon-separated lower-case MAC of 6 bytes at `off`. */
function putMac(dv: DataView, p: number, src: Buffer, off: number): number {
  dv.setUint32(p, MAC3[src[off]!]!, true);
  dv.setUint32(p + 3, MAC3[src[off + 1]!]!, true);
  dv.setUint32(p + 6, MAC3[src[off + 2]!]!, true);
  dv.setUint32(p + 9, MAC3[src[off + 3]!]!, true);
  dv.setUint32(p + 12, MAC3[src[off + 4]!]!, true);
  dv.setUint32(p + 15, MAC3[src[off + 5]!]!, true);
  return p + 17;
}

/** Dotted quad of 4 bytes at `off`. */
function putIPv4(dv: DataView, p: number, src: Buffer, off: number): number {
  let x = src[off]!;
  dv.setUint32(p, DOT[x]!, true);
  p += DOT_LEN[x]!;
  x = src[off + 1]!;
  dv.setUint32(p, DOT[x]!, true);
  p += DOT_LEN[x]!;
  x = src[off + 2]!;
  dv.setUint32(p, DOT[x]!, true);
  p += DOT_LEN[x]!;
  x = src[off + 3]!;
  dv.setUint32(p, DEC[x]!, true);
  return p + DEC_LEN[x]!;
}

/** Hex digit codes of a nibble, and the two-digit pair of an octet, packed. */
const HEX1 = new Uint8Array(16);
const HEX2 = new Uint16Array(256);
for (let i = 0; i < 16; i++) HEX1[i] = hexCode(i);
for (let i = 0; i < 256; i++) HEX2[i] = HEX1[i >> 4]! | (HEX1[i & 15]! << 8);

/** A 16-bit group in hex without leading zeros. */
function putHex16(dv: DataView, p: number, w: number): number {
  if (w >= 0x1000) {
    dv.setUint32(p, HEX2[w >> 8]! | (HEX2[w & 255]! << 16), true);
    return p + 4;
  }
  if (w >= 0x100) {
    dv.setUint32(p, HEX1[w >> 8]! | (HEX2[w & 255]! << 8), true);
    return p + 3;
  }
  if (w >= 0x10) {
    dv.setUint16(p, HEX2[w]!, true);
    return p + 2;
  }
  dv.setUint8(p, HEX1[w]!);
  return p + 1;
}

/**
 * For each set of zero groups (bit i: group i is 0), the run addrtostr6
 * writes as "::": the longest run of two or more (the first on a tie), as
 * base << 4 | length, or 0 for none.
 */
const ZERO_RUN = new Uint8Array(256);
for (let m = 0; m < 256; m++) {
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if ((m >> i) & 1) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  ZERO_RUN[m] = bestBase === -1 || bestLen < 2 ? 0 : (bestBase << 4) | bestLen;
}

const group = (src: Buffer, off: number, i: number): number => (src[off + 2 * i]! << 8) | src[off + 2 * i + 1]!;

/** IPv6 text of 16 bytes at `off`, exactly as formatIPv6At (addr.ts) spells it (RFC 5952, embedded IPv4). */
function putIPv6(dv: DataView, p: number, src: Buffer, off: number): number {
  let zeros = 0;
  for (let i = 0; i < 8; i++) if ((src[off + 2 * i]! | src[off + 2 * i + 1]!) === 0) zeros |= 1 << i;
  const run = ZERO_RUN[zeros]!;
  if (run === 0) {
    p = putHex16(dv, p, group(src, off, 0));
    for (let i = 1; i < 8; i++) {
      dv.setUint8(p++, Ch.COLON);
      p = putHex16(dv, p, group(src, off, i));
    }
    return p;
  }
  const base = run >> 4;
  const end = base + (run & 15);
  for (let i = 0; i < base; i++) {
    if (i !== 0) dv.setUint8(p++, Ch.COLON);
    p = putHex16(dv, p, group(src, off, i));
  }
  dv.setUint16(p, 0x3a3a, true); // "::"
  p += 2;
  if (base === 0 && (end === 6 || (end === 5 && group(src, off, 5) === 0xffff))) {
    // ::a.b.c.d and ::ffff:a.b.c.d
    if (end === 5) {
      dv.setUint32(p, 0x66666666, true);
      dv.setUint8(p + 4, Ch.COLON);
      p += 5;
    }
    return putIPv4(dv, p, src, off + 12);
  }
  for (let i = end; i < 8; i++) {
    if (i !== end) dv.setUint8(p++, Ch.COLON);
    p = putHex16(dv, p, group(src, off, i));
  }
  return p;
}

/** The -e ethertype text, as etherTypeText() in ether.ts builds it. */
const etherTypeText = (et: number): string => 'ethertype ' + ethertypeName(et) + ' (0x' + hex4(et) + ')';

/** ", <ethertype text>, length " after the MACs of an untagged frame. */
const UNTAGGED: Record<number, Text> = {};
/** "<ethertype text>" of a tag (followed by ", length N: " or ", "). */
const TPID: Record<number, Text> = {};
/** "<ethertype text>, " closing the tags. */
const TAGGED: Record<number, Text> = {};
for (const et of [0x0806, 0x8035, 0x86dd]) {
  UNTAGGED[et] = text(', ' + etherTypeText(et) + ', length ');
  TAGGED[et] = text(etherTypeText(et) + ', ');
}
for (const et of [0x8100, 0x88a8, 0x9100, 0x9200]) TPID[et] = text(etherTypeText(et));

const T_COMMA_LENGTH = text(', length ');
const T_VLAN = text('vlan ');
const T_TELL = text(' tell ');
const T_IS_AT = text(' is-at ');
const T_AT = text(' at ');
const T_IP6 = text('IP6 ');

/** "<op name> <verb>": print-arp.c's names and wording for the operations handled here. */
const ARP_VERB: Record<number, string> = { 1: 'who-has ', 2: '', 3: 'who-is ', 4: '', 8: 'who-is ', 9: '' };
function arpHeads(prefix: string): (Text | undefined)[] {
  const heads: (Text | undefined)[] = [];
  for (const op of [1, 2, 3, 4, 8, 9]) heads[op] = text(prefix + arpopNames.get(op)! + ' ' + ARP_VERB[op]!);
  return heads;
}
const ARP_HEADS_E = arpHeads('');
const ARP_HEADS = arpHeads('ARP, ');

/** "ICMP6, <type name>" (+ ", who has " / ", tgt is " / ", "), as print-icmp6.c at -v 0. */
const ND_HEAD: (Text | undefined)[] = [];
ND_HEAD[133] = text(': ICMP6, router solicitation');
ND_HEAD[134] = text(': ICMP6, router advertisement');
ND_HEAD[135] = text(': ICMP6, neighbor solicitation, who has ');
ND_HEAD[136] = text(': ICMP6, neighbor advertisement, tgt is ');
ND_HEAD[137] = text(': ICMP6, redirect, ');

function nonZero6(buf: Buffer, off: number): boolean {
  return (buf[off]! | buf[off + 1]! | buf[off + 2]! | buf[off + 3]! | buf[off + 4]! | buf[off + 5]!) !== 0;
}


export class FastPrinter {
  /**
   * The timestamp state; pass it to the FramePrinter that prints the
   * declined frames, so that -ttt / -ttttt deltas run across both.
   */
  readonly ts: TimestampFormatter;
  private readonly eflag: boolean;
  private readonly numbers: boolean;
  private readonly tflag: number;
  private readonly nano: boolean;
  /** Only -v 0 lines are written here; print() declines everything otherwise. */
  private readonly enabled: boolean;
  /** Whole-second "HH:MM:SS" (or dated) text of clockSec. */
  private clockSec = -1;
  private clockLen = 0;
  private clock: Uint32Array = new Uint32Array(0);
  /** A DataView over the sink's current buffer. */
  private dvBuf: Buffer | undefined;
  private dv: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    opts: FastPrintOptions,
    private readonly sink: ByteSink,
  ) {
    this.eflag = opts.eflag;
    this.numbers = opts.numbers;
    this.tflag = opts.tflag;
    this.nano = opts.nano;
    this.ts = new TimestampFormatter(opts.tflag as TimeFormat, opts.nano);
    this.enabled = opts.vflag === 0;
  }

  /**
   * Writes the line for `r` (with `number` for -#) and returns true, or
   * returns false having written nothing and changed no state.
   */
  print(r: PacketRecord, number: number): boolean {
    if (r.linkType !== 1 || !this.enabled) return false;
    const caplen = r.caplen;
    const len = r.wireLen;
    if (caplen < 14 || len < caplen || len > MAXIMUM_SNAPLEN) return false;
    const buf = r.buf;
    const start = r.off;
    const capEnd = start + caplen;
    let q = start + 14;
    let et = (buf[start + 12]! << 8) | buf[start + 13]!;
    let length = len - 14;
    let cap = caplen - 14;
    let tags = 0;
    while (isVlanTpid(et)) {
      if (cap < 4 || length < 4 || tags === MAX_TAGS) return false;
      et = (buf[q + 2]! << 8) | buf[q + 3]!;
      q += 4;
      length -= 4;
      cap -= 4;
      tags++;
    }

    // Validate the payload completely before writing anything.
    let op = 0;
    let icmpType = 0;
    let payloadLen = 0;
    if (et === 0x0806 || et === 0x8035) {
      if (q + 28 > capEnd) return false;
      const hrd = (buf[q]! << 8) | buf[q + 1]!;
      const pro = (buf[q + 2]! << 8) | buf[q + 3]!;
      op = (buf[q + 6]! << 8) | buf[q + 7]!;
      if (hrd === 15 || hrd === 19 || buf[q + 4] !== 6 || buf[q + 5] !== 4) return false;
      if ((pro !== 0x0800 && pro !== 0x1000) || ARP_HEADS[op] === undefined) return false;
    } else if (et === 0x86dd) {
      if (q + 40 > capEnd || length < 40 || buf[q]! >> 4 !== 6 || buf[q + 6] !== 58) return false;
      payloadLen = (buf[q + 4]! << 8) | buf[q + 5]!;
      if (payloadLen === 0 || length < payloadLen + 40) return false;
      const snapend = q + 40 + payloadLen < capEnd ? q + 40 + payloadLen : capEnd;
      const icmp = q + 40;
      if (icmp + 2 > snapend) return false;
      icmpType = buf[icmp]!;
      if (icmpType < 133 || icmpType > 137) return false;
      if ((icmpType === 135 || icmpType === 136) && icmp + 24 > snapend) return false;
      if (icmpType === 137 && icmp + 40 > snapend) return false;
    } else return false;

    // Write.
    const sink = this.sink;
    if (sink.buf.length - sink.pos < LINE_MAX) sink.room(LINE_MAX);
    if (sink.buf !== this.dvBuf) {
      this.dvBuf = sink.buf;
      this.dv = new DataView(sink.buf.buffer, sink.buf.byteOffset, sink.buf.byteLength);
    }
    const dv = this.dv;
    let p = sink.pos;
    if (this.numbers) {
      // String(number).padStart(5, ' ') + '  '
      dv.setUint32(p, 0x20202020, true);
      dv.setUint8(p + 4, Ch.SP);
      if (number < 10000) p += number < 10 ? 4 : number < 100 ? 3 : number < 1000 ? 2 : 1;
      p = putUint(dv, p, number);
      dv.setUint16(p, 0x2020, true);
      p += 2;
    }
    if (this.tflag !== TimeFormat.None) p = this.timestamp(dv, p, r.tsSec, r.tsNsec);

    const eflag = this.eflag;
    if (eflag) {
      p = putMac(dv, p, buf, start + 6);
      dv.setUint32(p, 0x203e20, true); // " > "
      p = putMac(dv, p + 3, buf, start);
      if (tags === 0) {
        p = put(dv, p, UNTAGGED[et]!);
        p = putUint(dv, p, len);
        dv.setUint16(p, 0x203a, true); // ": "
        p += 2;
      } else {
        dv.setUint16(p, 0x202c, true); // ", "
        p += 2;
        let t = start + 12;
        for (let i = 0; i < tags; i++, t += 4) {
          p = put(dv, p, TPID[(buf[t]! << 8) | buf[t + 1]!]!);
          if (i === 0) {
            p = put(dv, p, T_COMMA_LENGTH);
            p = putUint(dv, p, len);
            dv.setUint16(p, 0x203a, true); // ": "
          } else dv.setUint16(p, 0x202c, true); // ", "
          p += 2;
          const tci = (buf[t + 2]! << 8) | buf[t + 3]!;
          p = put(dv, p, T_VLAN);
          p = putUint(dv, p, tci & 0xfff);
          dv.setUint32(p, 0x2070202c, true); // ", p "
          dv.setUint8(p + 4, Ch.ZERO + (tci >> 13));
          p += 5;
          if ((tci & 0x1000) !== 0) {
            dv.setUint32(p, 0x4544202c, true); // ", DE"
            dv.setUint8(p + 4, 0x49); // "I"
            p += 5;
          }
          dv.setUint16(p, 0x202c, true); // ", "
          p += 2;
        }
        p = put(dv, p, TAGGED[et]!);
      }
    }

    if (icmpType === 0) {
      // print-arp.c, hln 6 / pln 4
      const sha = q + 8;
      const spa = q + 14;
      const tha = q + 18;
      const tpa = q + 24;
      p = put(dv, p, (eflag ? ARP_HEADS_E : ARP_HEADS)[op]!);
      switch (op) {
        case 1:
          p = putIPv4(dv, p, buf, tpa);
          if (nonZero6(buf, tha)) {
            dv.setUint16(p, 0x2820, true); // " ("
            p = putMac(dv, p + 2, buf, tha);
            dv.setUint8(p++, Ch.PAREN_C);
          }
          p = put(dv, p, T_TELL);
          p = putIPv4(dv, p, buf, spa);
          break;
        case 2:
          p = putIPv4(dv, p, buf, spa);
          p = put(dv, p, T_IS_AT);
          p = putMac(dv, p, buf, sha);
          break;
        case 3:
        case 8:
          p = putMac(dv, p, buf, tha);
          p = put(dv, p, T_TELL);
          p = putMac(dv, p, buf, sha);
          break;
        case 4:
          p = putMac(dv, p, buf, tha);
          p = put(dv, p, T_AT);
          p = putIPv4(dv, p, buf, tpa);
          break;
        default: // 9
          p = putMac(dv, p, buf, sha);
          p = put(dv, p, T_AT);
          p = putIPv4(dv, p, buf, spa);
          break;
      }
      p = put(dv, p, T_COMMA_LENGTH);
      p = putUint(dv, p, length);
    } else {
      // print-ip6.c + print-icmp6.c at -v 0
      if (!eflag) p = put(dv, p, T_IP6);
      p = putIPv6(dv, p, buf, q + 8);
      dv.setUint32(p, 0x203e20, true); // " > "
      p = putIPv6(dv, p + 3, buf, q + 24);
      p = put(dv, p, ND_HEAD[icmpType]!);
      const icmp = q + 40;
      if (icmpType === 135 || icmpType === 136) p = putIPv6(dv, p, buf, icmp + 8);
      else if (icmpType === 137) {
        p = putIPv6(dv, p, buf, icmp + 24);
        dv.setUint32(p, 0x206f7420, true); // " to "
        p = putIPv6(dv, p + 4, buf, icmp + 8);
      }
      p = put(dv, p, T_COMMA_LENGTH);
      p = putUint(dv, p, payloadLen);
    }
    dv.setUint8(p++, Ch.NL);
    sink.pos = p;
    return true;
  }

  /** The timestamp column with its trailing space, as TimestampFormatter.text writes it. */
  private timestamp(dv: DataView, p: number, sec: number, nsec: number): number {
    const f = this.tflag;
    if (
      (f === TimeFormat.Local || f === TimeFormat.LocalDate || f === TimeFormat.Unix) &&
      (sec | 0) === sec && sec >= 0 && (nsec | 0) === nsec && nsec >= 0 && nsec < 1e9
    ) {
      if (f === TimeFormat.Unix) p = putUint(dv, p, sec);
      else {
        if (sec !== this.clockSec) this.setClock(sec, f === TimeFormat.LocalDate);
        const c = this.clock;
        for (let i = 0; i < c.length; i++) dv.setUint32(p + 4 * i, c[i]!, true);
        p += this.clockLen;
      }
      dv.setUint8(p++, Ch.DOT);
      if (this.nano) {
        const hi = Math.floor(nsec / 1e6);
        const rest = nsec - hi * 1e6;
        const mid = Math.floor(rest / 1000);
        dv.setUint32(p, D3[hi]!, true);
        dv.setUint32(p + 3, D3[mid]!, true);
        dv.setUint32(p + 6, D3[rest - mid * 1000]!, true);
        p += 9;
      } else {
        const us = Math.floor(nsec / 1000);
        const hi = Math.floor(us / 1000);
        dv.setUint32(p, D3[hi]!, true);
        dv.setUint32(p + 3, D3[us - hi * 1000]!, true);
        p += 6;
      }
      dv.setUint8(p++, Ch.SP);
      return p;
    }
    // Deltas (stateful, shared with the general printer) and the odd cases.
    const s = this.ts.text(sec, nsec);
    for (let i = 0; i < s.length; i++) dv.setUint8(p + i, s.charCodeAt(i));
    return p + s.length;
  }

  private setClock(sec: number, withDate: boolean): void {
    // The same text TimestampFormatter caches (local time, TZ honoured).
    const d = new Date(sec * 1000);
    let s = pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
    if (withDate) s = d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + s;
    const t = text(s.slice(0, 60));
    this.clock = t.w;
    this.clockLen = t.n;
    this.clockSec = sec;
  }
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
