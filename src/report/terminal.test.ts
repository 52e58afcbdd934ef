/**
 * The human report of the bundled incident capture: the sections in
 * severity order, a finding's lines, colors only when asked, the binding
 * table and its limit.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/corpus.js';
import { analyzeCaptures, type AnalysisResult } from '../analyze/analyze.js';
import { defaultConfig } from '../analyze/config.js';
import { formatTerminal } from './terminal.js';

let result: AnalysisResult;
beforeAll(async () => {
  result = await analyzeCaptures([{ path: join(repoRoot, 'samples', 'incident.pcap') }], defaultConfig());
});

const plain = (maxBindings = 20): string[] => formatTerminal(result, { color: false, maxBindings }).split('\n');

describe('formatTerminal', () => {
  it('groups findings under their severity, worst first, with the counts in the header', () => {
    const lines = plain();
    const sections = lines.filter((l) => l.startsWith('== '));
    const expected = (['critical', 'warning', 'notice', 'info'] as const)
      .filter((s) => result.summary.findings_by_severity[s] > 0)
      .map((s) => `== ${s.toUpperCase()} (${result.summary.findings_by_severity[s]}) ==`);
    expect(sections).toEqual([...expected, `== BINDINGS (${result.bindings.length} addresses) ==`]);
    const bySeverity = result.summary.findings_by_severity;
    expect(lines[1]).toBe(`Findings: ${bySeverity.critical} critical, ${bySeverity.warning} warning, ${bySeverity.notice} notice, ${bySeverity.info} info`);
  });

  it('gives each finding its addresses, time span, causes, commands and evidence frames', () => {
    const text = plain().join('\n');
    for (const f of result.findings) {
      const at = text.indexOf(`[${f.severity}] ${f.title}  ${f.kind}`);
      expect(at, f.title).toBeGreaterThanOrEqual(0);
      const block = text.slice(at, text.indexOf('\n\n', at) === -1 ? undefined : text.indexOf('\n\n', at));
      expect(block).toContain(`\n  ip: ${f.ip}`);
      expect(block).toContain('\n  likely causes:\n    - ');
      for (const step of f.next_steps) expect(block).toContain(`\n    $ ${step}`);
      for (const e of f.evidence) expect(block).toContain(`\n    #${e.frame} ${e.line}`);
    }
  });

  it('counts in its header, singular for one', () => {
    const s = result.summary;
    expect(plain()[0]).toBe(
      `arpscope analyze: ${join(repoRoot, 'samples', 'incident.pcap')}: ${s.frames_analyzed} ARP/ND frames (${s.arp_requests} requests, ` +
        `${s.arp_replies} replies, ${s.gratuitous} gratuitous, ${s.nd_frames} ND), ${s.ips} addresses, 2026-12-02 12:54:06.493 .. 2026-12-02 12:56:40.880 UTC`,
    );
    const one = { ...result, summary: { ...s, frames_analyzed: 1, arp_requests: 1, arp_replies: 1, ips: 1 } };
    expect(formatTerminal(one, { color: false, maxBindings: 0 }).split('\n')[0]).toContain(': 1 ARP/ND frame (1 request, 1 reply, ');
    expect(formatTerminal(one, { color: false, maxBindings: 0 }).split('\n')[0]).toContain(' ND), 1 address, ');
  });

  it('says "once" for a finding of one frame, and a span with a count otherwise', () => {
    const lines = plain();
    const single = result.findings.find((f) => f.count === 1 && f.first_ts === f.last_ts);
    const many = result.findings.find((f) => f.count > 1 && f.first_ts !== f.last_ts);
    expect(single, 'incident.pcap has a one-frame finding').toBeDefined();
    expect(many).toBeDefined();
    const when = (f: typeof single): string => lines[lines.indexOf(lines.find((l) => l.endsWith(`  ${f!.kind}`) && l.includes(f!.title))!) + 3]!;
    expect(when(single)).toMatch(/^ {2}when: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC, once$/);
    expect(when(many)).toMatch(new RegExp(`^ {2}when: \\S+ \\S+ \\.\\. \\S+ \\S+ UTC, ${many!.count} times$`));
  });

  it('colors only when asked', () => {
    expect(plain().join('\n')).not.toContain('\x1b[');
    const colored = formatTerminal(result, { color: true, maxBindings: 20 });
    expect(colored).toContain('\x1b[1;31m[critical]\x1b[0m');
  });

  it('shows the most active bindings up to the limit, and none with 0', () => {
    const header = (n: number): string | undefined => plain(n).find((l) => l.startsWith('== BINDINGS'));
    expect(header(3)).toBe(`== BINDINGS (${result.bindings.length} addresses, 3 most active shown) ==`);
    const lines = plain(3);
    const table = lines.slice(lines.indexOf(header(3)!) + 1).filter((l) => l.trim() !== '');
    expect(table[0]).toMatch(/^ {2}IP +MAC +VENDOR +FIRST SEEN +LAST SEEN +REQ +REPL +P50 MS +P99 MS$/);
    // A row per MAC; the IP only on an address's first row.
    expect(table.slice(1).filter((l) => !l.startsWith('   ')).length).toBe(3);
    expect(header(0)).toBeUndefined();
  });
});
