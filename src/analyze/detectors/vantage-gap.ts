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

/** One distinct frame content (op, sender MAC, sender IP, target IP, target MAC) and where it was seen. */
interface Seen {
  op: number;
  sha: number;
  spa: number;
  tpa: number;
  tha: number;
  /** The IP it is about: the target of a request, the sender of a reply. */
  ip: number;
  /** (input, frame, ts) triples, `n` of them; grown up to MAX_SEEN_PER_KEY. */
  at: Float64Array;
  n: number;
  /** The next content with the same hash. */
  next: Seen | null;
}

/** A 53-bit hash of a frame's content: Map keys stay numbers (no string per frame). */
function contentHash(op: number, sha: number, spa: number, tpa: number, tha: number): number {
  const shaHi = (sha / 4294967296) | 0;
  const thaHi = (tha / 4294967296) | 0;
  let a = Math.imul(spa ^ Math.imul(op, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(tpa, 0xc2b2ae35) ^ Math.imul(sha >>> 0, 0x27d4eb2f);
  let b = Math.imul(tha >>> 0, 0x165667b1) ^ Math.imul(shaHi, 0x9e3779b1) ^ Math.imul(thaHi ^ tpa, 0x85ebca6b);
  a ^= a >>> 15;
  b ^= b >>> 13;
  return (a >>> 0) * 2097152 + (Math.imul(b, 0xc2b2ae35) >>> 11);
}

export const vantageGapDetector: DetectorFactory = (ctx) => {
  const n = ctx.vantages.length;
  const byHash = new Map<number, Seen>();
  /** Every Seen in the order first seen (what finish walks). */
  const order: Seen[] = [];
  // Each input's time span: only frames inside the span all inputs cover can be missing.
  const firstTs = new Array<number>(n).fill(Infinity);
  const lastTs = new Array<number>(n).fill(-Infinity);

  function find(e: ArpEvent): Seen | null {
    const h = contentHash(e.op, e.sha, e.spa, e.tpa, e.tha);
    const head = byHash.get(h);
    for (let s = head ?? null; s !== null; s = s.next) if (s.op === e.op && s.sha === e.sha && s.spa === e.spa && s.tpa === e.tpa && s.tha === e.tha) return s;
    if (order.length >= MAX_KEYS) return null;
    const s: Seen = { op: e.op, sha: e.sha, spa: e.spa, tpa: e.tpa, tha: e.tha, ip: e.op === 1 ? e.tpa : e.spa, at: new Float64Array(12), n: 0, next: head ?? null };
    byHash.set(h, s);
    order.push(s);
    return s;
  }

  return {
    kind: 'capture.vantage-gap',
    ...(n < 2
      ? {}
      : {
          onArp(e: ArpEvent) {
            if (e.ts < firstTs[e.input]!) firstTs[e.input] = e.ts;
            if (e.ts > lastTs[e.input]!) lastTs[e.input] = e.ts;
            if (e.op !== 1 && e.op !== 2) return;
            const s = find(e);
            if (s === null || s.n >= MAX_SEEN_PER_KEY) return;
            if (s.n * 3 === s.at.length) {
              const at = new Float64Array(s.at.length * 2);
              at.set(s.at);
              s.at = at;
            }
            s.at[s.n * 3] = e.input;
            s.at[s.n * 3 + 1] = e.frame;
            s.at[s.n * 3 + 2] = e.ts;
            s.n++;
          },
        }),
    finish() {
      if (n < 2) return;
      const from = Math.max(...firstTs) - SKEW_S;
      const until = Math.min(...lastTs) + SKEW_S;
      // (from, to, ip) -> missing frames
      const gaps = new Map<string, { from: number; to: number; ip: number; ops: Set<number>; macs: Set<number>; refs: FrameRef[]; count: number }>();
      /** Whether `s` was seen at input `to` within SKEW_S of `ts`. */
      const seenBy = (s: Seen, to: number, ts: number): boolean => {
        for (let j = 0; j < s.n * 3; j += 3) if (s.at[j] === to && Math.abs(s.at[j + 2]! - ts) <= SKEW_S) return true;
        return false;
      };
      for (const s of order) {
        for (let i = 0; i < s.n * 3; i += 3) {
          const a: FrameRef = { input: s.at[i]!, frame: s.at[i + 1]!, ts: s.at[i + 2]! };
          if (a.ts < from || a.ts > until) continue;
          for (let to = 0; to < n; to++) {
            if (to === a.input) continue;
            if (seenBy(s, to, a.ts)) continue;
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
