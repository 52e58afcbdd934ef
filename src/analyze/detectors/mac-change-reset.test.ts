import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, haveCorpus, repoRoot } from '../../../test/corpus.js';
import { openCaptures, scanFrames } from '../../read.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import { Engine } from '../engine.js';
import type { FindingDraft } from '../finding.js';
import { macChangeResetDetector } from './mac-change-reset.js';

const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
const corpus = (name: string): string => join(corpusDir, 'public', name);

async function run(path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = macChangeResetDetector): Promise<FindingDraft[]> {
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

describe('arp.mac-change-reset', () => {
  it('a gratuitous ARP moves the server IP to another box, which resets the flow', async () => {
    const d = await run(scenario('arp-mac-change-reset'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.mac-change-reset', severity: 'warning', ip: '192.0.2.100', count: 1 });
    expect(f.macs).toEqual(['02:00:00:11:00:51', '02:00:00:11:00:fa']);
    expect(f.details).toMatchObject({ resets: 1, new_mac: '02:00:00:11:00:fa', old_mac: '02:00:00:11:00:51', resets_from_new_mac: 1 });
    expect((f.details as { seconds_after_change: number }).seconds_after_change).toBeLessThan(0.1);
    expect(f.refs).toHaveLength(2);
  });

  // MAC changes without TCP resets are for other detectors.
  for (const name of [...HEALTHY, 'arp-flip-flop', 'arp-failover', 'arp-spoof', 'arp-flux']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.mac-change-reset on public captures', () => {
  for (const name of ['nobleprog-arp-poison.pcapng', 'sgr-na-arpSpoofing.pcap', 'libpcap-gateway_or_not.pcap']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
