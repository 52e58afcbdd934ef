/**
 * Filters on real frames from ../shared/corpus select the frames tcpdump
 * 4.99.3 (libpcap 1.10.3) selects.
 *
 * EXPECTED holds, per filter, the 1-based frame numbers tcpdump selects in
 * each of FILES, as ranges. They were made by running `tcpdump -r F -w out
 * 'EXPR'` and matching the written records back to the input frames: with a
 * filter, `tcpdump -#` numbers only the packets that pass, so its numbers
 * are not frame numbers. Where arpscope deliberately differs (VLAN tags,
 * see parser.ts) EXPR is tcpdump's equivalent: the union of the runs in
 * TCPDUMP, e.g. `arp`, `vlan and (arp)`, `vlan and vlan and (arp)` for our
 * `arp`, or the complement of such a union for `not arp`. The second suite
 * re-derives EXPECTED from /usr/bin/tcpdump when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../capture/open.js';
import { FrameView } from '../decode/frame.js';
import { compileFilter } from './index.js';

const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const haveCorpus = existsSync(corpus);
const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = haveCorpus && existsSync(TCPDUMP);

const FILES = [
  'public/pcapplusplus-ArpRequestWithVlan.pcap',
  'tcpdump-tests/802.1ad_QinQ.pcap',
  'public/nobleprog-arp-poison.pcapng',
  'public/zeek-icmp6-neighbor-solicit.pcap',
  'public/libpcap-rarp_req_reply.pcapng',
  'public/zeek-icmp_dot1q.pcap',
  'public/packetlife-QinQ.pcap',
  'public/packetnet-ipv6_redirect.pcap',
  'public/packetlife-ipv6_neighbor_spoofing.pcap',
  'public/zeek-nmap-vsn.pcap',
  'public/wiresharkwiki-arp-storm.pcap',
];

/** tcpdump's form of each filter: frames selected by any of `any`, or by none of `not`. */
type Ref = { any: string[] } | { not: string[] };
/** Our filter inside up to two VLAN tags, as libpcap must be told (each `vlan` moves later offsets by 4). */
const V = (x: string): string[] => [x, `vlan and (${x})`, `vlan and vlan and (${x})`];
const TCPDUMP_FORM: Record<string, Ref> = {
  'arp': { any: V('arp') },
  'arp and host 192.168.1.100': { any: V('arp and host 192.168.1.100') },
  'arp[6:2] = 2': { any: V('arp[6:2] = 2') },
  'arp[6:2] = 1': { any: V('arp[6:2] = 1') },
  'rarp': { any: V('rarp') },
  'icmp6': { any: V('icmp6') },
  'vlan': { any: ['vlan'] },
  'vlan 2001': { any: ['vlan 2001', 'vlan and vlan 2001'] },
  'vlan 200': { any: ['vlan 200', 'vlan and vlan 200'] },
  'ether host 00:11:22:33:44:55': { any: ['ether host 00:11:22:33:44:55'] },
  'ether src 00:d0:59:aa:af:80': { any: ['ether src 00:d0:59:aa:af:80'] },
  'not arp': { not: V('arp') },
  '(arp or rarp) and not ether broadcast': { any: V('(arp or rarp) and not ether broadcast') },
  'icmp6 and ip6[40] >= 133 and ip6[40] <= 137': { any: V('icmp6 and ip6[40] >= 133 and ip6[40] <= 137') },
  'icmp6[icmp6type] = icmp6-neighborsolicit': { any: V('icmp6[icmp6type] = icmp6-neighborsolicit') },
  'host 192.168.1.1': { any: V('host 192.168.1.1') },
  'src host 192.168.1.1 or 10.0.0.1': { any: V('src host 192.168.1.1 or 10.0.0.1') },
  'arp and not src 0': { any: V('arp and not src 0') },
  'icmp6 and not src ::': { any: V('icmp6 and not src ::') },
  'ether multicast': { any: ['ether multicast'] },
  'ip6 and dst net ff02::/16': { any: V('ip6 and dst net ff02::/16') },
};

/** Frame numbers (ranges) tcpdump selects in FILES[i]. */
const EXPECTED: Record<string, string[]> = {
  'arp': [
    '1',
    '1-2',
    '6-7,9-20',
    '',
    '',
    '1-4,6-7',
    '1-2',
    '',
    '',
    '2-10,12-77,79,81-87,89,91,93-94,97-113,117-149,153-256,258-358,360,362-363,365-366,370-410,414-477,482-486,489-491,493-535',
    '1-622',
  ],
  'arp and host 192.168.1.100': [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '125,393',
    '',
  ],
  'arp[6:2] = 2': [
    '',
    '2',
    '6-7,10,12-14,16,18-20',
    '',
    '',
    '1-2,4,7',
    '',
    '',
    '',
    '',
    '',
  ],
  'arp[6:2] = 1': [
    '1',
    '1',
    '9,11,15,17',
    '',
    '',
    '3,6',
    '1-2',
    '',
    '',
    '2-10,12-77,79,81-87,89,91,93-94,97-113,117-149,153-256,258-358,360,362-363,365-366,370-410,414-477,482-486,489-491,493-535',
    '1-622',
  ],
  'rarp': [
    '',
    '',
    '',
    '',
    '1-2',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  'icmp6': [
    '',
    '',
    '',
    '1',
    '',
    '',
    '',
    '1-14',
    '1-49',
    '',
    '',
  ],
  'vlan': [
    '1',
    '1-2',
    '',
    '',
    '',
    '1-15',
    '1-2',
    '',
    '',
    '',
    '',
  ],
  'vlan 2001': [
    '',
    '1-2',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  'vlan 200': [
    '1',
    '1-2',
    '',
    '',
    '',
    '',
    '1-2',
    '',
    '',
    '',
    '',
  ],
  'ether host 00:11:22:33:44:55': [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  'ether src 00:d0:59:aa:af:80': [
    '',
    '',
    '1,3,5-9,11,13-15,17,19-20',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  'not arp': [
    '',
    '',
    '1-5,8',
    '1',
    '1-2',
    '5,8-15',
    '',
    '1-14',
    '1-49',
    '1,11,78,80,88,90,92,95-96,114-116,150-152,257,359,361,364,367-369,411-413,478-481,487-488,492,536-547',
    '',
  ],
  '(arp or rarp) and not ether broadcast': [
    '',
    '2',
    '6-7,9-20',
    '',
    '2',
    '4,7',
    '',
    '',
    '',
    '',
    '',
  ],
  'icmp6 and ip6[40] >= 133 and ip6[40] <= 137': [
    '',
    '',
    '',
    '1',
    '',
    '',
    '',
    '1-8,11',
    '1-2,15-16,33,39,45',
    '',
    '',
  ],
  'icmp6[icmp6type] = icmp6-neighborsolicit': [
    '',
    '',
    '',
    '1',
    '',
    '',
    '',
    '2,5-7',
    '1,15',
    '',
    '',
  ],
  'ether multicast': [
    '1',
    '1',
    '',
    '1',
    '1',
    '1-3,6',
    '1-2',
    '1-6',
    '1',
    '2-10,12-77,79,81-87,89,91,93-94,97-113,117-149,153-256,258-358,360,362-363,365-366,370-410,414-477,482-486,489-491,493-535',
    '1-622',
  ],
  'host 192.168.1.1': [
    '',
    '',
    '1-20',
    '',
    '',
    '',
    '',
    '',
    '',
    '1,11,536-547',
    '',
  ],
  'src host 192.168.1.1 or 10.0.0.1': [
    '',
    '',
    '2,4-5,7-8,10-11,14,16-17,20',
    '',
    '',
    '',
    '',
    '',
    '',
    '11,542-547',
    '',
  ],
  'arp and not src 0': [
    '1',
    '1-2',
    '6-7,9-20',
    '',
    '',
    '1-4,6-7',
    '1-2',
    '',
    '',
    '2-10,12-77,79,81-87,89,91,93-94,97-113,117-149,153-256,258-358,360,362-363,365-366,370-410,414-477,482-486,489-491,493-535',
    '1-622',
  ],
  'icmp6 and not src ::': [
    '',
    '',
    '',
    '1',
    '',
    '',
    '',
    '1,3-4,7-14',
    '1-49',
    '',
    '',
  ],
  'ip6 and dst net ff02::/16': [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '1-6',
    '1',
    '',
    '',
  ],
};

interface Frame {
  buf: Buffer;
  caplen: number;
  wireLen: number;
  linkType: number;
  sec: number;
  usec: number;
}

async function readFrames(file: string): Promise<Frame[]> {
  const out: Frame[] = [];
  const r = await openCapture(file);
  try {
    for (;;) {
      if (r.next()) {
        const x = r.record;
        out.push({
          buf: Buffer.from(x.buf.subarray(x.off, x.off + x.caplen)), caplen: x.caplen, wireLen: x.wireLen,
          linkType: x.linkType, sec: x.tsSec, usec: Math.floor(x.tsNsec / 1000),
        });
        continue;
      }
      if (!(await r.fill())) break;
    }
  } finally {
    r.close();
  }
  return out;
}

function ranges(ns: number[]): string {
  const r: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    r.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return r.join(',');
}

const fv = new FrameView();
function select(expr: string, frames: Frame[]): string {
  const p = compileFilter(expr);
  const picked: number[] = [];
  frames.forEach((f, i) => {
    fv.decode(f.buf, 0, f.caplen, f.wireLen, f.linkType);
    if (p(fv)) picked.push(i + 1);
  });
  return ranges(picked);
}

describe.skipIf(!haveCorpus)('filters on corpus frames (needs ../shared/corpus)', () => {
  const frames = new Map<string, Frame[]>();
  beforeAll(async () => {
    for (const f of FILES) frames.set(f, await readFrames(join(corpus, f)));
  });

  for (const [expr, want] of Object.entries(EXPECTED)) {
    it(`'${expr}' selects what tcpdump selects`, () => {
      FILES.forEach((f, i) => expect(select(expr, frames.get(f)!), `${f}: ${expr}`).toBe(want[i]));
    });
  }

  it('differs from libpcap where documented', async () => {
    // 802.3 LLC/SNAP-encapsulated ARP: libpcap's `arp` only looks at the type field.
    const snap = await readFrames(join(corpus, 'public/zeek-snap-arp.pcapng'));
    expect(select('arp', snap)).toBe('1-4');
    expect(select('arp[6:2] = 2', snap)).toBe('3-4');
    // Tags: libpcap's `arp` without `vlan` does not see the ARP inside.
    expect(select('arp and vlan 666 and vlan 200', frames.get('public/pcapplusplus-ArpRequestWithVlan.pcap')!)).toBe('1');
    // hln = 255: the real tpa (192.168.123.2) is used, libpcap reads offset 24 (zeros).
    const leak = await readFrames(join(corpus, 'public/zeek-arp-leak.pcap'));
    expect(select('arp dst host 192.168.123.2', leak)).toBe('1');
    // An out-of-range load makes the comparison false; `not` of it is true (libpcap rejects the packet).
    const ns = frames.get('public/zeek-icmp6-neighbor-solicit.pcap')!;
    expect(select('ip6[1000] = 0', ns)).toBe('');
    expect(select('not ip6[1000] = 0', ns)).toBe('1');
  });
});

describe.skipIf(!haveTcpdump)('EXPECTED is what /usr/bin/tcpdump selects (needs ../shared/corpus and tcpdump)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-filter-'));
  const tmp = join(dir, 'out.pcap');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Frame numbers of the input frames tcpdump writes out for `expr`. */
  async function tcpdumpSelect(file: string, expr: string, frames: Frame[]): Promise<Set<number>> {
    rmSync(tmp, { force: true });
    execFileSync(TCPDUMP, ['-r', file, '-w', tmp, expr], { stdio: 'ignore' });
    const out = await readFrames(tmp);
    const picked = new Set<number>();
    let i = 0;
    for (const o of out) {
      while (i < frames.length && !(frames[i]!.sec === o.sec && frames[i]!.usec === o.usec && frames[i]!.buf.equals(o.buf))) i++;
      if (i === frames.length) throw new Error(`${file}: a record tcpdump wrote for '${expr}' is not in the input`);
      picked.add(++i);
    }
    return picked;
  }

  it('for every filter and file', async () => {
    for (const [fi, f] of FILES.entries()) {
      const path = join(corpus, f);
      const frames = await readFrames(path);
      for (const [expr, ref] of Object.entries(TCPDUMP_FORM)) {
        const union = new Set<number>();
        for (const e of 'any' in ref ? ref.any : ref.not) for (const n of await tcpdumpSelect(path, e, frames)) union.add(n);
        let picked = [...union].sort((a, b) => a - b);
        if ('not' in ref) picked = frames.map((_, i) => i + 1).filter((n) => !union.has(n));
        expect(ranges(picked), `${f}: ${expr}`).toBe(EXPECTED[expr]![fi]);
      }
    }
  }, 120_000);
});
