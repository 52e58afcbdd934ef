/**
 * LiveView: what the watch dashboard shows, kept across analysis windows.
 * The report's time series (TimelineCollector) is fed every ARP/ND event as it
 * arrives; findings come from the alerts; the binding table is merged from
 * each window's engine. Everything is bounded: findings, rows, and the
 * collector's own limits.
 *
 * snapshot() is the document the page embeds (the report's shape plus
 * findings and a summary); delta() is what changed since the previous
 * delta(), as idempotent upserts, so a page holding any state at or after
 * the previous delta is correct after applying it.
 */
import type { Binding, BindingTable } from '../analyze/bindings.js';
import type { DetectorFactory } from '../analyze/detector.js';
import type { ArpEvent, NdEvent } from '../analyze/events.js';
import { SEVERITIES, type Finding, type Severity } from '../analyze/finding.js';
import { TimelineCollector, type TimelineLane, type TimelineLatency } from '../analyze/timeline.js';
import { formatMac } from '../print/addr.js';
import type { ReportBand, ReportData, ReportRow } from '../report/timeline.js';
import type { Alert } from './alerts.js';

/** Findings the page lists (active ones are kept over cleared and one-shot ones). */
export const MAX_LIVE_FINDINGS = 500;
/** Binding rows kept: the most recently seen IPs. */
export const MAX_LIVE_ROWS = 5000;
const MAX_MACS = 16;
const LATENCY_RING = 64;
const MAX_BANDS = 200;
const BAND_KINDS = new Set(['arp.gratuitous-storm', 'arp.scan', 'arp.unanswered', 'nd.unanswered']);

export interface LiveFinding {
  /** kind|ip: the alert de-duplication key. */
  key: string;
  state: Alert['state'];
  /** When the alert was last raised, re-raised, cleared (epoch seconds). */
  updated: number;
  iface: string;
  finding: Finding;
}

export interface LiveSummary {
  ifaces: string[];
  window_s: number;
  started: number;
  now: number;
  frames: number;
  arp_frames: number;
  nd_frames: number;
  /** Findings listed, not cleared. */
  by_severity: Record<Severity, number>;
}

export interface DashboardData extends ReportData {
  live: true;
  seq: number;
  inputs: { file: string; vantage: string }[];
  findings: LiveFinding[];
  summary: LiveSummary;
}

export interface DashboardDelta {
  seq: number;
  summary?: LiveSummary;
  findings?: LiveFinding[];
  removed?: string[];
  /** Buckets from `from` on (all of them when the bucket width changed). */
  rates?: { from: number; bucket_s: number; x: number[]; rates: ReportData['rates'] };
  bands?: ReportBand[];
  /** Lanes that changed, and the order of all lanes. */
  lanes?: TimelineLane[];
  lane_order?: string[];
  latency?: TimelineLatency[];
  rows?: ReportRow[];
  rows_removed?: string[];
  rows_total?: number;
}

interface LiveItem<T> {
  value: T;
  /** this.version when last changed. */
  v: number;
}

interface Claim {
  first: number;
  last: number;
  count: number;
}

interface LiveBinding {
  ip: string;
  family: 4 | 6;
  macs: Map<number, Claim>;
  first: number;
  last: number;
  requests: number;
  replies: number;
  gratuitous: number;
  /** The latest LATENCY_RING reply times, seconds. */
  lat: number[];
  latNext: number;
  latMax: number;
  v: number;
}

export class LiveView {
  readonly timeline: TimelineCollector;
  private readonly findings = new Map<string, LiveItem<LiveFinding>>();
  private readonly rows = new Map<string, LiveBinding>();
  private removedFindings: string[] = [];
  private removedRows: string[] = [];
  private version = 0;
  /** this.version at the last delta(). */
  private published = 0;
  private seqNo = 0;
  private counts = { frames: 0, arp: 0, nd: 0 };
  private readonly started = Date.now() / 1000;
  /** What the last delta carried, to find what changed since. */
  private sent = { t0: null as number | null, bucket: 0, buckets: 0, bands: '', lanes: new Map<string, string>(), order: '', latency: '' };

  constructor(
    private readonly ifaces: string[],
    private readonly windowS: number,
    slowMs: number,
    private readonly vendor: (mac: number) => string | null,
  ) {
    this.timeline = new TimelineCollector(slowMs);
  }

  /** The sequence number of the latest delta (0 before the first). */
  get seq(): number {
    return this.seqNo;
  }

  /** A detector for each window's engine: it only forwards events to the run-long collector. */
  readonly detector: DetectorFactory = () => ({
    kind: 'live-view',
    onArp: (e: ArpEvent) => {
      this.counts.frames++;
      this.counts.arp++;
      this.timeline.onArp(e);
    },
    onNd: (e: NdEvent) => {
      this.counts.frames++;
      this.counts.nd++;
      this.timeline.onNd(e);
    },
    finish: () => undefined,
  });

  onAlerts(alerts: readonly Alert[]): void {
    for (const a of alerts) {
      const key = `${a.finding.kind}|${a.finding.ip}`;
      this.findings.delete(key); // re-inserted last: Map order is the age order eviction uses
      this.findings.set(key, { value: { key, state: a.state, updated: a.ts, iface: a.iface, finding: a.finding }, v: ++this.version });
    }
    while (this.findings.size > MAX_LIVE_FINDINGS) {
      // The oldest cleared or one-shot finding goes first; only then the oldest raised one.
      let victim: string | undefined;
      for (const [k, it] of this.findings) {
        if (it.value.state !== 'raised') {
          victim = k;
          break;
        }
      }
      victim ??= this.findings.keys().next().value as string;
      this.findings.delete(victim);
      this.removedFindings.push(victim);
    }
  }

  /** A window's findings, still active: the alert de-duplication sends only changes, the page shows the latest. */
  onActive(active: readonly Finding[]): void {
    for (const f of active) {
      const it = this.findings.get(`${f.kind}|${f.ip}`);
      if (it && it.value.state === 'raised' && it.value.finding !== f) {
        it.value = { ...it.value, finding: f };
        it.v = ++this.version;
      }
    }
  }

  /** Merges a closed window's binding table into the run-long rows. */
  onWindow(t: BindingTable): void {
    for (const b of t.all(4)) this.merge(b, 4);
    for (const b of t.all(6)) this.merge(b, 6);
    while (this.rows.size > MAX_LIVE_ROWS) {
      const ip = this.rows.keys().next().value as string;
      this.rows.delete(ip);
      this.removedRows.push(ip);
    }
  }

  private merge(b: Binding, family: 4 | 6): void {
    let r = this.rows.get(b.key);
    if (r === undefined) {
      r = { ip: b.key, family, macs: new Map(), first: Infinity, last: -Infinity, requests: 0, replies: 0, gratuitous: 0, lat: [], latNext: 0, latMax: 0, v: 0 };
    } else this.rows.delete(b.key); // most recently seen last
    this.rows.set(b.key, r);
    for (const c of b.macs) {
      const m = r.macs.get(c.mac);
      if (m) {
        m.last = Math.max(m.last, c.last);
        m.count += c.count;
      } else if (r.macs.size < MAX_MACS) r.macs.set(c.mac, { first: c.first, last: c.last, count: c.count });
    }
    r.first = Math.min(r.first, b.first);
    r.last = Math.max(r.last, b.last);
    r.requests += b.requests;
    r.replies += b.replies;
    r.gratuitous += b.gratuitous;
    for (const s of b.latencies) {
      if (r.lat.length < LATENCY_RING) r.lat.push(s);
      else r.lat[r.latNext] = s;
      r.latNext = (r.latNext + 1) % LATENCY_RING;
    }
    if (b.latencyMax > r.latMax) r.latMax = b.latencyMax;
    r.v = ++this.version;
  }

  private row(r: LiveBinding): ReportRow {
    const macs = [...r.macs.keys()];
    const sorted = [...r.lat].sort((a, b) => a - b);
    const ms = (s: number): number => Math.round(s * 1e6) / 1e3;
    return {
      ip: r.ip,
      family: r.family,
      macs: macs.map(formatMac).join(' '),
      vendors: [...new Set(macs.map((m) => this.vendor(m) ?? ''))].filter((v) => v !== '').join(', '),
      requests: r.requests,
      replies: r.replies,
      gratuitous: r.gratuitous,
      p50: sorted.length ? ms(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length / 2))]!) : null,
      max: sorted.length ? ms(r.latMax) : null,
      first: Number.isFinite(r.first) ? r.first : null,
      last: Number.isFinite(r.last) ? r.last : null,
    };
  }

  private summary(): LiveSummary {
    const by = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const it of this.findings.values()) if (it.value.state !== 'cleared') by[it.value.finding.severity]++;
    return {
      ifaces: this.ifaces,
      window_s: this.windowS,
      started: this.started,
      now: Date.now() / 1000,
      frames: this.counts.frames,
      arp_frames: this.counts.arp,
      nd_frames: this.counts.nd,
      by_severity: by,
    };
  }

  private series(): { t: ReturnType<TimelineCollector['data']>; x: number[]; bands: ReportBand[] } {
    const active = [...this.findings.values()].map((it) => it.value).filter((f) => f.state !== 'cleared');
    const t = this.timeline.data(active.flatMap((f) => f.finding.ips));
    const x: number[] = [];
    if (t.t0 !== null) for (let i = 0; i < t.rates.requests.length; i++) x.push(t.t0 + i * t.bucket_s);
    const bands = active
      .filter((f) => BAND_KINDS.has(f.finding.kind))
      .sort((a, b) => Number(b.finding.kind === 'arp.gratuitous-storm') - Number(a.finding.kind === 'arp.gratuitous-storm'))
      .slice(0, MAX_BANDS)
      .map(({ finding: f }) => ({ kind: f.kind, severity: f.severity, ip: f.ip, from: f.first_ts, to: f.last_ts }));
    return { t, x, bands };
  }

  snapshot(): DashboardData {
    const { t, x, bands } = this.series();
    const rows = [...this.rows.values()].reverse().map((r) => this.row(r));
    return {
      live: true,
      seq: this.seqNo,
      inputs: this.ifaces.map((i) => ({ file: i, vantage: i })),
      x,
      bucket_s: t.bucket_s,
      rates: t.rates,
      bands,
      lanes: t.lanes,
      latency: t.latency,
      slow_ms: t.slow_ms,
      rows,
      rows_total: rows.length,
      findings: [...this.findings.values()].map((it) => it.value),
      summary: this.summary(),
    };
  }

  /** What changed since the previous call (null: nothing); advances the sequence number. */
  delta(): DashboardDelta | null {
    const since = this.published;
    const d: Omit<DashboardDelta, 'seq'> = {};
    const findings = [...this.findings.values()].filter((it) => it.v > since).map((it) => it.value);
    if (findings.length) d.findings = findings;
    if (this.removedFindings.length) d.removed = this.removedFindings;
    const rows = [...this.rows.values()].filter((r) => r.v > since).map((r) => this.row(r));
    if (rows.length) d.rows = rows;
    if (this.removedRows.length) d.rows_removed = this.removedRows;
    if (rows.length || this.removedRows.length) d.rows_total = this.rows.size;
    this.removedFindings = [];
    this.removedRows = [];

    const { t, x, bands } = this.series();
    const s = this.sent;
    const from = t.t0 === s.t0 && t.bucket_s === s.bucket ? this.firstChange(t.rates, x.length) : 0;
    if (from < x.length || x.length !== s.buckets) {
      // Unanswered requests are counted in the bucket of the request, so an older bucket can change too.
      const slice = (a: number[]): number[] => a.slice(from);
      d.rates = {
        from,
        bucket_s: t.bucket_s,
        x: slice(x),
        rates: { requests: slice(t.rates.requests), replies: slice(t.rates.replies), gratuitous: slice(t.rates.gratuitous), unanswered: slice(t.rates.unanswered), nd: slice(t.rates.nd) },
      };
      s.t0 = t.t0;
      s.bucket = t.bucket_s;
      s.buckets = x.length;
      this.lastRates = t.rates;
    }
    const bandsText = JSON.stringify(bands);
    if (bandsText !== s.bands) {
      d.bands = bands;
      s.bands = bandsText;
    }
    const order = t.lanes.map((l) => l.ip);
    const changed = t.lanes.filter((l) => s.lanes.get(l.ip) !== laneSig(l));
    if (changed.length || order.join(' ') !== s.order) {
      d.lanes = changed;
      d.lane_order = order;
      s.order = order.join(' ');
      s.lanes = new Map(t.lanes.map((l) => [l.ip, laneSig(l)]));
    }
    const latText = t.latency.map((l) => `${l.ip}/${l.count}`).join(' ');
    if (latText !== s.latency) {
      d.latency = t.latency;
      s.latency = latText;
    }
    this.published = this.version;
    if (Object.keys(d).length === 0) return null;
    const summary = this.summary();
    d.summary = summary;
    return { seq: ++this.seqNo, ...d };
  }

  /** The rates the previous delta carried (data() returns copies). */
  private lastRates: ReportData['rates'] | null = null;

  /** The first bucket that differs from what was sent (n: none). */
  private firstChange(r: ReportData['rates'], n: number): number {
    const p = this.lastRates;
    if (!p) return 0;
    for (let i = 0; i < n; i++) {
      if (p.requests[i] !== r.requests[i] || p.replies[i] !== r.replies[i] || p.gratuitous[i] !== r.gratuitous[i] || p.unanswered[i] !== r.unanswered[i] || p.nd[i] !== r.nd[i]) return i;
    }
    return n;
  }
}

const laneSig = (l: TimelineLane): string => `${l.frames}/${l.segments.length}/${l.marks.length}/${l.truncated}`;
