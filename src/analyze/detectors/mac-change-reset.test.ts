import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { macChangeResetDetector } from './mac-change-reset.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = macChangeResetDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


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
