/** Shared by the detector unit tests: run detectors over a real capture and get their drafts. */
import { join } from 'node:path';
import { openCaptures, scanFrames } from '../src/read.js';
import { defaultConfig, type AnalyzeConfig } from '../src/analyze/config.js';
import { Ipv4Index, Ipv6Index, MacIndex } from '../src/analyze/address-index.js';
import { BindingTable } from '../src/analyze/bindings.js';
import type { DetectorContext, DetectorFactory } from '../src/analyze/detector.js';
import { Engine } from '../src/analyze/engine.js';
import type { ArpEvent, NdEvent } from '../src/analyze/events.js';
import type { FindingDraft } from '../src/analyze/finding.js';
import { parseIPv6 } from '../src/filter/lexer.js';
import { corpusDir, repoRoot } from './corpus.js';

export const scenario = (name: string): string => join(repoRoot, 'test', 'fixtures', 'scenarios', `${name}.pcap`);
export const corpus = (name: string): string => join(corpusDir, 'public', name);

/** Captures of normal traffic on which no detector may warn. */
export const HEALTHY = ['healthy-ipv4', 'healthy-ipv6', 'healthy-metallb-failover', 'healthy-kubevip-garp', 'healthy-vrrp'];

export async function runDetector(path: string, det: DetectorFactory, config: AnalyzeConfig = defaultConfig()): Promise<FindingDraft[]> {
  const engine = new Engine(config, [det]);
  const reader = await openCaptures([path]);
  try {
    await scanFrames(reader, (f, r) => engine.onFrame(f, r), { select: (f) => engine.wants(f) });
  } finally {
    reader.close();
  }
  engine.finish();
  return engine.drafts;
}

/**
 * A context for tests that feed a detector events by hand: fresh address
 * indexes and binding table, shared state per context, drafts collected
 * (offered ones built at once).
 */
export function handContext(config: AnalyzeConfig = defaultConfig(), vantages: readonly string[] = ['x']): { ctx: DetectorContext; drafts: FindingDraft[] } {
  const drafts: FindingDraft[] = [];
  const ipv4 = new Ipv4Index();
  const ipv6 = new Ipv6Index();
  const shared = new Map<string, unknown>();
  const ctx: DetectorContext = {
    config, ipv4, ipv6, macs: new MacIndex(), vantages, bindings: new BindingTable(ipv4, ipv6),
    emit: (d) => void drafts.push(d),
    offer: (_head, build) => void drafts.push(build()),
    shared: <T>(name: string, create: () => T): T => {
      if (!shared.has(name)) shared.set(name, create());
      return shared.get(name) as T;
    },
  };
  return { ctx, drafts };
}

/** A small deterministic random source for randomized tests (an LCG): rnd(k) is an integer in [0, k). */
export function lcg(seed: number): (k: number) => number {
  let x = seed;
  return (k) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
}

/** Feeds hand-made ND events to a detector, their addresses interned as the engine does; its drafts. */
export function runNdEvents(det: DetectorFactory, events: NdEvent[], config?: AnalyzeConfig): FindingDraft[] {
  const { ctx, drafts } = handContext(config);
  const d = det(ctx);
  for (const e of events) {
    e.srcId = ctx.ipv6.internAt(parseIPv6(e.src)!, 0);
    e.targetId = e.target === '' ? -1 : ctx.ipv6.internAt(parseIPv6(e.target)!, 0);
    d.onNd!(e);
  }
  d.finish();
  return drafts;
}

/** The fields of an ARP event a test gives; runArpEvents fills in the rest as the engine does. */
export type ArpEventSpec = Pick<ArpEvent, 'frame' | 'ts' | 'op' | 'sha' | 'spa' | 'tha' | 'tpa'> & Partial<Pick<ArpEvent, 'ethSrc' | 'ethDst' | 'input'>>;

/** Feeds hand-made ARP events to a detector, with the engine's ids and flags (virtual MACs from the config); its drafts. */
export function runArpEvents(det: DetectorFactory, events: readonly ArpEventSpec[], config?: AnalyzeConfig, vantages?: readonly string[]): FindingDraft[] {
  const { ctx, drafts } = handContext(config, vantages);
  const d = det(ctx);
  // As in the engine, a detector without onArp sees no ARP.
  for (const s of d.onArp ? events : []) {
    const ethSrc = s.ethSrc ?? s.sha;
    const ethDst = s.ethDst ?? (s.op === 1 ? 0xffffffffffff : s.tha);
    const spaId = ctx.ipv4.intern(s.spa);
    const broadcast = ethDst === 0xffffffffffff;
    d.onArp!({
      input: s.input ?? 0, frame: s.frame, ts: s.ts, op: s.op, sha: s.sha, spa: s.spa, tha: s.tha, tpa: s.tpa,
      spaId, tpaId: s.tpa === s.spa ? spaId : ctx.ipv4.intern(s.tpa), shaId: ctx.macs.intern(s.sha),
      ethSrc, ethDst, vlan: -1, broadcast,
      probe: s.op === 1 && s.spa === 0,
      gratuitous: (s.spa === s.tpa && s.spa !== 0) || (s.op === 2 && broadcast),
      senderMismatch: ethSrc !== s.sha, shaVirtual: ctx.config.virtualMacs.has(s.sha), ethSrcVirtual: ctx.config.virtualMacs.has(ethSrc),
    });
  }
  d.finish();
  return drafts;
}
