/**
 * Copies of recent frames, so a finding found at the end of a window can
 * still print its evidence (a live stream cannot be re-read). Bounded in
 * frames; the oldest go first.
 */
import type { PacketRecord } from '../capture/record.js';
import { newRecord } from '../capture/record.js';
import { FramePrinter } from '../print/frame.js';

interface Kept {
  bytes: Buffer;
  tsSec: number;
  tsNsec: number;
  wireLen: number;
  linkType: number;
}

export class FrameBuffer {
  private readonly frames = new Map<string, Kept>();
  private readonly printer = new FramePrinter({ eflag: true, vflag: 0, tflag: 4, numbers: false, nano: false });
  private readonly scratch = newRecord();

  constructor(private readonly max = 100_000) {}

  keep(r: PacketRecord): void {
    const key = `${r.input}:${r.frame}`;
    this.frames.set(key, {
      bytes: Buffer.from(r.buf.subarray(r.off, r.off + r.caplen)),
      tsSec: r.tsSec,
      tsNsec: r.tsNsec,
      wireLen: r.wireLen,
      linkType: r.linkType,
    });
    if (this.frames.size > this.max) {
      const oldest = this.frames.keys().next().value as string;
      this.frames.delete(oldest);
    }
  }

  /** The tcpdump -n -e -tttt line of a kept frame, or null when it is gone. */
  line(input: number, frame: number): string | null {
    const k = this.frames.get(`${input}:${frame}`);
    if (!k) return null;
    const r = this.scratch;
    r.buf = k.bytes;
    r.off = 0;
    r.caplen = k.bytes.length;
    r.wireLen = k.wireLen;
    r.tsSec = k.tsSec;
    r.tsNsec = k.tsNsec;
    r.linkType = k.linkType;
    return this.printer.format(r, frame).replace(/\n$/, '');
  }

  get size(): number {
    return this.frames.size;
  }
}
