/**
 * `arpscope bindings` and `arpscope events`: read what `watch` stored. The
 * database is opened read-only, so they work while watch writes. Exit 0, or
 * 3 with one line naming the path when the database cannot be read; bad
 * arguments are UsageErrors (exit 2).
 */
import { parseMac } from '../analyze/config.js';
import { SEVERITIES, type Severity } from '../analyze/finding.js';
import { UsageError } from '../errors.js';
import { formatMac } from '../print/addr.js';
import { safeText } from '../report/terminal.js';
import { defaultDbPath, parseDuration } from '../store/paths.js';
import { SqliteStore, storeError } from '../store/sqlite.js';
import type { Store, StoredBinding, StoredEvent } from '../store/store.js';
import { Output } from './output.js';
import type { Sink } from './read.js';

export interface BindingsCliOptions {
  db?: string;
  json?: boolean;
  ip?: string;
  mac?: string;
  iface?: string;
  limit?: string;
}

export interface EventsCliOptions {
  db?: string;
  json?: boolean;
  /** A duration ago (1h, 7d). */
  since?: string;
  kind?: string;
  ip?: string;
  severity?: string;
  limit?: string;
}

/** Where the commands write (stdout and stderr by default; strings in tests). */
export interface StoreCommandIo {
  out?: Sink;
  err?: (line: string) => void;
  /** Unix seconds (tests). */
  now?: () => number;
}

/** Default --limit of events: the newest 100. */
const DEFAULT_EVENT_LIMIT = 100;

export async function runBindings(o: BindingsCliOptions, io: StoreCommandIo = {}): Promise<number> {
  const limit = parseLimit('bindings', o.limit);
  let mac: string | undefined;
  if (o.mac !== undefined) {
    const m = parseMac(o.mac);
    if (m < 0) throw new UsageError(`bindings: invalid --mac '${o.mac}' (want aa:bb:cc:dd:ee:ff)`);
    mac = formatMac(m);
  }
  return withStore(o.db, io, (store, out, err) => {
    const rows = store.queryBindings({ ip: o.ip, mac, iface: o.iface, limit });
    if (o.json) out.write(JSON.stringify(rows, null, 2) + '\n');
    else out.write(formatBindingsTable(rows));
    if (!o.json && limit !== undefined && rows.length === limit) err(`arpscope: showing ${limit} bindings (most recently seen); --limit shows more`);
  });
}

export async function runEvents(o: EventsCliOptions, io: StoreCommandIo = {}): Promise<number> {
  const limit = parseLimit('events', o.limit) ?? DEFAULT_EVENT_LIMIT;
  let severity: Severity | undefined;
  if (o.severity !== undefined) {
    const s = o.severity.toLowerCase();
    if (!(SEVERITIES as readonly string[]).includes(s)) throw new UsageError(`events: --severity must be one of ${SEVERITIES.join(', ')}`);
    severity = s as Severity;
  }
  const now = io.now ?? (() => Date.now() / 1000);
  const since = o.since !== undefined ? now() - parseDuration(o.since) : undefined;
  return withStore(o.db, io, (store, out, err) => {
    const rows = store.queryEvents({ since, kind: o.kind, ip: o.ip, severityAtLeast: severity, limit });
    if (o.json) out.write(JSON.stringify(rows, null, 2) + '\n');
    else out.write(formatEventsTable(rows));
    if (!o.json && rows.length === limit) err(`arpscope: showing the newest ${limit} events; --limit or --since shows others`);
  });
}

function parseLimit(cmd: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${cmd}: invalid --limit '${v}' (want a positive integer)`);
  return n;
}

async function withStore(db: string | undefined, io: StoreCommandIo, fn: (store: Store, out: Sink, err: (line: string) => void) => void): Promise<number> {
  const path = db ?? defaultDbPath();
  const err = io.err ?? ((line: string) => process.stderr.write(line + '\n'));
  let store: SqliteStore;
  try {
    store = SqliteStore.open(path, { readonly: true });
  } catch (e) {
    err(`arpscope: ${safeText(storeError(path, e).message)}`);
    return 3;
  }
  const out = io.out ?? new Output();
  try {
    fn(store, out, err);
  } catch (e) {
    err(`arpscope: ${safeText(storeError(path, e).message)}`);
    return 3;
  } finally {
    store.close();
    out.flush();
  }
  return 0;
}

function isoTime(ts: number): string {
  return new Date(Math.floor(ts * 1000)).toISOString().slice(0, 19).replace('T', ' ');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Every cell comes from the database, which packets filled: all of it is escaped. */
export function formatBindingsTable(rows: StoredBinding[]): string {
  if (rows.length === 0) return 'No bindings stored.\n';
  const t: string[][] = [['IP', 'MAC', 'VLAN', 'IFACE', 'FIRST SEEN (UTC)', 'LAST SEEN (UTC)', 'COUNT', 'VENDOR']];
  for (const b of rows) {
    t.push([
      safeText(b.ip),
      safeText(b.mac),
      b.vlan < 0 ? '-' : String(b.vlan),
      safeText(b.iface) || '-',
      isoTime(b.first_seen),
      isoTime(b.last_seen),
      String(b.count),
      safeText(b.vendor ?? ''),
    ]);
  }
  return table(t);
}

export function formatEventsTable(rows: StoredEvent[]): string {
  if (rows.length === 0) return 'No events stored.\n';
  const t: string[][] = [['TIME (UTC)', 'SEVERITY', 'STATE', 'KIND', 'IP', 'MACS', 'IFACE', 'TITLE']];
  for (const e of rows) {
    t.push([
      isoTime(e.ts),
      safeText(e.severity),
      safeText(e.state),
      safeText(e.kind),
      safeText(e.ip),
      safeText(e.macs.join(',')) || '-',
      safeText(e.iface) || '-',
      safeText(e.title),
    ]);
  }
  return table(t);
}
