/**
 * arp.failover: an IP moves from one MAC to another and the new owner
 * announces it with gratuitous ARP, as MetalLB, kube-vip and keepalived do
 * when leadership changes. Informational when clean; an IP that keeps
 * moving back and forth is arp.flip-flop instead and is not repeated here.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { OwnerTracker } from './changes.js';
import { ip4, mac, macList } from './util.js';

export const failoverDetector: DetectorFactory = (ctx) => {
  const owners = ctx.shared('arp.owners', () => new OwnerTracker(ctx.config.conflictWindowS));
  return {
    kind: 'arp.failover',
    onArp(e: ArpEvent) {
      owners.claim(e);
    },
    finish() {
      for (const [ip, s] of owners.moved(ctx.ipv4)) {
        if (OwnerTracker.flipFlops(s)) continue;
        const moves = s.changes.filter((c) => c.announced);
        if (moves.length === 0) continue;
        const text = ip4(ip);
        const last = moves[moves.length - 1]!;
        ctx.emit({
          kind: 'arp.failover',
          severity: 'info',
          ip: text,
          ips: [text],
          macs: macList(moves.flatMap((c) => [c.from, c.to])),
          first_ts: moves[0]!.ts,
          last_ts: last.ts,
          count: moves.length,
          title: `${text} moved from ${mac(last.from)} to ${mac(last.to)} (announced by gratuitous ARP)`,
          explanation:
            `${text} changed owner ${moves.length === 1 ? 'once' : `${moves.length} times`} and the new owner announced it, ` +
            'so neighbors updated their caches at once. This is what a healthy VIP failover looks like; check that it was expected.',
          causes: ['a MetalLB speaker / kube-vip / keepalived leadership change (node drain, restart, failed health check)', 'a planned migration of the address'],
          next_steps: [
            'kubectl -n metallb-system logs -l app=metallb,component=speaker --since=1h | grep -i announce',
            'kubectl get events -A --field-selector reason=nodeAssigned',
            `ip neigh show ${text}`,
          ],
          refs: moves.slice(0, 4).flatMap((c) => [c.prevRef, c.ref]),
          details: { moves: moves.length, from: mac(moves[0]!.from), to: mac(last.to) },
        });
      }
    },
  };
};
