/**
 * Failure modes for real: a database locked by another writer, a read-only
 * file system, a full disk, and the bounded buffer. BufferedStore keeps the
 * writes and delivers them once the database accepts them again.
 * The file-system cases mount tmpfs, so they need root.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, unlinkSync, writeSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBindings } from '../cli/store-commands.js';
import { BufferedStore } from './buffered.js';
import { SqliteStore } from './sqlite.js';
import { StoreError, type Store, type StoredBinding, type StoredEvent } from './store.js';

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
  kind: 'arp.changed-mac',
  severity: 'warning',
  ip: '10.0.0.1',
  macs: ['00:11:22:33:44:55'],
  iface: 'eth0',
  state: 'raised',
  title: 'changed MAC',
  finding: null,
  ...over,
});

const isRoot = process.getuid?.() === 0;
const canMount: boolean = (() => {
  if (!isRoot) return false;
  const probe = mkdtempSync(join(tmpdir(), 'arpscope-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();
const noMount = canMount ? '' : ' (skipped: needs root allowed to mount tmpfs)';

/** A tmpfs on a fresh directory; cleanup unmounts (lazily, in case something is still open) and removes it. */
function tmpfs(size: string): { dir: string; remount: (mode: 'ro' | 'rw') => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  return {
    dir,
    remount: (mode) => execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' }),
    cleanup: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A clock the backoff reads, moved by hand. */
const clock = (): { now: () => number; advance: (ms: number) => void } => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
};

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'arpscope-fail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a database locked by another writer', () => {
  it('buffers while BEGIN EXCLUSIVE is held, backs off, and writes everything after the lock is released', async () => {
    const path = join(dir, 'arpscope.db');
    const store = SqliteStore.open(path, { busyTimeoutMs: 50 });
    store.upsertBindings([binding({ count: 2 })]);
    const errors: Error[] = [];
    const c = clock();
    const buf = new BufferedStore(store, { onError: (e) => errors.push(e), now: c.now });
    const holder = new Database(path);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      buf.upsertBindings([binding({ last_seen: 2000, count: 3 })]);
      buf.addEvents([event({ ts: 2000 }), event({ ts: 2001 })]);
      expect(buf.pending).toBe(3);
      expect(buf.errors).toBe(1); // the second write waited for the backoff instead of the busy timeout
      expect(buf.lastError).toBe(`${path}: database is locked (another writer?)`);
      expect(errors.map((e) => e.message)).toEqual([`${path}: database is locked (another writer?)`]);
      expect(errors[0]).toBeInstanceOf(StoreError);
      expect((errors[0] as StoreError).code).toMatch(/^SQLITE_BUSY/);

      // More updates to the same binding coalesce instead of growing the buffer.
      buf.upsertBindings([binding({ first_seen: 900, last_seen: 2100, count: 4 })]);
      expect(buf.pending).toBe(3);
      // Restart state includes what is still pending.
      expect(buf.loadBindings()).toEqual([binding({ first_seen: 900, last_seen: 2100, count: 9 })]);

      c.advance(1000);
      buf.addEvents([event({ ts: 2002 })]);
      expect(buf.errors).toBe(2);
      expect(errors).toHaveLength(1); // the same failure is reported once
      expect(buf.flush()).toBe(false);
      expect(buf.pending).toBe(4);

      // Readers are not blocked by the writer (WAL): the read commands work meanwhile.
      let out = '';
      expect(await runBindings({ db: path, json: true }, { out: { write: (s) => (out += s), flush: () => {} } })).toBe(0);
      expect((JSON.parse(out) as StoredBinding[])[0]!.count).toBe(2);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(buf.flush()).toBe(true);
    expect(buf.pending).toBe(0);
    expect(buf.dropped).toBe(0);
    expect(store.loadBindings()).toEqual([binding({ first_seen: 900, last_seen: 2100, count: 9 })]);
    expect(store.queryEvents().map((e) => e.ts)).toEqual([2002, 2001, 2000]);
    buf.close();
  });
});

describe('a read-only database', () => {
  it.skipIf(!canMount)(`reads on a read-only file system, buffers writes, and writes them after a remount rw${noMount}`, () => {
    const fs = tmpfs('4m');
    let buf: BufferedStore | undefined;
    try {
      // A database left with its -wal and -shm (as a crash leaves it), on a file system that then goes read-only.
      const src = join(dir, 'arpscope.db');
      const w = SqliteStore.open(src);
      w.upsertBindings([binding()]);
      for (const f of ['', '-wal', '-shm']) copyFileSync(src + f, join(fs.dir, 'arpscope.db' + f));
      w.close();
      fs.remount('ro');

      const path = join(fs.dir, 'arpscope.db');
      const errors: string[] = [];
      const c = clock();
      buf = new BufferedStore(SqliteStore.open(path), { onError: (e) => errors.push(e.message), now: c.now });
      expect(buf.loadBindings()).toEqual([binding()]);
      buf.upsertBindings([binding({ last_seen: 2000, count: 1 })]);
      buf.addEvents([event()]);
      expect(buf.pending).toBe(2);
      expect(errors).toEqual([`${path}: readonly database (read-only file system)`]);
      expect(buf.flush()).toBe(false);

      fs.remount('rw');
      // SQLite opened the file read-only; the store reopens it on the next write.
      expect(buf.flush(), String(buf.lastError)).toBe(true);
      expect(buf.queryBindings()).toEqual([binding({ last_seen: 2000, count: 2 })]);
      expect(buf.queryEvents()).toHaveLength(1);
      expect(buf.dropped).toBe(0);
    } finally {
      buf?.close();
      fs.cleanup();
    }
  });

  it.skipIf(!canMount)(`says so at open when a new database cannot be created on a read-only file system${noMount}`, () => {
    const fs = tmpfs('1m');
    try {
      fs.remount('ro');
      const path = join(fs.dir, 'arpscope.db');
      expect(() => SqliteStore.open(path)).toThrow(`${path}: unable to open database file (read-only file system)`);
      expect(() => SqliteStore.open(join(fs.dir, 'sub', 'arpscope.db'))).toThrow(`${join(fs.dir, 'sub', 'arpscope.db')}: readonly database (read-only file system)`);
    } finally {
      fs.cleanup();
    }
  });

  it('a store opened for queries refuses writes; BufferedStore keeps and counts them', () => {
    const path = join(dir, 'arpscope.db');
    SqliteStore.open(path).close();
    const errors: string[] = [];
    const buf = new BufferedStore(SqliteStore.open(path, { readonly: true }), { onError: (e) => errors.push(e.message) });
    buf.addEvents([event()]);
    expect(buf.pending).toBe(1);
    expect(errors).toEqual([`${path}: readonly database (opened for queries only)`]);
    buf.close();
    expect(buf.dropped).toBe(1);
    expect(errors[1]).toMatch(/1 pending writes could not be saved before closing/);
  });
});

describe('a full disk', () => {
  it.skipIf(!canMount)(`buffers on SQLITE_FULL and writes after space is freed${noMount}`, () => {
    const fs = tmpfs('256k');
    let buf: BufferedStore | undefined;
    try {
      const path = join(fs.dir, 'arpscope.db');
      const store = SqliteStore.open(path);
      store.addEvents([event({ ts: 1 })]);
      // Fill the file system (bounded: 256 KiB in 4 KiB writes).
      const filler = join(fs.dir, 'filler');
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(4096, 0x61);
      try {
        for (let i = 0; i < 256; i++) writeSync(fd, block);
        throw new Error('tmpfs never filled');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
      const errors: StoreError[] = [];
      const c = clock();
      buf = new BufferedStore(store, { onError: (e) => errors.push(e as StoreError), now: c.now });
      // Events bigger than any free page: they cannot fit anywhere.
      const big = 'x'.repeat(32 * 1024);
      buf.addEvents([event({ ts: 2, title: big }), event({ ts: 3, title: big })]);
      expect(buf.pending).toBe(2);
      expect(errors.map((e) => e.message)).toEqual([`${path}: disk is full`]);
      expect(errors[0]!.code).toMatch(/^SQLITE_FULL/);

      unlinkSync(filler);
      expect(buf.flush()).toBe(true);
      expect(buf.queryEvents().map((e) => [e.ts, e.title.length])).toEqual([
        [3, big.length],
        [2, big.length],
        [1, 'changed MAC'.length],
      ]);
    } finally {
      buf?.close();
      fs.cleanup();
    }
  });
});

describe('the bounded buffer', () => {
  /** A store that fails (transiently) until told otherwise. */
  class FlakyStore implements Store {
    readonly path = '/flaky.db';
    failing = true;
    bindings: StoredBinding[] = [];
    events: StoredEvent[] = [];
    private check(): void {
      if (this.failing) throw new StoreError(this.path, 'SQLITE_BUSY', 'database is locked (another writer?)', true);
    }
    loadBindings(): StoredBinding[] {
      return [];
    }
    upsertBindings(rows: StoredBinding[]): void {
      this.check();
      this.bindings.push(...rows);
    }
    addEvents(events: StoredEvent[]): void {
      this.check();
      for (const e of events) if (e.kind === 'bad') throw new StoreError(this.path, 'SQLITE_CONSTRAINT', 'CHECK constraint failed', false);
      this.events.push(...events);
    }
    queryBindings(): StoredBinding[] {
      return this.bindings;
    }
    queryEvents(): StoredEvent[] {
      return this.events;
    }
    prune(): { events: number; bindings: number } {
      this.check();
      return { events: 0, bindings: 0 };
    }
    close(): void {}
  }

  it('holds at most maxPending, counts what it drops, prefers bindings over events', () => {
    const inner = new FlakyStore();
    const errors: string[] = [];
    const buf = new BufferedStore(inner, { maxPending: 10, onError: (e) => errors.push(e.message), retryMs: 0 });
    buf.addEvents(Array.from({ length: 15 }, (_, i) => event({ ts: i })));
    expect(buf.pending).toBe(10);
    expect(buf.dropped).toBe(5);
    expect(errors).toEqual(['database is locked (another writer?)'.replace(/^/, '/flaky.db: '), expect.stringMatching(/^\/flaky\.db: write buffer full \(10 pending\): dropping writes/)]);
    // A new binding displaces the newest pending event; an update to it costs nothing.
    buf.upsertBindings([binding({ ip: '10.0.0.9' })]);
    buf.upsertBindings([binding({ ip: '10.0.0.9', count: 5 })]);
    expect(buf.pending).toBe(10);
    expect(buf.dropped).toBe(6);
    expect(errors).toHaveLength(2); // dropping is reported once per episode
    expect(buf.prune(0, 1)).toEqual({ events: 0, bindings: 0 }); // never throws

    inner.failing = false;
    expect(buf.flush()).toBe(true);
    expect(inner.events.map((e) => e.ts)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(inner.bindings).toEqual([binding({ ip: '10.0.0.9', count: 6 })]);
    expect(buf.pending).toBe(0);
    expect(buf.dropped).toBe(6);
  });

  it('drops only the rows the store rejects as bad data, not the batch', () => {
    const inner = new FlakyStore();
    inner.failing = false;
    const buf = new BufferedStore(inner, { chunk: 3 });
    buf.addEvents([event({ ts: 1 }), event({ ts: 2, kind: 'bad' }), event({ ts: 3 }), event({ ts: 4 })]);
    expect(inner.events.map((e) => e.ts)).toEqual([1, 3, 4]);
    expect(buf.dropped).toBe(1);
    expect(buf.pending).toBe(0);
  });

  it('with the real store, a bad row (unknown severity) is dropped and the rest written', () => {
    const store = SqliteStore.open(join(dir, 'arpscope.db'));
    const errors: string[] = [];
    const buf = new BufferedStore(store, { onError: (e) => errors.push(e.message) });
    buf.addEvents([event({ ts: 1 }), event({ ts: 2, severity: 'loud' as never }), event({ ts: 3 })]);
    expect(store.queryEvents().map((e) => e.ts)).toEqual([3, 1]);
    expect(buf.dropped).toBe(1);
    expect(errors[0]).toMatch(/unknown severity 'loud'/);
    buf.close();
  });
});
