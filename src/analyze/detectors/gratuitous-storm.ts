/**
 * arp.gratuitous-storm: gratuitous ARPs for one IP far above a legitimate
 * rate. Announcers are modest: MetalLB sends 5 rounds (10 frames) over
 * 4.4 s on a failover, kube-vip one every 3 s, keepalived a burst of 5 then
 * one per few seconds. More than `stormMin` within `stormWindowS` is a loop,
 * a flapping leader election, or a misbehaving driver.
 *
 * A segment-wide storm is caught too: hundreds of hosts each announcing
 * once within a second or two (a mass VM migration, a switch reboot, a
 * hypervisor re-announcing every guest) floods the segment although no
 * single IP is noisy. Those episodes are reported per VLAN.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, FrameRef } from '../events.js';
import { RefSample } from '../finding.js';
import { EventStage } from './stage.js';
import { ip4, ip4List, macList } from './util.js';

/**
 * Announcements per IP are staged (EventStage) before an IP gets a full window: an
 * IP is promoted when its last STAGE + 1 announcements fall within
 * stormWindowS. Exact: the one before those was outside the window already
 * (or the IP would have been promoted then), so the full window misses nothing.
 * Most IPs announce once or twice and never get one.
 */
const STAGE = 4;
/** Segment-wide: seconds with at least this many announcements and SEGMENT_FACTOR x the segment's median second. */
const SEGMENT_MIN_PER_S = 150;
const SEGMENT_FACTOR = 2.5;
const MAX_SECONDS = 1_000_000;
const MAX_EPISODES = 20;

interface SecondBucket {
  count: number;
  ips: number[];
  macs: number[];
  refs: FrameRef[];
}

interface Window {
  ip: number;
  /** Timestamps of the last stormMin gratuitous frames (ring). */
  ring: Float64Array;
  head: number;
  total: number;
  storming: boolean;
  first: number;
  last: number;
  peak: number;
  senders: Set<number>;
  refs: RefSample;
}

export const gratuitousStormDetector: DetectorFactory = (ctx) => {
  const { stormMin, stormWindowS } = ctx.config;
  /** By IP id, once promoted; `promoted` keeps the order. */
  const windows: (Window | undefined)[] = [];
  const promoted: Window[] = [];
  const staged = stormMin > STAGE + 1;
  /** The last STAGE announcement times per IP id, until it is promoted. */
  const recent = new EventStage(STAGE, 1, 0, stormWindowS);

  function promote(e: ArpEvent): Window {
    const w: Window = {
      ip: e.spa, ring: new Float64Array(stormMin).fill(-Infinity), head: 0, total: 0, storming: false, first: 0, last: 0, peak: 0,
      senders: new Set(), refs: new RefSample(6),
    };
    windows[e.spaId] = w;
    promoted.push(w);
    return w;
  }

  /** Times the announcement; gives the IP its full window (seeded with the recent times) once it needs one. */
  function stage(e: ArpEvent): void {
    recent.next[0] = e.ts;
    if (!recent.add(e.spaId)) return;
    // These STAGE + 1 times (this one included) start the full ring, oldest first. With
    // stormMin > STAGE + 1 the ring's oldest slot is still empty: this frame cannot be a storm yet.
    const w = promote(e);
    recent.copy(e.spaId, w.ring);
    w.head = STAGE + 1;
  }

  /** Per VLAN, per whole second: announcements (a few samples kept for evidence). */
  const seconds = new Map<number, Map<number, SecondBucket>>();
  let secondsKept = 0;

  function segment(e: ArpEvent): void {
    let perVlan = seconds.get(e.vlan);
    if (perVlan === undefined) seconds.set(e.vlan, (perVlan = new Map()));
    const sec = Math.floor(e.ts);
    let b = perVlan.get(sec);
    if (b === undefined) {
      if (secondsKept >= MAX_SECONDS) return;
      secondsKept++;
      perVlan.set(sec, (b = { count: 0, ips: [], macs: [], refs: [] }));
    }
    b.count++;
    if (b.ips.length < 8) {
      b.ips.push(e.spa);
      b.macs.push(e.sha);
    }
    if (b.refs.length < 2) b.refs.push({ input: e.input, frame: e.frame, ts: e.ts });
  }

  /** Runs of storm seconds per VLAN, judged against that VLAN's own median second. */
  interface Episode {
    vlan: number;
    first: number;
    last: number;
    count: number;
    ips: Set<number>;
    macs: Set<number>;
    refs: FrameRef[];
  }
  function episodes(): Episode[] {
    const out: Episode[] = [];
    for (const [vlan, perVlan] of seconds) {
      const counts = [...perVlan.values()].map((b) => b.count).sort((x, y) => x - y);
      const median = counts[counts.length >> 1] ?? 0;
      const limit = Math.max(SEGMENT_MIN_PER_S, SEGMENT_FACTOR * median);
      let cur: Episode | null = null;
      for (const sec of [...perVlan.keys()].sort((x, y) => x - y)) {
        const b = perVlan.get(sec)!;
        if (b.count < limit) {
          cur = null;
          continue;
        }
        if (cur === null || sec - Math.floor(cur.last) > 1) {
          if (out.length >= MAX_EPISODES) break;
          cur = { vlan, first: sec, last: sec + 1, count: 0, ips: new Set<number>(), macs: new Set<number>(), refs: [] as FrameRef[] };
          out.push(cur);
        }
        cur.last = sec + 1;
        cur.count += b.count;
        for (const ip of b.ips) if (cur.ips.size < 64) cur.ips.add(ip);
        for (const m of b.macs) if (cur.macs.size < 64) cur.macs.add(m);
        if (cur.refs.length < 6) cur.refs.push(...b.refs);
      }
    }
    return out;
  }

  return {
    kind: 'arp.gratuitous-storm',
    onArp(e: ArpEvent) {
      if (!e.gratuitous || e.spa === 0) return;
      segment(e);
      if (e.spaId < 0) return;
      let w = windows[e.spaId];
      if (w === undefined) {
        if (!staged) w = promote(e);
        else {
          stage(e);
          return;
        }
      }
      const oldest = w.ring[w.head]!;
      w.ring[w.head] = e.ts;
      w.head = (w.head + 1) % stormMin;
      if (e.ts - oldest <= stormWindowS) {
        if (!w.storming) {
          w.storming = true;
          w.first = oldest;
        }
        w.total++;
        w.last = e.ts;
        const rate = stormMin / Math.max(e.ts - oldest, 1e-3);
        if (rate > w.peak) w.peak = rate;
        if (w.senders.size < 16) w.senders.add(e.sha);
        w.refs.add(e);
      }
    },
    finish() {
      for (const ep of episodes()) {
        const ips = [...ep.ips];
        const where = ep.vlan >= 0 ? `VLAN ${ep.vlan}` : 'the untagged segment';
        const secs = Math.max(ep.last - ep.first, 1e-3);
        ctx.emit({
          kind: 'arp.gratuitous-storm',
          severity: 'warning',
          ip: ip4(ips[0]!),
          ips: ip4List(ips),
          macs: macList(ep.macs),
          first_ts: ep.first,
          last_ts: ep.last,
          count: ep.count,
          title: `Gratuitous ARP storm on ${where}: ${ep.count} announcements from many addresses (${ep.ips.size} sampled) in ${Math.round(secs)} s`,
          explanation:
            `${ep.count} gratuitous ARPs crossed ${where} in ${secs.toFixed(1)} s (${Math.round(ep.count / secs)}/s), from many different addresses. ` +
            'Every host must process each one; switches and small devices drop or rate-limit ARP under such bursts, so real resolutions fail meanwhile.',
          causes: [
            'a mass VM or pod migration, or a hypervisor / vSwitch re-announcing every guest (after a host failover or a vMotion batch)',
            'a switch or bond failover with gratuitous ARP per address (bonding num_grat_arp, keepalived with many VIPs)',
            'a bridging loop replaying announcements',
          ],
          next_steps: [
            `tcpdump -n -e -i <iface> 'arp and arp[6:2] = 2' | head   # who announces`,
            'check the hypervisor / cluster events at that time (migrations, host failovers)',
            'bridge fdb show; check STP state for loops',
          ],
          refs: ep.refs,
          details: { vlan: ep.vlan, per_s: Math.round(ep.count / secs), addresses_sampled: ep.ips.size, threshold: `${SEGMENT_MIN_PER_S}/s and ${SEGMENT_FACTOR}x the median second` },
        });
      }
      for (const w of promoted) {
        const ip = w.ip;
        if (!w.storming) continue;
        const text = ip4(ip);
        const count = w.total + stormMin - 1;
        ctx.emit({
          kind: 'arp.gratuitous-storm',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs: macList(w.senders),
          first_ts: w.first,
          last_ts: w.last,
          count,
          title: `Gratuitous ARP storm for ${text}: ${count} announcements, peak ${Math.round(w.peak)}/s`,
          explanation:
            `More than ${stormMin} gratuitous ARPs for ${text} within ${stormWindowS} s (about ${count} in ${(w.last - w.first).toFixed(1)} s). ` +
            'Legitimate announcers send a handful on a failover; a storm floods every host on the segment, and usually means ' +
            'the owner of the address keeps changing or a loop is replaying frames.',
          causes: [
            'a flapping leader election (MetalLB speakers, kube-vip, keepalived) re-announcing the VIP on every flip',
            'a bridging loop replaying the same frames',
            'a NIC driver or bonding failover repeatedly sending announcements (arp_notify, bond num_grat_arp)',
          ],
          next_steps: [
            `tcpdump -n -e -i <iface> arp and host ${text}   # which MACs, how fast`,
            'kubectl -n metallb-system logs -l app=metallb,component=speaker --since=10m | grep -ci announce',
            'journalctl -u keepalived --since -10m | grep -i -e MASTER -e BACKUP',
            'bridge fdb show | grep <sender mac>; check STP state for loops',
          ],
          refs: w.refs.refs(),
          details: { peak_per_s: Math.round(w.peak), threshold: `${stormMin} per ${stormWindowS} s` },
        });
      }
    },
  };
};
