/**
 * arpwatch's two events, with memory across restarts: `arp.new-station`
 * (an IP never seen before claims a MAC) and `arp.changed-mac` (a known IP
 * now claims another MAC). The known bindings come from the store at start.
 */
import type { ArpEvent } from '../analyze/events.js';
import type { Finding } from '../analyze/finding.js';
import { formatIPv4, formatMac } from '../print/addr.js';

export interface Station {
  mac: number;
  vlan: number;
  iface: string;
  first: number;
  last: number;
  count: number;
  /** Frames since the last store flush. */
  dirty: boolean;
}

const MAX_STATIONS = 500_000;

export class StationTable {
  readonly byIp = new Map<number, Station>();
  /** Bindings that existed before this run: a MAC change of those is still a change. */
  private loaded = 0;

  constructor(private readonly vendor: (mac: number) => string | null) {}

  load(rows: { ip: string; mac: string; vlan: number; iface: string; first_seen: number; last_seen: number; count: number }[]): void {
    for (const r of rows) {
      const ip = parseIPv4(r.ip);
      const mac = parseMac(r.mac);
      if (ip < 0 || mac < 0) continue;
      const cur = this.byIp.get(ip);
      // Several MACs stored for one IP: the most recent is the current owner.
      if (!cur || r.last_seen > cur.last) this.byIp.set(ip, { mac, vlan: r.vlan, iface: r.iface, first: r.first_seen, last: r.last_seen, count: r.count, dirty: false });
    }
    this.loaded = this.byIp.size;
  }

  get knownAtStart(): number {
    return this.loaded;
  }

  /** Feeds a claim (reply, announcement or request sender); returns the arpwatch event, if any. */
  claim(e: ArpEvent, iface: string, line: () => string, file: string): Finding | null {
    if ((e.op !== 1 && e.op !== 2) || e.spa === 0 || e.shaVirtual) return null;
    const s = this.byIp.get(e.spa);
    if (s === undefined) {
      if (this.byIp.size >= MAX_STATIONS) return null;
      this.byIp.set(e.spa, { mac: e.sha, vlan: e.vlan, iface, first: e.ts, last: e.ts, count: 1, dirty: true });
      return this.finding('arp.new-station', e, iface, -1, line, file);
    }
    s.last = e.ts;
    s.count++;
    s.dirty = true;
    if (s.mac === e.sha) return null;
    const old = s.mac;
    s.mac = e.sha;
    s.first = e.ts;
    s.count = 1;
    return this.finding('arp.changed-mac', e, iface, old, line, file);
  }

  private finding(kind: 'arp.new-station' | 'arp.changed-mac', e: ArpEvent, iface: string, old: number, line: () => string, file: string): Finding {
    const ip = formatIPv4(e.spa);
    const mac = formatMac(e.sha);
    const v = this.vendor(e.sha);
    const changed = kind === 'arp.changed-mac';
    return {
      kind,
      severity: changed ? 'warning' : 'info',
      ip,
      ips: [ip],
      macs: changed ? [formatMac(old), mac].sort() : [mac],
      first_ts: e.ts,
      last_ts: e.ts,
      count: 1,
      title: changed ? `${ip} changed from ${formatMac(old)} to ${mac} on ${iface}` : `new station ${ip} at ${mac}${v ? ` (${v})` : ''} on ${iface}`,
      explanation: changed
        ? `${ip} was bound to ${formatMac(old)} and is now claimed by ${mac}${v ? ` (${v})` : ''}. Expected after a NIC swap or a VIP failover; otherwise a duplicate address or spoofing.`
        : `${ip} appeared on ${iface} for the first time, at ${mac}.`,
      causes: changed ? ['a VIP failover (MetalLB, kube-vip, keepalived)', 'a replaced NIC or re-created VM', 'a duplicate address or ARP spoofing'] : ['a new host, VM or pod on the segment'],
      next_steps: changed ? [`ip neigh show ${ip}`, `arpscope events --ip ${ip}`, `arping -c 3 -I ${iface} ${ip}`] : [`arpscope bindings --ip ${ip}`],
      evidence: [{ file, frame: e.frame, ts: e.ts, line: line() }],
      details: { iface, vlan: e.vlan, ...(changed ? { old_mac: formatMac(old), new_mac: mac } : {}) },
    };
  }

  /** Rows changed since the last call, for the store. */
  takeDirty(): { ip: string; mac: string; vlan: number; iface: string; first_seen: number; last_seen: number; count: number; vendor: string | null }[] {
    const rows = [];
    for (const [ip, s] of this.byIp) {
      if (!s.dirty) continue;
      s.dirty = false;
      rows.push({ ip: formatIPv4(ip), mac: formatMac(s.mac), vlan: s.vlan, iface: s.iface, first_seen: s.first, last_seen: s.last, count: s.count, vendor: this.vendor(s.mac) });
      // Counts are deltas for the store's merge; start counting again.
      s.count = 0;
    }
    return rows;
  }
}

function parseIPv4(s: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m) return -1;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

function parseMac(s: string): number {
  const h = s.replace(/[:-]/g, '');
  return /^[0-9a-f]{12}$/i.test(h) ? parseInt(h, 16) : -1;
}
