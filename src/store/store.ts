/**
 * The embedded store behind `arpscope watch`: the binding table (which MAC
 * claimed which IP, where, since when) and every event with its evidence.
 * Timestamps are Unix seconds (fractional), as everywhere in arpscope.
 */
import type { Finding, Severity } from '../analyze/finding.js';

export interface StoredBinding {
  ip: string;
  /** Lowercase colon form (formatMac). */
  mac: string;
  /** 802.1Q VLAN id, -1 untagged. */
  vlan: number;
  iface: string;
  first_seen: number;
  last_seen: number;
  count: number;
  vendor: string | null;
}

export type EventState = 'raised' | 'cleared' | 'info';

export interface StoredEvent {
  /** Assigned by the store; ignored on insert. */
  id?: number;
  ts: number;
  kind: string;
  severity: Severity;
  ip: string;
  macs: string[];
  iface: string;
  state: EventState;
  title: string;
  /** The full finding, evidence included (null for plain events such as arp.new-station). */
  finding: Finding | null;
}

export interface BindingQuery {
  ip?: string;
  mac?: string;
  iface?: string;
  limit?: number;
}

export interface EventQuery {
  /** Events at or after this time (Unix seconds). */
  since?: number;
  /** Exact kind, or a prefix ending in `*` (`arp.*`). */
  kind?: string;
  ip?: string;
  severityAtLeast?: Severity;
  limit?: number;
}

export interface Store {
  loadBindings(): StoredBinding[];
  /** Merge: first_seen min, last_seen max, count added, vendor kept when the new one is null. */
  upsertBindings(rows: StoredBinding[]): void;
  addEvents(events: StoredEvent[]): void;
  /** Most recently seen first. */
  queryBindings(q?: BindingQuery): StoredBinding[];
  /** Newest first. */
  queryEvents(q?: EventQuery): StoredEvent[];
  /** Deletes events older than now - retainSeconds and bindings not seen since then. */
  prune(now: number, retainSeconds: number): { events: number; bindings: number };
  close(): void;
}

/**
 * A store that cannot do what was asked, named by its path and cause in one
 * line: `/var/lib/arpscope/arpscope.db: database is locked (another writer?)`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly path: string,
    /** SQLite's extended code (SQLITE_BUSY, SQLITE_FULL, ...), a Node errno code, or ARPSCOPE_*. */
    readonly code: string,
    readonly detail: string,
    /** True when retrying later can succeed (locked, read-only, full, I/O); false for bad data. */
    readonly transient: boolean,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** The merge rule of upsertBindings, for stores and buffers that coalesce in memory. */
export function mergeBinding(into: StoredBinding, b: StoredBinding): void {
  if (b.first_seen < into.first_seen) into.first_seen = b.first_seen;
  if (b.last_seen > into.last_seen) into.last_seen = b.last_seen;
  into.count += b.count;
  if (b.vendor !== null) into.vendor = b.vendor;
}

export const bindingKey = (b: StoredBinding): string => `${b.ip}|${b.mac}|${b.vlan}|${b.iface}`;
