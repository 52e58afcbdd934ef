/**
 * Answered address probes: the state arp.probe-conflict (RFC 5227 probes,
 * sender 0.0.0.0) and nd.dad-conflict (RFC 4862 DAD, NS from ::) share. A
 * probe asks whether an address is free; any other MAC speaking for it
 * within `windowS` of the latest probe answers it: the address is in use.
 *
 * Recent probes sit in a Map by address key in the order of their latest
 * probe (a probe re-inserts its entry), so expiry stops at the first live
 * one and the Map every claim looks into stays small.
 */
import type { FrameRef } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap, expireOlderThan } from './util.js';

/** Defenders and probers named per conflict. */
const MAX_LIST = 8;
const MAX_CONFLICTS = 10_000;

interface Probe {
  prober: number;
  last: number;
  /** The latest probe's frame. */
  input: number;
  frame: number;
  probes: number;
  /** The latest probe is already in the conflict's refs. */
  probeRef: boolean;
  /** Set on the first answer. */
  conflict: ProbeConflict | null;
}

/** A probed address that turned out to be in use. MACs are 48-bit integers. */
export interface ProbeConflict {
  defenders: number[];
  /** Named once another MAC has answered their probe. */
  probers: number[];
  answers: number;
  /** Probes for the address, those before the first answer included. */
  probes: number;
  /** The answered probe's time, then the latest answer's. */
  first: number;
  last: number;
  /** Longest time from a probe to an answer. */
  maxDelay: number;
  refs: RefSample;
}

export class ProbeAnswers<K> {
  private readonly probes = new Map<K, Probe>();
  /** In the order they began; at most MAX_CONFLICTS (the oldest go). */
  readonly conflicts = new Map<K, ProbeConflict>();

  constructor(
    readonly windowS: number,
    private readonly maxProbed: number,
  ) {}

  /** Whether a probe is open: while none is, claims need not be looked up. */
  get open(): boolean {
    return this.probes.size > 0;
  }

  /** `prober` (a MAC, -1 unknown) probed `key` in frame `e`. */
  probe(key: K, prober: number, e: FrameRef): void {
    const probes = this.probes;
    expireOlderThan(probes, e.ts, this.windowS);
    let p = probes.get(key);
    if (p === undefined) {
      p = { prober, last: e.ts, input: e.input, frame: e.frame, probes: 0, probeRef: false, conflict: this.conflicts.get(key) ?? null };
    } else probes.delete(key);
    probes.set(key, p);
    capMap(probes, this.maxProbed);
    p.prober = prober;
    p.last = e.ts;
    p.input = e.input;
    p.frame = e.frame;
    p.probes++;
    p.probeRef = false;
    if (p.conflict !== null) p.conflict.probes++;
  }

  /**
   * Frame `e` claims `key` for `defender` (-1 unknown), sent from `sender`
   * (-1 when it is the defender): an answer when a probe for `key` is open,
   * neither MAC is the prober's, and it came within the window.
   */
  claim(key: K, defender: number, sender: number, e: FrameRef): ProbeConflict | null {
    const p = this.probes.get(key);
    if (p === undefined || defender === p.prober || (sender >= 0 && sender === p.prober)) return null;
    const dt = e.ts - p.last;
    if (dt < 0 || dt > this.windowS) return null;
    let c = p.conflict;
    if (c === null) {
      c = { defenders: [], probers: p.prober >= 0 ? [p.prober] : [], answers: 0, probes: p.probes, first: p.last, last: e.ts, maxDelay: 0, refs: new RefSample(8) };
      p.conflict = c;
      this.conflicts.set(key, c);
      capMap(this.conflicts, MAX_CONFLICTS);
    }
    c.answers++;
    c.last = e.ts;
    if (dt > c.maxDelay) c.maxDelay = dt;
    if (defender >= 0 && c.defenders.length < MAX_LIST && !c.defenders.includes(defender)) c.defenders.push(defender);
    if (p.prober >= 0 && c.probers.length < MAX_LIST && !c.probers.includes(p.prober)) c.probers.push(p.prober);
    if (!p.probeRef) {
      p.probeRef = true;
      c.refs.add({ input: p.input, frame: p.frame, ts: p.last });
    }
    c.refs.add(e);
    return c;
  }
}
