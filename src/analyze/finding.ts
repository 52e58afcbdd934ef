/**
 * Findings: what is wrong, for which addresses, why it matters, the likely
 * causes, what to run next, and the frames that prove it. The JSON form is
 * documented in docs/analyze-json.md and kept stable.
 */
import type { FrameRef } from './events.js';

export type Severity = 'critical' | 'warning' | 'notice' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'notice', 'info'];
export const severityRank = (s: Severity): number => 3 - SEVERITIES.indexOf(s);

export interface Evidence {
  file: string;
  frame: number;
  ts: number;
  line: string;
  vantage?: string;
}

export interface Finding {
  kind: string;
  severity: Severity;
  /** The main address (IPv4 dotted, IPv6 RFC 5952). */
  ip: string;
  ips: string[];
  macs: string[];
  first_ts: number;
  last_ts: number;
  count: number;
  title: string;
  explanation: string;
  causes: string[];
  next_steps: string[];
  evidence: Evidence[];
  /** Which vantage points saw it (several inputs). */
  vantages?: string[];
  /** Kind-specific measurements (latencies, rates, counts). */
  details?: Record<string, unknown>;
}

/** A finding as a detector emits it: evidence as frame references, resolved to lines by the engine. */
export interface FindingDraft extends Omit<Finding, 'evidence' | 'vantages'> {
  refs: FrameRef[];
}

/** Keeps up to `max` frame references: the first ones and the most recent ones. */
export class RefSample {
  readonly first: FrameRef[] = [];
  readonly last: FrameRef[] = [];
  count = 0;
  constructor(private readonly max = 6) {}
  add(r: FrameRef): void {
    this.count++;
    const ref = { input: r.input, frame: r.frame, ts: r.ts };
    const half = this.max >> 1;
    if (this.first.length < half) this.first.push(ref);
    else {
      this.last.push(ref);
      if (this.last.length > this.max - half) this.last.shift();
    }
  }
  clear(): void {
    this.first.length = 0;
    this.last.length = 0;
    this.count = 0;
  }
  refs(): FrameRef[] {
    return [...this.first, ...this.last];
  }
}
