/**
 * analyze on a real terminal (a pseudo-terminal from util-linux `script`):
 * colors only there and not with NO_COLOR or when piped, and a progress bar
 * on stderr for a long capture (plain or gzip) that is erased before the report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './corpus.js';

const bin = join(repoRoot, 'bin', 'arpscope.js');
const incident = join(repoRoot, 'samples', 'incident.pcap');
const haveScript = spawnSync('script', ['--version']).status === 0;
if (!haveScript) console.warn('tty.test: skipped: util-linux script not found');

const dir = mkdtempSync(join(tmpdir(), 'arpscope-tty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `arpscope analyze ARGS` on a pseudo-terminal (stdout and stderr both); what the terminal got. */
function onTerminal(args: string[], env: Record<string, string> = {}): { code: number | null; screen: string } {
  // The paths are the test's own: quoting them for script's shell is enough.
  const cmd = [process.execPath, bin, 'analyze', ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, TZ: 'UTC', ...env }, timeout: 60_000 });
  return { code: r.status, screen: r.stdout.toString('latin1') };
}

/** The incident capture's records repeated to `n` records: long enough for the progress bar (it reports every 65,536). */
function longCapture(n: number): string {
  const src = readFileSync(incident);
  const records: Buffer[] = [];
  for (let o = 24; o + 16 <= src.length; ) {
    const end = o + 16 + src.readUInt32LE(o + 8);
    records.push(src.subarray(o, end));
    o = end;
  }
  const parts: Buffer[] = [src.subarray(0, 24)];
  for (let i = 0; i < n; i++) parts.push(records[i % records.length]!);
  const file = join(dir, 'long.pcap');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

describe.skipIf(!haveScript)('analyze on a terminal', () => {
  it('colors the report on a terminal, not with NO_COLOR, not through a pipe', () => {
    const colored = onTerminal(['--fail-on', 'never', incident]);
    expect(colored.code).toBe(0);
    expect(colored.screen).toContain('\x1b[1;31m[critical]\x1b[0m');
    const noColor = onTerminal(['--fail-on', 'never', incident], { NO_COLOR: '1' });
    expect(noColor.screen).toContain('[critical]');
    expect(noColor.screen).not.toContain('\x1b[');
    const piped = spawnSync(process.execPath, [bin, 'analyze', '--fail-on', 'never', incident]);
    expect(piped.stdout.toString()).not.toContain('\x1b[');
  });

  it('shows a progress bar on stderr for a long capture, with --json too, and for a .gz one, and erases it', () => {
    const file = longCapture(140_000);
    const gz = `${file}.gz`;
    writeFileSync(gz, gzipSync(readFileSync(file)));
    for (const args of [['--fail-on', 'never', '--bindings', '0', file], ['--json', '--fail-on', 'never', file], ['--fail-on', 'never', '--bindings', '0', gz]]) {
      const { code, screen } = onTerminal(args, { NO_COLOR: '1' });
      expect(code).toBe(0);
      const bar = screen.search(/\r\[#*\.*\] \d+% \d+ MB/);
      const erased = screen.indexOf('\r\x1b[K');
      expect(bar, args.join(' ')).toBeGreaterThanOrEqual(0);
      // Erased before the report starts.
      expect(erased).toBeGreaterThan(bar);
      const report = args.includes('--json') ? screen.indexOf('{') : screen.indexOf('arpscope analyze:');
      expect(report).toBeGreaterThan(erased);
    }
    // A short capture shows none.
    expect(onTerminal(['--fail-on', 'never', incident]).screen).not.toMatch(/\r\[[#.]+\]/);
  });
});
