/**
 * nd.spoof keeps each target's advertiser and latest solicitation in columns
 * by address id. Checked against the rule written plainly (a Map by target
 * text) on random streams of solicitations and advertisements, forged ones
 * included. (The public parasite6 capture proves it end to end in the corpus test.)
 */
import { describe, expect, it } from 'vitest';
import { lcg, runNdEvents } from '../../../test/detector-harness.js';
import type { NdEvent } from '../events.js';
import type { FindingDraft } from '../finding.js';
import { formatMac } from '../../print/addr.js';
import { ndSpoofDetector } from './nd-spoof.js';

const detect = (events: NdEvent[]): FindingDraft[] => runNdEvents(ndSpoofDetector, events);

interface Claim {
  ip: string;
  owner: number;
  claimants: Set<number>;
  victims: Set<string>;
  count: number;
  first: number;
  last: number;
}

/** The rule, plainly. */
function reference(events: readonly NdEvent[]): Claim[] {
  const owners = new Map<string, { mac: number; lastNs: number }>();
  const claims = new Map<string, Claim>();
  for (const e of events) {
    if (e.type === 135 && e.target !== '') {
      const o = owners.get(e.target);
      if (o) o.lastNs = e.ts;
      else owners.set(e.target, { mac: -1, lastNs: e.ts });
      continue;
    }
    if (e.type !== 136 || e.target === '') continue;
    const mac = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
    if (mac < 0) continue;
    const o = owners.get(e.target);
    if (!o) {
      owners.set(e.target, { mac, lastNs: -Infinity });
      continue;
    }
    if (o.mac < 0 || o.mac === mac) {
      o.mac = mac;
      continue;
    }
    if (!(!e.solicited || e.ts - o.lastNs > 2) || !e.override) continue;
    let c = claims.get(e.target);
    if (!c) claims.set(e.target, (c = { ip: e.target, owner: o.mac, claimants: new Set(), victims: new Set(), count: 0, first: e.ts, last: e.ts }));
    c.count++;
    c.last = e.ts;
    if (c.claimants.size < 8) c.claimants.add(mac);
    if (c.victims.size < 32) c.victims.add(e.dst);
  }
  return [...claims.values()];
}

function randomStream(seed: number, n: number): NdEvent[] {
  const rnd = lcg(seed);
  const targets = ['2001:db8::a', '2001:db8::b', 'fe80::c', '2001:db8::d'];
  const dsts = ['ff02::1', '2001:db8::1', '2001:db8::2'];
  const out: NdEvent[] = [];
  let ts = 1000;
  for (let i = 0; i < n; i++) {
    ts += rnd(3) === 0 ? 1 + rnd(3) : rnd(500) / 1000;
    const type = rnd(5) < 2 ? 135 : rnd(8) === 0 ? 134 : 136;
    const target = type === 134 ? '' : targets[rnd(targets.length)]!;
    const mac = rnd(8) === 0 ? -1 : 0x020000000000 + rnd(4);
    out.push({
      input: 0, frame: i + 1, ts, type, src: 'fe80::99', dst: dsts[rnd(dsts.length)]!, target, srcId: -1, targetId: -1,
      lladdr: rnd(2) === 0 ? mac : -1, ethSrc: rnd(3) === 0 ? -1 : mac, ethDst: -1, vlan: -1,
      hopLimit: 255, router: false, solicited: rnd(2) === 0, override: rnd(3) !== 0, routerLifetime: 0,
    });
  }
  return out;
}

describe('nd.spoof, its columns against the plain rule', () => {
  it('reports the same forged advertisements on random streams', () => {
    let findings = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const events = randomStream(seed, 200);
      const want = reference(events);
      const got = detect(events);
      findings += got.length;
      expect(got.map((d) => [d.ip, d.count, d.first_ts, d.last_ts])).toEqual(want.map((c) => [c.ip, c.count, c.first, c.last]));
      expect(got.map((d) => d.details!['owner'])).toEqual(want.map((c) => formatMac(c.owner)));
      expect(got.map((d) => d.details!['claimants'])).toEqual(want.map((c) => [...c.claimants].sort((a, b) => a - b).map(formatMac)));
      expect(got.map((d) => d.ips)).toEqual(want.map((c) => [c.ip, ...[...c.victims].filter((v) => v !== c.ip)]));
    }
    expect(findings).toBeGreaterThan(40);
  });
});
