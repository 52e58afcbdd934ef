/**
 * arp.virtual-responder: replies from a configured virtual MAC
 * (config.virtualMacs; Antrea's aa:bb:cc:dd:ee:ff always). Antrea's OVS
 * pipeline answers ARP for the other nodes' gateway IPs itself (the
 * ArpResponder table), because each node reaches remote pod subnets through
 * "onlink" routes via those gateways; the answer is the same global virtual
 * MAC for every one of them. That is expected, and a MAC answering for many
 * IPs would otherwise look like proxy ARP or a conflict, so it is reported
 * here, once per virtual MAC, as information.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { ip4, ip4List, mac } from './util.js';

const MAX_IPS = 4096;
const MAX_LISTED = 64;
const MAX_REQUESTERS = 64;

interface Answered {
  replies: number;
  first: number;
}

interface Responder {
  ips: Map<number, Answered>;
  requesters: number[];
  replies: number;
  requests: number;
  first: number;
  last: number;
  refs: RefSample;
}

export const virtualResponderDetector: DetectorFactory = (ctx) => {
  const responders = new Map<number, Responder>();
  return {
    kind: 'arp.virtual-responder',
    onArp(e: ArpEvent) {
      if (e.op !== 1 && e.op !== 2) return;
      const m = e.shaVirtual ? e.sha : e.ethSrcVirtual ? e.ethSrc : -1;
      if (m < 0) return;
      let r = responders.get(m);
      if (r === undefined) {
        if (e.op !== 2) return;
        r = { ips: new Map(), requesters: [], replies: 0, requests: 0, first: e.ts, last: e.ts, refs: new RefSample(6) };
        responders.set(m, r);
      }
      r.last = e.ts;
      if (e.op === 1) {
        r.requests++;
        return;
      }
      r.replies++;
      if (e.tpa !== 0 && r.requesters.length < MAX_REQUESTERS && !r.requesters.includes(e.tpa)) r.requesters.push(e.tpa);
      const a = r.ips.get(e.spa);
      if (a !== undefined) a.replies++;
      else if (r.ips.size < MAX_IPS) {
        r.ips.set(e.spa, { replies: 1, first: e.ts });
        r.refs.add(e);
      }
    },
    finish() {
      for (const [m, r] of responders) {
        if (r.ips.size === 0) continue;
        const ranked = [...r.ips.entries()].sort((x, y) => y[1].replies - x[1].replies || x[1].first - y[1].first);
        const text = ip4(ranked[0]![0]);
        const ips = ip4List(ranked.slice(0, MAX_LISTED).map(([ip]) => ip));
        const who = mac(m);
        const antrea = m === 0xaabbccddeeff;
        ctx.emit({
          kind: 'arp.virtual-responder',
          severity: 'info',
          ip: text,
          ips,
          macs: [who],
          first_ts: r.first,
          last_ts: r.last,
          count: r.replies,
          title: `Virtual ARP responder ${who} answers for ${ips.length === 1 ? text : `${r.ips.size} addresses (${ips.slice(0, 4).join(', ')}${r.ips.size > 4 ? ', ...' : ''})`}`,
          explanation:
            `${who} answered ${r.replies} ARP request${r.replies === 1 ? '' : 's'} for ${ips.join(', ')}. It is configured as a virtual MAC` +
            (antrea ? ", Antrea's global virtual MAC: its OVS ArpResponder table answers for the other nodes' gateway IPs, which this node reaches through onlink routes" : '') +
            '. One MAC answering for several addresses is expected here, not proxy ARP or a conflict. If an address in the list ' +
            'is a real host, the responder is shadowing it.',
          causes: [
            "Antrea's OVS ARP responder answering for remote antrea-gw0 addresses (expected)",
            'another CNI or virtual switch with a configured ARP responder (OVN, cloud vSwitch)',
          ],
          next_steps: [
            `ip neigh show ${text}`,
            `ip route | grep onlink   # the remote pod subnets routed via ${text}`,
            'kubectl exec -n kube-system <antrea-agent> -c antrea-ovs -- ovs-ofctl dump-flows br-int table=ARPResponder --no-stats',
          ],
          refs: r.refs.refs(),
          details: { answered_for: ips, replies: r.replies, requesters: ip4List(r.requesters), requests_sent: r.requests },
        });
      }
    },
  };
};
