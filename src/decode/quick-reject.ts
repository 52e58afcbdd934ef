/**
 * Cheap first looks at a raw record, before any decoding: what a BPF
 * program would do in the kernel. Each may only reject frames its consumer
 * would never use (tested against the full selection in print/fast.test.ts
 * and by the analyze scenario and corpus tests).
 */
import type { PacketRecord } from '../capture/record.js';
import { isVlanTpid } from './frame.js';

/**
 * Where an Ethernet frame's payload starts after its VLAN tags (the
 * ethertype is the two bytes before it), or -1 when the capture cuts a tag
 * short. The frame has at least its 14-byte header.
 */
function afterTags(buf: Buffer, off: number, end: number): number {
  let p = off + 14;
  while (isVlanTpid((buf[p - 2]! << 8) | buf[p - 1]!)) {
    if (end - p < 4) return -1;
    p += 4;
  }
  return p;
}

/**
 * The first look the default selection makes before any decoding, for
 * Ethernet with caplen >= 14: true when the frame is surely not ARP, RARP
 * or ND, i.e. when FrameView.decode would not make `isArpOrNd` true. After
 * the tags (a tag cut short by the capture ends the link layer): IPv4 and
 * every other ethertype above 1500 is not, IPv6 is only with ICMPv6 type
 * 133-137 right after a captured fixed header; ARP, RARP and 802.3 (LLC,
 * which may carry SNAP ARP) are left to the decoder.
 */
export function notArpNd(buf: Buffer, off: number, caplen: number): boolean {
  const end = off + caplen;
  const p = afterTags(buf, off, end);
  if (p < 0) return true;
  const et = (buf[p - 2]! << 8) | buf[p - 1]!;
  if (et === 0x0806 || et === 0x8035) return false;
  if (et === 0x86dd) {
    if (end - p < 41 || buf[p + 6] !== 58) return true; // version not checked: like the selection (Ipv6View.isNd)
    const type = buf[p + 40]!;
    return type < 133 || type > 137;
  }
  return et > 1500;
}

/**
 * For analyze, on Ethernet after any VLAN tags: IPv4 that is not a TCP
 * segment with RST set, and IPv6 not carrying ICMPv6 right after its
 * header, are skipped before decoding (what analyze's detectors never look
 * at). A tag cut short is left to the decoder.
 */
export function skipForAnalysis(r: PacketRecord): boolean {
  if (r.linkType !== 1 || r.caplen < 14) return false;
  const b = r.buf;
  const end = r.off + r.caplen;
  const p = afterTags(b, r.off, end);
  if (p < 0) return false;
  const et = (b[p - 2]! << 8) | b[p - 1]!;
  if (et === 0x86dd) return end - p < 7 || b[p + 6] !== 58;
  if (et !== 0x0800) return false;
  if (end - p < 20 || b[p + 9] !== 6) return true; // not TCP
  const t = p + (b[p]! & 15) * 4;
  return t + 14 > end || (b[t + 13]! & 0x04) === 0;
}
