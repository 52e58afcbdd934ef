/**
 * ARCNET, as tcpdump 4.99.3 prints it (print-arcnet.c): LINKTYPE_ARCNET_BSD
 * (7, RFC 1051 and RFC 1201 framing with fragmentation headers) and
 * LINKTYPE_ARCNET_LINUX (129, with the 2-byte offset field).
 *
 * ARCNET station addresses are one byte, so ARP over ARCNET has hln 1; the
 * shared ARP printer prints those.
 */
import { HEX2 } from './addr.js';
import { TRUNCATED, type Printer } from './context.js';
import { arpPrint } from './arp.js';
import { ethertypePrint } from './ether.js';
import { defaultPrint } from './hexdump.js';
import { registerLinkPrinter } from './link.js';
import { tok2str, type NameTable } from './names.js';

export const LINKTYPE_ARCNET_BSD = 7;
export const LINKTYPE_ARCNET_LINUX = 129;

/** ARCNET protocol ids (arc_type). */
export const ARCTYPE = {
  IP_OLD: 240, // RFC 1051
  ARP_OLD: 241, // RFC 1051
  IP: 212, // RFC 1201
  ARP: 213,
  REVARP: 214,
  ATALK: 221,
  BANIAN: 247,
  IPX: 250,
  INET6: 0xc4,
  DIAGNOSE: 0x80,
} as const;

const arcTypeNames: NameTable = new Map<number, string>([
  [ARCTYPE.IP_OLD, 'oldip'],
  [ARCTYPE.ARP_OLD, 'oldarp'],
  [ARCTYPE.IP, 'ip'],
  [ARCTYPE.ARP, 'arp'],
  [ARCTYPE.REVARP, 'rarp'],
  [ARCTYPE.ATALK, 'atalk'],
  [ARCTYPE.BANIAN, 'banyan'],
  [ARCTYPE.IPX, 'ipx'],
  [ARCTYPE.INET6, 'ipv6'],
  [ARCTYPE.DIAGNOSE, 'diag'],
]);

const ARC_HDRLEN = 3;
const ARC_HDRNEWLEN = 6;
const ARC_HDRNEWLEN_EXC = 10;
const ARC_LINUX_HDRLEN = 5;
const ARC_LINUX_HDRNEWLEN = 8;

const hex2 = (v: number): string => HEX2[v & 0xff]!;

/** RFC 1051 types (and diagnostics) have the short header with no fragmentation fields. */
export function arcTypeIsOld(t: number): boolean {
  return t === ARCTYPE.IP_OLD || t === ARCTYPE.ARP_OLD || t === ARCTYPE.DIAGNOSE;
}

/**
 * arcnet_print. It reads the BSD header layout (type in byte 2) even for
 * Linux frames, where byte 2 is the high byte of the offset field; tcpdump
 * does the same, so "-e" shows that byte where the type name would be.
 */
function arcnetHeaderPrint(p: Printer, h: number, length: number, phds: boolean, flag: number, seqid: number): void {
  p.protocol = 'arcnet';
  const head = hex2(p.u8(h)) + ' ' + hex2(p.u8(h + 1)) + ' ' + tok2str(arcTypeNames, p.u8(h + 2), hex2);
  if (!phds) {
    p.out += head + ' ' + length + ': ';
    return;
  }
  const seq = ' seqid ' + seqid.toString(16).padStart(4, '0');
  if (flag === 0) p.out += head + seq + ' ' + length + ': ';
  else if ((flag & 1) !== 0) p.out += head + seq + ' (first of ' + Math.floor((flag + 3) / 2) + ' fragments) ' + length + ': ';
  else p.out += head + seq + ' (fragment ' + (Math.floor(flag / 2) + 1) + ') ' + length + ': ';
}

/** arcnet_encap_print: false when the type is not one tcpdump decodes. */
function arcnetEncapPrint(p: Printer, arcType: number, off: number, length: number, caplen: number): boolean {
  switch (arcType) {
    case ARCTYPE.IP_OLD:
    case ARCTYPE.IP:
      foreignPrint(p, 0x0800, off, length, caplen);
      return true;
    case ARCTYPE.INET6:
      foreignPrint(p, 0x86dd, off, length, caplen);
      return true;
    case ARCTYPE.ARP_OLD:
    case ARCTYPE.ARP:
    case ARCTYPE.REVARP:
      arpPrint(p, off, length, caplen);
      return true;
    case ARCTYPE.ATALK:
      if (p.vflag > 0) p.out += 'et1 ';
      foreignPrint(p, 0x809b, off, length, caplen);
      return true;
    case ARCTYPE.IPX:
      foreignPrint(p, 0x8137, off, length, caplen);
      return true;
    default:
      return false;
  }
}

/** A payload for the ethertype dispatch; dumped when arpscope has no printer for it. */
function foreignPrint(p: Printer, et: number, off: number, length: number, caplen: number): void {
  if (!ethertypePrint(p, et, off, length, caplen)) defaultPrint(p, off, caplen);
}

/** arcnet_if_print (LINKTYPE_ARCNET_BSD) */
export function arcnetPrint(p: Printer, caplen: number, length: number): void {
  const h = p.packetStart;
  p.protocol = 'arcnet';
  if (caplen < ARC_HDRLEN) {
    p.llHdrLen += caplen;
    throw TRUNCATED;
  }
  const arcType = p.u8(h + 2);
  const phds = !arcTypeIsOld(arcType);
  let flag = 0;
  let seqid = 0;
  let hdrlen = ARC_HDRLEN;
  if (phds) {
    if (caplen < ARC_HDRNEWLEN) {
      arcnetHeaderPrint(p, h, length, false, 0, 0);
      p.out += ' phds';
      p.llHdrLen += caplen;
      throw TRUNCATED;
    }
    flag = p.u8(h + 3);
    if (flag === 0xff) {
      if (caplen < ARC_HDRNEWLEN_EXC) {
        arcnetHeaderPrint(p, h, length, false, 0, 0);
        p.out += ' phds extended';
        p.llHdrLen += caplen;
        throw TRUNCATED;
      }
      flag = p.u8(h + 7);
      seqid = p.u16(h + 8);
      hdrlen = ARC_HDRNEWLEN_EXC;
    } else {
      seqid = p.u16(h + 4);
      hdrlen = ARC_HDRNEWLEN;
    }
  }
  if (p.eflag) arcnetHeaderPrint(p, h, length, phds, flag, seqid);
  if (phds && flag !== 0 && (flag & 1) === 0) {
    // A middle fragment: nothing to decode.
    p.llHdrLen += hdrlen;
    return;
  }
  const q = h + hdrlen;
  if (!arcnetEncapPrint(p, arcType, q, length - hdrlen, caplen - hdrlen)) defaultPrint(p, q, caplen - hdrlen);
  p.llHdrLen += hdrlen;
}

/** arcnet_linux_if_print (LINKTYPE_ARCNET_LINUX) */
export function arcnetLinuxPrint(p: Printer, caplen: number, length: number): void {
  const h = p.packetStart;
  p.protocol = 'arcnet_linux';
  if (caplen < ARC_LINUX_HDRLEN) {
    p.llHdrLen += caplen;
    throw TRUNCATED;
  }
  const arcType = p.u8(h + 4);
  let hdrlen = ARC_LINUX_HDRLEN;
  if (!arcTypeIsOld(arcType)) {
    hdrlen = ARC_LINUX_HDRNEWLEN;
    if (caplen < ARC_LINUX_HDRNEWLEN) {
      p.llHdrLen += caplen;
      throw TRUNCATED;
    }
  }
  if (p.eflag) arcnetHeaderPrint(p, h, length, false, 0, 0);
  const q = h + hdrlen;
  if (!arcnetEncapPrint(p, arcType, q, length - hdrlen, caplen - hdrlen)) defaultPrint(p, q, caplen - hdrlen);
  p.llHdrLen += hdrlen;
}

registerLinkPrinter(LINKTYPE_ARCNET_BSD, arcnetPrint);
registerLinkPrinter(LINKTYPE_ARCNET_LINUX, arcnetLinuxPrint);
