import { describe, expect, it } from 'vitest';
import { FrameView, NetKind } from './frame.js';
import { DecodeStatus } from './status.js';
import './links.js';

const H = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ARP = '0007 0800 0104 0001 be 0a508301 00 0a5083fe';

function decode(linkType: number, hex: string): FrameView {
  const buf = H(hex);
  const f = new FrameView();
  f.decode(buf, 0, buf.length, buf.length, linkType);
  return f;
}

describe('ARCNET Linux decoder (129)', () => {
  it('maps RFC 1051 and RFC 1201 ARP to ethertype 0x0806 with the right header length', () => {
    const old = decode(129, `be 00 ed23 f1 ${ARP}`);
    expect(old.ethertype).toBe(0x0806);
    expect(old.netOff).toBe(5);
    expect(old.net).toBe(NetKind.Arp);
    expect(old.arp.hln).toBe(1);
    expect(old.arp.status).toBe(DecodeStatus.Ok);
    const neu = decode(129, `be 50 0000 d5 000000 ${ARP}`);
    expect(neu.netOff).toBe(8);
    expect(neu.net).toBe(NetKind.Arp);
    expect(neu.srcMac).toBe(-1);
  });
  it('maps RARP and IPv6', () => {
    expect(decode(129, `be 50 0000 d6 000000 ${ARP}`).net).toBe(NetKind.Rarp);
    expect(decode(129, 'be 50 0000 c4 000000 6000').ethertype).toBe(0x86dd);
    expect(decode(129, 'be 50 0000 99 000000 6000').ethertype).toBe(-1);
  });
  it('reports short headers as truncated', () => {
    expect(decode(129, 'be 50 00 00').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(129, 'be 50 0000 d5 00').linkStatus).toBe(DecodeStatus.Truncated);
  });
});

describe('ARCNET BSD decoder (7)', () => {
  it('handles the short, the RFC 1201 and the exception headers', () => {
    expect(decode(7, `be 50 f1 ${ARP}`).netOff).toBe(3);
    expect(decode(7, `be 50 d5 00 1234 ${ARP}`).netOff).toBe(6);
    expect(decode(7, `be 50 d5 01 1234 ${ARP}`).net).toBe(NetKind.Arp);
    const exc = decode(7, `be 50 d5 ff 1234 d5 00 5678 ${ARP}`);
    expect(exc.netOff).toBe(10);
    expect(exc.net).toBe(NetKind.Arp);
  });
  it('finds no network layer in a middle fragment', () => {
    const f = decode(7, `be 50 d5 04 1234 ${ARP}`);
    expect(f.linkStatus).toBe(DecodeStatus.Ok);
    expect(f.netOff).toBe(-1);
    expect(f.isArpOrNd).toBe(false);
  });
  it('reports short headers as truncated', () => {
    expect(decode(7, 'be 50').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(7, 'be 50 d5 00').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(7, 'be 50 d5 ff 1234 d5').linkStatus).toBe(DecodeStatus.Truncated);
  });
});
