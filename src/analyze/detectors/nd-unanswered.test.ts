import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { ndUnansweredDetector } from './nd-unanswered.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = ndUnansweredDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('nd.unanswered', () => {
  it('multicast NS for an address nobody holds', async () => {
    const d = await run(scenario('nd-unanswered'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'nd.unanswered', severity: 'warning', ip: '2001:db8:1::99', macs: ['02:00:00:15:00:0a'], count: 6 });
    expect(f.details).toMatchObject({ sources: ['2001:db8:1::10'] });
  });

  it('needs unansweredMin solicitations', async () => {
    const cfg = defaultConfig();
    cfg.unansweredMin = 7;
    expect(await run(scenario('nd-unanswered'), cfg)).toEqual([]);
  });

  // healthy-ipv6 has unanswered DAD probes and answered NS/NUD; nd-dad-conflict has a DAD probe.
  for (const name of [...HEALTHY, 'nd-dad-conflict', 'nd-rogue-ra']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('nd.unanswered on public captures', () => {
  it('quiet where solicitations are answered (forged NA included)', async () => {
    expect(await run(corpus('packetlife-ipv6_neighbor_spoofing.pcap'))).toEqual([]);
  });
});
