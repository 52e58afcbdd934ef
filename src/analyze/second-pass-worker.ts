/** The second thread of a split analysis (second-pass.ts): one pass, its detectors, their drafts posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { skipForAnalysis } from '../decode/quick-reject.js';
import { CaptureError } from '../errors.js';
import { openCaptures, scanFrames } from '../read.js';
import { allDetectors } from './detectors/index.js';
import { Engine } from './engine.js';
import type { SecondPassJob } from './second-pass.js';

const job = workerData as SecondPassJob;
const engine = new Engine(job.config, job.detectors.map((i) => allDetectors[i]!), job.vantages, { bindings: false });
const reader = await openCaptures(job.paths);
try {
  await scanFrames(reader, (f, r) => engine.onFrame(f, r), { select: (f) => engine.wants(f), skip: skipForAnalysis });
} catch (err) {
  // The calling thread meets the same cut and reports it; the findings cover what came before.
  if (!(err instanceof CaptureError)) throw err;
} finally {
  reader.close();
}
engine.finish();
parentPort!.postMessage(engine.drafts);
