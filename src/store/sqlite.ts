/**
 * The default store: one SQLite file (better-sqlite3) in WAL mode, so the
 * read commands can query while `watch` writes. Each batch is one
 * transaction. Schema changes are numbered migrations recorded in
 * PRAGMA user_version; a database from a newer arpscope is refused, as is
 * a SQLite file that belongs to something else.
 *
 * Every failure comes out as a StoreError naming the path and the cause.
 * After a read-only failure the connection is reopened on the next write,
 * because SQLite keeps a file it fell back to opening read-only read-only.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { severityRank, SEVERITIES, type Finding, type Severity } from '../analyze/finding.js';
import { StoreError, type BindingQuery, type EventQuery, type EventState, type Store, type StoredBinding, type StoredEvent } from './store.js';

/** 'ARPS': marks the file as an arpscope database. */
const APPLICATION_ID = 0x41525053;

const MIGRATIONS: readonly string[] = [
  // 1: bindings and events
  `CREATE TABLE bindings (
     ip TEXT NOT NULL,
     mac TEXT NOT NULL,
     vlan INTEGER NOT NULL,
     iface TEXT NOT NULL,
     first_seen REAL NOT NULL,
     last_seen REAL NOT NULL,
     count INTEGER NOT NULL,
     vendor TEXT,
     PRIMARY KEY (ip, mac, vlan, iface)
   ) WITHOUT ROWID;
   CREATE INDEX bindings_mac ON bindings (mac);
   CREATE INDEX bindings_last_seen ON bindings (last_seen);
   CREATE TABLE events (
     id INTEGER PRIMARY KEY,
     ts REAL NOT NULL,
     kind TEXT NOT NULL,
     severity TEXT NOT NULL,
     severity_rank INTEGER NOT NULL,
     ip TEXT NOT NULL,
     macs TEXT NOT NULL,
     iface TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('raised', 'cleared', 'info')),
     title TEXT NOT NULL,
     finding TEXT
   );
   CREATE INDEX events_ts ON events (ts);
   CREATE INDEX events_kind_ts ON events (kind, ts);
   CREATE INDEX events_ip_ts ON events (ip, ts);`,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface SqliteOpenOptions {
  /** Query only (the read commands): the file must exist; works while watch writes. */
  readonly?: boolean;
  /** How long a write waits for another writer's lock before SQLITE_BUSY (default 2000 ms). */
  busyTimeoutMs?: number;
}

interface BindingRowDb {
  ip: string;
  mac: string;
  vlan: number;
  iface: string;
  first_seen: number;
  last_seen: number;
  count: number;
  vendor: string | null;
}

interface EventRowDb {
  id: number;
  ts: number;
  kind: string;
  severity: string;
  ip: string;
  macs: string;
  iface: string;
  state: string;
  title: string;
  finding: string | null;
}

/** Maps a better-sqlite3 / Node error to a one-line StoreError about `path`. */
export function storeError(path: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  switch (base) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError(path, code, 'database is locked (another writer?)', true);
    case 'SQLITE_READONLY':
      return new StoreError(path, code, `readonly database${readonlyWhy(path)}`, true);
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return new StoreError(path, code, 'disk is full', true);
    case 'SQLITE_CANTOPEN':
      return new StoreError(path, code, cantOpenWhy(path), true);
    case 'SQLITE_CORRUPT':
      return new StoreError(path, code, 'database disk image is malformed (move it aside; watch starts a new one)', true);
    case 'SQLITE_NOTADB':
      return new StoreError(path, code, 'file is not a database', true);
    case 'SQLITE_IOERR':
      return new StoreError(path, code, `disk I/O error (${code})`, true);
    case 'SQLITE_NOMEM':
    case 'SQLITE_PROTOCOL':
      return new StoreError(path, code, message, true);
    case 'EROFS':
      return new StoreError(path, code, 'readonly database (read-only file system)', true);
    case 'EACCES':
    case 'EPERM':
      return new StoreError(path, code, 'permission denied', true);
    case 'ENOTDIR':
      return new StoreError(path, code, 'a parent of the path is not a directory', true);
  }
  // Constraint violations, bad values, programming errors: retrying the same data cannot help.
  return new StoreError(path, code, message, false);
}

/** Creates the database's directory; a failure names the real cause (Node reports ENOENT for a read-only parent). */
function makeDir(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
  } catch (err) {
    let existing = dir;
    for (let i = 0; i < 256 && !existsSync(existing); i++) existing = dirname(existing);
    try {
      accessSync(existing, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EACCES';
      const why = code === 'EROFS' ? 'readonly database (read-only file system)' : `cannot create ${dir} (no write permission on ${existing})`;
      throw new StoreError(path, code, why, true);
    }
    const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    throw new StoreError(path, code, `cannot create ${dir}: ${code === 'ENOSPC' ? 'disk is full' : (err as Error).message}`, true);
  }
}

function readonlyWhy(path: string): string {
  for (const p of [path, dirname(path)]) {
    try {
      if (existsSync(p)) accessSync(p, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return ' (read-only file system)';
      if (code === 'EACCES' || code === 'EPERM') return ` (no write permission on ${p})`;
    }
  }
  return '';
}

function cantOpenWhy(path: string): string {
  const dir = dirname(path);
  if (!existsSync(dir)) return 'unable to open database file (the directory does not exist)';
  try {
    if (existsSync(path) && statSync(path).isDirectory()) return 'unable to open database file (it is a directory)';
  } catch {
    // fall through to the generic reason
  }
  const why = readonlyWhy(path);
  return why ? `unable to open database file${why}` : 'unable to open database file';
}

/** Failures a fresh connection can cure: a read-only fallback, a moved or replaced file. */
const REOPEN_ON = ['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'EROFS'];

const escapeLike = (s: string): string => s.replace(/[%_\\]/g, (c) => '\\' + c);

export class SqliteStore implements Store {
  /** null after a failed reopen: the next call tries again. */
  private db: Database.Database | null;
  /** A read-only failure: the connection may have fallen back to read-only; reopen before the next write. */
  private reopen = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly opts: SqliteOpenOptions,
  ) {
    this.db = SqliteStore.connect(path, opts);
  }

  /** Opens (creating the directory, file and schema unless read-only). Throws StoreError. */
  static open(path: string, opts: SqliteOpenOptions = {}): SqliteStore {
    return new SqliteStore(path, opts);
  }

  get readonly(): boolean {
    return this.opts.readonly === true;
  }

  private static connect(path: string, opts: SqliteOpenOptions): Database.Database {
    const readonly = opts.readonly === true;
    if (readonly && !existsSync(path)) {
      throw new StoreError(path, 'ENOENT', 'no such database (arpscope watch creates it; --db names another)', false);
    }
    let db: Database.Database | undefined;
    try {
      if (!readonly) makeDir(path);
      db = new Database(path, { readonly, fileMustExist: readonly, timeout: opts.busyTimeoutMs ?? 2000 });
      const version = db.pragma('user_version', { simple: true }) as number;
      const appId = db.pragma('application_id', { simple: true }) as number;
      if (appId !== 0 && appId !== APPLICATION_ID) {
        throw new StoreError(path, 'ARPSCOPE_FOREIGN', 'not an arpscope database (another application owns it)', false);
      }
      if (version > SCHEMA_VERSION) {
        throw new StoreError(path, 'ARPSCOPE_NEWER', `schema version ${version} is newer than this arpscope understands (${SCHEMA_VERSION})`, false);
      }
      if (readonly) {
        if (version < SCHEMA_VERSION) {
          const what = version === 0 ? 'not an arpscope database (no schema)' : `schema version ${version} is older (run arpscope watch once to upgrade)`;
          throw new StoreError(path, 'ARPSCOPE_SCHEMA', what, false);
        }
        return db;
      }
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (version < SCHEMA_VERSION) SqliteStore.migrate(db, path);
      return db;
    } catch (err) {
      db?.close();
      throw storeError(path, err);
    }
  }

  private static migrate(db: Database.Database, path: string): void {
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0) {
        const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
        if (tables.n > 0) throw new StoreError(path, 'ARPSCOPE_FOREIGN', 'not an arpscope database (it has other tables)', false);
        db.pragma(`application_id = ${APPLICATION_ID}`);
      }
      for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }

  /** Runs a write, mapping failures; reopens first after a read-only failure. */
  private write<T>(fn: (db: Database.Database) => T): T {
    if (this.closed) throw new StoreError(this.path, 'ARPSCOPE_CLOSED', 'store is closed', false);
    if (this.readonly) throw new StoreError(this.path, 'SQLITE_READONLY', 'readonly database (opened for queries only)', true);
    try {
      if (this.reopen) {
        // Close first: connections in one process share the file's state (a read-only -shm mapping included).
        this.db?.close();
        this.db = null;
        this.db = SqliteStore.connect(this.path, this.opts);
        this.reopen = false;
      }
      return fn(this.connection());
    } catch (err) {
      const se = storeError(this.path, err);
      if (REOPEN_ON.some((c) => se.code.startsWith(c))) this.reopen = true;
      throw se;
    }
  }

  private read<T>(fn: (db: Database.Database) => T): T {
    if (this.closed) throw new StoreError(this.path, 'ARPSCOPE_CLOSED', 'store is closed', false);
    try {
      return fn(this.connection());
    } catch (err) {
      throw storeError(this.path, err);
    }
  }

  private connection(): Database.Database {
    if (this.db === null) this.db = SqliteStore.connect(this.path, this.opts);
    return this.db;
  }

  loadBindings(): StoredBinding[] {
    return this.read((db) => (db.prepare('SELECT * FROM bindings').all() as BindingRowDb[]).map(toBinding));
  }

  upsertBindings(rows: StoredBinding[]): void {
    if (rows.length === 0) return;
    this.write((db) => {
      const stmt = db.prepare(
        `INSERT INTO bindings (ip, mac, vlan, iface, first_seen, last_seen, count, vendor)
         VALUES (@ip, @mac, @vlan, @iface, @first_seen, @last_seen, @count, @vendor)
         ON CONFLICT (ip, mac, vlan, iface) DO UPDATE SET
           first_seen = min(first_seen, excluded.first_seen),
           last_seen = max(last_seen, excluded.last_seen),
           count = count + excluded.count,
           vendor = coalesce(excluded.vendor, vendor)`,
      );
      db.transaction((batch: StoredBinding[]) => {
        for (const b of batch) stmt.run(checkBinding(b));
      }).immediate(rows);
    });
  }

  addEvents(events: StoredEvent[]): void {
    if (events.length === 0) return;
    this.write((db) => {
      const stmt = db.prepare(
        `INSERT INTO events (ts, kind, severity, severity_rank, ip, macs, iface, state, title, finding)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      db.transaction((batch: StoredEvent[]) => {
        for (const e of batch) {
          checkEvent(e);
          stmt.run(e.ts, e.kind, e.severity, severityRank(e.severity), e.ip, JSON.stringify(e.macs), e.iface, e.state, e.title, e.finding === null ? null : JSON.stringify(e.finding));
        }
      }).immediate(events);
    });
  }

  queryBindings(q: BindingQuery = {}): StoredBinding[] {
    const w = new Where();
    if (q.ip !== undefined) w.add('ip = ?', q.ip);
    if (q.mac !== undefined) w.add('mac = ?', q.mac.toLowerCase());
    if (q.iface !== undefined) w.add('iface = ?', q.iface);
    const sql = `SELECT * FROM bindings${w.sql()} ORDER BY last_seen DESC, ip, mac${w.limit(q.limit)}`;
    return this.read((db) => (db.prepare(sql).all(...w.args) as BindingRowDb[]).map(toBinding));
  }

  queryEvents(q: EventQuery = {}): StoredEvent[] {
    const w = new Where();
    if (q.since !== undefined) w.add('ts >= ?', q.since);
    if (q.kind !== undefined) {
      if (q.kind.endsWith('*')) w.add("kind LIKE ? ESCAPE '\\'", escapeLike(q.kind.slice(0, -1)) + '%');
      else w.add('kind = ?', q.kind);
    }
    if (q.ip !== undefined) w.add('ip = ?', q.ip);
    if (q.severityAtLeast !== undefined) w.add('severity_rank >= ?', severityRank(q.severityAtLeast));
    const sql = `SELECT * FROM events${w.sql()} ORDER BY ts DESC, id DESC${w.limit(q.limit)}`;
    return this.read((db) => (db.prepare(sql).all(...w.args) as EventRowDb[]).map(toEvent));
  }

  prune(now: number, retainSeconds: number): { events: number; bindings: number } {
    const cutoff = now - retainSeconds;
    return this.write((db) =>
      db
        .transaction(() => ({
          events: db.prepare('DELETE FROM events WHERE ts < ?').run(cutoff).changes,
          bindings: db.prepare('DELETE FROM bindings WHERE last_seen < ?').run(cutoff).changes,
        }))
        .immediate(),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.readonly) this.db?.pragma('optimize');
    } catch {
      // best effort: optimize only refreshes planner statistics
    }
    this.db?.close();
    this.db = null;
  }
}

/** A WHERE clause built from optional filters, with its parameters. */
class Where {
  readonly terms: string[] = [];
  readonly args: (string | number)[] = [];
  add(term: string, arg: string | number): void {
    this.terms.push(term);
    this.args.push(arg);
  }
  sql(): string {
    return this.terms.length > 0 ? ' WHERE ' + this.terms.join(' AND ') : '';
  }
  limit(limit: number | undefined): string {
    if (limit === undefined) return '';
    this.args.push(Math.max(0, Math.floor(limit)));
    return ' LIMIT ?';
  }
}

function checkBinding(b: StoredBinding): StoredBinding {
  if (!Number.isFinite(b.first_seen) || !Number.isFinite(b.last_seen) || !Number.isFinite(b.count) || !Number.isInteger(b.vlan)) {
    throw new TypeError(`binding ${b.ip} ${b.mac}: non-numeric time, count or vlan`);
  }
  return b;
}

function checkEvent(e: StoredEvent): void {
  if (!Number.isFinite(e.ts)) throw new TypeError(`event ${e.kind} ${e.ip}: non-numeric time`);
  if (!SEVERITIES.includes(e.severity)) throw new TypeError(`event ${e.kind} ${e.ip}: unknown severity '${String(e.severity)}'`);
}

function toBinding(r: BindingRowDb): StoredBinding {
  return { ip: r.ip, mac: r.mac, vlan: r.vlan, iface: r.iface, first_seen: r.first_seen, last_seen: r.last_seen, count: r.count, vendor: r.vendor };
}

function toEvent(r: EventRowDb): StoredEvent {
  return {
    id: r.id,
    ts: r.ts,
    kind: r.kind,
    severity: r.severity as Severity,
    ip: r.ip,
    macs: parseJson<string[]>(r.macs) ?? [],
    iface: r.iface,
    state: r.state as EventState,
    title: r.title,
    finding: r.finding === null ? null : parseJson<Finding>(r.finding),
  };
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
