/**
 * What `watch` writes through: a Store whose writes never throw. When the
 * database is locked, read-only or full, writes wait in memory and go out
 * when it accepts them again; nothing is lost without being counted.
 *
 *  - Pending bindings are coalesced by (ip, mac, vlan, iface) with the
 *    upsert merge rule, so a long outage costs memory per address, not per
 *    frame. Pending events queue in order.
 *  - The buffer holds at most maxPending items (bindings + events). When
 *    full, new events are dropped; a new binding displaces the newest
 *    pending event (bindings are what make a restart correct). Each loss
 *    is counted in `dropped`.
 *  - After a failure, writes retry no sooner than a backoff (1 s doubling
 *    to 30 s), so a locked database does not stall every write for the
 *    busy timeout (which blocks the event loop); flushIfDue() honours the
 *    backoff, flush() retries at once.
 *  - A batch the store rejects as bad data (StoreError.transient false) is
 *    retried row by row and only the bad rows are dropped, so one bad row
 *    cannot block the rest forever.
 *  - onError hears each new kind of failure once (not every retry), and
 *    when dropping starts.
 */
import { bindingKey, mergeBinding, StoreError, type BindingQuery, type EventQuery, type Store, type StoredBinding, type StoredEvent } from './store.js';

export interface BufferedStoreOptions {
  /** Pending bindings + events kept while the store fails (default 100_000). */
  maxPending?: number;
  onError?: (err: Error) => void;
  /** First retry delay after a failure, ms (default 1000); doubles up to maxRetryMs (default 30_000). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Events per transaction when flushing a backlog (default 5000). */
  chunk?: number;
  /** Clock for the backoff, ms (tests). */
  now?: () => number;
}

const isTransient = (err: unknown): boolean => !(err instanceof StoreError) || err.transient;

export class BufferedStore implements Store {
  private readonly maxPending: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly chunk: number;
  private readonly now: () => number;
  private readonly onError: (err: Error) => void;
  private readonly bindings = new Map<string, StoredBinding>();
  private events: StoredEvent[] = [];
  private head = 0;
  private delay: number;
  private nextTry = 0;
  private reported: string | null = null;
  private dropping = false;
  private closed = false;

  private _dropped = 0;
  private _errors = 0;
  private _lastError: string | null = null;

  constructor(
    readonly inner: Store,
    opts: BufferedStoreOptions = {},
  ) {
    this.maxPending = Math.max(1, opts.maxPending ?? 100_000);
    this.retryMs = opts.retryMs ?? 1000;
    this.maxRetryMs = opts.maxRetryMs ?? 30_000;
    this.chunk = Math.max(1, opts.chunk ?? 5000);
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? (() => {});
    this.delay = this.retryMs;
  }

  /** Items lost: the buffer was full, the store rejected them as bad data, or they were still pending at close. */
  get dropped(): number {
    return this._dropped;
  }

  /** Failed write attempts. */
  get errors(): number {
    return this._errors;
  }

  /** The latest failure's message (one line, names the path), null before any. */
  get lastError(): string | null {
    return this._lastError;
  }

  /** Bindings and events waiting to be written. */
  get pending(): number {
    return this.bindings.size + this.events.length - this.head;
  }

  private get where(): string {
    const p = (this.inner as { path?: unknown }).path;
    return typeof p === 'string' ? p : 'store';
  }

  /** The stored bindings with the pending ones merged in. Throws StoreError when the store cannot be read. */
  loadBindings(): StoredBinding[] {
    const rows = this.inner.loadBindings();
    if (this.bindings.size === 0) return rows;
    const byKey = new Map(rows.map((r) => [bindingKey(r), r]));
    for (const [k, b] of this.bindings) {
      const have = byKey.get(k);
      if (have) mergeBinding(have, b);
      else byKey.set(k, { ...b });
    }
    return [...byKey.values()];
  }

  upsertBindings(rows: StoredBinding[]): void {
    if (this.closed) return this.lostAfterClose(rows.length);
    for (const b of rows) {
      const k = bindingKey(b);
      const have = this.bindings.get(k);
      if (have) {
        mergeBinding(have, b);
        continue;
      }
      if (this.pending >= this.maxPending && !this.roomAfterFlush()) {
        this.full();
        // Make room by dropping the newest pending event; with none, drop this binding.
        if (this.events.length === this.head) continue;
        this.events.pop();
      }
      this.bindings.set(k, { ...b });
    }
    this.writeIfDue();
  }

  addEvents(events: StoredEvent[]): void {
    if (this.closed) return this.lostAfterClose(events.length);
    for (const e of events) {
      if (this.pending >= this.maxPending && !this.roomAfterFlush()) this.full();
      else this.events.push(e);
    }
    this.writeIfDue();
  }

  /** Passes through; throws StoreError when the store cannot be read. Pending events are not included. */
  queryBindings(q?: BindingQuery): StoredBinding[] {
    return this.inner.queryBindings(q);
  }

  queryEvents(q?: EventQuery): StoredEvent[] {
    return this.inner.queryEvents(q);
  }

  /** Never throws: a failed prune is reported and counted, and simply happens on a later call. */
  prune(now: number, retainSeconds: number): { events: number; bindings: number } {
    try {
      return this.inner.prune(now, retainSeconds);
    } catch (err) {
      this.failed(err);
      return { events: 0, bindings: 0 };
    }
  }

  /** Writes what is pending now, ignoring the backoff. True when nothing is left pending. */
  flush(): boolean {
    if (this.closed) return this.pending === 0;
    if (this.pending === 0) return true;
    if (!this.writeBindings() || !this.writeEvents()) return false;
    this.delay = this.retryMs;
    this.nextTry = 0;
    this.reported = null;
    this.dropping = false;
    return true;
  }

  /** flush() if the backoff since the last failure has passed (a cheap call for a timer); true when nothing is pending. */
  flushIfDue(): boolean {
    this.writeIfDue();
    return this.pending === 0;
  }

  /** Flushes, closes the store, and counts (and reports) whatever could not be written. Never throws. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const left = this.pending;
    if (left > 0) {
      this.bindings.clear();
      this.events = [];
      this.head = 0;
      this._dropped += left;
      this.onError(new StoreError(this.where, 'ARPSCOPE_LOST', `${left} pending writes could not be saved before closing${this.lastError ? ` (${this.lastError})` : ''}`, false));
    }
    try {
      this.inner.close();
    } catch (err) {
      this.failed(err);
    }
  }

  /** A full buffer with a healthy store is just a big batch: write it out and carry on. */
  private roomAfterFlush(): boolean {
    return this.now() >= this.nextTry && this.flush();
  }

  private writeIfDue(): void {
    if (this.pending > 0 && this.now() >= this.nextTry) this.flush();
  }

  private writeBindings(): boolean {
    if (this.bindings.size === 0) return true;
    const rows = [...this.bindings.values()];
    try {
      this.inner.upsertBindings(rows);
      this.bindings.clear();
      return true;
    } catch (err) {
      if (isTransient(err)) return this.failed(err);
      this.failed(err, true);
    }
    for (const b of rows) {
      try {
        this.inner.upsertBindings([b]);
      } catch (err) {
        if (isTransient(err)) return this.failed(err);
        this._dropped++;
      }
      this.bindings.delete(bindingKey(b));
    }
    return true;
  }

  private writeEvents(): boolean {
    while (this.head < this.events.length) {
      const batch = this.events.slice(this.head, this.head + this.chunk);
      try {
        this.inner.addEvents(batch);
        this.head += batch.length;
      } catch (err) {
        if (isTransient(err)) return this.failed(err);
        this.failed(err, true);
        for (const e of batch) {
          try {
            this.inner.addEvents([e]);
          } catch (err2) {
            if (isTransient(err2)) return this.failed(err2);
            this._dropped++;
          }
          this.head++;
        }
      }
      this.compact();
    }
    this.events = [];
    this.head = 0;
    return true;
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Records a failure; false for `return this.failed(err)`. `salvage`: bad data, no backoff. */
  private failed(err: unknown, salvage = false): false {
    const e = err instanceof Error ? err : new Error(String(err));
    this._errors++;
    this._lastError = e.message;
    if (!salvage) {
      this.nextTry = this.now() + this.delay;
      this.delay = Math.min(this.delay * 2, this.maxRetryMs);
    }
    if (this.reported !== e.message) {
      this.reported = e.message;
      this.onError(e);
    }
    return false;
  }

  /** One item did not fit in the buffer. */
  private full(): void {
    this._dropped++;
    if (this.dropping) return;
    this.dropping = true;
    const why = `write buffer full (${this.maxPending} pending): dropping writes until the database accepts them${this.lastError ? ` (${this.lastError})` : ''}`;
    this.onError(new StoreError(this.where, 'ARPSCOPE_DROPPED', why, false));
  }

  private lostAfterClose(n: number): void {
    if (n === 0) return;
    this._dropped += n;
    this.onError(new StoreError(this.where, 'ARPSCOPE_CLOSED', `${n} writes after close were dropped`, false));
  }
}
