/**
 * IPv6 / ICMPv6 printer tests.
 *
 * 1. Golden lines from tcpdump 4.99.3 for hand-picked corpus frames (always run).
 * 2. When /usr/bin/tcpdump is installed (it must be 4.99.3): every IPv6 frame
 *    of the ND-bearing corpus captures at -n, -v, -vv, -vvv, with and without -e,
 *    compared line for line with what tcpdump prints for the same capture.
 * 3. Same, over deterministic mutations of those frames (truncations, bad
 *    lengths, random bytes): the paths tcpdump takes on hostile input.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Printer, isTruncated } from './context.js';
import { linkPrinterFor } from './link.js';
import './ether.js';
import { ip6Print } from './ip6.js';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
/** The golden frames come from ../shared/corpus: on a plain clone without it these suites skip. */
const haveCorpus = existsSync(CORPUS);
const TCPDUMP = '/usr/bin/tcpdump';

interface Rec {
  buf: Buffer;
  linkType: number;
}

/** Classic pcap (either byte order, µs or ns) and pcapng (SHB/IDB/EPB/SPB) records. */
function readCapture(file: Buffer): Rec[] {
  const out: Rec[] = [];
  const magic = file.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) {
    let off = 0;
    let le = true;
    const links: number[] = [];
    while (off + 12 <= file.length) {
      const type = le ? file.readUInt32LE(off) : file.readUInt32BE(off);
      if (type === 0x0a0d0d0a) le = file.readUInt32LE(off + 8) === 0x1a2b3c4d;
      const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
      const u16 = (o: number): number => (le ? file.readUInt16LE(o) : file.readUInt16BE(o));
      const blen = u32(off + 4);
      if (type === 1) links.push(u16(off + 8));
      else if (type === 6) {
        const caplen = u32(off + 20);
        out.push({ buf: file.subarray(off + 28, off + 28 + caplen), linkType: links[u32(off + 8)]! });
      } else if (type === 3) {
        const caplen = Math.min(u32(off + 8), blen - 16);
        out.push({ buf: file.subarray(off + 12, off + 12 + caplen), linkType: links[0]! });
      }
      off += blen;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  let off = 24;
  while (off + 16 <= file.length) {
    const caplen = u32(off + 8);
    out.push({ buf: file.subarray(off + 16, off + 16 + caplen), linkType });
    off += 16 + caplen;
  }
  return out;
}

/** A classic little-endian pcap of Ethernet frames with the given wire lengths. */
function writePcap(frames: { buf: Buffer; wireLen: number }[]): Buffer {
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(1, 20);
  const parts: Buffer[] = [hdr];
  frames.forEach((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1000 + i, 0);
    r.writeUInt32LE(f.buf.length, 8);
    r.writeUInt32LE(f.wireLen, 12);
    parts.push(r, f.buf);
  });
  return Buffer.concat(parts);
}

/** wireLen of a frame read back: the tests use caplen == wireLen except for the mutations, which carry it separately. */
function printFrame(buf: Buffer, wireLen: number, vflag: number, eflag: boolean): string {
  const p = new Printer({ vflag, eflag });
  const copy = Buffer.from(buf);
  p.begin(copy, 0, copy.length);
  try {
    linkPrinterFor(1)!(p, copy.length, wireLen);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    p.printTrunc();
  }
  return p.out;
}

/** Offset of the IPv6 header in an Ethernet frame (after any VLAN tags), or -1. */
function ip6Offset(buf: Buffer): number {
  let off = 12;
  while (off + 2 <= buf.length) {
    const et = buf.readUInt16BE(off);
    if (et === 0x86dd) return off + 2;
    if (et === 0x8100 || et === 0x88a8 || et === 0x9100 || et === 0x9200) off += 4;
    else return -1;
  }
  return -1;
}

/** tcpdump's lines grouped per packet (with -#), timestamps removed. */
function tcpdumpPackets(file: string, flags: string[]): string[] {
  const text = execFileSync(TCPDUMP, ['-#', '-n', ...flags, '-r', file], {
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 28,
  }).toString('latin1');
  const pkts: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^ *\d+ {2}\d\d:\d\d:\d\d\.\d{6} (.*)$/s.exec(line);
    if (m) pkts.push(m[1]!);
    else if (pkts.length > 0 && line !== '') pkts[pkts.length - 1] += '\n' + line;
  }
  return pkts;
}

function flagsFor(v: number, e: boolean): string[] {
  const f: string[] = [];
  if (v > 0) f.push('-' + 'v'.repeat(v));
  if (e) f.push('-e');
  return f;
}

// ---------------------------------------------------------------------------

function frameOf(name: string, index: number): Buffer {
  if (!haveCorpus) return Buffer.alloc(0); // suites are skipped; their bodies still run to collect tests
  return readCapture(readFileSync(join(CORPUS, name)))[index]!.buf;
}

describe.skipIf(!haveCorpus)(`ip6Print / icmp6Print golden lines (tcpdump 4.99.3)${haveCorpus ? '' : ': skipped, ../shared/corpus not found'}`, () => {
  const cases: [string, number, number, string][] = [
    ['public/zeek-ipv6_zero_len_ah.pcap', 1, 0,
      'IP6 2000:1300::2 > ff02::1:ff00:1: ICMP6, neighbor solicitation, who has 2000:1300::1, length 32'],
    ['public/zeek-ipv6_zero_len_ah.pcap', 1, 1,
      'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32) 2000:1300::2 > ff02::1:ff00:1: [icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has 2000:1300::1\n' +
      '\t  source link-address option (1), length 8 (1): 08:00:27:be:22:93'],
    ['tcpdump-tests/icmpv6.pcap', 1, 1,
      'IP6 (hlim 1, next-header Options (0) payload length: 36) fe80::215:17ff:fecc:e546 > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s) [gaddr ff02::db8:1122:3344 to_ex, 0 source(s)]'],
    ['tcpdump-tests/icmpv6.pcap', 2, 0,
      'IP6 fe80::b2a8:6eff:fe0c:d4e8 > ff02::1: HBH ICMP6, multicast listener query v2 [gaddr ::], length 28'],
    ['tcpdump-tests/ipv6-bad-version.pcap', 1, 1, 'IP6 version error: 0 != 6'],
    ['tcpdump-tests/icmpv6.pcap', 0, 2,
      'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 176) fe80::b299:28ff:fec8:d66c > ff02::1: [icmp6 sum ok] ICMP6, router advertisement, length 176\n' +
      '\thop limit 64, Flags [home agent], pref medium, router lifetime 15s, reachable time 0ms, retrans timer 0ms\n' +
      '\t  prefix info option (3), length 32 (4): 2222:3333:4444:5555:6600::/72, Flags [onlink, auto], valid time 2592000s, pref. time 604800s\n' +
      '\t    0x0000:  48c0 0027 8d00 0009 3a80 0000 0000 2222\n' +
      '\t    0x0010:  3333 4444 5555 6600 0000 0000 0000\n' +
      '\t  rdnss option (25), length 40 (5):  lifetime 5s, addr: abcd::efef addr: 1234:5678::1\n' +
      '\t    0x0000:  0000 0000 0005 abcd 0000 0000 0000 0000\n' +
      '\t    0x0010:  0000 0000 efef 1234 5678 0000 0000 0000\n' +
      '\t    0x0020:  0000 0000 0001\n' +
      '\t  dnssl option (31), length 56 (7):  lifetime 5s, domain(s): example.com. example.org. dom1.dom2.tld.\n' +
      '\t    0x0000:  0000 0000 0005 0765 7861 6d70 6c65 0363\n' +
      '\t    0x0010:  6f6d 0007 6578 616d 706c 6503 6f72 6700\n' +
      '\t    0x0020:  0464 6f6d 3104 646f 6d32 0374 6c64 0000\n' +
      '\t    0x0030:  0000 0000 0000\n' +
      '\t  mtu option (5), length 8 (1):  100\n' +
      '\t    0x0000:  0000 0000 0064\n' +
      '\t  source link-address option (1), length 8 (1): b0:99:28:c8:d6:6c\n' +
      '\t    0x0000:  b099 28c8 d66c\n' +
      '\t  advertisement interval option (7), length 8 (1):  5000ms\n' +
      '\t    0x0000:  0000 0000 1388\n' +
      '\t  homeagent information option (8), length 8 (1):  preference 50001, lifetime 15\n' +
      '\t    0x0000:  0000 c351 000f'],
  ];
  for (const [file, index, v, expected] of cases) {
    it(`${file} #${index + 1} -${'v'.repeat(v)}n`, () => {
      const buf = frameOf(file, index);
      expect(printFrame(buf, buf.length, v, false)).toBe(expected);
    });
  }

  it('prints a truncated IPv6 header as [|ip6]', () => {
    const buf = frameOf('public/zeek-ipv6_zero_len_ah.pcap', 1).subarray(0, 14 + 30);
    expect(printFrame(buf, 86, 0, false)).toBe(' [|ip6]');
  });

  it('cuts off a router advertisement in the middle of its options', () => {
    const buf = frameOf('tcpdump-tests/icmpv6.pcap', 0).subarray(0, 14 + 40 + 16 + 20);
    expect(printFrame(buf, 230, 1, false)).toBe(
      'IP6 (hlim 255, next-header ICMPv6 (58) payload length: 176) fe80::b299:28ff:fec8:d66c > ff02::1: ICMP6, router advertisement, length 176\n' +
      '\thop limit 64, Flags [home agent], pref medium, router lifetime 15s, reachable time 0ms, retrans timer 0ms [|icmp6]');
  });

  it('refuses a zero-length option without looping', () => {
    const buf = Buffer.from(frameOf('public/zeek-ipv6_zero_len_ah.pcap', 1));
    buf[14 + 40 + 24 + 1] = 0; // the source link-address option's length
    expect(printFrame(buf, buf.length, 1, false)).toMatch(/who has 2000:1300::1 \[\|icmp6\]$/);
  });

  it('ip6Print keeps the exported signature', () => {
    const buf = frameOf('public/zeek-ipv6_zero_len_ah.pcap', 0);
    const p = new Printer({ vflag: 0 });
    p.begin(buf, 0, buf.length);
    ip6Print(p, 14, buf.length - 14);
    expect(p.out).toBe('IP6 2000:1300::1 > 2000:1300::2: ICMP6, echo request, id 13398, seq 30864, length 24');
  });
});

// ---------------------------------------------------------------------------

const ND_CAPTURES = [
  'tcpdump-tests/icmpv6.pcap',
  'tcpdump-tests/icmpv6_opt24.pcap',
  'tcpdump-tests/icmpv6-ns-nonce.pcap',
  'tcpdump-tests/icmpv6-ra-pref64.pcap',
  'tcpdump-tests/dcb_ets.pcap',
  'tcpdump-tests/dcb_qcn.pcap',
  'tcpdump-tests/ipv6-bad-version.pcap',
  'public/chrissanders-icmpv6_neighbor_solicitation.pcapng',
  'public/libpcap-gateway_or_not.pcap',
  'public/packetlife-ipv6_neighbor_spoofing.pcap',
  'public/packetnet-ipv6_redirect.pcap',
  'public/pcap4j-IcmpV6NeighborAdvertisementPacketTest.pcap',
  'public/pcap4j-IcmpV6NeighborSolicitationPacketTest.pcap',
  'public/pcap4j-IcmpV6RedirectPacketTest.pcap',
  'public/pcap4j-IcmpV6RouterAdvertisementPacketTest.pcap',
  'public/pcap4j-IcmpV6RouterSolicitationPacketTest.pcap',
  'public/pcapplusplus-IcmpV6_NeighAdvSoli.pcap',
  'public/zeek-communityid-icmp6.pcap',
  'public/zeek-icmp6-nd-options.pcap',
  'public/zeek-icmp6-nd-short-options.pcap',
  'public/zeek-icmp6-neighbor-advert.pcap',
  'public/zeek-icmp6-neighbor-solicit.pcap',
  'public/zeek-icmp6-redirect-hdr-opt.pcap',
  'public/zeek-icmp6-redirect.pcap',
  'public/zeek-icmp6-router-advert.pcap',
  'public/zeek-icmp6-router-solicit.pcap',
  'public/zeek-icmp_nd_dnssl.pcap',
  'public/zeek-ipv6_zero_len_ah.pcap',
];

const haveTcpdump = existsSync(TCPDUMP) && existsSync(CORPUS);

/** Compares every IPv6 frame of a capture file; returns [compared, mismatches]. */
/** Protocols tcpdump dissects and this printer only names (ip-proto-N) or frames (TCP, UDP ports). */
const NOT_PORTED = / ip-proto-(4|8|9|33|46|47|55|88|89|103|112|113|132|143) |Flags \[/;

function unsupported(got: string, want: string | undefined): boolean {
  if (NOT_PORTED.test(got)) return true;
  return /UDP, /.test(got) && !/UDP, /.test(want ?? '');
}

function compareFile(path: string, wireLens: number[] | null, v: number, e: boolean, skipUnported = false): [number, string[]] {
  const recs = readCapture(readFileSync(path));
  const expected = tcpdumpPackets(path, flagsFor(v, e));
  const bad: string[] = [];
  let n = 0;
  recs.forEach((r, i) => {
    if (r.linkType !== 1 || ip6Offset(r.buf) < 0) return;
    n++;
    const got = printFrame(r.buf, wireLens ? wireLens[i]! : r.buf.length, v, e);
    if (skipUnported && unsupported(got, expected[i])) {
      n--;
      return;
    }
    if (got !== expected[i]) bad.push(`#${i + 1}\n  want: ${JSON.stringify(expected[i])}\n  got:  ${JSON.stringify(got)}`);
  });
  return [n, bad];
}

describe.skipIf(!haveTcpdump || !haveCorpus)('corpus vs tcpdump 4.99.3', () => {
  for (const name of ND_CAPTURES) {
    for (const e of [false, true]) {
      for (let v = 0; v <= 3; v++) {
        it(`${name} -n${e ? 'e' : ''}${'v'.repeat(v)}`, () => {
          const [n, bad] = compareFile(join(CORPUS, name), null, v, e);
          expect(n).toBeGreaterThan(0);
          expect(bad.slice(0, 5).join('\n')).toBe('');
        });
      }
    }
  }
});

// ---------------------------------------------------------------------------

/** xorshift32: deterministic mutations. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function mutations(count: number, seed: number): { buf: Buffer; wireLen: number }[] {
  const bases: Buffer[] = [];
  for (const name of haveCorpus ? ND_CAPTURES : []) {
    for (const r of readCapture(readFileSync(join(CORPUS, name)))) {
      if (r.linkType === 1 && r.buf.length >= 14 && r.buf.readUInt16BE(12) === 0x86dd) bases.push(r.buf);
    }
  }
  if (bases.length === 0) return [];
  const rand = rng(seed);
  const out: { buf: Buffer; wireLen: number }[] = [];
  for (let k = 0; k < count; k++) {
    const base = bases[rand() % bases.length]!;
    const buf = Buffer.from(base);
    const ip = 14;
    const kind = rand() % 12;
    const pick = (lo: number): number => lo + (rand() % Math.max(1, buf.length - lo));
    if (kind === 0) {
      // Cut the capture short.
      out.push({ buf: buf.subarray(0, pick(14)), wireLen: buf.length });
      continue;
    }
    if (kind === 1) {
      buf.writeUInt16BE(rand() % 256, ip + 4); // payload length
    } else if (kind === 2) {
      // An option length or type byte.
      const at = pick(ip + 40);
      buf[at] = [0, 1, 2, 3, 4, 5, 7, 8, 14, 24, 25, 31, 38, 255][rand() % 14]!;
    } else if (kind === 3) {
      buf[ip + 40] = [1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 143, 145, 147, 155, 200][rand() % 22]!;
      buf[ip + 41] = rand() % 5;
    } else if (kind === 4) {
      buf[ip + 6] = [0, 43, 44, 51, 60, 58, 59, 17, 6, 50, 108, 41, 1, 135, 62][rand() % 15]!;
    } else if (kind === 5 && buf.length > ip + 48) {
      // Cut inside the ICMPv6 message.
      out.push({ buf: buf.subarray(0, ip + 40 + (rand() % (buf.length - ip - 40))), wireLen: buf.length });
      continue;
    } else if (kind === 6) {
      // Payload length close to the real one.
      const real = buf.length - ip - 40;
      buf.writeUInt16BE(Math.max(0, real + (rand() % 33) - 16), ip + 4);
    } else if (kind === 7 && buf.length > ip + 48) {
      // Walk the options as tcpdump would and break one.
      const fixed = ({ 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 } as Record<number, number>)[buf[ip + 40]!] ?? 8;
      let at = ip + 40 + fixed;
      const stop = rand() % 4;
      for (let j = 0; j < stop && at + 1 < buf.length && buf[at + 1]! > 0; j++) at += buf[at + 1]! * 8;
      if (at + 1 < buf.length) buf[at + (rand() % 2)] = rand() % 2 ? rand() % 8 : [0, 1, 2, 3, 4, 5, 7, 8, 14, 24, 25, 31, 38][rand() % 13]!;
    } else if (kind === 8) {
      // Random bytes in the ICMPv6 body.
      const flips = 1 + (rand() % 3);
      for (let f = 0; f < flips; f++) buf[pick(ip + 44)] = rand() % 3 === 0 ? 0 : rand() & 255;
    } else {
      const flips = 1 + (rand() % 4);
      for (let f = 0; f < flips; f++) buf[pick(ip + 4)] = rand() & 255;
    }
    const cut = rand() % 3 === 0 ? pick(14) : buf.length;
    out.push({ buf: buf.subarray(0, cut), wireLen: buf.length });
  }
  return out;
}

const MUTATIONS = Number(process.env.ICMP6_MUTATIONS ?? 5000);

describe.skipIf(!haveTcpdump || !haveCorpus)('mutated frames vs tcpdump 4.99.3', () => {
  const dir = process.env.ICMP6_DUMP ?? mkdtempSync(join(tmpdir(), 'arpscope-icmp6-'));
  const frames = mutations(MUTATIONS, Number(process.env.ICMP6_SEED ?? 0x1c3e6));
  const file = join(dir, 'mutated.pcap');
  writeFileSync(file, writePcap(frames));
  const wireLens = frames.map((f) => f.wireLen);
  for (const [v, e] of [[0, false], [1, false], [2, false], [3, false], [1, true]] as const) {
    it(`${MUTATIONS} mutations -n${e ? 'e' : ''}${'v'.repeat(v)}`, () => {
      const [n, bad] = compareFile(file, wireLens, v, e, true);
      expect(n).toBeGreaterThan(0);
      if (process.env.ICMP6_DUMP) writeFileSync(join(dir, `bad-${e ? 'e' : ''}v${v}.txt`), bad.join('\n'));
      expect(bad.slice(0, 5).join('\n')).toBe('');
    });
  }
});
