/**
 * arp.slow-reply: replies that arrive later than `slowMs` after the latest
 * request for the same IP. Linux answers ARP in microseconds from the
 * kernel; hundreds of milliseconds point at an overloaded or user-space
 * responder, a slow hypervisor or a congested path, and stall every new
 * connection to that address.
 */
import { capacityFor, growF64, growI32 } from '../address-index.js';
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
  // Per target id: the latest unanswered request (time, -1 once answered;
  // input; frame), and the index of its Slow record in `slow` (-1: none yet).
  let cap = 0;
  let pendTs = new Float64Array(0);
  let pendInput = new Float64Array(0);
  let pendFrame = new Float64Array(0);
  let slowAt = new Int32Array(0);
  /** IPs with slow replies, in the order their first one came. */
  const slow: [number, Slow][] = [];
  return {
    kind: 'arp.slow-reply',
    onArp(e: ArpEvent) {
      if (e.op === 1) {
        if (e.probe || e.gratuitous || e.tpaId < 0) return;
        const id = e.tpaId;
        if (id >= cap) {
          cap = capacityFor(cap, id);
          pendTs = growF64(pendTs, cap, -1);
          pendInput = growF64(pendInput, cap);
          pendFrame = growF64(pendFrame, cap);
          slowAt = growI32(slowAt, cap, -1);
        }
        pendTs[id] = e.ts;
        pendInput[id] = e.input;
        pendFrame[id] = e.frame;
        return;
      }
      if (e.op !== 2 || e.gratuitous || e.spaId < 0 || e.spaId >= cap) return;
      const id = e.spaId;
      const reqTs = pendTs[id]!;
      if (reqTs < 0) return;
      const delay = e.ts - reqTs;
      pendTs[id] = -1; // answered
      const at = slowAt[id]!;
      if (delay <= slowS || delay > 5) {
        if (at >= 0) slow[at]![1].answered++;
        return;
      }
      let s: Slow;
      if (at >= 0) s = slow[at]![1];
      else {
        s = { count: 0, answered: 0, macs: new Set(), refs: [], first: reqTs, last: e.ts };
        slowAt[id] = slow.length;
        slow.push([e.spa, s]);
      }
      s.count++;
      s.answered++;
      s.last = e.ts;
      if (s.macs.size < 8) s.macs.add(e.sha);
      if (s.refs.length < MAX_SLOW_REFS * 2) s.refs.push({ input: pendInput[id]!, frame: pendFrame[id]!, ts: reqTs }, { input: e.input, frame: e.frame, ts: e.ts });
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
