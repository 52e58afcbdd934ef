import { describe, expect, it } from 'vitest';
import { Ipv4Index, Ipv6Index, MacIndex } from './address-index.js';

describe('address indexes', () => {
  it('gives every IPv4 address one dense id, across table growth, and finds it again', () => {
    const x = new Ipv4Index();
    const ips = Array.from({ length: 50_000 }, (_, i) => (0xc0a80000 + i * 7) >>> 0);
    const ids = ips.map((ip) => x.intern(ip));
    expect(ids).toEqual(ips.map((_, i) => i));
    expect(ips.map((ip) => x.find(ip))).toEqual(ids);
    expect(x.intern(ips[123]!)).toBe(123);
    expect(x.find(0x0a000001)).toBe(-1);
    expect(x.keys[49_999]).toBe(ips[49_999]);
  });

  it('refuses new addresses beyond its limit and counts them', () => {
    const x = new MacIndex(3);
    for (const m of [0x020000000001, 0xffffffffffff, 0x020000000001, 0xaabbccddeeff]) x.intern(m);
    expect(x.size).toBe(3);
    expect(x.intern(0x020000000009)).toBe(-1);
    expect(x.dropped).toBe(1);
    expect(x.find(0xffffffffffff)).toBe(1);
  });

  it('tells apart MACs that differ only in their high bits', () => {
    const x = new MacIndex();
    const a = x.intern(0x000000000001);
    const b = x.intern(0x010000000001);
    expect(a).not.toBe(b);
    expect(x.find(0x010000000001)).toBe(b);
  });

  it('interns IPv6 addresses from packet bytes and gives the bytes back', () => {
    const x = new Ipv6Index();
    const buf = new Uint8Array(40);
    buf.set([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 4);
    buf.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 20);
    const a = x.internAt(buf, 4);
    const b = x.internAt(buf, 20);
    expect([a, b, x.internAt(buf, 4)]).toEqual([0, 1, 0]);
    expect([...x.bytes(b, new Uint8Array(16))]).toEqual([...buf.subarray(20, 36)]);
  });
});
