/**
 * FrameView: one reusable decoder per stream of frames. `decode()` walks the
 * link layer (Ethernet, 802.3 LLC/SNAP, 802.1Q/802.1ad tags at any depth, or
 * a registered link decoder), then decodes ARP or IPv6/ICMPv6 in place.
 *
 * Nothing here allocates per frame: fields are numbers and offsets into the
 * caller's buffer, valid until the next decode(). Nothing here prints.
 */
import { ArpView } from './arp.js';
import { Ipv6View } from './ipv6.js';
import { readMac48 } from './mac.js';
import { DecodeStatus } from './status.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  IEEE802_11: 105,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  ARCNET_LINUX: 129,
  IPOIB: 242,
  LINUX_SLL2: 276,
} as const;

/** Network-layer protocol found in the frame. */
export enum NetKind {
  None = 0,
  Arp = 1,
  Rarp = 2,
  IPv6 = 3,
  IPv4 = 4,
  Other = 5,
}

export const MAX_VLAN_DEPTH = 8;

/**
 * A link-layer decoder for a non-Ethernet link type: sets the link fields of
 * `f` (macs when known, ethertype, netOff) and returns false when the link
 * header itself is truncated or not understood.
 */
export type LinkDecoder = (f: FrameView, buf: Buffer, off: number, end: number) => boolean;

const linkDecoders = new Map<number, LinkDecoder>();

export function registerLinkDecoder(linkType: number, dec: LinkDecoder): void {
  linkDecoders.set(linkType, dec);
}

export function isVlanTpid(et: number): boolean {
  return et === 0x8100 || et === 0x88a8 || et === 0x9100 || et === 0x9200;
}

export class FrameView {
  linkType = LINKTYPE.ETHERNET as number;
  buf: Buffer = Buffer.alloc(0);
  /** Frame start and captured end in `buf`. */
  off = 0;
  end = 0;
  wireLen = 0;

  /** Link-level source / destination as 48-bit numbers, -1 when the link has none (or not 6 bytes). */
  srcMac = -1;
  dstMac = -1;
  /** Offsets of the 6-byte link addresses, -1 when absent. */
  srcMacOff = -1;
  dstMacOff = -1;

  /** VLAN tags, outermost first; depth beyond MAX_VLAN_DEPTH is counted but not stored. */
  vlanDepth = 0;
  readonly vlanIds = new Uint16Array(MAX_VLAN_DEPTH);
  readonly vlanTpids = new Uint16Array(MAX_VLAN_DEPTH);

  /** Ethertype of the network layer (after tags / SNAP), -1 when unknown. */
  ethertype = -1;
  /** Offset of the network-layer header; -1 when the link layer did not get that far. */
  netOff = -1;
  net: NetKind = NetKind.None;
  /** Link-layer status: Ok, or Truncated when the link header is cut. */
  linkStatus: DecodeStatus = DecodeStatus.None;

  readonly arp = new ArpView();
  readonly ip6 = new Ipv6View();

  decode(buf: Buffer, off: number, caplen: number, wireLen: number, linkType: number): void {
    this.buf = buf;
    this.off = off;
    this.end = off + caplen;
    this.wireLen = wireLen;
    this.linkType = linkType;
    this.srcMac = this.dstMac = -1;
    this.srcMacOff = this.dstMacOff = -1;
    this.vlanDepth = 0;
    this.ethertype = -1;
    this.netOff = -1;
    this.net = NetKind.None;
    this.arp.status = DecodeStatus.None;
    this.ip6.status = DecodeStatus.None;

    let ok: boolean;
    if (linkType === LINKTYPE.ETHERNET) ok = this.decodeEthernet(buf, off, this.end);
    else {
      const dec = linkDecoders.get(linkType);
      ok = dec !== undefined && dec(this, buf, off, this.end);
    }
    this.linkStatus = ok ? DecodeStatus.Ok : DecodeStatus.Truncated;
    if (!ok || this.netOff < 0) return;
    this.decodeNet();
  }

  /** Decodes the network layer at netOff according to ethertype. */
  decodeNet(): void {
    const et = this.ethertype;
    if (et === 0x0806) {
      this.net = NetKind.Arp;
      this.arp.decode(this.buf, this.netOff, this.end);
    } else if (et === 0x8035) {
      this.net = NetKind.Rarp;
      this.arp.decode(this.buf, this.netOff, this.end);
    } else if (et === 0x86dd) {
      this.net = NetKind.IPv6;
      this.ip6.decode(this.buf, this.netOff, this.end);
    } else if (et === 0x0800) {
      this.net = NetKind.IPv4;
    } else {
      this.net = NetKind.Other;
    }
  }

  /** Ethernet II / 802.3, then tags at any depth, then LLC/SNAP. */
  decodeEthernet(buf: Buffer, off: number, end: number): boolean {
    if (end - off < 14) return false;
    this.dstMacOff = off;
    this.srcMacOff = off + 6;
    this.dstMac = readMac48(buf, off);
    this.srcMac = readMac48(buf, off + 6);
    return this.decodeEthertypeChain(buf, off + 12, end);
  }

  /**
   * Reads an ethertype/length field at `p` and what follows it: VLAN tags,
   * 802.3 LLC/SNAP. Shared by Ethernet and links that carry an ethertype.
   */
  decodeEthertypeChain(buf: Buffer, p: number, end: number): boolean {
    if (end - p < 2) return false;
    let et = (buf[p]! << 8) | buf[p + 1]!;
    p += 2;
    while (isVlanTpid(et)) {
      if (end - p < 4) return false;
      if (this.vlanDepth < MAX_VLAN_DEPTH) {
        this.vlanIds[this.vlanDepth] = ((buf[p]! << 8) | buf[p + 1]!) & 0x0fff;
        this.vlanTpids[this.vlanDepth] = et;
      }
      this.vlanDepth++;
      et = (buf[p + 2]! << 8) | buf[p + 3]!;
      p += 4;
    }
    if (et <= 1500) {
      // 802.3 length field: LLC follows; only SNAP carries an ethertype.
      if (end - p < 3) return true;
      if (buf[p] === 0xaa && buf[p + 1] === 0xaa && buf[p + 2] === 0x03) {
        if (end - p < 8) return true;
        et = (buf[p + 6]! << 8) | buf[p + 7]!;
        p += 8;
      } else {
        this.ethertype = -1;
        this.netOff = p;
        this.net = NetKind.Other;
        return true;
      }
    }
    this.ethertype = et;
    this.netOff = p;
    return true;
  }

  /** The frame arpscope cares about by default: ARP, RARP or ICMPv6 ND (types 133-137) right after the IPv6 header. */
  get isArpOrNd(): boolean {
    const n = this.net;
    if (n === NetKind.Arp || n === NetKind.Rarp) return true;
    return n === NetKind.IPv6 && this.ip6.isNd;
  }
}
