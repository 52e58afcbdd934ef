/**
 * nd.unanswered: IPv6 neighbor solicitations for a target that nobody
 * answers. The IPv6 twin of arp.unanswered: a host (src not '::') asks for
 * T with NS (type 135) and no NA (136) for T follows. Reported once T was
 * asked for at least `unansweredMin` times over at least a second, with no
 * answer within `replyTimeoutS` of the last NS: a neighbor that is down, an
 * address nobody holds (a dual-stack LoadBalancer whose v6 VIP is not
 * announced), or multicast NS filtered by MLD snooping.
 *
 * Any ND from T itself (an NS or RA with source T) also shows it alive.
 * DAD probes (src '::') are not questions and are left alone: an unanswered
 * DAD probe is the normal, successful case.
 */
import type { DetectorFactory } from '../detector.js';
import type { NdEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap, macList } from './util.js';

const MAX_TARGETS = 100_000;
const MAX_REQUESTERS = 16;

interface Pending {
  first: number;
  last: number;
  count: number;
  requesters: number[];
  sources: string[];
  refs: RefSample;
}

export const ndUnansweredDetector: DetectorFactory = (ctx) => {
  const cfg = ctx.config;
  const pending = new Map<string, Pending>();
  /** Runs that were answered only after a long silence. */
  const closed: [string, Pending][] = [];

  const qualifies = (p: Pending): boolean => p.count >= cfg.unansweredMin && p.last - p.first >= 1;

  function answered(ip: string, ts: number): void {
    const p = pending.get(ip);
    if (p === undefined) return;
    pending.delete(ip);
    if (qualifies(p) && ts - p.last > cfg.replyTimeoutS) closed.push([ip, p]);
  }

  return {
    kind: 'nd.unanswered',
    onNd(e: NdEvent) {
      if (e.src !== '::' && pending.size > 0) answered(e.src, e.ts);
      if (e.type === 136) {
        if (e.target !== '') answered(e.target, e.ts);
        return;
      }
      if (e.type !== 135 || e.src === '::' || e.target === '') return;
      let p = pending.get(e.target);
      if (p === undefined) {
        p = { first: e.ts, last: e.ts, count: 0, requesters: [], sources: [], refs: new RefSample(6) };
        pending.set(e.target, p);
        capMap(pending, MAX_TARGETS);
      }
      p.last = e.ts;
      p.count++;
      const m = e.ethSrc >= 0 ? e.ethSrc : e.lladdr;
      if (m >= 0 && p.requesters.length < MAX_REQUESTERS && !p.requesters.includes(m)) p.requesters.push(m);
      if (p.sources.length < MAX_REQUESTERS && !p.sources.includes(e.src)) p.sources.push(e.src);
      p.refs.add(e);
    },
    finish() {
      for (const [ip, p] of [...closed, ...pending.entries()]) {
        if (!qualifies(p)) continue;
        const span = p.last - p.first;
        ctx.emit({
          kind: 'nd.unanswered',
          severity: 'warning',
          ip,
          ips: [ip],
          macs: macList(p.requesters),
          first_ts: p.first,
          last_ts: p.last,
          count: p.count,
          title: `Nobody answers neighbor solicitations for ${ip} (${p.count} NS over ${span.toFixed(1)} s)`,
          explanation:
            `${p.sources.join(', ')} sent ${p.count} neighbor solicitations for ${ip} and no neighbor advertisement came back. ` +
            `Until one does, the sender's neighbor entry stays INCOMPLETE / FAILED and IPv6 traffic to ${ip} is dropped, ` +
            'while IPv4 to the same host may work: the usual "only IPv6 is broken" report.',
          causes: [
            'the host is down, or the address is not (or no longer) configured on it',
            'a dual-stack LoadBalancer / VIP whose IPv6 address no speaker announces (MetalLB L2 needs NDP for v6)',
            "multicast NS not delivered: MLD snooping without a querier, or a filter on the solicited-node group ff02::1:ffXX:XXXX",
            'the owner ignores the NS: ip6tables/nftables dropping ICMPv6, or the address is still tentative (DAD) or dadfailed',
          ],
          next_steps: [
            `ip -6 neigh show ${ip}`,
            `ndisc6 ${ip} <iface>`,
            `ping -6 -c 3 ${ip}`,
            `ip -6 addr show | grep -e ${ip} -e tentative -e dadfailed   # on the owner`,
            'ip -6 maddr show dev <iface>   # on the owner: is it in the solicited-node group?',
          ],
          refs: p.refs.refs(),
          details: { solicitations: p.count, span_s: Math.round(span * 1000) / 1000, sources: p.sources },
        });
      }
    },
  };
};
