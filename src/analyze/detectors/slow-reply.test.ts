/**
 * arp.slow-reply: the real capture (replies delayed by a user-space relay
 * between two namespaces, latency percentiles from the engine's binding
 * table), and its per-target columns against the rule written plainly on
 * random request/reply streams with fast, slow and stale replies.
 */
import { describe, expect, it } from 'vitest';
import { formatMac } from '../../print/addr.js';
import { isGratuitous } from '../../../test/arp-rules.js';
import { HEALTHY, lcg, runArpEvents, runDetector, scenario, type ArpEventSpec } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import type { FrameRef } from '../events.js';
import { ip4 } from './util.js';
import { slowReplyDetector } from './slow-reply.js';

const cfg = defaultConfig();

describe('arp.slow-reply', () => {
  it('replies delayed by ~250 ms, with the percentiles from the binding table', async () => {
    const d = await runDetector(scenario('arp-slow-reply'), slowReplyDetector);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'arp.slow-reply', severity: 'warning' });
    const details = d[0]!.details as { slow_replies: number; p50_ms: number; p99_ms: number; max_ms: number };
    expect(details.slow_replies).toBe(d[0]!.count);
    expect(details.p50_ms).toBeGreaterThan(200);
    expect(details.p50_ms).toBeLessThanOrEqual(details.p99_ms);
    expect(details.p99_ms).toBeLessThanOrEqual(details.max_ms);
    expect(d[0]!.title).toContain(`p50 ${details.p50_ms} ms`);
  });

  it('the threshold is --slow-ms: at 1000 ms these replies are not slow', async () => {
    const strict = defaultConfig();
    strict.slowMs = 1000;
    expect(await runDetector(scenario('arp-slow-reply'), slowReplyDetector, strict)).toEqual([]);
  });

  for (const name of HEALTHY) {
    it(`quiet on ${name}`, async () => {
      expect(await runDetector(scenario(name), slowReplyDetector)).toEqual([]);
    });
  }
});

interface Slow {
  ip: number;
  count: number;
  answered: number;
  macs: number[];
  first: number;
  last: number;
  refs: FrameRef[];
}

/** The rule, plainly: a reply later than slowMs (and no more than 5 s) after the latest request for its sender IP. */
function reference(events: readonly ArpEventSpec[]): Slow[] {
  const pending = new Map<number, FrameRef>();
  const slow = new Map<number, Slow>();
  for (const e of events) {
    const gratuitous = isGratuitous(e);
    if (e.op === 1) {
      if (e.spa !== 0 && !gratuitous) pending.set(e.tpa, { input: 0, frame: e.frame, ts: e.ts });
      continue;
    }
    if (e.op !== 2 || gratuitous) continue;
    const req = pending.get(e.spa);
    if (!req) continue;
    pending.delete(e.spa);
    const delay = e.ts - req.ts;
    let s = slow.get(e.spa);
    if (delay <= cfg.slowMs / 1000 || delay > 5) {
      if (s) s.answered++;
      continue;
    }
    if (!s) slow.set(e.spa, (s = { ip: e.spa, count: 0, answered: 0, macs: [], first: req.ts, last: 0, refs: [] }));
    s.count++;
    s.answered++;
    s.last = e.ts;
    if (s.macs.length < 8 && !s.macs.includes(e.sha)) s.macs.push(e.sha);
    if (s.refs.length < 6) s.refs.push(req, { input: 0, frame: e.frame, ts: e.ts });
  }
  return [...slow.values()];
}

function randomStream(seed: number, n: number): ArpEventSpec[] {
  const rnd = lcg(seed);
  const net = 0xc0000200;
  const out: ArpEventSpec[] = [];
  let ts = 1000;
  let frame = 0;
  for (let i = 0; i < n; i++) {
    ts += 0.2 + rnd(1500) / 1000;
    const host = net + 1 + rnd(3);
    const target = net + 100 + rnd(5);
    const hostMac = 0x020000000000 + (host & 0xff);
    // A target answers from one of two MACs now and then (a proxy, a failover).
    const targetMac = 0x020000001000 + (target & 0xff) + (rnd(8) === 0 ? 0x100 : 0);
    const kind = rnd(10);
    if (kind === 0) out.push({ frame: ++frame, ts, op: 1, sha: hostMac, spa: 0, tha: 0, tpa: target }); // a probe: no answer expected
    else if (kind === 1) out.push({ frame: ++frame, ts, op: 2, sha: targetMac, spa: target, tha: 0xffffffffffff, tpa: target, ethDst: 0xffffffffffff }); // gratuitous
    else {
      out.push({ frame: ++frame, ts, op: 1, sha: hostMac, spa: host, tha: 0, tpa: target });
      if (rnd(5) === 0) continue; // unanswered
      // Fast, slow, or stale (past 5 s): replies are kept in time order by answering before the next request.
      const delay = [0.0002, 0.003, 0.09, 0.15, 0.4, 0.9][rnd(6)]!;
      const late = rnd(12) === 0 ? 6 : 0;
      ts += delay + late;
      out.push({ frame: ++frame, ts, op: 2, sha: targetMac, spa: target, tha: hostMac, tpa: host });
      // A second reply to the same request (two responders, a retransmission): not timed again.
      if (rnd(6) === 0) out.push({ frame: ++frame, ts: (ts += 0.3), op: 2, sha: targetMac + 0x100, spa: target, tha: hostMac, tpa: host });
    }
  }
  return out;
}

describe('arp.slow-reply, its columns against the plain rule', () => {
  it('reports what the plain rule reports, in the same order, on random streams', () => {
    let findings = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const events = randomStream(seed, 250);
      const want = reference(events);
      const got = runArpEvents(slowReplyDetector, events, cfg);
      findings += got.length;
      expect(
        got.map((d) => [d.ip, d.count, (d.details as { replies_timed: number }).replies_timed, d.first_ts, d.last_ts, d.macs]),
        `seed ${seed}`,
      ).toEqual(want.map((s) => [ip4(s.ip), s.count, s.answered, s.first, s.last, [...s.macs].sort((a, b) => a - b).map(formatMac)]));
      expect(got.map((d) => d.refs.map((r) => r.frame))).toEqual(want.map((s) => s.refs.map((r) => r.frame)));
    }
    expect(findings).toBeGreaterThan(100);
  });
});
