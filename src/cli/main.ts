/**
 * arpscope command line: a thin shell over the library. Every error ends as
 * one line on stderr and an exit code: 0 ok, 1 findings (analyze), 2 usage,
 * 3 unreadable or corrupt input.
 */
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CaptureError, UsageError } from '../errors.js';

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INPUT: 3, INTERNAL: 70 } as const;

const increase = (_v: string, prev: number): number => prev + 1;

/** tcpdump's `-#` is not a valid commander flag character: rewrite it to --number. */
function rewriteHashFlag(argv: string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (/^-[A-Za-z#]*#[A-Za-z#]*$/.test(a)) {
      out.push('--number');
      const rest = a.slice(1).replace(/#/g, '');
      if (rest) out.push('-' + rest);
    } else out.push(a);
  }
  return out;
}

/** Leading arguments naming inputs ("-" or an existing path); the rest is the filter expression. */
export function splitInputsAndFilter(args: string[], explicit: string[]): { inputs: string[]; filter: string } {
  const inputs = [...explicit];
  let i = 0;
  if (explicit.length === 0) {
    while (i < args.length && (args[i] === '-' || existsSync(args[i]!) || /\.(pcap|pcapng|cap|gz)$/i.test(args[i]!))) {
      inputs.push(args[i]!);
      i++;
    }
  }
  return { inputs, filter: args.slice(i).join(' ').trim() };
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('arpscope')
    .description('Find and explain ARP and IPv6 Neighbor Discovery problems.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('read')
    .description('print the ARP, RARP and ND frames of captures exactly as tcpdump -n does')
    .usage('[options] FILE... [filter expression]')
    .argument('[args...]', 'capture files ("-" for stdin; pcap, pcapng, .gz) then an optional pcap-filter expression')
    .option('-r, --read-file <file>', 'read this capture (repeatable; then every argument is filter)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-n', 'numeric addresses (always on; accepted for tcpdump compatibility)')
    .option('-e', 'print the link-level header')
    .option('-t', '-t: no timestamp, -tt: epoch, -ttt: delta, -tttt: date, -ttttt: since first', increase, 0)
    .option('-v', 'more detail (-v, -vv, -vvv)', increase, 0)
    .option('--number', 'print the frame number first (tcpdump -#)')
    .option('-c, --count <n>', 'stop after printing n frames')
    .addOption(new Option('--nano', 'nanosecond timestamps'))
    .action(async (args: string[], o: Record<string, unknown>) => {
      const { inputs, filter } = splitInputsAndFilter(args, o['readFile'] as string[]);
      if (inputs.length === 0) throw new UsageError('read: no capture file given (use - for stdin)');
      let count = 0;
      if (o['count'] !== undefined) {
        count = Number(o['count']);
        if (!Number.isInteger(count) || count <= 0) throw new UsageError(`read: invalid count '${String(o['count'])}' for -c`);
      }
      const { runRead } = await import('./read.js');
      await runRead({
        inputs,
        filter,
        eflag: Boolean(o['e']),
        vflag: Math.min(3, Number(o['v'] ?? 0)),
        tflag: Math.min(5, Number(o['t'] ?? 0)),
        numbers: Boolean(o['number']),
        nano: Boolean(o['nano']),
        count,
      });
    });
  const collect = (v: string, prev: string[]): string[] => [...prev, v];
  /** The options analyze and watch share (parsed by analysis-options.ts); `fold` says what --max-per-kind does there. */
  const withAnalysisOptions = (cmd: Command, fold: string): Command =>
    cmd
      .option('--subnet <cidr>', 'a known IPv4 subnet of the segment (repeatable)', collect, [] as string[])
      .option('--virtual-mac <mac>', 'a MAC that answers ARP on purpose (repeatable; aa:bb:cc:dd:ee:ff always)', collect, [] as string[])
      .option('--trusted-router <addr>', 'a router allowed to send RAs: link-local address or MAC (repeatable)', collect, [] as string[])
      .option('--slow-ms <ms>', 'replies slower than this are slow (default 100)')
      .option('--max-per-kind <n>', `${fold}; the rest fold into one (0: no limit)`, '100');
  const analysisValues = (o: Record<string, unknown>) => ({
    subnet: o['subnet'] as string[],
    virtualMac: o['virtualMac'] as string[],
    trustedRouter: o['trustedRouter'] as string[],
    slowMs: o['slowMs'] as string | undefined,
    maxPerKind: String(o['maxPerKind']),
  });
  const analyze = program
    .command('analyze')
    .description('diagnose ARP and ND problems: findings with causes, next steps and evidence frames')
    .usage('[options] FILE...')
    .argument('[files...]', 'capture files ("-" for stdin; pcap, pcapng, .gz); several are merged')
    .option('--json', 'one JSON document {findings, bindings, summary} (schema: docs/analyze-json.md)')
    .option('--html <file>', 'also write a self-contained HTML report (timelines, rates, latency, bindings)')
    .option('--vantage <name=file>', 'a capture taken at a named point (repeatable)', collect, [] as string[]);
  withAnalysisOptions(analyze, 'findings of one kind listed one by one')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: critical, warning, notice, info, never', 'warning')
    .option('--bindings <n>', 'binding table rows to print (0: none)', '40')
    .option('--threads <n>', 'auto, 1 or 2: 2 runs half the detectors in a second thread (faster on big ARP-dense captures, ~30 MB more); auto picks 2 for those', 'auto')
    .option('--color', 'force colors')
    .option('--no-color', 'no colors (also NO_COLOR=1)')
    .action(async (files: string[], o: Record<string, unknown>) => {
      const { runAnalyze } = await import('./analyze.js');
      const code = await runAnalyze({
        files,
        vantage: o['vantage'] as string[],
        json: Boolean(o['json']),
        ...analysisValues(o),
        failOn: String(o['failOn']),
        bindings: String(o['bindings']),
        threads: String(o['threads']),
        color: o['color'] as boolean | undefined,
        html: o['html'] as string | undefined,
      });
      if (code !== 0) throw new FindingsExit(code);
    });
  const watch = program
    .command('watch')
    .description('monitor interfaces live: alerts, a binding database, Prometheus metrics')
    .usage('-i IFACE [-i IFACE...] [options] [capture filter]')
    .argument('[filter...]', 'capture filter for tcpdump (pcap-filter syntax); default ARP, RARP, ND and TCP resets')
    .option('-i, --interface <iface>', 'interface to capture on (repeatable)', collect, [] as string[])
    .option('--json', 'alerts as JSON lines on stdout')
    .option('--db <path>', 'SQLite store (default /var/lib/arpscope/arpscope.db as root, ~/.local/state/arpscope otherwise; $ARPSCOPE_DB)')
    .option('--no-store', 'keep nothing on disk')
    .option('--retain <duration>', 'keep events and unseen bindings this long', '30d')
    .option('--webhook <url>', 'POST each alert as JSON (retried with backoff, never blocks capture)')
    .option('--metrics <host:port>', 'serve Prometheus metrics (e.g. 127.0.0.1:9617)')
    .option('--ui <host:port>', 'serve the live dashboard (e.g. 127.0.0.1:9618; may share the --metrics address)')
    .option('--ui-token <token>', 'access token for the dashboard, required off loopback (or $ARPSCOPE_UI_TOKEN)')
    .option('--window <duration>', 'analysis window', '15s')
    .option('--realert <duration>', 're-send an alert still active after this long', '1h')
    .option('--log <file>', 'log to a file instead of stderr (reopened on SIGHUP)')
    .option('--netns <name>', 'capture inside this network namespace (ip netns exec)');
  withAnalysisOptions(watch, 'findings of one kind alerted one by one per window')
    .action(async (filter: string[], o: Record<string, unknown>) => {
      const { runWatch } = await import('./watch.js');
      const code = await runWatch({
        iface: o['interface'] as string[],
        filter: filter.join(' ').trim(),
        json: Boolean(o['json']),
        db: o['db'] as string | undefined,
        store: o['store'] !== false,
        retain: String(o['retain']),
        webhook: o['webhook'] as string | undefined,
        metrics: o['metrics'] as string | undefined,
        window: String(o['window']),
        realert: String(o['realert']),
        log: o['log'] as string | undefined,
        netns: o['netns'] as string | undefined,
        ...analysisValues(o),
        ui: o['ui'] as string | undefined,
        uiToken: o['uiToken'] as string | undefined,
      });
      if (code !== 0) throw new FindingsExit(code);
    });

  program
    .command('bindings')
    .description('the binding table kept by watch (IP, MAC, vendor, interface, first/last seen)')
    .option('--db <path>', 'SQLite store (default as for watch)')
    .option('--json', 'a JSON array')
    .option('--ip <ip>', 'only this IP')
    .option('--mac <mac>', 'only this MAC')
    .option('--iface <iface>', 'only this interface')
    .option('--limit <n>', 'at most n rows')
    .action(async (o: Record<string, unknown>) => {
      const { runBindings } = await import('./store-commands.js');
      const code = await runBindings(o as Parameters<typeof runBindings>[0]);
      if (code !== 0) throw new FindingsExit(code);
    });

  program
    .command('events')
    .description('findings and station events recorded by watch, newest first')
    .option('--db <path>', 'SQLite store (default as for watch)')
    .option('--json', 'a JSON array')
    .option('--since <duration>', 'only events newer than this (e.g. 1h, 7d)')
    .option('--kind <kind>', 'only this finding kind')
    .option('--ip <ip>', 'only this IP')
    .option('--severity <level>', 'at least this severity')
    .option('--limit <n>', 'at most n events')
    .action(async (o: Record<string, unknown>) => {
      const { runEvents } = await import('./store-commands.js');
      const code = await runEvents(o as Parameters<typeof runEvents>[0]);
      if (code !== 0) throw new FindingsExit(code);
    });
  return program;
}

/** Not an error: analyze found something at or above --fail-on. */
class FindingsExit extends Error {
  constructor(readonly code: number) {
    super('findings');
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(rewriteHashFlag(argv), { from: 'user' });
    process.exitCode = EXIT.OK;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof FindingsExit) return err.code;
  if (err instanceof CommanderError) {
    // commander already printed its message (or help/version).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
    return EXIT.USAGE;
  }
  // FilterError is matched by name so the filter compiler loads only when a filter is given.
  if (err instanceof UsageError || (err instanceof Error && err.name === 'FilterError')) {
    process.stderr.write(`arpscope: ${err.message}\n`);
    return EXIT.USAGE;
  }
  if (err instanceof CaptureError || (err instanceof Error && err.name === 'StoreError')) {
    process.stderr.write(`arpscope: ${err.message}\n`);
    return EXIT.INPUT;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`arpscope: internal error: ${msg}\n`);
  if (process.env["ARPSCOPE_DEBUG"] && err instanceof Error) process.stderr.write(String(err.stack) + "\n");
  return EXIT.INTERNAL;
}
