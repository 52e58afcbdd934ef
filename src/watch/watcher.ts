/**
 * arpscope watch: live capture on one or more interfaces -> the same
 * detectors as analyze, run over tumbling windows -> de-duplicated alerts,
 * a persistent binding table, events in the store, Prometheus metrics.
 *
 * Each window (default 15 s) gets a fresh analysis engine, so state stays
 * bounded and a problem that stops being found clears. arpwatch-style
 * station events (new station, changed MAC) are immediate and compare
 * against the bindings loaded from the store, so they survive restarts.
 */
import type { PacketRecord } from '../capture/record.js';
import { LiveCapture, type LiveState } from '../capture/live.js';
import { resolveDraft } from '../analyze/analyze.js';
import type { AnalyzeConfig } from '../analyze/config.js';
import { allDetectors } from '../analyze/detectors/index.js';
import { timelineDetector } from '../analyze/detectors/timeline.js';
import { Engine } from '../analyze/engine.js';
import type { ArpEvent } from '../analyze/events.js';
import type { Finding } from '../analyze/finding.js';
import { vendorOf } from '../analyze/oui.js';
import { FrameView, NetKind } from '../decode/frame.js';
import type { WatchMetrics } from '../serve/metrics.js';
import type { BufferedStore } from '../store/buffered.js';
import type { StoredEvent } from '../store/store.js';
import { AlertDeduper, type Alert, type AlertSink } from './alerts.js';
import { FrameBuffer } from '../analyze/frame-buffer.js';
import type { LiveView } from './live-view.js';
import { StationTable } from './stations.js';

export interface WatchOptions {
  ifaces: string[];
  /** User capture filter (pcap-filter syntax) given to tcpdump; default: ARP/RARP/ND and TCP resets. */
  bpf?: string;
  netns?: string;
  config: AnalyzeConfig;
  windowS: number;
  reAlertS: number;
  retainS: number;
  store: BufferedStore | null;
  sinks: AlertSink[];
  metrics: WatchMetrics;
  log: (line: string) => void;
  /** Stop when a capture cannot start for lack of privilege (default true). */
  exitOnPermissionError?: boolean;
  /** The dashboard's state (watch --ui): fed every event, alert and window. */
  live?: LiveView;
}

/** The report timeline is for analyze --html; watch has no reader for it. */
const liveDetectors = allDetectors.filter((d) => d !== timelineDetector);

const ARP_KIND = ['', 'arp_request', 'arp_reply', 'rarp_request', 'rarp_reply', '', '', '', 'inarp_request', 'inarp_reply'];
const ND_KIND: Record<number, string> = { 133: 'nd_rs', 134: 'nd_ra', 135: 'nd_ns', 136: 'nd_na', 137: 'nd_redirect' };

export class Watcher {
  private engine: Engine;
  private readonly frame = new FrameView();
  private readonly buffer = new FrameBuffer();
  private readonly dedupe: AlertDeduper;
  private readonly stations = new StationTable(vendorOf);
  private readonly captures: LiveCapture[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** Outstanding request time per target IP, for the latency histogram. */
  private readonly pending = new Map<number, number>();
  private fatal: Error | null = null;
  private readonly started = new Set<string>();
  private resolveDone: (() => void) | null = null;
  readonly done: Promise<void>;

  constructor(private readonly o: WatchOptions) {
    this.dedupe = new AlertDeduper(o.reAlertS);
    this.engine = this.newEngine();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (o.store) {
      const rows = o.store.loadBindings();
      this.stations.load(rows);
      o.log(`store: ${rows.length} bindings loaded`);
    }
    o.metrics.bindings.set(this.stations.byIp.size);
  }

  get fatalError(): Error | null {
    return this.fatal;
  }

  private newEngine(): Engine {
    const live = this.o.live;
    return new Engine(this.o.config, live ? [...liveDetectors, live.detector] : liveDetectors, this.o.ifaces);
  }

  start(): void {
    this.o.ifaces.forEach((iface, i) => {
      const cap = new LiveCapture({
        iface,
        ...(this.o.bpf ? { bpf: this.o.bpf } : {}),
        ...(this.o.netns ? { netns: this.o.netns } : {}),
        onRecord: (r) => this.onRecord(r, i, iface),
        onState: (s) => this.onState(s),
      });
      this.captures.push(cap);
      cap.start();
    });
    this.timer = setInterval(() => this.closeWindow(), this.o.windowS * 1000);
  }

  private onState(s: LiveState): void {
    const m = this.o.metrics;
    switch (s.type) {
      case 'started':
        m.captureUp.set({ iface: s.iface }, 1);
        // Every start after the first is a restart, whatever made the child go away.
        if (this.started.has(s.iface)) m.captureRestarts.inc({ iface: s.iface });
        this.started.add(s.iface);
        this.o.log(`${s.iface}: capture started (tcpdump pid ${s.pid})`);
        break;
      case 'exited':
        m.captureUp.set({ iface: s.iface }, 0);
        if (!this.stopping) this.o.log(`${s.iface}: capture stopped${s.reason ? `: ${s.reason}` : ''}`);
        break;
      case 'restarting':
        this.o.log(`${s.iface}: restarting capture in ${s.inMs} ms (attempt ${s.attempt})`);
        break;
      case 'interface-missing':
        this.o.log(`${s.iface}: interface does not exist (waiting for it)`);
        break;
      case 'interface-down':
        this.o.log(`${s.iface}: interface went down (waiting for it)`);
        break;
      case 'permission-denied':
        this.o.log(`${s.iface}: ${s.message}`);
        if (this.o.exitOnPermissionError !== false && !this.fatal) {
          this.fatal = new Error(`${s.iface}: capture not permitted (run as root or grant CAP_NET_RAW and CAP_NET_ADMIN)`);
          void this.stop();
        }
        break;
      case 'stats':
        m.captureDrops.set({ iface: s.iface }, s.dropped + s.droppedByInterface);
        break;
      case 'error':
        this.o.log(`${s.iface}: ${s.message}`);
        break;
    }
  }

  private onRecord(r: PacketRecord, input: number, iface: string): void {
    r.input = input;
    const f = this.frame;
    f.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
    const eng = this.engine;
    if (!eng.wants(f)) return;
    this.buffer.keep(r);
    this.count(f, iface, r);
    eng.onFrame(f, r);
    const e = eng.lastArp;
    if (e !== null) {
      const ev = this.stations.claim(e, iface, () => this.buffer.line(input, r.frame) ?? '', iface);
      // Station events are one-shot: a changed MAC is raised, a new station is information.
      if (ev) this.deliver([{ state: ev.kind === 'arp.changed-mac' ? 'raised' : 'info', ts: e.ts, iface, finding: ev }]);
    }
  }

  /** prom-client label lookups cost a hash per call: children are resolved once per (iface, kind). */
  private readonly counters = new Map<string, { inc(): void }>();
  private counter(c: { labels(...v: string[]): { inc(): void } }, name: string, ...labels: string[]): { inc(): void } {
    const key = name + '\0' + labels.join('\0');
    let child = this.counters.get(key);
    if (child === undefined) this.counters.set(key, (child = c.labels(...labels)));
    return child;
  }

  private count(f: FrameView, iface: string, r: PacketRecord): void {
    const m = this.o.metrics;
    const ts = r.tsSec + r.tsNsec / 1e9;
    if (f.net === NetKind.Arp || f.net === NetKind.Rarp) {
      const a = f.arp;
      this.counter(m.frames, 'f', iface, ARP_KIND[a.op] || 'arp_other').inc();
      const gratuitous = a.spa === a.tpa && a.spa !== 0;
      if (gratuitous) this.counter(m.gratuitous, 'g', iface).inc();
      else if (a.op === 1 && a.spa !== 0) {
        this.counter(m.arpRequests, 'q', iface).inc();
        this.pending.set(a.tpa, ts);
        if (this.pending.size > 100_000) this.pending.clear();
      } else if (a.op === 2) {
        this.counter(m.arpReplies, 'r', iface).inc();
        const t0 = this.pending.get(a.spa);
        if (t0 !== undefined) {
          this.pending.delete(a.spa);
          const dt = ts - t0;
          if (dt >= 0 && dt < 5) m.latency.observe({ iface }, dt);
        }
      }
    } else if (f.net === NetKind.IPv6) {
      this.counter(m.frames, 'f', iface, ND_KIND[f.ip6.icmp6Type] ?? 'nd_other').inc();
    } else {
      this.counter(m.frames, 'f', iface, 'tcp_reset').inc();
    }
  }

  /** Ends the current window: findings -> alerts -> store; then a fresh engine. */
  closeWindow(): void {
    const eng = this.engine;
    this.engine = this.newEngine();
    eng.finish();
    const now = Date.now() / 1000;
    const names = this.o.ifaces;
    const findings: Finding[] = eng.drafts.map((d) =>
      resolveDraft(d, (r) => {
        const line = this.buffer.line(r.input, r.frame);
        if (line === null) this.o.metrics.evidenceMisses.inc();
        return line ?? '(frame no longer buffered)';
      }, names, null),
    );
    // Evidence files are the interface names (resolveDraft was given them as input names).
    const ifaceOf = (f: Finding): string => f.evidence[0]?.file || names[0]!;
    const alerts = this.dedupe.process(findings, now, ifaceOf);
    this.deliver(alerts);
    const m = this.o.metrics;
    m.activeFindings.reset();
    for (const f of this.dedupe.activeFindings()) m.activeFindings.inc({ kind: f.kind, severity: f.severity });
    m.unanswered.reset();
    for (const f of findings) if (f.kind === 'arp.unanswered') m.unanswered.inc({ iface: ifaceOf(f) });
    if (this.o.live) {
      this.o.live.onActive(this.dedupe.activeFindings());
      this.o.live.onWindow(eng.bindings);
    }
    this.persist(now);
  }

  private deliver(alerts: Alert[]): void {
    if (alerts.length === 0) return;
    this.o.live?.onAlerts(alerts);
    const events: StoredEvent[] = [];
    for (const a of alerts) {
      this.o.metrics.alerts.inc({ kind: a.finding.kind, state: a.state });
      for (const s of this.o.sinks) {
        try {
          s.send(a);
        } catch (err) {
          this.o.log(`alert sink: ${(err as Error).message}`);
        }
      }
      events.push({
        ts: a.ts,
        kind: a.finding.kind,
        severity: a.finding.severity,
        ip: a.finding.ip,
        macs: a.finding.macs,
        iface: a.iface,
        state: a.state,
        title: a.finding.title,
        finding: a.finding,
      });
    }
    this.o.store?.addEvents(events);
  }

  private persist(now: number): void {
    const st = this.o.store;
    const m = this.o.metrics;
    m.bindings.set(this.stations.byIp.size);
    if (!st) return;
    const rows = this.stations.takeDirty();
    if (rows.length > 0) st.upsertBindings(rows);
    st.flushIfDue(); // backs off while the DB is locked instead of stalling capture
    if (this.o.retainS > 0 && Math.floor(now) % 600 < this.o.windowS) st.prune(now, this.o.retainS);
    m.storeErrors.set(st.errors);
    m.storePending.set(st.pending);
    m.storeDropped.set(st.dropped);
  }

  /** Stops capture, closes the last window, flushes the store. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.captures.map((c) => c.stop().catch(() => undefined)));
    this.closeWindow();
    this.resolveDone?.();
  }
}

export type { ArpEvent };
