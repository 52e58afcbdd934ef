import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { scanDetector } from './scan.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = scanDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('arp.scan', () => {
  it('arp-scan over a /24', async () => {
    const d = await run(scenario('arp-scan'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.scan', severity: 'notice', ip: '198.51.100.5', macs: ['02:00:00:14:00:5c'] });
    expect(f.details).toMatchObject({ targets: 255, range: '198.51.100.0 - 198.51.100.255', alive: 3 });
    expect((f.details as { rate_per_s: number }).rate_per_s).toBeGreaterThan(100);
  });

  it('below the threshold stays quiet', async () => {
    const cfg = defaultConfig();
    cfg.scanMin = 300;
    expect(await run(scenario('arp-scan'), cfg)).toEqual([]);
  });

  for (const name of [...HEALTHY, 'arp-unanswered', 'arp-gratuitous-storm']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.scan on public captures', () => {
  const cases: [string, string, string, number][] = [
    ['nobleprog-arpsweep.pcapng', '192.168.0.102', '00:13:ce:46:9c:c0', 251],
    ['nobleprog-arp-recon.pcapng', '10.64.44.20', '00:10:4b:de:42:c2', 155],
    ['sgr-hs-arpScan.pcap', '10.0.0.128', '00:0c:29:20:a8:7f', 255],
    ['zeek-nmap-vsn.pcap', '192.168.1.71', 'c4:2c:03:3b:6c:aa', 245],
  ];
  for (const [name, ip, m, targets] of cases) {
    it(name, async () => {
      const d = await run(corpus(name));
      expect(d.map((f) => [f.ip, f.macs])).toEqual([[ip, [m]]]);
      expect(d[0]!.details).toMatchObject({ targets });
    });
  }

  it('quiet on ordinary resolution', async () => {
    expect(await run(corpus('packetlife-arp_pcap.pcapng'))).toEqual([]);
    expect(await run(corpus('nobleprog-arp-poison.pcapng'))).toEqual([]);
  });
});
