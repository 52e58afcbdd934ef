/**
 * Property test: mutated real captures (truncated, bit-flipped, length
 * fields overwritten) never make the readers, decoders or printers throw
 * anything but a CaptureError, and never hang. Deterministic (seeded).
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../src/capture/open.js';
import { CaptureError } from '../src/errors.js';
import { FramePrinter } from '../src/print/frame.js';
import { scanFrames } from '../src/read.js';
import { corpusCaptures, corpusDir, haveCorpus, repoRoot } from './corpus.js';

/** xorshift32: reproducible mutations. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function mutate(data: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(data);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return out.subarray(0, Math.floor(rand() * out.length));
  const n = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const at = 24 + Math.floor(rand() * Math.max(1, out.length - 28));
    if (at >= out.length) continue;
    if (kind === 1) out[at]! ^= 1 << Math.floor(rand() * 8);
    else if (kind === 2 && at + 4 <= out.length) out.writeUInt32LE([0, 0xffffffff, 0xff, 0x10000, Math.floor(rand() * 0x1000)][i % 5]!, at);
    else out[at] = [0, 0xff, 0x06, 0x04, 0x01][i % 5]!;
  }
  return out;
}

async function exercise(path: string): Promise<void> {
  const printers = [0, 1, 2, 3].map((v) => new FramePrinter({ eflag: v % 2 === 1, vflag: v, tflag: v, numbers: v === 3, nano: v === 2 }));
  const reader = await openCapture(path);
  let n = 0;
  try {
    await scanFrames(
      reader,
      (f, r) => {
        for (const p of printers) p.format(r, ++n);
        return n < 20000;
      },
      { select: () => true },
    );
  } finally {
    reader.close();
  }
}

const inputs = [join(repoRoot, 'samples', 'sample.pcap'), join(repoRoot, 'test', 'fixtures', 'sample.pcapng')];
if (haveCorpus) for (const f of corpusCaptures()) inputs.push(join(corpusDir, f));

describe(`fuzz: mutated captures (${inputs.length} seeds${haveCorpus ? '' : ', corpus absent: repo fixtures only'})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-fuzz-'));
  const rand = rng(0xa59);
  const perFile = haveCorpus ? 6 : 60;
  it('never throws anything but CaptureError', async () => {
    let mutated = 0;
    for (const input of inputs) {
      const data = readFileSync(input);
      for (let i = 0; i < perFile; i++) {
        const path = join(dir, `m${mutated++}.bin`);
        writeFileSync(path, mutate(data, rand));
        try {
          await exercise(path);
        } catch (err) {
          if (!(err instanceof CaptureError)) {
            throw new Error(`${input} mutation ${i} (${path}): ${(err as Error).stack ?? String(err)}`);
          }
        }
      }
    }
    expect(mutated).toBeGreaterThan(0);
  }, 120_000);
});
