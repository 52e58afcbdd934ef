/**
 * arp.failover and arp.flip-flop read one OwnerTracker (the owner per IP id
 * in columns, moves in a Map); flip-flop also asks the AnswerTracker whether
 * the alternation is two MACs answering at once. Both checked on the real
 * captures and against the rules written plainly (test/arp-rules.ts) on
 * random streams of owners handing an IP over, with and without
 * announcements, taking it back, answering together, and repeated frames.
 */
import { describe, expect, it } from 'vitest';
import { formatMac } from '../../print/addr.js';
import { answerRule, flipsBack, ownerRule, type Move } from '../../../test/arp-rules.js';
import { HEALTHY, lcg, runArpEvents, runDetector, scenario, type ArpEventSpec } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import { failoverDetector } from './failover.js';
import { flipFlopDetector } from './flip-flop.js';
import { ip4 } from './util.js';

const cfg = defaultConfig();

describe('arp.failover and arp.flip-flop on real captures', () => {
  it('a VIP handed over with gratuitous ARP is a failover', async () => {
    const d = await runDetector(scenario('arp-failover'), failoverDetector);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'arp.failover', severity: 'info' });
    expect(await runDetector(scenario('arp-failover'), flipFlopDetector)).toEqual([]);
  });

  it('a VIP going back and forth is a flip-flop, and not also a failover', async () => {
    const d = await runDetector(scenario('arp-flip-flop'), flipFlopDetector);
    expect(d.map((f) => f.ip)).toEqual(['192.0.2.30']);
    expect(await runDetector(scenario('arp-flip-flop'), failoverDetector)).toEqual([]);
  });

  it('A -> B -> A is a flip-flop after two moves, announced or not', () => {
    const [a, b] = [0x020000000a0a, 0x020000000a0b];
    const ip = 0xc0000232;
    const events: ArpEventSpec[] = [
      { frame: 1, ts: 100, op: 2, sha: a, spa: ip, tha: 0x02000000000c, tpa: 0xc000020a },
      { frame: 2, ts: 110, op: 1, sha: b, spa: ip, tha: 0, tpa: ip },
      { frame: 3, ts: 120, op: 2, sha: a, spa: ip, tha: 0x02000000000c, tpa: 0xc000020a },
    ];
    expect(runArpEvents(flipFlopDetector, events, cfg).map((d) => [d.ip, d.count])).toEqual([['192.0.2.50', 2]]);
    expect(runArpEvents(failoverDetector, events, cfg)).toEqual([]);
    // One move and no return: a failover (announced), no flip-flop.
    expect(runArpEvents(failoverDetector, events.slice(0, 2), cfg).map((d) => [d.ip, d.count])).toEqual([['192.0.2.50', 1]]);
    expect(runArpEvents(flipFlopDetector, events.slice(0, 2), cfg)).toEqual([]);
  });

  it('a duplicate IP alternates too, but that is arp.conflict', async () => {
    expect(await runDetector(scenario('arp-conflict'), flipFlopDetector)).toEqual([]);
  });

  for (const name of HEALTHY) {
    it(`no flip-flop on ${name}`, async () => {
      expect(await runDetector(scenario(name), flipFlopDetector)).toEqual([]);
    });
  }
});

const macsOf = (moves: readonly Move[]): string[] => [...new Set(moves.flatMap((m) => [m.from, m.to]))].sort((a, b) => a - b).map(formatMac);

function randomStream(seed: number, n: number): ArpEventSpec[] {
  const rnd = lcg(seed);
  const net = 0xc0000200;
  const client = net + 10;
  const clientMac = 0x02000000000c;
  const out: ArpEventSpec[] = [];
  const push = (e: Omit<ArpEventSpec, 'frame'>): void => void out.push({ ...e, frame: out.length === 0 ? 1 : out[out.length - 1]!.frame + 1 });
  // Four VIPs with three candidate owners each; per VIP a way of changing hands: never, once,
  // onwards without coming back (A -> B -> C), back and forth (both answering at times), or
  // held by two at once (a duplicate: whichever answers, often within the conflict window).
  const modes = [rnd(5), rnd(5), rnd(5), rnd(5)];
  const holder = [0, 0, 0, 0];
  const handovers = [0, 0, 0, 0];
  let ts = 1000;
  for (let i = 0; i < n; i++) {
    ts += rnd(3) === 0 ? 0.5 + rnd(4000) / 1000 : rnd(200) / 1000;
    const v = rnd(4);
    const ip = net + 50 + v;
    const macOf = (k: number): number => 0x020000000500 + v * 16 + k;
    const mode = modes[v]!;
    const now = macOf(holder[v]!);
    const reply = (sha: number): Omit<ArpEventSpec, 'frame'> => ({ ts, op: 2, sha, spa: ip, tha: clientMac, tpa: client });
    const kind = rnd(14);
    if (kind < 2 && (mode === 3 || (mode === 1 && handovers[v] === 0) || (mode === 2 && handovers[v]! < 2))) {
      // A handover: the new holder announces (mostly) or just starts answering.
      holder[v] = mode === 3 ? (holder[v]! + 1 + rnd(2)) % 3 : holder[v]! + 1;
      handovers[v]!++;
      const next = macOf(holder[v]!);
      push(rnd(4) !== 0 ? { ts, op: 1, sha: next, spa: ip, tha: 0, tpa: ip } : reply(next));
    } else if (kind < 2) push({ ts, op: 1, sha: now, spa: ip, tha: 0, tpa: ip }); // a re-announcement
    else if (kind < 9) push(reply(mode === 4 ? macOf(rnd(2)) : now));
    else if (kind < 10) push(reply(mode === 3 ? macOf((holder[v]! + 1) % 3) : now)); // in a flapping pair both answer at times
    else if (kind < 11) push(rnd(2) === 0 ? { ts, op: 1, sha: now, spa: ip, tha: 0, tpa: client } : reply(0xaabbccddeeff)); // the holder asks; a virtual responder answers
    else if (kind < 12) push({ ts, op: 2, sha: now, spa: ip, tha: 0xffffffffffff, tpa: ip, ethDst: 0xffffffffffff }); // gratuitous reply
    else if (kind < 13) push({ ts, op: 1, sha: clientMac, spa: client, tha: 0, tpa: ip }); // the client asks
    else {
      push(reply(now));
      out.push({ ...out[out.length - 1]! }); // the same frame handed over twice
    }
  }
  return out;
}

describe('arp.failover and arp.flip-flop, the owner tracker against the plain rule', () => {
  it('report what the plain rules report, in the same order, on random streams', () => {
    let failovers = 0;
    let flips = 0;
    let excused = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const events = randomStream(seed, 300);
      const moved = ownerRule(events, cfg.conflictWindowS, cfg.virtualMacs);
      const doubled = answerRule(events, cfg.conflictWindowS, cfg.virtualMacs).all;

      const wantFailover = moved
        .filter((m) => !flipsBack(m.moves, m.count) && m.moves.some((c) => c.announced))
        .map((m) => {
          const announced = m.moves.filter((c) => c.announced);
          return [ip4(m.ip), macsOf(announced), announced.length, announced[0]!.ts, announced.at(-1)!.ts];
        });
      const got = runArpEvents(failoverDetector, events, cfg);
      failovers += got.length;
      expect(got.map((d) => [d.ip, d.macs, d.count, d.first_ts, d.last_ts]), `seed ${seed}`).toEqual(wantFailover);

      const flipping = moved.filter((m) => flipsBack(m.moves, m.count));
      // Two MACs answering at once alternate as a consequence: arp.conflict's story, not a flip-flop.
      const together = (m: (typeof moved)[number]): boolean => {
        const d = doubled.get(m.ip);
        return d !== undefined && d.macs.length >= 2 && d.count * 2 >= m.count;
      };
      excused += flipping.filter(together).length;
      const wantFlip = flipping.filter((m) => !together(m)).map((m) => [ip4(m.ip), macsOf(m.moves), m.count, m.moves[0]!.ts, m.moves.at(-1)!.ts]);
      const gotFlip = runArpEvents(flipFlopDetector, events, cfg);
      flips += gotFlip.length;
      expect(gotFlip.map((d) => [d.ip, d.macs, d.count, d.first_ts, d.last_ts]), `seed ${seed}`).toEqual(wantFlip);
    }
    // The streams exercise every branch: failovers, flip-flops, and flip-flops left to arp.conflict.
    expect(failovers).toBeGreaterThan(20);
    expect(flips).toBeGreaterThan(20);
    expect(excused).toBeGreaterThan(2);
  });
});
