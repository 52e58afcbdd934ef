/** Small helpers shared by detectors: address text at the edge, sorted and unique. */
import { formatIPv4, formatMac } from '../../print/addr.js';

export const ip4 = formatIPv4;
export const mac = formatMac;

/** Distinct MACs, sorted, as text (`text`: formatMac, or a memo of it when the same MACs recur across many lists). */
export function macList(macs: Iterable<number>, text: (mac: number) => string = formatMac): string[] {
  // Sorted, then equal neighbours dropped: no Set per list (unanswered makes tens of thousands).
  const sorted = Array.from(macs).filter((m) => m >= 0).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(text(sorted[i]!));
  return out;
}

/** formatMac remembering what it made: one string per MAC however many findings name it. */
export function macTextMemo(): (mac: number) => string {
  const made = new Map<number, string>();
  return (m) => {
    let t = made.get(m);
    if (t === undefined) made.set(m, (t = formatMac(m)));
    return t;
  };
}

export function ip4List(ips: Iterable<number>): string[] {
  return [...new Set(ips)].sort((a, b) => a - b).map(formatIPv4);
}

export const ms = (s: number): number => Math.round(s * 1e6) / 1e3;

/** Drops the oldest entries of a Map (insertion order) beyond `max`. */
export function capMap<K, V>(m: Map<K, V>, max: number): void {
  if (m.size <= max) return;
  let drop = m.size - max;
  for (const k of m.keys()) {
    m.delete(k);
    if (--drop <= 0) break;
  }
}

/**
 * Drops entries whose `last` is older than `windowS` before `now`. The map
 * must be in insertion order of `last` (callers re-insert on update), so the
 * walk stops at the first entry still inside the window.
 */
export function expireOlderThan<K>(m: Map<K, { last: number }>, now: number, windowS: number): void {
  for (const [k, v] of m) {
    if (now - v.last <= windowS) break;
    m.delete(k);
  }
}
