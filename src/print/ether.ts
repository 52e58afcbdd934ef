/**
 * Ethernet (print-ether.c) and the ethertype dispatch shared by every link
 * that carries an ethertype (SLL, SLL2, LLC/SNAP, IPoIB, ...).
 */
import { macTextAt } from './addr.js';
import type { Printer } from './context.js';
import { defaultPrint } from './hexdump.js';
import { arpPrint } from './arp.js';
import { ip6Print } from './ip6.js';
import { llcPrint } from './llc.js';
import { registerLinkPrinter } from './link.js';
import { ethertypeName, hex4 } from './names.js';

const etherTypeTexts: string[] = [];

/** "ethertype ARP (0x0806)", built once per value. */
export function etherTypeText(et: number): string {
  let s = etherTypeTexts[et];
  if (s === undefined) etherTypeTexts[et] = s = 'ethertype ' + ethertypeName(et) + ' (0x' + hex4(et) + ')';
  return s;
}

export function ieee8021qTciString(tci: number): string {
  return 'vlan ' + (tci & 0xfff) + ', p ' + (tci >> 13) + ((tci & 0x1000) !== 0 ? ', DEI' : '');
}

/** "src > dst, " */
function etherAddressesPrint(p: Printer, srcOff: number, dstOff: number): void {
  p.need(srcOff, 6);
  p.need(dstOff, 6);
  p.out += macTextAt(p.buf, srcOff) + ' > ' + macTextAt(p.buf, dstOff) + ', ';
}

/**
 * Prints a payload by ethertype. Returns false when the type is not one we
 * decode (the caller then prints addresses and a hex dump, as tcpdump does).
 */
export function ethertypePrint(p: Printer, et: number, off: number, length: number, caplen: number): boolean {
  switch (et) {
    case 0x0806:
    case 0x8035:
      arpPrint(p, off, length, caplen);
      return true;
    case 0x86dd:
      ip6Print(p, off, length);
      return true;
    default:
      return false;
  }
}

/** ether_common_print with no switch tag and no encapsulation header; returns the header length. */
export function etherPrint(p: Printer, off: number, length: number, caplen: number): number {
  p.protocol = 'ether';
  if (length < caplen) {
    p.out += `[length ${length} < caplen ${caplen}]`;
    p.printInvalid();
    return length;
  }
  if (caplen < 14) {
    p.printTrunc();
    return caplen;
  }
  const origLength = length;
  const srcOff = off + 6;
  const dstOff = off;
  length -= 12;
  caplen -= 12;
  let q = off + 12;
  let hdrlen = 12;
  if (p.eflag) etherAddressesPrint(p, srcOff, dstOff);

  let lengthType = p.u16(q);
  length -= 2;
  caplen -= 2;
  q += 2;
  hdrlen += 2;
  let printedLength = false;

  while (lengthType === 0x8100 || lengthType === 0x9100 || lengthType === 0x9200 || lengthType === 0x88a8) {
    if (caplen < 4) {
      p.protocol = 'vlan';
      p.printTrunc();
      return hdrlen + caplen;
    }
    if (length < 4) {
      p.protocol = 'vlan';
      p.printTrunc();
      return hdrlen + length;
    }
    if (p.eflag) {
      const tag = p.u16(q);
      p.out += etherTypeText(lengthType);
      if (!printedLength) {
        p.out += `, length ${origLength}: `;
        printedLength = true;
      } else p.out += ', ';
      p.out += ieee8021qTciString(tag) + ', ';
    }
    lengthType = p.u16(q + 2);
    q += 4;
    length -= 4;
    caplen -= 4;
    hdrlen += 4;
  }

  if (lengthType <= 1500) {
    // 802.3 length field: trust it only when it shortens the payload.
    if (lengthType < length) {
      length = lengthType;
      if (caplen > length) caplen = length;
    }
    const savedSnapend = p.snapend;
    if (q + length < p.snapend) p.snapend = q + length;
    if (p.eflag) {
      p.out += '802.3';
      if (!printedLength) p.out += `, length ${length}: `;
    }
    let llcHdrLen = llcPrint(p, q, length, caplen, srcOff, dstOff);
    if (llcHdrLen < 0) {
      defaultPrint(p, q, caplen);
      llcHdrLen = -llcHdrLen;
    }
    p.snapend = savedSnapend;
    hdrlen += llcHdrLen;
  } else {
    if (p.eflag) {
      p.out += etherTypeText(lengthType);
      p.out += printedLength ? ', ' : `, length ${origLength}: `;
    }
    if (!ethertypePrint(p, lengthType, q, length, caplen)) {
      if (!p.eflag) {
        etherAddressesPrint(p, srcOff, dstOff);
        p.out += etherTypeText(lengthType) + `, length ${origLength}: `;
      }
      defaultPrint(p, q, caplen);
    }
  }
  return hdrlen;
}

registerLinkPrinter(1, (p, caplen, wireLen) => {
  p.protocol = 'ether';
  p.llHdrLen += etherPrint(p, p.packetStart, wireLen, caplen);
});
