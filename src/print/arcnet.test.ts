import { describe, expect, it } from 'vitest';
import { showLink as show } from '../../test/link-harness.js';


const ARP = '0007 0800 0104 0001 be 0a508301 00 0a5083fe';
const REQ = 'Request who-has 10.80.131.254 tell 10.80.131.1, length 18';

// Expected texts are tcpdump 4.99.3's for the same frames.
describe('ARCNET, Linux (129)', () => {
  it('prints "-e" with byte 2 (the offset field) where the type name goes, as tcpdump does', () => {
    expect(show(129, `be 00 ed23 f1 ${ARP}`, true)).toBe(`be 00 ed 23: ${REQ}`);
    expect(show(129, `be 50 0000 d5 000000 ${ARP}`, true)).toBe(`be 50 00 26: ${REQ}`);
  });
  it('hands RFC 1051 and RFC 1201 ARP to the ARP printer (1-byte hardware addresses)', () => {
    expect(show(129, `be 00 ed23 f1 ${ARP}`)).toBe(`ARP, ${REQ}`);
  });
  it('dumps unknown types and reports short headers', () => {
    expect(show(129, 'be 50 0000 99 000000 0102', true)).toBe('be 50 00 10: \n\t0x0000:  0102                                     ..');
    expect(show(129, 'be 50 00')).toBe(' [|arcnet_linux]');
    expect(show(129, 'be 50 0000 d5 00')).toBe(' [|arcnet_linux]');
  });
});

describe('ARCNET, BSD (7)', () => {
  it('prints the RFC 1051 and RFC 1201 headers with -e', () => {
    expect(show(7, `be 50 f1 ${ARP}`, true)).toBe(`be 50 oldarp 21: ${REQ}`);
    expect(show(7, `be 50 d5 00 1234 ${ARP}`, true)).toBe(`be 50 arp seqid 1234 24: ${REQ}`);
    expect(show(7, `be 50 d5 ff 1234 d5 00 5678 ${ARP}`, true)).toBe(`be 50 arp seqid 5678 28: ${REQ}`);
    expect(show(7, `be 50 d6 00 1234 ${ARP}`)).toBe(`ARP, ${REQ}`);
  });
  it('prints fragments: the first decoded, later ones not', () => {
    expect(show(7, `be 50 d5 03 1234 ${ARP}`, true)).toBe(`be 50 arp seqid 1234 (first of 3 fragments) 24: ${REQ}`);
    expect(show(7, `be 50 d5 04 1234 ${ARP}`, true)).toBe('be 50 arp seqid 1234 (fragment 3) 24: ');
  });
  it('prints what it has of a short header, even without -e', () => {
    expect(show(7, 'be 50 d5 00')).toBe('be 50 arp 4:  phds [|arcnet]');
    expect(show(7, 'be 50 d5 ff 1234 d5')).toBe('be 50 arp 7:  phds extended [|arcnet]');
    expect(show(7, 'be 50')).toBe(' [|arcnet]');
  });
});
