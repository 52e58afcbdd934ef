import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { spoofDetector } from './spoof.js';


const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = spoofDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);


describe('arp.spoof', () => {
  it('unsolicited unicast replies claiming the gateway: critical, legit and attacker MACs', async () => {
    const d = await run(scenario('arp-spoof'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'arp.spoof', severity: 'critical', ip: '192.0.2.1', ips: ['192.0.2.1'], count: 8 });
    expect(f.macs).toEqual(['02:00:00:10:00:01', '02:00:00:10:00:66']);
    expect(f.details).toMatchObject({ attacker: '02:00:00:10:00:66', legitimate: ['02:00:00:10:00:01'], victims: ['192.0.2.10'] });
  });

  // Failovers announce with gratuitous ARP; conflicts and flux answer requests: none of it is spoofing.
  const quiet = [...HEALTHY, 'arp-failover', 'arp-flip-flop', 'arp-conflict', 'arp-flux', 'arp-proxy', 'arp-gratuitous-storm',
    'arp-mac-change-reset', 'arp-virtual-responder', 'arp-probe-conflict', 'arp-scan', 'arp-sender-mismatch', 'arp-slow-reply', 'arp-unanswered'];
  for (const name of quiet) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('arp.spoof on public captures', () => {
  it('nobleprog-arp-poison: both directions of a MITM', async () => {
    const d = await run(corpus('nobleprog-arp-poison.pcapng'));
    expect(d.map((f) => [f.ip, f.macs])).toEqual([
      ['192.168.1.103', ['00:d0:59:12:9b:01', '00:d0:59:aa:af:80']],
      ['192.168.1.1', ['00:20:78:d9:0d:db', '00:d0:59:aa:af:80']],
    ]);
  });

  it('sgr-na-arpSpoofing: the victims\' real bindings come from the forged replies\' target fields', async () => {
    const d = await run(corpus('sgr-na-arpSpoofing.pcap'));
    expect(d.map((f) => [f.ip, f.macs]).sort()).toEqual([
      ['10.0.0.153', ['00:e0:4d:3c:25:7b', 'dc:f5:05:75:0b:cd']],
      ['10.0.0.157', ['00:e0:4d:3c:25:7b', 'b0:7f:b9:4e:f0:9c']],
    ]);
  });

  it('chrissanders-arppoison: the claimant later asks who has the address it claimed', async () => {
    const d = await run(corpus('chrissanders-arppoison.pcapng'));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ ip: '172.16.0.1', macs: ['00:25:b3:bf:91:ee'] });
    expect(d[0]!.details).toMatchObject({ asked_back: 1, attacker_ips: ['172.16.0.105'] });
  });

  for (const name of ['chrissanders-arp_gratuitous.pcapng', 'packetlife-gratuitous_arp_hsrp.pcap', 'wiresharkwiki-arp-storm.pcap', 'nobleprog-arpsweep.pcapng', 'packetlife-arp_pcap.pcapng']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(corpus(name))).toEqual([]);
    });
  }
});
