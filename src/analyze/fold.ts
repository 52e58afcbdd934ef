/**
 * Folding: at most `max` findings of one kind and severity are kept one by
 * one, the strongest (most frames, then earliest); the rest become a single
 * summary finding of the same kind that names every folded address. On a
 * big flat segment a dead /16 yields tens of thousands of arp.unanswered
 * findings: nobody reads them one by one, and keeping them all as objects
 * made memory grow with the size of the problem instead of staying bounded.
 *
 * Folding happens as drafts are emitted: a folded draft leaves only its
 * addresses, counts and times behind, and is garbage at once. A detector
 * that may report tens of thousands offers each one's head (addresses,
 * counts, times) with a function that makes the rest, which runs only for
 * the findings kept one by one and the lead of each summary.
 */
import type { FrameRef } from './events.js';
import type { DraftHead, FindingDraft, Severity } from './finding.js';

/** Default per kind and severity (--max-per-kind). */
export const DEFAULT_MAX_PER_KIND = 100;
/** Bounds on what the summary lists. */
const MAX_FOLDED_IPS = 1 << 20;
const MAX_FOLDED_MACS = 1024;
const TOP_LISTED = 20;

/** A draft, or the head of one not made yet (ctx.offer): made only if it is kept or leads a summary. */
interface Entry {
  head: DraftHead;
  draft: FindingDraft | null;
  build: (() => FindingDraft) | null;
}

const made = (e: Entry): FindingDraft => {
  if (e.draft === null) {
    e.draft = e.build!();
    e.build = null;
  }
  return e.draft;
};

interface Folded {
  n: number;
  count: number;
  first: number;
  last: number;
  ips: Set<string>;
  macs: Set<string>;
  macsDropped: number;
  /** (ip, count) of every folded finding, for the top list. */
  mains: string[];
  counts: number[];
  /** The strongest folded one: its evidence, causes and next steps speak for the rest. */
  lead: Entry;
}

interface Group {
  kind: string;
  severity: Severity;
  kept: Entry[];
  folded: Folded | null;
}

const stronger = (a: DraftHead, b: DraftHead): number => b.count - a.count || a.first_ts - b.first_ts || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
const strongerEntry = (a: Entry, b: Entry): number => stronger(a.head, b.head);

export class FindingFolder {
  private readonly groups = new Map<string, Group>();

  /** `max` 0 keeps everything. */
  constructor(private readonly max: number) {}

  add(d: FindingDraft): void {
    this.push({ head: d, draft: d, build: null });
  }

  /** A draft made by `build` only if it is kept or leads its summary. */
  offer(head: DraftHead, build: () => FindingDraft): void {
    this.push({ head, draft: null, build });
  }

  private push(e: Entry): void {
    const k = `${e.head.kind} ${e.head.severity}`;
    let g = this.groups.get(k);
    if (g === undefined) {
      g = { kind: e.head.kind, severity: e.head.severity, kept: [], folded: null };
      this.groups.set(k, g);
    }
    g.kept.push(e);
    // Sorting only when twice over the limit keeps adding amortized O(log n).
    if (this.max > 0 && g.kept.length >= 2 * this.max) this.trim(g);
  }

  /** Everything kept, then one summary per group that folded some. */
  drafts(): FindingDraft[] {
    const out: FindingDraft[] = [];
    for (const g of this.groups.values()) {
      if (this.max > 0 && g.kept.length > this.max) this.trim(g);
      for (const e of g.kept) out.push(made(e));
      if (g.folded !== null) out.push(summary(g, g.folded, this.max));
    }
    return out;
  }

  private trim(g: Group): void {
    g.kept.sort(strongerEntry);
    for (let i = this.max; i < g.kept.length; i++) g.folded = fold(g.folded, g.kept[i]!);
    g.kept.length = this.max;
  }
}

function fold(f: Folded | null, e: Entry): Folded {
  const d = e.head;
  if (f === null) {
    f = { n: 0, count: 0, first: d.first_ts, last: d.last_ts, ips: new Set(), macs: new Set(), macsDropped: 0, mains: [], counts: [], lead: e };
  } else if (stronger(d, f.lead.head) < 0) f.lead = e;
  f.n++;
  f.count += d.count;
  if (d.first_ts < f.first) f.first = d.first_ts;
  if (d.last_ts > f.last) f.last = d.last_ts;
  for (const ip of d.ips) if (f.ips.size < MAX_FOLDED_IPS) f.ips.add(ip);
  for (const m of d.macs) {
    if (f.macs.size < MAX_FOLDED_MACS) f.macs.add(m);
    else if (!f.macs.has(m)) f.macsDropped++;
  }
  f.mains.push(d.ip);
  f.counts.push(d.count);
  return f;
}

function summary(g: Group, f: Folded, max: number): FindingDraft {
  const order = f.mains.map((_, i) => i).sort((a, b) => f.counts[b]! - f.counts[a]! || (f.mains[a]! < f.mains[b]! ? -1 : 1));
  const top = order.slice(0, TOP_LISTED).map((i) => ({ ip: f.mains[i]!, count: f.counts[i]! }));
  const named = top.slice(0, 3).map((t) => t.ip).join(', ');
  const lead = made(f.lead);
  const refs: FrameRef[] = lead.refs;
  const ips = [lead.ip];
  for (const ip of f.ips) if (ip !== lead.ip) ips.push(ip);
  return {
    kind: g.kind,
    severity: g.severity,
    ip: lead.ip,
    ips,
    macs: [...f.macs].sort(),
    first_ts: f.first,
    last_ts: f.last,
    count: f.count,
    title: `${f.n} more ${g.kind} findings folded into one: ${named}${f.n > 3 ? ` and ${f.n - 3} more` : ''}`,
    explanation:
      `Beyond the ${max} strongest ${g.kind} findings listed one by one, ${f.n} more of the same kind and severity ` +
      `(${f.count} frames in all) are folded into this one so the report stays readable. Each reads like the ` +
      `strongest of them, shown as evidence: "${lead.title}". All their addresses are in ips; the binding table ` +
      'has each address\'s requests, replies and MACs.',
    causes: lead.causes,
    next_steps: [`arpscope analyze --max-per-kind 0 --json <capture> | jq '.findings[] | select(.kind == "${g.kind}") | .ip'`, ...lead.next_steps],
    refs,
    details: {
      folded: f.n,
      listed: max,
      top,
      ...(f.macsDropped > 0 ? { macs_not_listed: f.macsDropped } : {}),
    },
  };
}
