/** `arpscope analyze`: findings with evidence, as text or one JSON document. */
import { writeFileSync } from 'node:fs';
import { analyzeCaptures, type AnalyzeInput } from '../analyze/analyze.js';
import { severityRank, SEVERITIES, type Severity } from '../analyze/finding.js';
import { UsageError } from '../errors.js';
import { writeJson } from '../report/json.js';
import { formatTerminal } from '../report/terminal.js';
import { analysisConfig, type AnalysisCliOptions } from './analysis-options.js';
import { Output } from './output.js';

export interface AnalyzeCliOptions extends AnalysisCliOptions {
  files: string[];
  vantage: string[];
  json: boolean;
  failOn: string;
  bindings: string;
  /** 'auto' (the default), '1' or '2'. */
  threads?: string;
  color?: boolean;
  html?: string;
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

  const config = analysisConfig('analyze', o);
  if (!(SEVERITIES as readonly string[]).includes(o.failOn) && o.failOn !== 'never') {
    throw new UsageError(`analyze: --fail-on must be one of ${SEVERITIES.join(', ')}, never`);
  }
  const threads = o.threads ?? 'auto';
  if (threads !== 'auto' && threads !== '1' && threads !== '2') throw new UsageError(`analyze: --threads must be auto, 1 or 2, got '${threads}'`);
  const maxBindings = Number(o.bindings);
  if (!Number.isInteger(maxBindings) || maxBindings < 0) throw new UsageError(`analyze: invalid --bindings '${o.bindings}'`);

  // On stderr: also with --json, whose stdout usually goes to jq while someone watches the terminal.
  const progress = process.stderr.isTTY === true ? progressBar() : undefined;
  let result;
  try {
    result = await analyzeCaptures(inputs, config, {
      onProgress: progress?.update,
      timeline: Boolean(o.html),
      threads: threads === 'auto' ? 'auto' : threads === '2' ? 2 : 1,
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
function progressBar(): { update: (bytes: number, fraction: number) => void; done: () => void } {
  let shown = false;
  return {
    update(bytes, fraction) {
      if (fraction < 0) return;
      const pct = Math.min(100, Math.floor(fraction * 100));
      const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
      process.stderr.write(`\r[${bar}] ${pct}% ${(bytes / 1e6).toFixed(0)} MB`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
