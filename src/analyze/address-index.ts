/**
 * Dense ids for addresses. The engine interns each frame's addresses once
 * (a hash and a probe or two over typed arrays, no allocation) and hands
 * the ids to the binding table and the detectors, which keep their per-IP
 * and per-MAC state in typed-array columns indexed by id instead of one
 * Map lookup (and one object) per detector per frame.
 *
 * Ids are never reused: memory grows with the number of distinct addresses
 * up to `limit`, after which new addresses get -1 and are not tracked.
 */

import { ipv6TextAt } from '../print/addr.js';

/** Default limit per family: every address of a /12. */
export const DEFAULT_ADDRESS_LIMIT = 1 << 20;

const EMPTY = -1;

/** Open addressing with linear probing; the table is kept at most half full. */
abstract class DenseIndex {
  size = 0;
  /** Addresses refused because the index was full. */
  dropped = 0;
  protected table: Int32Array;
  protected mask: number;
  constructor(readonly limit: number) {
    this.table = new Int32Array(1024).fill(EMPTY);
    this.mask = 1023;
  }
  protected abstract rehash(): void;
  protected grow(): void {
    this.table = new Int32Array(this.table.length * 2).fill(EMPTY);
    this.mask = this.table.length - 1;
    this.rehash();
  }
}

/** Addresses that fit a double exactly (IPv4 as uint32, MACs as 48-bit integers); subclasses only pick the hash. */
abstract class NumberIndex extends DenseIndex {
  /** Address by id. */
  keys = new Float64Array(1024);
  protected abstract hash(key: number): number;

  /** The id of `key`, or -1 when it was never interned. */
  find(key: number): number {
    const t = this.table;
    const m = this.mask;
    for (let h = this.hash(key) & m; ; h = (h + 1) & m) {
      const id = t[h]!;
      if (id === EMPTY || this.keys[id] === key) return id;
    }
  }

  /** The id of `key`, assigned on first sight; -1 when the index is full. */
  intern(key: number): number {
    const t = this.table;
    const m = this.mask;
    let h = this.hash(key) & m;
    for (; ; h = (h + 1) & m) {
      const id = t[h]!;
      if (id === EMPTY) break;
      if (this.keys[id] === key) return id;
    }
    if (this.size >= this.limit) {
      this.dropped++;
      return -1;
    }
    const id = this.size++;
    if (id >= this.keys.length) this.keys = growF64(this.keys, capacityFor(this.keys.length, id));
    this.keys[id] = key;
    t[h] = id;
    if (this.size * 2 > t.length) this.grow();
    return id;
  }

  protected rehash(): void {
    const t = this.table;
    const m = this.mask;
    for (let id = 0; id < this.size; id++) {
      let h = this.hash(this.keys[id]!) & m;
      while (t[h] !== EMPTY) h = (h + 1) & m;
      t[h] = id;
    }
  }
}

/** IPv4 addresses as uint32. */
export class Ipv4Index extends NumberIndex {
  constructor(limit = DEFAULT_ADDRESS_LIMIT) {
    super(limit);
  }
  protected hash(ip: number): number {
    return hash32(ip);
  }
}

/** MACs as exact 48-bit integers (what the decoders return). */
export class MacIndex extends NumberIndex {
  constructor(limit = DEFAULT_ADDRESS_LIMIT) {
    super(limit);
  }
  protected hash(mac: number): number {
    return hashMac(mac);
  }
}

/** IPv6 addresses interned straight from the packet bytes (four words per id). */
export class Ipv6Index extends DenseIndex {
  words = new Int32Array(4096);
  /** RFC 5952 text by id, made on first use: ND events carry text, and an address recurs in many frames. */
  private readonly texts: (string | undefined)[] = [];
  private readonly scratch = new Uint8Array(16);
  constructor(limit = DEFAULT_ADDRESS_LIMIT) {
    super(limit);
  }

  /** The id of the 16 bytes at `off` in `buf` (bounds checked by the caller). */
  internAt(buf: Uint8Array, off: number): number {
    const a = word(buf, off);
    const b = word(buf, off + 4);
    const c = word(buf, off + 8);
    const d = word(buf, off + 12);
    const t = this.table;
    const m = this.mask;
    let h = hash128(a, b, c, d) & m;
    for (; ; h = (h + 1) & m) {
      const id = t[h]!;
      if (id === EMPTY) break;
      const w = this.words;
      const j = id * 4;
      if (w[j] === a && w[j + 1] === b && w[j + 2] === c && w[j + 3] === d) return id;
    }
    if (this.size >= this.limit) {
      this.dropped++;
      return -1;
    }
    const id = this.size++;
    if (id * 4 + 4 > this.words.length) this.words = growI32(this.words, 4 * capacityFor(this.words.length / 4, id));
    const j = id * 4;
    this.words[j] = a;
    this.words[j + 1] = b;
    this.words[j + 2] = c;
    this.words[j + 3] = d;
    t[h] = id;
    if (this.size * 2 > t.length) this.grow();
    return id;
  }

  /** The RFC 5952 text of `id`. */
  text(id: number): string {
    let t = this.texts[id];
    if (t === undefined) {
      while (this.texts.length <= id) this.texts.push(undefined);
      t = ipv6TextAt(this.bytes(id, this.scratch), 0);
      this.texts[id] = t;
    }
    return t;
  }

  /** The 16 bytes of `id`, written into `out` at `off`. */
  bytes(id: number, out: Uint8Array, off = 0): Uint8Array {
    for (let k = 0; k < 4; k++) {
      const w = this.words[id * 4 + k]!;
      out[off + k * 4] = w >>> 24;
      out[off + k * 4 + 1] = (w >>> 16) & 255;
      out[off + k * 4 + 2] = (w >>> 8) & 255;
      out[off + k * 4 + 3] = w & 255;
    }
    return out;
  }

  protected rehash(): void {
    const t = this.table;
    const m = this.mask;
    const w = this.words;
    for (let id = 0; id < this.size; id++) {
      const j = id * 4;
      let h = hash128(w[j]!, w[j + 1]!, w[j + 2]!, w[j + 3]!) & m;
      while (t[h] !== EMPTY) h = (h + 1) & m;
      t[h] = id;
    }
  }
}

const word = (b: Uint8Array, o: number): number => (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;

// Multiplicative hashing, then a final mix: hosts of one subnet differ only in their low bits.
function hash32(x: number): number {
  let h = Math.imul(x, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) >>> 0;
}

function hashMac(mac: number): number {
  const lo = mac >>> 0;
  const hi = (mac / 4294967296) | 0;
  return hash32(lo ^ Math.imul(hi, 0x27d4eb2f));
}

function hash128(a: number, b: number, c: number, d: number): number {
  return hash32(a ^ Math.imul(b, 0x27d4eb2f) ^ Math.imul(c, 0x165667b1) ^ Math.imul(d, 0x9e3779b1));
}

// Growth for per-id columns. A capacity grows by half, not twice over:
// with some 20 columns per address, doubling left up to half of every one
// unused (86,000 IPv4 addresses took 131,072 slots); half again at most a
// third.
//
// Where the bytes come from matters as much. A small column is allocated
// exactly. A larger one reserves address space to grow into, at least
// RESERVE_BYTES: more than glibc's largest mmap threshold (32 MiB), so the
// reservation is always a fresh mapping, zero pages committed only as they
// are touched, returned whole when freed. Growing within it makes a wider
// view of the same memory (no copy, no free). Before this, each growth freed
// the previous column; glibc then raised its mmap threshold past those sizes
// and carved the next ones out of the heap, which the frees fragmented: some
// 30 MB of a 10M-frame analysis, more with a second thread.

/** The capacity that holds id `id`: `have` (at least 64) grown by half until it does. */
export function capacityFor(have: number, id: number): number {
  let c = Math.max(have, 64);
  while (c <= id) c = Math.ceil(c * 1.5);
  return c;
}

/** Columns up to this size are allocated exactly. */
const SMALL_COLUMN_BYTES = 64 * 1024;
const RESERVE_BYTES = 33 * 1024 * 1024;

type Column = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;
interface ColumnType<T extends Column> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** `a` (n >= a.length) as a column of exactly `n` slots; the new slots hold `fill`. */
function grow<T extends Column>(Type: ColumnType<T>, a: T, n: number, fill: number): T {
  const bytes = n * Type.BYTES_PER_ELEMENT;
  let b: T;
  if (a.buffer.byteLength >= bytes) b = new Type(a.buffer, 0, n);
  else {
    b = bytes <= SMALL_COLUMN_BYTES ? new Type(n) : reserve(Type, n, Math.max(2 * bytes, RESERVE_BYTES));
    b.set(a);
  }
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * A column of `n` slots in a reservation of `bytes`; exactly `n` where the
 * reservation is refused (strict overcommit, vm.overcommit_memory=2, counts
 * untouched address space too).
 */
function reserve<T extends Column>(Type: ColumnType<T>, n: number, bytes: number): T {
  try {
    return new Type(new ArrayBuffer(bytes), 0, n);
  } catch {
    return new Type(n);
  }
}

export function growF64(a: Float64Array<ArrayBuffer>, n: number, fill = 0): Float64Array<ArrayBuffer> {
  return grow(Float64Array, a, n, fill);
}

export function growI32(a: Int32Array<ArrayBuffer>, n: number, fill = 0): Int32Array<ArrayBuffer> {
  return grow(Int32Array, a, n, fill);
}

export function growU8(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return grow(Uint8Array, a, n, 0);
}
