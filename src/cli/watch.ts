/** `arpscope watch`: the long-running monitor, its signals and its logs. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Server } from 'node:http';
import { UsageError } from '../errors.js';
import { WatchMetrics } from '../serve/metrics.js';
import { parseListen, startMetricsServer } from '../serve/http.js';
import { checkUiAccess, startUiServer, type UiServer } from '../serve/ui.js';
import { vendorOf } from '../analyze/oui.js';
import { LiveView } from '../watch/live-view.js';
import { BufferedStore } from '../store/buffered.js';
import { defaultDbPath, parseDuration } from '../store/paths.js';
import { SqliteStore } from '../store/sqlite.js';
import { StreamSink, WebhookSink, type AlertSink } from '../watch/alerts.js';
import { Watcher } from '../watch/watcher.js';
import { analysisConfig, type AnalysisCliOptions } from './analysis-options.js';

export interface WatchCliOptions extends AnalysisCliOptions {
  iface: string[];
  filter: string;
  json: boolean;
  db?: string;
  store: boolean;
  retain: string;
  webhook?: string;
  metrics?: string;
  window: string;
  realert: string;
  log?: string;
  netns?: string;
  ui?: string;
  uiToken?: string;
}

/** Log lines go to stderr, or to --log FILE (reopened on SIGHUP for logrotate). */
class Log {
  private fd: number;
  constructor(private readonly path?: string) {
    this.fd = path ? openSync(path, 'a') : 2;
  }
  line = (s: string): void => {
    try {
      writeSync(this.fd, `${new Date().toISOString()} arpscope: ${s}\n`);
    } catch {
      /* a log that cannot be written must not stop monitoring */
    }
  };
  reopen(): void {
    if (!this.path) return;
    const old = this.fd;
    this.fd = openSync(this.path, 'a');
    closeSync(old);
  }
  close(): void {
    if (this.path) closeSync(this.fd);
  }
}

export async function runWatch(o: WatchCliOptions): Promise<number> {
  if (o.iface.length === 0) throw new UsageError('watch: give at least one interface with -i IFACE');
  const config = analysisConfig('watch', o);
  const windowS = parseDuration(o.window);
  const reAlertS = parseDuration(o.realert);
  const retainS = parseDuration(o.retain);
  if (windowS < 1) throw new UsageError('watch: --window must be at least 1s');
  const listen = o.metrics ? parseListen(o.metrics) : null;
  const uiListen = o.ui ? parseListen(o.ui) : null;
  // The environment keeps the token out of `ps`; the flag wins when both are set.
  const uiToken = o.uiToken ?? (process.env['ARPSCOPE_UI_TOKEN'] || null);
  if (o.uiToken !== undefined && !uiListen) throw new UsageError('watch: --ui-token needs --ui HOST:PORT');
  if (uiListen) checkUiAccess(uiListen, uiToken);
  const shared = listen !== null && uiListen !== null && listen.port === uiListen.port;
  if (shared && listen.host !== uiListen.host) throw new UsageError('watch: --metrics and --ui on one port need the same address');

  const log = new Log(o.log);
  const metrics = new WatchMetrics();
  let store: BufferedStore | null = null;
  if (o.store) {
    const path = o.db ?? defaultDbPath();
    store = new BufferedStore(SqliteStore.open(path), { onError: (err: Error) => log.line(`store: ${path}: ${err.message} (events kept in memory)`) });
    log.line(`store: ${path}`);
  }
  const sinks: AlertSink[] = [new StreamSink((s) => process.stdout.write(s), o.json)];
  const webhook = o.webhook ? new WebhookSink(o.webhook, { log: log.line }) : null;
  if (webhook) sinks.push(webhook);

  let server: Server | null = null;
  if (listen && !shared) server = await startMetricsServer(listen, metrics, log.line);
  const live = uiListen ? new LiveView(o.iface, windowS, config.slowMs, vendorOf) : null;
  let ui: UiServer | null = null;
  if (uiListen && live) ui = await startUiServer(uiListen, { live, token: uiToken, log: log.line, ...(shared ? { metrics } : {}) });

  const watcher = new Watcher({
    ifaces: o.iface,
    ...(o.filter ? { bpf: o.filter } : {}),
    ...(o.netns ? { netns: o.netns } : {}),
    config,
    windowS,
    reAlertS,
    retainS,
    store,
    sinks,
    metrics,
    log: log.line,
    ...(live ? { live } : {}),
  });
  if (webhook) setInterval(() => metrics.webhookFailures.set(webhook.stats.failures), 1000).unref();

  const shutdown = async (why: string): Promise<void> => {
    log.line(`${why}: stopping`);
    // Never hang on the way out: whatever is not done in 2 s is abandoned.
    const guard = setTimeout(() => process.exit(watcher.fatalError ? 3 : 0), 2000);
    guard.unref();
    await watcher.stop();
    await webhook?.close(500);
    store?.flush();
    store?.close();
    server?.close();
    await ui?.close();
    log.close();
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    log.reopen();
    log.line('SIGHUP: log reopened');
  });

  watcher.start();
  log.line(`watching ${o.iface.join(', ')} (window ${windowS}s)`);
  await watcher.done;
  if (watcher.fatalError) {
    await shutdown('fatal');
    process.stderr.write(`arpscope: ${watcher.fatalError.message}\n`);
    return 3;
  }
  return 0;
}
