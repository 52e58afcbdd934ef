/**
 * analyzeCaptures: the whole diagnosis as one library call. Pass 1 streams
 * every input once through the engine, noting where every MARK_EVERY-th
 * record starts; pass 2 prints the proving frames as tcpdump lines, jumping
 * from mark to mark where the reader can seek (classic pcap files) instead
 * of reading the whole input again.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PacketRecord } from '../capture/record.js';
import { CaptureError } from '../errors.js';
import { formatMac } from '../print/addr.js';
import { skipForAnalysis } from '../decode/quick-reject.js';
import { openCaptures, scanFrames } from '../read.js';
import { BindingList } from './bindings.js';
import type { AnalyzeConfig } from './config.js';
import { allDetectors, offloadable } from './detectors/index.js';
import { timelineDetector } from './detectors/timeline.js';
import { Engine, type EngineCounters } from './engine.js';
import { splitPays, startSecondPass } from './second-pass.js';
import type { FrameRef } from './events.js';
import { severityRank, SEVERITIES, type Evidence, type Finding, type FindingDraft, type Severity } from './finding.js';
import { vendorOf } from './oui.js';
import type { TimelineCollector, TimelineData } from './timeline.js';

export interface AnalyzeInput {
  /** Path, or "-" for standard input. */
  path: string;
  /** Vantage point name (defaults to the file name). */
  vantage?: string;
}

export interface AnalysisSummary {
  inputs: { file: string; vantage: string }[];
  frames_analyzed: number;
  arp_frames: number;
  arp_requests: number;
  arp_replies: number;
  gratuitous: number;
  nd_frames: number;
  tcp_resets: number;
  first_ts: number | null;
  last_ts: number | null;
  ips: number;
  findings_by_severity: Record<Severity, number>;
  /** Set when an input was cut short or corrupt: the analysis covers everything before it. */
  input_error?: string;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Rows made as they are read (iterate, `at`, `busiest`); JSON.stringify gives an array. */
  bindings: BindingList;
  summary: AnalysisSummary;
  /** Time series for the HTML report (rates, binding lanes, latency samples). */
  timeline?: TimelineData;
}

export interface AnalyzeOptions {
  /**
   * Called as pass 1 progresses with the capture bytes read (decompressed)
   * and how far through the inputs as stored that is, 0..1 (-1 for a pipe).
   */
  onProgress?: (bytes: number, fraction: number) => void;
  /** Limit evidence lines per finding. */
  maxEvidence?: number;
  /** Collect the time series the HTML report draws (`result.timeline`); costs pass-1 time, off by default. */
  timeline?: boolean;
  /**
   * 2 runs the offloadable detectors in a second thread (second-pass.ts):
   * worth it when most frames are ARP/ND (some 40 % faster on a dense
   * 10M-frame capture), not when they are few (the second thread reads
   * everything again). 'auto' picks 2 when the inputs' first records
   * promise enough ARP/ND frames (`splitPays`). The findings are the same.
   * Default 1.
   */
  threads?: 1 | 2 | 'auto';
}

export async function analyzeCaptures(inputs: AnalyzeInput[], config: AnalyzeConfig, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const spool = await spoolStreams(inputs);
  try {
    const paths = inputs.map((i, n) => spool.paths[n] ?? i.path);
    const vantages = inputs.map((i) => i.vantage ?? (i.path === '-' ? 'stdin' : basename(i.path)));
    const detectors = opts.timeline ? allDetectors : allDetectors.filter((d) => d !== timelineDetector);
    const reader = await openCaptures(paths);
    const threads = opts.threads === 'auto' ? ((await splitPays(paths)) ? 2 : 1) : (opts.threads ?? 1);
    const offload = threads === 2 ? detectors.filter((d) => offloadable.has(d)) : [];
    const second = offload.length > 0 ? startSecondPass({ paths, config, vantages, detectors: offload.map((d) => allDetectors.indexOf(d)) }) : null;
    // Its result is awaited after pass 1; until then a failure must not go unhandled.
    second?.drafts.catch(() => {});
    // The summary counts come from this engine: it still selects the TCP resets mac-change-reset (offloaded) reads.
    const engine = new Engine(config, offload.length > 0 ? detectors.filter((d) => !offloadable.has(d)) : detectors, vantages, {
      tcpResets: offload.length > 0,
    });
    let lastReport = 0;
    const onProgress = opts.onProgress;
    const marks: Marks[] = inputs.map(() => []);
    let inputError: CaptureError | null = null;
    try {
      await scanFrames(reader, (f, r) => engine.onFrame(f, r), {
        select: (f) => engine.wants(f),
        skip: skipForAnalysis,
        onRecordEvery: MARK_EVERY,
        onRecord: (r: PacketRecord) => {
          marks[r.input]!.push(r.frame, r.fileOffset);
          if (onProgress && (r.frame & 0xffff) === 0 && Date.now() - lastReport > 200) {
            lastReport = Date.now();
            onProgress(reader.position, reader.fraction);
          }
        },
      });
    } catch (err) {
      // Keep what was read: the report covers every frame before the problem.
      if (!(err instanceof CaptureError)) {
        second?.stop();
        throw err;
      }
      inputError = err;
    } finally {
      reader.close();
    }
    engine.finish();
    const drafts = second ? [...engine.drafts, ...(await second.drafts)] : engine.drafts;

    const lines = await evidenceLines(paths, drafts, marks);
    const max = opts.maxEvidence ?? 12;
    const names = inputs.map((i) => (i.path === '-' ? '<stdin>' : i.path));
    const findings: Finding[] = drafts.map((d) =>
      resolveDraft(d, (r) => lines.get(key(r.input, r.frame)) ?? '', names, inputs.length > 1 ? vantages : null, max),
    );
    findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.first_ts - b.first_ts || a.kind.localeCompare(b.kind));

    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
    const c: EngineCounters = engine.counters;
    return {
      findings,
      bindings: BindingList.fromTable(engine.bindings, vendorOf),
      timeline: engine.shared<TimelineCollector | null>('timeline', () => null)?.data(findings.flatMap((f) => f.ips)),
      summary: {
        inputs: inputs.map((i, n) => ({ file: names[n]!, vantage: vantages[n]! })),
        frames_analyzed: c.frames,
        arp_frames: c.arp,
        arp_requests: c.arpRequests,
        arp_replies: c.arpReplies,
        gratuitous: c.gratuitous,
        nd_frames: c.nd,
        tcp_resets: c.tcpResets,
        first_ts: Number.isFinite(engine.firstTs) ? engine.firstTs : null,
        last_ts: Number.isFinite(engine.lastTs) ? engine.lastTs : null,
        ips: engine.bindings.size,
        findings_by_severity: bySeverity,
        ...(inputError ? { input_error: inputError.message } : {}),
      },
    };
  } finally {
    spool.remove();
  }
}

const key = (input: number, frame: number): string => `${input}:${frame}`;

/** Pass 1 notes the offset of every 256th record of each input: 16 bytes per 256 frames. */
const MARK_EVERY = 256;

/** (frame, file offset) of every MARK_EVERY-th record of one input, ascending. */
type Marks = number[];

/** A detector's draft made into a finding: references become evidence lines (oldest first, at most `max`). */
export function resolveDraft(
  d: FindingDraft,
  lineOf: (r: FrameRef) => string,
  names: readonly string[],
  vantages: readonly string[] | null,
  max = 12,
): Finding {
  const { refs, ...rest } = d;
  const sorted = [...refs].sort((a, b) => a.ts - b.ts || a.input - b.input || a.frame - b.frame);
  // Detectors may reference one frame twice (it proves two things): show it once.
  const unique = sorted.filter((r, i) => i === 0 || r.frame !== sorted[i - 1]!.frame || r.input !== sorted[i - 1]!.input);
  const evidence: Evidence[] = unique.slice(0, max).map((r) => ({
    file: names[r.input] ?? '',
    frame: r.frame,
    ts: r.ts,
    line: lineOf(r),
    ...(vantages ? { vantage: vantages[r.input]! } : {}),
  }));
  const f: Finding = { ...rest, evidence };
  if (vantages) f.vantages = [...new Set(refs.map((r) => vantages[r.input]!))].sort();
  return f;
}

/**
 * Pass 2: the tcpdump -n -e line of every referenced frame. The wanted frame
 * numbers of an input are sorted; before each, the reader jumps forward to
 * the last pass-1 mark at or before it when it can seek, so the records read
 * are the ones near evidence (a reader that cannot seek reads on), and the
 * read stops after the last.
 */
async function evidenceLines(paths: string[], drafts: readonly FindingDraft[], marks: readonly Marks[]): Promise<Map<string, string>> {
  const lines = new Map<string, string>();
  if (drafts.length === 0) return lines;
  // The printers of every protocol are some 10 ms to load: only when there is evidence to print.
  const { FramePrinter } = await import('../print/frame.js');
  const printer = new FramePrinter({ eflag: true, vflag: 0, tflag: 4, numbers: false, nano: false });
  for (let input = 0; input < paths.length; input++) {
    const frames = wantedFrames(drafts, input);
    if (frames.length === 0) continue;
    const m = marks[input]!;
    const reader = await openCaptures([paths[input]!]);
    const r = reader.record;
    // A stream of unknown size (a .gz file) reaches only the bytes it holds: it reads on, and is not asked at every record.
    const seekable = reader.seek !== undefined && reader.size >= 0;
    try {
      let next = 0;
      let k = 0;
      while (next < frames.length) {
        const want = frames[next]!;
        while (k < m.length && m[k]! <= want) k += 2;
        // m[k - 2] is the last mark at or before `want`: worth a jump when it is past the next record.
        if (seekable && k > 0 && m[k - 2]! > r.frame + 1) reader.seek!(m[k - 1]!, m[k - 2]!);
        if (!reader.next()) {
          if (!(await reader.fill())) break;
          continue;
        }
        if (r.frame !== want) continue;
        lines.set(key(input, r.frame), printer.format(r, r.frame).replace(/\n$/, ''));
        next++;
      }
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err; // the same cut as pass 1: every wanted frame came before it
    } finally {
      reader.close();
    }
  }
  return lines;
}

/** The distinct frame numbers of `input` the drafts refer to, ascending. */
function wantedFrames(drafts: readonly FindingDraft[], input: number): Float64Array {
  let n = 0;
  for (const d of drafts) for (const r of d.refs) if (r.input === input) n++;
  const all = new Float64Array(n);
  n = 0;
  for (const d of drafts) for (const r of d.refs) if (r.input === input) all[n++] = r.frame;
  all.sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i]!;
  return all.subarray(0, u);
}

/**
 * Standard input, and any other input that is not a regular file (a FIFO,
 * `<(tcpdump -w - ...)`), can be read only once: copied to disk first, so
 * the evidence pass (and a second thread) can read it again.
 */
async function spoolStreams(inputs: AnalyzeInput[]): Promise<{ paths: (string | undefined)[]; remove: () => void }> {
  const paths: (string | undefined)[] = [];
  let dir: string | null = null;
  const remove = (): void => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let n = 0;
  try {
    for (; n < inputs.length; n++) {
      const p = inputs[n]!.path;
      if (p !== '-' && !isStream(p)) continue;
      dir ??= mkdtempSync(join(tmpdir(), 'arpscope-input-'));
      const copy = join(dir, `input-${n}.capture`);
      await pipeline(p === '-' ? process.stdin : createReadStream(p), createWriteStream(copy));
      paths[n] = copy;
    }
  } catch (err) {
    remove();
    const p = inputs[n]!.path;
    throw new CaptureError(p === '-' ? '<stdin>' : p, -1, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { paths, remove };
}

/** A pipe, socket or character device (a missing path or a directory is left to the reader's own error). */
function isStream(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFIFO() || st.isSocket() || st.isCharacterDevice();
  } catch {
    return false;
  }
}

export { formatMac };
