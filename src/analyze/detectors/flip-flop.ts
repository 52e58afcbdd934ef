/**
 * arp.flip-flop: the MAC bound to an IP alternates A -> B -> A over time.
 * A single move is a failover; coming back (and again) means two owners
 * take turns: a flapping VIP leader election, two DHCP clients with one
 * lease, or an attacker and the real host fighting over the address.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { AnswerTracker } from './answers.js';
import { OwnerTracker } from './changes.js';
import { ip4, macList } from './util.js';

export const flipFlopDetector: DetectorFactory = (ctx) => {
  const owners = ctx.shared('arp.owners', () => new OwnerTracker(ctx.config.conflictWindowS));
  // An IP answered by two MACs at once alternates as a consequence: arp.conflict tells that story.
  const answers = ctx.shared('arp.answers', () => new AnswerTracker(ctx.config.conflictWindowS));
  return {
    kind: 'arp.flip-flop',
    onArp(e: ArpEvent) {
      owners.claim(e);
      answers.track(e);
    },
    finish() {
      for (const [ip, s] of owners.moved(ctx.ipv4)) {
        if (!OwnerTracker.flipFlops(s)) continue;
        const doubled = answers.answers.get(ip);
        if (doubled && doubled.macs && doubled.macs.size >= 2 && doubled.count * 2 >= s.changeCount) continue;
        const changes = s.changes;
        const text = ip4(ip);
        const macs = macList(changes.flatMap((c) => [c.from, c.to]));
        const seq = [changes[0]!.from, ...changes.map((c) => c.to)].slice(0, 12).map((m) => macs.indexOf(macList([m])[0]!));
        const letters = seq.map((i) => String.fromCharCode(65 + Math.max(0, i))).join(' -> ');
        ctx.emit({
          kind: 'arp.flip-flop',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs,
          first_ts: changes[0]!.ts,
          last_ts: changes[changes.length - 1]!.ts,
          count: s.changeCount,
          title: `${text} flip-flops between ${macs.join(' and ')} (${s.changeCount} changes: ${letters})`,
          explanation:
            `The MAC answering for ${text} changed ${s.changeCount} times and came back to a previous owner. ` +
            'Every change re-points all neighbors; connections in flight break each time (TCP resets, timeouts).',
          causes: [
            'a VIP leader election that keeps flapping (MetalLB memberlist split, kube-vip lease churn, keepalived priorities or VRRP adverts lost)',
            'two hosts configured with the same address, answering at different times',
            'ARP spoofing: an attacker and the real host re-claiming the address in turn',
          ],
          next_steps: [
            `ip monitor neigh | grep ${text}`,
            'kubectl -n metallb-system logs -l app=metallb,component=speaker --since=1h | grep -i -e leader -e memberlist',
            'kubectl -n kube-system logs -l app.kubernetes.io/name=kube-vip --since=1h | grep -i lease',
            'journalctl -u keepalived --since -1h | grep -i -e MASTER -e BACKUP',
          ],
          refs: changes.slice(0, 6).flatMap((c) => [c.prevRef, c.ref]),
          details: { changes: s.changeCount, sequence: letters },
        });
      }
    },
  };
};
