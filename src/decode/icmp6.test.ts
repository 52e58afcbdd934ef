import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checksumShouldBe, ICMP6_TYPE, ipv6PseudoChecksum, ND_OPT, NdView } from './icmp6.js';
import { Ipv6View } from './ipv6.js';
import { DecodeStatus } from './status.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** An IPv6 packet (no link layer) carrying `icmp`, with a correct checksum unless told otherwise. */
function ip6Packet(icmp: Buffer, opts: { src?: string; dst?: string; nh?: number; ext?: Buffer; fixSum?: boolean } = {}): Buffer {
  const ext = opts.ext ?? Buffer.alloc(0);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(ext.length + icmp.length, 4);
  h[6] = opts.nh ?? 58;
  h[7] = 255;
  hex(opts.src ?? 'fe800000000000000000000000000001').copy(h, 8);
  hex(opts.dst ?? 'ff020000000000000000000000000001').copy(h, 24);
  const pkt = Buffer.concat([h, ext, icmp]);
  if (opts.fixSum !== false) {
    const off = 40 + ext.length;
    pkt.writeUInt16BE(0, off + 2);
    pkt.writeUInt16BE(ipv6PseudoChecksum(pkt, 8, 24, 58, off, icmp.length), off + 2);
  }
  return pkt;
}

// RFC 4861 4.3: type, code, checksum, reserved, target, then options.
const NS = hex(`
  87 00 0000 00000000
  fe80 0000 0000 0000 0200 00ff fe00 0002
  01 01 0200 00aa bbcc
  0e 01 0102 0304 0506`);

const NA = hex(`
  88 00 0000 e0000000
  fe80 0000 0000 0000 0200 00ff fe00 0002
  02 01 0200 00aa bbcc`);

const RA = hex(`
  86 00 0000 40 c8 0708 0000 7530 0000 03e8
  01 01 0011 2233 4455
  05 01 0000 0000 05dc
  03 04 40c0 0027 8d00 0009 3a80 0000 0000 2001 0db8 0000 0001 0000 0000 0000 0000`);

const REDIRECT = hex(`
  89 00 0000 00000000
  fe80 0000 0000 0000 0000 0000 0000 0099
  2001 0db8 0000 0000 0000 0000 0000 0042
  02 01 0011 2233 4466`);

function decoded(icmp: Buffer, cut?: number): NdView {
  const pkt = ip6Packet(icmp);
  const v = new NdView();
  v.decode(pkt, 40, cut === undefined ? pkt.length : 40 + cut, icmp.length);
  return v;
}

describe('NdView', () => {
  it('decodes a neighbor solicitation with source link-layer address and nonce', () => {
    const v = decoded(NS);
    expect(v.status).toBe(DecodeStatus.Ok);
    expect(v.isNd).toBe(true);
    expect(v.type).toBe(ICMP6_TYPE.NEIGHBOR_SOLICIT);
    expect(v.targetOff).toBe(48);
    expect(v.buf.subarray(v.targetOff, v.targetOff + 16).toString('hex')).toBe('fe800000000000000200' + '00fffe000002');
    expect(v.sllaOff).toBe(40 + 24 + 2);
    expect(v.sllaLen).toBe(6);
    expect(v.buf.readUIntBE(v.sllaOff, 6)).toBe(0x020000aabbcc);
    expect(v.tllaOff).toBe(-1);
    expect(v.nonceOff).toBe(40 + 32 + 2);
    expect(v.nonceLen).toBe(6);
    expect(v.optionCount).toBe(2);
  });

  it('decodes neighbor advertisement flags', () => {
    const v = decoded(NA);
    expect(v.router && v.solicited && v.override).toBe(true);
    expect(v.tllaOff).toBe(40 + 24 + 2);
    expect(v.sllaOff).toBe(-1);
    const w = decoded(Buffer.concat([Buffer.from([0x88, 0, 0, 0, 0x40, 0, 0, 0]), NA.subarray(8)]));
    expect([w.router, w.solicited, w.override]).toEqual([false, true, false]);
  });

  it('decodes router advertisement fields and walks its options', () => {
    const v = decoded(RA);
    expect(v.status).toBe(DecodeStatus.Ok);
    expect(v.curHopLimit).toBe(64);
    expect(v.managed).toBe(true);
    expect(v.otherConfig).toBe(true);
    expect(v.routerPreference).toBe(1); // 0xc8: M, O, prf 01 (high)
    expect(v.routerLifetime).toBe(1800);
    expect(v.reachableTime).toBe(30000);
    expect(v.retransTimer).toBe(1000);
    const seen: [number, number, number][] = [];
    for (let ok = v.firstOption(); ok; ok = v.nextOption()) seen.push([v.optType, v.optLen, v.optOff]);
    expect(seen).toEqual([
      [ND_OPT.SOURCE_LINKADDR, 8, 56],
      [ND_OPT.MTU, 8, 64],
      [ND_OPT.PREFIX_INFORMATION, 32, 72],
    ]);
    expect(v.optStatus).toBe(DecodeStatus.Ok);
    expect(v.findOption(ND_OPT.MTU)).toBe(64);
    expect(v.buf.readUInt32BE(v.optDataOff + 2)).toBe(1500);
    expect(v.findOption(ND_OPT.RDNSS)).toBe(-1);
  });

  it('decodes a redirect', () => {
    const v = decoded(REDIRECT);
    expect(v.targetOff).toBe(48);
    expect(v.destOff).toBe(64);
    expect(v.tllaOff).toBe(40 + 40 + 2);
  });

  it('tells truncated from invalid', () => {
    expect(decoded(NS, 2).status).toBe(DecodeStatus.Truncated);
    expect(decoded(NS, 20).status).toBe(DecodeStatus.Truncated);
    const cut = decoded(NS, 30); // inside the first option
    expect(cut.status).toBe(DecodeStatus.Truncated);
    expect(cut.targetOff).toBe(48);
    expect(cut.sllaOff).toBe(-1);
    const second = decoded(NS, 36); // first option whole, nonce cut
    expect(second.status).toBe(DecodeStatus.Truncated);
    expect(second.sllaOff).toBe(66);

    const zero = Buffer.from(NS);
    zero[24 + 8 + 1] = 0; // nonce option length 0
    const z = decoded(zero);
    expect(z.status).toBe(DecodeStatus.Invalid);
    expect(z.sllaOff).toBe(66);
    expect(z.optionCount).toBe(1);

    const long = Buffer.from(NS);
    long[24 + 1] = 9; // runs past the message
    expect(decoded(long).status).toBe(DecodeStatus.Invalid);

    const v = new NdView();
    const pkt = ip6Packet(NS);
    expect(v.decode(pkt, 40, pkt.length, 20)).toBe(DecodeStatus.Invalid); // shorter than an NS
    expect(v.decode(pkt, 40, pkt.length, 2)).toBe(DecodeStatus.Invalid);
  });

  it('decodes non-ND messages without options', () => {
    const v = decoded(hex('80 00 0000 1234 0001 6162'));
    expect(v.status).toBe(DecodeStatus.Ok);
    expect(v.isNd).toBe(false);
    expect(v.type).toBe(128);
    expect(v.optionsOff).toBe(-1);
    expect(v.firstOption()).toBe(false);
  });

  it('is reusable: a second decode clears the first', () => {
    const v = decoded(NS);
    const pkt = ip6Packet(RA);
    v.decode(pkt, 40, pkt.length);
    expect(v.targetOff).toBe(-1);
    expect(v.nonceOff).toBe(-1);
    expect(v.sllaOff).toBe(58);
  });

  it('terminates and never throws on random bytes', () => {
    let s = 12345;
    const v = new NdView();
    for (let k = 0; k < 20000; k++) {
      const len = s % 120;
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        b[i] = s >>> 24;
      }
      if (len > 0) b[0] = 133 + (s % 5);
      const st = v.decode(b, 0, len, (s >>> 8) % 140);
      expect(st).toBeGreaterThan(0);
      let n = 0;
      for (let ok = v.firstOption(); ok; ok = v.nextOption()) {
        expect(v.optLen).toBeGreaterThanOrEqual(8);
        expect(v.optOff + v.optLen).toBeLessThanOrEqual(len);
        n++;
      }
      expect(n).toBe(v.optionCount);
    }
  });
});

describe('ICMPv6 checksum', () => {
  it('is 0 over a correct message, and says what the field should be otherwise', () => {
    const pkt = ip6Packet(RA);
    expect(ipv6PseudoChecksum(pkt, 8, 24, 58, 40, RA.length)).toBe(0);
    const good = pkt.readUInt16BE(42);
    pkt.writeUInt16BE(0x1234, 42);
    const sum = ipv6PseudoChecksum(pkt, 8, 24, 58, 40, RA.length);
    expect(sum).not.toBe(0);
    expect(checksumShouldBe(0x1234, sum)).toBe(good);
  });

  it('handles odd lengths', () => {
    const icmp = hex('80 00 0000 0001 0002 61');
    const pkt = ip6Packet(icmp);
    expect(ipv6PseudoChecksum(pkt, 8, 24, 58, 40, icmp.length)).toBe(0);
  });
});

describe('Ipv6View extension fields', () => {
  it('finds ICMPv6 behind a Hop-by-Hop header (MLD)', () => {
    const hbh = hex('3a 00 0502 0000 0100');
    const pkt = ip6Packet(hex('8f00 0000 0000 0000'), { nh: 0, ext: hbh, fixSum: false });
    pkt[1] = 0xa1; // traffic class 0x0a, flow label 0x10000 + ...
    pkt[2] = 0x23;
    pkt[3] = 0x45;
    const v = new Ipv6View();
    expect(v.decode(pkt, 0, pkt.length)).toBe(DecodeStatus.Ok);
    expect(v.icmp6Type).toBe(-1);
    expect(v.upperProto).toBe(58);
    expect(v.upperOff).toBe(48);
    expect(v.upperLen).toBe(8);
    expect(v.trafficClass).toBe(0x0a);
    expect(v.flowLabel).toBe(0x12345);
  });

  it('stops at a later fragment and at a cut header', () => {
    const frag = hex('3a 00 0008 0000 0001');
    const v = new Ipv6View();
    const pkt = ip6Packet(hex('8000 0000 0000 0000'), { nh: 44, ext: frag, fixSum: false });
    v.decode(pkt, 0, pkt.length);
    expect(v.upperProto).toBe(-1);
    v.decode(pkt, 0, 44);
    expect(v.upperProto).toBe(-1);
    pkt[40 + 3] = 0; // first fragment
    v.decode(pkt, 0, pkt.length);
    expect(v.upperProto).toBe(58);
  });
});

const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
describe.skipIf(!existsSync(CORPUS))('NdView on corpus frames', () => {
  it('sees the nonce in tcpdump-tests/icmpv6-ns-nonce.pcap', () => {
    const f = readFileSync(CORPUS + 'tcpdump-tests/icmpv6-ns-nonce.pcap');
    const caplen = f.readUInt32LE(24 + 8);
    const frame = f.subarray(40, 40 + caplen);
    const ip = new Ipv6View();
    expect(ip.decode(frame, 14, frame.length)).toBe(DecodeStatus.Ok);
    const nd = new NdView();
    expect(nd.decode(frame, ip.payloadOff, frame.length, ip.payloadLen)).toBe(DecodeStatus.Ok);
    expect(nd.type).toBe(135);
    expect(nd.nonceOff).toBeGreaterThan(0);
    expect(ipv6PseudoChecksum(frame, ip.srcOff, ip.dstOff, 58, nd.off, nd.length)).toBe(0);
  });
});
