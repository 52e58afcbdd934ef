import { describe, expect, it } from 'vitest';
import { FrameView, NetKind } from './frame.js';
import { DecodeStatus } from './status.js';
import './links.js';

const H = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SNAP_ARP = 'aaaa03000000 0806 0001080006040001001122334455c0a80001000000000000c0a80002';
const A = 'a1a1a1a1a1a1 a2a2a2a2a2a2 a3a3a3a3a3a3';
const A1 = 0xa1a1a1a1a1a1;
const A2 = 0xa2a2a2a2a2a2;
const A3 = 0xa3a3a3a3a3a3;
const A4 = 0xa4a4a4a4a4a4;

function decode(linkType: number, hex: string, wireExtra = 0): FrameView {
  const buf = H(hex);
  const f = new FrameView();
  f.decode(buf, 0, buf.length, buf.length + wireExtra, linkType);
  return f;
}

describe('802.11 decoder (105)', () => {
  it('picks DA and SA by the ToDS/FromDS bits', () => {
    const cases: [string, string, number, number][] = [
      ['0800', '', A2, A1],
      ['0801', '', A2, A3],
      ['0802', '', A3, A1],
      ['0803', 'a4a4a4a4a4a4', A4, A3],
    ];
    for (const [fc, a4, src, dst] of cases) {
      const f = decode(105, `${fc} 3a01 ${A} 1000 ${a4} ${SNAP_ARP}`);
      expect(f.srcMac).toBe(src);
      expect(f.dstMac).toBe(dst);
      expect(f.net).toBe(NetKind.Arp);
      expect(f.netOff).toBe(24 + a4.length / 2 + 8);
    }
  });
  it('skips the QoS field, and HT Control when a QoS frame has the Order bit', () => {
    expect(decode(105, `8801 3a01 ${A} 1000 0000 ${SNAP_ARP}`).netOff).toBe(26 + 8);
    expect(decode(105, `8881 3a01 ${A} 1000 0000 00000000 ${SNAP_ARP}`).netOff).toBe(30 + 8);
  });
  it('finds no network layer in null-data, protected, control and management frames', () => {
    expect(decode(105, `4801 3a01 ${A} 1000 ${SNAP_ARP}`).isArpOrNd).toBe(false);
    expect(decode(105, `0841 3a01 ${A} 1000 ${SNAP_ARP}`).isArpOrNd).toBe(false);
    expect(decode(105, `d400 0000 a1a1a1a1a1a1 ${SNAP_ARP}`).isArpOrNd).toBe(false);
    const m = decode(105, `8000 0000 ${A} 1000 ${SNAP_ARP}`);
    expect(m.isArpOrNd).toBe(false);
    expect(m.dstMac).toBe(A1);
    expect(m.srcMac).toBe(A2);
  });
  it('takes only an Ethernet-OUI SNAP header as an ethertype', () => {
    expect(decode(105, `0801 3a01 ${A} 1000 aaaa03 00000c 0806 00`).ethertype).toBe(-1);
    expect(decode(105, `0801 3a01 ${A} 1000 aaaa03 0000f8 0806 00`).ethertype).toBe(0x0806);
  });
  it('reports a cut MAC header as truncated', () => {
    expect(decode(105, '08').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(105, `0803 3a01 ${A} 1000`).linkStatus).toBe(DecodeStatus.Truncated);
  });
});

describe('radiotap decoder (127)', () => {
  const data = `0801 3a01 ${A} 1000 ${SNAP_ARP}`;
  it('skips the header by its length, over extended presence words', () => {
    const f = decode(127, `0000 1000 020000a0 00000080 00000000 ${data}`);
    expect(f.net).toBe(NetKind.Arp);
    expect(f.netOff).toBe(16 + 24 + 8);
  });
  it('honours the FCS and padding flags (after an 8-byte aligned TSFT)', () => {
    const fcs = decode(127, `0000 1100 03000000 0100000000000000 10 ${data} deadbeef`);
    expect(fcs.net).toBe(NetKind.Arp);
    expect(fcs.arp.status).toBe(DecodeStatus.Ok);
    const pad = decode(127, `0000 0900 02000000 20 8801 3a01 ${A} 1000 0000 0000 ${SNAP_ARP}`);
    expect(pad.netOff).toBe(9 + 28 + 8);
    expect(pad.net).toBe(NetKind.Arp);
  });
  it('reports impossible or cut headers as truncated', () => {
    expect(decode(127, '0000 0700 00000000').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(127, '0000 4000 00000000').linkStatus).toBe(DecodeStatus.Truncated);
    expect(decode(127, '0000 0c00 00000080 00000080').linkStatus).toBe(DecodeStatus.Truncated);
  });
});
