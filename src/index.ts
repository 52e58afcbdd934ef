/**
 * arpscope's library API: the CLI is built on exactly this.
 *
 *   capture  -> openCapture / openCaptures (pcap, pcapng, gzip, stdin, merged)
 *   decode   -> FrameView (link layer, VLAN tags, ArpView, Ipv6View), in place
 *   select   -> compileFilter (pcap-filter subset) or selectArpNd
 *   print    -> FramePrinter (tcpdump -n [-e] [-v] text)
 */
export type { CaptureReader, PacketRecord } from './capture/record.js';
export { openCapture } from './capture/open.js';
export { openCaptures, scanFrames, selectArpNd, type FramePredicate, type ScanOptions } from './read.js';
export { FrameView, NetKind, LINKTYPE } from './decode/frame.js';
export { ArpView, ArpOp } from './decode/arp.js';
export { Ipv6View } from './decode/ipv6.js';
export { DecodeStatus } from './decode/status.js';
export { FramePrinter, type FramePrintOptions } from './print/frame.js';
export { compileFilter, FilterError } from './filter/index.js';
export { CaptureError, UsageError } from './errors.js';
export { formatMac, formatIPv4, formatIPv6At } from './print/addr.js';
