/**
 * arpscope's library API: what `read` and `analyze` are built on.
 *
 *   capture  -> openCapture / openCaptures (pcap, pcapng, gzip, stdin, merged)
 *   decode   -> FrameView (link layer, VLAN tags, ArpView, Ipv6View), in place
 *   select   -> compileFilter (pcap-filter subset) or selectArpNd
 *   print    -> FramePrinter (tcpdump -n [-e] [-v] text)
 *   analyze  -> analyzeCaptures(inputs, defaultConfig()) -> findings with evidence, bindings, summary
 *   report   -> formatTerminal, writeJson / formatJson (the --json document, docs/analyze-json.md)
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
export { analyzeCaptures, type AnalyzeInput, type AnalyzeOptions, type AnalysisResult, type AnalysisSummary } from './analyze/analyze.js';
export { defaultConfig, parseCidr, parseMac, type AnalyzeConfig, type Cidr } from './analyze/config.js';
export { SEVERITIES, type Severity, type Finding, type Evidence } from './analyze/finding.js';
export type { BindingList, BindingRow } from './analyze/bindings.js';
export { formatTerminal, type TerminalOptions } from './report/terminal.js';
export { formatJson, writeJson, JSON_SCHEMA_VERSION } from './report/json.js';
