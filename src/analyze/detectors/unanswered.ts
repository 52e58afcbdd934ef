/**
 * arp.unanswered: requests for a target that nobody answers, after retries.
 *
 * A request is answered by any ARP from the target IP (a reply, or its own
 * request / announcement: it is alive). Only targets asked for at least
 * `unansweredMin` times over at least one second, with no answer within
 * `replyTimeoutS` of the last request, are reported: one lost reply is
 * noise, three in a row is a host (or a MetalLB speaker) that is not there.
 * Probes (sender 0.0.0.0) and announcements are not requests for an answer,
 * and a sweep's misses (one requester, many unanswered targets) are left to
 * arp.scan.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { ip4, macList } from './util.js';

const MAX_CLOSED = 10_000;

interface Pending {
  first: number;
  last: number;
  count: number;
  /** Distinct requester MACs, at most 32 (usually one or two: a short list beats a Set). */
  requesters: number[];
  refs: RefSample;
}

export const unansweredDetector: DetectorFactory = (ctx) => {
  /** By target id (the engine's Ipv4Index): an array index, not a hash lookup per frame. */
  const pending: (Pending | undefined)[] = [];
  /** Unanswered runs already closed (the target answered later): worth reporting too. */
  const closed: [number, Pending][] = [];
  const cfg = ctx.config;

  const qualifies = (p: Pending): boolean => p.count >= cfg.unansweredMin && p.last - p.first >= 1;

  // A target's record is reused across request/answer cycles (no churn per
  // exchange); count 0 means nothing is outstanding.
  function answered(ip: number, id: number, ts: number): void {
    const p = pending[id];
    if (p === undefined || p.count === 0) return;
    // Answered only after a long silence: the outage itself is a finding.
    if (qualifies(p) && ts - p.last > cfg.replyTimeoutS) {
      if (closed.length < MAX_CLOSED) closed.push([ip, p]);
      pending[id] = undefined;
      return;
    }
    p.count = 0;
    p.requesters.length = 0;
    p.refs.clear();
  }

  return {
    kind: 'arp.unanswered',
    onArp(e: ArpEvent) {
      if (e.spa !== 0 && e.spaId >= 0) answered(e.spa, e.spaId, e.ts);
      if (e.op !== 1 || e.probe || e.gratuitous || e.tpaId < 0) return;
      const id = e.tpaId;
      while (pending.length <= id) pending.push(undefined);
      let p = pending[id];
      if (p === undefined) {
        p = { first: e.ts, last: e.ts, count: 0, requesters: [], refs: new RefSample(6) };
        pending[id] = p;
      }
      if (p.count === 0) p.first = e.ts;
      p.last = e.ts;
      p.count++;
      const q = p.requesters;
      if (q.length < 32 && (q.length === 0 || q[q.length - 1] !== e.sha) && !q.includes(e.sha)) q.push(e.sha);
      p.refs.add(e);
    },
    finish() {
      const open: [number, Pending][] = [];
      pending.forEach((p, id) => {
        if (p !== undefined) open.push([ctx.ipv4.keys[id]!, p]);
      });
      const all = [...closed, ...open].filter(([, p]) => qualifies(p));
      // A requester with unanswered requests for many targets is sweeping the
      // subnet (arp.scan reports it): its misses say nothing about those hosts.
      const missesBy = new Map<number, number>();
      for (const [, p] of all) for (const m of p.requesters) missesBy.set(m, (missesBy.get(m) ?? 0) + 1);
      const sweeper = (m: number): boolean => (missesBy.get(m) ?? 0) >= cfg.scanMin;
      for (const [ip, p] of all) {
        if ([...p.requesters].every(sweeper)) continue;
        const text = ip4(ip);
        ctx.emit({
          kind: 'arp.unanswered',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs: macList(p.requesters),
          first_ts: p.first,
          last_ts: p.last,
          count: p.count,
          title: `Nobody answers ARP for ${text} (${p.count} requests over ${(p.last - p.first).toFixed(1)} s)`,
          explanation:
            `${p.count} ARP requests for ${text} got no reply. Until something answers, traffic to ${text} is dropped ` +
            'by the senders: a LoadBalancer IP that no node announces, a host that is down, or a request that never reaches it.',
          causes: [
            'the host or VIP owner is down, or the address was never configured',
            'MetalLB/kube-vip: no speaker is announcing the service IP (no healthy endpoint, speaker not on this node, L2 advertisement missing)',
            'the request does not reach the owner: wrong VLAN, port security or a filtering bridge',
            'the owner ignores the request: arp_ignore / arp_filter settings, or the IP is on another interface',
          ],
          next_steps: [
            `arping -c 3 -I <iface> ${text}`,
            `ip neigh show ${text}`,
            'kubectl -n metallb-system logs -l app=metallb,component=speaker --since=1h | grep -i announce',
            `kubectl get svc -A -o wide | grep ${text}`,
            'sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_filter',
          ],
          refs: p.refs.refs(),
          details: { requests: p.count, requesters: p.requesters.length, span_s: Math.round((p.last - p.first) * 1000) / 1000 },
        });
      }
    },
  };
};
