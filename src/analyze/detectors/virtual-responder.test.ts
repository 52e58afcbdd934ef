import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { virtualResponderDetector } from './virtual-responder.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = virtualResponderDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('arp.virtual-responder', () => {
  it('the Antrea virtual MAC answering for remote gateways: one info finding listing them', async () => {
    const d = await run(scenario('arp-virtual-responder'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.virtual-responder', severity: 'info', ip: '10.99.2.1', macs: ['aa:bb:cc:dd:ee:ff'], count: 4 });
    expect(f.ips).toEqual(['10.99.0.1', '10.99.2.1']);
  });

  it('only configured virtual MACs', async () => {
    const cfg = defaultConfig();
    cfg.virtualMacs = new Set();
    expect(await run(scenario('arp-virtual-responder'), cfg)).toEqual([]);
  });

  for (const name of [...HEALTHY, 'arp-proxy']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.virtual-responder on public captures', () => {
  for (const name of ['nobleprog-arp-poison.pcapng', 'packetlife-arp_pcap.pcapng', 'zeek-arp-leak.pcap']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
