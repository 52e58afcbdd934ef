/**
 * The watch dashboard (watch --ui): the HTML report's page and script over the
 * live state, kept current with server-sent events.
 *
 *   GET /              the page, with a snapshot embedded as the report embeds its data
 *   GET /events        text/event-stream: `snapshot` when the page is behind, then `update` deltas
 *   GET /snapshot.json the same snapshot, for scripts
 *   GET /assets/...    uPlot and the report's client script and style
 *
 * Read-only: GET and HEAD, no request body. Everything from a packet is
 * attacker-controlled; the page embeds it as escaped JSON, the client sets it
 * with textContent, and the CSP allows scripts from this origin only (no
 * inline script at all). On a non-loopback address a token is required
 * (`?token=` once, then an HttpOnly cookie; or `Authorization: Bearer`);
 * without a token only loopback Host names are answered (DNS rebinding).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import { CLIENT_JS } from '../report/html-client.js';
import { htmlAssets } from '../report/html-assets.js';
import { CSS, escapeHtml, pageHtml } from '../report/html.js';
import type { LiveView } from '../watch/live-view.js';
import { listenOn, serveMetrics, urlOf, type Listen } from './http.js';
import type { WatchMetrics } from './metrics.js';

export interface UiOptions {
  live: LiveView;
  /** Required on a non-loopback address; when given it is required everywhere. */
  token: string | null;
  /** Serve /metrics and /healthz on the same port (--metrics given the same address). */
  metrics?: WatchMetrics;
  log: (s: string) => void;
  /** Concurrent event streams; more get 429 (default 32). */
  maxClients?: number;
  /** Comment lines on idle streams, so proxies and browsers keep them open (default 15 s). */
  heartbeatMs?: number;
  /** How often changes are pushed (default 1 s). */
  tickMs?: number;
  /** A stream with more than this unsent is a client not reading: it is closed (default 4 MiB). */
  maxBufferedBytes?: number;
}

export const TOKEN_RULE = 'at least 16 characters of A-Z a-z 0-9 . _ ~ + / = -';
const TOKEN_RE = /^[A-Za-z0-9._~+/=-]{16,512}$/;

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The token rule, checked before anything starts: a usage error (exit 2) when broken. */
export function checkUiAccess(listen: Listen, token: string | null): void {
  if (token !== null && !TOKEN_RE.test(token)) throw new UsageError(`watch: the --ui token must be ${TOKEN_RULE}`);
  if (token === null && !isLoopback(listen.host)) {
    throw new UsageError(`watch: --ui on ${listen.host} (not loopback) needs an access token: --ui-token TOKEN or ARPSCOPE_UI_TOKEN`);
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(token));
}

const CSP_META = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ');
/** frame-ancestors works only as a header (a meta tag would log an error). */
const CSP = `${CSP_META}; frame-ancestors 'none'`;

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
} as const;

interface Asset {
  type: string;
  body: Buffer;
}

let assets: Map<string, Asset> | null = null;
function assetTable(): Map<string, Asset> {
  if (assets) return assets;
  const { uplotJs, uplotCss } = htmlAssets();
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  assets = new Map([
    ['/assets/uplot.js', { type: js, body: Buffer.from(uplotJs) }],
    ['/assets/arpscope.js', { type: js, body: Buffer.from(CLIENT_JS) }],
    ['/assets/uplot.css', { type: css, body: Buffer.from(uplotCss) }],
    ['/assets/arpscope.css', { type: css, body: Buffer.from(CSS) }],
  ]);
  return assets;
}

const iso = (ts: number): string => new Date(ts * 1000).toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');

export function renderDashboard(live: LiveView): string {
  const data = live.snapshot();
  const s = data.summary;
  return pageHtml({
    title: `arpscope watch: ${s.ifaces.join(', ')}`,
    csp: CSP_META,
    head: '<link rel="stylesheet" href="assets/uplot.css">\n<link rel="stylesheet" href="assets/arpscope.css">',
    meta: `<div class="meta"><span>live on ${escapeHtml(s.ifaces.join(', '))}</span><span>findings every ${escapeHtml(s.window_s)} s window</span><span>since ${escapeHtml(iso(s.started))}</span></div>
<div class="meta" id="live-status">connecting</div>`,
    findings: '',
    data,
    scripts: '<script src="assets/uplot.js"></script>\n<script src="assets/arpscope.js"></script>',
  });
}

interface Client {
  res: ServerResponse;
}

export class UiServer {
  readonly server: Server;
  private readonly clients = new Set<Client>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly cookie: string;

  constructor(
    private readonly listen: Listen,
    private readonly o: UiOptions,
  ) {
    // Cookies ignore ports: one name per port, so two dashboards on one host do not overwrite each other.
    this.cookie = `arpscope_ui_${listen.port}`;
    this.server = createServer((req, res) => this.handle(req, res));
    // Slow request headers must not hold sockets; event streams are responses, not requests, so they stay open.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
    this.server.maxConnections = (o.maxClients ?? 32) + 64;
  }

  get streams(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    checkUiAccess(this.listen, this.o.token);
    await listenOn(this.server, this.listen);
    this.timers.push(setInterval(() => this.tick(), this.o.tickMs ?? 1000));
    this.timers.push(setInterval(() => this.broadcast(': ping\n\n'), this.o.heartbeatMs ?? 15_000));
    for (const t of this.timers) t.unref();
    this.o.log(`dashboard on ${urlOf(this.listen, '/')}${this.o.token ? ' (token required)' : ''}${this.o.metrics ? `, metrics on ${urlOf(this.listen, '/metrics')}` : ''}`);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private tick(): void {
    if (this.clients.size === 0) return; // the next page embeds a fresh snapshot anyway
    const d = this.o.live.delta();
    if (d) this.broadcast(`id: ${d.seq}\nevent: update\ndata: ${JSON.stringify(d)}\n\n`);
  }

  private broadcast(text: string): void {
    for (const c of this.clients) this.send(c, text);
  }

  /** Never buffers without bound: a client that does not read is dropped. */
  private send(c: Client, text: string): void {
    if (c.res.writableLength > (this.o.maxBufferedBytes ?? 4 << 20)) {
      this.clients.delete(c);
      c.res.destroy();
      this.o.log('dashboard: dropped an event stream that was not reading');
      return;
    }
    c.res.write(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.text(res, 405, 'method not allowed (read-only: GET and HEAD)', { allow: 'GET, HEAD' });
    if ((req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined) {
      // The body is never read: close the connection rather than parse what follows it as a request.
      return this.text(res, 400, 'no request body accepted', { connection: 'close' });
    }
    if (this.o.metrics && serveMetrics(this.o.metrics, path, res)) return;
    const token = this.o.token;
    if (token === null) {
      // Without a token only a loopback name may reach us: a page elsewhere cannot rebind its name to 127.0.0.1 and read this.
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopback(host)) return this.text(res, 403, 'forbidden: use a loopback address (127.0.0.1, localhost) to reach this dashboard');
    } else {
      const q = url.searchParams.get('token') ?? undefined;
      const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const given = q ?? auth ?? this.cookieValue(req);
      if (!tokenMatches(given, token)) {
        return this.text(res, 401, 'unauthorized: open the dashboard with ?token=TOKEN, or send Authorization: Bearer TOKEN', { 'www-authenticate': 'Bearer realm="arpscope"' });
      }
      if (q !== undefined) {
        res.setHeader('set-cookie', `${this.cookie}=${token}; Path=/; HttpOnly; SameSite=Strict`);
        // Drop the token from the address bar (and history) once the cookie holds it.
        if (path === '/') return void res.writeHead(303, { location: './', 'cache-control': 'no-store' }).end();
      }
    }
    if (path === '/') return this.body(res, 200, 'text/html; charset=utf-8', renderDashboard(this.o.live), req.method === 'HEAD');
    if (path === '/snapshot.json') return this.body(res, 200, 'application/json', JSON.stringify(this.o.live.snapshot()), req.method === 'HEAD');
    if (path === '/events') return this.events(req, res, url);
    const a = assetTable().get(path);
    if (a) return this.body(res, 200, a.type, a.body, req.method === 'HEAD', 'no-cache');
    this.text(res, 404, 'not found');
  }

  private cookieValue(req: IncomingMessage): string | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === this.cookie) return part.slice(i + 1).trim();
    }
    return undefined;
  }

  private events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (this.clients.size >= (this.o.maxClients ?? 32)) return this.text(res, 429, 'too many dashboard streams', { 'retry-after': '10' });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    if (req.method === 'HEAD') return void res.end();
    req.socket.setNoDelay(true);
    const c: Client = { res };
    this.clients.add(c);
    req.on('close', () => this.clients.delete(c));
    res.write('retry: 3000\n\n');
    // A page (or a reconnect) that is not at the latest published state gets all of it; later deltas are upserts.
    const since = Number(req.headers['last-event-id'] ?? url.searchParams.get('since') ?? -1);
    const live = this.o.live;
    if (since !== live.seq) {
      const doc = live.snapshot();
      this.send(c, `id: ${doc.seq}\nevent: snapshot\ndata: ${JSON.stringify(doc)}\n\n`);
    }
  }

  private text(res: ServerResponse, status: number, msg: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(msg + '\n');
  }

  private body(res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean, cache = 'no-store'): void {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': cache });
    res.end(head ? undefined : body);
  }
}

export async function startUiServer(listen: Listen, o: UiOptions): Promise<UiServer> {
  const ui = new UiServer(listen, o);
  await ui.start();
  return ui;
}
