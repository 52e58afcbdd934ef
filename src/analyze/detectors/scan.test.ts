import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, handContext, HEALTHY, runDetector, scenario } from '../../../test/detector-harness.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { ArpEvent } from '../events.js';
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

describe('arp.scan, staged senders', () => {
  // What the detector must find for one sender, by brute force over its requests (time-ordered).
  function expected(reqs: { ts: number; tpa: number }[], min: number, win: number): { first: number; count: number; targets: number } | null {
    for (let n = 0; n < reqs.length; n++) {
      const inWindow = reqs.slice(0, n + 1).filter((r) => r.ts >= reqs[n]!.ts - win);
      if (new Set(inWindow.map((r) => r.tpa)).size < min) continue;
      const later = reqs.slice(n + 1);
      return { first: inWindow[0]!.ts, count: inWindow.length + later.length, targets: new Set([...inWindow, ...later].map((r) => r.tpa)).size };
    }
    return null;
  }

  it('finds the sweep exactly as a window per sender would, whatever led up to it', () => {
    const cfg = defaultConfig();
    let seed = 11;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let found = 0;
    for (let trial = 0; trial < 20; trial++) {
      const reqs: { ts: number; tpa: number }[] = [];
      let t = 1000;
      for (let k = 0; k < 300; k++) {
        // Quiet stretches, bursts of repeats, and bursts of new targets.
        const phase = (k + trial * 7) % 60;
        t += phase < 20 ? 0.5 + rnd() * 2 : 0.02 + rnd() * (trial % 2 === 0 ? 0.2 : 0.4);
        reqs.push({ ts: t, tpa: (0xc0a80000 + (phase < 20 + (trial % 5) ? Math.floor(rnd() * 6) : 100 + Math.floor(rnd() * 150))) >>> 0 });
      }
      const want = expected(reqs, cfg.scanMin, cfg.scanWindowS);
      const { ctx, drafts } = handContext(cfg);
      const { ipv4, macs } = ctx;
      const d = scanDetector(ctx);
      const sha = 0x020000000001;
      reqs.forEach((r, i) => {
        const e: ArpEvent = {
          input: 0, frame: i + 1, ts: r.ts, op: 1, sha, spa: 0xc0a80001, tha: 0, tpa: r.tpa, spaId: ipv4.intern(0xc0a80001), tpaId: ipv4.intern(r.tpa), shaId: macs.intern(sha),
          ethSrc: sha, ethDst: 0xffffffffffff, vlan: -1, gratuitous: false, probe: false, senderMismatch: false, broadcast: true, shaVirtual: false, ethSrcVirtual: false,
        };
        d.onArp!(e);
      });
      d.finish();
      if (want !== null) found++;
      if (want === null) expect(drafts).toEqual([]);
      else expect(drafts.map((x) => [x.first_ts, x.count, (x.details as { targets: number }).targets])).toEqual([[want.first, want.count, want.targets]]);
    }
    expect(found).toBeGreaterThan(5); // the trials do hold sweeps
  });
});
