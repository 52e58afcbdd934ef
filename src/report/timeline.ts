/**
 * The data the HTML report's charts and table need, computed from an analysis:
 * rate series with their time axis, the bands to mark (storms and other timed
 * findings), binding lanes, latency samples, and a bounded binding table.
 */
import type { AnalysisResult } from '../analyze/analyze.js';
import type { TimelineLane, TimelineLatency } from '../analyze/timeline.js';

/** Rows of the binding table the page carries: IPs of findings first, then the busiest. */
export const MAX_TABLE_ROWS = 5000;
/** Periods marked on the rate chart: storms first. */
export const MAX_BANDS = 200;

export interface ReportBand {
  kind: string;
  severity: string;
  ip: string;
  from: number;
  to: number;
}

export interface ReportRow {
  ip: string;
  family: 4 | 6;
  macs: string;
  vendors: string;
  requests: number;
  replies: number;
  gratuitous: number;
  p50: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
}

export interface ReportData {
  /** Bucket start times (epoch seconds). */
  x: number[];
  bucket_s: number;
  rates: { requests: number[]; replies: number[]; gratuitous: number[]; unanswered: number[]; nd: number[] };
  bands: ReportBand[];
  lanes: TimelineLane[];
  latency: TimelineLatency[];
  slow_ms: number;
  rows: ReportRow[];
  rows_total: number;
}

export function reportData(r: AnalysisResult, slowMs?: number): ReportData {
  const t = r.timeline;
  const n = t ? t.rates.requests.length : 0;
  const x: number[] = [];
  if (t && t.t0 !== null) for (let i = 0; i < n; i++) x.push(t.t0 + i * t.bucket_s);
  const bands: ReportBand[] = r.findings
    .filter((f) => f.kind === 'arp.gratuitous-storm' || f.kind === 'arp.scan' || f.kind === 'arp.unanswered' || f.kind === 'nd.unanswered')
    .sort((a, b) => Number(b.kind === 'arp.gratuitous-storm') - Number(a.kind === 'arp.gratuitous-storm'))
    .slice(0, MAX_BANDS)
    .map((f) => ({ kind: f.kind, severity: f.severity, ip: f.ip, from: f.first_ts, to: f.last_ts }));
  const focus = new Set(r.findings.flatMap((f) => f.ips));
  const bindings = r.bindings.busiest(MAX_TABLE_ROWS, focus);
  const rows: ReportRow[] = bindings.map((b) => ({
    ip: b.ip,
    family: b.family,
    macs: b.macs.map((m) => m.mac).join(' '),
    vendors: [...new Set(b.macs.map((m) => m.vendor ?? ''))].filter((v) => v !== '').join(', '),
    requests: b.requests,
    replies: b.replies,
    gratuitous: b.gratuitous,
    p50: b.latency_ms?.p50 ?? null,
    max: b.latency_ms?.max ?? null,
    first: b.first_ts,
    last: b.last_ts,
  }));
  return {
    x,
    bucket_s: t?.bucket_s ?? 1,
    rates: t
      ? t.rates
      : { requests: [], replies: [], gratuitous: [], unanswered: [], nd: [] },
    bands,
    lanes: t?.lanes ?? [],
    latency: t?.latency ?? [],
    slow_ms: slowMs ?? t?.slow_ms ?? 100,
    rows,
    rows_total: r.bindings.length,
  };
}
