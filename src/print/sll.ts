/**
 * Linux "cooked" captures, SLL (LINKTYPE_LINUX_SLL, 113) and SLL2
 * (LINKTYPE_LINUX_SLL2, 276), as tcpdump 4.99.3 prints them (print-sll.c).
 *
 * SLL2 carries an interface index; tcpdump prints the name the *local*
 * machine gives that index (if_indextoname), so we do the same from
 * /sys/class/net/<name>/ifindex, read once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { macTextAt } from './addr.js';
import { TRUNCATED, type Printer } from './context.js';
import { etherTypeText, ethertypePrint, ieee8021qTciString } from './ether.js';
import { defaultPrint } from './hexdump.js';
import { radiotapPrint } from './ieee802_11.js';
import { registerLinkPrinter } from './link.js';
import { llcPrint } from './llc.js';
import { ethertypeName, hex4 } from './names.js';

export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
const SLL_HDR_LEN = 16;
const SLL2_HDR_LEN = 20;

/** Linux packet types (sll_pkttype_values). */
const PKTTYPE: readonly string[] = ['In', 'B', 'M', 'P', 'Out'];
function pktTypeName(t: number): string {
  return t < PKTTYPE.length ? PKTTYPE[t]! : '?';
}

const LINUX_SLL_P_802_3 = 0x0001; // Novell 802.3 frames without an 802.2 header
const LINUX_SLL_P_802_2 = 0x0004; // 802.2 frames
const ARPHRD_IEEE80211_RADIOTAP = 803;

let ifNames: Map<number, string> | undefined;

/** if_indextoname() of this machine, from sysfs; undefined when unknown. */
export function ifIndexToName(index: number): string | undefined {
  if (ifNames === undefined) {
    ifNames = new Map();
    try {
      for (const name of readdirSync('/sys/class/net')) {
        try {
          const idx = Number.parseInt(readFileSync(`/sys/class/net/${name}/ifindex`, 'latin1').trim(), 10);
          if (Number.isInteger(idx) && !ifNames.has(idx)) ifNames.set(idx, name);
        } catch {
          // an entry without ifindex: skip it
        }
      }
    } catch {
      // no sysfs (not Linux, or sandboxed): every name is unknown
    }
  }
  return ifNames.get(index);
}

/** Test hook: replace the interface table (undefined re-reads sysfs). */
export function setIfNamesForTest(names: Map<number, string> | undefined): void {
  ifNames = names;
}

/** The "802.3" / "802.2" / "ethertype X (0x....)" text of the protocol field. */
function protocolText(et: number): string {
  if (et <= 1500) {
    if (et === LINUX_SLL_P_802_3) return '802.3';
    if (et === LINUX_SLL_P_802_2) return '802.2';
    return 'ethertype Unknown (0x' + hex4(et) + ')';
  }
  return etherTypeText(et);
}

/** sll_print: " In 00:11:22:33:44:55 ethertype ARP (0x0806), length 62: " */
function sllHeaderPrint(p: Printer, h: number, length: number): void {
  p.protocol = 'sll';
  const t = pktTypeName(p.u16(h));
  p.out += (t.length < 3 ? ' '.repeat(3 - t.length) + t : t) + ' ';
  if (p.u16(h + 4) === 6) {
    p.need(h + 6, 6);
    p.out += macTextAt(p.buf, h + 6) + ' ';
  }
  p.out += protocolText(p.u16(h + 14)) + ', length ' + length + ': ';
}

/** sll2_print: "ifindex 2 78:bd:bc:e4:ae:31 ethertype ARP (0x0806), length 66: " */
function sll2HeaderPrint(p: Printer, h: number, length: number): void {
  p.protocol = 'sll2';
  p.out += 'ifindex ' + p.u32(h + 4) + ' ';
  if (p.u8(h + 11) === 6) {
    p.need(h + 12, 6);
    p.out += macTextAt(p.buf, h + 12) + ' ';
  }
  p.out += protocolText(p.u16(h)) + ', length ' + length + ': ';
}

/**
 * The part sll_if_print and sll2_if_print share: the payload after the
 * cooked header, by protocol field, with 802.1Q tags. Returns the header
 * length consumed (cooked header included).
 */
function sllPayloadPrint(
  p: Printer, h: number, hdrLen: number, et: number, length: number, caplen: number,
  headerPrint: (p: Printer, h: number, length: number) => void,
): number {
  let q = h + hdrLen;
  let hdrlen = hdrLen;
  // Each 802.1Q pass consumes 4 captured bytes, so this ends.
  for (;;) {
    if (et <= 1500) {
      if (et === LINUX_SLL_P_802_3) {
        // Novell raw 802.3 IPX: no IPX printer here.
        if (!ethertypePrint(p, 0x8137, q, length, caplen)) defaultPrint(p, q, caplen);
      } else if (et === LINUX_SLL_P_802_2) {
        const llcLen = llcPrint(p, q, length, caplen, -1, -1);
        if (llcLen < 0) defaultPrint(p, q, caplen);
        else hdrlen += llcLen;
      } else {
        defaultPrint(p, q, caplen);
      }
      return hdrlen;
    }
    if (et === 0x8100) {
      if (caplen < 4) {
        p.protocol = 'vlan';
        p.printTrunc();
        return hdrlen + caplen;
      }
      if (p.eflag) p.out += ieee8021qTciString(p.u16(q)) + ', ';
      et = p.u16(q + 2);
      if (et <= 1500) et = LINUX_SLL_P_802_2;
      p.out += 'ethertype ' + ethertypeName(et) + ', ';
      q += 4;
      length -= 4;
      caplen -= 4;
      hdrlen += 4;
      continue;
    }
    if (!ethertypePrint(p, et, q, length, caplen)) {
      if (!p.eflag) headerPrint(p, h, length + hdrLen);
      defaultPrint(p, q, caplen);
    }
    return hdrlen;
  }
}

/** sll_if_print */
export function sllPrint(p: Printer, caplen: number, wireLen: number): void {
  const h = p.packetStart;
  p.protocol = 'sll';
  if (!p.has(h, SLL_HDR_LEN)) throw TRUNCATED;
  if (p.eflag) sllHeaderPrint(p, h, wireLen);
  const length = wireLen - SLL_HDR_LEN;
  const cap = caplen - SLL_HDR_LEN;
  if (p.u16(h + 2) === ARPHRD_IEEE80211_RADIOTAP) {
    p.llHdrLen += SLL_HDR_LEN;
    p.llHdrLen += radiotapPrint(p, h + SLL_HDR_LEN, length, cap);
    return;
  }
  p.llHdrLen += sllPayloadPrint(p, h, SLL_HDR_LEN, p.u16(h + 14), length, cap, sllHeaderPrint);
}

/** sll2_if_print */
export function sll2Print(p: Printer, caplen: number, wireLen: number): void {
  const h = p.packetStart;
  p.protocol = 'sll2';
  if (!p.has(h, SLL2_HDR_LEN)) throw TRUNCATED;
  const name = ifIndexToName(p.u32(h + 4)) ?? '?';
  const t = pktTypeName(p.u8(h + 10));
  p.out += name.padEnd(5) + ' ' + t.padEnd(3) + ' ';
  if (p.eflag) sll2HeaderPrint(p, h, wireLen);
  const length = wireLen - SLL2_HDR_LEN;
  const cap = caplen - SLL2_HDR_LEN;
  if (p.u16(h + 8) === ARPHRD_IEEE80211_RADIOTAP) {
    p.llHdrLen += SLL2_HDR_LEN;
    p.llHdrLen += radiotapPrint(p, h + SLL2_HDR_LEN, length, cap);
    return;
  }
  p.llHdrLen += sllPayloadPrint(p, h, SLL2_HDR_LEN, p.u16(h), length, cap, sll2HeaderPrint);
}

registerLinkPrinter(LINKTYPE_LINUX_SLL, sllPrint);
registerLinkPrinter(LINKTYPE_LINUX_SLL2, sll2Print);
