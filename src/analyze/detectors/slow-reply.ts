/**
 * arp.slow-reply: replies that arrive later than `slowMs` after the latest
 * request for the same IP. Linux answers ARP in microseconds from the
 * kernel; hundreds of milliseconds point at an overloaded or user-space
 * responder, a slow hypervisor or a congested path, and stall every new
 * connection to that address.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, FrameRef } from '../events.js';
import { ip4, macList, ms } from './util.js';

const MAX_SLOW_REFS = 3;

interface Slow {
  count: number;
  answered: number;
  macs: Set<number>;
  refs: FrameRef[];
  first: number;
  last: number;
}

export const slowReplyDetector: DetectorFactory = (ctx) => {
  const slowS = ctx.config.slowMs / 1000;
  /** Latest unanswered request per target id: [ts, input, frame]. */
  const pending: (FrameRef | undefined)[] = [];
  const slow = new Map<number, Slow>();
  return {
    kind: 'arp.slow-reply',
    onArp(e: ArpEvent) {
      if (e.op === 1) {
        if (e.probe || e.gratuitous || e.tpaId < 0) return;
        while (pending.length <= e.tpaId) pending.push(undefined);
        const p = pending[e.tpaId];
        if (p === undefined) {
          pending[e.tpaId] = { input: e.input, frame: e.frame, ts: e.ts };
        } else {
          p.input = e.input;
          p.frame = e.frame;
          p.ts = e.ts;
        }
        return;
      }
      if (e.op !== 2 || e.gratuitous || e.spaId < 0) return;
      const p = pending[e.spaId];
      if (p === undefined || p.ts < 0) return;
      const reqTs = p.ts;
      const delay = e.ts - reqTs;
      p.ts = -1; // answered; the record is reused by the next request
      let s = slow.get(e.spa);
      if (delay <= slowS || delay > 5) {
        if (s) s.answered++;
        return;
      }
      if (s === undefined) {
        s = { count: 0, answered: 0, macs: new Set(), refs: [], first: reqTs, last: e.ts };
        slow.set(e.spa, s);
      }
      s.count++;
      s.answered++;
      s.last = e.ts;
      if (s.macs.size < 8) s.macs.add(e.sha);
      if (s.refs.length < MAX_SLOW_REFS * 2) s.refs.push({ input: p.input, frame: p.frame, ts: reqTs }, { input: e.input, frame: e.frame, ts: e.ts });
    },
    finish() {
      for (const [ip, s] of slow) {
        const id = ctx.bindings.find4(ip);
        const b = ctx.bindings.v4;
        const p50 = b.percentile(id, 50);
        const p99 = b.percentile(id, 99);
        const max = b.latencyMax(id);
        const text = ip4(ip);
        ctx.emit({
          kind: 'arp.slow-reply',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs: macList(s.macs),
          first_ts: s.first,
          last_ts: s.last,
          count: s.count,
          title: `Slow ARP replies for ${text}: ${s.count} of ${s.answered} over ${ctx.config.slowMs} ms (p50 ${p50 === null ? '?' : ms(p50)} ms, max ${ms(max)} ms)`,
          explanation:
            `${s.count} replies for ${text} came more than ${ctx.config.slowMs} ms after the request. A kernel answers ARP in well under ` +
            'a millisecond; delays this long stall the first packet of every new connection and can make load balancer health checks flap.',
          causes: [
            'the answer comes from user space or a busy control plane (an ARP proxy, a virtual switch controller, an overloaded VM)',
            'a congested or policed path (ARP rate limiting / CoPP on a switch, a saturated uplink)',
            'the owner is CPU-starved or its NIC interrupts are delayed',
          ],
          next_steps: [
            `arping -c 10 -I <iface> ${text}   # per-reply times`,
            'ethtool -S <iface> | grep -i -e drop -e miss',
            'show policy-map control-plane | include arp   # on the switch, if ARP is policed',
          ],
          refs: s.refs,
          details: {
            slow_replies: s.count,
            replies_timed: s.answered,
            threshold_ms: ctx.config.slowMs,
            p50_ms: p50 === null ? null : ms(p50),
            p99_ms: p99 === null ? null : ms(p99),
            max_ms: ms(max),
          },
        });
      }
    },
  };
};
