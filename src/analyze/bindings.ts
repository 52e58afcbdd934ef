/**
 * The binding table: for every IP seen, which MACs claimed it, when, how
 * often it was asked for and answered, and how fast. Memory grows with the
 * number of distinct addresses, never with the number of frames.
 */
import { formatIPv4, formatMac } from '../print/addr.js';

const MAX_MACS_PER_IP = 16;
const MAX_LATENCY_SAMPLES = 64;

export interface MacClaim {
  mac: number;
  first: number;
  last: number;
  count: number;
}

export class Binding {
  readonly macs: MacClaim[] = [];
  first = Infinity;
  last = -Infinity;
  requests = 0;
  replies = 0;
  gratuitous = 0;
  /** Timestamp of the latest request not yet answered, -1 when none. */
  pendingTs = -1;
  /** Reply latencies in seconds: the first MAX_LATENCY_SAMPLES, plus the maximum. */
  latencies: number[] | null = null;
  latencyCount = 0;
  latencyMax = 0;
  constructor(readonly key: string) {}

  claim(mac: number, ts: number): void {
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
    const macs = this.macs;
    for (let i = 0; i < macs.length; i++) {
      const c = macs[i]!;
      if (c.mac === mac) {
        c.last = ts;
        c.count++;
        return;
      }
    }
    if (this.macs.length < MAX_MACS_PER_IP) this.macs.push({ mac, first: ts, last: ts, count: 1 });
  }

  seen(ts: number): void {
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
  }

  addLatency(s: number): void {
    this.latencyCount++;
    if (s > this.latencyMax) this.latencyMax = s;
    if (this.latencies === null) this.latencies = [];
    if (this.latencies.length < MAX_LATENCY_SAMPLES) this.latencies.push(s);
  }

  percentile(p: number): number | null {
    if (!this.latencies || this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

export class BindingTable {
  readonly v4 = new Map<number, Binding>();
  readonly v6 = new Map<string, Binding>();

  ipv4(ip: number): Binding {
    let b = this.v4.get(ip);
    if (b === undefined) {
      b = new Binding(formatIPv4(ip));
      this.v4.set(ip, b);
    }
    return b;
  }

  ipv6(ip: string): Binding {
    let b = this.v6.get(ip);
    if (b === undefined) {
      b = new Binding(ip);
      this.v6.set(ip, b);
    }
    return b;
  }
}

export interface BindingRow {
  ip: string;
  family: 4 | 6;
  macs: { mac: string; vendor: string | null; first_ts: number; last_ts: number; frames: number }[];
  first_ts: number | null;
  last_ts: number | null;
  requests: number;
  replies: number;
  gratuitous: number;
  latency_ms: { p50: number; p99: number; max: number; samples: number } | null;
}

export function bindingRows(t: BindingTable, vendor: (mac: number) => string | null): BindingRow[] {
  const rows: BindingRow[] = [];
  const row = (b: Binding, family: 4 | 6): BindingRow => ({
    ip: b.key,
    family,
    macs: b.macs.map((c) => ({ mac: formatMac(c.mac), vendor: vendor(c.mac), first_ts: c.first, last_ts: c.last, frames: c.count })),
    first_ts: Number.isFinite(b.first) ? b.first : null,
    last_ts: Number.isFinite(b.last) ? b.last : null,
    requests: b.requests,
    replies: b.replies,
    gratuitous: b.gratuitous,
    latency_ms:
      b.latencyCount > 0
        ? { p50: round3(b.percentile(50)! * 1000), p99: round3(b.percentile(99)! * 1000), max: round3(b.latencyMax * 1000), samples: b.latencyCount }
        : null,
  });
  const v4 = [...t.v4.entries()].sort((a, b) => a[0] - b[0]);
  for (const [, b] of v4) rows.push(row(b, 4));
  for (const b of [...t.v6.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) rows.push(row(b, 6));
  return rows;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
