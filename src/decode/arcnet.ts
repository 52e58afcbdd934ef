/**
 * ARCNET link decoders: LINKTYPE_ARCNET_BSD (7) and LINKTYPE_ARCNET_LINUX
 * (129), RFC 1051 and RFC 1201 framing. Station addresses are one byte, so
 * `srcMac`/`dstMac` stay -1. ARCNET protocol ids are mapped to the
 * ethertypes the rest of arpscope understands.
 */
import { type FrameView, registerLinkDecoder } from './frame.js';

export const LINKTYPE_ARCNET_BSD = 7;
export const LINKTYPE_ARCNET_LINUX = 129;

const ARCTYPE_IP_OLD = 240;
const ARCTYPE_ARP_OLD = 241;
const ARCTYPE_IP = 212;
const ARCTYPE_ARP = 213;
const ARCTYPE_REVARP = 214;
const ARCTYPE_ATALK = 221;
const ARCTYPE_IPX = 250;
const ARCTYPE_INET6 = 0xc4;
const ARCTYPE_DIAGNOSE = 0x80;

/** The ethertype an ARCNET protocol id stands for, -1 when none. */
export function arcTypeToEthertype(t: number): number {
  switch (t) {
    case ARCTYPE_ARP_OLD:
    case ARCTYPE_ARP:
      return 0x0806;
    case ARCTYPE_REVARP:
      return 0x8035;
    case ARCTYPE_IP_OLD:
    case ARCTYPE_IP:
      return 0x0800;
    case ARCTYPE_INET6:
      return 0x86dd;
    case ARCTYPE_ATALK:
      return 0x809b;
    case ARCTYPE_IPX:
      return 0x8137;
    default:
      return -1;
  }
}

function isOld(t: number): boolean {
  return t === ARCTYPE_IP_OLD || t === ARCTYPE_ARP_OLD || t === ARCTYPE_DIAGNOSE;
}

function setNet(f: FrameView, arcType: number, netOff: number): boolean {
  f.ethertype = arcTypeToEthertype(arcType);
  f.netOff = netOff;
  return true;
}

/** LINKTYPE_ARCNET_BSD: src, dst, type, then (RFC 1201) flag and sequence id, with the exception form. */
export function decodeArcnet(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < 3) return false;
  const arcType = buf[off + 2]!;
  if (isOld(arcType)) return setNet(f, arcType, off + 3);
  if (end - off < 6) return false;
  let flag = buf[off + 3]!;
  let hdrlen = 6;
  if (flag === 0xff) {
    if (end - off < 10) return false;
    flag = buf[off + 7]!;
    hdrlen = 10;
  }
  // A middle fragment has no network-layer header.
  if (flag !== 0 && (flag & 1) === 0) return true;
  return setNet(f, arcType, off + hdrlen);
}

/** LINKTYPE_ARCNET_LINUX: src, dst, 2-byte offset, type, then (RFC 1201) flag and sequence id. */
export function decodeArcnetLinux(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < 5) return false;
  const arcType = buf[off + 4]!;
  if (isOld(arcType)) return setNet(f, arcType, off + 5);
  if (end - off < 8) return false;
  return setNet(f, arcType, off + 8);
}

registerLinkDecoder(LINKTYPE_ARCNET_BSD, decodeArcnet);
registerLinkDecoder(LINKTYPE_ARCNET_LINUX, decodeArcnetLinux);
