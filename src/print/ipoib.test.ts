import { describe, expect, it } from 'vitest';
import { showLink as show } from '../../test/link-harness.js';


const HDR = '11'.repeat(40);
const ARP =
  '0020 0800 1404 0001 00000048fe800000000000000002c90300a1b2c3 c0a80001 0000000000000000000000000000000000000000 c0a80002';
const REQ = 'Request who-has 192.168.0.2 tell 192.168.0.1, length 56';

// Expected texts are tcpdump 4.99.3's for the same frames.
describe('IP over InfiniBand (242)', () => {
  it('prints "IPOIB, ethertype ..." with -e and hands the payload on', () => {
    expect(show(242, `${HDR} 0806 0000 ${ARP}`, true)).toBe(`IPOIB, ethertype ARP (0x0806), length 100: ${REQ}`);
    expect(show(242, `${HDR} 0806 0000 ${ARP}`)).toBe(`ARP, ${REQ}`);
  });
  it('prints the header (without "IPOIB", as tcpdump does) before a dump of an unknown type', () => {
    const dump = '\n\t0x0000:  0102                                     ..';
    expect(show(242, `${HDR} 1234 0000 0102`)).toBe(`, ethertype Unknown (0x1234), length 46: ${dump}`);
    expect(show(242, `${HDR} 1234 0000 0102`, true)).toBe(`IPOIB, ethertype Unknown (0x1234), length 46: ${dump}`);
  });
  it('reports a short header as [|ipoib]', () => {
    expect(show(242, `${HDR} 12`)).toBe(' [|ipoib]');
  });
});
