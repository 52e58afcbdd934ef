/**
 * nd.spoof: an unsolicited neighbor advertisement (no solicitation for the
 * target shortly before, or the solicited flag clear) with the override
 * flag, claiming an IPv6 address already bound to another MAC. That is the
 * IPv6 form of ARP poisoning (parasite6, a forged NA): the victim's cache
 * is overwritten and traffic for the address goes to the claimant.
 * Unsolicited NAs to all-nodes from the owner's own MAC (address changes,
 * failover) claim nothing new and stay silent.
 */
import type { DetectorFactory } from '../detector.js';
import type { NdEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap, macList } from './util.js';

const MAX_ADDRS = 100_000;
/** An NA this soon after an NS for its target counts as solicited whatever its flags say. */
const SOLICIT_WINDOW_S = 2;

interface Owner {
  mac: number;
  since: number;
  lastNs: number;
}

interface Claim {
  owner: number;
  claimants: Set<number>;
  victims: Set<string>;
  count: number;
  first: number;
  last: number;
  refs: RefSample;
}

export const ndSpoofDetector: DetectorFactory = (ctx) => {
  const owners = new Map<string, Owner>();
  const claims = new Map<string, Claim>();
  return {
    kind: 'nd.spoof',
    onNd(e: NdEvent) {
      if (e.type === 135 && e.target !== '') {
        const o = owners.get(e.target);
        if (o) o.lastNs = e.ts;
        else {
          owners.set(e.target, { mac: -1, since: e.ts, lastNs: e.ts });
          capMap(owners, MAX_ADDRS);
        }
        return;
      }
      if (e.type !== 136 || e.target === '') return;
      const mac = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
      if (mac < 0) return;
      let o = owners.get(e.target);
      if (o === undefined) {
        o = { mac, since: e.ts, lastNs: -Infinity };
        owners.set(e.target, o);
        capMap(owners, MAX_ADDRS);
        return;
      }
      if (o.mac < 0 || o.mac === mac) {
        o.mac = mac;
        return;
      }
      const unsolicited = !e.solicited || e.ts - o.lastNs > SOLICIT_WINDOW_S;
      if (!unsolicited || !e.override) return;
      let c = claims.get(e.target);
      if (c === undefined) {
        c = { owner: o.mac, claimants: new Set(), victims: new Set(), count: 0, first: e.ts, last: e.ts, refs: new RefSample(6) };
        claims.set(e.target, c);
      }
      c.count++;
      c.last = e.ts;
      if (c.claimants.size < 8) c.claimants.add(mac);
      if (c.victims.size < 32) c.victims.add(e.dst);
      c.refs.add(e);
    },
    finish() {
      for (const [addr, c] of claims) {
        const macs = macList([c.owner, ...c.claimants]);
        ctx.emit({
          kind: 'nd.spoof',
          severity: 'critical',
          ip: addr,
          ips: [addr, ...[...c.victims].filter((v) => v !== addr)],
          macs,
          first_ts: c.first,
          last_ts: c.last,
          count: c.count,
          title: `Forged neighbor advertisements for ${addr}: ${macList(c.claimants).join(', ')} claims it from ${macList([c.owner])[0]}`,
          explanation:
            `${c.count} unsolicited neighbor advertisements with the override flag claimed ${addr}, which ${macList([c.owner])[0]} ` +
            `was already advertising, for ${[...c.victims].join(', ')}. Receivers overwrite their neighbor cache, so traffic for ${addr} ` +
            'now goes to the claimant: a man-in-the-middle or a denial of service.',
          causes: [
            'NDP spoofing (parasite6 / a forged NA): an attacker on the segment impersonating a router or host',
            'a misconfigured host or VM with the same IPv6 address (duplicate address detection disabled)',
          ],
          next_steps: [
            `ip -6 neigh show ${addr}`,
            'ip -6 monitor neigh',
            'enable RA Guard / ND inspection (SAVI) on the access switches',
            `bridge fdb show | grep -i ${macList(c.claimants)[0]}   # which port the claimant is on`,
          ],
          refs: c.refs.refs(),
          details: { advertisements: c.count, owner: macList([c.owner])[0], claimants: macList(c.claimants) },
        });
      }
    },
  };
};
