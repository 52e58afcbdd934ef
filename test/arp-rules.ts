/**
 * Detector rules written plainly (Maps by address, no columns, no ids), for
 * the randomized tests that hold the detectors' column-based state to them.
 * Events are ArpEventSpecs as runArpEvents feeds them; a frame handed over
 * twice (same input and number in a row) counts once, as the shared
 * trackers do.
 */
import type { ArpEventSpec } from './detector-harness.js';

const BROADCAST = 0xffffffffffff;

/** As the engine flags it (runArpEvents addresses a reply to its tha unless told otherwise). */
export const isGratuitous = (e: ArpEventSpec): boolean => (e.spa === e.tpa && e.spa !== 0) || (e.op === 2 && (e.ethDst ?? e.tha) === BROADCAST);

/** The events without a frame's repeats. */
function once(events: readonly ArpEventSpec[]): ArpEventSpec[] {
  return events.filter((e, i) => i === 0 || e.frame !== events[i - 1]!.frame || (e.input ?? 0) !== (events[i - 1]!.input ?? 0));
}

/** The order runArpEvents (and the engine) gives addresses ids in: sender, then target, by first sight. */
export function firstSight(events: readonly ArpEventSpec[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const e of events) for (const ip of [e.spa, e.tpa]) if (!seen.has(ip)) seen.set(ip, seen.size);
  return seen;
}

export interface Doubled {
  ip: number;
  /** The answering MACs, at most 16. */
  macs: number[];
  count: number;
  first: number;
  last: number;
  /** Order of the IP's first answer. */
  order: number;
}

/**
 * IPs two MACs answered (non-gratuitous replies) within `windowS` of each
 * other, in the order of their first answer; a pair of MACs doing it for
 * two or more IPs is one multi-homed host (flux), the rest are conflicts.
 */
export function answerRule(events: readonly ArpEventSpec[], windowS: number, virtual: ReadonlySet<number>): { all: Map<number, Doubled>; conflict: Doubled[]; flux: Doubled[] } {
  const last = new Map<number, { mac: number; ts: number }>();
  const doubled = new Map<number, Doubled>();
  const order = new Map<number, number>();
  for (const e of once(events)) {
    if (e.op !== 2 || isGratuitous(e) || virtual.has(e.sha)) continue;
    const before = last.get(e.spa);
    if (!order.has(e.spa)) order.set(e.spa, order.size);
    else if (before && before.mac !== e.sha && e.ts - before.ts <= windowS) {
      let d = doubled.get(e.spa);
      if (!d) doubled.set(e.spa, (d = { ip: e.spa, macs: [], count: 0, first: before.ts, last: 0, order: order.get(e.spa)! }));
      for (const m of [before.mac, e.sha]) if (d.macs.length < 16 && !d.macs.includes(m)) d.macs.push(m);
      d.count++;
      d.last = e.ts;
    }
    last.set(e.spa, { mac: e.sha, ts: e.ts });
  }
  const sorted = [...doubled.values()].sort((a, b) => a.order - b.order);
  const pairKey = (d: Doubled): string => [...d.macs].sort((a, b) => a - b).join();
  const pairs = new Map<string, number>();
  for (const d of sorted) if (d.macs.length === 2) pairs.set(pairKey(d), (pairs.get(pairKey(d)) ?? 0) + 1);
  const isFlux = (d: Doubled): boolean => d.macs.length === 2 && pairs.get(pairKey(d))! >= 2;
  return { all: doubled, conflict: sorted.filter((d) => !isFlux(d)), flux: sorted.filter(isFlux) };
}

export interface Move {
  from: number;
  to: number;
  ts: number;
  announced: boolean;
}

/**
 * The owner of each IP over time. A claim is any request or reply with the
 * IP as sender (not 0.0.0.0, not a virtual responder). Another MAC claiming
 * it is a move, unless the owner was heard within `windowS` and the claim
 * is no announcement (both answering: a conflict). A move is announced when
 * the claim is gratuitous or the new owner announces within 2 s. IPs that
 * moved, in id order, with their first 64 moves and how many there were.
 */
export function ownerRule(events: readonly ArpEventSpec[], windowS: number, virtual: ReadonlySet<number>): { ip: number; moves: Move[]; count: number }[] {
  const owner = new Map<number, { mac: number; ts: number }>();
  const moved = new Map<number, { ip: number; moves: Move[]; count: number }>();
  for (const e of once(events)) {
    if ((e.op !== 1 && e.op !== 2) || e.spa === 0 || virtual.has(e.sha)) continue;
    const o = owner.get(e.spa);
    const gratuitous = isGratuitous(e);
    if (o === undefined || o.mac === e.sha) {
      if (o !== undefined && gratuitous) {
        const last = moved.get(e.spa)?.moves.at(-1);
        if (last && last.to === e.sha && e.ts - last.ts <= 2) last.announced = true;
      }
      owner.set(e.spa, { mac: e.sha, ts: e.ts });
      continue;
    }
    if (e.ts - o.ts <= windowS && !gratuitous) continue;
    let m = moved.get(e.spa);
    if (!m) moved.set(e.spa, (m = { ip: e.spa, moves: [], count: 0 }));
    if (m.moves.length < 64) m.moves.push({ from: o.mac, to: e.sha, ts: e.ts, announced: gratuitous });
    m.count++;
    owner.set(e.spa, { mac: e.sha, ts: e.ts });
  }
  const ids = firstSight(events);
  return [...moved.values()].sort((a, b) => ids.get(a.ip)! - ids.get(b.ip)!);
}

/** A -> B -> A: a move back to a MAC the IP had before. */
export function flipsBack(moves: readonly Move[], count: number): boolean {
  if (count < 2) return false;
  const seen = new Set([moves[0]!.from]);
  for (const m of moves) {
    if (seen.has(m.to)) return true;
    seen.add(m.to);
  }
  return false;
}
