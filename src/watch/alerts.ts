/**
 * Alert de-duplication and delivery. One alert per (kind, subject) stays
 * raised while the problem keeps being found; it clears after
 * `clearAfterWindows` quiet windows, and is re-sent when `reAlertS` passes
 * while it is still active. Delivery never blocks capture: the webhook
 * queue is bounded and retried with backoff in the background.
 */
import type { Finding } from '../analyze/finding.js';

export interface Alert {
  /** 'raised' when first seen (or re-alerted), 'cleared' when it went away, 'info' for one-shot events. */
  state: 'raised' | 'cleared' | 'info';
  ts: number;
  iface: string;
  finding: Finding;
  /** True when this raise repeats an alert still active after the re-alert interval. */
  repeat?: boolean;
}

export interface AlertSink {
  send(a: Alert): void;
  close?(): Promise<void>;
}

interface Active {
  finding: Finding;
  lastSeenWindow: number;
  lastSentTs: number;
  iface: string;
}

export class AlertDeduper {
  private readonly active = new Map<string, Active>();
  private window = 0;

  constructor(
    private readonly reAlertS: number,
    private readonly clearAfterWindows = 3,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  activeFindings(): Finding[] {
    return [...this.active.values()].map((a) => a.finding);
  }

  /** One window's findings in, the alerts to deliver out. */
  process(findings: Finding[], now: number, iface: (f: Finding) => string): Alert[] {
    this.window++;
    const out: Alert[] = [];
    for (const f of findings) {
      const key = `${f.kind}|${f.ip}`;
      const a = this.active.get(key);
      if (a === undefined) {
        this.active.set(key, { finding: f, lastSeenWindow: this.window, lastSentTs: now, iface: iface(f) });
        out.push({ state: f.severity === 'info' ? 'info' : 'raised', ts: now, iface: iface(f), finding: f });
        continue;
      }
      a.lastSeenWindow = this.window;
      a.finding = f;
      if (now - a.lastSentTs >= this.reAlertS) {
        a.lastSentTs = now;
        out.push({ state: 'raised', ts: now, iface: a.iface, finding: f, repeat: true });
      }
    }
    for (const [key, a] of this.active) {
      if (this.window - a.lastSeenWindow >= this.clearAfterWindows) {
        this.active.delete(key);
        if (a.finding.severity !== 'info') out.push({ state: 'cleared', ts: now, iface: a.iface, finding: a.finding });
      }
    }
    return out;
  }
}

/** JSON lines on stdout (--json) or one human line per alert. */
export class StreamSink implements AlertSink {
  constructor(
    private readonly write: (s: string) => void,
    private readonly json: boolean,
  ) {}
  send(a: Alert): void {
    if (this.json) {
      this.write(JSON.stringify({ type: 'alert', state: a.state, ts: a.ts, iface: a.iface, repeat: a.repeat ?? false, ...a.finding }) + '\n');
      return;
    }
    const f = a.finding;
    const when = new Date(a.ts * 1000).toISOString();
    this.write(`${when} ${a.state.toUpperCase()} ${f.severity} ${f.kind} ${f.ip} [${f.macs.join(' ')}] on ${a.iface}: ${escapeLine(f.title)}\n`);
  }
}

function escapeLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface WebhookStats {
  sent: number;
  failures: number;
  dropped: number;
  queued: number;
}

/**
 * POSTs each alert as JSON. Failures are retried with exponential backoff
 * (1 s .. 60 s, up to `maxAttempts`); the queue is bounded and counts what
 * it had to drop. Runs entirely on timers and promises: capture never waits.
 */
export class WebhookSink implements AlertSink {
  readonly stats: WebhookStats = { sent: 0, failures: 0, dropped: 0, queued: 0 };
  private readonly queue: { body: string; attempt: number }[] = [];
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly opts: { maxQueue?: number; maxAttempts?: number; timeoutMs?: number; baseDelayMs?: number; log?: (s: string) => void } = {},
  ) {}

  send(a: Alert): void {
    if (this.closed) return;
    const max = this.opts.maxQueue ?? 1000;
    if (this.queue.length >= max) {
      this.queue.shift();
      this.stats.dropped++;
    }
    this.queue.push({ body: JSON.stringify({ type: 'alert', state: a.state, ts: a.ts, iface: a.iface, ...a.finding }), attempt: 0 });
    this.stats.queued = this.queue.length;
    this.pump(0);
  }

  private pump(delayMs: number): void {
    if (this.busy || this.timer || this.queue.length === 0 || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.deliver();
    }, delayMs);
    this.timer.unref();
  }

  private async deliver(): Promise<void> {
    const item = this.queue[0];
    if (!item) return;
    this.busy = true;
    let ok = false;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'arpscope' },
        body: item.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      ok = res.ok;
      await res.arrayBuffer().catch(() => undefined);
      if (!ok) this.opts.log?.(`webhook: ${this.url} answered ${res.status}`);
    } catch (err) {
      this.opts.log?.(`webhook: ${this.url}: ${(err as Error).message}`);
    }
    this.busy = false;
    if (ok) {
      this.queue.shift();
      this.stats.sent++;
      this.stats.queued = this.queue.length;
      this.pump(0);
      return;
    }
    this.stats.failures++;
    item.attempt++;
    if (item.attempt >= (this.opts.maxAttempts ?? 8)) {
      this.queue.shift();
      this.stats.dropped++;
      this.stats.queued = this.queue.length;
    }
    this.pump(Math.min(60_000, (this.opts.baseDelayMs ?? 1000) * 2 ** Math.min(item.attempt - 1, 6)));
  }

  /** Gives queued alerts up to `graceMs` to go out. */
  async close(graceMs = 1000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while ((this.queue.length > 0 || this.busy) && Date.now() < deadline) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        if (!this.busy) void this.deliver();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
