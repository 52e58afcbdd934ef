import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { proxyDetector } from './proxy.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = proxyDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('arp.proxy', () => {
  it('router with proxy_arp answering for off-subnet targets of a /16 host: warning (inferred subnet)', async () => {
    const d = await run(scenario('arp-proxy'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f.kind).toBe('arp.proxy');
    expect(f.severity).toBe('warning');
    expect(f.ip).toBe('10.99.2.20');
    expect(f.ips).toEqual(['10.99.2.20', '10.99.2.21']);
    expect(f.macs).toEqual(['02:00:00:07:00:01']);
    expect(f.details).toMatchObject({ requester_subnet: '10.99.1.0/24', subnet_inferred: true, own_ips: ['10.99.1.1'], requesters: ['10.99.1.10'] });
    expect(f.refs.length).toBeGreaterThan(0);
  });

  it('uses --subnet when given', async () => {
    const cfg = defaultConfig();
    cfg.subnets = [{ net: 0x0a630100, mask: 0xffffff00, bits: 24, text: '10.99.1.0/24' }];
    const d = await run(scenario('arp-proxy'), cfg);
    expect(d[0]?.severity).toBe('warning');
    expect(d[0]?.details).toMatchObject({ subnet_inferred: false, requester_subnet: '10.99.1.0/24' });
  });

  it('a /16 subnet that holds every target: no wrong-mask symptom, and too few IPs for a notice', async () => {
    const cfg = defaultConfig();
    cfg.subnets = [{ net: 0x0a630000, mask: 0xffff0000, bits: 16, text: '10.99.0.0/16' }];
    expect(await run(scenario('arp-proxy'), cfg)).toEqual([]);
  });

  it('one MAC answering for many IPs without a subnet problem is a notice', async () => {
    const cfg = defaultConfig();
    cfg.proxyMin = 3;
    cfg.subnets = [{ net: 0x0a630000, mask: 0xffff0000, bits: 16, text: '10.99.0.0/16' }];
    const d = await run(scenario('arp-proxy'), cfg);
    expect(d.map((f) => [f.severity, f.ips.length])).toEqual([['notice', 3]]);
  });

  it('stays quiet on a virtual responder and on a multi-homed host (arp flux)', async () => {
    expect(await run(scenario('arp-virtual-responder'))).toEqual([]);
    expect(await run(scenario('arp-flux'))).toEqual([]);
  });

  for (const name of HEALTHY) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.proxy on public captures', () => {
  for (const name of ['nobleprog-arp-poison.pcapng', 'nobleprog-arpsweep.pcapng', 'wiresharkwiki-arp-storm.pcap', 'packetlife-arp_pcap.pcapng']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
