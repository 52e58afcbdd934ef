/**
 * The SQLite store (schema, round trips, merge, prune, restart, queries),
 * the default path and durations, and the bindings / events commands.
 * Failure modes (locked, read-only, full, bounded buffer) are in failure.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../analyze/finding.js';
import { formatBindingsTable, runBindings, runEvents } from '../cli/store-commands.js';
import { UsageError } from '../errors.js';
import { defaultDbPath, parseDuration } from './paths.js';
import { SCHEMA_VERSION, SqliteStore } from './sqlite.js';
import { StoreError, type StoredBinding, type StoredEvent } from './store.js';

const binding = (over: Partial<StoredBinding> = {}): StoredBinding => ({
  ip: '10.0.0.1',
  mac: '00:11:22:33:44:55',
  vlan: -1,
  iface: 'eth0',
  first_seen: 1000,
  last_seen: 1000,
  count: 1,
  vendor: null,
  ...over,
});

const event = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  ts: 1000,
  kind: 'arp.conflict',
  severity: 'critical',
  ip: '10.0.0.1',
  macs: ['00:11:22:33:44:55'],
  iface: 'eth0',
  state: 'raised',
  title: 'Two MACs claim 10.0.0.1',
  finding: null,
  ...over,
});

const finding: Finding = {
  kind: 'arp.conflict',
  severity: 'critical',
  ip: '10.0.0.1',
  ips: ['10.0.0.1'],
  macs: ['00:11:22:33:44:55', '66:77:88:99:aa:bb'],
  first_ts: 1000,
  last_ts: 1010,
  count: 4,
  title: 'Two MACs claim 10.0.0.1',
  explanation: 'Both answer.',
  causes: ['a duplicate static address'],
  next_steps: ['arping -D 10.0.0.1'],
  evidence: [{ file: 'live:eth0', frame: 7, ts: 1000.5, line: 'ARP, Reply 10.0.0.1 is-at 00:11:22:33:44:55, length 28' }],
  details: { rate: 2 },
};

let dir = '';
let path = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'arpscope-store-'));
  path = join(dir, 'sub', 'dir', 'arpscope.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore', () => {
  it('creates the directories and schema, in WAL mode with a busy timeout', () => {
    SqliteStore.open(path).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(0x41525053);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(['bindings', 'events']);
    } finally {
      db.close();
    }
    // Opening again runs no migration and keeps the data.
    const s = SqliteStore.open(path);
    s.upsertBindings([binding()]);
    s.close();
    const s2 = SqliteStore.open(path);
    expect(s2.loadBindings()).toHaveLength(1);
    s2.close();
  });

  it('round-trips bindings and events (the finding with its evidence)', () => {
    const s = SqliteStore.open(path);
    const b = binding({ ip: 'fe80::1', mac: '00:11:22:33:44:55', vlan: 42, iface: 'br0', first_seen: 1000.25, last_seen: 1005.5, count: 3, vendor: 'Acme' });
    s.upsertBindings([b]);
    expect(s.loadBindings()).toEqual([b]);
    s.addEvents([event({ finding, macs: finding.macs }), event({ ts: 1001, kind: 'arp.new-station', severity: 'info', state: 'info', finding: null })]);
    const evs = s.queryEvents();
    expect(evs.map((e) => e.kind)).toEqual(['arp.new-station', 'arp.conflict']);
    expect(evs[1]!.finding).toEqual(finding);
    expect(evs[1]!.macs).toEqual(finding.macs);
    expect(evs[1]!.id).toBeTypeOf('number');
    expect(evs[0]!.finding).toBeNull();
    s.close();
  });

  it('merges upserts: first_seen min, last_seen max, count added, vendor kept when null', () => {
    const s = SqliteStore.open(path);
    s.upsertBindings([binding({ first_seen: 1000, last_seen: 1000, count: 2, vendor: 'Acme' })]);
    s.upsertBindings([binding({ first_seen: 900, last_seen: 950, count: 3, vendor: null })]);
    expect(s.loadBindings()).toEqual([binding({ first_seen: 900, last_seen: 1000, count: 5, vendor: 'Acme' })]);
    s.upsertBindings([binding({ first_seen: 1100, last_seen: 1200, count: 1, vendor: 'Acme Corp' })]);
    expect(s.loadBindings()).toEqual([binding({ first_seen: 900, last_seen: 1200, count: 6, vendor: 'Acme Corp' })]);
    // Another MAC, VLAN or interface is another row; one batch may repeat a key.
    s.upsertBindings([binding({ mac: '66:77:88:99:aa:bb' }), binding({ vlan: 10 }), binding({ iface: 'eth1' }), binding({ iface: 'eth1', count: 4 })]);
    const rows = s.loadBindings();
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.iface === 'eth1')!.count).toBe(5);
    s.close();
  });

  it('keeps bindings across a restart, so a changed MAC is still a change', () => {
    const s = SqliteStore.open(path);
    s.upsertBindings([binding({ mac: '00:11:22:33:44:55', last_seen: 1000 })]);
    s.close();
    const s2 = SqliteStore.open(path);
    const known = s2.loadBindings();
    expect(known).toEqual([binding({ mac: '00:11:22:33:44:55', last_seen: 1000 })]);
    s2.upsertBindings([binding({ mac: '66:77:88:99:aa:bb', first_seen: 2000, last_seen: 2000 })]);
    expect(s2.queryBindings({ ip: '10.0.0.1' }).map((b) => b.mac)).toEqual(['66:77:88:99:aa:bb', '00:11:22:33:44:55']);
    s2.close();
  });

  it('prunes events older than the retention and bindings not seen within it', () => {
    const s = SqliteStore.open(path);
    s.upsertBindings([binding({ ip: '10.0.0.1', last_seen: 100 }), binding({ ip: '10.0.0.2', last_seen: 5000 })]);
    s.addEvents([event({ ts: 100 }), event({ ts: 3999 }), event({ ts: 4000 }), event({ ts: 5000 })]);
    expect(s.prune(5000, 1000)).toEqual({ events: 2, bindings: 1 });
    expect(s.queryEvents().map((e) => e.ts)).toEqual([5000, 4000]);
    expect(s.loadBindings().map((b) => b.ip)).toEqual(['10.0.0.2']);
    expect(s.prune(5000, 1000)).toEqual({ events: 0, bindings: 0 });
    s.close();
  });

  it('filters events by time, kind (exact or prefix*), ip, severity; newest first; limit', () => {
    const s = SqliteStore.open(path);
    s.addEvents([
      event({ ts: 1, kind: 'arp.conflict', severity: 'critical', ip: '10.0.0.1' }),
      event({ ts: 2, kind: 'arp.new-station', severity: 'info', ip: '10.0.0.2', state: 'info' }),
      event({ ts: 3, kind: 'nd.rogue-ra', severity: 'warning', ip: 'fe80::1' }),
      event({ ts: 4, kind: 'arp.changed-mac', severity: 'notice', ip: '10.0.0.1' }),
      event({ ts: 4, kind: 'arp_x', severity: 'notice', ip: '10.0.0.3' }),
    ]);
    const kinds = (q: Parameters<SqliteStore['queryEvents']>[0]): string[] => s.queryEvents(q).map((e) => e.kind);
    expect(kinds({})).toEqual(['arp_x', 'arp.changed-mac', 'nd.rogue-ra', 'arp.new-station', 'arp.conflict']);
    expect(kinds({ since: 3 })).toEqual(['arp_x', 'arp.changed-mac', 'nd.rogue-ra']);
    expect(kinds({ kind: 'arp.conflict' })).toEqual(['arp.conflict']);
    expect(kinds({ kind: 'arp.*' })).toEqual(['arp.changed-mac', 'arp.new-station', 'arp.conflict']);
    expect(kinds({ ip: '10.0.0.1' })).toEqual(['arp.changed-mac', 'arp.conflict']);
    expect(kinds({ severityAtLeast: 'warning' })).toEqual(['nd.rogue-ra', 'arp.conflict']);
    expect(kinds({ severityAtLeast: 'notice', ip: '10.0.0.1', since: 2 })).toEqual(['arp.changed-mac']);
    expect(kinds({ limit: 2 })).toEqual(['arp_x', 'arp.changed-mac']);
    s.close();
  });

  it('filters bindings by ip, mac (any case), iface; most recently seen first', () => {
    const s = SqliteStore.open(path);
    s.upsertBindings([
      binding({ ip: '10.0.0.1', last_seen: 10 }),
      binding({ ip: '10.0.0.2', mac: '66:77:88:99:aa:bb', last_seen: 30 }),
      binding({ ip: '10.0.0.3', iface: 'eth1', last_seen: 20 }),
    ]);
    expect(s.queryBindings().map((b) => b.ip)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.1']);
    expect(s.queryBindings({ mac: '66:77:88:99:AA:BB' }).map((b) => b.ip)).toEqual(['10.0.0.2']);
    expect(s.queryBindings({ iface: 'eth1' }).map((b) => b.ip)).toEqual(['10.0.0.3']);
    expect(s.queryBindings({ ip: '10.0.0.1' }).map((b) => b.ip)).toEqual(['10.0.0.1']);
    expect(s.queryBindings({ limit: 1 }).map((b) => b.ip)).toEqual(['10.0.0.2']);
    s.close();
  });

  it('refuses what it should not touch, with one line naming the path', () => {
    const foreign = join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => SqliteStore.open(foreign)).toThrow(`${foreign}: not an arpscope database (it has other tables)`);

    const newer = join(dir, 'newer.db');
    SqliteStore.open(newer).close();
    const db2 = new Database(newer);
    db2.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db2.close();
    expect(() => SqliteStore.open(newer)).toThrow(/newer than this arpscope understands/);

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'x'.repeat(4096));
    expect(() => SqliteStore.open(junk)).toThrow(`${junk}: file is not a database`);

    const missing = join(dir, 'missing.db');
    expect(() => SqliteStore.open(missing, { readonly: true })).toThrow(`${missing}: no such database`);

    SqliteStore.open(join(dir, 'ro.db')).close();
    const r = SqliteStore.open(join(dir, 'ro.db'), { readonly: true });
    let err: unknown;
    try {
      r.upsertBindings([binding()]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(/: readonly database/);
    r.close();
  });
});

describe('defaultDbPath and parseDuration', () => {
  it('picks $ARPSCOPE_DB, then the root path, then XDG state', () => {
    expect(defaultDbPath({ ARPSCOPE_DB: '/x/y.db' }, 0)).toBe('/x/y.db');
    expect(defaultDbPath({}, 0)).toBe('/var/lib/arpscope/arpscope.db');
    expect(defaultDbPath({ XDG_STATE_HOME: '/s', HOME: '/h' }, 1000)).toBe('/s/arpscope/arpscope.db');
    expect(defaultDbPath({ XDG_STATE_HOME: 'relative', HOME: '/h' }, 1000)).toBe('/h/.local/state/arpscope/arpscope.db');
    expect(defaultDbPath({ HOME: '/h' }, 1000)).toBe('/h/.local/state/arpscope/arpscope.db');
  });

  it('parses durations and rejects junk', () => {
    expect(parseDuration('7d')).toBe(604800);
    expect(parseDuration('24h')).toBe(86400);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('3600s')).toBe(3600);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('1d12h')).toBe(129600);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('2W')).toBe(1209600);
    for (const bad of ['', 'x', '7 days', '-1h', 'h', '1h-', '1e3', '1000000000000d']) expect(() => parseDuration(bad), bad).toThrow(UsageError);
  });
});

describe('bindings and events commands', () => {
  const capture = (): { out: { write: (s: string) => void; flush: () => void }; text: () => string; errs: string[] } => {
    let buf = '';
    const errs: string[] = [];
    return { out: { write: (s) => (buf += s), flush: () => {} }, text: () => buf, errs };
  };

  beforeEach(() => {
    const s = SqliteStore.open(path);
    s.upsertBindings([
      binding({ ip: '10.0.0.1', last_seen: 1000, vendor: 'Evil\x1b[31mCorp' }),
      binding({ ip: '10.0.0.2', mac: '66:77:88:99:aa:bb', vlan: 7, last_seen: 2000, count: 9 }),
    ]);
    s.addEvents([
      event({ ts: 1000, finding }),
      event({ ts: 1900, kind: 'arp.new-station', severity: 'info', state: 'info', ip: '10.0.0.2', title: 'new station 10.0.0.2' }),
      event({ ts: 1950, kind: 'arp.changed-mac', severity: 'warning', ip: '10.0.0.1', title: 'changed\x07mac' }),
    ]);
    s.close();
  });

  it('bindings --json prints the stored rows as a JSON array', async () => {
    const c = capture();
    expect(await runBindings({ db: path, json: true }, { out: c.out, err: (l) => c.errs.push(l) })).toBe(0);
    const rows = JSON.parse(c.text()) as StoredBinding[];
    expect(rows.map((r) => [r.ip, r.mac, r.vlan, r.count])).toEqual([
      ['10.0.0.2', '66:77:88:99:aa:bb', 7, 9],
      ['10.0.0.1', '00:11:22:33:44:55', -1, 1],
    ]);
    const c2 = capture();
    expect(await runBindings({ db: path, json: true, mac: '66-77-88-99-AA-BB' }, { out: c2.out })).toBe(0);
    expect((JSON.parse(c2.text()) as StoredBinding[]).map((r) => r.ip)).toEqual(['10.0.0.2']);
    expect(c.errs).toEqual([]);
  });

  it('bindings prints a table with packet-derived text escaped', async () => {
    const c = capture();
    expect(await runBindings({ db: path, json: false }, { out: c.out })).toBe(0);
    const lines = c.text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IP\s+MAC\s+VLAN\s+IFACE\s+FIRST SEEN \(UTC\)\s+LAST SEEN \(UTC\)\s+COUNT\s+VENDOR$/);
    expect(lines[1]).toMatch(/^10\.0\.0\.2\s+66:77:88:99:aa:bb\s+7\s+eth0\s+1970-01-01 00:16:40\s+1970-01-01 00:33:20\s+9$/);
    expect(lines[2]).toContain('Evil\\x1b[31mCorp');
    expect(c.text()).not.toContain('\x1b');
    expect(formatBindingsTable([])).toBe('No bindings stored.\n');
  });

  it('events --json filters by --since, --severity, --kind, --ip and prints findings with evidence', async () => {
    const c = capture();
    const io = { out: c.out, now: () => 2000 };
    expect(await runEvents({ db: path, json: true }, io)).toBe(0);
    const all = JSON.parse(c.text()) as StoredEvent[];
    expect(all.map((e) => e.kind)).toEqual(['arp.changed-mac', 'arp.new-station', 'arp.conflict']);
    expect(all[2]!.finding!.evidence[0]!.frame).toBe(7);

    const q = async (o: Parameters<typeof runEvents>[0]): Promise<string[]> => {
      const cc = capture();
      expect(await runEvents({ db: path, json: true, ...o }, { out: cc.out, now: () => 2000 })).toBe(0);
      return (JSON.parse(cc.text()) as StoredEvent[]).map((e) => e.kind);
    };
    expect(await q({ since: '200s' })).toEqual(['arp.changed-mac', 'arp.new-station']);
    expect(await q({ severity: 'WARNING' })).toEqual(['arp.changed-mac', 'arp.conflict']);
    expect(await q({ kind: 'arp.new-station' })).toEqual(['arp.new-station']);
    expect(await q({ ip: '10.0.0.1', limit: '1' })).toEqual(['arp.changed-mac']);
  });

  it('events prints a table, escaped', async () => {
    const c = capture();
    expect(await runEvents({ db: path, json: false }, { out: c.out })).toBe(0);
    const lines = c.text().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+SEVERITY\s+STATE\s+KIND\s+IP\s+MACS\s+IFACE\s+TITLE$/);
    expect(lines[1]).toMatch(/^1970-01-01 00:32:30\s+warning\s+raised\s+arp\.changed-mac\s+10\.0\.0\.1\s+00:11:22:33:44:55\s+eth0\s+changed\\x07mac$/);
  });

  it('exits 3 with one line naming the path when the database cannot be opened; 2 (UsageError) on bad arguments', async () => {
    const errs: string[] = [];
    const missing = join(dir, 'nope', 'arpscope.db');
    expect(await runBindings({ db: missing, json: true }, { out: capture().out, err: (l) => errs.push(l) })).toBe(3);
    expect(await runEvents({ db: missing, json: false }, { out: capture().out, err: (l) => errs.push(l) })).toBe(3);
    expect(errs).toHaveLength(2);
    expect(errs[0]).toBe(`arpscope: ${missing}: no such database (arpscope watch creates it; --db names another)`);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite'.repeat(500));
    expect(await runBindings({ db: junk, json: true }, { out: capture().out, err: (l) => errs.push(l) })).toBe(3);
    expect(errs[2]).toBe(`arpscope: ${junk}: file is not a database`);
    await expect(runBindings({ db: path, json: true, limit: '0' })).rejects.toThrow(UsageError);
    await expect(runBindings({ db: path, json: true, mac: 'zz' })).rejects.toThrow(UsageError);
    await expect(runEvents({ db: path, json: true, severity: 'loud' })).rejects.toThrow(UsageError);
    await expect(runEvents({ db: path, json: true, since: 'yesterday' })).rejects.toThrow(UsageError);
  });
});
