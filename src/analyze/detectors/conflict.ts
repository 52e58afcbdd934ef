/**
 * arp.conflict: two or more MACs answer for one IP within a short window.
 *
 * Only answers to requests count (replies that are not gratuitous): during
 * a clean MetalLB/keepalived failover the new owner announces and the old
 * one falls silent, while in a duplicate-IP or split-brain case both keep
 * answering the same requests. Virtual responders are expected and skipped.
 * When the same pair of MACs answers for several IPs at once, that is one
 * multi-homed host answering on both NICs: arp.flux reports it instead.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { ip4, macList } from './util.js';
import { AnswerTracker, conflictPairs } from './answers.js';

export const conflictDetector: DetectorFactory = (ctx) => {
  const tracker = ctx.shared('arp.answers', () => new AnswerTracker(ctx.config.conflictWindowS));
  const answers = tracker.answers;
  return {
    kind: 'arp.conflict',
    onArp(e: ArpEvent) {
      tracker.track(e);
    },
    finish() {
      const { conflicts } = conflictPairs(answers);
      for (const [ip, s] of conflicts) {
        const text = ip4(ip);
        const macs = macList(s.macs!);
        ctx.emit({
          kind: 'arp.conflict',
          severity: 'critical',
          ip: text,
          ips: [text],
          macs,
          first_ts: s.first,
          last_ts: s.last,
          count: s.count,
          title: `${macs.length} MACs answer ARP for ${text}: ${macs.join(', ')}`,
          explanation:
            `Requests for ${text} were answered by ${macs.join(' and ')} within ${ctx.config.conflictWindowS} s of each other, ${s.count} times. ` +
            'Each sender keeps whichever reply came last, so connections to this address go to one host or the other at random, ' +
            'and established TCP sessions break when the answer changes.',
          causes: [
            'duplicate IP address: two hosts configured with the same address (static config, DHCP overlap, a cloned VM)',
            'split brain of a VIP: MetalLB speakers, kube-vip or keepalived on two nodes both believe they own it',
            'a stale secondary address left on an interface after a migration',
          ],
          next_steps: [
            `arping -D -c 3 -I <iface> ${text}`,
            `ip -br addr | grep ${text}   # on each suspect host`,
            'kubectl -n metallb-system logs -l app=metallb,component=speaker --since=1h | grep -i -e announce -e leader',
            'journalctl -u keepalived --since -1h | grep -i state',
            `ip neigh show ${text}`,
          ],
          refs: s.refs!.refs(),
          details: { double_answers: s.count, window_s: ctx.config.conflictWindowS },
        });
      }
    },
  };
};
