/**
 * nd.unanswered: IPv6 neighbor solicitations for a target that nobody
 * answers. The IPv6 twin of arp.unanswered: a host (src not '::') asks for
 * T with NS (type 135) and no NA (136) for T follows. Reported once T was
 * asked for at least `unansweredMin` times over at least a second, with no
 * answer within `replyTimeoutS` of the last NS: a neighbor that is down, an
 * address nobody holds (a dual-stack LoadBalancer whose v6 VIP is not
 * announced), or multicast NS filtered by MLD snooping.
 *
 * Any ND from T itself (an NS or RA with source T) also shows it alive.
 * DAD probes (src '::') are not questions and are left alone: an unanswered
 * DAD probe is the normal, successful case.
 */
import { capacityFor, growF64 } from '../address-index.js';
import type { DetectorFactory } from '../detector.js';
import type { FrameRef, NdEvent } from '../events.js';
import { RefColumns } from '../finding.js';
import { macList } from './util.js';

const MAX_REQUESTERS = 16;

/** An unanswered run, as finish() reports it. */
interface Run {
  ip: string;
  first: number;
  last: number;
  count: number;
  requesters: number[];
  sources: string[];
  refs: FrameRef[];
}

/** Requesters and sources past the first of a run (rare: most runs have one asker). */
interface Extra {
  requesters: number[];
  sources: number[];
}

export const ndUnansweredDetector: DetectorFactory = (ctx) => {
  const cfg = ctx.config;
  // The outstanding run per target id (the engine's Ipv6Index), in columns as
  // in arp.unanswered: no object per exchange. `seq` orders runs by start,
  // the order they are reported in.
  let cap = 0;
  let count = new Float64Array(0);
  let first = new Float64Array(0);
  let last = new Float64Array(0);
  let seq = new Float64Array(0);
  let req0 = new Float64Array(0);
  let src0 = new Float64Array(0);
  let runs = 0;
  const extra: (Extra | undefined)[] = [];
  const refs = new RefColumns(6);
  /** Runs that were answered only after a long silence. */
  const closed: Run[] = [];

  const qualifies = (n: number, f: number, l: number): boolean => n >= cfg.unansweredMin && l - f >= 1;
  const v6 = ctx.ipv6;

  function run(id: number): Run {
    const x = extra[id];
    const requesters = req0[id]! >= 0 ? [req0[id]!] : [];
    const sources = src0[id]! >= 0 ? [v6.text(src0[id]!)] : [];
    if (x !== undefined) {
      requesters.push(...x.requesters);
      for (const s of x.sources) sources.push(v6.text(s));
    }
    return { ip: v6.text(id), first: first[id]!, last: last[id]!, count: count[id]!, requesters, sources, refs: refs.refs(id) };
  }

  function answered(id: number, ts: number): void {
    if (id < 0 || id >= cap || count[id] === 0) return;
    if (qualifies(count[id]!, first[id]!, last[id]!) && ts - last[id]! > cfg.replyTimeoutS) closed.push(run(id));
    count[id] = 0;
    if (id < extra.length) extra[id] = undefined;
    refs.clear(id);
  }

  /**
   * Another requester (or source) `v` of the run at `id`: the first lives in
   * column `col`, the others, MAX_REQUESTERS in all, in the run's Extra.
   */
  function more(col: Float64Array, id: number, v: number, list: (x: Extra) => number[]): void {
    if (v < 0 || v === col[id]) return;
    if (col[id]! < 0) {
      col[id] = v;
      return;
    }
    let x = extra[id];
    if (x !== undefined && (list(x).length >= MAX_REQUESTERS - 1 || list(x).includes(v))) return;
    if (x === undefined) {
      while (extra.length <= id) extra.push(undefined);
      extra[id] = x = { requesters: [], sources: [] };
    }
    list(x).push(v);
  }

  function grow(id: number): void {
    cap = capacityFor(cap, id);
    count = growF64(count, cap);
    first = growF64(first, cap);
    last = growF64(last, cap);
    seq = growF64(seq, cap);
    req0 = growF64(req0, cap);
    src0 = growF64(src0, cap);
  }

  return {
    kind: 'nd.unanswered',
    onNd(e: NdEvent) {
      if (e.src !== '::') answered(e.srcId, e.ts);
      if (e.type === 136) {
        if (e.target !== '') answered(e.targetId, e.ts);
        return;
      }
      if (e.type !== 135 || e.src === '::' || e.targetId < 0) return;
      const id = e.targetId;
      if (id >= cap) grow(id);
      const m = e.ethSrc >= 0 ? e.ethSrc : e.lladdr;
      if (count[id]!++ === 0) {
        first[id] = e.ts;
        seq[id] = runs++;
        req0[id] = m;
        src0[id] = e.srcId;
      } else {
        more(req0, id, m, (x) => x.requesters);
        more(src0, id, e.srcId, (x) => x.sources);
      }
      last[id] = e.ts;
      refs.add(id, e.input, e.frame, e.ts);
    },
    finish() {
      const open: number[] = [];
      for (let id = 0; id < cap; id++) if (count[id]! > 0) open.push(id);
      open.sort((a, b) => seq[a]! - seq[b]!);
      for (const p of [...closed, ...open.map(run)]) {
        if (!qualifies(p.count, p.first, p.last)) continue;
        const ip = p.ip;
        const span = p.last - p.first;
        ctx.emit({
          kind: 'nd.unanswered',
          severity: 'warning',
          ip,
          ips: [ip],
          macs: macList(p.requesters),
          first_ts: p.first,
          last_ts: p.last,
          count: p.count,
          title: `Nobody answers neighbor solicitations for ${ip} (${p.count} NS over ${span.toFixed(1)} s)`,
          explanation:
            `${p.sources.join(', ')} sent ${p.count} neighbor solicitations for ${ip} and no neighbor advertisement came back. ` +
            `Until one does, the sender's neighbor entry stays INCOMPLETE / FAILED and IPv6 traffic to ${ip} is dropped, ` +
            'while IPv4 to the same host may work: the usual "only IPv6 is broken" report.',
          causes: [
            'the host is down, or the address is not (or no longer) configured on it',
            'a dual-stack LoadBalancer / VIP whose IPv6 address no speaker announces (MetalLB L2 needs NDP for v6)',
            "multicast NS not delivered: MLD snooping without a querier, or a filter on the solicited-node group ff02::1:ffXX:XXXX",
            'the owner ignores the NS: ip6tables/nftables dropping ICMPv6, or the address is still tentative (DAD) or dadfailed',
          ],
          next_steps: [
            `ip -6 neigh show ${ip}`,
            `ndisc6 ${ip} <iface>`,
            `ping -6 -c 3 ${ip}`,
            `ip -6 addr show | grep -e ${ip} -e tentative -e dadfailed   # on the owner`,
            'ip -6 maddr show dev <iface>   # on the owner: is it in the solicited-node group?',
          ],
          refs: p.refs,
          details: { solicitations: p.count, span_s: Math.round(span * 1000) / 1000, sources: p.sources },
        });
      }
    },
  };
};
