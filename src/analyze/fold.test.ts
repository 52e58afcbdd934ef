import { describe, expect, it } from 'vitest';
import type { FindingDraft } from './finding.js';
import { FindingFolder } from './fold.js';

const draft = (i: number, count: number, kind = 'arp.unanswered'): FindingDraft => ({
  kind, severity: 'warning', ip: `10.0.${i >> 8}.${i & 255}`, ips: [`10.0.${i >> 8}.${i & 255}`], macs: [`02:00:00:00:00:${(i % 200).toString(16).padStart(2, '0')}`],
  first_ts: 1000 + i, last_ts: 2000 + i, count, title: `t${i}`, explanation: '', causes: ['c'], next_steps: [`arping ${i}`],
  refs: [{ input: 0, frame: i + 1, ts: 1000 + i }],
});

describe('FindingFolder', () => {
  it('keeps the strongest per kind and folds the rest into one summary naming every address', () => {
    const f = new FindingFolder(10);
    for (let i = 0; i < 250; i++) f.add(draft(i, i % 37));
    f.add(draft(0, 5, 'arp.conflict'));
    const out = f.drafts();
    const un = out.filter((d) => d.kind === 'arp.unanswered');
    expect(un).toHaveLength(11);
    const summary = un.find((d) => d.details?.['folded'] !== undefined)!;
    const kept = un.filter((d) => d !== summary);
    // Counts 0..36 repeat: 36 six times, then 35 (the earliest first on ties).
    expect(kept.map((d) => d.count)).toEqual([36, 36, 36, 36, 36, 36, 35, 35, 35, 35]);
    expect(kept.filter((d) => d.count === 35).map((d) => d.first_ts)).toEqual([1035, 1072, 1109, 1146]);
    expect(summary.details!['folded']).toBe(240);
    expect(summary.ips).toHaveLength(240);
    expect(new Set([...summary.ips, ...kept.map((d) => d.ip)]).size).toBe(250);
    expect(summary.count + kept.reduce((s, d) => s + d.count, 0)).toBe([...Array(250).keys()].reduce((s, i) => s + (i % 37), 0));
    expect(summary.first_ts).toBeLessThanOrEqual(1000 + 10);
    // Its evidence is that of the strongest folded finding.
    expect(summary.refs).toEqual(expect.arrayContaining([expect.objectContaining({ frame: expect.any(Number) })]));
    expect(summary.title).toMatch(/^240 more arp.unanswered findings folded into one/);
    expect(out.filter((d) => d.kind === 'arp.conflict')).toHaveLength(1);
  });

  it('keeps everything with 0, and the emission order when under the limit', () => {
    const all = new FindingFolder(0);
    for (let i = 0; i < 500; i++) all.add(draft(i, 1));
    expect(all.drafts()).toHaveLength(500);
    const few = new FindingFolder(100);
    for (let i = 0; i < 5; i++) few.add(draft(i, i));
    expect(few.drafts().map((d) => d.count)).toEqual([0, 1, 2, 3, 4]);
  });

  it('makes offered drafts only for those it keeps and the lead of the summary, with the same result as emitting them', () => {
    const built: number[] = [];
    const lazy = new FindingFolder(10);
    const eager = new FindingFolder(10);
    for (let i = 0; i < 250; i++) {
      const d = draft(i, i % 37);
      const { kind, severity, ip, ips, macs, first_ts, last_ts, count } = d;
      lazy.offer({ kind, severity, ip, ips, macs, first_ts, last_ts, count }, () => {
        built.push(i);
        return d;
      });
      eager.add(draft(i, i % 37));
    }
    expect(built).toEqual([]);
    const out = lazy.drafts();
    expect(out).toEqual(eager.drafts());
    // 10 kept and the strongest folded one (count 35, the 5th in time) whose text and evidence the summary shows.
    expect(built).toHaveLength(11);
    expect(built).toContain(183);
  });
});
