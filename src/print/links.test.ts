/**
 * Differential test: the non-Ethernet link printers (and LLC/SNAP over
 * 802.3) against the installed tcpdump, on seeded synthetic frames and their
 * random mutations (flipped bytes, cut captures). Runs only where tcpdump
 * 4.99.3 is installed; elsewhere the fixed expectations in the other
 * *.test.ts files still hold.
 *
 * Frames tcpdump hands to printers arpscope does not have (IPv4, IPX,
 * AppleTalk, CDP, OSI, Token Ring, FDDI) are left out of the comparison.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTruncated, Printer } from './context.js';
import { linkPrinterFor } from './link.js';
import './ether.js';
import './links.js';

function tcpdumpVersion(): string {
  try {
    return execFileSync('tcpdump', ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch {
    return '';
  }
}
const HAVE_TCPDUMP = /tcpdump version 4\.99\.3\b/.test(tcpdumpVersion());

interface Frame {
  data: Buffer;
  wire: number;
}

const H = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Seeded LCG so failures reproduce. */
let seed = 1;
function rnd(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}

/** The bases, then `count` mutants: 1-3 changed bytes in the first `limit` bytes, a quarter of them cut short. */
function mutate(bases: Buffer[], count: number, limit: number): Frame[] {
  const out: Frame[] = bases.map((b) => ({ data: b, wire: b.length }));
  for (let k = 0; k < count; k++) {
    const b = Buffer.from(bases[rnd(bases.length)]!);
    const flips = 1 + rnd(3);
    for (let j = 0; j < flips; j++) {
      const i = rnd(Math.min(limit, b.length));
      b[i] = rnd(4) === 0 ? rnd(256) : b[i]! ^ (1 << rnd(8));
    }
    if (rnd(4) === 0) out.push({ data: b.subarray(0, rnd(b.length) + 1), wire: b.length });
    else out.push({ data: b, wire: b.length });
  }
  return out;
}

function pcapFile(linkType: number, frames: Frame[]): Buffer {
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [gh];
  for (const f of frames) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(f.data.length, 8);
    h.writeUInt32LE(f.wire, 12);
    parts.push(h, f.data);
  }
  return Buffer.concat(parts);
}

const dir = HAVE_TCPDUMP ? mkdtempSync(join(tmpdir(), 'arpscope-links-')) : '';
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function tcpdumpTexts(linkType: number, frames: Frame[], flags: string[]): string[] {
  const file = join(dir, `lt${linkType}.pcap`);
  writeFileSync(file, pcapFile(linkType, frames));
  let out: string;
  try {
    out = execFileSync('tcpdump', ['-n', ...flags, '-r', file], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    }).toString();
  } catch (e) {
    out = String((e as { stdout?: Buffer }).stdout ?? '');
  }
  return out
    .split(/^(?=00:00:00\.000000 )/m)
    .filter((s) => s !== '')
    .map((s) => s.slice('00:00:00.000000 '.length).replace(/\n$/, ''));
}

function ourText(linkType: number, f: Frame, flags: string[]): string {
  // Frame at an odd offset in a larger buffer, as readers hand them out.
  const buf = Buffer.concat([Buffer.alloc(7), f.data, Buffer.alloc(5, 0xee)]);
  const p = new Printer({ eflag: flags.includes('-e'), vflag: flags.filter((x) => x === '-v').length });
  p.begin(buf, 7, f.data.length);
  try {
    linkPrinterFor(linkType)!(p, f.data.length, f.wire);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    p.printTrunc();
  }
  return p.out;
}

/** Output of printers arpscope does not have. */
const FOREIGN = /\[\|ip\]|IP0?[ ,(]|IP\d|IPX|\[\|ipx|AT |at-|ddp|CDP|packet length \d+ < 4|\[\|clnp|token-ring|fddi|OSI|IS-IS|ES-IS|LLDP|lldp/;

function differential(linkType: number, frames: Frame[], flagSets: string[][]): void {
  for (const flags of flagSets) {
    const theirs = tcpdumpTexts(linkType, frames, flags);
    expect(theirs.length).toBe(frames.length);
    const bad: string[] = [];
    frames.forEach((f, i) => {
      const t = theirs[i]!;
      if (FOREIGN.test(t)) return;
      const o = ourText(linkType, f, flags);
      if (o !== t && bad.length < 5) bad.push(`${f.data.toString('hex')} (wire ${f.wire}) ${flags.join(' ')}\n  tcpdump: ${JSON.stringify(t)}\n  ours:    ${JSON.stringify(o)}`);
    });
    expect(bad).toEqual([]);
  }
}

const ARP = H('0001 0800 0604 0001 001122334455 c0a80001 000000000000 c0a80002');
const SNAP_ARP = Buffer.concat([H('aaaa03 000000 0806'), ARP]);
const STP = H('424203 0000 00 00 81 8000001122334455 00000004 8000aabbccddeeff 8002 0120 1400 0200 0f00');

describe.skipIf(!HAVE_TCPDUMP)('link printers vs tcpdump 4.99.3 (differential)', () => {
  it('Linux cooked v1', () => {
    seed = 113;
    const sll = (pkt: number, halen: number, proto: number): Buffer => {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(pkt, 0);
      h.writeUInt16BE(1, 2);
      h.writeUInt16BE(halen, 4);
      H('00226b970ea2').copy(h, 6);
      h.writeUInt16BE(proto, 14);
      return h;
    };
    const bases: Buffer[] = [];
    for (const pkt of [0, 1, 2, 3, 4, 5]) bases.push(Buffer.concat([sll(pkt, 6, 0x0806), ARP]));
    bases.push(Buffer.concat([sll(0, 4, 0x8035), ARP]));
    bases.push(Buffer.concat([sll(0, 6, 0x8100), H('00640806'), ARP]));
    bases.push(Buffer.concat([sll(0, 6, 0x8100), H('0064002e'), SNAP_ARP]));
    bases.push(Buffer.concat([sll(0, 6, 0x0004), SNAP_ARP]));
    bases.push(Buffer.concat([sll(0, 6, 0x0004), STP]));
    bases.push(Buffer.concat([sll(0, 6, 0x1234), H('0102030405')]));
    bases.push(Buffer.concat([H('0000 0323 0006 001122334455 0000 0019 0000 0d00 2a000000 10 02 8509 a000'), H('0801 3a01 ffffffffffff 020000000002 020000000003 1000'), SNAP_ARP]));
    differential(113, mutate(bases, 700, 24), [[], ['-e']]);
  });

  it('Linux cooked v2 (interface names from this machine, as tcpdump reads them)', () => {
    seed = 276;
    const sll2 = (proto: number, idx: number, pkt: number, halen: number): Buffer => {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(proto, 0);
      h.writeUInt32BE(idx, 4);
      h.writeUInt16BE(1, 8);
      h[10] = pkt;
      h[11] = halen;
      H('8e360644acaf').copy(h, 12);
      return h;
    };
    const bases: Buffer[] = [];
    for (const idx of [0, 1, 2, 3, 4, 26]) for (const pkt of [0, 1, 4, 9]) bases.push(Buffer.concat([sll2(0x0806, idx, pkt, 6), ARP]));
    bases.push(Buffer.concat([sll2(0x0004, 1, 0, 6), SNAP_ARP]));
    bases.push(Buffer.concat([sll2(0x8100, 1, 0, 6), H('20640806'), ARP]));
    bases.push(Buffer.concat([sll2(0x1234, 1, 0, 7), ARP]));
    differential(276, mutate(bases, 600, 28), [[], ['-e']]);
  });

  it('ARCNET (BSD and Linux)', () => {
    seed = 7;
    const arcArp = H('0007 0800 0104 0001 be 0a508301 00 0a5083fe');
    const bsd: Buffer[] = [];
    const lin: Buffer[] = [];
    for (const t of [241, 213, 214, 0xc4, 0x80, 247, 0x99]) {
      for (const flag of [0, 1, 2, 3, 4, 0xff]) {
        bsd.push(Buffer.concat([H('be 50'), Buffer.from([t, flag]), H('1234'), flag === 0xff ? Buffer.from([t, 3, 0x56, 0x78]) : Buffer.alloc(0), arcArp]));
      }
      const old = t === 241 || t === 0x80;
      lin.push(Buffer.concat([H('be 50 ed23'), Buffer.from([t]), old ? Buffer.alloc(0) : H('000000'), arcArp]));
    }
    differential(7, mutate(bsd, 500, 10), [[], ['-e']]);
    differential(129, mutate(lin, 500, 8), [[], ['-e']]);
  });

  it('IP over InfiniBand', () => {
    seed = 242;
    const ibArp = H('0020 0800 1404 0001 00000048fe800000000000000002c90300a1b2c3 c0a80001 0000000000000000000000000000000000000000 c0a80002');
    const hdr = (et: string): Buffer => Buffer.concat([Buffer.alloc(40, 0x11), H(et), H('0000')]);
    const bases = [Buffer.concat([hdr('0806'), ibArp]), Buffer.concat([hdr('8035'), ibArp]), Buffer.concat([hdr('1234'), ibArp])];
    differential(242, mutate(bases, 300, 48), [[], ['-e']]);
  });

  it('LLC, SNAP and STP over 802.3', () => {
    seed = 802;
    const eth = (llc: string): Buffer => {
      const b = H(llc);
      return Buffer.concat([H('ffffffffffff 020000000002'), Buffer.from([b.length >> 8, b.length & 255]), b]);
    };
    const bases = [
      'aaaa03 000000 0806' + ARP.toString('hex'), 'aaaa03 0000f8 0806' + ARP.toString('hex'), 'aaaa03 000000 1234 0102',
      'aaaa03 00000c 010b' + STP.subarray(3).toString('hex'), 'aaaa03 0080c2 000e' + STP.subarray(3).toString('hex'),
      'aaaa03 0080c2 0007 0000 ffffffffffff 020000000002 0806' + ARP.toString('hex'), 'aaaa03 112233 0800 00',
      STP.toString('hex'), '424203 0000 02 02 3c 8000001122334455 00000004 8000aabbccddeeff 8002 0100 1400 0200 0f00 00',
      '424203 0000 00 80', 'f0f0 03 ffff', '0000 af', '0001 bf 81 0102', '0405 e3 00', '0405 63', '0405 0100', '0405 0d00',
      '0405 3a47', '0404', '4343 03 00', '8e8e 03',
    ].map(eth);
    differential(1, mutate(bases, 1500, 40), [[], ['-e'], ['-v']]);
  });

  it('IEEE 802.11 data, management and control frames', () => {
    seed = 105;
    differential(105, mutate(wlanFrames(), 1500, 64), [[], ['-e'], ['-e', '-v']]);
  });

  it('radiotap', () => {
    seed = 127;
    differential(127, mutate(radiotapFrames(), 1500, 40), [[], ['-e']]);
  });
});

const A1 = H('ffffffffffff');
const A2 = H('020000000002');
const A3 = H('020000000003');
const A4 = H('020000000004');
const fc = (type: number, sub: number, flags: number): Buffer => Buffer.from([(type << 2) | (sub << 4), flags]);

function wlanFrames(): Buffer[] {
  const out: Buffer[] = [];
  const dur = H('3a01');
  const seq = H('1000');
  for (const flags of [0, 1, 2, 3, 0x40, 0x80, 0x08]) {
    for (const sub of [0, 1, 3, 4, 8, 11, 12]) {
      const hdr = Buffer.concat([fc(2, sub, flags), dur, A1, A2, A3, seq, (flags & 3) === 3 ? A4 : Buffer.alloc(0), (sub & 8) !== 0 ? H('0000') : Buffer.alloc(0)]);
      out.push(Buffer.concat([hdr, (flags & 0x40) !== 0 ? H('01020300 aabbccdd') : SNAP_ARP]));
    }
  }
  const mh = (sub: number, flags = 0): Buffer => Buffer.concat([fc(0, sub, flags), dur, A1, A2, A3, seq]);
  const ie = (id: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([id, data.length]), data]);
  const ssid = ie(0, Buffer.from('my\x01net\xc8', 'latin1'));
  const rates = ie(1, H('82848b960c121824'));
  const bcn = Buffer.concat([H('0011223344556677 6400 1104'), ssid, rates, ie(3, H('06')), ie(5, H('00010000')), ie(221, H('0050f2'))]);
  out.push(Buffer.concat([mh(8), bcn]), Buffer.concat([mh(5), bcn]), Buffer.concat([mh(4), ssid, rates]));
  out.push(Buffer.concat([mh(0), H('1104 0a00'), ssid, rates]), Buffer.concat([mh(1), H('1104 0000 01c0'), rates]));
  out.push(Buffer.concat([mh(2), H('1104 0a00 020000000009'), ssid]), mh(9), Buffer.concat([mh(10), H('0800')]));
  out.push(Buffer.concat([mh(11), H('0100 0200 0000')]), Buffer.concat([mh(11), H('0000 0100 0000')]), Buffer.concat([mh(12), H('0300')]));
  for (const a of ['0001', '0300', '0701', '0d05', '0e01', '0f02', '7f03', '1010']) out.push(Buffer.concat([mh(13), H(a)]));
  out.push(Buffer.concat([mh(6), H('0102')]), Buffer.concat([mh(8, 0x40), H('01020340 0000')]));
  for (let sub = 0; sub < 16; sub++) out.push(Buffer.concat([fc(1, sub, 0), dur, A1, A2, H('0400 1234 5678 9abc')]));
  out.push(Buffer.concat([fc(3, 0, 0), dur, A1, A2]));
  return out;
}

function radiotapFrames(): Buffer[] {
  const data = Buffer.concat([fc(2, 0, 1), H('3a01'), A1, A2, A3, H('1000'), SNAP_ARP]);
  const qos = Buffer.concat([fc(2, 8, 1), H('3a01'), A1, A2, A3, H('1000 0000'), SNAP_ARP]);
  return [
    // zeek-arp-who-has-radiotap.pcap's header: TSFT, flags, channel, signal, noise, antenna, MCS
    Buffer.concat([H('00002400 6f080800 e1d8565600000000 10 00 a415 4001 b6 a3 01 00 07 0000 00000000 00000000'), qos]),
    Buffer.concat([H('0000 1200 2e480000 00 02 8509 a000 ce a1 00 00'), data]),
    Buffer.concat([H('0000 1a00 6f080000 0100000000000000 50 0c 6c09 8000 b0 01 00 00'), data, H('deadbeef')]),
    Buffer.concat([H('0000 1000 90100000 0a01 0000 fc 0000 0100'), data]),
    Buffer.concat([H('0000 2400 00002000 0000 00 00 00 0000 00000000 0000 0000 04 04 22 00 00 00 01 00 0000 0000'), data]),
    Buffer.concat([H('0000 1000 020000a0 00000080 00000000 10 00 00 00'), data]),
    Buffer.concat([H('0000 1800 02000040 02000000 10 00 0050f2 01 0400 aabbccdd'), data]),
    Buffer.concat([H('0000 0c00 00800000 ff'), data]),
    Buffer.concat([H('0000 0e00 80000000 0000 00000000'), data]),
    Buffer.concat([H('0000 0900 02000000 20'), Buffer.concat([fc(2, 8, 1), H('3a01'), A1, A2, A3, H('1000 0000 0000'), SNAP_ARP])]),
  ];
}
