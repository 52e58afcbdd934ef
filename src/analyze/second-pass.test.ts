/**
 * splitPays (--threads auto) on captures made of the bundled incident
 * capture's own records: its ARP frames repeated, with or without other
 * traffic between them, so the estimate's scaling and both limits are
 * checked against known counts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/corpus.js';
import { splitPays } from './second-pass.js';

const dir = mkdtempSync(join(tmpdir(), 'arpscope-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const incident = readFileSync(join(repoRoot, 'samples', 'incident.pcap'));
/** The incident capture's ARP records (classic little-endian pcap: 16-byte header, then the frame). */
const records: Buffer[] = [];
for (let o = 24; o + 16 <= incident.length; ) {
  const end = o + 16 + incident.readUInt32LE(o + 8);
  if (incident.readUInt16BE(o + 16 + 12) === 0x0806) records.push(incident.subarray(o, end));
  o = end;
}

/** A 60-byte IPv4/UDP frame as a record: traffic analyze skips. */
function otherRecord(): Buffer {
  const r = Buffer.alloc(16 + 60);
  r.writeUInt32LE(60, 8);
  r.writeUInt32LE(60, 12);
  r.writeUIntBE(0x020000000001, 16, 6);
  r.writeUIntBE(0x020000000002, 22, 6);
  r.writeUInt16BE(0x0800, 28);
  r[30] = 0x45;
  r[39] = 17;
  return r;
}

/** `n` of the incident's ARP records in turn, each followed by `others` other frames. */
function capture(name: string, n: number, others = 0): string {
  const other = otherRecord();
  const parts: Buffer[] = [incident.subarray(0, 24)];
  for (let i = 0; i < n; i++) {
    parts.push(records[i % records.length]!);
    for (let k = 0; k < others; k++) parts.push(other);
  }
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

const twoCores = availableParallelism() >= 2;

describe('splitPays', () => {
  it('has ARP records to build from', () => expect(records.length).toBeGreaterThan(300));

  it('keeps a small capture in one thread', async () => {
    expect(await splitPays([join(repoRoot, 'samples', 'incident.pcap')])).toBe(false);
  });

  it.skipIf(!twoCores)('scales the first records to the file: 40,000 ARP frames pass a 30,000 limit the sample alone does not', async () => {
    const file = capture('dense.pcap', 40_000);
    expect(await splitPays([file], { frames: 30_000, share: 0.1 })).toBe(true);
    expect(await splitPays([file], { frames: 50_000, share: 0.1 })).toBe(false);
    // Two inputs add up.
    expect(await splitPays([file, file], { frames: 70_000, share: 0.1 })).toBe(true);
  });

  it.skipIf(!twoCores)('wants ARP/ND to be a large enough share of the records', async () => {
    const sparse = capture('sparse.pcap', 4_000, 19); // 5 %
    expect(await splitPays([sparse], { frames: 3_000, share: 0.1 })).toBe(false);
    expect(await splitPays([sparse], { frames: 3_000, share: 0.04 })).toBe(true);
  });

  it('counts a compressed input only as far as the sample reaches, and a broken one as no', async () => {
    const gz = join(dir, 'dense.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(capture('dense2.pcap', 40_000))));
    expect(await splitPays([gz], { frames: 30_000, share: 0.1 })).toBe(false);
    expect(await splitPays([gz], { frames: 3_000, share: 0.1 })).toBe(twoCores);
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, Buffer.from('not a capture at all'));
    expect(await splitPays([junk], { frames: 0, share: 0 })).toBe(false);
  });
});
