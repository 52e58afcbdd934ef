/**
 * Precision and recall on other people's real captures: every corpus
 * capture analyzes without an error, and the known cases are found.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../src/analyze/analyze.js';
import { defaultConfig } from '../src/analyze/config.js';
import { CaptureError } from '../src/errors.js';
import { corpusCaptures, corpusDir, corpusSkipReason, haveCorpus } from './corpus.js';

const known: [file: string, kind: string, ip?: string][] = [
  ['public/wiresharkwiki-arp-storm.pcap', 'arp.scan'],
  ['public/nobleprog-arp-poison.pcapng', 'arp.spoof'],
  ['public/chrissanders-arppoison.pcapng', 'arp.spoof'],
  ['public/sgr-na-arpSpoofing.pcap', 'arp.spoof'],
  ['public/nobleprog-arpsweep.pcapng', 'arp.scan'],
  ['public/nobleprog-arp-recon.pcapng', 'arp.scan'],
  ['public/sgr-hs-arpScan.pcap', 'arp.scan'],
  ['public/zeek-nmap-vsn.pcap', 'arp.scan'],
  ['public/packetlife-ipv6_neighbor_spoofing.pcap', 'nd.spoof', 'fe80::1'],
];

describe.skipIf(!haveCorpus)(`analyze on the corpus (${haveCorpus ? corpusDir : corpusSkipReason})`, () => {
  it('analyzes every capture without an error other than a named CaptureError', async () => {
    const failures: string[] = [];
    for (const f of corpusCaptures()) {
      try {
        await analyzeCaptures([{ path: join(corpusDir, f) }], defaultConfig());
      } catch (err) {
        // A capture that really is cut short may end in a CaptureError naming file and offset; anything else is a bug.
        if (!(err instanceof CaptureError)) failures.push(`${f}: ${(err as Error).stack}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  for (const [file, kind, ip] of known) {
    it(`${file}: ${kind}`, async () => {
      const r = await analyzeCaptures([{ path: join(corpusDir, file) }], defaultConfig());
      const hit = r.findings.find((x) => x.kind === kind && (ip === undefined || x.ip === ip));
      expect(hit, r.findings.map((x) => `${x.kind} ${x.ip}`).join('\n')).toBeDefined();
      expect(hit!.evidence.length).toBeGreaterThan(0);
    });
  }
});
