/** `arpscope read`: tcpdump-exact lines for the selected frames. */
import type { FrameView } from '../decode/frame.js';
import { notArpNd } from '../decode/quick-reject.js';
import { FastPrinter } from '../print/fast.js';
import type { FramePrinter } from '../print/frame.js';
import { openCaptures, selectArpNd, type FramePredicate } from '../read.js';
import { byteSink, Output, type Sink } from './output.js';

export type { Sink } from './output.js';

export interface ReadOptions {
  inputs: string[];
  filter: string;
  eflag: boolean;
  vflag: number;
  tflag: number;
  numbers: boolean;
  nano: boolean;
  /** Stop after this many printed frames (0: no limit). */
  count: number;
}

/**
 * Each record is offered to the byte-level FastPrinter first; what it
 * declines is decoded, selected and formatted by FramePrinter as before.
 * With the default selection the fast path (and a quick reject) run before
 * any decoding: a frame it prints is always ARP/ND. With a filter
 * expression they run after the filter. The general printer (most of the
 * printing code) is loaded the first time a frame needs it.
 */
export async function runRead(o: ReadOptions, out: Sink = new Output()): Promise<void> {
  let select: FramePredicate = selectArpNd;
  if (o.filter) {
    const { compileFilter } = await import('../filter/index.js');
    select = compileFilter(o.filter);
  }
  const quick = select === selectArpNd;
  const sink = byteSink(out);
  const opts = { eflag: o.eflag, vflag: o.vflag, tflag: o.tflag, numbers: o.numbers, nano: o.nano };
  const fast = new FastPrinter(opts, sink);
  let general: { frame: FrameView; printer: FramePrinter } | undefined;
  const loadGeneral = async (): Promise<{ frame: FrameView; printer: FramePrinter }> => {
    const [{ FrameView }, { FramePrinter }] = await Promise.all([import('../decode/frame.js'), import('../print/frame.js')]);
    return { frame: new FrameView(), printer: new FramePrinter(opts, fast.ts) };
  };
  if (!quick || o.vflag > 0) general = await loadGeneral();
  const limit = o.count;
  const reader = await openCaptures(o.inputs);
  let printed = 0;
  try {
    for (;;) {
      if (!reader.next()) {
        // Out what is printed before waiting for input (a live pipe should not hold lines back).
        sink.flush();
        if (!(await reader.fill())) break;
        continue;
      }
      const r = reader.record;
      if (quick && r.linkType === 1 && r.caplen >= 14) {
        if (notArpNd(r.buf, r.off, r.caplen)) continue;
        if (fast.print(r, printed + 1)) {
          if (++printed === limit) break;
          continue;
        }
      }
      // The general path. `r` stays valid across the import: the reader is not advanced.
      general ??= await loadGeneral();
      const frame = general.frame;
      frame.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
      if (!select(frame)) continue;
      printed++;
      if (quick || !fast.print(r, printed)) sink.write(general.printer.format(r, printed));
      if (printed === limit) break;
    }
  } finally {
    // Whatever was read before an error is printed before the error line.
    sink.flush();
    reader.close();
  }
}
