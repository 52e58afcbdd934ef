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
