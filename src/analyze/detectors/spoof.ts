/**
 * arp.spoof: ARP cache poisoning. An unsolicited reply (op 2, and no
 * request for that IP from the reply's target in the `SOLICIT_S` before)
 * claims an IP that a different MAC already holds: the classic arpspoof /
 * ettercap / bettercap pattern of unicast replies "gateway is-at me" sent
 * to a victim, repeated every second or two so the victim's cache never
 * recovers.
 *
 * "Already holds" means established earlier in the capture: another MAC
 * claimed the IP (the shared binding table: replies, requests' sender
 * fields), or the IP was addressed as the target of an ARP frame sent to
 * another MAC (the tha/tpa of a reply or unicast request: a poisoner
 * addressing its victims gives away their real bindings).
 *
 * Reported when it is more than one lost request could explain: at least
 * two such conflicting replies, or the claiming MAC later asks who has the
 * very IP it claimed (from another sender address), which its owner never
 * would. A man in the middle has to, to forward what it intercepts.
 *
 * Not spoofing, and skipped: gratuitous ARP (spa == tpa, or a reply to
 * ff:ff:ff:ff:ff:ff), which is how MetalLB, kube-vip and keepalived announce
 * a failover (arp.failover / arp.flip-flop judge those); replies from
 * configured virtual responders; replies that answer a request.
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { capacityFor, growF64 } from '../address-index.js';
import { RefSample } from '../finding.js';
import { ip4, ip4List, mac, macList } from './util.js';

/** A reply this long after a request from its target still answers it. */
const SOLICIT_S = 2;
const MAX_SUSPECTS = 20_000;
const MAX_LIST = 16;
/** Conflicting unsolicited replies needed without further evidence. */
const MIN_CONFLICTING = 2;
const BROADCAST = 0xffffffffffff;

interface Suspect {
  attacker: number;
  /** Unsolicited replies claiming the IP. */
  unsolicited: number;
  /** ... of which contradicted an earlier binding. */
  conflicting: number;
  legit: number[];
  victims: number[];
  victimMacs: number[];
  /** Requests from the attacker for the IP it claimed. */
  askedBack: number;
  askedFrom: number[];
  first: number;
  last: number;
  refs: RefSample;
}

const pushCapped = (list: number[], v: number): void => {
  if (list.length < MAX_LIST && !list.includes(v)) list.push(v);
};

export const spoofDetector: DetectorFactory = (ctx) => {
  const virtual = ctx.config.virtualMacs;
  const isVirtual = (m: number): boolean => virtual.has(m);
  // Per IP id (the engine's Ipv4Index), in columns: the two latest
  // requesters for it (sender IP, MAC, time; slot 1 the newest), the newest
  // requester pushed out of the two slots (if recent, requesters were lost),
  // and the MAC it was last addressed as (the tha of the latest frame sent
  // to it) with when. The MACs suspected of claiming it are in `suspects`.
  let cap = 0;
  let ip1 = new Float64Array(0);
  let mac1 = new Float64Array(0);
  let ts1 = new Float64Array(0);
  let ip2 = new Float64Array(0);
  let mac2 = new Float64Array(0);
  let ts2 = new Float64Array(0);
  let lostTs = new Float64Array(0);
  let addrMac = new Float64Array(0);
  let addrTs = new Float64Array(0);
  const suspects = new Map<number, Suspect[]>();
  let suspectCount = 0;

  function ensure(id: number): void {
    if (id < cap) return;
    cap = capacityFor(cap, id);
    ip1 = growF64(ip1, cap);
    mac1 = growF64(mac1, cap, -1);
    ts1 = growF64(ts1, cap, -Infinity);
    ip2 = growF64(ip2, cap);
    mac2 = growF64(mac2, cap, -1);
    ts2 = growF64(ts2, cap, -Infinity);
    lostTs = growF64(lostTs, cap, -Infinity);
    addrMac = growF64(addrMac, cap, -1);
    addrTs = growF64(addrTs, cap, -Infinity);
  }

  function recordRequest(id: number, e: ArpEvent): void {
    if (mac1[id] === e.sha && ip1[id] === e.spa) {
      ts1[id] = e.ts;
      return;
    }
    if ((mac2[id] !== e.sha || ip2[id] !== e.spa) && ts2[id]! > lostTs[id]!) lostTs[id] = ts2[id]!;
    // The newest requester goes to slot 1.
    ip2[id] = ip1[id]!;
    mac2[id] = mac1[id]!;
    ts2[id] = ts1[id]!;
    ip1[id] = e.spa;
    mac1[id] = e.sha;
    ts1[id] = e.ts;
  }

  function solicited(id: number, e: ArpEvent): boolean {
    if (id >= cap) return false;
    const since = e.ts - SOLICIT_S;
    if (lostTs[id]! >= since) return true; // more requesters than slots: give it the benefit of the doubt
    if (ts1[id]! >= since && (ip1[id] === e.tpa || mac1[id] === e.tha || mac1[id] === e.ethDst)) return true;
    return ts2[id]! >= since && (ip2[id] === e.tpa || mac2[id] === e.tha || mac2[id] === e.ethDst);
  }

  /** Another MAC that held `ip` before `ts`, or -1. */
  function earlierOwner(e: ArpEvent): number {
    const best = ctx.bindings.v4.topClaimantBefore(e.spaId, e.sha, e.ts, isVirtual);
    if (best >= 0) return best;
    const id = e.spaId;
    if (id >= cap) return -1;
    const m = addrMac[id]!;
    return m >= 0 && m !== e.sha && addrTs[id]! < e.ts ? m : -1;
  }

  function findSuspect(id: number, attacker: number): Suspect | undefined {
    const list = suspects.get(id);
    if (list !== undefined) for (const s of list) if (s.attacker === attacker) return s;
    return undefined;
  }

  function newSuspect(id: number, attacker: number, ts: number): Suspect | undefined {
    let list = suspects.get(id);
    if (suspectCount >= MAX_SUSPECTS || (list !== undefined && list.length >= 8)) return undefined;
    const s: Suspect = {
      attacker, unsolicited: 0, conflicting: 0, legit: [], victims: [], victimMacs: [], askedBack: 0, askedFrom: [],
      first: ts, last: ts, refs: new RefSample(8),
    };
    if (list === undefined) suspects.set(id, (list = []));
    list.push(s);
    suspectCount++;
    return s;
  }

  /** The target side of a frame sent to a unicast MAC names a binding: tpa is at tha. */
  function recordAddressed(id: number, e: ArpEvent): void {
    ensure(id);
    if (addrMac[id] !== e.tha) {
      addrMac[id] = e.tha;
      addrTs[id] = e.ts;
    }
  }
  const addressable = (e: ArpEvent): boolean =>
    e.tpa !== 0 && e.tha > 0 && e.tha !== BROADCAST && (e.ethDst < 0 || e.ethDst === e.tha) && !(e.op === 1 && e.gratuitous);

  return {
    kind: 'arp.spoof',
    onArp(e: ArpEvent) {
      if (e.spaId < 0 || e.tpaId < 0) return; // the address index is full
      if (e.op === 1) {
        const id = e.tpaId;
        ensure(id);
        recordRequest(id, e);
        // The claimant asking who has the address it claimed: it is not the owner.
        if (suspectCount > 0 && e.spa !== 0 && e.spa !== e.tpa) {
          const s = findSuspect(id, e.sha);
          if (s !== undefined && s.unsolicited > 0) {
            s.askedBack++;
            pushCapped(s.askedFrom, e.spa);
            s.last = e.ts;
            s.refs.add(e);
          }
        }
        if (addressable(e)) recordAddressed(id, e);
        return;
      }
      if (e.op !== 2) return;
      if (!e.gratuitous && e.spa !== 0 && !e.shaVirtual && !solicited(e.spaId, e)) {
        const legit = earlierOwner(e);
        const s = findSuspect(e.spaId, e.sha) ?? newSuspect(e.spaId, e.sha, e.ts);
        if (s !== undefined) {
          s.unsolicited++;
          s.last = e.ts;
          if (e.tpa !== 0) pushCapped(s.victims, e.tpa);
          const vm = e.ethDst >= 0 ? e.ethDst : e.tha;
          if (vm > 0 && vm !== BROADCAST) pushCapped(s.victimMacs, vm);
          if (legit >= 0) {
            s.conflicting++;
            pushCapped(s.legit, legit);
          }
          s.refs.add(e);
        }
      }
      if (addressable(e)) recordAddressed(e.tpaId, e);
    },
    finish() {
      const byIp: [number, Suspect[]][] = [...suspects.entries()].sort((x, y) => x[0] - y[0]).map(([id, l]) => [ctx.ipv4.keys[id]!, l]);
      for (const [ip, list] of byIp) {
        for (const s of list) {
          if (s.askedBack === 0 && s.conflicting < MIN_CONFLICTING) continue;
          const text = ip4(ip);
          const attacker = mac(s.attacker);
          const legit = s.legit.map(mac);
          const victims = ip4List(s.victims);
          const others = byIp
            .filter(([other, l]) => other !== ip && l.some((x) => x.attacker === s.attacker && x.unsolicited > 0))
            .map(([other]) => other);
          const asked = ip4List(s.askedFrom);
          ctx.emit({
            kind: 'arp.spoof',
            severity: 'critical',
            ip: text,
            ips: [text],
            macs: macList([...s.legit, s.attacker]),
            first_ts: s.first,
            last_ts: s.last,
            count: s.unsolicited,
            title: `ARP spoofing: ${attacker} claims ${text}${legit.length > 0 ? ` (held by ${legit.join(', ')})` : ''} in ${s.unsolicited} unsolicited replies`,
            explanation:
              `${attacker} sent ${s.unsolicited} ARP replies nobody asked for, telling ${victims.length > 0 ? victims.join(', ') : 'its targets'} that ${text} is at ${attacker}` +
              (legit.length > 0 ? `, although ${text} already belonged to ${legit.join(', ')}` : '') +
              (s.askedBack > 0 ? `. It then asked who has ${text} itself (from ${asked.join(', ')}), which the real owner never needs to do` : '') +
              '. Victims that accept the reply send their traffic for that address to the claimant: a man in the middle ' +
              '(reading or altering traffic and forwarding it) or a black hole when it does not forward. Unlike a failover ' +
              'announcement, these are unicast replies without a request, repeated to keep the caches poisoned.',
            causes: [
              'an ARP spoofing / MITM tool (arpspoof, ettercap, bettercap, Cain) on the host owning that MAC',
              'a compromised or rogue device on the segment',
              'rarely, a misbehaving HA agent that announces with unicast replies instead of gratuitous ARP (check whether the MAC belongs to a cluster node)',
            ],
            next_steps: [
              `ip neigh show ${text}   # on a victim: which MAC is cached`,
              `arping -c 3 -I <iface> ${text}   # who answers a real request`,
              `bridge fdb show | grep -i ${attacker}   # or the switch's MAC table: which port`,
              'enable Dynamic ARP Inspection / DHCP snooping on the switch, or static neighbor entries for gateways',
              `tcpdump -n -e -i <iface> arp and ether src ${attacker}`,
            ],
            refs: s.refs.refs(),
            details: {
              attacker,
              legitimate: legit,
              unsolicited_replies: s.unsolicited,
              conflicting_replies: s.conflicting,
              victims,
              victim_macs: macList(s.victimMacs),
              asked_back: s.askedBack,
              ...(asked.length > 0 ? { attacker_ips: asked } : {}),
              ...(others.length > 0 ? { also_claims: ip4List(others) } : {}),
            },
          });
        }
      }
    },
  };
};
