/**
 * docs/analyze-json.md against what analyze writes: every finding kind is
 * in its list, and every `details` key a finding carries is in the table
 * for its kind (on the scenario captures, the samples, a folded run, two
 * vantages, and the corpus when present).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures, type AnalyzeInput } from '../src/analyze/analyze.js';
import { defaultConfig } from '../src/analyze/config.js';
import { corpusCaptures, corpusDir, haveCorpus, repoRoot } from './corpus.js';

const doc = readFileSync(join(repoRoot, 'docs', 'analyze-json.md'), 'utf8');

/** kind -> the backticked keys in its row of the details table. */
function documentedDetails(): Map<string, Set<string>> {
  const table = doc.slice(doc.indexOf('## `details` by kind'), doc.indexOf('## Binding'));
  const rows = new Map<string, Set<string>>();
  for (const line of table.split('\n')) {
    const m = /^\| `([a-z0-9.-]+)` \| (.*) \|$/.exec(line);
    if (m) rows.set(m[1]!, new Set([...m[2]!.matchAll(/`([a-z0-9_]+)`/g)].map((x) => x[1]!)));
  }
  return rows;
}

const FOLD_KEYS = ['folded', 'listed', 'top', 'macs_not_listed'];

describe('docs/analyze-json.md', () => {
  it('lists every details key of every finding analyze makes', async () => {
    const rows = documentedDetails();
    expect(rows.size).toBe(19);
    const scenarios = join(repoRoot, 'test', 'fixtures', 'scenarios');
    const runs: { inputs: AnalyzeInput[]; maxPerKind?: number }[] = [
      ...readdirSync(scenarios).filter((f) => f.endsWith('.pcap')).map((f) => ({ inputs: [{ path: join(scenarios, f) }] })),
      { inputs: [{ path: join(repoRoot, 'samples', 'incident.pcap') }] },
      { inputs: [{ path: join(scenarios, 'arp-scan.pcap') }], maxPerKind: 1 },
      { inputs: [{ path: join(scenarios, 'arp-conflict.pcap'), vantage: 'client' }, { path: join(repoRoot, 'test', 'fixtures', 'vantage-server-hole.pcap'), vantage: 'server' }] },
      ...(haveCorpus ? corpusCaptures().map((f) => ({ inputs: [{ path: join(corpusDir, f) }] })) : []),
    ];
    const missing = new Set<string>();
    const kinds = new Set<string>();
    for (const run of runs) {
      const config = defaultConfig();
      if (run.maxPerKind !== undefined) config.maxPerKind = run.maxPerKind;
      const r = await analyzeCaptures(run.inputs, config);
      for (const f of r.findings) {
        kinds.add(f.kind);
        const listed = rows.get(f.kind);
        if (!listed) missing.add(`${f.kind} (no row)`);
        const folded = f.details !== undefined && 'folded' in f.details;
        for (const k of Object.keys(f.details ?? {})) if (!(folded ? FOLD_KEYS.includes(k) : listed?.has(k))) missing.add(`${f.kind}.${k}`);
      }
    }
    expect([...missing]).toEqual([]);
    // Each documented kind was seen at least once, so the table is checked, not merely parsed
    // (nd.spoof only on the corpus: no namespace scenario forges an NA).
    expect([...rows.keys()].filter((k) => !kinds.has(k))).toEqual(haveCorpus ? [] : ['nd.spoof']);
    for (const k of kinds) expect(doc, k).toContain(`\`${k}\``);
  }, 120_000);
});
