import { DEFAULT_MAX_PER_KIND } from './fold.js';

/** What the user can tell the analyzer, with the defaults used when they do not. */

export interface Cidr {
  /** Network address and mask as uint32. */
  net: number;
  mask: number;
  bits: number;
  text: string;
}

export interface AnalyzeConfig {
  /** Known IPv4 subnets (--subnet); inferred from traffic when empty. */
  subnets: Cidr[];
  /** MACs of expected virtual ARP responders (--virtual-mac); Antrea's aa:bb:cc:dd:ee:ff always. */
  virtualMacs: Set<number>;
  /** Routers allowed to send RAs (--trusted-router): link-local address or MAC text. */
  trustedRouters: Set<string>;
  /** Reply later than this is slow (--slow-ms). */
  slowMs: number;
  /** Two MACs answering for one IP within this many seconds (both answering the same requests) is a conflict. */
  conflictWindowS: number;
  /** Unanswered: at least this many requests for a target, none answered. */
  unansweredMin: number;
  /** A request is unanswered after this many seconds without a reply. */
  replyTimeoutS: number;
  /** Gratuitous storm: more than this many gratuitous ARPs for one IP within stormWindowS. */
  stormMin: number;
  stormWindowS: number;
  /** Scan: one sender asking for at least scanMin distinct targets within scanWindowS. */
  scanMin: number;
  scanWindowS: number;
  /** Proxy: one MAC answering for at least this many IPs. */
  proxyMin: number;
  /** Findings of one kind and severity listed one by one; the rest fold into one (fold.ts). 0: no limit. */
  maxPerKind: number;
}

/** Antrea's OVS ARP responder answers for remote gateways with this MAC. */
export const ANTREA_VIRTUAL_MAC = 0xaabbccddeeff;

export function defaultConfig(): AnalyzeConfig {
  return {
    subnets: [],
    virtualMacs: new Set([ANTREA_VIRTUAL_MAC]),
    trustedRouters: new Set(),
    slowMs: 100,
    conflictWindowS: 0.5,
    unansweredMin: 3,
    replyTimeoutS: 1,
    stormMin: 50,
    stormWindowS: 10,
    scanMin: 30,
    scanWindowS: 10,
    proxyMin: 8,
    maxPerKind: DEFAULT_MAX_PER_KIND,
  };
}

export function parseCidr(text: string): Cidr | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const o = m.slice(1, 5).map(Number);
  if (o.some((x) => x > 255)) return null;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const ip = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const net = (ip & mask) >>> 0;
  return { net, mask, bits, text: `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${bits}` };
}

export function inCidr(ip: number, c: Cidr): boolean {
  return ((ip & c.mask) >>> 0) === c.net;
}

/** Parses aa:bb:cc:dd:ee:ff (or with dashes) into a 48-bit number, or -1. */
export function parseMac(text: string): number {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(text.trim());
  if (!m) return -1;
  return m.slice(1).reduce((acc, h) => acc * 256 + parseInt(h, 16), 0);
}
