/**
 * nd.spoof: an unsolicited neighbor advertisement (no solicitation for the
 * target shortly before, or the solicited flag clear) with the override
 * flag, claiming an IPv6 address already bound to another MAC. That is the
 * IPv6 form of ARP poisoning (parasite6, a forged NA): the victim's cache
 * is overwritten and traffic for the address goes to the claimant.
 * Unsolicited NAs to all-nodes from the owner's own MAC (address changes,
 * failover) claim nothing new and stay silent.
 */
import { capacityFor, growF64 } from '../address-index.js';
import type { DetectorFactory } from '../detector.js';
import type { NdEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { macList } from './util.js';

/** An NA this soon after an NS for its target counts as solicited whatever its flags say. */
const SOLICIT_WINDOW_S = 2;

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
  // Per target id (the engine's Ipv6Index): the MAC that advertises it (-1: none yet) and the latest
  // NS for it. Columns, not a Map by address text: every NS and NA looks here.
  let cap = 0;
  let ownerMac = new Float64Array(0);
  let lastNs = new Float64Array(0);
  const claims = new Map<string, Claim>();
  function grow(id: number): void {
    cap = capacityFor(cap, id);
    ownerMac = growF64(ownerMac, cap, -1);
    lastNs = growF64(lastNs, cap, -Infinity);
  }
  return {
    kind: 'nd.spoof',
    onNd(e: NdEvent) {
      const id = e.targetId;
      if (id < 0) return;
      if (e.type === 135) {
        if (id >= cap) grow(id);
        lastNs[id] = e.ts;
        return;
      }
      if (e.type !== 136) return;
      const mac = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
      if (mac < 0) return;
      if (id >= cap) grow(id);
      const owner = ownerMac[id]!;
      if (owner < 0) {
        ownerMac[id] = mac;
        return;
      }
      if (owner === mac) return;
      const unsolicited = !e.solicited || e.ts - lastNs[id]! > SOLICIT_WINDOW_S;
      if (!unsolicited || !e.override) return;
      let c = claims.get(e.target);
      if (c === undefined) {
        c = { owner, claimants: new Set(), victims: new Set(), count: 0, first: e.ts, last: e.ts, refs: new RefSample(6) };
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
