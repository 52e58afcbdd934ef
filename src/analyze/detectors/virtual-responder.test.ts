import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, haveCorpus, repoRoot } from '../../../test/corpus.js';
import { openCaptures, scanFrames } from '../../read.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import { Engine } from '../engine.js';
import type { FindingDraft } from '../finding.js';
import { virtualResponderDetector } from './virtual-responder.js';

const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
const corpus = (name: string): string => join(corpusDir, 'public', name);

async function run(path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = virtualResponderDetector): Promise<FindingDraft[]> {
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

const HEALTHY = ['healthy-ipv4', 'healthy-ipv6', 'healthy-metallb-failover', 'healthy-kubevip-garp', 'healthy-vrrp'];

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
