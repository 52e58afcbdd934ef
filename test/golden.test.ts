/**
 * The golden list: for every filtered reference made by tcpdump 4.99.3
 * (`TZ=UTC tcpdump -n [-e] -r FILE <ARP/RARP/ND at any VLAN depth>`),
 * `arpscope read -n [-e] FILE` must print byte-identical text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRead } from '../src/cli/read.js';
import { corpusDir, corpusSkipReason, haveCorpus, referenceCases } from './corpus.js';

process.env['TZ'] = 'UTC';

export async function readText(file: string, eflag: boolean, extra: Partial<Parameters<typeof runRead>[0]> = {}): Promise<string> {
  let text = '';
  await runRead(
    { inputs: [file], filter: '', eflag, vflag: 0, tflag: 0, numbers: false, nano: false, count: 0, ...extra },
    { write: (s) => (text += s), flush: () => {} },
  );
  return text;
}

describe.skipIf(!haveCorpus)(`golden: tcpdump 4.99.3 references (${haveCorpus ? 'corpus found' : corpusSkipReason})`, () => {
  const cases = referenceCases().filter((c) => c.filtered);
  it('has the 150 filtered references', () => {
    expect(cases.length).toBe(150);
  });
  for (const c of cases) {
    it(`${c.ref}`, async () => {
      const expected = readFileSync(join(corpusDir, 'reference', c.ref), 'utf8');
      const actual = await readText(join(corpusDir, c.file), c.eflag);
      expect(actual).toBe(expected);
    });
  }
});

describe.skipIf(!haveCorpus)('golden: selection of frames with a bad IPv6 version (as tcpdump -n [-e] with the reference filter)', () => {
  // Made with tcpdump 4.99.3: TZ=UTC tcpdump -n [-e] -r tcpdump-tests/ipv6-bad-version.pcap 'arp or rarp or (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)'
  const expected = [
    '15:15:01.278565 IP6 :: > ff02::1:ff76:6c14: ICMP6, neighbor solicitation, who has fe80::20c:29ff:fe76:6c14, length 24',
    '15:15:01.279230 IP6 version error: 0 != 6',
    '15:15:02.391170 IP6 :: > ff02::1:ff76:6c14: ICMP6, neighbor solicitation, who has 1111:2222:3333:4444:20c:29ff:fe76:6c14, length 24',
    '15:15:02.391739 IP6 version error: 0 != 6',
  ].join('\n') + '\n';
  it('prints the version-0 frames that the reference filter selects', async () => {
    expect(await readText(join(corpusDir, 'tcpdump-tests/ipv6-bad-version.pcap'), false)).toBe(expected);
  });
});
