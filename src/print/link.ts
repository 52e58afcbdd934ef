/**
 * Link-layer printers by LINKTYPE, like tcpdump's if_printer table. A link
 * printer prints the frame that starts at `p.packetStart` and must leave
 * `p.llHdrLen` set to its header length.
 */
import type { Printer } from './context.js';

export type LinkPrinter = (p: Printer, caplen: number, wireLen: number) => void;

const linkPrinters = new Map<number, LinkPrinter>();

export function registerLinkPrinter(linkType: number, printer: LinkPrinter): void {
  linkPrinters.set(linkType, printer);
}

export function linkPrinterFor(linkType: number): LinkPrinter | undefined {
  return linkPrinters.get(linkType);
}
