/**
 * watch end to end, on real kernel traffic: three hosts on a bridge in
 * network namespaces this test creates (192.0.2.0/24 only). A duplicate
 * IP, an unanswered target and a gratuitous-ARP failover must come out as
 * JSON alerts, rows in SQLite and values on /metrics; the capture survives
 * an interface flap and a killed capture child; SIGTERM exits cleanly; a
 * MAC changed while watch was down is still reported after the restart;
 * SIGHUP reopens the log file.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './corpus.js';

const bin = join(repoRoot, 'bin', 'arpscope.js');
const have = (c: string): boolean => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root (network namespaces)' : !have('ip') ? 'needs iproute2' : !have('tcpdump') ? 'needs tcpdump' : !have('arping') ? 'needs arping' : '';

const tag = `${process.pid % 100000}`;
const NS = { br: `arpscope-t-br${tag}`, a: `arpscope-t-a${tag}`, b: `arpscope-t-b${tag}`, c: `arpscope-t-c${tag}` };
const MAC = { a: '02:00:00:aa:00:0a', b: '02:00:00:aa:00:0b', c: '02:00:00:aa:00:0c', b2: '02:00:00:aa:00:bb' };

function sh(args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).toString();
}
const nsx = (ns: string, ...cmd: string[]): string => sh(['ip', 'netns', 'exec', ns, ...cmd]);
const arping = (ns: string, dev: string, ...args: string[]): void => {
  spawnSync('ip', ['netns', 'exec', ns, 'arping', '-i', dev, ...args], { timeout: 20_000, stdio: 'ignore' });
};

function setup(): void {
  teardown();
  for (const n of Object.values(NS)) sh(['ip', 'netns', 'add', n]);
  nsx(NS.br, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  nsx(NS.br, 'ip', 'link', 'set', 'br0', 'up');
  for (const h of ['a', 'b', 'c'] as const) {
    sh(['ip', 'link', 'add', `v${h}`, 'netns', NS[h], 'type', 'veth', 'peer', 'name', `p${h}`, 'netns', NS.br]);
    nsx(NS.br, 'ip', 'link', 'set', `p${h}`, 'master', 'br0', 'up');
    nsx(NS[h], 'ip', 'link', 'set', `v${h}`, 'address', MAC[h]);
    nsx(NS[h], 'ip', 'link', 'set', `v${h}`, 'up');
    nsx(NS[h], 'ip', 'link', 'set', 'lo', 'up');
  }
  nsx(NS.a, 'ip', 'addr', 'add', '192.0.2.10/24', 'dev', 'va');
  nsx(NS.b, 'ip', 'addr', 'add', '192.0.2.20/24', 'dev', 'vb');
  nsx(NS.b, 'ip', 'addr', 'add', '192.0.2.30/24', 'dev', 'vb');
  nsx(NS.b, 'ip', 'addr', 'add', '192.0.2.40/24', 'dev', 'vb');
  nsx(NS.c, 'ip', 'addr', 'add', '192.0.2.50/24', 'dev', 'vc');
}

function teardown(): void {
  for (const n of Object.values(NS)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
}

interface Running {
  child: ChildProcess;
  alerts: Record<string, unknown>[];
  log: string[];
}

function startWatch(db: string, port: number): Running {
  const child = spawn(process.execPath, [bin, 'watch', '--netns', NS.br, '-i', 'pa', '--json', '--db', db, '--metrics', `127.0.0.1:${port}`, '--window', '2s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Running = { child, alerts: [], log: [] };
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.trim()) r.alerts.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr!.on('data', (d: Buffer) => r.log.push(...d.toString().split('\n').filter(Boolean)));
  return r;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function metrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : NaN;
}

const alertFor = (r: Running, kind: string, ip: string) => r.alerts.find((a) => a['kind'] === kind && a['ip'] === ip);

describe.skipIf(skip !== '')(`watch on a namespace bridge${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-watch-'));
  const db = join(dir, 'arpscope.db');
  const port = 20000 + (process.pid % 20000);
  let w: Running | null = null;

  beforeAll(() => setup());
  afterAll(() => {
    w?.child.kill('SIGKILL');
    teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts on a duplicate IP, an unanswered target and a failover; metrics and store agree', async () => {
    w = startWatch(db, port);
    const r = w;
    await until('capture start', () => r.log.some((l) => l.includes('capture started')));
    await new Promise((res) => setTimeout(res, 500));
    // Unanswered: nobody has .99.
    arping(NS.a, 'va', '-c', '6', '-W', '0.3', '192.0.2.99');
    // Duplicate IP: C takes .20 too; A's requests get two replies.
    nsx(NS.c, 'ip', 'addr', 'add', '192.0.2.20/24', 'dev', 'vc');
    arping(NS.a, 'va', '-c', '3', '-W', '0.3', '192.0.2.20');
    // Failover: A learns .30 at B; B drops it, C announces it gratuitously.
    arping(NS.a, 'va', '-c', '1', '192.0.2.30');
    await new Promise((res) => setTimeout(res, 700));
    nsx(NS.b, 'ip', 'addr', 'del', '192.0.2.30/24', 'dev', 'vb');
    nsx(NS.c, 'ip', 'addr', 'add', '192.0.2.30/24', 'dev', 'vc');
    arping(NS.c, 'vc', '-U', '-S', '192.0.2.30', '-c', '3', '-W', '0.2', '192.0.2.30');

    const conflict = await until('arp.conflict alert', () => alertFor(r, 'arp.conflict', '192.0.2.20'));
    expect(conflict).toMatchObject({ type: 'alert', state: 'raised', severity: 'critical', iface: 'pa', macs: [MAC.b, MAC.c] });
    expect((conflict['evidence'] as { line: string }[])[0]!.line).toContain('Reply 192.0.2.20 is-at');
    await until('arp.unanswered alert', () => alertFor(r, 'arp.unanswered', '192.0.2.99'));
    await until('failover or changed-mac for .30', () => alertFor(r, 'arp.failover', '192.0.2.30') ?? alertFor(r, 'arp.changed-mac', '192.0.2.30'));
    expect(r.alerts.filter((a) => a['kind'] === 'arp.conflict' && a['state'] === 'raised' && !a['repeat'])).toHaveLength(1);

    const text = await metrics(port);
    expect(metric(text, 'arpscope_frames_total', 'kind="arp_request"')).toBeGreaterThan(5);
    expect(metric(text, 'arpscope_arp_replies_total', 'iface="pa"')).toBeGreaterThan(2);
    expect(metric(text, 'arpscope_capture_up', 'iface="pa"')).toBe(1);
    expect(text).toMatch(/arpscope_arp_reply_latency_seconds_count\{iface="pa"\} [1-9]/);
  }, 60_000);

  it('recovers from an interface flap and a killed capture child', async () => {
    const r = w!;
    const before = r.log.filter((l) => l.includes('capture started')).length;
    nsx(NS.br, 'ip', 'link', 'set', 'pa', 'down');
    await new Promise((res) => setTimeout(res, 1500));
    nsx(NS.br, 'ip', 'link', 'set', 'pa', 'up');
    await until('restart after flap', () => r.log.filter((l) => l.includes('capture started')).length > before, 30_000);
    const pid = Number(/tcpdump pid (\d+)/.exec(r.log.filter((l) => l.includes('capture started')).pop()!)![1]);
    process.kill(pid, 'SIGKILL');
    await until('restart after kill', () => r.log.filter((l) => l.includes('capture started')).length > before + 1, 30_000);
    const framesBefore = metric(await metrics(port), 'arpscope_frames_total', 'kind="arp_request"');
    await new Promise((res) => setTimeout(res, 500));
    arping(NS.a, 'va', '-c', '2', '-W', '0.2', '192.0.2.40');
    let after = framesBefore;
    const end = Date.now() + 10_000;
    while (after <= framesBefore && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 200));
      after = metric(await metrics(port), 'arpscope_frames_total', 'kind="arp_request"');
    }
    expect(after).toBeGreaterThan(framesBefore);
    expect(metric(await metrics(port), 'arpscope_capture_restarts_total', 'iface="pa"')).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('exits 0 within 2 s on SIGTERM and leaves its findings in the store', async () => {
    const r = w!;
    const t0 = Date.now();
    r.child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => r.child.once('exit', (c) => res(c)));
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2500);
    const ev = JSON.parse(execFileSync(process.execPath, [bin, 'events', '--db', db, '--json']).toString()) as { kind: string; ip: string }[];
    expect(ev.some((e) => e.kind === 'arp.conflict' && e.ip === '192.0.2.20')).toBe(true);
    const b = JSON.parse(execFileSync(process.execPath, [bin, 'bindings', '--db', db, '--json', '--ip', '192.0.2.40']).toString()) as { mac: string }[];
    expect(b.map((x) => x.mac)).toContain(MAC.b);
  }, 20_000);

  it('reports a MAC that changed while watch was stopped', async () => {
    nsx(NS.b, 'ip', 'link', 'set', 'vb', 'address', MAC.b2);
    w = startWatch(db, port + 1);
    const r = w;
    await until('capture start', () => r.log.some((l) => l.includes('capture started')));
    await new Promise((res) => setTimeout(res, 500));
    arping(NS.a, 'va', '-c', '2', '-W', '0.2', '192.0.2.40');
    const ch = await until('arp.changed-mac after restart', () => alertFor(r, 'arp.changed-mac', '192.0.2.40'));
    expect(ch['macs']).toEqual([MAC.b, MAC.b2].sort());
    r.child.kill('SIGTERM');
    await new Promise((res) => r.child.once('exit', res));
  }, 40_000);

  it('reopens its --log file on SIGHUP (logrotate moved the old one away)', async () => {
    const file = join(dir, 'watch.log');
    const child = spawn(process.execPath, [bin, 'watch', '--netns', NS.br, '-i', 'pa', '--no-store', '--log', file, '--window', '2s'], { stdio: 'ignore' });
    w = { child, alerts: [], log: [] };
    const read = (p: string): string => (existsSync(p) ? readFileSync(p, 'utf8') : '');
    await until('capture start in the log file', () => read(file).includes('capture started'));
    renameSync(file, `${file}.1`);
    child.kill('SIGHUP');
    await until('a new log file', () => read(file).includes('SIGHUP: log reopened'));
    // The capture goes on, and its lines go to the new file only.
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    expect(code).toBe(0);
    expect(read(`${file}.1`)).toContain('capture started');
    expect(read(`${file}.1`)).not.toContain('SIGHUP');
    expect(read(file)).not.toContain('capture started');
  }, 30_000);
});
