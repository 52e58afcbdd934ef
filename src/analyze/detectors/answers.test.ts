/**
 * arp.conflict and arp.flux share one AnswerTracker (the last answer per IP
 * id in columns, double answers in a Map): both checked against the rule
 * written plainly on random streams of replies from one or two owners per
 * IP, a multi-homed host answering from two NICs, announcements, virtual
 * responders and repeats of a frame, and on the real captures.
 */
import { describe, expect, it } from 'vitest';
import { formatMac } from '../../print/addr.js';
import { answerRule, type Doubled } from '../../../test/arp-rules.js';
import { HEALTHY, lcg, runArpEvents, runDetector, scenario, type ArpEventSpec } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import { conflictDetector } from './conflict.js';
import { fluxDetector } from './flux.js';
import { ip4 } from './util.js';

const cfg = defaultConfig();

describe('arp.conflict and arp.flux on real captures', () => {
  it('a duplicate IP is a conflict, not flux', async () => {
    const c = await runDetector(scenario('arp-conflict'), conflictDetector);
    expect(c.map((d) => [d.ip, d.macs])).toEqual([['192.0.2.20', ['02:00:00:02:00:0a', '02:00:00:02:00:0b']]]);
    expect(await runDetector(scenario('arp-conflict'), fluxDetector)).toEqual([]);
  });

  it('a host answering from two NICs is flux, not a conflict', async () => {
    const f = await runDetector(scenario('arp-flux'), fluxDetector);
    expect(f.length).toBeGreaterThanOrEqual(2);
    expect(new Set(f.map((d) => d.macs.join()))).toHaveProperty('size', 1);
    expect(await runDetector(scenario('arp-flux'), conflictDetector)).toEqual([]);
  });

  for (const name of HEALTHY) {
    it(`quiet on ${name}`, async () => {
      expect(await runDetector(scenario(name), conflictDetector)).toEqual([]);
      expect(await runDetector(scenario(name), fluxDetector)).toEqual([]);
    });
  }
});

const VIRTUAL = 0xaabbccddeeff; // Antrea's, in the default virtual MACs

function randomStream(seed: number, n: number): ArpEventSpec[] {
  const rnd = lcg(seed);
  const net = 0xc0000200;
  const client = net + 10;
  const clientMac = 0x02000000000c;
  const nics = [0x020000000a01, 0x020000000a02]; // one host, two NICs, answering for .30-.31
  const out: ArpEventSpec[] = [];
  const push = (e: Omit<ArpEventSpec, 'frame'>): void => void out.push({ ...e, frame: out.length === 0 ? 1 : out[out.length - 1]!.frame + 1 });
  let ts = 1000;
  for (let i = 0; i < n; i++) {
    ts += rnd(4) === 0 ? rnd(3000) / 1000 : rnd(300) / 1000;
    const kind = rnd(12);
    const ip = net + 20 + rnd(6);
    // Owners: .20-.25 each have one MAC, and a second one some of the time (duplicates, takeovers).
    const owner = 0x020000000100 + (ip & 0xff) + (rnd(3) === 0 ? 0x1000 : 0);
    const reply = (sha: number, spa: number, at: number): Omit<ArpEventSpec, 'frame'> => ({ ts: at, op: 2, sha, spa, tha: clientMac, tpa: client });
    if (kind < 6) push(reply(owner, ip, ts));
    else if (kind < 8) {
      // The multi-homed host: both NICs answer, for one of its two addresses.
      const own = net + 30 + rnd(2);
      push(reply(nics[0]!, own, ts));
      push(reply(nics[1]!, own, ts + rnd(50) / 1000));
    } else if (kind < 9) push({ ts, op: 2, sha: owner, spa: ip, tha: 0xffffffffffff, tpa: ip, ethDst: 0xffffffffffff }); // gratuitous
    else if (kind < 10) push(reply(VIRTUAL, ip, ts));
    else if (kind < 11) push({ ts, op: 1, sha: owner, spa: ip, tha: 0, tpa: client }); // the owner asks
    else {
      push(reply(owner, ip, ts));
      out.push({ ...out[out.length - 1]! }); // the same frame handed over twice (conflict and flux share the tracker)
    }
  }
  return out;
}

describe('arp.conflict and arp.flux, the shared tracker against the plain rule', () => {
  it('report what the plain rule reports, in the same order, on random streams', () => {
    let conflicts = 0;
    let flux = 0;
    const row = (d: { ip: string; macs: string[]; count: number; first_ts: number; last_ts: number }): unknown[] => [d.ip, d.macs, d.count, d.first_ts, d.last_ts];
    const want = (d: Doubled): unknown[] => [ip4(d.ip), [...d.macs].sort((a, b) => a - b).map(formatMac), d.count, d.first, d.last];
    for (let seed = 1; seed <= 50; seed++) {
      const events = randomStream(seed, 300);
      const ref = answerRule(events, cfg.conflictWindowS, cfg.virtualMacs);
      const c = runArpEvents(conflictDetector, events, cfg);
      const f = runArpEvents(fluxDetector, events, cfg);
      conflicts += c.length;
      flux += f.length;
      expect(c.map(row), `seed ${seed}`).toEqual(ref.conflict.map(want));
      expect(f.map(row), `seed ${seed}`).toEqual(ref.flux.map(want));
    }
    expect(conflicts).toBeGreaterThan(50);
    expect(flux).toBeGreaterThan(50);
  });
});
