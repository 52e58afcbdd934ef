/**
 * Differential test of the byte-level fast path: on every frame of every
 * capture we have (the shared corpus when present, the repo's samples and
 * fixtures), on synthesized frames (all ARP ops and odd headers, VLAN
 * stacks, every IPv6 zero-group pattern) and on mutated frames (bit flips,
 * truncation, odd lengths, odd timestamps), at every -e / -t / -# / --nano
 * combination, FastPrinter + FramePrinter must write exactly the text
 * FramePrinter alone writes. A frame the fast path takes must also be one
 * the default selection takes.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../capture/record.js';
import { FrameView } from '../decode/frame.js';
import '../decode/links.js';
import { Output } from '../cli/output.js';
import { runRead, type ReadOptions, type Sink } from '../cli/read.js';
import { compileFilter } from '../filter/index.js';
import { openCaptures, scanFrames, selectArpNd } from '../read.js';
import { captureFiles, captureRecords, haveCorpus } from '../../test/corpus.js';
import { notArpNd } from '../decode/quick-reject.js';
import { FastPrinter, MAX_TAGS, type ByteSink } from './fast.js';
import { FramePrinter, type FramePrintOptions } from './frame.js';

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

function record(bytes: Uint8Array, over: Partial<PacketRecord> = {}, lead = 0): PacketRecord {
  // The frame sits at an offset inside a larger buffer, as in a read window.
  const buf = Buffer.alloc(lead + bytes.length + 8, 0xee);
  buf.set(bytes, lead);
  return {
    buf, off: lead, caplen: bytes.length, wireLen: bytes.length, tsSec: 1_700_000_000, tsNsec: 123_456_000,
    linkType: 1, ifIndex: 0, ifName: '', frame: 0, input: 0, fileOffset: 0, ...over,
  };
}

// ---------------------------------------------------------------------------
// Synthesized frames

const MAC_A = [0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e];
const MAC_B = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function ether(dst: number[], src: number[], tags: [number, number][], et: number, payload: number[]): Uint8Array {
  const b: number[] = [...dst, ...src];
  for (const [tpid, tci] of tags) b.push(tpid >> 8, tpid & 255, tci >> 8, tci & 255);
  b.push(et >> 8, et & 255, ...payload);
  return Uint8Array.from(b);
}

function arp(hrd: number, pro: number, hln: number, pln: number, op: number, rand: () => number): number[] {
  const b = [hrd >> 8, hrd & 255, pro >> 8, pro & 255, hln, pln, op >> 8, op & 255];
  for (let i = 0; i < 2 * hln + 2 * pln; i++) b.push(Math.floor(rand() * 256));
  return b;
}

function ip6Nd(type: number, groups: number[][], payloadLen: number, rand: () => number): number[] {
  const addr = (): number[] => {
    const g = groups[Math.floor(rand() * groups.length)]!;
    return g.flatMap((w) => [w >> 8, w & 255]);
  };
  const icmp = [type, 0, 0x12, 0x34, 0, 0, 0, 0, ...addr(), ...addr()];
  while (icmp.length < payloadLen) icmp.push(Math.floor(rand() * 256));
  return [0x60, 0, 0, 0, payloadLen >> 8, payloadLen & 255, 58, 255, ...addr(), ...addr(), ...icmp.slice(0, payloadLen)];
}

/** Every zero/non-zero pattern of the eight groups, with small and large values, ::ffff:0:0/96 and ::/96 forms. */
function addressGroups(rand: () => number): number[][] {
  const out: number[][] = [];
  const values = [0x1, 0xa, 0x1f, 0xabc, 0xfe80, 0xffff];
  for (let m = 0; m < 256; m++) {
    const g: number[] = [];
    for (let i = 0; i < 8; i++) g.push((m >> i) & 1 ? 0 : values[Math.floor(rand() * values.length)]!);
    out.push(g);
  }
  out.push([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001], [0, 0, 0, 0, 0, 0, 0x0a00, 0x0001], [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0]);
  out.push([0, 0, 0, 0, 0, 0xffff, 0, 0], [0, 0, 0, 0, 0xffff, 0, 0x0a00, 1], [0, 0, 0, 0, 0, 0xfffe, 0x0a00, 1]);
  return out;
}

function synthesized(): PacketRecord[] {
  const rand = rng(0x5eed);
  const frames: PacketRecord[] = [];
  const tpids = [0x8100, 0x88a8, 0x9100, 0x9200];
  const tagStack = (n: number): [number, number][] =>
    Array.from({ length: n }, () => [tpids[Math.floor(rand() * 4)]!, Math.floor(rand() * 0x10000)] as [number, number]);
  for (const et of [0x0806, 0x8035]) {
    for (const hrd of [1, 6, 15, 19, 32, 0xffff]) {
      for (const pro of [0x0800, 0x1000, 0x86dd]) {
        for (const [hln, pln] of [[6, 4], [0, 4], [6, 16], [8, 4], [6, 0]] as const) {
          for (const op of [0, 1, 2, 3, 4, 5, 8, 9, 10, 0x101]) {
            const bytes = ether(MAC_B, MAC_A, tagStack(Math.floor(rand() * 3)), et, arp(hrd, pro, hln, pln, op, rand));
            frames.push(record(bytes));
            frames.push(record(bytes, { wireLen: bytes.length + 18 }));
          }
        }
      }
    }
  }
  // Requests with a zero and a non-zero target MAC.
  for (let z = 0; z < 2; z++) {
    const a = arp(1, 0x0800, 6, 4, 1, rand);
    if (z === 0) for (let i = 18; i < 24; i++) a[i] = 0;
    frames.push(record(ether(MAC_B, MAC_A, [], 0x0806, a)));
  }
  // VLAN stacks around the fast path's depth limit.
  for (let n = 0; n <= MAX_TAGS + 2; n++) {
    for (const et of [0x0806, 0x86dd]) {
      const payload = et === 0x0806 ? arp(1, 0x0800, 6, 4, 1 + (n % 2), rand) : ip6Nd(135, addressGroups(rand), 32, rand);
      frames.push(record(ether(MAC_A, MAC_B, tagStack(n), et, payload), { wireLen: 14 + 4 * n + payload.length + 4 }));
    }
  }
  // ND: every type near 133-137, every zero pattern.
  const groups = addressGroups(rand);
  for (let i = 0; i < groups.length * 2; i++) {
    const type = [128, 132, 133, 134, 135, 136, 137, 138][i % 8]!;
    const payloadLen = [24, 32, 40, 64][i % 4]!;
    frames.push(record(ether(MAC_A, MAC_B, [], 0x86dd, ip6Nd(type, groups, payloadLen, rand))));
  }
  return frames;
}

// ---------------------------------------------------------------------------
// Mutations

function mutations(r: PacketRecord, rand: () => number, n: number): PacketRecord[] {
  const out: PacketRecord[] = [];
  const frame = r.buf.subarray(r.off, r.off + r.caplen);
  for (let k = 0; k < n; k++) {
    const bytes = Uint8Array.from(frame);
    const over: Partial<PacketRecord> = { linkType: r.linkType, tsSec: r.tsSec, tsNsec: r.tsNsec };
    const kind = k % 6;
    if (kind === 0 && bytes.length > 0) {
      // Flip bits in the headers (where the fast path looks).
      const flips = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(rand() * Math.min(bytes.length, 80));
        bytes[at]! ^= 1 << Math.floor(rand() * 8);
      }
    } else if (kind === 1 && bytes.length > 0) {
      // Overwrite a header byte with an interesting value.
      const at = Math.floor(rand() * Math.min(bytes.length, 64));
      bytes[at] = [0, 1, 4, 6, 8, 0x0f, 0x10, 0x13, 0x3a, 0x60, 0x81, 0x86, 0xdd, 0xff][Math.floor(rand() * 14)]!;
    }
    let caplen = bytes.length;
    let wireLen = r.wireLen;
    if (kind === 2) caplen = Math.floor(rand() * (bytes.length + 1)); // truncation
    if (kind === 3) wireLen = [0, caplen - 1, caplen, caplen + 1, caplen + 1500, 262144, 262145, 0xffffffff][Math.floor(rand() * 8)]!;
    if (kind === 4) {
      over.tsSec = [0, 59, 86399, 0x7fffffff, 0x80000000, 2 ** 40, r.tsSec - 1, r.tsSec + 3600][Math.floor(rand() * 8)]!;
      over.tsNsec = [0, 999, 999_999_999, 1_000_000_000, 4_294_967_295_000, 1.5, r.tsNsec][Math.floor(rand() * 7)]!;
    }
    if (kind === 5) {
      // Another link type's bytes read as Ethernet, and the reverse.
      over.linkType = r.linkType === 1 ? [113, 276, 0, 147][Math.floor(rand() * 4)]! : 1;
    }
    const m = record(bytes.subarray(0, caplen), over, Math.floor(rand() * 5));
    m.wireLen = wireLen;
    out.push(m);
  }
  return out;
}

// ---------------------------------------------------------------------------
// The comparison

class TestSink implements ByteSink {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    const next = Buffer.allocUnsafe(Math.max(n + this.pos, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

interface Stats {
  frames: number;
  fast: number;
}

const COMBOS: FramePrintOptions[] = [];
for (const eflag of [false, true])
  for (let tflag = 0; tflag <= 5; tflag++)
    for (const numbers of [false, true]) COMBOS.push({ eflag, vflag: 0, tflag, numbers, nano: tflag === 2 || (tflag === 4 && numbers) });

/** Runs both printers over `frames` with `opts`; returns how many the fast path took. Fails on the first difference. */
function compare(frames: readonly PacketRecord[], opts: FramePrintOptions, where: string, stats: Stats): void {
  const reference = new FramePrinter(opts);
  // A small buffer at a pool offset (byteOffset != 0) that has to grow.
  const sink = new TestSink(64);
  const fast = new FastPrinter(opts, sink);
  const general = new FramePrinter(opts, fast.ts);
  const frame = new FrameView();
  for (let i = 0; i < frames.length; i++) {
    const r = frames[i]!;
    const want = reference.format(r, i + 1);
    const start = sink.pos;
    let got: string;
    if (fast.print(r, i + 1)) {
      got = sink.buf.toString('latin1', start, sink.pos);
      stats.fast++;
      // What the fast path takes, the default selection takes.
      frame.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
      if (!selectArpNd(frame)) expect.fail(`${where} frame ${i + 1}: printed by the fast path but not selected`);
    } else {
      expect(sink.pos).toBe(start);
      got = general.format(r, i + 1);
    }
    stats.frames++;
    if (got !== want) {
      const flags = JSON.stringify(opts);
      expect(got, `${where} frame ${i + 1} ${flags}\n  bytes ${r.buf.subarray(r.off, r.off + r.caplen).toString('hex')}`).toBe(want);
    }
    if (sink.pos > 1 << 16) sink.pos = 0;
  }
}

function checkQuickReject(frames: readonly PacketRecord[], where: string): void {
  const frame = new FrameView();
  for (const r of frames) {
    if (r.linkType !== 1 || r.caplen < 14 || !notArpNd(r.buf, r.off, r.caplen)) continue;
    frame.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
    if (selectArpNd(frame)) expect.fail(`${where}: quick reject drops a selected frame`);
  }
}

describe(`fast printer = general printer (${haveCorpus ? 'corpus + repo captures' : 'repo captures only: corpus absent'})`, () => {
  for (const tz of ['UTC', 'America/St_Johns']) {
    it(`every frame of every capture, all -e/-t/-#/--nano combinations, TZ=${tz}`, async () => {
      const saved = process.env['TZ'];
      process.env['TZ'] = tz;
      try {
        const stats: Stats = { frames: 0, fast: 0 };
        for (const file of captureFiles()) {
          const frames = await captureRecords(file);
          checkQuickReject(frames, file);
          for (const opts of COMBOS) compare(frames, opts, file, stats);
        }
        expect(stats.fast).toBeGreaterThan(stats.frames / 10);
      } finally {
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    }, 120_000);
  }

  it('synthesized frames: ARP ops and header variants, VLAN stacks, every IPv6 zero-group pattern', () => {
    const frames = synthesized();
    const stats: Stats = { frames: 0, fast: 0 };
    checkQuickReject(frames, 'synthesized');
    for (const opts of COMBOS) compare(frames, opts, 'synthesized', stats);
    expect(stats.fast).toBeGreaterThan(0);
    expect(stats.fast).toBeLessThan(stats.frames);
  });

  it('mutated frames: bit flips, truncation, odd lengths and timestamps, other link types', async () => {
    const rand = rng(0xfa57);
    const stats: Stats = { frames: 0, fast: 0 };
    const seeds: PacketRecord[] = [...synthesized()];
    for (const file of captureFiles()) seeds.push(...(await captureRecords(file, 4000)));
    const mutated: PacketRecord[] = [];
    for (const r of seeds) mutated.push(...mutations(r, rand, r.linkType === 1 ? 8 : 4));
    checkQuickReject(mutated, 'mutated');
    // Each mutated frame through a third of the flag combinations (8 of 24), each combination over a third of them.
    const shards = [0, 1, 2].map((k) => mutated.filter((_, i) => i % 3 === k));
    COMBOS.forEach((opts, c) => compare(shards[c % 3]!, opts, 'mutated', stats));
    expect(stats.fast).toBeGreaterThan(stats.frames / 10);
  }, 300_000);

  it('declines everything at -v', async () => {
    const frames = synthesized();
    for (let v = 1; v <= 3; v++) {
      const fast = new FastPrinter({ eflag: true, vflag: v, tflag: 0, numbers: false, nano: false }, new TestSink(4096));
      for (const r of frames) expect(fast.print(r, 1)).toBe(false);
    }
  });
});

/** `read` as it was before the fast path: scanFrames + FramePrinter, one string per frame. */
async function referenceRead(o: ReadOptions): Promise<string> {
  const printer = new FramePrinter(o);
  const reader = await openCaptures(o.inputs);
  let text = '';
  let printed = 0;
  try {
    await scanFrames(
      reader,
      (_f, r) => {
        text += printer.format(r, ++printed);
        return o.count === 0 || printed < o.count;
      },
      { select: o.filter ? compileFilter(o.filter) : selectArpNd },
    );
  } catch (err) {
    text += `ERROR ${(err as Error).message}\n`;
  } finally {
    reader.close();
  }
  return text;
}

async function fastRead(o: ReadOptions, sink?: Sink): Promise<string> {
  let text = '';
  try {
    await runRead(o, sink ?? { write: (s) => (text += s), flush: () => {} });
  } catch (err) {
    text += `ERROR ${(err as Error).message}\n`;
  }
  return text;
}

describe('runRead with the fast path = runRead before it', () => {
  const base: ReadOptions = { inputs: [], filter: '', eflag: false, vflag: 0, tflag: 0, numbers: false, nano: false, count: 0 };
  const variants: Partial<ReadOptions>[] = [
    {},
    { eflag: true },
    { eflag: true, tflag: 3, numbers: true },
    { tflag: 5, nano: true },
    { eflag: true, vflag: 1 },
    { count: 3 },
    { eflag: true, filter: 'arp or icmp6' },
    { filter: 'vlan' },
    { numbers: true, filter: 'arp[6:2] = 2', count: 5 },
  ];
  it('on every capture (string sink)', async () => {
    process.env['TZ'] = 'UTC';
    let lines = 0;
    for (const file of captureFiles()) {
      for (const v of variants) {
        const o = { ...base, ...v, inputs: [file] };
        const want = await referenceRead(o);
        expect(await fastRead(o), `${file} ${JSON.stringify(v)}`).toBe(want);
        lines += want.length;
      }
    }
    expect(lines).toBeGreaterThan(0);
  }, 120_000);

  it('through Output to a file descriptor (bytes), with a buffer smaller than a line', async () => {
    process.env['TZ'] = 'UTC';
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-fast-'));
    try {
      for (const file of captureFiles().slice(0, 12)) {
        for (const size of [1 << 18, 512]) {
          const o = { ...base, eflag: true, inputs: [file] };
          const path = join(dir, 'out.txt');
          const fd = openSync(path, 'w');
          const err = await fastRead(o, new Output(fd, size));
          closeSync(fd);
          const want = await referenceRead(o);
          expect(readFileSync(path, 'utf8') + err, `${file} buffer ${size}`).toBe(want);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
