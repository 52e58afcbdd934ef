import { describe, expect, it } from 'vitest';
import { formatMac } from '../../print/addr.js';
import { isGratuitous } from '../../../test/arp-rules.js';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, lcg, runArpEvents, runDetector, scenario, type ArpEventSpec } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import { ip4 } from './util.js';
import { unansweredDetector } from './unanswered.js';

const cfg = defaultConfig();

describe('arp.unanswered', () => {
  it('requests for an address nobody holds (real kernel retries)', async () => {
    const d = await runDetector(scenario('arp-unanswered'), unansweredDetector);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'arp.unanswered', severity: 'warning', ip: '192.0.2.99', macs: ['02:00:00:01:00:0a'], count: 6 });
    expect(d[0]!.refs).toHaveLength(6);
  });

  it("leaves a sweep's misses to arp.scan", async () => {
    expect(await runDetector(scenario('arp-scan'), unansweredDetector)).toEqual([]);
  });

  for (const name of HEALTHY) {
    it(`quiet on ${name}`, async () => {
      expect(await runDetector(scenario(name), unansweredDetector)).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.unanswered on public captures', () => {
  it("leaves nmap's ARP ping sweep to arp.scan, though it asks most targets only twice", async () => {
    expect(await runDetector(corpus('zeek-nmap-vsn.pcap'), unansweredDetector)).toEqual([]);
  });

  it('still reports a target another host asked for in vain during a sweep', async () => {
    const d = await runDetector(corpus('nobleprog-arpsweep.pcapng'), unansweredDetector);
    expect(d.map((f) => [f.ip, f.macs])).toEqual([['192.168.0.104', ['00:13:46:cc:a3:ea', '00:13:ce:46:9c:c0']]]);
  });
});

/*
 * The runs are kept in columns by target id, with an array of further
 * requesters and a sweeper rule at the end: checked against the rule written
 * plainly (a Map of runs by target address) on random streams of requests,
 * replies, announcements, probes and requests sent by the targets themselves.
 */
interface Run {
  ip: number;
  first: number;
  last: number;
  count: number;
  requesters: number[];
}

/** The rule, plainly: what the detector must report for `events`, in its order (closed runs, then open ones by first sight of the address). */
function reference(events: readonly ArpEventSpec[]): Run[] {
  const pending = new Map<number, Run>();
  const closed: Run[] = [];
  const seen = new Map<number, number>();
  const see = (ip: number): void => void (seen.has(ip) || seen.set(ip, seen.size));
  const qualifies = (p: Run): boolean => p.count >= cfg.unansweredMin && p.last - p.first >= 1;
  for (const e of events) {
    see(e.spa);
    see(e.tpa);
    // Any ARP from an address answers for it.
    const p = e.spa !== 0 ? pending.get(e.spa) : undefined;
    if (p) {
      pending.delete(e.spa);
      if (qualifies(p) && e.ts - p.last > cfg.replyTimeoutS) closed.push(p);
    }
    if (e.op !== 1 || e.spa === 0 || isGratuitous(e)) continue;
    let q = pending.get(e.tpa);
    if (!q) pending.set(e.tpa, (q = { ip: e.tpa, first: e.ts, last: e.ts, count: 0, requesters: [] }));
    q.last = e.ts;
    q.count++;
    if (q.requesters.length < 32 && !q.requesters.includes(e.sha)) q.requesters.push(e.sha);
  }
  const open = [...pending.values()].filter(qualifies).sort((a, b) => seen.get(a.ip)! - seen.get(b.ip)!);
  // A sweeper: a requester without an answer from at least scanMin targets (closed runs, and every open one).
  const misses = new Map<number, number>();
  for (const r of [...closed, ...pending.values()]) for (const m of r.requesters) misses.set(m, (misses.get(m) ?? 0) + 1);
  return [...closed, ...open].filter((r) => !r.requesters.every((m) => misses.get(m)! >= cfg.scanMin));
}

function randomStream(seed: number, n: number): ArpEventSpec[] {
  const rnd = lcg(seed);
  const net = 0xc0000200; // 192.0.2.0/24
  // Few targets (runs recur and get answered), a few requesters, one that sweeps many targets in some seeds.
  const targets = 4 + rnd(8);
  const sweeper = rnd(3) === 0;
  const out: ArpEventSpec[] = [];
  let ts = 1000;
  for (let i = 0; i < n; i++) {
    ts += rnd(5) === 0 ? 1 + rnd(3) : rnd(500) / 1000;
    const kind = rnd(20);
    const target = net + 100 + rnd(targets);
    const host = net + 1 + rnd(4);
    const hostMac = 0x020000000000 + (host & 0xff);
    const targetMac = 0x020000001000 + (target & 0xff);
    if (sweeper && kind === 0) {
      // One requester asking for addresses across the subnet, never answered.
      for (let k = 0; k < 40; k++) out.push({ frame: 0, ts: (ts += 0.01), op: 1, sha: 0x0200000000ee, spa: net + 250, tha: 0, tpa: net + 1 + rnd(254) });
    } else if (kind < 12) out.push({ frame: 0, ts, op: 1, sha: hostMac, spa: host, tha: 0, tpa: target });
    else if (kind < 15) out.push({ frame: 0, ts, op: 2, sha: targetMac, spa: target, tha: hostMac, tpa: host });
    else if (kind < 16) out.push({ frame: 0, ts, op: 1, sha: targetMac, spa: target, tha: 0, tpa: host }); // the target asks: it is alive
    else if (kind < 17) out.push({ frame: 0, ts, op: 1, sha: targetMac, spa: target, tha: 0, tpa: target }); // announcement
    else if (kind < 18) out.push({ frame: 0, ts, op: 1, sha: hostMac, spa: 0, tha: 0, tpa: target }); // probe
    else if (kind < 19) out.push({ frame: 0, ts, op: 2, sha: targetMac, spa: target, tha: 0xffffffffffff, tpa: target }); // gratuitous reply
    else out.push({ frame: 0, ts, op: 1, sha: hostMac, spa: host, tha: targetMac, tpa: target, ethDst: targetMac }); // unicast re-check
  }
  out.forEach((e, i) => (e.frame = i + 1));
  return out;
}

describe('arp.unanswered, its columns against the plain rule', () => {
  it('reports what the plain rule reports, in the same order, on random streams', () => {
    let findings = 0;
    let swept = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const events = randomStream(seed, 400);
      const want = reference(events);
      const got = runArpEvents(unansweredDetector, events, cfg);
      findings += got.length;
      if (events.some((e) => e.sha === 0x0200000000ee)) swept++;
      expect(got.map((d) => [d.ip, d.first_ts, d.last_ts, d.count]), `seed ${seed}`).toEqual(want.map((r) => [ip4(r.ip), r.first, r.last, r.count]));
      expect(got.map((d) => d.macs)).toEqual(want.map((r) => [...r.requesters].sort((a, b) => a - b).map(formatMac)));
    }
    // The streams must actually exercise the rule: findings, and sweeps to leave out.
    expect(findings).toBeGreaterThan(60);
    expect(swept).toBeGreaterThan(5);
  });
});
