import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, haveCorpus, repoRoot } from '../../../test/corpus.js';
import { openCaptures, scanFrames } from '../../read.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import { Engine } from '../engine.js';
import type { FindingDraft } from '../finding.js';
import { probeConflictDetector } from './probe-conflict.js';

const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
const corpus = (name: string): string => join(corpusDir, 'public', name);

async function run(path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = probeConflictDetector): Promise<FindingDraft[]> {
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
