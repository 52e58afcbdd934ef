import { describe, expect, it } from 'vitest';
import { FrameView, NetKind } from './frame.js';
import { DecodeStatus } from './status.js';
import './links.js';

const H = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const HDR = '11'.repeat(40);
const ARP =
  '0020 0800 1404 0001 00000048fe800000000000000002c90300a1b2c3 c0a80001 0000000000000000000000000000000000000000 c0a80002';

function decode(hex: string): FrameView {
  const buf = H(hex);
  const f = new FrameView();
  f.decode(buf, 0, buf.length, buf.length, 242);
  return f;
}

describe('IPoIB decoder (242)', () => {
  it('reads the ethertype at 40 and the payload at 44; no 6-byte MACs', () => {
    const f = decode(`${HDR} 0806 0000 ${ARP}`);
    expect(f.ethertype).toBe(0x0806);
    expect(f.netOff).toBe(44);
    expect(f.srcMac).toBe(-1);
    expect(f.net).toBe(NetKind.Arp);
    expect(f.arp.hln).toBe(20);
    expect(f.arp.status).toBe(DecodeStatus.Ok);
  });
  it('reports a header shorter than 44 bytes as truncated', () => {
    expect(decode(`${HDR} 0806`).linkStatus).toBe(DecodeStatus.Truncated);
  });
});
