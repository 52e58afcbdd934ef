/**
 * The latest `depth` events of every id, staged in one Float64Array until
 * an id is busy enough to need a full window of its own (arp.scan per
 * sender, arp.gratuitous-storm per IP: most ids never are). An event is
 * `width` numbers, field `timeField` its time.
 *
 * add() reports the moment to promote an id: the event just added and the
 * `depth` before it (the one it pushed out included) all fall within
 * `windowS`. For time-ordered events that is exact: the event before those
 * was already outside the window, or the id would have been promoted then.
 * copy() hands those depth + 1 events over, oldest first.
 */
import { capacityFor } from '../address-index.js';

export class EventStage {
  /** The event add() stages: fill its `width` fields first. */
  readonly next: Float64Array;
  /** The event the latest add() pushed out (time -Infinity: the slot was empty). */
  private readonly evicted: Float64Array;
  private cap = 0;
  private q = new Float64Array(0);
  /** Per id: the slot the next event goes to, which holds its oldest. */
  private head = new Uint8Array(0);

  constructor(
    readonly depth: number,
    readonly width: number,
    private readonly timeField: number,
    private readonly windowS: number,
  ) {
    if (depth < 1 || depth > 255) throw new RangeError('EventStage: depth must be 1..255');
    this.next = new Float64Array(width);
    this.evicted = new Float64Array(width);
  }

  /** Stages `next` for `id`; true when the id should now be promoted (then call copy()). */
  add(id: number): boolean {
    if (id >= this.cap) this.grow(id);
    const w = this.width;
    const h = this.head[id]!;
    const j = (id * this.depth + h) * w;
    for (let f = 0; f < w; f++) {
      this.evicted[f] = this.q[j + f]!;
      this.q[j + f] = this.next[f]!;
    }
    this.head[id] = (h + 1) % this.depth;
    return this.next[this.timeField]! - this.evicted[this.timeField]! <= this.windowS;
  }

  /** Right after add(id) returned true: its depth + 1 events, oldest first, `width` numbers each, into `out` from `off`. */
  copy(id: number, out: Float64Array, off = 0): void {
    const w = this.width;
    out.set(this.evicted, off);
    const h = this.head[id]!;
    for (let k = 0; k < this.depth; k++) {
      const j = (id * this.depth + ((h + k) % this.depth)) * w;
      out.set(this.q.subarray(j, j + w), off + (k + 1) * w);
    }
  }

  private grow(id: number): void {
    const old = this.cap;
    this.cap = capacityFor(old, id);
    const q = new Float64Array(this.cap * this.depth * this.width);
    q.set(this.q);
    for (let i = old * this.depth * this.width + this.timeField; i < q.length; i += this.width) q[i] = -Infinity;
    this.q = q;
    const head = new Uint8Array(this.cap);
    head.set(this.head);
    this.head = head;
  }
}
