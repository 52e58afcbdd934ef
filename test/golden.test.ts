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
