/**
 * arp.gratuitous-storm: gratuitous ARPs for one IP far above a legitimate
 * rate. Announcers are modest: MetalLB sends 5 rounds (10 frames) over
 * 4.4 s on a failover, kube-vip one every 3 s, keepalived a burst of 5 then
 * one per few seconds. More than `stormMin` within `stormWindowS` is a loop,
 * a flapping leader election, or a misbehaving driver.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capMap, ip4, macList } from './util.js';

const MAX_IPS = 50_000;

interface Window {
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
  const windows = new Map<number, Window>();
  return {
    kind: 'arp.gratuitous-storm',
    onArp(e: ArpEvent) {
      if (!e.gratuitous || e.spa === 0) return;
      let w = windows.get(e.spa);
      if (w === undefined) {
        w = { ring: new Float64Array(stormMin).fill(-Infinity), head: 0, total: 0, storming: false, first: 0, last: 0, peak: 0, senders: new Set(), refs: new RefSample(6) };
        windows.set(e.spa, w);
        capMap(windows, MAX_IPS);
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
      for (const [ip, w] of windows) {
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
