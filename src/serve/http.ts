/**
 * The watch HTTP server: /metrics (Prometheus text), /healthz. Binds
 * 127.0.0.1 unless told otherwise; read-only; no request body is read.
 * The dashboard (ui.ts) serves these too when given the same address.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { UsageError } from '../errors.js';
import type { WatchMetrics } from './metrics.js';

export interface Listen {
  host: string;
  port: number;
}

/** "9617", ":9617", "127.0.0.1:9617", "[::1]:9617" */
export function parseListen(text: string, defaultHost = '127.0.0.1'): Listen {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*))?:?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`invalid listen address '${text}' (want HOST:PORT)`);
  const host = m[1] ?? (m[2] || defaultHost);
  return { host, port };
}

/** Answers /metrics and /healthz; false for any other path (the caller answers those). */
export function serveMetrics(metrics: WatchMetrics, path: string, res: ServerResponse): boolean {
  if (path === '/metrics') {
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500).end(err.message),
    );
    return true;
  }
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return true;
  }
  return false;
}

/** Listens, turning a bind failure into a one-line usage error. */
export function listenOn(server: Server, listen: Listen): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`cannot listen on ${listen.host}:${listen.port}: ${err.code ?? err.message}`)));
    server.listen(listen.port, listen.host, () => resolve());
  });
}

export const urlOf = (l: Listen, path: string): string => `http://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}${path}`;

export async function startMetricsServer(listen: Listen, metrics: WatchMetrics, log: (s: string) => void): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!serveMetrics(metrics, path, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await listenOn(server, listen);
  log(`metrics on ${urlOf(listen, '/metrics')}`);
  return server;
}
