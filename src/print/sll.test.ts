import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showLink as show } from '../../test/link-harness.js';
import { setIfNamesForTest } from './sll.js';


const ARP = '0001080006040001 00226b970ea2 c0a80101 000000000000 c0a80166';
const REQ = 'Request who-has 192.168.1.102 tell 192.168.1.1, length 28';

// Expected texts are tcpdump 4.99.3's (`TZ=UTC tcpdump -n [-e] -r`) for the same frames.
describe('Linux cooked v1 (113)', () => {
  it('prints the -e header: packet type right-aligned, address, protocol, wire length', () => {
    expect(show(113, `0000 0001 0006 00226b970ea2 0000 0806 ${ARP}`, true)).toBe(
      ` In 00:22:6b:97:0e:a2 ethertype ARP (0x0806), length 44: ${REQ}`,
    );
    expect(show(113, `0000 0001 0006 00226b970ea2 0000 0806 ${ARP}`)).toBe(`ARP, ${REQ}`);
  });
  it('omits an address that is not 6 bytes', () => {
    expect(show(113, `0004 0001 0004 00226b970ea2 0000 0806 ${ARP}`, true)).toBe(
      `Out ethertype ARP (0x0806), length 44: ${REQ}`,
    );
  });
  it('prints 802.1Q tags, with the inner type name even without -e', () => {
    expect(show(113, `0001 0001 0006 00226b970ea2 0000 8100 0064 0806 ${ARP}`)).toBe(`ethertype ARP, ARP, ${REQ}`);
    expect(show(113, `0001 0001 0006 00226b970ea2 0000 8100 2064 0806 ${ARP}`, true)).toBe(
      `  B 00:22:6b:97:0e:a2 ethertype 802.1Q (0x8100), length 48: vlan 100, p 1, ethertype ARP, ${REQ}`,
    );
  });
  it('hands protocol 0x0004 to the LLC printer', () => {
    const f = `0000 0001 0006 00226b970ea2 0000 0004 aaaa03 000000 0806 ${ARP}`;
    expect(show(113, f, true)).toBe(
      ' In 00:22:6b:97:0e:a2 802.2, length 52: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ' +
        `ctrl 0x03: oui Ethernet (0x000000), ethertype ARP (0x0806), length 28: ${REQ}`,
    );
    expect(show(113, f)).toBe(`ARP, ${REQ}`);
  });
  it('prints the header and a dump for a protocol it does not decode', () => {
    const dump = '\n\t0x0000:  0102 0304 05                             .....';
    expect(show(113, '0000 0001 0006 00226b970ea2 0000 1234 0102030405')).toBe(
      ` In 00:22:6b:97:0e:a2 ethertype Unknown (0x1234), length 21: ${dump}`,
    );
    expect(show(113, '0000 0001 0006 00226b970ea2 0000 000c 0102030405', true)).toBe(
      ` In 00:22:6b:97:0e:a2 ethertype Unknown (0x000c), length 21: ${dump}`,
    );
  });
  it('reports a cut header as [|sll]', () => {
    expect(show(113, '0000 0001 0006 00226b970ea2')).toBe(' [|sll]');
  });
});

describe('Linux cooked v2 (276)', () => {
  beforeAll(() => setIfNamesForTest(new Map([[1, 'lo'], [2, 'ifb0']])));
  afterAll(() => setIfNamesForTest(undefined));

  it('always prints the interface name and packet type columns', () => {
    const f = `0806 0000 00000001 0001 04 06 8e360644acaf 0000 ${ARP}`;
    expect(show(276, f)).toBe(`lo    Out ARP, ${REQ}`);
    expect(show(276, f, true)).toBe(`lo    Out ifindex 1 8e:36:06:44:ac:af ethertype ARP (0x0806), length 48: ${REQ}`);
    expect(show(276, `0806 0000 0000001a 0001 00 06 8e360644acaf 0000 ${ARP}`)).toBe(`?     In  ARP, ${REQ}`);
  });
  it('falls back to "?" for unknown packet types and prints the header before a dump', () => {
    expect(show(276, '1234 0000 0000001a 0001 09 08 8e360644acaf 0000 01020304')).toBe(
      '?     ?   ifindex 26 ethertype Unknown (0x1234), length 24: \n\t0x0000:  0102 0304                                ....',
    );
  });
  it('reports a cut header as [|sll2]', () => {
    expect(show(276, '0806 0000 0000001a 0001 09')).toBe(' [|sll2]');
  });
});
