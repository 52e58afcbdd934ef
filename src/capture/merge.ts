/**
 * Several inputs read as one stream ordered by timestamp (ties keep input
 * order), each record keeping its input index and frame number.
 */
import type { CaptureReader, PacketRecord } from './record.js';

export class MergedReader implements CaptureReader {
  readonly name: string;
  record: PacketRecord;
  /** Per input: has a pending record that was not yet handed out. */
  private ready: boolean[];
  private done: boolean[];
  private current = -1;

  constructor(private readonly readers: CaptureReader[]) {
    this.name = readers.map((r) => r.name).join(', ');
    this.record = readers[0]!.record;
    this.ready = readers.map(() => false);
    this.done = readers.map(() => false);
  }

  get position(): number {
    return this.readers.reduce((s, r) => s + r.position, 0);
  }
  get size(): number {
    let total = 0;
    for (const r of this.readers) {
      if (r.size < 0) return -1;
      total += r.size;
    }
    return total;
  }
  /** The inputs' mean: they are read side by side, in time order. */
  get fraction(): number {
    let sum = 0;
    for (const r of this.readers) {
      const f = r.fraction;
      if (f < 0) return -1;
      sum += f;
    }
    return sum / this.readers.length;
  }

  next(): boolean {
    // The record handed out last is consumed now.
    if (this.current >= 0) {
      this.ready[this.current] = false;
      this.current = -1;
    }
    let best = -1;
    for (let i = 0; i < this.readers.length; i++) {
      if (this.done[i]) continue;
      if (!this.ready[i]) {
        if (!this.readers[i]!.next()) return false; // fill() needed for input i
        this.ready[i] = true;
      }
      if (best < 0 || earlier(this.readers[i]!.record, this.readers[best]!.record)) best = i;
    }
    if (best < 0) return false;
    this.current = best;
    this.record = this.readers[best]!.record;
    return true;
  }

  async fill(): Promise<boolean> {
    let any = false;
    for (let i = 0; i < this.readers.length; i++) {
      if (this.done[i] || this.ready[i]) continue;
      if (await this.readers[i]!.fill()) any = true;
      else this.done[i] = true;
    }
    return any || this.ready.some((r, i) => r && !this.done[i]);
  }

  close(): void {
    for (const r of this.readers) r.close();
  }
}

function earlier(a: PacketRecord, b: PacketRecord): boolean {
  return a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec < b.tsNsec);
}
