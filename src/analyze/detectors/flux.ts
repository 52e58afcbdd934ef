/**
 * arp.flux: one host answers a request from two interfaces. Linux with
 * arp_ignore=0 answers for any local address on every interface that hears
 * the request, so a multi-homed host on one segment advertises two MACs for
 * each of its IPs. The signature: the same pair of MACs double-answers for
 * two or more IPs (a duplicate IP or split brain involves one IP per pair).
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { AnswerTracker, conflictPairs } from './answers.js';
import { ip4, macList } from './util.js';

export const fluxDetector: DetectorFactory = (ctx) => {
  const tracker = ctx.shared('arp.answers', () => new AnswerTracker(ctx.config.conflictWindowS));
  const answers = tracker.answers;
  return {
    kind: 'arp.flux',
    onArp(e: ArpEvent) {
      tracker.track(e);
    },
    finish() {
      const { flux } = conflictPairs(answers);
      const allIps = flux.map(([ip]) => ip);
      for (const [ip, s] of flux) {
        const text = ip4(ip);
        const macs = macList(s.macs!);
        const siblings = allIps.filter((x) => x !== ip && macList(answers.get(x)!.macs!).join() === macs.join());
        ctx.emit({
          kind: 'arp.flux',
          severity: 'warning',
          ip: text,
          ips: [text, ...siblings.map(ip4)],
          macs,
          first_ts: s.first,
          last_ts: s.last,
          count: s.count,
          title: `ARP flux: ${text} answered from two interfaces (${macs.join(', ')})`,
          explanation:
            `Every request for ${text} is answered by both ${macs.join(' and ')}, and the same two MACs answer for ` +
            `${siblings.map(ip4).join(', ')} too: one multi-homed host is replying on both of its NICs. Peers pick whichever ` +
            'reply came last, so traffic for one address arrives on the other interface, breaking reverse-path filtering, ' +
            'policy routing and bonding assumptions. (If these really are two hosts, this is a duplicate-IP conflict.)',
          causes: [
            'Linux default net.ipv4.conf.*.arp_ignore=0 / arp_announce=0 on a host with two interfaces in one broadcast domain',
            'a secondary NIC or macvlan added to the same VLAN without arp_filter',
          ],
          next_steps: [
            'sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.all.arp_filter',
            'sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2   # answer only on the owning interface',
            `ip -br addr; ip -br link   # on the host owning ${text}`,
          ],
          refs: s.refs!.refs(),
          details: { double_answers: s.count },
        });
      }
    },
  };
};
