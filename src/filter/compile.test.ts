/**
 * Predicates on hand-built frames: each primitive's edge cases, truncation,
 * VLAN stacks and link types. Corpus frames are in corpus.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FrameView, LINKTYPE } from '../decode/frame.js';
import { parseIPv6 } from './lexer.js';
import { compileFilter } from './index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex');
const mac = (s: string): Buffer => hex(s);
const ip4 = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
const ip6 = (s: string): Buffer => Buffer.from(parseIPv6(s)!);

const BCAST = 'ff:ff:ff:ff:ff:ff';
const A = '00:11:22:33:44:55';
const B = '02:00:00:00:00:0b';

function ether(dst: string, src: string, tags: [number, number][], type: number, payload: Buffer): Buffer {
  const parts = [mac(dst), mac(src)];
  for (const [tpid, id] of tags) parts.push(Buffer.from([tpid >> 8, tpid & 255, id >> 8, id & 255]));
  parts.push(Buffer.from([type >> 8, type & 255]), payload);
  return Buffer.concat(parts);
}

function arpBody(op: number, sha: string, spa: string, tha: string, tpa: string, pro = 0x0800): Buffer {
  return Buffer.concat([Buffer.from([0, 1, pro >> 8, pro & 255, 6, 4, 0, op]), mac(sha), ip4(spa), mac(tha), ip4(tpa)]);
}

function ipv6Packet(nh: number, src: string, dst: string, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = 0x60;
  h.writeUInt16BE(payload.length, 4);
  h[6] = nh;
  h[7] = 255;
  return Buffer.concat([h, ip6(src), ip6(dst), payload]);
}

function ipv4Packet(proto: number, src: string, dst: string): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x45;
  h.writeUInt16BE(20, 2);
  h[8] = 64;
  h[9] = proto;
  return Buffer.concat([h, ip4(src), ip4(dst)]);
}

const ns = Buffer.concat([Buffer.from([135, 0, 0, 0, 0, 0, 0, 0]), ip6('fe80::1')]);
const FRAMES: Record<string, Buffer> = {
  request: ether(BCAST, A, [], 0x0806, arpBody(1, A, '10.0.0.1', '00:00:00:00:00:00', '10.0.0.2')),
  reply: ether(A, B, [], 0x0806, arpBody(2, B, '10.0.0.2', A, '10.0.0.1')),
  probe: ether(BCAST, B, [], 0x0806, arpBody(1, B, '0.0.0.0', '00:00:00:00:00:00', '10.0.0.9')),
  tagged: ether(BCAST, A, [[0x88a8, 100], [0x8100, 2001]], 0x0806, arpBody(2, A, '192.168.1.100', A, '192.168.1.1')),
  rarp: ether(BCAST, A, [], 0x8035, arpBody(3, A, '0.0.0.0', A, '0.0.0.0')),
  appletalk: ether(BCAST, A, [], 0x0806, arpBody(1, A, '0.0.0.0', A, '0.0.0.0', 0x809b)),
  ns: ether('33:33:ff:00:00:01', A, [], 0x86dd, ipv6Packet(58, '::', 'ff02::1:ff00:1', ns)),
  nsFrag: ether('33:33:ff:00:00:01', A, [], 0x86dd, ipv6Packet(44, 'fe80::a', 'ff02::1:ff00:1',
    Buffer.concat([Buffer.from([58, 0, 0, 0, 0, 0, 0, 1]), ns]))),
  na: ether(A, B, [[0x8100, 7]], 0x86dd, ipv6Packet(58, '2001:db8::b', 'fe80::1', Buffer.from([136, 0, 0, 0, 0x60, 0, 0, 0]))),
  udp: ether(BCAST, A, [], 0x0800, ipv4Packet(17, '10.0.0.1', '255.255.255.255')),
  mcast: ether('01:00:5e:00:00:fb', A, [], 0x0800, ipv4Packet(17, '10.1.2.3', '224.0.0.251')),
};
/** A 14-byte cut of the reply, and an ARP reply without its target addresses. */
const SHORT: Record<string, Buffer> = {
  cut: FRAMES.reply!.subarray(0, 14),
  arpTail: FRAMES.reply!.subarray(0, 14 + 8 + 6 + 4),
};

const fv = new FrameView();
function matches(expr: string, frames: Record<string, Buffer> = FRAMES, linkType: number = LINKTYPE.ETHERNET): string[] {
  const p = compileFilter(expr);
  const out: string[] = [];
  for (const [name, buf] of Object.entries(frames)) {
    fv.decode(buf, 0, buf.length, Math.max(buf.length, 60), linkType);
    if (p(fv)) out.push(name);
  }
  return out;
}

describe('compiled filters', () => {
  it('match protocols through VLAN tags at any depth', () => {
    expect(matches('arp')).toEqual(['request', 'reply', 'probe', 'tagged', 'appletalk']);
    expect(matches('rarp')).toEqual(['rarp']);
    expect(matches('ip6')).toEqual(['ns', 'nsFrag', 'na']);
    expect(matches('icmp6')).toEqual(['ns', 'nsFrag', 'na']);
    expect(matches('ip6 proto 58')).toEqual(['ns', 'nsFrag', 'na']);
    expect(matches('ip')).toEqual(['udp', 'mcast']);
    expect(matches('ip proto 17 and proto \\udp')).toEqual(['udp', 'mcast']);
    expect(matches('ether proto \\arp')).toEqual(matches('arp'));
    expect(matches('ether proto 0x88a8')).toEqual(['tagged']);
    expect(matches('ether proto 0x8100')).toEqual(['tagged', 'na']);
    expect(matches('vlan')).toEqual(['tagged', 'na']);
    expect(matches('vlan 2001 and vlan 100')).toEqual(['tagged']);
    expect(matches('vlan 7 or vlan 8')).toEqual(['na']);
    expect(matches('not vlan and not arp and not ip6')).toEqual(['rarp', 'udp', 'mcast']);
  });

  it('match ARP, RARP and IPv4 addresses', () => {
    expect(matches('host 10.0.0.1')).toEqual(['request', 'reply', 'udp']);
    expect(matches('arp host 10.0.0.1')).toEqual(['request', 'reply']);
    expect(matches('arp src 10.0.0.1')).toEqual(['request']);
    expect(matches('dst host 10.0.0.1')).toEqual(['reply']);
    expect(matches('ip host 10.0.0.1')).toEqual(['udp']);
    expect(matches('arp and host 192.168.1.100')).toEqual(['tagged']);
    expect(matches('arp and not src 0')).toEqual(['request', 'reply', 'tagged', 'appletalk']);
    expect(matches('arp src and dst 0.0.0.0')).toEqual([]);
    expect(matches('rarp host 0')).toEqual(['rarp']);
    expect(matches('net 10')).toEqual(['request', 'reply', 'probe', 'udp', 'mcast']);
    expect(matches('dst net 10.0.0.0/30')).toEqual(['request', 'reply']);
    expect(matches('net 10.1.0.0 mask 255.255.0.0')).toEqual(['mcast']);
    expect(matches('src net 10.0.0.0/8 and dst net 224.0.0.0/4')).toEqual(['mcast']);
    expect(matches('host 10.0.0.1 or 10.0.0.9')).toEqual(['request', 'reply', 'probe', 'udp']);
    expect(matches('net 0.0.0.0/0 and arp')).toEqual(['request', 'reply', 'probe', 'tagged']);
  });

  it('match IPv6 addresses as bytes, with prefixes', () => {
    expect(matches('host ff02::1:ff00:1')).toEqual(['ns', 'nsFrag']);
    expect(matches('src ::')).toEqual(['ns']);
    expect(matches('icmp6 and not src ::')).toEqual(['nsFrag', 'na']);
    expect(matches('ip6 dst fe80::1 or fe80::a')).toEqual(['na']);
    expect(matches('host fe80::a')).toEqual(['nsFrag']);
    expect(matches('net 2001:db8::/32')).toEqual(['na']);
    expect(matches('src net 2001:db8::/31')).toEqual(['na']);
    expect(matches('src net 2001:db9::/32')).toEqual([]);
    expect(matches('dst net ff02::1:ff00:0/104')).toEqual(['ns', 'nsFrag']);
    expect(matches('dst net ff02::1:fe00:0/103')).toEqual(['ns', 'nsFrag']);
    expect(matches('dst net ff02::1:fe00:0/104')).toEqual([]);
    expect(matches('net ::/0')).toEqual(['ns', 'nsFrag', 'na']);
  });

  it('match link addresses and casts', () => {
    expect(matches(`ether host ${A}`)).toEqual(Object.keys(FRAMES).filter((n) => n !== 'probe'));
    expect(matches(`ether src ${B}`)).toEqual(['reply', 'probe', 'na']);
    expect(matches(`ether dst ${A} or ${B}`)).toEqual(['reply', 'na']);
    expect(matches(`ether src and dst ${A}`)).toEqual([]);
    expect(matches('ether broadcast')).toEqual(['request', 'probe', 'tagged', 'rarp', 'appletalk', 'udp']);
    expect(matches('multicast and not broadcast')).toEqual(['ns', 'nsFrag', 'mcast']);
    expect(matches('(arp or rarp) and not ether broadcast')).toEqual(['reply']);
    expect(matches('ip broadcast')).toEqual(['udp']);
    // libpcap's test is dst[0] >= 224, so 255.255.255.255 counts too.
    expect(matches('ip multicast')).toEqual(['udp', 'mcast']);
    expect(matches('ip6 multicast')).toEqual(['ns', 'nsFrag']);
  });

  it('compare bytes relative to each header', () => {
    expect(matches('arp[6:2] = 2')).toEqual(['reply', 'tagged']);
    expect(matches('arp[6:2] = 1')).toEqual(['request', 'probe', 'appletalk']);
    expect(matches('rarp[7] = 3')).toEqual(['rarp']);
    expect(matches('arp[2:2] != 0x0800')).toEqual(['appletalk']);
    expect(matches('arp[14:4] = 0')).toEqual(['probe', 'appletalk']);
    expect(matches('ether[12:2] = 0x0806')).toEqual(['request', 'reply', 'probe', 'appletalk']);
    expect(matches('ether[0] & 1 = 1')).toEqual(matches('ether multicast'));
    expect(matches('ether[6:4] = 0x00112233 and ether[10:2] == 0x4455')).toEqual(
      ['request', 'tagged', 'rarp', 'appletalk', 'ns', 'nsFrag', 'udp', 'mcast']);
    expect(matches('ip6[40] = 135')).toEqual(['ns']);
    expect(matches('icmp6[icmp6type] = icmp6-neighborsolicit')).toEqual(['ns']);
    expect(matches('icmp6[0] = icmp6-neighboradvert and icmp6[4] & 0x40 != 0')).toEqual(['na']);
    expect(matches('icmp6 and ip6[40] >= 133 and ip6[40] <= 137')).toEqual(['ns', 'na']);
    expect(matches('ip6[6] = 44 and ip6[48] = 135')).toEqual(['nsFrag']);
    expect(matches('ip[9] = 17 and ip[16:4] = 0xffffffff')).toEqual(['udp']);
    expect(matches('ip6[ip6[4:2] + 39] = 1 and ip6[4:2] = 24')).toEqual(['ns']);
    expect(matches('arp[ether[0] & 7] = 1')).toEqual(['request', 'probe', 'appletalk']);
  });

  it('does arithmetic in unsigned 32 bits', () => {
    expect(matches('arp[6:2] - 3 > 0x7fffffff')).toEqual(['request', 'reply', 'probe', 'tagged', 'appletalk']);
    expect(matches('-arp[7] = 0xfffffffe')).toEqual(['reply', 'tagged']);
    expect(matches('arp[7] * 0x80000000 = 0 and arp[7] = 2')).toEqual(['reply', 'tagged']);
    expect(matches('arp[7] << 31 >> 31 = 1')).toEqual(['request', 'probe', 'appletalk']);
    expect(matches('arp[7] ^ 3 = 1 and arp[7] | 4 = 6 and arp[7] % 2 = 0 and arp[7] / 2 = 1')).toEqual(['reply', 'tagged']);
    expect(matches('arp[5] << arp[4] = 256')).toEqual(matches('arp'));
    expect(matches('arp[4] << (arp[4] * 6) = 0')).toEqual(matches('arp'));
  });

  it('treats an out-of-range load or a zero divisor as a false comparison, never a throw', () => {
    expect(matches('arp[6:2] = 2', SHORT)).toEqual(['arpTail']);
    expect(matches('arp[27] = 0 or arp[28] = 0 or arp[27:2] = 0 or arp[25:4] = 0', SHORT)).toEqual([]);
    expect(matches('arp[14:4] = 0x0a000002 and not arp[24:4] = 0x0a000001', SHORT)).toEqual(['arpTail']);
    expect(matches('arp host 10.0.0.2', SHORT)).toEqual([]);
    expect(matches('ether[13] = 6 and ether[14] = 0', SHORT)).toEqual(['arpTail']);
    expect(matches('ether[4294967295] = 0 or arp[4294967292:4] = 0 or ip6[100] > 0')).toEqual([]);
    expect(matches('not ether[1000] = 0')).toEqual(Object.keys(FRAMES));
    expect(matches('len / (arp[7] - 1) = 60 or len % (arp[7] - 1) = 0')).toEqual(['reply', 'tagged']);
    expect(matches('len / (arp[7] - 1) != 61 and arp')).toEqual(['reply', 'tagged']);
    expect(matches('arp or rarp or ip6', { empty: Buffer.alloc(0), one: Buffer.from([1]) })).toEqual([]);
  });

  it('reads the wire length for len, less and greater', () => {
    const big = { big: Buffer.concat([FRAMES.request!, Buffer.alloc(40)]) };
    expect(matches('len = 60')).toEqual(Object.keys(FRAMES).filter((n) => FRAMES[n]!.length <= 60));
    expect(matches('greater 61', big)).toEqual(['big']);
    expect(matches('less 100 or len >= 101', big)).toEqual(['big']);
    expect(matches('less 81', big)).toEqual([]);
  });

  it('counts ether[...] from the frame start on Ethernet links only', () => {
    expect(matches('ether[0] = 0xff or ether[0] < 0xff', FRAMES, LINKTYPE.LINUX_SLL)).toEqual([]);
    expect(matches('ether broadcast or arp', FRAMES, 9999)).toEqual([]);
  });

  it('matches everything for an empty expression and folds constants', () => {
    expect(matches('')).toEqual(Object.keys(FRAMES));
    expect(matches('1 = 1 or arp[1000] = 0')).toEqual(Object.keys(FRAMES));
    expect(matches('5 > 6 and arp')).toEqual([]);
    expect(matches('not (2 < 1)')).toEqual(Object.keys(FRAMES));
  });
});
