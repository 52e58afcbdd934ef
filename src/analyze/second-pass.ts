/**
 * A split analysis: a second thread reads the same inputs and runs some of
 * the detectors on an engine of its own, while the calling thread runs the
 * rest with the binding table. On a big ARP-dense capture the detectors are
 * most of the work, and each thread's smaller working set misses the cache
 * less: two cores cut the time by about a third. Both threads read and
 * decode the input, so where ARP/ND is a small share of the traffic this
 * is slower. Opt-in (`--threads 2`).
 *
 * Which detectors can go (`offloadable` in detectors/index.ts): none of them
 * reads the binding table, and those that share a tracker go together.
 * Their findings are of their own kinds, so folding and the report order
 * come out as in one thread.
 */
import { Worker } from 'node:worker_threads';
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
