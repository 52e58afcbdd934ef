/** Small helpers shared by detectors: address text at the edge, sorted and unique. */
import { formatIPv4, formatMac } from '../../print/addr.js';

export const ip4 = formatIPv4;
export const mac = formatMac;

export function macList(macs: Iterable<number>): string[] {
  return [...new Set(macs)].filter((m) => m >= 0).sort((a, b) => a - b).map(formatMac);
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
