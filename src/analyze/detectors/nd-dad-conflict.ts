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
import { RefSample } from '../finding.js';
import { capMap, mac, macList, expireOlderThan } from './util.js';

/** An NA this long after the latest DAD probe answers it. */
const DAD_WINDOW_S = 2;
const MAX_PROBED = 50_000;
const MAX_CONFLICTS = 10_000;
const MAX_LIST = 8;

interface Probe {
  prober: number;
  last: number;
  input: number;
  frame: number;
  probes: number;
  /** The latest probe is already in the conflict's refs. */
  probeRef: boolean;
  conflict: Conflict | null;
}

interface Conflict {
  defenders: number[];
  probers: number[];
  answers: number;
  first: number;
  last: number;
  refs: RefSample;
}

export const ndDadConflictDetector: DetectorFactory = (ctx) => {
  /** DAD probes of the last DAD_WINDOW_S, oldest first. */
  const probes = new Map<string, Probe>();
  const conflicts = new Map<string, { c: Conflict; probes: number }>();

  const expire = (now: number): void => expireOlderThan(probes, now, DAD_WINDOW_S);

  return {
    kind: 'nd.dad-conflict',
    onNd(e: NdEvent) {
      if (e.type === 135) {
        if (e.src !== '::' || e.target === '') return;
        const prober = e.ethSrc >= 0 ? e.ethSrc : e.lladdr;
        expire(e.ts);
        let p = probes.get(e.target);
        if (p === undefined) {
          const known = conflicts.get(e.target);
          p = { prober, last: e.ts, input: e.input, frame: e.frame, probes: known?.probes ?? 0, probeRef: false, conflict: known?.c ?? null };
        } else probes.delete(e.target);
        probes.set(e.target, p);
        capMap(probes, MAX_PROBED);
        p.prober = prober;
        p.last = e.ts;
        p.input = e.input;
        p.frame = e.frame;
        p.probes++;
        p.probeRef = false;
        const known = conflicts.get(e.target);
        if (known !== undefined) known.probes = p.probes;
        return;
      }
      if (e.type !== 136 || e.target === '' || probes.size === 0) return;
      const p = probes.get(e.target);
      if (p === undefined) return;
      const defender = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
      if (defender === p.prober || (e.ethSrc >= 0 && e.ethSrc === p.prober)) return;
      const dt = e.ts - p.last;
      if (dt < 0 || dt > DAD_WINDOW_S) return;
      let c = p.conflict;
      if (c === null) {
        c = { defenders: [], probers: p.prober >= 0 ? [p.prober] : [], answers: 0, first: p.last, last: e.ts, refs: new RefSample(8) };
        p.conflict = c;
        conflicts.set(e.target, { c, probes: p.probes });
        capMap(conflicts, MAX_CONFLICTS);
      }
      c.answers++;
      c.last = e.ts;
      if (defender >= 0 && c.defenders.length < MAX_LIST && !c.defenders.includes(defender)) c.defenders.push(defender);
      // A prober is named once another MAC has answered its probe.
      if (p.prober >= 0 && c.probers.length < MAX_LIST && !c.probers.includes(p.prober)) c.probers.push(p.prober);
      if (!p.probeRef) {
        p.probeRef = true;
        c.refs.add({ input: p.input, frame: p.frame, ts: p.last });
      }
      c.refs.add(e);
    },
    finish() {
      for (const [ip, { c, probes: probed }] of conflicts) {
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
          details: { probes: probed, answers: c.answers, defenders, probers },
        });
      }
    },
  };
};
