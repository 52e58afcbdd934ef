/**
 * Address text, as tcpdump -n prints it. Table-driven so the hot printing
 * path does no number->string conversion per byte.
 */

const HEX = '0123456789abcdef';
/** "00".."ff" */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);
/** "0".."255" */
export const DEC: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** Colon-separated lower-case MAC from 6 bytes at `off`. */
export function formatMacAt(buf: Uint8Array, off: number): string {
  return (
    HEX2[buf[off]!]! + ':' + HEX2[buf[off + 1]!]! + ':' + HEX2[buf[off + 2]!]! + ':' +
    HEX2[buf[off + 3]!]! + ':' + HEX2[buf[off + 4]!]! + ':' + HEX2[buf[off + 5]!]!
  );
}

/** Colon-separated MAC from its 48-bit numeric value. */
export function formatMac(mac: number): string {
  const hi = Math.floor(mac / 0x100000000);
  const lo = mac >>> 0;
  return (
    HEX2[(hi >>> 8) & 255]! + ':' + HEX2[hi & 255]! + ':' + HEX2[lo >>> 24]! + ':' +
    HEX2[(lo >>> 16) & 255]! + ':' + HEX2[(lo >>> 8) & 255]! + ':' + HEX2[lo & 255]!
  );
}

/** Any-length link address: hex octets joined by ':' ("<empty>" when 0 bytes), like linkaddr_string. */
export function formatHexBytes(buf: Uint8Array, off: number, len: number, sep = ':'): string {
  if (len === 0) return '<empty>';
  let s = HEX2[buf[off]!]!;
  for (let i = 1; i < len; i++) s += sep + HEX2[buf[off + i]!]!;
  return s;
}

/** Dotted-quad IPv4 from 4 bytes at `off`. */
export function formatIPv4At(buf: Uint8Array, off: number): string {
  return DEC[buf[off]!]! + '.' + DEC[buf[off + 1]!]! + '.' + DEC[buf[off + 2]!]! + '.' + DEC[buf[off + 3]!]!;
}

/** Dotted-quad IPv4 from its 32-bit unsigned value. */
export function formatIPv4(ip: number): string {
  return DEC[ip >>> 24]! + '.' + DEC[(ip >>> 16) & 255]! + '.' + DEC[(ip >>> 8) & 255]! + '.' + DEC[ip & 255]!;
}

/**
 * IPv6 text from 16 bytes at `off`, following tcpdump's addrtostr6 (and RFC
 * 5952): longest run (first on a tie) of two or more zero groups becomes
 * "::"; ::a.b.c.d and ::ffff:a.b.c.d keep the embedded IPv4 dotted.
 */
const words = new Uint16Array(8);

export function formatIPv6At(buf: Uint8Array, off: number): string {
  const w = words;
  for (let i = 0; i < 8; i++) w[i] = (buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!;
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase === -1) { curBase = i; curLen = 1; } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += formatIPv4At(buf, off + 12);
      return s;
    }
    s += w[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/**
 * Bounded text caches for the addresses a capture repeats most: a busy
 * segment has thousands of hosts, each printed many times. Direct-mapped
 * (a slot per hash, a collision replaces): lookups cost a few integer
 * operations, memory is fixed, and printing stays linear in the number of
 * hosts (tcpdump's chained tables on low-order bytes do not).
 */
const SLOTS = 1 << 16;
const MASK = SLOTS - 1;

class DirectCache {
  private readonly hi = new Int32Array(SLOTS).fill(-1);
  private readonly lo = new Int32Array(SLOTS);
  private readonly text: string[] = new Array<string>(SLOTS).fill('');

  private slot = 0;

  /** The cached text for (hi, lo), or undefined; remembers the slot for put(). */
  find(hi: number, lo: number): string | undefined {
    const slot = (this.slot = (lo ^ Math.imul(hi, 0x9e3779b1) ^ (lo >>> 16)) & MASK);
    return this.hi[slot] === hi && this.lo[slot] === lo ? this.text[slot] : undefined;
  }

  /** Stores text for the key of the last find(). */
  put(hi: number, lo: number, s: string): string {
    void s.charCodeAt(0); // flatten the concatenation once, not on every use
    this.hi[this.slot] = hi;
    this.lo[this.slot] = lo;
    this.text[this.slot] = s;
    return s;
  }
}

const macCache = new DirectCache();
const ipv4Cache = new DirectCache();

/** formatMacAt through the cache. */
export function macTextAt(buf: Uint8Array, off: number): string {
  const hi = (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!;
  const lo = (buf[off + 3]! << 16) | (buf[off + 4]! << 8) | buf[off + 5]!;
  return macCache.find(hi, lo) ?? macCache.put(hi, lo, formatMacAt(buf, off));
}

/** formatIPv4At through the cache. */
export function ipv4TextAt(buf: Uint8Array, off: number): string {
  const hi = (buf[off]! << 8) | buf[off + 1]!;
  const lo = (buf[off + 2]! << 8) | buf[off + 3]!;
  return ipv4Cache.find(hi, lo) ?? ipv4Cache.put(hi, lo, formatIPv4At(buf, off));
}

// A direct-mapped cache of IPv6 address text: ND traffic repeats a few
// addresses, and formatting one costs more than the rest of a line.
const V6_SLOTS = 1 << 16;
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Text: string[] = new Array<string>(V6_SLOTS).fill('');
const v6Used = new Uint8Array(V6_SLOTS);

/** formatIPv6At through a cache; the 16 bytes must be in `buf`. */
export function ipv6TextAt(buf: Uint8Array, off: number): string {
  const a = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  const b = (buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!;
  const c = (buf[off + 8]! << 24) | (buf[off + 9]! << 16) | (buf[off + 10]! << 8) | buf[off + 11]!;
  const d = (buf[off + 12]! << 24) | (buf[off + 13]! << 16) | (buf[off + 14]! << 8) | buf[off + 15]!;
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(c ^ (d >>> 7), 0xc2b2ae35) ^ d;
  h = (h ^ (h >>> 15)) & (V6_SLOTS - 1);
  const k = h * 4;
  if (v6Used[h] === 1 && v6Keys[k] === a && v6Keys[k + 1] === b && v6Keys[k + 2] === c && v6Keys[k + 3] === d) {
    return v6Text[h]!;
  }
  const s = formatIPv6At(buf, off);
  void s.charCodeAt(0);
  v6Keys[k] = a;
  v6Keys[k + 1] = b;
  v6Keys[k + 2] = c;
  v6Keys[k + 3] = d;
  v6Used[h] = 1;
  v6Text[h] = s;
  return s;
}
