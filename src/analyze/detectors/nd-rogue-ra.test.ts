import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { ndRogueRaDetector } from './nd-rogue-ra.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = ndRogueRaDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('nd.rogue-ra', () => {
  it('a second radvd: one warning naming the newcomer, listing both routers', async () => {
    const d = await run(scenario('nd-rogue-ra'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'nd.rogue-ra', severity: 'warning', ip: 'fe80::ff:fe17:66' });
    expect(f.ips).toEqual(['fe80::ff:fe17:1', 'fe80::ff:fe17:66']);
    expect(f.macs).toEqual(['02:00:00:17:00:01', '02:00:00:17:00:66']);
    expect(f.details).toMatchObject({ rogue: ['fe80::ff:fe17:66'] });
  });

  it('trusted routers: only the untrusted one is rogue', async () => {
    const cfg = defaultConfig();
    cfg.trustedRouters = new Set(['fe80::ff:fe17:1']);
    const d = await run(scenario('nd-rogue-ra'), cfg);
    expect(d.map((f) => f.ip)).toEqual(['fe80::ff:fe17:66']);
    cfg.trustedRouters = new Set(['fe80::ff:fe17:1', '02:00:00:17:00:66']);
    expect(await run(scenario('nd-rogue-ra'), cfg)).toEqual([]);
  });

  it('a single router not in the trusted set is reported', async () => {
    const cfg = defaultConfig();
    cfg.trustedRouters = new Set(['fe80::1']);
    const d = await run(scenario('healthy-ipv6'), cfg);
    expect(d.map((f) => [f.ip, f.macs])).toEqual([['fe80::ff:fe19:1', ['02:00:00:19:00:01']]]);
  });

  for (const name of [...HEALTHY, 'nd-dad-conflict', 'nd-unanswered']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('nd.rogue-ra on public captures', () => {
  it('one router advertising stays quiet', async () => {
    expect(await run(corpus('zeek-icmp6-router-advert.pcap'))).toEqual([]);
    expect(await run(corpus('pcap4j-IcmpV6RouterAdvertisementPacketTest.pcap'))).toEqual([]);
  });
});
