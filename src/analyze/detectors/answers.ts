/**
 * Shared by arp.conflict and arp.flux: per IP, the last MAC that answered a
 * request, and which MACs answered within the conflict window.
 */
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap } from './util.js';

const MAX_IPS = 200_000;

export interface AnswerState {
  lastMac: number;
  lastTs: number;
  lastInput: number;
  lastFrame: number;
  /** MACs seen answering within the window; null until it happens. */
  macs: Set<number> | null;
  count: number;
  first: number;
  last: number;
  refs: RefSample | null;
}

/**
 * Splits the double-answered IPs into conflicts and flux: the same pair of
 * MACs answering for two or more IPs is one multi-homed host (ARP flux);
 * anything else is a conflict.
 */
export function conflictPairs(answers: Map<number, AnswerState>): { conflicts: [number, AnswerState][]; flux: [number, AnswerState][] } {
  const doubled = [...answers.entries()].filter(([, s]) => s.macs !== null && s.macs.size >= 2);
  const bySet = new Map<string, number>();
  const setKey = (s: AnswerState): string => [...s.macs!].sort((a, b) => a - b).join(',');
  for (const [, s] of doubled) if (s.macs!.size === 2) bySet.set(setKey(s), (bySet.get(setKey(s)) ?? 0) + 1);
  const conflicts: [number, AnswerState][] = [];
  const flux: [number, AnswerState][] = [];
  for (const entry of doubled) {
    const s = entry[1];
    if (s.macs!.size === 2 && (bySet.get(setKey(s)) ?? 0) >= 2) flux.push(entry);
    else conflicts.push(entry);
  }
  return { conflicts, flux };
}

/** The answer table conflict and flux share, fed once per frame whichever of them calls first. */
export class AnswerTracker {
  readonly answers = new Map<number, AnswerState>();
  private lastInput = -1;
  private lastFrame = -1;
  constructor(private readonly windowS: number) {}
  track(e: ArpEvent): void {
    if (e.frame === this.lastFrame && e.input === this.lastInput) return;
    this.lastFrame = e.frame;
    this.lastInput = e.input;
    trackAnswer(this.answers, e, this.windowS);
  }
}

/** Records one ARP event: answers to requests only (not gratuitous), virtual MACs skipped. */
function trackAnswer(answers: Map<number, AnswerState>, e: ArpEvent, windowS: number): void {
  if (e.op !== 2 || e.gratuitous || e.shaVirtual) return;
  let s = answers.get(e.spa);
  if (s === undefined) {
    s = { lastMac: e.sha, lastTs: e.ts, lastInput: e.input, lastFrame: e.frame, macs: null, count: 0, first: 0, last: 0, refs: null };
    answers.set(e.spa, s);
    capMap(answers, MAX_IPS);
    return;
  }
  if (s.lastMac !== e.sha && e.ts - s.lastTs <= windowS) {
    if (s.macs === null) {
      s.macs = new Set();
      s.refs = new RefSample(8);
      s.first = s.lastTs;
    }
    if (s.macs.size < 16) {
      s.macs.add(s.lastMac);
      s.macs.add(e.sha);
    }
    s.count++;
    s.last = e.ts;
    s.refs!.add({ input: s.lastInput, frame: s.lastFrame, ts: s.lastTs });
    s.refs!.add(e);
  }
  s.lastMac = e.sha;
  s.lastTs = e.ts;
  s.lastInput = e.input;
  s.lastFrame = e.frame;
}
