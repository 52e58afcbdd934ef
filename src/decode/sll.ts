/**
 * Linux cooked capture link decoders: SLL (LINKTYPE_LINUX_SLL, 113) and
 * SLL2 (LINKTYPE_LINUX_SLL2, 276), plus the "protocol field, then payload"
 * walk shared with other links whose header ends in an ethertype.
 *
 * SLL headers carry one link address, the sender's; with 6 bytes it
 * becomes `srcMac`. There is no destination address.
 */
import { type FrameView, MAX_VLAN_DEPTH, isVlanTpid, registerLinkDecoder } from './frame.js';
import { decodeRadiotap } from './ieee802_11.js';
import { readMac48 } from './mac.js';

export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
const SLL_HDR_LEN = 16;
const SLL2_HDR_LEN = 20;
/** Protocol values below 1536 with a meaning in cooked captures. */
const LINUX_SLL_P_802_2 = 0x0004;
const ARPHRD_IEEE80211_RADIOTAP = 803;

/**
 * An 802.2 LLC header at `p`: SNAP with an Ethernet OUI (000000, or Cisco's
 * 0000f8) gives an ethertype; anything else is a network layer we do not
 * name. A header too short to tell leaves netOff unset.
 */
export function decodeLlc(f: FrameView, buf: Buffer, p: number, end: number): boolean {
  if (end - p < 3) return true;
  if (buf[p] === 0xaa && buf[p + 1] === 0xaa && buf[p + 2] === 0x03) {
    if (end - p < 8) return true;
    const oui = (buf[p + 3]! << 16) | (buf[p + 4]! << 8) | buf[p + 5]!;
    if (oui === 0x000000 || oui === 0x0000f8) {
      f.ethertype = (buf[p + 6]! << 8) | buf[p + 7]!;
      f.netOff = p + 8;
      return true;
    }
    f.netOff = p + 8;
    return true;
  }
  f.netOff = p;
  return true;
}

/**
 * The payload at `p` announced by protocol field `et`: 802.1Q/802.1ad tags
 * at any depth, then an ethertype, or (values <= 1500) LLC when `shortIsLlc`
 * or after a tag, or a protocol we do not name.
 */
export function decodeTypeAt(f: FrameView, buf: Buffer, et: number, p: number, end: number, shortIsLlc: boolean): boolean {
  // Each tag consumes 4 captured bytes, so this ends.
  while (isVlanTpid(et)) {
    if (end - p < 4) return false;
    if (f.vlanDepth < MAX_VLAN_DEPTH) {
      f.vlanIds[f.vlanDepth] = ((buf[p]! << 8) | buf[p + 1]!) & 0x0fff;
      f.vlanTpids[f.vlanDepth] = et;
    }
    f.vlanDepth++;
    et = (buf[p + 2]! << 8) | buf[p + 3]!;
    p += 4;
    shortIsLlc = true;
  }
  if (et <= 1500) {
    if (shortIsLlc) return decodeLlc(f, buf, p, end);
    f.netOff = p;
    return true;
  }
  f.ethertype = et;
  f.netOff = p;
  return true;
}

/** LINKTYPE_LINUX_SLL */
export function decodeSll(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < SLL_HDR_LEN) return false;
  if (((buf[off + 4]! << 8) | buf[off + 5]!) === 6) {
    f.srcMacOff = off + 6;
    f.srcMac = readMac48(buf, off + 6);
  }
  if (((buf[off + 2]! << 8) | buf[off + 3]!) === ARPHRD_IEEE80211_RADIOTAP) {
    return decodeRadiotap(f, buf, off + SLL_HDR_LEN, end);
  }
  const et = (buf[off + 14]! << 8) | buf[off + 15]!;
  return decodeTypeAt(f, buf, et, off + SLL_HDR_LEN, end, et === LINUX_SLL_P_802_2);
}

/** LINKTYPE_LINUX_SLL2 */
export function decodeSll2(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < SLL2_HDR_LEN) return false;
  if (buf[off + 11] === 6) {
    f.srcMacOff = off + 12;
    f.srcMac = readMac48(buf, off + 12);
  }
  if (((buf[off + 8]! << 8) | buf[off + 9]!) === ARPHRD_IEEE80211_RADIOTAP) {
    return decodeRadiotap(f, buf, off + SLL2_HDR_LEN, end);
  }
  const et = (buf[off]! << 8) | buf[off + 1]!;
  return decodeTypeAt(f, buf, et, off + SLL2_HDR_LEN, end, et === LINUX_SLL_P_802_2);
}

registerLinkDecoder(LINKTYPE_LINUX_SLL, decodeSll);
registerLinkDecoder(LINKTYPE_LINUX_SLL2, decodeSll2);
