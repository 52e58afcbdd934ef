/**
 * A detector: one problem, one stable finding kind, its own bounded state.
 * It subscribes to the event kinds it needs and emits drafts; the engine
 * resolves their frame references into evidence lines.
 */
import type { Ipv4Index, Ipv6Index, MacIndex } from './address-index.js';
import type { BindingTable } from './bindings.js';
import type { AnalyzeConfig } from './config.js';
import type { ArpEvent, NdEvent, TcpResetEvent } from './events.js';
import type { DraftHead, FindingDraft } from './finding.js';

export interface DetectorContext {
  readonly config: AnalyzeConfig;
  readonly bindings: BindingTable;
  /** The address indexes the events' ids come from. */
  readonly ipv4: Ipv4Index;
  readonly ipv6: Ipv6Index;
  readonly macs: MacIndex;
  /** Names of the inputs (vantage points), by input index. */
  readonly vantages: readonly string[];
  emit(d: FindingDraft): void;
  /**
   * Emits a finding whose text and evidence are made by `build` only if it
   * is kept one by one: for detectors that may report tens of thousands,
   * most of which folding turns into one summary. `build()` returns `head`'s
   * values plus the rest.
   */
  offer(head: DraftHead, build: () => FindingDraft): void;
  /**
   * State shared by detectors that need the same tracking (conflict and
   * flux, flip-flop and failover): created once per engine by the first
   * caller. Shared trackers must ignore an event they have already seen.
   */
  shared<T>(name: string, create: () => T): T;
}

export interface Detector {
  readonly kind: string;
  onArp?(e: ArpEvent): void;
  onNd?(e: NdEvent): void;
  onTcpReset?(e: TcpResetEvent): void;
  /** End of input: emit what is still pending. */
  finish(): void;
}

export type DetectorFactory = (ctx: DetectorContext) => Detector;
