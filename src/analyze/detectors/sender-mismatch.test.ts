import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { senderMismatchDetector } from './sender-mismatch.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = senderMismatchDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


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
