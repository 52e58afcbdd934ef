import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../analyze/finding.js';
import { AlertDeduper, StreamSink, WebhookSink, type Alert } from './alerts.js';

const finding = (kind: string, ip: string, severity: Finding['severity'] = 'warning'): Finding => ({
  kind, severity, ip, ips: [ip], macs: [], first_ts: 0, last_ts: 0, count: 1, title: `${kind} ${ip}`,
  explanation: '', causes: [], next_steps: [], evidence: [],
});

describe('AlertDeduper', () => {
  it('raises once per (kind, ip), re-alerts after the interval, clears after quiet windows', () => {
    const d = new AlertDeduper(60, 2);
    const f = finding('arp.conflict', '192.0.2.1', 'critical');
    expect(d.process([f], 0, () => 'eth0').map((a) => a.state)).toEqual(['raised']);
    expect(d.process([f], 10, () => 'eth0')).toEqual([]);
    expect(d.process([f], 70, () => 'eth0').map((a) => [a.state, a.repeat])).toEqual([['raised', true]]);
    expect(d.process([], 80, () => 'eth0')).toEqual([]);
    expect(d.process([], 90, () => 'eth0').map((a) => a.state)).toEqual(['cleared']);
    expect(d.activeCount).toBe(0);
    expect(d.process([f], 100, () => 'eth0').map((a) => a.state)).toEqual(['raised']);
  });

  it('treats info findings as one-shot information', () => {
    const d = new AlertDeduper(60, 1);
    const f = finding('arp.failover', '192.0.2.5', 'info');
    expect(d.process([f], 0, () => 'eth0').map((a) => a.state)).toEqual(['info']);
    expect(d.process([], 1, () => 'eth0')).toEqual([]);
  });
});

describe('sinks', () => {
  it('writes JSON lines, and escapes control characters in human lines', () => {
    const out: string[] = [];
    const a: Alert = { state: 'raised', ts: 1, iface: 'eth0', finding: finding('arp.spoof', '192.0.2.1') };
    new StreamSink((s) => out.push(s), true).send(a);
    expect(JSON.parse(out[0]!)).toMatchObject({ type: 'alert', state: 'raised', kind: 'arp.spoof', iface: 'eth0' });
    new StreamSink((s) => out.push(s), false).send({ ...a, finding: { ...a.finding, title: 'x\x1b[2Jy' } });
    expect(out[1]).toContain('x\\x1b[2Jy');
  });

  it('webhook retries with backoff until the receiver accepts, without blocking the caller', async () => {
    let calls = 0;
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        calls++;
        if (calls <= 2) res.writeHead(503).end();
        else {
          bodies.push(body);
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sink = new WebhookSink(`http://127.0.0.1:${port}/hook`, { baseDelayMs: 20 });
    sink.send({ state: 'raised', ts: 1, iface: 'eth0', finding: finding('arp.conflict', '192.0.2.9', 'critical') });
    // send() only queues: nothing has reached the receiver when it returns.
    expect(calls).toBe(0);
    const end = Date.now() + 5000;
    while (sink.stats.sent === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(bodies[0]!)).toMatchObject({ kind: 'arp.conflict', ip: '192.0.2.9', state: 'raised' });
    expect(sink.stats).toMatchObject({ sent: 1, failures: 2, dropped: 0 });
    await sink.close(100);
    server.close();
  });

  it('webhook queue is bounded and counts what it drops', async () => {
    const sink = new WebhookSink('http://127.0.0.1:9/unreachable', { maxQueue: 3, baseDelayMs: 10_000, timeoutMs: 100 });
    for (let i = 0; i < 10; i++) sink.send({ state: 'raised', ts: i, iface: 'eth0', finding: finding('arp.scan', `192.0.2.${i}`) });
    expect(sink.stats.dropped).toBe(7);
    await sink.close(50);
  });
});
