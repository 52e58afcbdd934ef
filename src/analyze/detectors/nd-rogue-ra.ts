/**
 * nd.rogue-ra: router advertisements (type 134) from more than one router
 * on one segment (VLAN), or from a router not in `config.trustedRouters`
 * when that set is given. Every host installs a default route (and SLAAC
 * addresses) from every RA it hears, so a second advertiser (a VM running
 * radvd by mistake, Windows ICS, a consumer router plugged in backwards, or
 * an attacker) takes a share of the segment's IPv6 traffic or hands out a
 * bogus prefix.
 *
 * A router is a source link-local address; two routers are two sources or
 * two source MACs. An RA with router lifetime 0 (a router leaving, or one
 * that only advertises prefixes) still comes from that router. Without a
 * trusted set the router heard first is presumed the legitimate one and the
 * finding is about the next; redundant routers are legitimate too, which is
 * what --trusted-router is for. One finding per segment, listing all routers.
 */
import type { DetectorFactory } from '../detector.js';
import type { NdEvent } from '../events.js';
import { RefSample } from '../finding.js';
import { mac, macList } from './util.js';

const MAX_ROUTERS = 64;
const MAX_SEGMENTS = 4096;
const MAX_MACS = 4;

interface Router {
  src: string;
  macs: number[];
  ras: number;
  zeroLifetime: number;
  lifetime: number;
  first: number;
  last: number;
  refs: RefSample;
}

interface Segment {
  routers: Map<string, Router>;
  macs: number[];
}

export const ndRogueRaDetector: DetectorFactory = (ctx) => {
  const trusted = new Set([...ctx.config.trustedRouters].map((t) => t.trim().toLowerCase()));
  const segments = new Map<number, Segment>();

  const isTrusted = (r: Router): boolean => trusted.has(r.src.toLowerCase()) || r.macs.some((m) => trusted.has(mac(m)));

  return {
    kind: 'nd.rogue-ra',
    onNd(e: NdEvent) {
      if (e.type !== 134) return;
      let seg = segments.get(e.vlan);
      if (seg === undefined) {
        if (segments.size >= MAX_SEGMENTS) return;
        seg = { routers: new Map(), macs: [] };
        segments.set(e.vlan, seg);
      }
      let r = seg.routers.get(e.src);
      if (r === undefined) {
        if (seg.routers.size >= MAX_ROUTERS) return;
        r = { src: e.src, macs: [], ras: 0, zeroLifetime: 0, lifetime: 0, first: e.ts, last: e.ts, refs: new RefSample(4) };
        seg.routers.set(e.src, r);
      }
      r.ras++;
      r.last = e.ts;
      r.lifetime = e.routerLifetime;
      if (e.routerLifetime === 0) r.zeroLifetime++;
      const m = e.ethSrc >= 0 ? e.ethSrc : e.lladdr;
      if (m >= 0) {
        if (r.macs.length < MAX_MACS && !r.macs.includes(m)) r.macs.push(m);
        if (seg.macs.length < MAX_ROUTERS && !seg.macs.includes(m)) seg.macs.push(m);
      }
      r.refs.add(e);
    },
    finish() {
      for (const [vlan, seg] of segments) {
        const routers = [...seg.routers.values()].sort((a, b) => a.first - b.first);
        let rogue: Router[];
        if (trusted.size > 0) rogue = routers.filter((r) => !isTrusted(r));
        else if (routers.length > 1 || seg.macs.length > 1) rogue = routers.length > 1 ? routers.slice(1) : routers;
        else rogue = [];
        if (rogue.length === 0) continue;
        const subject = rogue[0]!;
        const where = vlan >= 0 ? ` on VLAN ${vlan}` : '';
        const names = routers.map((r) => `${r.src} (${r.macs.map(mac).join(', ') || '?'})`);
        const rogueNames = rogue.map((r) => r.src);
        const ras = routers.reduce((n, r) => n + r.ras, 0);
        const leaving = rogue.filter((r) => r.zeroLifetime > 0).map((r) => r.src);
        ctx.emit({
          kind: 'nd.rogue-ra',
          severity: 'warning',
          ip: subject.src,
          ips: routers.map((r) => r.src).sort(),
          macs: macList(routers.flatMap((r) => r.macs)),
          first_ts: Math.min(...routers.map((r) => r.first)),
          last_ts: Math.max(...routers.map((r) => r.last)),
          count: ras,
          title:
            trusted.size > 0
              ? `Router advertisements${where} from untrusted ${rogueNames.join(', ')}`
              : `${routers.length > 1 ? routers.length : 'Several'} IPv6 routers advertise${where}: ${routers.map((r) => r.src).join(', ')}`,
          explanation:
            `Router advertisements${where} came from ${names.join(' and ')}. ` +
            (trusted.size > 0
              ? `${rogueNames.join(', ')} ${rogue.length === 1 ? 'is' : 'are'} not among the trusted routers. `
              : `${subject.src} started advertising after ${routers[0]!.src}. `) +
            'Every host on the segment installs a default route through each advertiser and autoconfigures addresses from ' +
            'their prefixes, so a router that should not be there gets a share of the IPv6 traffic (or black-holes it) and ' +
            'hosts may pick addresses from a wrong prefix. ' +
            (leaving.length > 0 ? `${leaving.join(', ')} also sent RAs with router lifetime 0 (withdrawing as default router). ` : '') +
            'If all of them are legitimate redundant routers, list them with --trusted-router.',
          causes: [
            'radvd, dnsmasq or systemd-networkd (IPv6SendRA) running by mistake on a host, VM or container',
            'Windows Internet Connection Sharing or a consumer router plugged in on its LAN side',
            'an attacker announcing itself as router (fake_router6, THC-IPv6, mitm6)',
            'two legitimate routers (VRRPv3 pair, dual uplinks) without RA preferences configured',
          ],
          next_steps: [
            'rdisc6 <iface>   # every router that answers, with prefixes and lifetimes',
            'ip -6 route show default',
            `ip -6 neigh show ${subject.src} dev <iface>   # its MAC, to find the port`,
            'radvdump   # decode RAs as they arrive',
            'enable RA Guard on the switch ports that face hosts (ipv6 nd raguard)',
          ],
          refs: routers.flatMap((r) => r.refs.refs()).slice(0, 12),
          details: {
            routers: routers.map((r) => ({
              src: r.src,
              macs: r.macs.map(mac),
              ras: r.ras,
              router_lifetime: r.lifetime,
              zero_lifetime_ras: r.zeroLifetime,
              first_ts: r.first,
              last_ts: r.last,
              trusted: trusted.size > 0 ? isTrusted(r) : null,
            })),
            rogue: rogueNames,
            ...(vlan >= 0 ? { vlan } : {}),
          },
        });
      }
    },
  };
};
