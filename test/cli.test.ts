/**
 * The CLI contract, through the built binary: exit codes, one-line errors
 * (never a stack trace), partial output before an input error, JSON shape.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './corpus.js';

const bin = join(repoRoot, 'bin', 'arpscope.js');
const scenarios = join(repoRoot, 'test', 'fixtures', 'scenarios');
const sample = join(repoRoot, 'samples', 'sample.pcap');

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, timeout: 30_000 });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

function noTrace(err: string): void {
  expect(err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(err.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('arpscope read', () => {
  it('prints the sample like tcpdump (or at least: 400 frames, timestamps, ARP lines)', () => {
    const r = run(['read', '-n', '-e', sample]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(400);
    expect(r.out).toMatch(/^00:00:00\.000184 f8:bc:12:38:91:b0 > 00:15:17:54:e9:82, ethertype ARP \(0x0806\), length 42: Request who-has 10\.128\.236\.181 \(00:15:17:54:e9:82\) tell 10\.128\.190\.134, length 28$/m);
  });

  it('reads a FIFO as it comes (no positioned reads on a pipe)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-fifo-'));
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', sample, fifo], { stdio: 'ignore' });
    const r = run(['read', '-n', '-e', fifo]);
    writer.kill();
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe(run(['read', '-n', '-e', sample]).out);
  });

  it('reads standard input, honours -c, -# and filters', () => {
    const r = run(['read', '-n', '-#', '-c', '3', '-', 'arp[6:2] = 2'], readFileSync(sample));
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ {4}1 {2}\S+ ARP, Reply /);
  });

  it('matches tcpdump when tcpdump is installed', () => {
    const have = spawnSync('tcpdump', ['--version']).status === 0;
    if (!have) return;
    const ours = run(['read', '-n', '-e', '-tttt', sample, 'arp and host 10.128.236.181']).out;
    const theirs = execFileSync('tcpdump', ['-n', '-e', '-tttt', '-r', sample, 'arp and host 10.128.236.181'], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(ours).toBe(theirs);
  });

  it('exits 2 with the token for a bad filter or option', () => {
    const r = run(['read', sample, 'arp and hots 10.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/hots/);
    noTrace(r.err);
    const o = run(['read', '--bogus', sample]);
    expect(o.code).toBe(2);
  });

  it('exits 3 for a missing file, and prints what it read before a truncation', () => {
    const m = run(['read', '/nonexistent.pcap']);
    expect(m.code).toBe(3);
    expect(m.err).toBe('arpscope: /nonexistent.pcap: cannot open: no such file\n');
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-cli-'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(sample).subarray(0, 1000));
    const r = run(['read', '-n', cut]);
    expect(r.code).toBe(3);
    expect(r.out.trim().split('\n').length).toBeGreaterThan(5);
    expect(r.err).toMatch(/^arpscope: .*cut\.pcap: input ends inside a record \(\d+ of \d+ bytes\) at byte offset \d+\n$/);
    noTrace(r.err);
  });
});

describe('arpscope analyze', () => {
  it('exits 1 on findings at or above --fail-on, 0 on healthy traffic', () => {
    expect(run(['analyze', join(scenarios, 'arp-conflict.pcap')]).code).toBe(1);
    expect(run(['analyze', '--fail-on', 'never', join(scenarios, 'arp-conflict.pcap')]).code).toBe(0);
    expect(run(['analyze', join(scenarios, 'healthy-ipv4.pcap')]).code).toBe(0);
  });

  it('writes one JSON document with findings, bindings and summary', () => {
    const r = run(['analyze', '--json', join(scenarios, 'arp-conflict.pcap')]);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe(1);
    const f = doc.findings.find((x: { kind: string }) => x.kind === 'arp.conflict');
    for (const k of ['kind', 'severity', 'ip', 'ips', 'macs', 'first_ts', 'last_ts', 'count', 'title', 'explanation', 'causes', 'next_steps', 'evidence']) expect(f).toHaveProperty(k);
    expect(f.macs).toEqual(['02:00:00:02:00:0a', '02:00:00:02:00:0b']);
    expect(f.evidence[0]).toMatchObject({ frame: expect.any(Number), line: expect.stringContaining('Reply 192.0.2.20 is-at') });
    expect(doc.bindings.find((b: { ip: string }) => b.ip === '192.0.2.20').macs).toHaveLength(2);
    expect(doc.summary.findings_by_severity.critical).toBeGreaterThanOrEqual(1);
  });

  it('folds findings beyond --max-per-kind into one that names every address', () => {
    const all = JSON.parse(run(['analyze', '--json', '--max-per-kind', '0', sample]).out);
    const conflicts = all.findings.filter((x: { kind: string }) => x.kind === 'arp.conflict');
    expect(conflicts.length).toBeGreaterThan(5);
    const doc = JSON.parse(run(['analyze', '--json', '--max-per-kind', '3', sample]).out);
    const folded = doc.findings.filter((x: { kind: string }) => x.kind === 'arp.conflict');
    expect(folded).toHaveLength(4);
    const summary = folded.find((x: { details: { folded?: number } }) => x.details.folded !== undefined);
    expect(summary.details.folded).toBe(conflicts.length - 3);
    expect(summary.evidence.length).toBeGreaterThan(0);
    const named = new Set([...summary.ips, ...folded.filter((x: unknown) => x !== summary).map((x: { ip: string }) => x.ip)]);
    for (const c of conflicts) expect(named.has(c.ip)).toBe(true);
    expect(run(['analyze', '--max-per-kind', '-1', sample]).code).toBe(2);
  });

  it('parses the options analyze and watch share the same way (one usage line, exit 2, nothing started)', () => {
    for (const [args, message] of [
      [['--max-per-kind', '1.5'], "invalid --max-per-kind '1.5'"],
      [['--subnet', '10.0.0.0/33'], "invalid --subnet '10.0.0.0/33'"],
      [['--slow-ms', '0'], "invalid value '0' for --slow-ms"],
      [['--virtual-mac', 'aa:bb'], "invalid --virtual-mac 'aa:bb'"],
    ] as const) {
      const a = run(['analyze', ...args, sample]);
      const w = run(['watch', '-i', 'lo', '--no-store', ...args]);
      for (const [cmd, r] of [['analyze', a], ['watch', w]] as const) {
        expect(r.code, `${cmd} ${args.join(' ')}`).toBe(2);
        expect(r.err).toContain(`${cmd}: ${message}`);
        noTrace(r.err);
      }
    }
  });

  it('gives the same document with half the detectors in a second thread (--threads 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-threads-'));
    const incident = readFileSync(join(repoRoot, 'samples', 'incident.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, incident.subarray(0, incident.length - 30)); // ends inside a record: exit 3, findings before it
    const files = [...readdirSync(scenarios).filter((f) => f.endsWith('.pcap')).map((f) => join(scenarios, f)), join(repoRoot, 'samples', 'incident.pcap'), cut];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const one = run(['analyze', '--json', '--fail-on', 'notice', '--threads', '1', f]);
      const two = run(['analyze', '--json', '--fail-on', 'notice', '--threads', '2', f]);
      expect(two.out, f).toBe(one.out);
      expect([two.code, two.err], f).toEqual([one.code, one.err]);
    }
    // Two vantage points merged, and standard input (spooled, then read by both threads).
    const vantages = ['--vantage', `client=${join(scenarios, 'arp-conflict.pcap')}`, '--vantage', `server=${join(repoRoot, 'test/fixtures/vantage-server-hole.pcap')}`];
    expect(run(['analyze', '--json', '--threads', '2', ...vantages]).out).toBe(run(['analyze', '--json', '--threads', '1', ...vantages]).out);
    expect(run(['analyze', '--json', '--threads', '2', '-'], incident).out).toBe(run(['analyze', '--json', '--threads', '1', '-'], incident).out);
    // The default (auto) keeps small captures in one thread: the same document again.
    expect(run(['analyze', '--json', sample]).out).toBe(run(['analyze', '--json', '--threads', '2', sample]).out);
    expect(run(['analyze', '--threads', '3', sample]).code).toBe(2);
  }, 120_000);

  it('reads a FIFO (`<(tcpdump -w - ...)`) once and still prints evidence lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-fifo-'));
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const file = join(repoRoot, 'samples', 'incident.pcap');
    // The writer is its own process: the analysis below blocks this one until the FIFO is drained.
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
    const viaFifo = JSON.parse(run(['analyze', '--json', fifo]).out);
    writer.kill();
    const direct = JSON.parse(run(['analyze', '--json', file]).out);
    const lines = (doc: { findings: { evidence: { frame: number; line: string }[] }[] }) => doc.findings.map((f) => f.evidence.map((e) => [e.frame, e.line]));
    expect(viaFifo.findings.length).toBeGreaterThan(3);
    expect(lines(viaFifo)).toEqual(lines(direct));
    expect(lines(viaFifo).flat().every(([, line]) => line !== '')).toBe(true);
  });

  it('reads stdin and still prints evidence lines', () => {
    const r = run(['analyze', '--json', '-'], readFileSync(join(scenarios, 'arp-unanswered.pcap')));
    const doc = JSON.parse(r.out);
    expect(doc.findings[0].kind).toBe('arp.unanswered');
    expect(doc.findings[0].evidence[0].line).toContain('Request who-has 192.0.2.99');
  });

  it('compares vantage points and reports frames one side never saw', () => {
    const r = run(['analyze', '--json', '--vantage', `client=${join(scenarios, 'arp-conflict.pcap')}`, '--vantage', `server=${join(repoRoot, 'test/fixtures/vantage-server-hole.pcap')}`]);
    const doc = JSON.parse(r.out);
    const gap = doc.findings.find((x: { kind: string }) => x.kind === 'capture.vantage-gap');
    expect(gap).toMatchObject({ ip: '192.0.2.20', details: { seen_at: 'client', missed_at: 'server' } });
    expect(gap.count).toBe(3); // round 2: the request and both replies
    expect(doc.findings.find((x: { kind: string }) => x.kind === 'arp.conflict').vantages).toEqual(['client', 'server']);
  });

  it('reports everything before a truncation, then the error line, exit 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-cli-'));
    const data = readFileSync(join(scenarios, 'arp-unanswered.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, data.subarray(0, data.length - 10));
    const r = run(['analyze', '--json', cut]);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.summary.input_error).toMatch(/cut\.pcap: input ends inside a record .* at byte offset \d+/);
    expect(doc.findings[0].kind).toBe('arp.unanswered');
    expect(r.err).toMatch(/^arpscope: .*cut\.pcap: input ends inside a record/);
    noTrace(r.err);
  });

  it('usage and input errors: exit 2 and 3, one line', () => {
    const u = run(['analyze', '--subnet', '10.0.0.0/99', sample]);
    expect(u.code).toBe(2);
    noTrace(u.err);
    const b = run(['analyze', join(repoRoot, 'README.md')]);
    expect(b.code).toBe(3);
    expect(b.err).toMatch(/README\.md: not a pcap or pcapng capture/);
    noTrace(b.err);
  });

  it('escapes terminal control characters from packets', async () => {
    const { safeText } = await import('../src/report/terminal.js');
    expect(safeText('evil\x1b[2Jname\x07')).toBe('evil\\x1b[2Jname\\x07');
  });
});
