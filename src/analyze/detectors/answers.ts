/**
 * Shared by arp.conflict and arp.flux: per IP, the last MAC that answered a
 * request, and which MACs answered within the conflict window.
 */
import { capacityFor, growF64 } from '../address-index.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';

/** An IP that MACs answered for within the window of each other. */
export interface AnswerState {
  /** The answering MACs (at most 16). */
  macs: Set<number>;
  /** Double answers. */
  count: number;
  first: number;
  last: number;
  refs: RefSample;
  /** When the IP was first answered, relative to the others (keeps the report order stable). */
  order: number;
}

export function conflictPairs(answers: Map<number, AnswerState>): { conflicts: [number, AnswerState][]; flux: [number, AnswerState][] } {
  const doubled = [...answers.entries()].filter(([, s]) => s.macs.size >= 2).sort((a, b) => a[1].order - b[1].order);
  const bySet = new Map<string, number>();
  const setKey = (s: AnswerState): string => [...s.macs].sort((a, b) => a - b).join(',');
  for (const [, s] of doubled) if (s.macs.size === 2) bySet.set(setKey(s), (bySet.get(setKey(s)) ?? 0) + 1);
  const conflicts: [number, AnswerState][] = [];
  const flux: [number, AnswerState][] = [];
  for (const entry of doubled) {
    const s = entry[1];
    if (s.macs.size === 2 && (bySet.get(setKey(s)) ?? 0) >= 2) flux.push(entry);
    else conflicts.push(entry);
  }
  return { conflicts, flux };
}

/**
 * The last answer per IP id (the engine's Ipv4Index) lives in columns: MAC,
 * time, frame, and the order the IP was first answered in. Only IPs that
 * two MACs answered for within the window get an entry in `answers`.
 */
export class AnswerTracker {
  /** By IP (uint32): the IPs answered by two or more MACs. */
  readonly answers = new Map<number, AnswerState>();
  private cap = 0;
  private lastMac = new Float64Array(0);
  private lastTs = new Float64Array(0);
  private lastInputs = new Float64Array(0);
  private lastFrames = new Float64Array(0);
  /** 1 + the order of the first answer; 0: never answered. */
  private order = new Float64Array(0);
  private answered = 0;
  private lastInput = -1;
  private lastFrame = -1;
  constructor(private readonly windowS: number) {}

  track(e: ArpEvent): void {
    if (e.frame === this.lastFrame && e.input === this.lastInput) return;
    this.lastFrame = e.frame;
    this.lastInput = e.input;
    if (e.op !== 2 || e.gratuitous || e.shaVirtual || e.spaId < 0) return;
    const id = e.spaId;
    if (id >= this.cap) this.grow(id + 1);
    if (this.order[id] === 0) {
      this.order[id] = ++this.answered;
    } else if (this.lastMac[id] !== e.sha && e.ts - this.lastTs[id]! <= this.windowS) {
      let s = this.answers.get(e.spa);
      if (s === undefined) {
        s = { macs: new Set(), count: 0, first: this.lastTs[id]!, last: 0, refs: new RefSample(8), order: this.order[id]! };
        this.answers.set(e.spa, s);
      }
      if (s.macs.size < 16) {
        s.macs.add(this.lastMac[id]!);
        s.macs.add(e.sha);
      }
      s.count++;
      s.last = e.ts;
      s.refs.addRef(this.lastInputs[id]!, this.lastFrames[id]!, this.lastTs[id]!);
      s.refs.add(e);
    }
    this.lastMac[id] = e.sha;
    this.lastTs[id] = e.ts;
    this.lastInputs[id] = e.input;
    this.lastFrames[id] = e.frame;
  }

  private grow(n: number): void {
    this.cap = capacityFor(this.cap, n - 1);
    this.lastMac = growF64(this.lastMac, this.cap);
    this.lastTs = growF64(this.lastTs, this.cap);
    this.lastInputs = growF64(this.lastInputs, this.cap);
    this.lastFrames = growF64(this.lastFrames, this.cap);
    this.order = growF64(this.order, this.cap);
  }
}
