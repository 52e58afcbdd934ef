/** `arpscope analyze`: findings with evidence, as text or one JSON document. */
import { writeFileSync } from 'node:fs';
import { analyzeCaptures, type AnalyzeInput } from '../analyze/analyze.js';
import { defaultConfig, parseCidr, parseMac } from '../analyze/config.js';
import { severityRank, SEVERITIES, type Severity } from '../analyze/finding.js';
import { UsageError } from '../errors.js';
import { writeJson } from '../report/json.js';
import { formatTerminal } from '../report/terminal.js';
import { Output } from './output.js';

export interface AnalyzeCliOptions {
  files: string[];
  vantage: string[];
  json: boolean;
  subnet: string[];
  virtualMac: string[];
  trustedRouter: string[];
  slowMs?: string;
  failOn: string;
  bindings: string;
  /** Default 100 (DEFAULT_MAX_PER_KIND). */
  maxPerKind?: string;
  /** '1' (the default) or '2'. */
  threads?: string;
  color?: boolean;
  html?: string;
}

function positiveNumber(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`analyze: invalid value '${v}' for ${name}`);
  return n;
}

/** Runs the analysis and prints it; resolves to the exit code (0, or 1 when findings reach --fail-on). */
export async function runAnalyze(o: AnalyzeCliOptions): Promise<number> {
  const inputs: AnalyzeInput[] = o.files.map((path) => ({ path }));
  for (const v of o.vantage) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`analyze: --vantage wants NAME=FILE, got '${v}'`);
    inputs.push({ vantage: v.slice(0, eq), path: v.slice(eq + 1) });
  }
  if (inputs.length === 0) throw new UsageError('analyze: no capture file given (use - for stdin)');
  if (inputs.filter((i) => i.path === '-').length > 1) throw new UsageError('analyze: standard input can be given only once');

  const config = defaultConfig();
  for (const s of o.subnet) {
    const c = parseCidr(s);
    if (!c) throw new UsageError(`analyze: invalid --subnet '${s}' (want A.B.C.D/LEN)`);
    config.subnets.push(c);
  }
  for (const m of o.virtualMac) {
    const mac = parseMac(m);
    if (mac < 0) throw new UsageError(`analyze: invalid --virtual-mac '${m}'`);
    config.virtualMacs.add(mac);
  }
  for (const r of o.trustedRouter) config.trustedRouters.add(r.toLowerCase());
  if (o.slowMs !== undefined) config.slowMs = positiveNumber('--slow-ms', o.slowMs);
  if (!(SEVERITIES as readonly string[]).includes(o.failOn) && o.failOn !== 'never') {
    throw new UsageError(`analyze: --fail-on must be one of ${SEVERITIES.join(', ')}, never`);
  }
  if (o.maxPerKind !== undefined) {
    const n = Number(o.maxPerKind);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`analyze: invalid --max-per-kind '${o.maxPerKind}'`);
    config.maxPerKind = n;
  }
  const threads = o.threads ?? '1';
  if (threads !== '1' && threads !== '2') throw new UsageError(`analyze: --threads must be 1 or 2, got '${threads}'`);
  const maxBindings = Number(o.bindings);
  if (!Number.isInteger(maxBindings) || maxBindings < 0) throw new UsageError(`analyze: invalid --bindings '${o.bindings}'`);

  const tty = process.stderr.isTTY === true;
  const progress = tty && !o.json ? progressBar() : undefined;
  let result;
  try {
    result = await analyzeCaptures(inputs, config, {
      onProgress: progress?.update,
      timeline: Boolean(o.html),
      threads: threads === '2' ? 2 : 1,
    });
  } finally {
    progress?.done();
  }
  if (o.html) {
    const { renderHtml } = await import('../report/html.js');
    try {
      writeFileSync(o.html, renderHtml(result, { slowMs: config.slowMs }));
    } catch (err) {
      throw new UsageError(`analyze: cannot write --html ${o.html}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  const out = new Output();
  const color = o.color ?? (process.stdout.isTTY === true && !process.env['NO_COLOR']);
  if (o.json) writeJson(result, (part) => out.write(part));
  else out.write(formatTerminal(result, { color, maxBindings }));
  out.flush();
  if (result.summary.input_error) {
    process.stderr.write(`arpscope: ${result.summary.input_error}\n`);
    return 3;
  }
  if (o.failOn === 'never') return 0;
  const threshold = severityRank(o.failOn as Severity);
  return result.findings.some((f) => severityRank(f.severity) >= threshold) ? 1 : 0;
}

/** A one-line progress bar on stderr for long files (TTY only). */
function progressBar(): { update: (done: number, total: number) => void; done: () => void } {
  let shown = false;
  return {
    update(done, total) {
      if (total <= 0) return;
      const pct = Math.min(100, Math.floor((done / total) * 100));
      const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
      process.stderr.write(`\r[${bar}] ${pct}% ${(done / 1e6).toFixed(0)} MB`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
