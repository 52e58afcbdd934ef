/**
 * Copies of recent frames, so a finding found at the end of a window can
 * still print its evidence (a live stream cannot be re-read). A ring of
 * fixed slots per input, indexed by frame number: keeping a frame is one
 * copy into a preallocated slab, no allocation; the oldest are overwritten.
 */
import type { PacketRecord } from '../capture/record.js';
import { newRecord } from '../capture/record.js';
import { FramePrinter } from '../print/frame.js';

/** Bytes kept per frame: ARP and ND fit; longer frames keep their first SLOT bytes (printed as captured-short). */
const SLOT = 256;

class Ring {
  readonly slab: Buffer;
  readonly frame: Float64Array;
  readonly caplen: Uint16Array;
  readonly wireLen: Uint32Array;
  readonly sec: Float64Array;
  readonly nsec: Uint32Array;
  readonly link: Uint16Array;
  constructor(readonly size: number) {
    this.slab = Buffer.alloc(size * SLOT);
    this.frame = new Float64Array(size).fill(-1);
    this.caplen = new Uint16Array(size);
    this.wireLen = new Uint32Array(size);
    this.sec = new Float64Array(size);
    this.nsec = new Uint32Array(size);
    this.link = new Uint16Array(size);
  }
}

export class FrameBuffer {
  private readonly rings: Ring[] = [];
  private readonly printer = new FramePrinter({ eflag: true, vflag: 0, tflag: 4, numbers: false, nano: false });
  private readonly scratch = newRecord();

  constructor(private readonly perInput = 65536) {}

  private ring(input: number): Ring {
    let r = this.rings[input];
    if (r === undefined) this.rings[input] = r = new Ring(this.perInput);
    return r;
  }

  keep(r: PacketRecord): void {
    const ring = this.ring(r.input);
    const i = r.frame % ring.size;
    const n = Math.min(r.caplen, SLOT);
    r.buf.copy(ring.slab, i * SLOT, r.off, r.off + n);
    ring.frame[i] = r.frame;
    ring.caplen[i] = n;
    ring.wireLen[i] = r.wireLen;
    ring.sec[i] = r.tsSec;
    ring.nsec[i] = r.tsNsec;
    ring.link[i] = r.linkType;
  }

  /** The tcpdump -n -e -tttt line of a kept frame, or null when it was overwritten. */
  line(input: number, frame: number): string | null {
    const ring = this.rings[input];
    if (!ring) return null;
    const i = frame % ring.size;
    if (ring.frame[i] !== frame) return null;
    const r = this.scratch;
    r.buf = ring.slab;
    r.off = i * SLOT;
    r.caplen = ring.caplen[i]!;
    r.wireLen = ring.wireLen[i]!;
    r.tsSec = ring.sec[i]!;
    r.tsNsec = ring.nsec[i]!;
    r.linkType = ring.link[i]!;
    return this.printer.format(r, frame).replace(/\n$/, '');
  }
}
