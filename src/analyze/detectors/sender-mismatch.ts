/**
 * arp.sender-mismatch: ARP frames whose Ethernet source differs from the
 * ARP sender hardware address (sha). Zeek drops these as "weird"; they are
 * often legitimate: a bridge or wireless extender rewriting the source, NLB
 * in unicast mode, a virtual switch answering on a VM's behalf. But it also
 * is what a sloppy spoofing tool looks like, and neighbors will cache the
 * *sha*, not the frame's source, so traffic may go to a MAC the switch has
 * never learned (and floods) or to a box that never answered.
 *
 * One finding per (sha, Ethernet source) pair, with the IPs it claimed.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap, ip4, ip4List, mac, macList } from './util.js';

const MAX_SHAS = 50_000;
const MAX_PAIRS_PER_SHA = 8;
const MAX_IPS_PER_PAIR = 32;

interface Pair {
  ethSrc: number;
  ips: number[];
  ipCounts: number[];
  count: number;
  requests: number;
  replies: number;
  first: number;
  last: number;
  refs: RefSample;
}

export const senderMismatchDetector: DetectorFactory = (ctx) => {
  const bySha = new Map<number, Pair[]>();
  return {
    kind: 'arp.sender-mismatch',
    onArp(e: ArpEvent) {
      if (!e.senderMismatch) return;
      let pairs = bySha.get(e.sha);
      if (pairs === undefined) {
        pairs = [];
        bySha.set(e.sha, pairs);
        capMap(bySha, MAX_SHAS);
      }
      let p: Pair | undefined;
      for (const x of pairs) {
        if (x.ethSrc === e.ethSrc) {
          p = x;
          break;
        }
      }
      if (p === undefined) {
        if (pairs.length >= MAX_PAIRS_PER_SHA) return;
        p = { ethSrc: e.ethSrc, ips: [], ipCounts: [], count: 0, requests: 0, replies: 0, first: e.ts, last: e.ts, refs: new RefSample(6) };
        pairs.push(p);
      }
      p.count++;
      p.last = e.ts;
      if (e.op === 1) p.requests++;
      else if (e.op === 2) p.replies++;
      if (e.spa !== 0) {
        const i = p.ips.indexOf(e.spa);
        if (i >= 0) p.ipCounts[i]!++;
        else if (p.ips.length < MAX_IPS_PER_PAIR) {
          p.ips.push(e.spa);
          p.ipCounts.push(1);
        }
      }
      p.refs.add(e);
    },
    finish() {
      for (const [sha, pairs] of bySha) {
        for (const p of pairs) {
          let top = -1;
          for (let i = 0; i < p.ips.length; i++) if (top < 0 || p.ipCounts[i]! > p.ipCounts[top]!) top = i;
          const text = top >= 0 ? ip4(p.ips[top]!) : '0.0.0.0';
          const ips = ip4List(p.ips);
          const s = mac(sha);
          const src = mac(p.ethSrc);
          const virtual = ctx.config.virtualMacs.has(sha) || ctx.config.virtualMacs.has(p.ethSrc);
          ctx.emit({
            kind: 'arp.sender-mismatch',
            severity: 'notice',
            ip: text,
            ips,
            macs: macList([sha, p.ethSrc]),
            first_ts: p.first,
            last_ts: p.last,
            count: p.count,
            title: `ARP for ${text} sent from Ethernet ${src} but names sender ${s}`,
            explanation:
              `${p.count} ARP frame${p.count === 1 ? '' : 's'} (${p.requests} requests, ${p.replies} replies) claiming ${ips.length > 0 ? ips.join(', ') : 'no address'} ` +
              `came from Ethernet source ${src} while the ARP body says the sender is ${s}. Neighbors cache ${s}, so traffic for ` +
              `${text} is sent to ${s}, not to the box that put the frame on the wire. That is fine when a bridge or virtual switch ` +
              'rewrites sources on purpose; otherwise traffic is flooded (the switch never learns that MAC) or lands on the wrong host.' +
              (virtual ? ' One of the MACs is a configured virtual responder, so this is most likely expected.' : ''),
            causes: [
              'a MAC-rewriting bridge, wireless repeater or WDS/client bridge in front of the host',
              'Microsoft NLB in unicast mode (cluster MAC in ARP, per-host source MAC on the wire)',
              'a virtual switch or CNI ARP responder (OVS, Antrea, a cloud vSwitch) answering on behalf of a VM or pod',
              'an ARP spoofing tool that forges the ARP body but not the Ethernet header',
            ],
            next_steps: [
              `ip neigh show ${text}`,
              `bridge fdb show | grep -i -e ${s} -e ${src}`,
              `tcpdump -n -e -i <iface> arp and ether src ${src}`,
              `arping -c 3 -I <iface> ${text}   # which MAC answers now`,
            ],
            refs: p.refs.refs(),
            details: { ethernet_src: src, arp_sha: s, frames: p.count, requests: p.requests, replies: p.replies, ips_claimed: ips },
          });
        }
      }
    },
  };
};
