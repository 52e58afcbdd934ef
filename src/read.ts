/**
 * The read pipeline as a library call: inputs -> records -> decoded frames
 * -> selection. The CLI's `read` and `analyze` are built on it.
 */
import { MergedReader } from './capture/merge.js';
import { openCapture } from './capture/open.js';
import type { CaptureReader, PacketRecord } from './capture/record.js';
import { FrameView } from './decode/frame.js';
import './decode/links.js';
import { notArpNd } from './decode/quick-reject.js';

export type FramePredicate = (f: FrameView) => boolean;

/** The default selection: ARP, RARP and ICMPv6 ND at any VLAN depth. */
export const selectArpNd: FramePredicate = (f) => f.isArpOrNd;

/** Opens one or several inputs; several are merged by timestamp. */
export async function openCaptures(paths: readonly string[]): Promise<CaptureReader> {
  const readers: CaptureReader[] = [];
  try {
    for (let i = 0; i < paths.length; i++) readers.push(await openCapture(paths[i]!, i));
  } catch (err) {
    for (const r of readers) r.close();
    throw err;
  }
  return readers.length === 1 ? readers[0]! : new MergedReader(readers);
}

export interface ScanOptions {
  /** Frames to hand to `onFrame`; default: ARP/RARP/ND. */
  select?: FramePredicate;
  /** A cheap look at the raw record before any decoding: true skips it (a BPF-like prefilter). */
  skip?: (r: PacketRecord) => boolean;
  /** Called for every record before selection (counting, progress); see `onRecordEvery`. */
  onRecord?: (r: PacketRecord) => void;
  /** Call `onRecord` only for frame numbers that are multiples of this power of two (default 1: every record). */
  onRecordEvery?: number;
}

/**
 * Reads `reader` to the end, decoding each record once into a reused
 * FrameView and calling `onFrame` for the selected ones. `onFrame` returns
 * false to stop early. Throws CaptureError after everything before the
 * problem was delivered.
 */
export async function scanFrames(
  reader: CaptureReader,
  onFrame: (f: FrameView, r: PacketRecord) => boolean | void,
  opts: ScanOptions = {},
): Promise<void> {
  const frame = new FrameView();
  const select = opts.select ?? selectArpNd;
  const quick = select === selectArpNd;
  const onRecord = opts.onRecord;
  const every = opts.onRecordEvery ?? 1;
  if (!Number.isInteger(every) || every < 1 || (every & (every - 1)) !== 0) throw new RangeError(`onRecordEvery must be a power of two, got ${every}`);
  const everyMask = every - 1;
  const skip = opts.skip;
  for (;;) {
    if (!reader.next()) {
      if (!(await reader.fill())) return;
      continue;
    }
    const r = reader.record;
    if (onRecord !== undefined && (r.frame & everyMask) === 0) onRecord(r);
    if (quick && r.linkType === 1 && r.caplen >= 14 && notArpNd(r.buf, r.off, r.caplen)) continue;
    if (skip !== undefined && skip(r)) continue;
    frame.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
    if (!select(frame)) continue;
    if (onFrame(frame, r) === false) return;
  }
}
