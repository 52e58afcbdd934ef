/**
 * arp.scan: one sender (by ARP sender MAC) asks for at least `scanMin`
 * distinct addresses within `scanWindowS`. That is a sweep: arp-scan,
 * `nmap -sn` on the local subnet, netdiscover, an inventory or monitoring
 * tool, or a worm. A normal host resolves a handful of neighbors; even a
 * busy gateway refreshes its entries spread over minutes. Only broadcast
 * requests count: a sweep does not know the MACs it is looking for, and
 * unicast requests are Linux re-checking entries it already has.
 *
 * Each sender keeps a sliding window of its recent requests (a small ring
 * buffer of targets and times; a count per target only once the window
 * holds scanMin requests), so the distinct count is exact and a request
 * costs O(1) amortized with no allocation. One finding per scanner,
 * with how many addresses it covered, how fast, the range, and how many
 * of them are alive (some MAC claimed them in the capture). A notice: often a tool someone ran
 * on purpose, but worth knowing about.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { capacityFor, growF64 } from '../address-index.js';
import { RefSample } from '../finding.js';
import { EventStage } from './stage.js';
import { ip4, ip4List, mac } from './util.js';

/** Requests kept in one sender's window; beyond it the oldest are dropped. */
const MAX_WINDOW = 8192;
/**
 * A sender's requests are staged by MAC id (EventStage: its last STAGE
 * target, time, frame) until STAGE + 1 of them fall within the window;
 * only then does it get a window of its own, seeded with those. For
 * time-ordered frames that is exact: the request before them was already
 * outside the window (or the sender would have been promoted then). Most
 * hosts resolve a few neighbors a minute and are never promoted.
 */
const STAGE = 8;
const PROMOTED_CAP = 16;
const MAX_TARGETS = 65_536;
const MAX_LIVE_LISTED = 64;
const FRAME_BASE = 4294967296;

interface Sender {
  /**
   * The window as a ring of (target, time, input * 2^32 + frame) triples:
   * capacity `cap` triples (a power of two, grown up to MAX_WINDOW), `len`
   * of them from triple `start`. One small buffer per sender, reused.
   */
  q: Float64Array;
  cap: number;
  start: number;
  len: number;
  /**
   * Target -> requests for it in the window. Only kept while the window
   * holds at least scanMin requests (fewer cannot be scanMin distinct
   * targets; dropped below half that), so an ordinary host costs no Map
   * work at all. Entries that fall to 0 stay: deleting and re-adding
   * them on every request made this Map the detector's hottest line.
   */
  win: Map<number, number> | null;
  /** Targets with a count above 0 in `win`. */
  distinct: number;
  spa: number;
  /** Set once the sender crossed the threshold. */
  scan: Scan | null;
}

interface Scan {
  targets: Set<number>;
  targetOverflow: number;
  requests: number;
  first: number;
  last: number;
  peak: number;
  minT: number;
  maxT: number;
  refs: RefSample;
}

export const scanDetector: DetectorFactory = (ctx) => {
  const cfg = ctx.config;
  /** By sender MAC id (the engine's MacIndex). */
  const senders: (Sender | undefined)[] = [];
  const staged = cfg.scanMin > STAGE + 1;
  /** Per MAC id: its last STAGE (target, time, input * 2^32 + frame) triples, until it is promoted. */
  const stage = new EventStage(STAGE, 3, 1, cfg.scanWindowS);
  let cap = 0;
  /** The latest non-zero sender IP per MAC id (0 when none yet). */
  let spaOf = new Float64Array(0);

  function newSender(id: number): Sender {
    const s: Sender = { q: new Float64Array(PROMOTED_CAP * 3), cap: PROMOTED_CAP, start: 0, len: 0, win: null, distinct: 0, spa: spaOf[id]!, scan: null };
    senders[id] = s;
    return s;
  }

  /** Stages the request; once STAGE + 1 fall within the window the sender gets its own (holding this request). */
  function staging(e: ArpEvent): void {
    const id = e.shaId;
    if (id >= cap) spaOf = growF64(spaOf, (cap = capacityFor(cap, id)));
    if (e.spa !== 0) spaOf[id] = e.spa;
    const next = stage.next;
    next[0] = e.tpa;
    next[1] = e.ts;
    next[2] = e.input * FRAME_BASE + e.frame;
    if (!stage.add(id)) return;
    // Promoted: its window is the STAGE + 1 latest requests, oldest first.
    const s = newSender(id);
    stage.copy(id, s.q);
    s.len = STAGE + 1;
  }

  /** Index (in numbers) of the i-th triple of the window. */
  const at = (s: Sender, i: number): number => ((s.start + i) & (s.cap - 1)) * 3;

  function drop(s: Sender): void {
    const w = s.win;
    if (w !== null) {
      const t = s.q[at(s, 0)]!;
      const n = w.get(t)! - 1;
      w.set(t, n);
      if (n === 0) s.distinct--;
    }
    s.start = (s.start + 1) & (s.cap - 1);
    s.len--;
  }

  function push(s: Sender, e: ArpEvent): void {
    if (s.len === s.cap) {
      if (s.cap >= MAX_WINDOW) drop(s);
      else {
        const q = new Float64Array(s.cap * 2 * 3);
        for (let i = 0; i < s.len; i++) {
          const j = at(s, i);
          q[i * 3] = s.q[j]!;
          q[i * 3 + 1] = s.q[j + 1]!;
          q[i * 3 + 2] = s.q[j + 2]!;
        }
        s.q = q;
        s.cap *= 2;
        s.start = 0;
      }
    }
    const j = at(s, s.len);
    s.q[j] = e.tpa;
    s.q[j + 1] = e.ts;
    s.q[j + 2] = e.input * FRAME_BASE + e.frame;
    s.len++;
  }

  function addTarget(sc: Scan, t: number): void {
    if (sc.targets.has(t)) return;
    if (sc.targets.size >= MAX_TARGETS) {
      sc.targetOverflow++;
      return;
    }
    sc.targets.add(t);
    if (t < sc.minT) sc.minT = t;
    if (t > sc.maxT) sc.maxT = t;
  }

  return {
    kind: 'arp.scan',
    onArp(e: ArpEvent) {
      // A sweep broadcasts (it does not know the MACs yet); unicast requests are NUD re-checks.
      if (e.op !== 1 || e.gratuitous || !e.broadcast || e.shaId < 0) return;
      while (senders.length <= e.shaId) senders.push(undefined);
      let s = senders[e.shaId];
      if (s === undefined) {
        // With fewer than scanMin requests in its window nothing else happens to a sender.
        if (staged) {
          staging(e);
          return;
        }
        s = { q: new Float64Array(PROMOTED_CAP * 3), cap: PROMOTED_CAP, start: 0, len: 0, win: null, distinct: 0, spa: e.spa, scan: null };
        senders[e.shaId] = s;
      }
      if (e.spa !== 0) s.spa = e.spa;
      const since = e.ts - cfg.scanWindowS;
      while (s.len > 0 && s.q[at(s, 0) + 1]! < since) drop(s);
      push(s, e);
      if (s.win !== null) {
        const n = s.win.get(e.tpa) ?? 0;
        s.win.set(e.tpa, n + 1);
        if (n === 0) s.distinct++;
      }
      if (s.len < cfg.scanMin) {
        if (s.win !== null && s.scan === null && s.len < cfg.scanMin >> 1) s.win = null;
      } else if (s.win === null) {
        const w = new Map<number, number>();
        let distinct = 0;
        for (let i = 0; i < s.len; i++) {
          const t = s.q[at(s, i)]!;
          const n = w.get(t) ?? 0;
          w.set(t, n + 1);
          if (n === 0) distinct++;
        }
        s.win = w;
        s.distinct = distinct;
      }
      const sc = s.scan;
      const w = s.win;
      if (sc !== null) {
        sc.requests++;
        sc.last = e.ts;
        addTarget(sc, e.tpa);
        if (w !== null && s.distinct > sc.peak) sc.peak = s.distinct;
        sc.refs.add(e);
        return;
      }
      if (w === null || s.distinct < cfg.scanMin) return;
      // Crossed the threshold: the sweep started with the window.
      const n = { targets: new Set<number>(), targetOverflow: 0, requests: 0, first: s.q[at(s, 0) + 1]!, last: e.ts, peak: s.distinct, minT: Infinity, maxT: -Infinity, refs: new RefSample(6) };
      for (let i = 0; i < s.len; i++) {
        const j = at(s, i);
        n.requests++;
        addTarget(n, s.q[j]!);
        const f = s.q[j + 2]!;
        n.refs.add({ input: Math.floor(f / FRAME_BASE), frame: f % FRAME_BASE, ts: s.q[j + 1]! });
      }
      s.scan = n;
    },
    finish() {
      for (let id = 0; id < senders.length; id++) {
        const s = senders[id];
        const sc = s?.scan ?? null;
        if (s === undefined || sc === null) continue;
        const m = ctx.macs.keys[id]!;
        const text = ip4(s.spa);
        const who = mac(m);
        const span = Math.max(sc.last - sc.first, 0);
        const targets = sc.targets.size + sc.targetOverflow;
        const rate = Math.round((sc.requests / Math.max(span, 0.001)) * 10) / 10;
        const range = `${ip4(sc.minT)} - ${ip4(sc.maxT)}`;
        // Live: targets some MAC claimed in the capture (answered, or sent ARP themselves).
        const live: number[] = [];
        for (const t of sc.targets) if (ctx.bindings.v4.macCount(ctx.bindings.find4(t)) > 0) live.push(t);
        ctx.emit({
          kind: 'arp.scan',
          severity: 'notice',
          ip: text,
          ips: [text],
          macs: [who],
          first_ts: sc.first,
          last_ts: sc.last,
          count: sc.requests,
          title: `ARP sweep from ${text} (${who}): ${targets} addresses in ${span.toFixed(1)} s`,
          explanation:
            `${who} (${text}) asked for ${targets} different addresses (${range}) with ${sc.requests} requests over ${span.toFixed(1)} s, ` +
            `up to ${sc.peak} distinct within ${cfg.scanWindowS} s; ${live.length} of them are alive. Hosts resolve a few neighbors at a time; ` +
            'this is a sweep of the subnet to find who is alive. Often an inventory or monitoring tool or someone running ' +
            'arp-scan / nmap on purpose, sometimes reconnaissance before an attack (ARP spoofing usually follows).',
          causes: [
            'arp-scan, nmap -sn / -PR, netdiscover or a similar tool run on that host',
            'a network inventory, monitoring or IPAM discovery job',
            'a router or firewall resolving many destinations at once (traffic to a whole range, e.g. a scan passing through it)',
            'malware looking for neighbors to spread to',
          ],
          next_steps: [
            `ip neigh show | grep -i ${who}`,
            `ss -tunap   # on ${text}: which process is sending`,
            `tcpdump -n -e -i <iface> arp and ether src ${who}`,
            'check the switch MAC table for the port of that MAC',
          ],
          refs: sc.refs.refs(),
          details: {
            targets,
            requests: sc.requests,
            rate_per_s: rate,
            range,
            peak_in_window: sc.peak,
            window_s: cfg.scanWindowS,
            alive: live.length,
            ...(live.length > 0 && live.length <= MAX_LIVE_LISTED ? { live_hosts: ip4List(live) } : {}),
          },
        });
      }
    },
  };
};
