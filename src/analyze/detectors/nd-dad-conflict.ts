/**
 * nd.dad-conflict: duplicate address detection failed. A host about to use
 * IPv6 address T first sends an NS for T from '::' (RFC 4862 DAD); if any
 * other node answers with an NA for T within `DAD_WINDOW_S`, T is already
 * in use. The prober's kernel marks the address "dadfailed" and never uses
 * it (or, with accept_dad=0, uses it anyway and two hosts share it).
 *
 * An unanswered DAD probe is the normal case and stays silent; the
 * prober's own later NA for T is not a conflict (same MAC). The defender is
 * named by the NA's target link-layer address option, else its Ethernet
 * source.
 */
import type { DetectorFactory } from '../detector.js';
import type { NdEvent } from '../events.js';
import { ProbeAnswers } from './probes.js';
import { mac, macList } from './util.js';

/** An NA this long after the latest DAD probe answers it. */
const DAD_WINDOW_S = 2;
const MAX_PROBED = 50_000;

export const ndDadConflictDetector: DetectorFactory = (ctx) => {
  /** Open DAD probes and the conflicts found, by target id (the engine's Ipv6Index). */
  const probes = new ProbeAnswers<number>(DAD_WINDOW_S, MAX_PROBED);

  return {
    kind: 'nd.dad-conflict',
    onNd(e: NdEvent) {
      if (e.targetId < 0) return;
      if (e.type === 135) {
        if (e.src === '::') probes.probe(e.targetId, e.ethSrc >= 0 ? e.ethSrc : e.lladdr, e);
      } else if (e.type === 136 && probes.open) {
        probes.claim(e.targetId, e.lladdr >= 0 ? e.lladdr : e.ethSrc, e.ethSrc, e);
      }
    },
    finish() {
      for (const [id, c] of probes.conflicts) {
        const ip = ctx.ipv6.text(id);
        const defenders = c.defenders.map(mac);
        const probers = c.probers.map(mac);
        ctx.emit({
          kind: 'nd.dad-conflict',
          severity: 'critical',
          ip,
          ips: [ip],
          macs: macList([...c.defenders, ...c.probers]),
          first_ts: c.first,
          last_ts: c.last,
          count: c.answers,
          title: `Duplicate IPv6 address ${ip}: DAD by ${probers.join(', ') || '?'} answered by ${defenders.join(', ') || '?'}`,
          explanation:
            `${probers.join(', ') || 'A host'} ran duplicate address detection for ${ip} and ${defenders.join(', ') || 'another node'} ` +
            `answered with a neighbor advertisement: the address is already in use. The prober's kernel marks it dadfailed and ` +
            'will not use it, so that host has no working address (or, with DAD disabled, both answer for it and traffic splits between them).',
          causes: [
            'the same static IPv6 address configured on two hosts (a cloned VM or a copied config)',
            'a DHCPv6 server handing out an address that is still leased or statically assigned',
            'an EUI-64 address from a duplicated MAC address (cloned VMs with the same MAC)',
            'a VIP (keepalived, MetalLB, kube-vip) added on a node while another still holds it',
            'a proxy NDP entry (ip -6 neigh add proxy) on a router for an address that a host now uses',
          ],
          next_steps: [
            `ip -6 addr show | grep -B2 dadfailed   # on ${probers[0] ?? 'the prober'}`,
            `ip -6 neigh show ${ip}`,
            `ndisc6 ${ip} <iface>   # who answers now`,
            'ip -6 neigh show proxy   # on routers',
            'sysctl net.ipv6.conf.all.accept_dad net.ipv6.conf.all.dad_transmits',
          ],
          refs: c.refs.refs(),
          details: { probes: c.probes, answers: c.answers, defenders, probers },
        });
      }
    },
  };
};
