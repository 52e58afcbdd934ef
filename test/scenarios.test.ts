/**
 * Every finding kind on a capture of real kernel traffic made in network
 * namespaces (scripts/scenarios/generate.sh), and healthy captures that
 * must raise no warning. The expectations live in the fixtures' manifest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../src/analyze/analyze.js';
import { defaultConfig } from '../src/analyze/config.js';
import { severityRank, type Severity } from '../src/analyze/finding.js';
import { repoRoot } from './corpus.js';

interface Scenario {
  name: string;
  description: string;
  expect: { kind: string; ip: string; macs: string[] }[];
  forbid_severity_at_or_above: Severity | null;
}

const dir = join(repoRoot, 'test', 'fixtures', 'scenarios');
const scenarios = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Scenario[];

describe('analyze: kernel-generated scenarios', () => {
  it('covers every finding kind', () => {
    const kinds = new Set(scenarios.flatMap((s) => s.expect.map((e) => e.kind)));
    expect(kinds.size).toBe(17);
  });
  for (const s of scenarios) {
    it(`${s.name}: ${s.description.slice(0, 80)}`, async () => {
      const r = await analyzeCaptures([{ path: join(dir, `${s.name}.pcap`) }], defaultConfig());
      const summary = r.findings.map((f) => `${f.severity} ${f.kind} ${f.ip} [${f.macs.join(' ')}]`);
      for (const e of s.expect) {
        // One finding may cover several addresses (a proxy or a virtual MAC answering for many): the expected one is its subject or among its ips.
        const hit = r.findings.find((f) => f.kind === e.kind && (f.ip === e.ip || f.ips.includes(e.ip)));
        expect(hit, `${e.kind} for ${e.ip}; got:\n${summary.join('\n')}`).toBeDefined();
        for (const mac of e.macs) expect(hit!.macs).toContain(mac);
        expect(hit!.evidence.length).toBeGreaterThan(0);
        // The finding's time span is the span of its evidence: no epoch-zero placeholders.
        expect(hit!.first_ts).toBeGreaterThanOrEqual(Math.min(...hit!.evidence.map((x) => x.ts)) - 10);
        expect(hit!.first_ts).toBeGreaterThan(1e9);
        for (const ev of hit!.evidence) expect(ev.line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /);
      }
      if (s.forbid_severity_at_or_above) {
        const limit = severityRank(s.forbid_severity_at_or_above);
        const loud = r.findings.filter((f) => severityRank(f.severity) >= limit);
        expect(loud.map((f) => `${f.severity} ${f.kind} ${f.ip}`)).toEqual([]);
      }
    });
  }
});
