import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../analyze/analyze.js';
import { BindingList } from '../analyze/bindings.js';
import { defaultConfig } from '../analyze/config.js';
import { repoRoot } from '../../test/corpus.js';
import { formatJson, JSON_SCHEMA_VERSION } from './json.js';

describe('--json document', () => {
  it('is laid out exactly as JSON.stringify(doc, null, 2), written in pieces', async () => {
    const r = await analyzeCaptures([{ path: join(repoRoot, 'samples', 'incident.pcap') }], defaultConfig());
    const doc = { schema: JSON_SCHEMA_VERSION, findings: r.findings, bindings: r.bindings, summary: r.summary };
    expect(formatJson(r)).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(formatJson({ ...r, findings: [], bindings: BindingList.of([]) })).toBe(JSON.stringify({ ...doc, findings: [], bindings: [] }, null, 2) + '\n');
  });
});
