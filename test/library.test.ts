/**
 * The library as a user imports it (src/index.ts only): the README's
 * examples, reading frames and analyzing a capture into findings, bindings
 * and both reports.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyzeCaptures,
  ArpOp,
  NetKind,
  defaultConfig,
  formatJson,
  formatTerminal,
  JSON_SCHEMA_VERSION,
  openCaptures,
  parseCidr,
  parseMac,
  scanFrames,
  SEVERITIES,
  FramePrinter,
} from '../src/index.js';
import { repoRoot } from './corpus.js';

const incident = join(repoRoot, 'samples', 'incident.pcap');

describe('library API (src/index.ts)', () => {
  it('reads frames and prints the replies (the README example)', async () => {
    const reader = await openCaptures([incident]);
    const printer = new FramePrinter({ eflag: true, vflag: 0, tflag: 0, numbers: false, nano: false });
    const lines: string[] = [];
    await scanFrames(reader, (frame, record) => {
      if (frame.net === NetKind.Arp && frame.arp.op === ArpOp.REPLY) lines.push(printer.format(record, record.frame));
    });
    reader.close();
    expect(lines.length).toBe(36); // the replies the analysis summary counts below
    for (const l of lines) expect(l).toMatch(/Reply \S+ is-at [0-9a-f:]{17}, length 28\n$/);
  });

  it('analyzes a capture into findings with evidence, bindings and a summary (the README example)', async () => {
    const config = defaultConfig();
    config.subnets.push(parseCidr('192.0.2.0/24')!);
    config.virtualMacs.add(parseMac('02:00:5e:00:00:01'));
    const result = await analyzeCaptures([{ path: incident }], config);
    expect(result.summary.arp_replies).toBe(36);
    const conflict = result.findings.find((f) => f.kind === 'arp.conflict');
    expect(conflict).toMatchObject({ severity: 'critical', ip: '192.0.2.20', macs: ['02:00:00:02:00:0a', '02:00:00:02:00:0b'] });
    expect(conflict!.evidence[0]!.line).toMatch(/Reply 192\.0\.2\.20 is-at/);
    // Worst first.
    const ranks = result.findings.map((f) => SEVERITIES.indexOf(f.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const rows = [...result.bindings];
    expect(rows.length).toBe(result.bindings.length);
    expect(rows.find((b) => b.ip === '192.0.2.20')!.macs.map((m) => m.mac).sort()).toEqual(['02:00:00:02:00:0a', '02:00:00:02:00:0b']);

    const doc = JSON.parse(formatJson(result)) as { schema: number; findings: unknown[]; bindings: unknown[] };
    expect(doc.schema).toBe(JSON_SCHEMA_VERSION);
    expect(doc.findings).toHaveLength(result.findings.length);
    expect(doc.bindings).toHaveLength(rows.length);
    expect(formatTerminal(result, { color: false, maxBindings: 5 })).toContain('== CRITICAL (2) ==');
  });

  it('parses the user-facing address arguments, refusing what is not one', () => {
    expect(parseCidr('10.20.0.7/22')).toMatchObject({ text: '10.20.0.0/22', bits: 22 });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseMac('AA-BB-CC-DD-EE-FF')).toBe(0xaabbccddeeff);
    expect(parseMac('aa:bb:cc')).toBe(-1);
  });
});
