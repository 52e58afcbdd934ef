import { describe, expect, it } from 'vitest';
import { FrameView, NetKind } from './frame.js';
import { DecodeStatus } from './status.js';
import './links.js';

const H = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ARP = '0001080006040001 00226b970ea2 c0a80101 000000000000 c0a80166';

function decode(linkType: number, hex: string, at = 3): FrameView {
  const frame = H(hex);
  const buf = Buffer.concat([Buffer.alloc(at, 0xee), frame]);
  const f = new FrameView();
  f.decode(buf, at, frame.length, frame.length, linkType);
  return f;
}

describe('SLL decoder (113)', () => {
  it('takes the 6-byte sender address and the ethertype', () => {
    const f = decode(113, `0000 0001 0006 00226b970ea2 0000 0806 ${ARP}`);
    expect(f.linkStatus).toBe(DecodeStatus.Ok);
    expect(f.srcMac).toBe(0x00226b970ea2);
    expect(f.srcMacOff).toBe(3 + 6);
    expect(f.dstMac).toBe(-1);
    expect(f.ethertype).toBe(0x0806);
    expect(f.netOff).toBe(3 + 16);
    expect(f.net).toBe(NetKind.Arp);
    expect(f.arp.status).toBe(DecodeStatus.Ok);
    expect(f.isArpOrNd).toBe(true);
  });
  it('has no MAC when the address is not 6 bytes', () => {
    const f = decode(113, `0004 0001 0004 00226b970ea2 0000 8035 ${ARP}`);
    expect(f.srcMac).toBe(-1);
    expect(f.net).toBe(NetKind.Rarp);
  });
  it('follows 802.1Q tags and 802.2 SNAP (protocol 0x0004)', () => {
    const v = decode(113, `0000 0001 0006 00226b970ea2 0000 8100 0064 0806 ${ARP}`);
    expect(v.vlanDepth).toBe(1);
    expect(v.vlanIds[0]).toBe(100);
    expect(v.net).toBe(NetKind.Arp);
    const s = decode(113, `0000 0001 0006 00226b970ea2 0000 0004 aaaa03 000000 0806 ${ARP}`);
    expect(s.ethertype).toBe(0x0806);
    expect(s.netOff).toBe(3 + 16 + 8);
    expect(s.net).toBe(NetKind.Arp);
  });
  it('does not read LLC for other short protocol values (CAN, raw IPX, ...)', () => {
    const f = decode(113, `0000 0001 0006 00226b970ea2 0000 000c aaaa03 000000 0806 ${ARP}`);
    expect(f.net).toBe(NetKind.Other);
    expect(f.isArpOrNd).toBe(false);
  });
  it('decodes radiotap + 802.11 when the hardware type is 803', () => {
    const f = decode(
      113,
      `0000 0323 0006 001122334455 0000 0019 0000 0f00 2a000000 00 00 8509 a000 ce 0801 3a01 ffffffffffff 020000000002 020000000003 1000 aaaa03000000 0806 ${ARP}`,
    );
    expect(f.srcMac).toBe(0x020000000002);
    expect(f.dstMac).toBe(0x020000000003);
    expect(f.net).toBe(NetKind.Arp);
  });
  it('reports a cut header as truncated', () => {
    expect(decode(113, '0000 0001 0006 00226b970ea2').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(113, '0000 0001 0006 00226b970ea2 0000 8100 00').linkStatus).toBe(DecodeStatus.Truncated);
  });
});

describe('SLL2 decoder (276)', () => {
  it('takes the address, the protocol at offset 0, and the payload at 20', () => {
    const f = decode(276, `0806 0000 0000001a 0001 04 06 8e360644acaf 0000 ${ARP}`, 0);
    expect(f.srcMac).toBe(0x8e360644acaf);
    expect(f.srcMacOff).toBe(12);
    expect(f.ethertype).toBe(0x0806);
    expect(f.netOff).toBe(20);
    expect(f.net).toBe(NetKind.Arp);
  });
  it('handles 802.2 and tags like SLL', () => {
    expect(decode(276, `0004 0000 00000002 0001 00 06 8e360644acaf 0000 aaaa03 000000 0806 ${ARP}`).net).toBe(NetKind.Arp);
    expect(decode(276, `8100 0000 00000002 0001 00 06 8e360644acaf 0000 2064 0806 ${ARP}`).vlanIds[0]).toBe(100);
  });
  it('reports a cut header as truncated', () => {
    expect(decode(276, '0806 0000 0000001a 0001 04').linkStatus).toBe(DecodeStatus.Truncated);
  });
});
