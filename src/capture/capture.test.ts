/**
 * Reader tests on real captures: every format variant yields the same
 * records; input split at every byte offset parses identically; truncation
 * and corruption give a CaptureError naming the byte offset.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../errors.js';
import { openCapture } from './open.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import type { CaptureReader } from './record.js';
import { ByteWindow, FileSource, StreamSource } from './window.js';
import { MergedReader } from './merge.js';

const repo = join(import.meta.dirname, '..', '..');
const samplePcap = join(repo, 'samples', 'sample.pcap');
const samplePcapng = join(repo, 'test', 'fixtures', 'sample.pcapng');

interface Rec {
  frame: number;
  sec: number;
  nsec: number;
  caplen: number;
  wire: number;
  link: number;
  hex: string;
}

async function drain(r: CaptureReader, limit = 1e6): Promise<Rec[]> {
  const out: Rec[] = [];
  for (;;) {
    if (r.next()) {
      const x = r.record;
      out.push({ frame: x.frame, sec: x.tsSec, nsec: x.tsNsec, caplen: x.caplen, wire: x.wireLen, link: x.linkType, hex: x.buf.toString('hex', x.off, x.off + x.caplen) });
      if (out.length >= limit) break;
      continue;
    }
    if (!(await r.fill())) break;
  }
  r.close();
  return out;
}

/** A reader over `data` delivered in the given chunk sizes. */
function chunkedReader(data: Buffer, cuts: number[], ng: boolean, windowSize?: number): CaptureReader {
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    if (c > prev) chunks.push(data.subarray(prev, c));
    prev = c;
  }
  const src = new StreamSource((async function* () { yield* chunks; })());
  const w = new ByteWindow(src, 64 << 20, windowSize);
  return ng ? new PcapngReader('chunks', w) : new PcapReader('chunks', w);
}

function tmp(name: string, data: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-cap-'));
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Rewrites a little-endian microsecond pcap as big-endian and/or nanosecond. */
function convertPcap(le: Buffer, bigEndian: boolean, nano: boolean): Buffer {
  const out = Buffer.from(le);
  const w32 = (o: number, v: number) => (bigEndian ? out.writeUInt32BE(v >>> 0, o) : out.writeUInt32LE(v >>> 0, o));
  const w16 = (o: number, v: number) => (bigEndian ? out.writeUInt16BE(v, o) : out.writeUInt16LE(v, o));
  w32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4);
  w16(4, le.readUInt16LE(4));
  w16(6, le.readUInt16LE(6));
  for (const o of [8, 12, 16, 20]) w32(o, le.readUInt32LE(o));
  let o = 24;
  while (o + 16 <= le.length) {
    const incl = le.readUInt32LE(o + 8);
    w32(o, le.readUInt32LE(o));
    w32(o + 4, nano ? le.readUInt32LE(o + 4) * 1000 : le.readUInt32LE(o + 4));
    w32(o + 8, incl);
    w32(o + 12, le.readUInt32LE(o + 12));
    o += 16 + incl;
  }
  return out;
}

describe('capture readers on the bundled sample', async () => {
  const base = await drain(await openCapture(samplePcap));

  it('reads every record of the classic pcap', () => {
    expect(base.length).toBe(400);
    expect(base[0]!.frame).toBe(1);
    expect(base.at(-1)!.frame).toBe(400);
  });

  it('reads the same records from pcapng, big-endian, nanosecond and gzip variants', async () => {
    const le = readFileSync(samplePcap);
    const variants: [string, Buffer][] = [
      ['be.pcap', convertPcap(le, true, false)],
      ['ns.pcap', convertPcap(le, false, true)],
      ['be-ns.pcap', convertPcap(le, true, true)],
      ['sample.pcap.gz', gzipSync(le)],
      ['sample.pcapng.gz', gzipSync(readFileSync(samplePcapng))],
    ];
    expect(await drain(await openCapture(samplePcapng))).toEqual(base);
    for (const [name, data] of variants) {
      expect(await drain(await openCapture(tmp(name, data))), name).toEqual(base);
    }
  });

  it('parses identically when the input is split at every byte offset', async () => {
    for (const [file, ng] of [[samplePcap, false], [samplePcapng, true]] as const) {
      const data = readFileSync(file).subarray(0, 3000);
      const whole = await drain(chunkedReader(data, [], ng)).catch((e: unknown) => e);
      for (let cut = 1; cut < data.length; cut++) {
        const split = await drain(chunkedReader(data, [cut], ng)).catch((e: unknown) => e);
        if (whole instanceof CaptureError) {
          expect(split).toBeInstanceOf(CaptureError);
          expect((split as CaptureError).message).toBe(whole.message);
        } else expect(split).toEqual(whole);
      }
    }
  });

  it('handles records larger than the initial window', async () => {
    const data = readFileSync(samplePcap);
    expect(await drain(chunkedReader(data, [7, 100, 101], false, 64))).toEqual(base);
  });

  it('merges several inputs by timestamp and keeps each frame number', async () => {
    const a = await openCapture(samplePcap, 0);
    const b = await openCapture(samplePcapng, 1);
    const m = new MergedReader([a, b]);
    const seen: [number, number, number][] = [];
    for (;;) {
      if (m.next()) {
        seen.push([m.record.input, m.record.frame, m.record.tsSec * 1e9 + m.record.tsNsec]);
        continue;
      }
      if (!(await m.fill())) break;
    }
    expect(seen.length).toBe(800);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![2]).toBeGreaterThanOrEqual(seen[i - 1]![2]);
    expect(seen.filter((s) => s[0] === 1).map((s) => s[1])).toEqual(base.map((r) => r.frame));
  });
});

describe('seeking to a record seen before', () => {
  /** (frame, offset) of every record, read straight through. */
  async function offsets(path: string): Promise<[number, number][]> {
    const r = await openCapture(path);
    const out: [number, number][] = [];
    for (;;) {
      if (r.next()) out.push([r.record.frame, r.record.fileOffset]);
      else if (!(await r.fill())) break;
    }
    r.close();
    return out;
  }

  /** Reads one record after seek(offset, frame): what the evidence pass does. */
  async function readAt(r: CaptureReader, offset: number, frame: number): Promise<Rec | null> {
    if (!r.seek!(offset, frame)) return null;
    for (;;) {
      if (r.next()) {
        const x = r.record;
        return { frame: x.frame, sec: x.tsSec, nsec: x.tsNsec, caplen: x.caplen, wire: x.wireLen, link: x.linkType, hex: x.buf.toString('hex', x.off, x.off + x.caplen) };
      }
      if (!(await r.fill())) return null;
    }
  }

  it('lands on the same record, forwards and backwards, in and outside the held bytes', async () => {
    const base = await drain(await openCapture(samplePcap));
    const at = await offsets(samplePcap);
    // A window of 4 KiB: most jumps leave the bytes held and read from the file again.
    const r = new PcapReader('small', new ByteWindow(new FileSource(samplePcap), 64 << 20, 4096));
    expect(r.seek(at[5]![1], 6)).toBe(false); // before the file header is read
    for (;;) if (r.next() || !(await r.fill())) break;
    for (const i of [399, 3, 250, 251, 0, 120, 399, 398]) {
      expect(await readAt(r, at[i]![1], at[i]![0]), `record ${i + 1}`).toEqual(base[i]);
    }
    r.close();
  });

  it('refuses offsets it cannot reach in a stream, and reads on unharmed', async () => {
    const data = readFileSync(samplePcap);
    const r = await openCapture(tmp('s.pcap.gz', gzipSync(data)));
    const at = await offsets(samplePcap);
    expect(r.next() || ((await r.fill()) && r.next())).toBe(true);
    // Offsets among the bytes held are reached (forwards and back); one past them is not.
    expect(r.seek!(at[1]![1], 2)).toBe(true);
    expect(r.next() && r.record.frame).toBe(2);
    expect(r.seek!(at[0]![1], 1)).toBe(true);
    expect(r.next() && r.record.frame).toBe(1);
    expect(r.seek!(data.length + 100, 999)).toBe(false);
    expect(r.next() && r.record.frame).toBe(2);
    r.close();
  });
});

describe('progress', () => {
  /** `fraction` after each fill until the end. */
  async function fractions(r: CaptureReader): Promise<number[]> {
    const seen = [r.fraction];
    for (;;) {
      if (r.next()) continue;
      if (!(await r.fill())) break;
      seen.push(r.fraction);
    }
    seen.push(r.fraction);
    r.close();
    return seen;
  }

  it('goes from 0 to 1 through a plain file and through a .gz file by its compressed bytes', async () => {
    // Several reads of either: the sample, then 3,000 frames of 1,500 random bytes (they do not compress).
    const filler = Array.from({ length: 3000 }, () => {
      const r = randomBytes(16 + 1500);
      r.writeUInt32LE(1500, 8);
      r.writeUInt32LE(1500, 12);
      return r;
    });
    const big = Buffer.concat([readFileSync(samplePcap), ...filler]);
    for (const file of [tmp('big.pcap', big), tmp('big.pcap.gz', gzipSync(big))]) {
      const seen = await fractions(await openCapture(file));
      expect(seen.at(-1), file).toBe(1);
      expect(seen.some((f) => f > 0 && f < 1), file).toBe(true);
      expect([...seen].sort((a, b) => a - b), file).toEqual(seen);
    }
  });

  it('is unknown (-1) on a stream of unknown size, and the mean of merged inputs', async () => {
    const stream = new PcapReader('<stdin>', new ByteWindow(new StreamSource((async function* () { yield readFileSync(samplePcap); })())));
    expect(new Set(await fractions(stream))).toEqual(new Set([-1]));
    const merged = await fractions(new MergedReader([await openCapture(samplePcap), await openCapture(samplePcap, 1)]));
    expect(merged.at(-1)).toBe(1);
  });
});

describe('bad input', () => {
  const le = readFileSync(samplePcap);

  it('names the byte offset of a record cut short', async () => {
    const cut = tmp('cut.pcap', le.subarray(0, 24 + 16 + 20));
    const r = await openCapture(cut);
    const err = await drain(r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as Error).message).toMatch(/cut\.pcap: input ends inside a record \(36 of \d+ bytes\) at byte offset 24$/);
  });

  it('delivers every complete record before the error', async () => {
    const second = 24 + 16 + le.readUInt32LE(24 + 8);
    const r = await openCapture(tmp('cut2.pcap', le.subarray(0, second + 5)));
    expect(r.next()).toBe(true);
    expect(r.record.frame).toBe(1);
    expect(r.next()).toBe(false);
    await expect(r.fill()).rejects.toThrow(`at byte offset ${second}`);
  });

  it('rejects a bad magic, an empty file and a huge record length', async () => {
    await expect(openCapture(tmp('junk.pcap', Buffer.from('hello world, not a capture')))).rejects.toThrow(/not a pcap or pcapng capture/);
    await expect(openCapture(tmp('empty.pcap', Buffer.alloc(0)))).rejects.toThrow(/empty input/);
    const huge = Buffer.from(le.subarray(0, 24 + 16 + 60));
    huge.writeUInt32LE(0x7fffffff, 24 + 8);
    await expect(drain(await openCapture(tmp('huge.pcap', huge)))).rejects.toThrow(/captured length 2147483647 is bigger than the maximum of 262144 at byte offset 24/);
  });

  it('rejects a pcapng block whose length is not a multiple of 4 or is huge', async () => {
    const ng = Buffer.from(readFileSync(samplePcapng));
    const shbLen = ng.readUInt32LE(4);
    const bad = Buffer.from(ng);
    bad.writeUInt32LE(0x7ffffff0, shbLen + 4);
    await expect(drain(await openCapture(tmp('huge.pcapng', bad)))).rejects.toThrow(`at byte offset ${shbLen}`);
    const odd = Buffer.from(ng);
    odd.writeUInt32LE(13, shbLen + 4);
    await expect(drain(await openCapture(tmp('odd.pcapng', odd)))).rejects.toThrow(/invalid pcapng block length 13/);
  });

  it('reports a missing file and a truncated gzip', async () => {
    await expect(openCapture('/nonexistent/x.pcap')).rejects.toThrow('/nonexistent/x.pcap: cannot open: no such file');
    const gz = gzipSync(le);
    const r = await openCapture(tmp('cut.pcap.gz', gz.subarray(0, gz.length - 100)));
    await expect(drain(r)).rejects.toThrow(/gzip|input ends/);
  });
});
