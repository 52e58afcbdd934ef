/**
 * arp.mac-change-reset: the MAC claimed for an IP changes, and within
 * `RESET_WINDOW_S` TCP resets appear from or to that IP.
 *
 * A TCP connection is state on two hosts. When the neighbor entry for one
 * end moves to another box (a firewall answering ARP for a router, a
 * duplicate address, a VIP taken over by a node without the connection's
 * state), the next segment reaches a host that never heard of the
 * connection, and its kernel answers with a RST: "connection reset by
 * peer" for no visible reason. The RST often gives itself away: it comes
 * from the new MAC, and with a TTL the real peer would not have (255 or 64
 * from a device that is not the peer's OS).
 *
 * Ownership follows the shared OwnerTracker (a claim by another MAC while
 * the owner is still heard within the conflict window is a conflict, not a
 * move; a gratuitous announcement always moves it). One finding per IP.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, FrameRef, TcpResetEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { OwnerTracker } from './changes.js';
import { capMap, ip4, ip4List, mac, macList } from './util.js';

/** Resets this long after a change are blamed on it. */
const RESET_WINDOW_S = 10;
const MAX_LIST = 16;
const MAX_IPS = 200_000;
const MAX_HITS = 10_000;

/** The latest change for one IP. */
interface Change {
  from: number;
  to: number;
  ts: number;
  ref: FrameRef;
  /** Whether this change's frame is already in the finding's refs. */
  reported: boolean;
}

interface Hit {
  macs: number[];
  resets: number;
  fromNewMac: number;
  changes: number;
  firstChange: number;
  firstDelay: number;
  lastTs: number;
  newMac: number;
  oldMac: number;
  ttls: number[];
  peers: number[];
  refs: RefSample;
}

export const macChangeResetDetector: DetectorFactory = (ctx) => {
  const owners = ctx.shared('arp.owners', () => new OwnerTracker(ctx.config.conflictWindowS));
  const changes = new Map<number, Change>();
  const hits = new Map<number, Hit>();

  function onReset(ip: number, peer: number, e: TcpResetEvent): void {
    const c = changes.get(ip);
    if (c === undefined) return;
    const dt = e.ts - c.ts;
    if (dt < 0 || dt > RESET_WINDOW_S) return;
    let h = hits.get(ip);
    if (h === undefined) {
      h = {
        macs: [], resets: 0, fromNewMac: 0, changes: 0, firstChange: c.ts, firstDelay: dt, lastTs: e.ts,
        newMac: c.to, oldMac: c.from, ttls: [], peers: [], refs: new RefSample(8),
      };
      hits.set(ip, h);
      capMap(hits, MAX_HITS);
    }
    if (!c.reported) {
      c.reported = true;
      h.changes++;
      h.refs.add(c.ref);
      if (h.macs.length < MAX_LIST && !h.macs.includes(c.from)) h.macs.push(c.from);
      if (h.macs.length < MAX_LIST && !h.macs.includes(c.to)) h.macs.push(c.to);
      h.newMac = c.to;
      h.oldMac = c.from;
    }
    h.resets++;
    h.lastTs = e.ts;
    if (e.src === ip && e.ethSrc === c.to) h.fromNewMac++;
    if (h.ttls.length < MAX_LIST && !h.ttls.includes(e.ttl)) h.ttls.push(e.ttl);
    if (h.peers.length < MAX_LIST && !h.peers.includes(peer)) h.peers.push(peer);
    h.refs.add(e);
  }

  return {
    kind: 'arp.mac-change-reset',
    onArp(e: ArpEvent) {
      if (e.spa === 0) return;
      const moved = owners.claim(e);
      if (moved === null) return;
      const prev = moved.from;
      const c = changes.get(e.spa);
      if (c === undefined) {
        changes.set(e.spa, { from: prev, to: moved.to, ts: e.ts, ref: { input: e.input, frame: e.frame, ts: e.ts }, reported: false });
        capMap(changes, MAX_IPS);
      } else {
        // RefSample copies what it keeps, so the record is reused in place.
        c.from = prev;
        c.to = moved.to;
        c.ts = e.ts;
        c.ref.input = e.input;
        c.ref.frame = e.frame;
        c.ref.ts = e.ts;
        c.reported = false;
      }
    },
    onTcpReset(e: TcpResetEvent) {
      onReset(e.src, e.dst, e);
      if (e.dst !== e.src) onReset(e.dst, e.src, e);
    },
    finish() {
      for (const [ip, h] of hits) {
        const text = ip4(ip);
        const nu = mac(h.newMac);
        const old = mac(h.oldMac);
        const delay = Math.round(h.firstDelay * 1000) / 1000;
        const peers = ip4List(h.peers);
        ctx.emit({
          kind: 'arp.mac-change-reset',
          severity: 'warning',
          ip: text,
          ips: [text],
          macs: macList(h.macs),
          first_ts: h.firstChange,
          last_ts: h.lastTs,
          count: h.resets,
          title: `${text} moved from ${old} to ${nu}, then ${h.resets} TCP reset${h.resets === 1 ? '' : 's'} within ${RESET_WINDOW_S} s`,
          explanation:
            `The MAC answering for ${text} changed from ${old} to ${nu}, and ${delay} s later TCP connections involving ${text} ` +
            `were reset (${h.resets} RST${h.resets === 1 ? '' : 's'}${h.fromNewMac > 0 ? `, ${h.fromNewMac} sent from ${nu} itself` : ''}). ` +
            'Neighbors that followed the new binding send their next segments to a box that has no state for those connections, ' +
            'and it answers with a reset: users see "connection reset by peer" while pings may look fine.',
          causes: [
            `a device answering ARP for ${text} that is not its owner: a firewall or router with proxy ARP, or a second host with the same address`,
            'a VIP failover (MetalLB, kube-vip, keepalived) to a node that does not have the connections (expected for in-flight sessions, a problem if it keeps happening)',
            'a MAC change on the owner (arp_notify, NIC replacement, VM migration) while connections were open',
          ],
          next_steps: [
            `ip neigh show ${text}`,
            `arping -c 3 -I <iface> ${text}   # does more than one MAC answer?`,
            `tcpdump -n -e -v -i <iface> 'host ${text} and tcp[tcpflags] & tcp-rst != 0'   # compare the RSTs' source MAC and TTL`,
            `ip neigh replace ${text} lladdr ${old} dev <iface> nud permanent   # stopgap only, while the cause is fixed`,
          ],
          refs: h.refs.refs(),
          details: {
            resets: h.resets,
            new_mac: nu,
            old_mac: old,
            seconds_after_change: delay,
            resets_from_new_mac: h.fromNewMac,
            rst_ttls: [...h.ttls].sort((a, b) => a - b),
            changes: h.changes,
            peers,
          },
        });
      }
    },
  };
};
