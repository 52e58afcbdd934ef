/**
 * The dashboard server over a real socket: the token rule, security headers,
 * read-only methods, the event stream (snapshot, updates, heartbeats), the
 * client cap and the drop of a client that stops reading.
 */
import { spawnSync } from 'node:child_process';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { alert, finding, LiveFixture } from '../../test/live-fixture.js';
import { repoRoot } from '../../test/corpus.js';
import { checkUiAccess, isLoopback, tokenMatches, UiServer, type UiOptions } from './ui.js';

const TOKEN = 'test-token-0123456789abcdef';
const servers: UiServer[] = [];

async function serve(o: Partial<UiOptions> = {}, host = '127.0.0.1'): Promise<{ ui: UiServer; base: string; fx: LiveFixture }> {
  const fx = new LiveFixture();
  const ui = new UiServer({ host, port: 0 }, { live: fx.live, token: null, log: () => undefined, ...o });
  await ui.start();
  servers.push(ui);
  const port = (ui.server.address() as AddressInfo).port;
  return { ui, base: `http://127.0.0.1:${port}`, fx };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Reads an event stream until `want` matches what arrived (bounded by time). */
async function readStream(res: Response, want: (text: string) => boolean, ms = 5000): Promise<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  const end = Date.now() + ms;
  try {
    while (!want(text)) {
      if (Date.now() > end) throw new Error(`stream: timed out; got ${JSON.stringify(text.slice(0, 300))}`);
      const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), Math.max(1, end - Date.now())))]);
      if (r === null) continue;
      if (r.done) break;
      text += dec.decode(r.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}

const until = async (what: string, fn: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the token rule', () => {
  it('loopback needs no token; any other address does, and a token must be long enough', () => {
    for (const h of ['127.0.0.1', '127.8.0.1', '::1', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.0.2.1', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
    expect(() => checkUiAccess({ host: '127.0.0.1', port: 1 }, null)).not.toThrow();
    expect(() => checkUiAccess({ host: '0.0.0.0', port: 1 }, null)).toThrow(UsageError);
    expect(() => checkUiAccess({ host: '0.0.0.0', port: 1 }, TOKEN)).not.toThrow();
    expect(() => checkUiAccess({ host: '0.0.0.0', port: 1 }, 'short')).toThrow(/at least 16/);
    expect(() => checkUiAccess({ host: '0.0.0.0', port: 1 }, 'sixteen chars; with space')).toThrow(UsageError);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });

  it('watch --ui on a non-loopback address without a token exits 2 with one line, before capturing', () => {
    const bin = join(repoRoot, 'bin', 'arpscope.js');
    const env = { ...process.env, ARPSCOPE_UI_TOKEN: '' };
    const r = spawnSync(process.execPath, [bin, 'watch', '-i', 'lo', '--no-store', '--ui', '0.0.0.0:19618'], { env, timeout: 10_000, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs an access token: --ui-token TOKEN or ARPSCOPE_UI_TOKEN/);
    const t = spawnSync(process.execPath, [bin, 'watch', '-i', 'lo', '--no-store', '--ui-token', TOKEN], { env, timeout: 10_000, encoding: 'utf8' });
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/--ui-token needs --ui/);
  });

  it('with a token: 401 without it or with a wrong one; 200 with Bearer; ?token= sets an HttpOnly cookie that then works', async () => {
    const { base } = await serve({ token: TOKEN });
    for (const path of ['/', '/events', '/snapshot.json', '/assets/arpscope.js', '/nope']) {
      const r = await fetch(base + path);
      expect(r.status, path).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      await r.text();
    }
    expect((await fetch(`${base}/?token=${TOKEN}x`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base}/snapshot.json`, { headers: { authorization: `Bearer ${TOKEN.slice(1)}` } })).status).toBe(401);
    const ok = await fetch(`${base}/snapshot.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { live: boolean }).live).toBe(true);

    const first = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('./');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="arpscope-data"');
    expect((await fetch(`${base}/`, { headers: { cookie: 'arpscope_ui_0=wrong-token-0123456789' } })).status).toBe(401);
  });

  it('without a token, only loopback Host names are answered (no DNS rebinding)', async () => {
    const { base } = await serve();
    expect((await fetch(`${base}/snapshot.json`)).status).toBe(200);
    const port = new URL(base).port;
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const s = connect(Number(port), '127.0.0.1', () => s.write(`GET /snapshot.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('end', () => resolve(Number(got.split(' ')[1])));
        s.on('error', reject);
      });
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`evil.example:${port}`)).toBe(403);
  });
});

describe('responses', () => {
  it('carry CSP (no inline script, no other origin), nosniff and no-referrer; the page has no inline script', async () => {
    const { base } = await serve();
    for (const path of ['/', '/snapshot.json', '/assets/uplot.js', '/events', '/missing']) {
      const ctl = new AbortController();
      const r = await fetch(base + path, { signal: ctl.signal });
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
      ctl.abort();
    }
    const html = await (await fetch(base + '/')).text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1]!.trim())).toEqual(['type="application/json" id="arpscope-data"', 'src="assets/uplot.js"', 'src="assets/arpscope.js"']);
    expect((await fetch(base + '/assets/arpscope.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('is read-only: other methods get 405, a request body 400, HEAD no body', async () => {
    const { base } = await serve();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await fetch(base + '/', { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
    const withBody = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(new URL(base).port), '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello'));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    expect(withBody).toMatch(/^HTTP\/1\.1 400/);
    const head = await fetch(base + '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await head.text()).toBe('');
  });

  it('shares the port with /metrics and /healthz when given the metrics', async () => {
    const { WatchMetrics } = await import('./metrics.js');
    const { base } = await serve({ metrics: new WatchMetrics(), token: TOKEN });
    const m = await fetch(base + '/metrics');
    expect(m.status).toBe(200);
    expect(await m.text()).toContain('arpscope_frames_total');
    expect((await fetch(base + '/healthz')).status).toBe(200);
    expect((await fetch(base + '/')).status).toBe(401);
  });
});

describe('the event stream', () => {
  it('sends a snapshot to a page that is behind, then updates with new findings, rows and rate points, and heartbeats', async () => {
    const { base, fx } = await serve({ tickMs: 30, heartbeatMs: 50 });
    fx.exchange('192.0.2.20', ['02:00:00:aa:00:0b'], 1_700_000_000);
    const behind = await fetch(`${base}/events?since=-1`);
    expect(behind.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const snap = await readStream(behind, (t) => t.includes('event: snapshot') && t.endsWith('\n\n'));
    expect(snap).toMatch(/^retry: \d+/);
    const doc = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(snap)![1]!) as { x: number[]; lanes: unknown[] };
    expect(doc.x.length).toBeGreaterThan(0);

    const res = await fetch(`${base}/events?since=${fx.live.seq}`);
    const got = readStream(res, (t) => /event: update\ndata: .*"kind":"arp\.conflict"/.test(t) && t.includes(': ping'));
    await new Promise((r) => setTimeout(r, 60));
    fx.exchange('192.0.2.20', ['02:00:00:aa:00:0b', '02:00:00:aa:00:0c'], 1_700_000_005);
    fx.window([['192.0.2.20', '02:00:00:aa:00:0c', 3]]);
    fx.live.onAlerts([alert(finding())]);
    const text = await got;
    expect(text).not.toContain('event: snapshot');
    const updates = [...text.matchAll(/event: update\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    const u = updates.find((x) => x['findings'])!;
    expect((u['findings'] as { finding: { kind: string } }[])[0]!.finding.kind).toBe('arp.conflict');
    expect(updates.some((x) => (x['rows'] as { ip: string }[] | undefined)?.some((r) => r.ip === '192.0.2.20'))).toBe(true);
    expect(updates.some((x) => (x['rates'] as { from: number } | undefined)?.from !== undefined)).toBe(true);
    // Sequence numbers only grow.
    const seqs = updates.map((x) => x['seq'] as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('caps concurrent streams (429 beyond) and frees a slot when a client goes away', async () => {
    const { ui, base } = await serve({ maxClients: 2 });
    const a = new AbortController();
    const b = new AbortController();
    const r1 = await fetch(`${base}/events`, { signal: a.signal });
    const r2 = await fetch(`${base}/events`, { signal: b.signal });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const r3 = await fetch(`${base}/events`);
    expect(r3.status).toBe(429);
    expect(r3.headers.get('retry-after')).toBeTruthy();
    await until('two streams', () => ui.streams === 2);
    a.abort();
    await until('the aborted stream to be cleaned up', () => ui.streams === 1);
    const c = new AbortController();
    const r4 = await fetch(`${base}/events`, { signal: c.signal });
    expect(r4.status).toBe(200);
    b.abort();
    c.abort();
    await until('no streams', () => ui.streams === 0);
  });

  it('drops a client that stops reading instead of buffering for it', async () => {
    const { ui, base, fx } = await serve({ tickMs: 10, maxBufferedBytes: 256 << 10 });
    const port = Number(new URL(base).port);
    // A raw socket that sends the request and then never reads a byte.
    const s = connect({ port, host: '127.0.0.1' }, () => s.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    s.pause();
    let closed = false;
    s.on('close', () => (closed = true));
    s.on('error', () => (closed = true));
    await until('the stream to open', () => ui.streams === 1);
    const rows: [string, string, number][] = [];
    for (let i = 0; i < 3000; i++) rows.push([`198.51.${(i >> 8) & 255}.${i & 255}`, '02:00:00:00:00:01', i]);
    // Every window changes every row: each update is hundreds of KB that this client never takes.
    for (let i = 0; i < 400 && ui.streams > 0; i++) {
      fx.window(rows);
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(ui.streams).toBe(0);
    await until('the socket to be closed', () => closed || s.destroyed, 5000).catch(() => undefined);
    s.destroy();
  }, 30_000);
});
