/**
 * The binding table: for every IP seen, which MACs claimed it, when, how
 * often it was asked for and answered, and how fast. It is columnar over
 * the engine's dense address ids (see address-index.ts): one frame updates
 * a few typed-array slots, no object is made per address or per frame, and
 * memory grows with the number of distinct addresses, never with frames.
 */
import { formatIPv4, formatMac } from '../print/addr.js';
import { capacityFor, growF64, growI32, growU8, Ipv4Index, Ipv6Index } from './address-index.js';

const MAX_MACS_PER_IP = 16;
const MAX_LATENCY_SAMPLES = 64;
/**
 * Samples are kept as whole microseconds (Uint32, half the bytes of a
 * double): every latency the reports show is rounded to the microsecond,
 * and rounding first keeps the order, so percentiles come out the same.
 */
const US = 1e6;
/** Latency slots per block: 1024 slots of 64 samples, 256 KiB. */
const SLOT_BITS = 10;
const SLOT_MASK = (1 << SLOT_BITS) - 1;

export interface MacClaim {
  mac: number;
  first: number;
  last: number;
  count: number;
}

/** One binding as plain values (for merging tables across watch windows). */
export interface Binding {
  key: string;
  macs: MacClaim[];
  first: number;
  last: number;
  requests: number;
  replies: number;
  gratuitous: number;
  /** The kept latency samples (seconds, to the microsecond), in arrival order. */
  latencies: number[];
  latencyMax: number;
}

/**
 * One address family's bindings, by address id. The first MAC claiming an
 * address lives in columns; the rare second and later ones in `more`.
 */
export class BindingColumns {
  /** Ids in use (the address was asked for, claimed or answered). */
  count = 0;
  private cap = 0;
  private used = new Uint8Array(0);
  private firstTs = new Float64Array(0);
  private lastTs = new Float64Array(0);
  private req = new Int32Array(0);
  private rep = new Int32Array(0);
  private garp = new Int32Array(0);
  private pending = new Float64Array(0);
  private mac0 = new Float64Array(0);
  private mac0First = new Float64Array(0);
  private mac0Last = new Float64Array(0);
  private mac0Count = new Int32Array(0);
  private readonly more = new Map<number, MacClaim[]>();
  private latCount = new Int32Array(0);
  private latMax = new Float64Array(0);
  /** The id's slot of MAX_LATENCY_SAMPLES samples (-1: none yet). */
  private latSlot = new Int32Array(0);
  /**
   * Slots in fixed blocks, allocated as needed: one doubling array would
   * copy itself and leave up to half of it unused, the largest column by far.
   */
  private readonly sampleBlocks: Uint32Array[] = [];
  private readonly sorted = new Uint32Array(MAX_LATENCY_SAMPLES);
  private sortedId = -1;
  private sortedN = 0;
  private slotsUsed = 0;

  /** Marks `id` as a binding (what looking it up did in a Map-based table). */
  touch(id: number): void {
    if (id >= this.cap) this.grow(id + 1);
    if (this.used[id] === 0) {
      this.used[id] = 1;
      this.count++;
    }
  }

  has(id: number): boolean {
    return id >= 0 && id < this.cap && this.used[id] === 1;
  }

  claim(id: number, mac: number, ts: number): void {
    this.touch(id);
    this.seen(id, ts);
    const m0 = this.mac0[id]!;
    if (m0 === mac) {
      this.mac0Last[id] = ts;
      this.mac0Count[id]!++;
      return;
    }
    if (m0 < 0) {
      this.mac0[id] = mac;
      this.mac0First[id] = ts;
      this.mac0Last[id] = ts;
      this.mac0Count[id] = 1;
      return;
    }
    let list = this.more.get(id);
    if (list === undefined) {
      list = [];
      this.more.set(id, list);
    }
    for (const c of list) {
      if (c.mac === mac) {
        c.last = ts;
        c.count++;
        return;
      }
    }
    if (list.length < MAX_MACS_PER_IP - 1) list.push({ mac, first: ts, last: ts, count: 1 });
  }

  seen(id: number, ts: number): void {
    this.touch(id);
    if (ts < this.firstTs[id]!) this.firstTs[id] = ts;
    if (ts > this.lastTs[id]!) this.lastTs[id] = ts;
  }

  /** Counts a request; `awaitsReply` starts the latency clock (not for DAD probes). */
  request(id: number, ts: number, awaitsReply = true): void {
    this.seen(id, ts);
    this.req[id]!++;
    if (awaitsReply) this.pending[id] = ts;
  }

  /** Counts a reply; a request pending at most `maxLatencyS` before gives a latency sample. */
  reply(id: number, ts: number, maxLatencyS: number): void {
    this.touch(id);
    this.rep[id]!++;
    const p = this.pending[id]!;
    if (p >= 0 && ts - p <= maxLatencyS) this.addLatency(id, Math.max(0, ts - p));
    this.pending[id] = -1;
  }

  gratuitous(id: number): void {
    this.touch(id);
    this.garp[id]!++;
  }

  /** Requests + replies (what "busiest" ranks by). */
  activity(id: number): number {
    return this.has(id) ? this.req[id]! + this.rep[id]! : 0;
  }

  requests(id: number): number {
    return this.has(id) ? this.req[id]! : 0;
  }

  replies(id: number): number {
    return this.has(id) ? this.rep[id]! : 0;
  }

  /** How many MACs claimed the address. */
  macCount(id: number): number {
    if (!this.has(id) || this.mac0[id]! < 0) return 0;
    return 1 + (this.more.get(id)?.length ?? 0);
  }

  /** The MACs that claimed the address, in order of first claim. */
  claims(id: number): MacClaim[] {
    if (!this.has(id) || this.mac0[id]! < 0) return [];
    const first: MacClaim = { mac: this.mac0[id]!, first: this.mac0First[id]!, last: this.mac0Last[id]!, count: this.mac0Count[id]! };
    const more = this.more.get(id);
    return more === undefined ? [first] : [first, ...more];
  }

  /**
   * The MAC other than `exclude` (and not rejected by `skip`) that claimed
   * the address most often, first heard before `before`; -1 when none.
   * No allocation: this runs on every suspicious reply.
   */
  topClaimantBefore(id: number, exclude: number, before: number, skip: (mac: number) => boolean): number {
    if (!this.has(id) || this.mac0[id]! < 0) return -1;
    let best = -1;
    let bestCount = 0;
    const m0 = this.mac0[id]!;
    if (m0 !== exclude && this.mac0First[id]! < before && !skip(m0)) {
      best = m0;
      bestCount = this.mac0Count[id]!;
    }
    const more = this.more.get(id);
    if (more !== undefined) {
      for (const c of more) {
        if (c.mac === exclude || c.first >= before || skip(c.mac)) continue;
        if (c.count > bestCount) {
          best = c.mac;
          bestCount = c.count;
        }
      }
    }
    return best;
  }

  addLatency(id: number, s: number): void {
    this.touch(id);
    const n = this.latCount[id]!;
    this.latCount[id] = n + 1;
    if (s > this.latMax[id]!) this.latMax[id] = s;
    if (n >= MAX_LATENCY_SAMPLES) return;
    let slot = this.latSlot[id]!;
    if (slot < 0) {
      slot = this.slotsUsed++;
      if (slot >> SLOT_BITS >= this.sampleBlocks.length) this.sampleBlocks.push(new Uint32Array(MAX_LATENCY_SAMPLES << SLOT_BITS));
      this.latSlot[id] = slot;
    }
    this.sampleBlocks[slot >> SLOT_BITS]![(slot & SLOT_MASK) * MAX_LATENCY_SAMPLES + n] = Math.round(s * US);
  }

  latencyCount(id: number): number {
    return this.has(id) ? this.latCount[id]! : 0;
  }

  latencyMax(id: number): number {
    return this.has(id) ? this.latMax[id]! : 0;
  }

  /** A view of the first `n` samples of `slot` (microseconds). */
  private samplesOf(slot: number, n: number): Uint32Array {
    const at = (slot & SLOT_MASK) * MAX_LATENCY_SAMPLES;
    return this.sampleBlocks[slot >> SLOT_BITS]!.subarray(at, at + n);
  }

  /** The p-th percentile of the kept samples (seconds), null when none. */
  percentile(id: number, p: number): number | null {
    if (!this.has(id) || this.latSlot[id]! < 0) return null;
    const slot = this.latSlot[id]!;
    const n = Math.min(this.latCount[id]!, MAX_LATENCY_SAMPLES);
    // p50 and p99 of one address are asked for in a row: sort its samples once, into a reused scratch.
    if (this.sortedId !== id || this.sortedN !== n) {
      const sorted = this.sorted.subarray(0, n);
      sorted.set(this.samplesOf(slot, n));
      sorted.sort();
      this.sortedId = id;
      this.sortedN = n;
    }
    return this.sorted[Math.min(n - 1, Math.floor((p / 100) * n))]! / US;
  }

  /** The binding of `id` as plain values, keyed by `key` (its address text). */
  binding(id: number, key: string): Binding {
    const slot = this.latSlot[id]!;
    const n = Math.min(this.latCount[id]!, MAX_LATENCY_SAMPLES);
    return {
      key,
      macs: this.claims(id),
      first: this.firstTs[id]!,
      last: this.lastTs[id]!,
      requests: this.req[id]!,
      replies: this.rep[id]!,
      gratuitous: this.garp[id]!,
      latencies: slot < 0 ? [] : Array.from(this.samplesOf(slot, n), (us) => us / US),
      latencyMax: this.latMax[id]!,
    };
  }

  row(id: number, ip: string, family: 4 | 6, vendor: (mac: number) => string | null): BindingRow {
    const first = this.firstTs[id]!;
    const last = this.lastTs[id]!;
    const lat = this.latCount[id]!;
    return {
      ip,
      family,
      macs: this.claims(id).map((c) => ({ mac: formatMac(c.mac), vendor: vendor(c.mac), first_ts: c.first, last_ts: c.last, frames: c.count })),
      first_ts: Number.isFinite(first) ? first : null,
      last_ts: Number.isFinite(last) ? last : null,
      requests: this.req[id]!,
      replies: this.rep[id]!,
      gratuitous: this.garp[id]!,
      latency_ms:
        lat > 0
          ? { p50: round3(this.percentile(id, 50)! * 1000), p99: round3(this.percentile(id, 99)! * 1000), max: round3(this.latMax[id]! * 1000), samples: lat }
          : null,
    };
  }

  private grow(n: number): void {
    const old = this.cap;
    this.used = growU8(this.used, capacityFor(old, n - 1));
    this.cap = this.used.length;
    const c = this.cap;
    this.firstTs = growF64(this.firstTs, c);
    this.firstTs.fill(Infinity, old);
    this.lastTs = growF64(this.lastTs, c);
    this.lastTs.fill(-Infinity, old);
    this.req = growI32(this.req, c);
    this.rep = growI32(this.rep, c);
    this.garp = growI32(this.garp, c);
    this.pending = growF64(this.pending, c, -1);
    this.mac0 = growF64(this.mac0, c, -1);
    this.mac0First = growF64(this.mac0First, c);
    this.mac0Last = growF64(this.mac0Last, c);
    this.mac0Count = growI32(this.mac0Count, c);
    this.latCount = growI32(this.latCount, c);
    this.latMax = growF64(this.latMax, c);
    this.latSlot = growI32(this.latSlot, c, -1);
  }
}

export class BindingTable {
  readonly v4 = new BindingColumns();
  readonly v6 = new BindingColumns();
  constructor(
    readonly ipv4: Ipv4Index = new Ipv4Index(),
    readonly ipv6: Ipv6Index = new Ipv6Index(),
  ) {}

  /** The IPv4 binding id of `ip` when it has one, else -1. */
  find4(ip: number): number {
    const id = this.ipv4.find(ip);
    return this.v4.has(id) ? id : -1;
  }

  get size(): number {
    return this.v4.count + this.v6.count;
  }

  /** Every binding of one family as plain values, in id order (first seen first). */
  all(family: 4 | 6): Binding[] {
    const out: Binding[] = [];
    if (family === 4) {
      for (let id = 0; id < this.ipv4.size; id++) if (this.v4.has(id)) out.push(this.v4.binding(id, formatIPv4(this.ipv4.keys[id]!)));
    } else {
      for (let id = 0; id < this.ipv6.size; id++) if (this.v6.has(id)) out.push(this.v6.binding(id, this.ipv6.text(id)));
    }
    return out;
  }
}

export interface BindingRow {
  ip: string;
  family: 4 | 6;
  macs: { mac: string; vendor: string | null; first_ts: number; last_ts: number; frames: number }[];
  first_ts: number | null;
  last_ts: number | null;
  requests: number;
  replies: number;
  gratuitous: number;
  latency_ms: { p50: number; p99: number; max: number; samples: number } | null;
}

/** Where a BindingList takes its rows from: the live columns, or rows already made. */
interface RowSource {
  readonly length: number;
  row(i: number): BindingRow;
  /** Requests + replies of row `i`, without making the row. */
  activity(i: number): number;
  ip(i: number): string;
}

/**
 * The binding table as rows in report order (IPv4 by address, then IPv6 by
 * text), each made when it is asked for: a capture of 100,000 addresses
 * would otherwise hold some 50 MB of row objects at once just to print them.
 * JSON.stringify sees an array (toJSON).
 */
export class BindingList implements Iterable<BindingRow> {
  private constructor(private readonly src: RowSource) {}

  /** Rows of `table`, read from its columns as they are asked for (the table must not change meanwhile). */
  static fromTable(table: BindingTable, vendor: (mac: number) => string | null): BindingList {
    return new BindingList(new TableRows(table, vendor));
  }

  static of(rows: readonly BindingRow[]): BindingList {
    return new BindingList({ length: rows.length, row: (i) => rows[i]!, activity: (i) => rows[i]!.requests + rows[i]!.replies, ip: (i) => rows[i]!.ip });
  }

  get length(): number {
    return this.src.length;
  }

  /** Row `i` in report order (a new object each call). */
  at(i: number): BindingRow {
    return this.src.row(i);
  }

  *[Symbol.iterator](): Iterator<BindingRow> {
    for (let i = 0; i < this.src.length; i++) yield this.src.row(i);
  }

  /**
   * Up to `n` rows: addresses in `first` before the others, then the most
   * requests + replies; ties keep report order. Only the chosen rows are made.
   */
  busiest(n: number, first?: ReadonlySet<string>): BindingRow[] {
    const src = this.src;
    const order = Array.from({ length: src.length }, (_, i) => i);
    const act = Float64Array.from(order, (i) => src.activity(i) + (first?.has(src.ip(i)) ? 2 ** 52 : 0));
    order.sort((a, b) => act[b]! - act[a]! || a - b);
    return order.slice(0, Math.max(0, n)).map((i) => src.row(i));
  }

  toJSON(): BindingRow[] {
    return [...this];
  }
}

/** Rows straight from the columns, over ids sorted once into report order. */
class TableRows implements RowSource {
  private readonly v4: Int32Array;
  private readonly v6: Int32Array;
  readonly length: number;

  constructor(
    private readonly t: BindingTable,
    private readonly vendor: (mac: number) => string | null,
  ) {
    const v4: number[] = [];
    for (let id = 0; id < t.ipv4.size; id++) if (t.v4.has(id)) v4.push(id);
    v4.sort((a, b) => t.ipv4.keys[a]! - t.ipv4.keys[b]!);
    const v6: number[] = [];
    for (let id = 0; id < t.ipv6.size; id++) if (t.v6.has(id)) v6.push(id);
    const text = (id: number): string => t.ipv6.text(id);
    v6.sort((a, b) => (text(a) < text(b) ? -1 : 1));
    this.v4 = Int32Array.from(v4);
    this.v6 = Int32Array.from(v6);
    this.length = v4.length + v6.length;
  }

  row(i: number): BindingRow {
    const n4 = this.v4.length;
    if (i < n4) return this.t.v4.row(this.v4[i]!, this.ip(i), 4, this.vendor);
    return this.t.v6.row(this.v6[i - n4]!, this.ip(i), 6, this.vendor);
  }

  activity(i: number): number {
    const n4 = this.v4.length;
    return i < n4 ? this.t.v4.activity(this.v4[i]!) : this.t.v6.activity(this.v6[i - n4]!);
  }

  ip(i: number): string {
    const n4 = this.v4.length;
    return i < n4 ? formatIPv4(this.t.ipv4.keys[this.v4[i]!]!) : this.t.ipv6.text(this.v6[i - n4]!);
  }
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
