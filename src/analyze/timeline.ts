/**
 * TimelineCollector: the time series the HTML report draws, aggregated while
 * the frames stream by. Memory is bounded by buckets and tracked IPs, never by
 * frames: rates live in at most MAX_BUCKETS adaptive buckets (the width doubles
 * when they fill), binding lanes are run-length segments (one per MAC change)
 * with a few sampled frame marks, latency is a reservoir sample per target.
 */
import { formatIPv4, formatMac } from '../print/addr.js';
import type { ArpEvent, NdEvent } from './events.js';

const MAX_BUCKETS = 1500;
const MAX_TRACKED_IPS = 4096;
const MAX_SEGMENTS = 512;
const MAX_MARKS = 96;
const MAX_LATENCY_IPS = 1024;
const LATENCY_SAMPLES = 200;
const MAX_PENDING = 200_000;
/** A reply later than this after the request is not its answer (as the engine). */
const MAX_LATENCY_S = 5;
/** Silence longer than this splits a lane segment even when the MAC stays the same. */
const SEGMENT_GAP_S = 60;
/** How many lanes / latency targets the report gets: IPs of findings first, then the busiest. */
export const MAX_LANES = 50;
export const BUSIEST_LANES = 20;
export const MAX_LATENCY_TARGETS = 50;

export type MarkKind = 'request' | 'reply' | 'gratuitous' | 'ns' | 'na';

export interface TimelineRates {
  requests: number[];
  replies: number[];
  gratuitous: number[];
  unanswered: number[];
  nd: number[];
}

export interface TimelineLane {
  ip: string;
  /** Frames about this IP (requests for it, replies / announcements from it). */
  frames: number;
  /** [start ts, end ts, MAC, frames]: which MAC answered, run-length by MAC change. */
  segments: [number, number, string, number][];
  /** Sampled frames: [ts, input, frame, kind, MAC]. Every MAC change is kept while room lasts. */
  marks: [number, number, number, MarkKind, string][];
  /** Segments or marks were dropped for the bound. */
  truncated: boolean;
}

export interface TimelineLatency {
  ip: string;
  /** Replies timed. */
  count: number;
  max_ms: number;
  /** Reservoir sample of request-to-reply times, milliseconds, sorted. */
  samples_ms: number[];
}

export interface TimelineData {
  /** Start of bucket 0, seconds since the epoch (null: no frames). */
  t0: number | null;
  bucket_s: number;
  rates: TimelineRates;
  lanes: TimelineLane[];
  latency: TimelineLatency[];
  slow_ms: number;
  /** IPs that got no lane state because MAX_TRACKED_IPS were already tracked. */
  untracked_ips: number;
}

interface Segment {
  start: number;
  end: number;
  mac: number;
  n: number;
}

interface Lane {
  ip: string;
  frames: number;
  segments: Segment[];
  marks: [number, number, number, MarkKind, number][];
  lastMac: number;
  truncated: boolean;
}

interface Pending {
  ts: number;
  answered: boolean;
}

interface Latency {
  count: number;
  max: number;
  samples: number[];
}

type Key = number | string;

export class TimelineCollector {
  private t0 = NaN;
  private width = 1;
  private readonly rates: TimelineRates = { requests: [], replies: [], gratuitous: [], unanswered: [], nd: [] };
  private readonly lanes = new Map<Key, Lane>();
  private readonly pending = new Map<Key, Pending>();
  private readonly latency = new Map<Key, Latency>();
  private untracked = 0;
  private rng = 0x2545f491;

  constructor(private readonly slowMs = 100) {}

  onArp(e: ArpEvent): void {
    const b = this.bucket(e.ts);
    if (e.gratuitous) this.rates.gratuitous[b]!++;
    if (e.op === 1) {
      this.rates.requests[b]!++;
      if (e.gratuitous) {
        if (e.spa !== 0) this.claim(e.spa, e, 'gratuitous', e.sha);
      } else if (!e.probe) {
        this.request(e.tpa, e.ts);
        const l = this.lane(e.tpa);
        if (l) this.mark(l, e, 'request', e.sha, false);
      }
    } else if (e.op === 2) {
      this.rates.replies[b]!++;
      this.reply(e.spa, e.ts);
      this.claim(e.spa, e, e.gratuitous ? 'gratuitous' : 'reply', e.sha);
    }
  }

  onNd(e: NdEvent): void {
    const b = this.bucket(e.ts);
    this.rates.nd[b]!++;
    if (e.target === '') return;
    if (e.type === 135) {
      if (e.src === '::') return; // DAD probe: nobody should answer
      this.request(e.target, e.ts);
      const l = this.lane(e.target);
      if (l) this.mark(l, e, 'ns', e.lladdr >= 0 ? e.lladdr : e.ethSrc, false);
    } else if (e.type === 136) {
      this.reply(e.target, e.ts);
      const mac = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
      if (mac >= 0) this.claim(e.target, e, 'na', mac);
    }
  }

  /** No more frames: requests still waiting are unanswered. */
  finish(): void {
    for (const p of this.pending.values()) if (!p.answered) this.rates.unanswered[this.bucket(p.ts)]!++;
    this.pending.clear();
  }

  /**
   * The report's data: lanes for the `focus` IPs (those named in findings) and the
   * BUSIEST_LANES busiest, at most MAX_LANES; latency for focus IPs, then the most timed.
   */
  data(focus: readonly string[] = []): TimelineData {
    const want = new Set(focus);
    const lanes = [...this.lanes.values()];
    const byBusy = (a: { frames: number }, b: { frames: number }): number => b.frames - a.frames;
    const chosen = lanes.filter((l) => want.has(l.ip)).sort(byBusy).slice(0, MAX_LANES);
    const picked = new Set(chosen.map((l) => l.ip));
    for (const l of lanes.filter((x) => !picked.has(x.ip)).sort(byBusy).slice(0, BUSIEST_LANES)) {
      if (chosen.length >= MAX_LANES) break;
      chosen.push(l);
    }
    const lat = [...this.latency.entries()].map(([k, v]) => ({ ip: keyText(k), ...v }));
    lat.sort((a, b) => Number(want.has(b.ip)) - Number(want.has(a.ip)) || b.count - a.count);
    const r3 = (x: number): number => Math.round(x * 1e6) / 1e3;
    return {
      t0: Number.isNaN(this.t0) ? null : this.t0,
      bucket_s: this.width,
      rates: {
        requests: [...this.rates.requests],
        replies: [...this.rates.replies],
        gratuitous: [...this.rates.gratuitous],
        unanswered: [...this.rates.unanswered],
        nd: [...this.rates.nd],
      },
      lanes: chosen.map((l) => ({
        ip: l.ip,
        frames: l.frames,
        segments: l.segments.map((s) => [s.start, s.end, formatMac(s.mac), s.n] as [number, number, string, number]),
        marks: l.marks
          .map((m) => [m[0], m[1], m[2], m[3], m[4] >= 0 ? formatMac(m[4]) : ''] as [number, number, number, MarkKind, string])
          .sort((a, b) => a[0] - b[0]),
        truncated: l.truncated,
      })),
      latency: lat.slice(0, MAX_LATENCY_TARGETS).map((l) => ({
        ip: l.ip,
        count: l.count,
        max_ms: r3(l.max),
        samples_ms: l.samples.map(r3).sort((a, b) => a - b),
      })),
      slow_ms: this.slowMs,
      untracked_ips: this.untracked,
    };
  }

  private bucket(ts: number): number {
    if (Number.isNaN(this.t0)) this.t0 = Math.floor(ts);
    let i = Math.floor((ts - this.t0) / this.width);
    if (!(i >= 0)) i = 0; // out of order before the first frame
    while (i >= MAX_BUCKETS) {
      this.coarsen();
      i = Math.floor((ts - this.t0) / this.width);
    }
    const r = this.rates;
    while (r.requests.length <= i) {
      r.requests.push(0);
      r.replies.push(0);
      r.gratuitous.push(0);
      r.unanswered.push(0);
      r.nd.push(0);
    }
    return i;
  }

  private coarsen(): void {
    this.width *= 2;
    const r = this.rates as unknown as Record<string, number[]>;
    for (const k of Object.keys(r)) {
      const a = r[k]!;
      const out: number[] = [];
      for (let i = 0; i < a.length; i += 2) out.push(a[i]! + (a[i + 1] ?? 0));
      r[k] = out;
    }
  }

  private lane(k: Key): Lane | null {
    let l = this.lanes.get(k);
    if (l === undefined) {
      if (this.lanes.size >= MAX_TRACKED_IPS) {
        this.untracked++;
        return null;
      }
      l = { ip: keyText(k), frames: 0, segments: [], marks: [], lastMac: -1, truncated: false };
      this.lanes.set(k, l);
    }
    l.frames++;
    return l;
  }

  private claim(k: Key, e: { ts: number; input: number; frame: number }, kind: MarkKind, mac: number): void {
    const l = this.lane(k);
    if (!l) return;
    const changed = l.lastMac >= 0 && l.lastMac !== mac;
    l.lastMac = mac;
    const segs = l.segments;
    const s = segs[segs.length - 1];
    if (s && s.mac === mac && e.ts - s.end <= SEGMENT_GAP_S) {
      if (e.ts > s.end) s.end = e.ts;
      s.n++;
    } else if (segs.length < MAX_SEGMENTS) {
      segs.push({ start: e.ts, end: e.ts, mac, n: 1 });
    } else {
      l.truncated = true;
      if (s) {
        if (e.ts > s.end) s.end = e.ts;
        s.n++;
      }
    }
    this.mark(l, e, kind, mac, changed);
  }

  /** Keeps the first frames, every MAC change, and a thinning sample (powers of two) of the rest. */
  private mark(l: Lane, e: { ts: number; input: number; frame: number }, kind: MarkKind, mac: number, changed: boolean): void {
    const n = l.frames;
    if (!(changed || n <= 16 || (n & (n - 1)) === 0)) return;
    if (l.marks.length >= MAX_MARKS) {
      l.truncated = true;
      if (!changed) return;
      // Make room for a change: drop the latest ordinary mark.
      const i = l.marks.length - 1 - [...l.marks].reverse().findIndex((m) => m[3] === 'request' || m[3] === 'ns');
      if (i >= l.marks.length) return;
      l.marks.splice(i, 1);
    }
    l.marks.push([e.ts, e.input, e.frame, kind, mac]);
  }

  private request(k: Key, ts: number): void {
    const p = this.pending.get(k);
    if (p === undefined) {
      this.pending.set(k, { ts, answered: false });
      if (this.pending.size > MAX_PENDING) {
        const first = this.pending.keys().next().value as Key;
        const old = this.pending.get(first)!;
        if (!old.answered) this.rates.unanswered[this.bucket(old.ts)]!++;
        this.pending.delete(first);
      }
      return;
    }
    if (!p.answered) this.rates.unanswered[this.bucket(p.ts)]!++;
    p.ts = ts;
    p.answered = false;
  }

  private reply(k: Key, ts: number): void {
    const p = this.pending.get(k);
    if (p === undefined || p.answered) return;
    p.answered = true;
    const d = ts - p.ts;
    if (d < 0 || d > MAX_LATENCY_S) return;
    let l = this.latency.get(k);
    if (l === undefined) {
      if (this.latency.size >= MAX_LATENCY_IPS) return;
      l = { count: 0, max: 0, samples: [] };
      this.latency.set(k, l);
    }
    l.count++;
    if (d > l.max) l.max = d;
    if (l.samples.length < LATENCY_SAMPLES) l.samples.push(d);
    else {
      const j = this.random() % l.count;
      if (j < LATENCY_SAMPLES) l.samples[j] = d;
    }
  }

  private random(): number {
    // xorshift32: deterministic reports for the same capture.
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}

const keyText = (k: Key): string => (typeof k === 'number' ? formatIPv4(k) : k);
