/**
 * Live capture through a supervised tcpdump child.
 *
 * Design (decided, keep it): arpscope never opens a packet socket itself. For
 * each interface it runs a privilege-separated capture child, the way
 * Wireshark runs dumpcap:
 *
 *   [ip netns exec NS] tcpdump -i IF -U --immediate-mode -B 16384 -w - -s 262144 -n -- <bpf>
 *
 * and parses the child's stdout, a classic pcap stream, with the project's
 * own reader (PcapReader over ByteWindow + StreamSource, tested split at every
 * offset). Why: no native addons; tcpdump is everywhere; the kernel runs the
 * BPF filter so only ARP / RARP / ND / TCP resets cross into this process;
 * and tcpdump started as root drops to user `tcpdump` (its default -Z) right
 * after opening the socket, so the code that parses hostile frames from the
 * wire (tcpdump writes them, we read them) runs without privileges in the
 * child and without a packet socket here. Nothing goes through a shell: the
 * argv is an array, the interface name is validated, and the user's filter is
 * ONE argv element after `--` (so a filter starting with "-" cannot become a
 * tcpdump option). LC_ALL=C keeps strerror() text in the English we match.
 *
 * Supervision: the child is restarted with exponential backoff (with jitter,
 * reset after 30 s of healthy running) whenever it exits unexpectedly, until
 * stop(). tcpdump's stderr is classified into states (interface missing /
 * down, permission denied); its "listening on" line marks the capture as
 * started; SIGUSR1 every statsIntervalMs makes it print its counters, which
 * become 'stats' events. A corrupt or truncated stream is an 'error' event
 * and a restart, never an exception.
 *
 * Interface down: libpcap >= 1.10 on Linux does NOT exit when the interface is
 * set down while capturing (it waits and resumes when it comes back up; older
 * versions exit with "The interface went down"), and it fails to start on a
 * down interface ("That device is not up"). So, while the child runs, the
 * link state is also polled from the child's own view of sysfs
 * (/proc/PID/root/sys/class/net/IF: right network namespace under
 * `ip netns exec`): down → 'interface-down'; up again → 'started' with
 * `resumed: true` and the same pid. Keeping that child (instead of restarting
 * it) keeps the gratuitous ARP / DAD frames sent right at link-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { MAX_CAPLEN, PcapReader } from './pcap.js';
import type { PacketRecord } from './record.js';
import { ByteWindow, StreamSource } from './window.js';

const ND = '(icmp6 and ip6[40] >= 133 and ip6[40] <= 137)';
const RST = '(tcp[tcpflags] & tcp-rst != 0)';
const NEIGH = `arp or rarp or ${ND}`;

/**
 * ARP, RARP and ND (RS, RA, NS, NA, redirect) untagged and under one or two
 * VLAN tags, plus IPv4 TCP segments with RST untagged or under one tag.
 * The `vlan` clause comes last on purpose: in pcap-filter every `vlan`
 * shifts the offsets of everything after it in the expression.
 */
export const DEFAULT_LIVE_BPF = `${NEIGH} or ${RST} or (vlan and (${NEIGH} or ${RST} or (vlan and (${NEIGH}))))`;

export type LiveState =
  /** Capture running. `resumed`: the interface came back up under the same child. */
  | { type: 'started'; iface: string; pid: number; resumed?: boolean }
  | { type: 'exited'; iface: string; code: number | null; signal: string | null; reason: string }
  | { type: 'restarting'; iface: string; inMs: number; attempt: number }
  | { type: 'interface-missing'; iface: string; message?: string }
  | { type: 'interface-down'; iface: string; message?: string }
  | { type: 'permission-denied'; iface: string; message: string }
  | { type: 'stats'; iface: string; received: number; dropped: number; droppedByInterface: number; captured?: number; final?: boolean }
  | { type: 'error'; iface: string; message: string };

export interface LiveOptions {
  iface: string;
  /** pcap-filter expression; default DEFAULT_LIVE_BPF. Passed to tcpdump as one argv element. */
  bpf?: string;
  /** tcpdump executable; default 'tcpdump'. */
  tcpdump?: string;
  /** Run the child in this network namespace (`ip netns exec NS tcpdump ...`). */
  netns?: string;
  /** `ip` executable used with netns; default 'ip'. */
  ip?: string;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long resets the backoff; default 30000. */
  healthyAfterMs?: number;
  /** SIGUSR1 period for tcpdump's counters; default 10000, 0 = never. */
  statsIntervalMs?: number;
  /** Link-state poll period while the child runs; default 1000, 0 = never. */
  linkPollMs?: number;
  /** Grace between SIGTERM and SIGKILL in stop(); default 1000. */
  killAfterMs?: number;
  /** record.input for every frame; default 0. */
  input?: number;
  onRecord: (r: PacketRecord) => void;
  onState: (s: LiveState) => void;
}

/** Linux IFNAMSIZ-1 characters, nothing a shell or tcpdump could read as more than a name. */
/** Kernel capture buffer (tcpdump -B, KiB): absorbs bursts while the analyzer catches up. */
export const KERNEL_BUFFER_KIB = 16384;

export const IFACE_RE = /^[A-Za-z0-9_.:@-]{1,15}$/;
const NETNS_RE = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;
const MAX_BPF = 65536;
const STDERR_LINE_MAX = 2048;
const STDERR_KEEP = 8;
const REASON_MAX = 400;

export function validateIface(iface: string): void {
  if (typeof iface !== 'string' || !IFACE_RE.test(iface)) {
    throw new UsageError(`invalid interface name ${JSON.stringify(String(iface)).slice(0, 60)}: expected 1-15 of A-Z a-z 0-9 _ . : @ -`);
  }
}

/** Removes the "tcpdump: " prefix and control characters, collapses blanks, bounds the length. */
function clean(line: string): string {
  // eslint-disable-next-line no-control-regex
  let s = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  s = s.replace(/^tcpdump: /, '');
  return s.length > REASON_MAX ? s.slice(0, REASON_MAX - 1) + '…' : s;
}

const INFO_RE = /^(listening on |verbose output suppressed|WARNING: )/;
const STATS_ONE_RE = /^(\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel(?:, (\d+) packets? dropped by interface)?$/;
const STATS_LINE_RE = /^(\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)$/;

type Kind = 'interface-missing' | 'interface-down' | 'permission-denied' | null;

export function classify(reason: string): Kind {
  if (/no such device|SIOCGIFHWADDR|interface disappeared|ENODEV|ENXIO/i.test(reason)) return 'interface-missing';
  if (/went down|device is not up|ENETDOWN|network is down/i.test(reason)) return 'interface-down';
  if (/don't have permission|operation not permitted|permission denied|EPERM|EACCES/i.test(reason)) return 'permission-denied';
  return null;
}

interface RunResult {
  code: number | null;
  signal: string | null;
  spawnError: string | null;
  streamError: string | null;
  ranMs: number;
}

export class LiveCapture {
  readonly iface: string;
  private readonly o: Required<Omit<LiveOptions, 'netns'>> & { netns: string | undefined };
  private child: ChildProcess | null = null;
  private loopDone: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private _frames = 0;
  private _restarts = 0;
  private _running = false;
  // Per-child stderr state.
  private errPartial = '';
  private errLines: string[] = [];
  private pendingStats: { captured?: number; received?: number; kernel?: number; ifdrop?: number } | null = null;
  private listening = false;

  constructor(opts: LiveOptions) {
    validateIface(opts.iface);
    if (opts.netns !== undefined && !NETNS_RE.test(opts.netns)) {
      throw new UsageError(`invalid network namespace name ${JSON.stringify(String(opts.netns)).slice(0, 80)}`);
    }
    const bpf = opts.bpf ?? DEFAULT_LIVE_BPF;
    if (bpf.includes('\0') || bpf.length > MAX_BPF) throw new UsageError('invalid capture filter: contains NUL or is too long');
    const minB = Math.max(1, opts.minBackoffMs ?? 500);
    this.iface = opts.iface;
    this.o = {
      iface: opts.iface,
      bpf,
      tcpdump: opts.tcpdump ?? 'tcpdump',
      netns: opts.netns,
      ip: opts.ip ?? 'ip',
      minBackoffMs: minB,
      maxBackoffMs: Math.max(minB, opts.maxBackoffMs ?? 30000),
      healthyAfterMs: opts.healthyAfterMs ?? 30000,
      statsIntervalMs: opts.statsIntervalMs ?? 10000,
      linkPollMs: opts.linkPollMs ?? 1000,
      killAfterMs: opts.killAfterMs ?? 1000,
      input: opts.input ?? 0,
      onRecord: opts.onRecord,
      onState: opts.onState,
    };
  }

  /** Frames delivered to onRecord, over all children. */
  get frames(): number {
    return this._frames;
  }
  /** Children spawned after the first. */
  get restarts(): number {
    return this._restarts;
  }
  /** A child is capturing (its "listening on" line was seen and it has not exited). */
  get running(): boolean {
    return this._running;
  }
  /** The current child's pid, or -1. */
  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** The argv spawned, command first. */
  argv(): string[] {
    const td = [this.o.tcpdump, '-i', this.iface, '-U', '--immediate-mode', '-B', String(KERNEL_BUFFER_KIB), '-w', '-', '-s', String(MAX_CAPLEN), '-n', '--', this.o.bpf];
    return this.o.netns === undefined ? td : [this.o.ip, 'netns', 'exec', this.o.netns, ...td];
  }

  start(): void {
    if (this.loopDone || this.stopping) return;
    this.loopDone = this.loop().catch((err: unknown) => {
      this.emit({ type: 'error', iface: this.iface, message: `live capture supervisor failed: ${err instanceof Error ? err.message : String(err)}` });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // No child is spawned once stopping is set (loop() checks it synchronously before spawning).
    const c = this.child;
    let kill: NodeJS.Timeout | null = null;
    if (c) {
      signalChild(c, 'SIGTERM');
      kill = setTimeout(() => signalChild(c, 'SIGKILL'), this.o.killAfterMs);
    }
    await this.loopDone;
    if (kill) clearTimeout(kill);
  }

  private emit(s: LiveState): void {
    try {
      this.o.onState(s);
    } catch {
      // A throwing listener must not take the supervisor down.
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let first = true;
    while (!this.stopping) {
      if (!first) this._restarts++;
      first = false;
      const r = await this.runOnce();
      if (r.streamError) this.emit({ type: 'error', iface: this.iface, message: r.streamError });
      if (r.spawnError) this.emit({ type: 'error', iface: this.iface, message: r.spawnError });
      const reason = this.stopping ? 'stopped' : this.reason(r);
      this.emit({ type: 'exited', iface: this.iface, code: r.code, signal: r.signal, reason });
      if (this.stopping) break;
      const kind = classify(reason);
      if (kind === 'permission-denied') {
        this.emit({ type: 'permission-denied', iface: this.iface, message: `${reason} (capturing needs root or CAP_NET_RAW)` });
      } else if (kind) {
        this.emit({ type: kind, iface: this.iface, message: reason });
      }
      failures = r.ranMs >= this.o.healthyAfterMs ? 1 : failures + 1;
      const inMs = this.backoff(failures);
      this.emit({ type: 'restarting', iface: this.iface, inMs, attempt: failures });
      await this.sleep(inMs);
    }
  }

  private backoff(attempt: number): number {
    const { minBackoffMs: lo, maxBackoffMs: hi } = this.o;
    const base = Math.min(hi, lo * 2 ** Math.min(attempt - 1, 30));
    return Math.round(Math.min(hi, Math.max(lo, base * (0.8 + 0.4 * Math.random()))));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** The exit's explanation: tcpdump's last message, else how it ended. */
  private reason(r: RunResult): string {
    if (r.spawnError) return r.spawnError;
    const msgs = this.errLines.filter((l) => !INFO_RE.test(l));
    if (msgs.length > 0) return msgs[msgs.length - 1]!;
    if (r.streamError) return r.streamError;
    if (r.signal) return `killed by ${r.signal}`;
    return `exited with status ${r.code}`;
  }

  private runOnce(): Promise<RunResult> {
    this.errPartial = '';
    this.errLines = [];
    this.pendingStats = null;
    this.listening = false;
    const [cmd, ...args] = this.argv();
    const t0 = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      return Promise.resolve({ code: null, signal: null, spawnError: `cannot run ${cmd}: ${(err as Error).message}`, streamError: null, ranMs: 0 });
    }
    this.child = child;
    if (this.stopping) signalChild(child, 'SIGTERM');

    let statsTimer: NodeJS.Timeout | null = null;
    let linkTimer: NodeJS.Timeout | null = null;
    let spawnError: string | null = null;
    let streamError: string | null = null;

    const markStarted = (): void => {
      if (this.listening || child.pid === undefined) return;
      this.listening = true;
      this._running = true;
      this.emit({ type: 'started', iface: this.iface, pid: child.pid });
      if (this.o.statsIntervalMs > 0) {
        statsTimer = setInterval(() => signalChild(child, 'SIGUSR1'), this.o.statsIntervalMs);
      }
      if (this.o.linkPollMs > 0) linkTimer = this.watchLink(child);
    };

    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => this.onStderr(chunk, markStarted));
    const stderrDone = new Promise<void>((resolve) => {
      child.stderr!.once('close', resolve);
      child.stderr!.once('error', () => resolve());
    });

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('error', (err) => {
        spawnError = `cannot run ${cmd}: ${err.message}`;
        resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    exited.then(() => {
      if (statsTimer) clearInterval(statsTimer);
      if (linkTimer) clearInterval(linkTimer);
      statsTimer = linkTimer = null;
      this._running = false;
    });

    const read = this.readStream(child, markStarted).then(
      (err) => {
        streamError = err;
        // A child whose stream is unusable is replaced, not trusted further.
        if (err) signalChild(child, 'SIGKILL');
      },
    );

    return (async () => {
      const ex = await exited;
      // stdout/stderr may still hold data after 'exit'; bounded: the pipes close with the process.
      await Promise.race([Promise.all([read, stderrDone]), delay(2000)]);
      child.stdout?.destroy();
      child.stderr?.destroy();
      this.flushStderr();
      this.child = null;
      this._running = false;
      return { code: ex.code, signal: ex.signal, spawnError, streamError, ranMs: Date.now() - t0 };
    })();
  }

  /** Reads the child's pcap stream to its end; resolves an error message or null. */
  private async readStream(child: ChildProcess, markStarted: () => void): Promise<string | null> {
    const stdout = child.stdout!;
    let bytes = 0;
    const counted = (async function* () {
      for await (const c of stdout as AsyncIterable<Buffer>) {
        bytes += c.length;
        yield c;
      }
    })();
    const w = new ByteWindow(new StreamSource(counted, () => stdout.destroy()), 1 << 20, 512 << 10);
    const reader = new PcapReader(`tcpdump -i ${this.iface}`, w, this.o.input);
    const rec = reader.record;
    rec.frame = this._frames;
    try {
      while (true) {
        if (reader.next()) {
          rec.ifName = this.iface;
          this._frames++;
          markStarted();
          try {
            this.o.onRecord(rec);
          } catch (err) {
            this.emit({ type: 'error', iface: this.iface, message: `onRecord threw: ${err instanceof Error ? err.message : String(err)}` });
          }
        } else if (!(await reader.fill())) {
          return null;
        }
      }
    } catch (err) {
      if (bytes === 0) return null; // exited before writing anything: stderr says why
      const msg = err instanceof Error ? err.message : String(err);
      return `corrupt or truncated capture stream from tcpdump: ${msg}`;
    } finally {
      stdout.destroy();
    }
  }

  private onStderr(chunk: string, markStarted: () => void): void {
    let s = this.errPartial + chunk;
    let nl: number;
    while ((nl = s.indexOf('\n')) >= 0) {
      this.onLine(s.slice(0, nl), markStarted);
      s = s.slice(nl + 1);
    }
    if (s.length > STDERR_LINE_MAX) {
      this.onLine(s.slice(0, STDERR_LINE_MAX), markStarted);
      s = '';
    }
    this.errPartial = s;
  }

  private flushStderr(): void {
    if (this.errPartial) this.onLine(this.errPartial, () => {});
    this.errPartial = '';
    this.flushStats(true);
  }

  private onLine(raw: string, markStarted: () => void): void {
    const line = clean(raw.slice(0, STDERR_LINE_MAX));
    if (!line) return;
    let m = STATS_ONE_RE.exec(line);
    if (m) {
      this.flushStats(false);
      this.emit({
        type: 'stats', iface: this.iface, captured: Number(m[1]), received: Number(m[2]),
        dropped: Number(m[3]), droppedByInterface: Number(m[4] ?? 0),
      });
      return;
    }
    m = STATS_LINE_RE.exec(line);
    if (m) {
      // The multi-line form tcpdump prints when it exits.
      const p = (this.pendingStats ??= {});
      const n = Number(m[1]);
      if (m[2] === 'captured') p.captured = n;
      else if (m[2] === 'received by filter') p.received = n;
      else if (m[2] === 'dropped by kernel') p.kernel = n;
      else {
        p.ifdrop = n;
        this.flushStats(true);
      }
      return;
    }
    this.flushStats(true);
    if (line.startsWith('listening on ')) markStarted();
    if (line.startsWith('(') && this.errLines.length > 0) {
      // libpcap's detail line, e.g. "(SIOCGIFHWADDR: No such device)", belongs to the previous message.
      const prev = this.errLines.pop()!;
      this.errLines.push(clean(`${prev} ${line}`));
    } else {
      this.errLines.push(line);
    }
    if (this.errLines.length > STDERR_KEEP) this.errLines.shift();
  }

  private flushStats(final: boolean): void {
    const p = this.pendingStats;
    if (!p) return;
    this.pendingStats = null;
    if (p.received === undefined && p.kernel === undefined) return;
    this.emit({
      type: 'stats', iface: this.iface, ...(p.captured !== undefined ? { captured: p.captured } : {}),
      received: p.received ?? 0, dropped: p.kernel ?? 0, droppedByInterface: p.ifdrop ?? 0, ...(final ? { final: true } : {}),
    });
  }

  /** Polls the interface's flags and operstate as the child sees them; see the header comment. */
  private watchLink(child: ChildProcess): NodeJS.Timeout {
    const dir = `/proc/${child.pid}/root/sys/class/net/${this.iface}`;
    let down = false;
    let busy = false;
    let off = this.iface === '.' || this.iface === '..' || this.iface === 'any';
    const timer = setInterval(() => {
      if (off || busy || child.exitCode !== null || child.signalCode !== null) return;
      busy = true;
      Promise.all([readFile(`${dir}/flags`, 'utf8'), readFile(`${dir}/operstate`, 'utf8')]).then(
        ([flags, oper]) => {
          busy = false;
          if (child !== this.child || child.exitCode !== null || child.signalCode !== null || this.stopping) return;
          const state = oper.trim();
          const isDown = (parseInt(flags, 16) & 1) === 0 || state === 'down' || state === 'lowerlayerdown' || state === 'notpresent';
          if (isDown && !down) {
            down = true;
            this._running = false;
            const why = (parseInt(flags, 16) & 1) === 0 ? 'interface is administratively down' : `no carrier (operstate ${state})`;
            this.emit({ type: 'interface-down', iface: this.iface, message: why });
          } else if (!isDown && down) {
            down = false;
            this._running = true;
            this.emit({ type: 'started', iface: this.iface, pid: child.pid!, resumed: true });
          }
        },
        (err: NodeJS.ErrnoException) => {
          busy = false;
          // EACCES/EPERM (no CAP_SYS_PTRACE over the dropped child) or no sysfs: stop watching.
          // ENOENT: gone, or a name sysfs does not list; tcpdump reports a disappearance itself.
          if (err.code !== 'ENOENT') off = true;
        },
      );
    }, this.o.linkPollMs);
    return timer;
  }
}

function signalChild(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
  try {
    c.kill(sig);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
