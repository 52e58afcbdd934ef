/** Shared by the detector unit tests: run detectors over a real capture and get their drafts. */
import { join } from 'node:path';
import { openCaptures, scanFrames } from '../src/read.js';
import { defaultConfig, type AnalyzeConfig } from '../src/analyze/config.js';
import type { DetectorFactory } from '../src/analyze/detector.js';
import { Engine } from '../src/analyze/engine.js';
import type { FindingDraft } from '../src/analyze/finding.js';
import { corpusDir, repoRoot } from './corpus.js';

export const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
export const corpus = (name: string): string => join(corpusDir, 'public', name);

/** Captures of normal traffic on which no detector may warn. */
export const HEALTHY = ['healthy-ipv4', 'healthy-ipv6', 'healthy-metallb-failover', 'healthy-kubevip-garp', 'healthy-vrrp'];

export async function runDetector(path: string, det: DetectorFactory, config: AnalyzeConfig = defaultConfig()): Promise<FindingDraft[]> {
  const engine = new Engine(config, [det]);
  const reader = await openCaptures([path]);
  try {
    await scanFrames(reader, (f, r) => engine.onFrame(f, r), { select: (f) => engine.wants(f) });
  } finally {
    reader.close();
  }
  engine.finish();
  return engine.drafts;
}
