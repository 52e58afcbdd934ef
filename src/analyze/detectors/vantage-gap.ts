/**
 * capture.vantage-gap: with captures from several points (both ends of a
 * path, --vantage NAME=FILE), ARP frames seen at one point but never at
 * the other within `SKEW_S`. A request that leaves the client and never
 * reaches the server, or a reply the server sends that the client never
 * gets, locates the loss between the two points (a filtering switch, a
 * VLAN mismatch, an overloaded policer).
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, FrameRef } from '../events.js';
import { ip4, macList } from './util.js';

/** Clock difference tolerated between the vantage points' timestamps. */
const SKEW_S = 0.5;
const MAX_KEYS = 100_000;
const MAX_SEEN_PER_KEY = 32;

interface Seen {
  ip: number;
  op: number;
  sha: number;
  at: (FrameRef & { input: number })[];
}

export const vantageGapDetector: DetectorFactory = (ctx) => {
  const n = ctx.vantages.length;
  const seen = new Map<string, Seen>();
  // Each input's time span: only frames inside the span all inputs cover can be missing.
  const firstTs = new Array<number>(n).fill(Infinity);
  const lastTs = new Array<number>(n).fill(-Infinity);
  return {
    kind: 'capture.vantage-gap',
    ...(n < 2
      ? {}
      : {
          onArp(e: ArpEvent) {
            if (e.ts < firstTs[e.input]!) firstTs[e.input] = e.ts;
            if (e.ts > lastTs[e.input]!) lastTs[e.input] = e.ts;
            if (e.op !== 1 && e.op !== 2) return;
            const k = `${e.op}/${e.sha}/${e.spa}/${e.tpa}/${e.tha}`;
            let s = seen.get(k);
            if (s === undefined) {
              if (seen.size >= MAX_KEYS) return;
              s = { ip: e.op === 1 ? e.tpa : e.spa, op: e.op, sha: e.sha, at: [] };
              seen.set(k, s);
            }
            if (s.at.length < MAX_SEEN_PER_KEY) s.at.push({ input: e.input, frame: e.frame, ts: e.ts });
          },
        }),
    finish() {
      if (n < 2) return;
      const from = Math.max(...firstTs) - SKEW_S;
      const until = Math.min(...lastTs) + SKEW_S;
      // (from, to, ip) -> missing frames
      const gaps = new Map<string, { from: number; to: number; ip: number; ops: Set<number>; macs: Set<number>; refs: FrameRef[]; count: number }>();
      for (const s of seen.values()) {
        for (const a of s.at) {
          if (a.ts < from || a.ts > until) continue;
          for (let to = 0; to < n; to++) {
            if (to === a.input) continue;
            if (s.at.some((b) => b.input === to && Math.abs(b.ts - a.ts) <= SKEW_S)) continue;
            const k = `${a.input}>${to}>${s.ip}`;
            let g = gaps.get(k);
            if (g === undefined) {
              g = { from: a.input, to, ip: s.ip, ops: new Set(), macs: new Set(), refs: [], count: 0 };
              gaps.set(k, g);
            }
            g.count++;
            g.ops.add(s.op);
            g.macs.add(s.sha);
            if (g.refs.length < 6) g.refs.push(a);
          }
        }
      }
      const worst = [...gaps.values()].sort((a, b) => b.count - a.count).slice(0, 50);
      for (const g of worst) {
        const seenAt = ctx.vantages[g.from]!;
        const missedAt = ctx.vantages[g.to]!;
        const text = ip4(g.ip);
        const what = g.ops.has(2) && g.ops.has(1) ? 'requests and replies' : g.ops.has(2) ? 'replies' : 'requests';
        ctx.emit({
          kind: 'capture.vantage-gap',
          severity: g.ops.has(2) ? 'warning' : 'notice',
          ip: text,
          ips: [text],
          macs: macList(g.macs),
          first_ts: g.refs[0]!.ts,
          last_ts: g.refs[g.refs.length - 1]!.ts,
          count: g.count,
          title: `${g.count} ARP ${what} for ${text} seen at ${seenAt} never reached ${missedAt}`,
          explanation:
            `${g.count} ARP ${what} about ${text} were captured at ${seenAt} but not at ${missedAt} (within ${SKEW_S} s), ` +
            'inside the time both captures cover: the frames were lost between the two points, or one capture dropped them.',
          causes: [
            'a switch or firewall between the points filters or rate-limits ARP (DAI, CoPP, storm control)',
            'the two points are not in the same broadcast domain (VLAN mismatch, a routed hop)',
            'the capture at the far end started late, stopped early or dropped frames (check its drop counters)',
          ],
          next_steps: ['show ip arp inspection statistics   # on the switches in between', 'bridge vlan show; ip -d link show <iface>', 'tcpdump -i <iface> -n -e arp  # on the far end, and compare'],
          refs: g.refs,
          details: { seen_at: seenAt, missed_at: missedAt, missing: g.count },
        });
      }
    },
  };
};
