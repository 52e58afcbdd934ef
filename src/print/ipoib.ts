/**
 * IP over InfiniBand (LINKTYPE_IPOIB, 242), as tcpdump 4.99.3 prints it
 * (print-ipoib.c): a 44-byte pseudo-header (destination and source 20-byte
 * hardware addresses, ethertype at offset 40, 2 reserved bytes).
 */
import type { Printer } from './context.js';
import { etherTypeText, ethertypePrint } from './ether.js';
import { defaultPrint } from './hexdump.js';
import { registerLinkPrinter } from './link.js';

export const LINKTYPE_IPOIB = 242;
const IPOIB_HDRLEN = 44;

/** ipoib_hdr_print: ", ethertype IPv4 (0x0800), length 128: " */
function ipoibHeaderPrint(p: Printer, h: number, length: number): void {
  p.out += ', ' + etherTypeText(p.u16(h + 40)) + ', length ' + length + ': ';
}

/** ipoib_if_print */
export function ipoibPrint(p: Printer, caplen: number, length: number): void {
  const h = p.packetStart;
  p.protocol = 'ipoib';
  if (caplen < IPOIB_HDRLEN) {
    p.printTrunc();
    p.llHdrLen += caplen;
    return;
  }
  if (length < IPOIB_HDRLEN) {
    p.printTrunc();
    p.llHdrLen += length;
    return;
  }
  if (p.eflag) {
    p.out += 'IPOIB'; // nd_print_protocol_caps
    ipoibHeaderPrint(p, h, length);
  }
  p.llHdrLen += IPOIB_HDRLEN;
  const et = p.u16(h + 40);
  const q = h + IPOIB_HDRLEN;
  if (!ethertypePrint(p, et, q, length - IPOIB_HDRLEN, caplen - IPOIB_HDRLEN)) {
    // tcpdump prints the header without the "IPOIB" here.
    if (!p.eflag) ipoibHeaderPrint(p, h, length);
    defaultPrint(p, q, caplen - IPOIB_HDRLEN);
  }
}

registerLinkPrinter(LINKTYPE_IPOIB, ipoibPrint);
