import { afterEach, describe, expect, it, vi } from 'vitest';
import { capacityFor, growF64, growI32, growU8, Ipv4Index, Ipv6Index, MacIndex } from './address-index.js';

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

describe('column growth', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('falls back to exact columns where a reservation is refused (strict overcommit)', () => {
    const Real = ArrayBuffer;
    vi.stubGlobal(
      'ArrayBuffer',
      class extends Real {
        constructor(n: number) {
          if (n > 32 * 1024 * 1024) throw new RangeError('Array buffer allocation failed');
          super(n);
        }
      },
    );
    const a = growF64(growF64(new Float64Array(0), 1000, 3), 100_000, -1);
    expect(a.buffer.byteLength).toBe(800_000);
    expect([a[999], a[1000], a[99_999]]).toEqual([3, -1, -1]);
  });

  it('keeps the values, fills only the new slots, and gives exactly the length asked for', () => {
    let a = new Float64Array(0);
    let b = new Int32Array(0);
    let c = new Uint8Array(0);
    let cap = 0;
    // Through the small sizes and well into the reserved ones, as a detector grows with its ids.
    for (let id = 0; id < 200_000; id += 997) {
      if (id >= cap) {
        const old = cap;
        cap = capacityFor(cap, id);
        a = growF64(a, cap, -Infinity);
        b = growI32(b, cap, -1);
        c = growU8(c, cap);
        expect([a.length, b.length, c.length]).toEqual([cap, cap, cap]);
        expect(a[old]).toBe(-Infinity);
        expect(b[cap - 1]).toBe(-1);
        expect(c[cap - 1]).toBe(0);
      }
      a[id] = id + 0.5;
      b[id] = id;
      c[id] = id & 255;
    }
    const wrong: number[] = [];
    for (let id = 0; id < 200_000; id++) {
      const set = id % 997 === 0;
      if (a[id] !== (set ? id + 0.5 : -Infinity) || b[id] !== (set ? id : -1) || c[id] !== (set ? id & 255 : 0)) wrong.push(id);
    }
    expect(wrong).toEqual([]);
  });

  it('allocates small columns exactly and grows large ones within one reservation, without copying', () => {
    const small = growF64(new Float64Array(0), 1000);
    expect(small.buffer.byteLength).toBe(8000);
    const big = growF64(small, 100_000);
    expect(big.buffer.byteLength).toBeGreaterThan(32 * 1024 * 1024);
    big[99_999] = 7;
    const bigger = growF64(big, 150_000, 1);
    expect(bigger.buffer).toBe(big.buffer);
    expect(bigger[99_999]).toBe(7);
    expect(bigger[100_000]).toBe(1);
    // Past the reservation: a new one, the values copied.
    const past = growF64(bigger, bigger.buffer.byteLength / 8 + 1);
    expect(past.buffer).not.toBe(big.buffer);
    expect(past[99_999]).toBe(7);
    expect(past[149_999]).toBe(1);
  });
});
