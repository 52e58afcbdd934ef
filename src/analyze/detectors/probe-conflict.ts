/**
 * arp.probe-conflict: an RFC 5227 address probe (a request with sender IP
 * 0.0.0.0, as DHCP clients, NetworkManager and `arping -D` send before
 * using an address) for X, and within `PROBE_WINDOW_S` another MAC speaks
 * for X: a reply with sender X, or any ARP with sender X. The address is in
 * use; the prober must not take it (a well-behaved client declines the
 * DHCP lease, a careless one configures it anyway and a duplicate begins).
 *
 * Unanswered probes are the normal case and stay silent. The prober's own
 * announcement after probing is not a conflict (same MAC).
 */
import { capacityFor, growF64 } from '../address-index.js';
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { ProbeAnswers } from './probes.js';
import { ip4, mac, macList } from './util.js';

/** A claim this long after the latest probe answers it. */
const PROBE_WINDOW_S = 2;
const MAX_PROBED = 100_000;

export const probeConflictDetector: DetectorFactory = (ctx) => {
  /** Open probes and the conflicts found, by IPv4 address. */
  const probes = new ProbeAnswers<number>(PROBE_WINDOW_S, MAX_PROBED);
  /** Latest probe time by IP id: lets the claims of unprobed addresses (nearly all frames) skip the Map. */
  let cap = 0;
  let lastProbe = new Float64Array(0);

  return {
    kind: 'arp.probe-conflict',
    onArp(e: ArpEvent) {
      if (e.probe) {
        if (e.tpa === 0) return;
        if (e.tpaId >= 0) {
          if (e.tpaId >= cap) lastProbe = growF64(lastProbe, (cap = capacityFor(cap, e.tpaId)), -Infinity);
          lastProbe[e.tpaId] = e.ts;
        }
        probes.probe(e.tpa, e.sha, e);
        return;
      }
      if (e.spa === 0 || !probes.open || (e.op !== 1 && e.op !== 2)) return;
      if (e.spaId >= 0 && (e.spaId >= cap || !(e.ts - lastProbe[e.spaId]! <= PROBE_WINDOW_S))) return;
      probes.claim(e.spa, e.sha, -1, e);
    },
    finish() {
      for (const [ip, c] of probes.conflicts) {
        const text = ip4(ip);
        const defenders = c.defenders.map(mac);
        const probers = c.probers.map(mac);
        ctx.emit({
          kind: 'arp.probe-conflict',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs: macList([...c.defenders, ...c.probers]),
          first_ts: c.first,
          last_ts: c.last,
          count: c.answers,
          title: `${probers.join(', ')} probed ${text}, but ${defenders.join(', ')} already uses it`,
          explanation:
            `${probers.join(', ')} checked whether ${text} is free (RFC 5227 probe, sender 0.0.0.0) and ${defenders.join(', ')} answered ` +
            `${c.answers} time${c.answers === 1 ? '' : 's'} within ${PROBE_WINDOW_S} s: the address is taken. A DHCP client should decline ` +
            'the lease and a static configuration should be refused; if the prober takes the address anyway, both hosts ' +
            'end up answering for it and connections to it break at random.',
          causes: [
            'the DHCP pool overlaps a static assignment, or the server lost its lease database',
            `a host configured by hand with ${text}, which is already in use (a cloned VM, a copied config)`,
            'a MetalLB / kube-vip address pool overlapping host addresses or the DHCP range',
          ],
          next_steps: [
            `arping -D -c 3 -I <iface> ${text}   # exits 1 when the address is in use`,
            `ip neigh show ${text}`,
            `grep -r ${text} /var/lib/dhcp/ /var/lib/NetworkManager/ 2>/dev/null   # lease files`,
            'journalctl -u NetworkManager -u systemd-networkd --since -1h | grep -i -e conflict -e decline',
          ],
          refs: c.refs.refs(),
          details: { probes: c.probes, answers: c.answers, defenders, probers, max_answer_delay_s: Math.round(c.maxDelay * 1000) / 1000 },
        });
      }
    },
  };
};
