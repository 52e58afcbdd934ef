import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { ndDadConflictDetector } from './nd-dad-conflict.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = ndDadConflictDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('nd.dad-conflict', () => {
  it('DAD probe answered by the current holder', async () => {
    const d = await run(scenario('nd-dad-conflict'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'nd.dad-conflict', severity: 'critical', ip: '2001:db8:1::20', count: 1 });
    expect(f.macs).toEqual(['02:00:00:16:00:0a', '02:00:00:16:00:0b']);
    expect(f.details).toMatchObject({ defenders: ['02:00:00:16:00:0b'], probers: ['02:00:00:16:00:0a'] });
    expect(f.refs).toHaveLength(2);
  });

  // Unanswered DAD probes (hosts coming up) are the normal case.
  for (const name of [...HEALTHY, 'nd-rogue-ra', 'nd-unanswered']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('nd.dad-conflict on public captures', () => {
  it('a forged NA without a DAD probe is not a DAD conflict', async () => {
    expect(await run(corpus('packetlife-ipv6_neighbor_spoofing.pcap'))).toEqual([]);
  });
});
