/**
 * Shared by arp.flip-flop, arp.failover and arp.mac-change-reset helpers:
 * the MAC that owns each IP over time. A claim is a reply, an announcement
 * or a request's sender address. A claim by another MAC while the owner was
 * heard within the conflict window is a conflict, not a move, and is left
 * to arp.conflict; otherwise the binding moves and the change is recorded.
 */
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

export interface OwnerState {
  mac: number;
  lastTs: number;
  lastRef: FrameRef;
  /** Last gratuitous ARP from the current owner. */
  garpTs: number;
  changes: BindingChange[] | null;
  changeCount: number;
}

export class OwnerTracker {
  /** By IP id (the engine's Ipv4Index). */
  readonly owners: (OwnerState | undefined)[] = [];
  private lastInput = -1;
  private lastFrame = -1;
  private lastChange: BindingChange | null = null;
  constructor(private readonly windowS: number) {}

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
    const owners = this.owners;
    while (owners.length <= e.spaId) owners.push(undefined);
    let s = owners[e.spaId];
    if (s === undefined) {
      s = { mac: e.sha, lastTs: e.ts, lastRef: { input: e.input, frame: e.frame, ts: e.ts }, garpTs: e.gratuitous ? e.ts : -Infinity, changes: null, changeCount: 0 };
      owners[e.spaId] = s;
      return null;
    }
    if (s.mac === e.sha) {
      s.lastTs = e.ts;
      s.lastRef.input = e.input;
      s.lastRef.frame = e.frame;
      s.lastRef.ts = e.ts;
      if (e.gratuitous) {
        s.garpTs = e.ts;
        // An announcement just after the move still makes it an announced one.
        const c = s.changes?.[s.changes.length - 1];
        if (c && c.to === e.sha && e.ts - c.ts <= 2) c.announced = true;
      }
      return null;
    }
    if (e.ts - s.lastTs <= this.windowS && !e.gratuitous) return null; // both answering: a conflict
    const change: BindingChange = {
      from: s.mac,
      to: e.sha,
      ts: e.ts,
      announced: e.gratuitous,
      ref: { input: e.input, frame: e.frame, ts: e.ts },
      prevRef: { ...s.lastRef },
    };
    if (s.changes === null) s.changes = [];
    if (s.changes.length < MAX_CHANGES) s.changes.push(change);
    s.changeCount++;
    s.mac = e.sha;
    s.lastTs = e.ts;
    s.lastRef = { input: e.input, frame: e.frame, ts: e.ts };
    s.garpTs = e.gratuitous ? e.ts : -Infinity;
    this.lastChange = change;
    return change;
  }

  /** Every tracked IP (uint32) with its state, in id order. */
  entries(ipv4: { keys: ArrayLike<number> }): [number, OwnerState][] {
    const out: [number, OwnerState][] = [];
    this.owners.forEach((s, id) => {
      if (s !== undefined) out.push([ipv4.keys[id]!, s]);
    });
    return out;
  }

  /** True when the IP returned to a MAC it had before (A -> B -> A). */
  static flipFlops(s: OwnerState): boolean {
    if (s.changes === null || s.changeCount < 2) return false;
    const seen = new Set<number>([s.changes[0]!.from]);
    for (const c of s.changes) {
      if (seen.has(c.to)) return true;
      seen.add(c.to);
    }
    return false;
  }
}
