/**
 * A split analysis: a second thread reads the same inputs and runs some of
 * the detectors on an engine of its own, while the calling thread runs the
 * rest with the binding table. On a big ARP-dense capture the detectors are
 * most of the work, and each thread's smaller working set misses the cache
 * less: two cores cut the time by some 40 %. Both threads read and decode
 * the input, so on small captures, or where ARP/ND is a small share of the
 * traffic, it is slower.
 *
 * Which detectors can go (`offloadable` in detectors/index.ts): none of them
 * reads the binding table, and those that share a tracker go together.
 * Their findings are of their own kinds, so folding and the report order
 * come out as in one thread.
 *
 * `splitPays` decides for `--threads auto` (the CLI's default) from the
 * first records of each input; the library's default is one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { openCapture } from '../capture/open.js';
import { FrameView } from '../decode/frame.js';
import { notArpNd } from '../decode/quick-reject.js';
import type { AnalyzeConfig } from './config.js';
import type { FindingDraft } from './finding.js';

/** What the second thread is told: the inputs and the indexes (in allDetectors) of the detectors it runs. */
export interface SecondPassJob {
  paths: string[];
  config: AnalyzeConfig;
  vantages: string[];
  detectors: number[];
}

/**
 * Starts the second thread; resolves to its detectors' drafts once it has
 * read everything and exited (its heap and columns are gone before the
 * report is built, so the two peaks do not add up).
 */
export function startSecondPass(job: SecondPassJob): { drafts: Promise<FindingDraft[]>; stop: () => void } {
  // A small young generation: the detectors allocate little, and the second heap counts in the process's RSS.
  const worker = new Worker(new URL('./second-pass-worker.js', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const drafts = new Promise<FindingDraft[]>((resolve, reject) => {
    let result: FindingDraft[] | null = null;
    worker.once('message', (d: FindingDraft[]) => {
      result = d;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result !== null) resolve(result);
      else reject(new Error(`analyze: the second analysis thread stopped (exit code ${code})`));
    });
  });
  return { drafts, stop: () => void worker.terminate() };
}

/** Records looked at per input to estimate what pass 1 will see. */
const SAMPLE_RECORDS = 4096;

export interface SplitLimits {
  /**
   * ARP/ND frames needed: below ~300,000 the second thread's start and
   * second read cost what it saves (measured on arp-dense slices; a fifth
   * faster at 1M frames, 40 % at 10M).
   */
  frames: number;
  /** Their least share of all records: where they are few, both threads mostly read the same bytes twice. */
  share: number;
}

export const SPLIT_LIMITS: SplitLimits = { frames: 500_000, share: 0.1 };

/**
 * Whether two threads would beat one on these inputs: a second core, and
 * enough ARP/ND frames (estimated from the first SAMPLE_RECORDS records of
 * each input, scaled to its size) that are a large enough share of all
 * records. Inputs of unknown size (compressed) are counted as far as the
 * sample reaches. Any trouble reading means one thread: pass 1 then reports it.
 */
export async function splitPays(paths: readonly string[], limits: SplitLimits = SPLIT_LIMITS): Promise<boolean> {
  if (availableParallelism() < 2) return false;
  let frames = 0;
  let records = 0;
  const f = new FrameView();
  for (const path of paths) {
    let reader;
    try {
      reader = await openCapture(path);
      let n = 0;
      let hits = 0;
      let end = 0;
      while (n < SAMPLE_RECORDS) {
        if (!reader.next()) {
          if (!(await reader.fill())) break;
          continue;
        }
        const r = reader.record;
        n++;
        end = r.fileOffset;
        if (r.linkType === 1 && r.caplen >= 14 && notArpNd(r.buf, r.off, r.caplen)) continue;
        f.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
        if (f.isArpOrNd) hits++;
      }
      // A full sample of a file of known size stands for all of it.
      const scale = n === SAMPLE_RECORDS && reader.size > 0 && end > 0 ? reader.size / end : 1;
      frames += hits * scale;
      records += n * scale;
    } catch {
      return false;
    } finally {
      reader?.close();
    }
  }
  return frames >= limits.frames && frames >= limits.share * records;
}
