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
import { capacityFor, growF64, growI32 } from '../address-index.js';
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, FrameRef } from '../events.js';
import { RefColumns } from '../finding.js';
import { ip4, macList, macTextMemo } from './util.js';

const MAX_CLOSED = 10_000;
/** Distinct requester MACs kept per target (usually one or two). */
const MAX_REQUESTERS = 32;

/** An unanswered run, as finish() reports it. */
interface Run {
  ip: number;
  first: number;
  last: number;
  count: number;
  requesters: number[];
  /** Taken when a run closes (its slot is reused); for runs still open, read from the columns when needed. */
  refs: FrameRef[] | null;
  id: number;
}

export const unansweredDetector: DetectorFactory = (ctx) => {
  const cfg = ctx.config;
  // The outstanding run per target id (the engine's Ipv4Index), in columns:
  // requests since the last answer (0: nothing outstanding), first and last
  // of them, and the first requester MAC; more requesters in `others` (an
  // array by id: a Map with an insert and a delete per exchange was slow).
  let cap = 0;
  let count = new Int32Array(0);
  let first = new Float64Array(0);
  let last = new Float64Array(0);
  let req0 = new Float64Array(0);
  const others: (number[] | undefined)[] = [];
  const refs = new RefColumns(6);
  /** Unanswered runs already closed (the target answered later): worth reporting too. */
  const closed: Run[] = [];

  const qualifies = (n: number, f: number, l: number): boolean => n >= cfg.unansweredMin && l - f >= 1;

  function requesters(id: number): number[] {
    return [req0[id]!, ...(others[id] ?? [])];
  }

  function run(id: number, open = false): Run {
    return { ip: ctx.ipv4.keys[id]!, first: first[id]!, last: last[id]!, count: count[id]!, requesters: requesters(id), refs: open ? null : refs.refs(id), id };
  }

  // Answered: the run is over. Answered only after a long silence, the outage itself is a finding.
  function answered(id: number, ts: number): void {
    if (id >= cap || count[id] === 0) return;
    if (qualifies(count[id]!, first[id]!, last[id]!) && ts - last[id]! > cfg.replyTimeoutS && closed.length < MAX_CLOSED) closed.push(run(id));
    count[id] = 0;
    if (id < others.length && others[id] !== undefined) others[id] = undefined;
    refs.clear(id);
  }

  return {
    kind: 'arp.unanswered',
    onArp(e: ArpEvent) {
      if (e.spa !== 0 && e.spaId >= 0) answered(e.spaId, e.ts);
      if (e.op !== 1 || e.probe || e.gratuitous || e.tpaId < 0) return;
      const id = e.tpaId;
      if (id >= cap) {
        cap = capacityFor(cap, id);
        count = growI32(count, cap);
        first = growF64(first, cap);
        last = growF64(last, cap);
        req0 = growF64(req0, cap);
      }
      if (count[id]!++ === 0) {
        first[id] = e.ts;
        req0[id] = e.sha;
      } else if (req0[id] !== e.sha) {
        while (others.length <= id) others.push(undefined);
        let more = others[id];
        if (more === undefined) others[id] = more = [];
        if (more.length < MAX_REQUESTERS - 1 && more[more.length - 1] !== e.sha && !more.includes(e.sha)) more.push(e.sha);
      }
      last[id] = e.ts;
      refs.add(id, e.input, e.frame, e.ts);
    },
    finish() {
      // Runs still open stay in the columns until offered: a dead /16 has tens of thousands.
      const open: number[] = [];
      // A requester with unanswered requests for many targets is sweeping the
      // subnet (arp.scan reports it): its misses say nothing about those hosts.
      // Every target it got no answer from counts, also those asked fewer
      // times than a finding needs (nmap asks each target two or three times).
      const missesBy = new Map<number, number>();
      const miss = (m: number): void => void missesBy.set(m, (missesBy.get(m) ?? 0) + 1);
      for (const p of closed) p.requesters.forEach(miss);
      for (let id = 0; id < cap; id++) {
        if (count[id] === 0) continue;
        requesters(id).forEach(miss);
        if (qualifies(count[id]!, first[id]!, last[id]!)) open.push(id);
      }
      const sweeper = (m: number): boolean => (missesBy.get(m) ?? 0) >= cfg.scanMin;
      // The same requesters ask for many targets: their text is made once.
      const macText = macTextMemo();
      const runs = function* (): Generator<Run> {
        yield* closed;
        for (const id of open) yield run(id, true);
      };
      for (const p of runs()) {
        if (p.requesters.every(sweeper)) continue;
        const text = ip4(p.ip);
        // A dead /16 gives tens of thousands: offered, so the text and evidence are made only for those kept.
        const head = {
          kind: 'arp.unanswered',
          severity: 'warning' as const,
          ip: text,
          ips: [text],
          macs: macList(p.requesters, macText),
          first_ts: p.first,
          last_ts: p.last,
          count: p.count,
        };
        ctx.offer(head, () => ({
          ...head,
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
          refs: p.refs ?? refs.refs(p.id),
          details: { requests: p.count, requesters: p.requesters.length, span_s: Math.round((p.last - p.first) * 1000) / 1000 },
        }));
      }
    },
  };
};
