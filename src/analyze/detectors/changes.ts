/**
 * Shared by arp.flip-flop, arp.failover and arp.mac-change-reset helpers:
 * the MAC that owns each IP over time. A claim is a reply, an announcement
 * or a request's sender address. A claim by another MAC while the owner was
 * heard within the conflict window is a conflict, not a move, and is left
 * to arp.conflict; otherwise the binding moves and the change is recorded.
 */
import { capacityFor, growF64, growU8 } from '../address-index.js';
import type { ArpEvent, FrameRef } from '../events.js';

const MAX_CHANGES = 64;

export interface BindingChange {
  from: number;
  to: number;
  ts: number;
  /** The new owner announced itself (gratuitous ARP) within 2 s around the move. */
  announced: boolean;
  ref: FrameRef;
  /** The old owner's last frame before the move. */
  prevRef: FrameRef;
}

/** The moves of one IP (only IPs that moved have one). */
export interface OwnerHistory {
  /** The first MAX_CHANGES moves. */
  changes: BindingChange[];
  changeCount: number;
}

export class OwnerTracker {
  // The current owner per IP id (the engine's Ipv4Index), in columns: its
  // MAC and its last frame (input, number, time).
  private cap = 0;
  private known = new Uint8Array(0);
  private mac = new Float64Array(0);
  private lastTs = new Float64Array(0);
  private lastInputs = new Float64Array(0);
  private lastFrames = new Float64Array(0);
  private readonly histories = new Map<number, OwnerHistory>();
  private lastInput = -1;
  private lastFrame = -1;
  private lastChange: BindingChange | null = null;
  constructor(private readonly windowS: number) {}

  private grow(n: number): void {
    this.cap = capacityFor(this.cap, n - 1);
    this.known = growU8(this.known, this.cap);
    this.mac = growF64(this.mac, this.cap);
    this.lastTs = growF64(this.lastTs, this.cap);
    this.lastInputs = growF64(this.lastInputs, this.cap);
    this.lastFrames = growF64(this.lastFrames, this.cap);
  }

  /**
   * Feeds one event and returns the move it caused, or null. Idempotent per
   * frame: detectors sharing this tracker all get the same answer.
   */
  claim(e: ArpEvent): BindingChange | null {
    if (e.frame === this.lastFrame && e.input === this.lastInput) return this.lastChange;
    this.lastFrame = e.frame;
    this.lastInput = e.input;
    this.lastChange = null;
    if (e.op !== 1 && e.op !== 2) return null;
    if (e.spa === 0 || e.shaVirtual || e.spaId < 0) return null;
    const id = e.spaId;
    if (id >= this.cap) this.grow(id + 1);
    if (this.known[id] === 0) {
      this.known[id] = 1;
      this.setOwner(id, e);
      return null;
    }
    if (this.mac[id] === e.sha) {
      this.lastTs[id] = e.ts;
      this.lastInputs[id] = e.input;
      this.lastFrames[id] = e.frame;
      if (e.gratuitous) {
        // An announcement just after the move still makes it an announced one.
        const h = this.histories.get(id);
        const c = h?.changes[h.changes.length - 1];
        if (c && c.to === e.sha && e.ts - c.ts <= 2) c.announced = true;
      }
      return null;
    }
    if (e.ts - this.lastTs[id]! <= this.windowS && !e.gratuitous) return null; // both answering: a conflict
    const change: BindingChange = {
      from: this.mac[id]!,
      to: e.sha,
      ts: e.ts,
      announced: e.gratuitous,
      ref: { input: e.input, frame: e.frame, ts: e.ts },
      prevRef: { input: this.lastInputs[id]!, frame: this.lastFrames[id]!, ts: this.lastTs[id]! },
    };
    let h = this.histories.get(id);
    if (h === undefined) this.histories.set(id, (h = { changes: [], changeCount: 0 }));
    if (h.changes.length < MAX_CHANGES) h.changes.push(change);
    h.changeCount++;
    this.setOwner(id, e);
    this.lastChange = change;
    return change;
  }

  private setOwner(id: number, e: ArpEvent): void {
    this.mac[id] = e.sha;
    this.lastTs[id] = e.ts;
    this.lastInputs[id] = e.input;
    this.lastFrames[id] = e.frame;
  }

  /** Every IP (uint32) that moved at least once with its moves, in id order. */
  moved(ipv4: { keys: ArrayLike<number> }): [number, OwnerHistory][] {
    return [...this.histories.entries()].sort((a, b) => a[0] - b[0]).map(([id, h]) => [ipv4.keys[id]!, h]);
  }

  /** True when the IP returned to a MAC it had before (A -> B -> A). */
  static flipFlops(s: OwnerHistory): boolean {
    if (s.changeCount < 2) return false;
    const seen = new Set<number>([s.changes[0]!.from]);
    for (const c of s.changes) {
      if (seen.has(c.to)) return true;
      seen.add(c.to);
    }
    return false;
  }
}
