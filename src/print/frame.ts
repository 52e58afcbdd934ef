/**
 * One output line (or block, with hex dumps) per frame, as tcpdump's
 * pretty_print_packet: optional frame number, header sanity checks,
 * timestamp, then the link-layer printer; truncation becomes ` [|proto]`.
 */
import type { PacketRecord } from '../capture/record.js';
import { isTruncated, Printer, type PrintOptions } from './context.js';
import { linkPrinterFor } from './link.js';
import { TimeFormat, TimestampFormatter } from './timestamp.js';
import './ether.js';
import './links.js';

export interface FramePrintOptions extends PrintOptions {
  /** -t count: 0 default, 1 none, 2 unix, 3 delta, 4 date, 5 delta-from-first. */
  tflag: number;
  /** -#: prefix each line with the packet number. */
  numbers: boolean;
  /** --nano: nanosecond timestamps. */
  nano: boolean;
}

const MAXIMUM_SNAPLEN = 262144;

export class FramePrinter {
  private readonly p: Printer;
  private readonly ts: TimestampFormatter;

  /**
   * `ts`: a timestamp state to share with another printer of the same
   * stream (the byte-level fast path), so that -ttt / -ttttt deltas are
   * taken between consecutive frames whichever printer wrote them.
   */
  constructor(
    readonly opts: FramePrintOptions,
    ts?: TimestampFormatter,
  ) {
    this.p = new Printer({ eflag: opts.eflag, vflag: opts.vflag });
    this.ts = ts ?? new TimestampFormatter(opts.tflag as TimeFormat, opts.nano);
  }

  /** The text for one frame, ending in a newline. `number` is the -# counter. */
  format(r: PacketRecord, number: number): string {
    let head = this.opts.numbers ? String(number).padStart(5, ' ') + '  ' : '';
    const caplen = r.caplen;
    const len = r.wireLen;
    if (caplen === 0 || len === 0 || len < caplen || caplen > MAXIMUM_SNAPLEN || len > MAXIMUM_SNAPLEN) {
      return head + headerProblems(caplen, len) + '\n';
    }
    head += this.ts.text(r.tsSec, r.tsNsec);
    const p = this.p;
    p.begin(r.buf, r.off, r.caplen);
    const printer = linkPrinterFor(r.linkType);
    try {
      if (printer === undefined) p.out += `[|unsupported link type ${r.linkType}]`;
      else printer(p, r.caplen, r.wireLen);
    } catch (e) {
      if (!isTruncated(e)) throw e;
      p.printTrunc();
    }
    return head + p.out + '\n';
  }
}

/** tcpdump's "[Invalid header: ...]" text for a record header that fails its sanity checks. */
function headerProblems(caplen: number, len: number): string {
  const parts: string[] = [];
  if (caplen === 0) parts.push(' caplen==0');
  if (len === 0) parts.push(' len==0');
  else if (len < caplen) parts.push(` len(${len}) < caplen(${caplen})`);
  if (caplen > MAXIMUM_SNAPLEN) parts.push(` caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
  if (len > MAXIMUM_SNAPLEN) parts.push(` len(${len}) > ${MAXIMUM_SNAPLEN}`);
  return '[Invalid header:' + parts.join(',') + ']';
}
