/**
 * Findings: what is wrong, for which addresses, why it matters, the likely
 * causes, what to run next, and the frames that prove it. The JSON form is
 * documented in docs/analyze-json.md and kept stable.
 */
import { capacityFor, growF64, growI32 } from './address-index.js';
import type { FrameRef } from './events.js';

export type Severity = 'critical' | 'warning' | 'notice' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'notice', 'info'];
export const severityRank = (s: Severity): number => 3 - SEVERITIES.indexOf(s);

export interface Evidence {
  file: string;
  frame: number;
  ts: number;
  line: string;
  vantage?: string;
}

export interface Finding {
  kind: string;
  severity: Severity;
  /** The main address (IPv4 dotted, IPv6 RFC 5952). */
  ip: string;
  ips: string[];
  macs: string[];
  first_ts: number;
  last_ts: number;
  count: number;
  title: string;
  explanation: string;
  causes: string[];
  next_steps: string[];
  evidence: Evidence[];
  /** Which vantage points saw it (several inputs). */
  vantages?: string[];
  /** Kind-specific measurements (latencies, rates, counts). */
  details?: Record<string, unknown>;
}

/** A finding as a detector emits it: evidence as frame references, resolved to lines by the engine. */
export interface FindingDraft extends Omit<Finding, 'evidence' | 'vantages'> {
  refs: FrameRef[];
}

/** The part of a draft that folding ranks and sums (see fold.ts): its addresses, counts and times. */
export type DraftHead = Pick<FindingDraft, 'kind' | 'severity' | 'ip' | 'ips' | 'macs' | 'first_ts' | 'last_ts' | 'count'>;

/**
 * The sample both RefSample and RefColumns keep of a stream of frame
 * references: the first `half`, then a ring of the latest `tail`.
 */
const sampleSlot = (n: number, half: number, tail: number): number => (n < half ? n : half + ((n - half) % tail));

/** The kept slots of a sample that saw `n` references, oldest first. */
function sampleOrder(n: number, half: number, tail: number, visit: (slot: number) => void): void {
  for (let i = 0; i < Math.min(n, half); i++) visit(i);
  const inTail = Math.min(Math.max(n - half, 0), tail);
  // The oldest kept in the ring is the one after the newest.
  const start = n - half <= tail ? 0 : (n - half) % tail;
  for (let k = 0; k < inTail; k++) visit(half + ((start + k) % tail));
}

/**
 * Keeps up to `max` frame references: the first half and the most recent
 * rest (a ring). Stored as numbers in one flat array (cheaper to make
 * than a typed array: there is one per tracked address), so adding a
 * reference on the hot path allocates nothing.
 */
export class RefSample {
  count = 0;
  /** (ts, input, frame) triples: `half` first ones, then a ring of the latest. */
  private readonly q: number[];
  private readonly half: number;
  private readonly tail: number;
  constructor(max = 6) {
    this.half = max >> 1;
    this.tail = max - this.half;
    this.q = new Array<number>(max * 3).fill(0);
  }
  add(r: FrameRef): void {
    this.addRef(r.input, r.frame, r.ts);
  }
  addRef(input: number, frame: number, ts: number): void {
    const j = sampleSlot(this.count++, this.half, this.tail) * 3;
    this.q[j] = ts;
    this.q[j + 1] = input;
    this.q[j + 2] = frame;
  }
  clear(): void {
    this.count = 0;
  }
  refs(): FrameRef[] {
    const out: FrameRef[] = [];
    sampleOrder(this.count, this.half, this.tail, (i) => {
      const j = i * 3;
      out.push({ input: this.q[j + 1]!, frame: this.q[j + 2]!, ts: this.q[j]! });
    });
    return out;
  }
}

/**
 * RefSample for many ids at once, in one Float64Array: the same first-half
 * plus latest-ring choice per id, with no object per id. For detectors that
 * keep a sample for every address they track.
 */
export class RefColumns {
  private cap = 0;
  private counts = new Int32Array(0);
  private q = new Float64Array(0);
  private readonly half: number;
  private readonly tail: number;
  constructor(private readonly max = 6) {
    this.half = max >> 1;
    this.tail = max - this.half;
  }

  count(id: number): number {
    return id < this.cap ? this.counts[id]! : 0;
  }

  add(id: number, input: number, frame: number, ts: number): void {
    if (id >= this.cap) this.grow(id);
    const j = (id * this.max + sampleSlot(this.counts[id]!++, this.half, this.tail)) * 3;
    this.q[j] = ts;
    this.q[j + 1] = input;
    this.q[j + 2] = frame;
  }

  clear(id: number): void {
    if (id < this.cap) this.counts[id] = 0;
  }

  refs(id: number): FrameRef[] {
    const out: FrameRef[] = [];
    sampleOrder(this.count(id), this.half, this.tail, (i) => {
      const j = (id * this.max + i) * 3;
      out.push({ input: this.q[j + 1]!, frame: this.q[j + 2]!, ts: this.q[j]! });
    });
    return out;
  }

  private grow(id: number): void {
    this.cap = capacityFor(this.cap, id);
    this.counts = growI32(this.counts, this.cap);
    this.q = growF64(this.q, this.cap * this.max * 3);
  }
}
