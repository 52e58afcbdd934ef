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
import { RefSample } from '../finding.js';
import { ip4, ip4List, mac, macList } from './util.js';

/** A reply this long after a request from its target still answers it. */
const SOLICIT_S = 2;
const MAX_SUSPECTS = 20_000;
const MAX_LIST = 16;
/** Conflicting unsolicited replies needed without further evidence. */
const MIN_CONFLICTING = 2;
const BROADCAST = 0xffffffffffff;

/**
 * Everything kept per IP, in one flat record so an event costs one or two
 * Map lookups: the two latest requesters for it, the MAC it was last
 * addressed as, and the MACs suspected of claiming it.
 */
interface IpState {
  ip1: number;
  mac1: number;
  ts1: number;
  ip2: number;
  mac2: number;
  ts2: number;
  /** Newest requester pushed out of the two slots: if recent, requesters were lost. */
  lostTs: number;
  /** tha of the latest frame sent to this IP (tpa), -1 when none. */
  addrMac: number;
  addrTs: number;
  suspects: Suspect[] | null;
}

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

const newState = (): IpState => ({
  ip1: 0, mac1: -1, ts1: -Infinity, ip2: 0, mac2: -1, ts2: -Infinity, lostTs: -Infinity, addrMac: -1, addrTs: -Infinity, suspects: null,
});

export const spoofDetector: DetectorFactory = (ctx) => {
  const virtual = ctx.config.virtualMacs;
  const isVirtual = (m: number): boolean => virtual.has(m);
  /** By IP id (the engine's Ipv4Index). */
  const ips: (IpState | undefined)[] = [];
  let suspectCount = 0;

  function state(id: number): IpState {
    while (ips.length <= id) ips.push(undefined);
    let st = ips[id];
    if (st === undefined) {
      st = newState();
      ips[id] = st;
    }
    return st;
  }

  function recordRequest(r: IpState, e: ArpEvent): void {
    if (r.mac1 === e.sha && r.ip1 === e.spa) {
      r.ts1 = e.ts;
      return;
    }
    if (r.mac2 !== e.sha || r.ip2 !== e.spa) {
      if (r.ts2 > r.lostTs) r.lostTs = r.ts2;
    }
    // The newest requester goes to slot 1.
    r.ip2 = r.ip1;
    r.mac2 = r.mac1;
    r.ts2 = r.ts1;
    r.ip1 = e.spa;
    r.mac1 = e.sha;
    r.ts1 = e.ts;
  }

  function solicited(r: IpState | undefined, e: ArpEvent): boolean {
    if (r === undefined) return false;
    const since = e.ts - SOLICIT_S;
    if (r.lostTs >= since) return true; // more requesters than slots: give it the benefit of the doubt
    if (r.ts1 >= since && (r.ip1 === e.tpa || r.mac1 === e.tha || r.mac1 === e.ethDst)) return true;
    return r.ts2 >= since && (r.ip2 === e.tpa || r.mac2 === e.tha || r.mac2 === e.ethDst);
  }

  /** Another MAC that held `ip` before `ts`, or -1. */
  /** Another MAC that held `ip` before `ts`, or -1. */
  function earlierOwner(e: ArpEvent, r: IpState | undefined): number {
    const best = ctx.bindings.v4.topClaimantBefore(e.spaId, e.sha, e.ts, isVirtual);
    if (best >= 0) return best;
    return r !== undefined && r.addrMac >= 0 && r.addrMac !== e.sha && r.addrTs < e.ts ? r.addrMac : -1;
  }

  function findSuspect(r: IpState, attacker: number): Suspect | undefined {
    if (r.suspects !== null) for (const s of r.suspects) if (s.attacker === attacker) return s;
    return undefined;
  }

  function newSuspect(r: IpState, attacker: number, ts: number): Suspect | undefined {
    if (suspectCount >= MAX_SUSPECTS || (r.suspects !== null && r.suspects.length >= 8)) return undefined;
    const s: Suspect = {
      attacker, unsolicited: 0, conflicting: 0, legit: [], victims: [], victimMacs: [], askedBack: 0, askedFrom: [],
      first: ts, last: ts, refs: new RefSample(8),
    };
    if (r.suspects === null) r.suspects = [];
    r.suspects.push(s);
    suspectCount++;
    return s;
  }

  /** The target side of a frame sent to a unicast MAC names a binding: tpa is at tha. */
  function recordAddressed(r: IpState, e: ArpEvent): void {
    if (r.addrMac !== e.tha) {
      r.addrMac = e.tha;
      r.addrTs = e.ts;
    }
  }
  const addressable = (e: ArpEvent): boolean =>
    e.tpa !== 0 && e.tha > 0 && e.tha !== BROADCAST && (e.ethDst < 0 || e.ethDst === e.tha) && !(e.op === 1 && e.gratuitous);

  return {
    kind: 'arp.spoof',
    onArp(e: ArpEvent) {
      if (e.spaId < 0 || e.tpaId < 0) return; // the address index is full
      if (e.op === 1) {
        const r = state(e.tpaId);
        recordRequest(r, e);
        // The claimant asking who has the address it claimed: it is not the owner.
        if (r.suspects !== null && e.spa !== 0 && e.spa !== e.tpa) {
          const s = findSuspect(r, e.sha);
          if (s !== undefined && s.unsolicited > 0) {
            s.askedBack++;
            pushCapped(s.askedFrom, e.spa);
            s.last = e.ts;
            s.refs.add(e);
          }
        }
        if (addressable(e)) recordAddressed(r, e);
        return;
      }
      if (e.op !== 2) return;
      if (!e.gratuitous && e.spa !== 0 && !e.shaVirtual) {
        const r = ips[e.spaId];
        if (!solicited(r, e)) {
          const legit = earlierOwner(e, r);
          const st = r ?? state(e.spaId);
          const s = findSuspect(st, e.sha) ?? newSuspect(st, e.sha, e.ts);
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
      }
      if (addressable(e)) recordAddressed(state(e.tpaId), e);
    },
    finish() {
      const suspects: [number, Suspect[]][] = [];
      ips.forEach((r, id) => {
        if (r !== undefined && r.suspects !== null) suspects.push([ctx.ipv4.keys[id]!, r.suspects]);
      });
      for (const [ip, list] of suspects) {
        for (const s of list) {
          if (s.askedBack === 0 && s.conflicting < MIN_CONFLICTING) continue;
          const text = ip4(ip);
          const attacker = mac(s.attacker);
          const legit = s.legit.map(mac);
          const victims = ip4List(s.victims);
          const others = suspects
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
