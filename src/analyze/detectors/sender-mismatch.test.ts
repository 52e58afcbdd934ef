import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, haveCorpus, repoRoot } from '../../../test/corpus.js';
import { openCaptures, scanFrames } from '../../read.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import { Engine } from '../engine.js';
import type { FindingDraft } from '../finding.js';
import { senderMismatchDetector } from './sender-mismatch.js';

const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
const corpus = (name: string): string => join(corpusDir, 'public', name);

async function run(path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = senderMismatchDetector): Promise<FindingDraft[]> {
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

describe('arp.sender-mismatch', () => {
  it('replies whose Ethernet source is not the ARP sender: one finding for the pair', async () => {
    const d = await run(scenario('arp-sender-mismatch'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.sender-mismatch', severity: 'notice', ip: '192.0.2.80', ips: ['192.0.2.80'], count: 3 });
    expect(f.macs).toEqual(['02:00:00:08:00:21', '02:00:00:08:00:22']);
    expect(f.details).toMatchObject({ ethernet_src: '02:00:00:08:00:21', arp_sha: '02:00:00:08:00:22', replies: 3 });
    expect(f.refs).toHaveLength(3);
  });

  for (const name of [...HEALTHY, 'arp-spoof', 'arp-virtual-responder']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.sender-mismatch on public captures', () => {
  for (const name of ['nobleprog-arp-poison.pcapng', 'sgr-na-arpSpoofing.pcap', 'packetlife-gratuitous_arp_hsrp.pcap', 'zeek-arp-leak.pcap']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
