/**
 * arp.proxy: one MAC answers ARP requests for addresses that are not its
 * own, the signature of proxy ARP (a router with proxy_arp=1, Calico's
 * 169.254.1.1 trick, a firewall or hypervisor answering for what sits
 * behind it).
 *
 * Two ways to see it:
 * - one MAC answers (op 2, not gratuitous) for at least `proxyMin` distinct
 *   IPs. A node holding many MetalLB VIPs looks the same, so on its own
 *   this is a notice;
 * - a MAC answers a requester for a target outside the requester's subnet.
 *   That is the wrong-netmask symptom (a /16 host on a /24 segment, the
 *   router quietly covering for it): a warning, because it works only as
 *   long as that router keeps answering. The subnet is `config.subnets` when
 *   given; otherwise it is inferred per VLAN from the senders of requests,
 *   which are the hosts actually on the link: the common prefix of the
 *   senders that share the requester's /16, never longer than /24. With an
 *   inferred subnet the MAC must answer for at least two IPs (an address of
 *   its own plus the proxied one, or several proxied ones); a single host
 *   answering for its single address is never called a proxy.
 * Virtual responders (config.virtualMacs) are arp.virtual-responder's.
 */
import { inCidr, type Cidr } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { capacityFor, growF64, growI32, growU8 } from '../address-index.js';
import { capMap, ip4, ip4List, mac } from './util.js';

const MAX_IPS_PER_RESPONDER = 1024;
const MAX_REQUESTERS_PER_IP = 4;
const MAX_CLUSTERS = 65_536;
/** An inferred subnet is never narrower than this. */
const MAX_INFERRED_BITS = 24;
const MAX_LISTED_IPS = 64;

interface Answered {
  replies: number;
  first: number;
  /** Requesters (the replies' target IPs), a few. */
  requesters: number[];
}

/**
 * A responder's second and later IPs. Most MACs answer for their one
 * address, which lives in the columns below; only a MAC answering for a
 * second IP gets this record (and the Map lookups that come with it).
 */
interface MoreIps {
  /** The IP answered last and its record, to skip the Map lookup on repeats. */
  lastIp: number;
  lastA: Answered | null;
  ips: Map<number, Answered>;
  /** Distinct IPs beyond MAX_IPS_PER_RESPONDER (not tracked one by one). */
  overflow: number;
  refs: RefSample;
}

/** Common prefix of the request senders sharing one /16 on one VLAN. */
interface Cluster {
  net: number;
  bits: number;
}

const maskOf = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
const clusterKey = (vlan: number, ip: number): number => (vlan + 1) * 65536 + (ip >>> 16);
/** Addresses that say nothing about the segment's subnet. */
const unusable = (ip: number): boolean => ip === 0 || ip >>> 16 === 0xa9fe || ip >>> 28 >= 14;

export const proxyDetector: DetectorFactory = (ctx) => {
  const cfg = ctx.config;
  // By responder MAC id (the engine's MacIndex): replies, first and last
  // reply, VLAN, and the first IP it answered for with that IP's replies,
  // requesters and first frame. ip0 is -1 for a MAC that never answered.
  let cap = 0;
  let replies = new Int32Array(0);
  let firstTs = new Float64Array(0);
  let lastTs = new Float64Array(0);
  let vlanOf = new Int32Array(0);
  let ip0 = new Float64Array(0);
  let ip0Replies = new Int32Array(0);
  let ip0Req = new Float64Array(0);
  let ip0ReqN = new Uint8Array(0);
  /** (input, frame, ts) of the reply that first answered for ip0. */
  let ip0Ref = new Float64Array(0);
  const extraIps = new Map<number, MoreIps>();
  const clusters = new Map<number, Cluster>();

  function grow(n: number): void {
    cap = capacityFor(cap, n - 1);
    replies = growI32(replies, cap);
    firstTs = growF64(firstTs, cap);
    lastTs = growF64(lastTs, cap);
    vlanOf = growI32(vlanOf, cap);
    ip0 = growF64(ip0, cap, -1);
    ip0Replies = growI32(ip0Replies, cap);
    ip0Req = growF64(ip0Req, cap * MAX_REQUESTERS_PER_IP);
    ip0ReqN = growU8(ip0ReqN, cap);
    ip0Ref = growF64(ip0Ref, cap * 3);
  }

  function addRequester(id: number, tpa: number): void {
    const n = ip0ReqN[id]!;
    if (n >= MAX_REQUESTERS_PER_IP) return;
    const at = id * MAX_REQUESTERS_PER_IP;
    for (let i = 0; i < n; i++) if (ip0Req[at + i] === tpa) return;
    ip0Req[at + n] = tpa;
    ip0ReqN[id] = n + 1;
  }

  /** Every IP `id` answered for, in the order first answered. */
  function answeredBy(id: number): Map<number, Answered> {
    const all = new Map<number, Answered>();
    const n = ip0ReqN[id]!;
    const req: number[] = [];
    for (let i = 0; i < n; i++) req.push(ip0Req[id * MAX_REQUESTERS_PER_IP + i]!);
    all.set(ip0[id]!, { replies: ip0Replies[id]!, first: firstTs[id]!, requesters: req });
    const m = extraIps.get(id);
    if (m !== undefined) for (const [ip, a] of m.ips) all.set(ip, a);
    return all;
  }

  /** The cluster updated last: senders on a segment mostly share one. */
  let lastKey = -1;
  let lastCluster: Cluster | undefined;

  function onLink(vlan: number, ip: number): void {
    if (unusable(ip)) return;
    const k = clusterKey(vlan, ip);
    const c = k === lastKey ? lastCluster : clusters.get(k);
    if (c === undefined) {
      clusters.set(k, { net: ip, bits: 32 });
      capMap(clusters, MAX_CLUSTERS);
      lastKey = -1;
      return;
    }
    lastKey = k;
    lastCluster = c;
    const diff = (c.net ^ ip) >>> 0;
    if (diff === 0) return;
    const bits = Math.min(c.bits, Math.clz32(diff));
    if (bits !== c.bits) {
      c.bits = bits;
      c.net = (c.net & maskOf(bits)) >>> 0;
    }
  }

  /** The requester's subnet: configured, else inferred; null when unknown. */
  function subnetOf(vlan: number, ip: number): { cidr: Cidr; inferred: boolean } | null {
    for (const c of cfg.subnets) if (inCidr(ip, c)) return { cidr: c, inferred: false };
    if (unusable(ip)) return null;
    const c = clusters.get(clusterKey(vlan, ip));
    if (c === undefined) return null;
    const bits = Math.min(c.bits, MAX_INFERRED_BITS);
    const mask = maskOf(bits);
    const net = (c.net & mask) >>> 0;
    return { cidr: { net, mask, bits, text: `${ip4(net)}/${bits}` }, inferred: true };
  }

  return {
    kind: 'arp.proxy',
    onArp(e: ArpEvent) {
      if (e.op === 1) {
        if (e.spa !== 0) onLink(e.vlan, e.spa);
        return;
      }
      if (e.op !== 2 || e.gratuitous || e.spa === 0 || e.shaVirtual || e.shaId < 0) return;
      const id = e.shaId;
      if (id >= cap) grow(id + 1);
      if (ip0[id]! < 0) {
        ip0[id] = e.spa;
        vlanOf[id] = e.vlan;
        firstTs[id] = e.ts;
        ip0Ref[id * 3] = e.input;
        ip0Ref[id * 3 + 1] = e.frame;
        ip0Ref[id * 3 + 2] = e.ts;
      }
      replies[id]!++;
      lastTs[id] = e.ts;
      if (ip0[id] === e.spa) {
        ip0Replies[id]!++;
        if (e.tpa !== 0) addRequester(id, e.tpa);
        return;
      }
      let m = extraIps.get(id);
      if (m === undefined) {
        const refs = new RefSample(8);
        refs.addRef(ip0Ref[id * 3]!, ip0Ref[id * 3 + 1]!, ip0Ref[id * 3 + 2]!);
        m = { lastIp: -1, lastA: null, ips: new Map(), overflow: 0, refs };
        extraIps.set(id, m);
      }
      let a = m.lastIp === e.spa ? m.lastA : m.ips.get(e.spa);
      if (a === undefined || a === null) {
        if (m.ips.size + 1 >= MAX_IPS_PER_RESPONDER) {
          m.overflow++;
          return;
        }
        a = { replies: 0, first: e.ts, requesters: [] };
        m.ips.set(e.spa, a);
        m.refs.add(e);
      }
      m.lastIp = e.spa;
      m.lastA = a;
      a.replies++;
      if (e.tpa !== 0 && a.requesters.length < MAX_REQUESTERS_PER_IP && !a.requesters.includes(e.tpa)) a.requesters.push(e.tpa);
    },
    finish() {
      for (let id = 0; id < cap; id++) {
        if (ip0[id]! < 0) continue;
        const m = ctx.macs.keys[id]!;
        const extra = extraIps.get(id);
        const distinct = 1 + (extra === undefined ? 0 : extra.ips.size + extra.overflow);
        // One IP, and no configured subnet to put it outside of: not a proxy.
        if (distinct === 1 && cfg.subnets.length === 0) continue;
        const ips = answeredBy(id);
        const vlan = vlanOf[id]!;
        /** Proxied: answered IPs outside the subnet of a requester, with that subnet. */
        const outside: { ip: number; a: Answered; requester: number; subnet: Cidr; inferred: boolean }[] = [];
        let configured = false;
        for (const [ip, a] of ips) {
          for (const q of a.requesters) {
            const s = subnetOf(vlan, q);
            if (s === null || inCidr(ip, s.cidr) || q === ip) continue;
            outside.push({ ip, a, requester: q, subnet: s.cidr, inferred: s.inferred });
            if (!s.inferred) configured = true;
            break;
          }
        }
        const wrongMask = outside.length > 0 && (configured || distinct >= 2);
        if (!wrongMask && distinct < cfg.proxyMin) continue;

        const pool = wrongMask ? outside.map((o) => [o.ip, o.a] as const) : [...ips.entries()];
        // Most asked-for first; ties keep the order they were first answered.
        const ranked = [...pool].sort((x, y) => y[1].replies - x[1].replies || x[1].first - y[1].first);
        const subject = ranked[0]![0];
        const text = ip4(subject);
        const who = mac(m);
        const listed = ip4List(ranked.slice(0, MAX_LISTED_IPS).map(([ip]) => ip));
        const own = wrongMask ? ip4List([...ips.keys()].filter((ip) => !outside.some((o) => o.ip === ip))) : [];
        const first = outside[0];
        const requesters = ip4List(outside.map((o) => o.requester));
        const more = listed.length > 1 ? ` and ${pool.length - 1} more` : '';

        ctx.emit({
          kind: 'arp.proxy',
          severity: wrongMask ? 'warning' : 'notice',
          ip: text,
          ips: listed,
          macs: [who],
          first_ts: firstTs[id]!,
          last_ts: lastTs[id]!,
          count: replies[id]!,
          title: wrongMask
            ? `${who} answers ARP for ${text}${more}, outside the requester's subnet ${first!.subnet.text} (proxy ARP)`
            : `${who} answers ARP for ${distinct} addresses, ${text} most often (proxy ARP?)`,
          explanation: wrongMask
            ? `${requesters.join(', ')} asked for ${listed.join(', ')}, which ${listed.length === 1 ? 'is' : 'are'} outside ${first!.subnet.text}` +
              `${first!.inferred ? ' (inferred from the hosts that send ARP on this segment)' : ''}, and ${who} answered with its own MAC. ` +
              'A host only ARPs for an off-subnet address when its netmask is wider than the segment; a router with proxy ARP ' +
              'is covering for it. Traffic works, but only through that router: when it stops answering (reboot, failover, ' +
              'proxy_arp turned off) those destinations go dark while everything else keeps working.'
            : `${who} answered ARP requests for ${distinct} different addresses. Unless those addresses really live on one ` +
              'host (a node holding many MetalLB/kube-vip VIPs, a host with secondary addresses), something answers on behalf ' +
              'of others: proxy ARP on a router or firewall. That is often deliberate; if it is not, it hides wrong netmasks ' +
              'and can capture traffic meant for the real owners.',
          causes: wrongMask
            ? [
                `a wrong netmask on ${requesters.join(', ')} (e.g. /16 on a /24 segment, set by hand or by a bad DHCP option 1)`,
                `proxy_arp=1 on the interface of the router owning ${who} (net.ipv4.conf.<iface>.proxy_arp)`,
                'a firewall or NAT device answering for the hosts behind it',
                'an onlink route on the requester pointing at a next hop that is not on the segment',
              ]
            : [
                'proxy_arp=1 on a router interface (net.ipv4.conf.<iface>.proxy_arp, or pvlan/proxy_arp_pvlan)',
                'Calico: every pod resolves its gateway 169.254.1.1 to the host veth through proxy ARP (expected)',
                'a node answering for many MetalLB / kube-vip service IPs (expected; check they are all its own)',
                'a firewall, NAT device or hypervisor answering for the hosts behind it',
              ],
          next_steps: [
            `ip neigh show ${text}`,
            `arping -c 3 -I <iface> ${text}`,
            ...(wrongMask ? [`ip -4 addr show   # on ${requesters[0]}: compare the prefix with ${first!.subnet.text}`, `ip route get ${text}   # on ${requesters[0]}`] : []),
            'sysctl net.ipv4.conf.all.proxy_arp net.ipv4.conf.default.proxy_arp   # on the router',
            `ip neigh show | grep -i ${who}   # every address resolved to this MAC`,
          ],
          refs: extra !== undefined ? extra.refs.refs() : [{ input: ip0Ref[id * 3]!, frame: ip0Ref[id * 3 + 1]!, ts: ip0Ref[id * 3 + 2]! }],
          details: {
            responder: who,
            distinct_ips: distinct,
            replies: replies[id]!,
            ...(wrongMask
              ? {
                  proxied: listed,
                  requesters,
                  requester_subnet: first!.subnet.text,
                  subnet_inferred: first!.inferred,
                  own_ips: own,
                }
              : { answered_for: listed }),
          },
        });
      }
    },
  };
};
