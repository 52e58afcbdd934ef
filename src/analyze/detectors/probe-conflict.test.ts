import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { probeConflictDetector } from './probe-conflict.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = probeConflictDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('arp.probe-conflict', () => {
  it('RFC 5227 probes answered by the owner', async () => {
    const d = await run(scenario('arp-probe-conflict'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.probe-conflict', severity: 'warning', ip: '192.0.2.120', count: 3 });
    expect(f.macs).toEqual(['02:00:00:13:00:70', '02:00:00:13:00:71']);
    expect(f.details).toMatchObject({ probes: 3, defenders: ['02:00:00:13:00:71'], probers: ['02:00:00:13:00:70'] });
  });

  for (const name of [...HEALTHY, 'arp-unanswered', 'arp-conflict', 'arp-failover']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.probe-conflict on public captures', () => {
  // Boot-time probes that nobody answers are the normal case.
  for (const name of ['nobleprog-arp-bootup.pcapng', 'chrissanders-arp_gratuitous.pcapng', 'packetlife-arp_pcap.pcapng']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
