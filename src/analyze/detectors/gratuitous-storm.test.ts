/**
 * The segment-wide storm rule on an event stream: steady announcements
 * from many hosts are the segment's baseline; a burst far above it is a storm.
 * (The per-IP rule is proven on the kernel-generated arp-gratuitous-storm capture.)
 */
import { describe, expect, it } from 'vitest';
import { handContext } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import type { ArpEvent } from '../events.js';
import type { FindingDraft } from '../finding.js';
import { gratuitousStormDetector } from './gratuitous-storm.js';

function run(events: ArpEvent[]): FindingDraft[] {
  const { ctx, drafts } = handContext();
  const { ipv4, macs } = ctx;
  const d = gratuitousStormDetector(ctx);
  for (const e of events) {
    // What the engine does before handing an event on: intern its addresses.
    e.spaId = ipv4.intern(e.spa);
    e.tpaId = ipv4.intern(e.tpa);
    e.shaId = macs.intern(e.sha);
    d.onArp!(e);
  }
  d.finish();
  return drafts;
}

function garp(i: number, ts: number, frame: number): ArpEvent {
  const ip = (0x0a630000 + (i % 60000)) >>> 0;
  const mac = 0x020000000000 + i;
  return { input: 0, frame, ts, op: 2, sha: mac, spa: ip, tha: mac, tpa: ip, spaId: -1, tpaId: -1, shaId: -1, ethSrc: mac, ethDst: 0xffffffffffff, vlan: -1, gratuitous: true, probe: false, senderMismatch: false, broadcast: true, shaVirtual: false, ethSrcVirtual: false };
}

describe('arp.gratuitous-storm, segment-wide', () => {
  const baseline: ArpEvent[] = [];
  let frame = 0;
  for (let s = 0; s < 60; s++) for (let k = 0; k < 120; k++) baseline.push(garp(s * 120 + k, 1000 + s + k / 120, ++frame));

  it('stays quiet on a steady 120 announcements per second from many hosts', () => {
    expect(run(baseline)).toEqual([]);
  });

  it('reports a burst of 2000 announcements in half a second above that baseline', () => {
    const burst = Array.from({ length: 2000 }, (_, k) => garp(50_000 + k, 1030.2 + k / 4000, ++frame));
    const all = [...baseline, ...burst].sort((a, b) => a.ts - b.ts);
    const storms = run(all);
    expect(storms).toHaveLength(1);
    expect(storms[0]).toMatchObject({ kind: 'arp.gratuitous-storm', severity: 'warning' });
    expect(storms[0]!.count).toBeGreaterThanOrEqual(2000);
    expect(storms[0]!.refs.length).toBeGreaterThan(0);
  });
});

describe('arp.gratuitous-storm, per IP', () => {
  // Brute force: frames whose stormMin-th previous announcement is within the window.
  function expected(times: number[], min: number, win: number): { count: number; first: number } | null {
    let total = 0;
    let first = NaN;
    for (let n = min; n < times.length; n++) {
      if (times[n]! - times[n - min]! > win) continue;
      if (total === 0) first = times[n - min]!;
      total++;
    }
    return total === 0 ? null : { count: total + min - 1, first };
  }

  it('counts exactly what a full window per IP counts, however the announcements led up to the storm', () => {
    const { stormMin, stormWindowS } = defaultConfig();
    // Irregular lead-ups: sparse announcements, near-misses, then bursts of varying density.
    let seed = 7;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 20; trial++) {
      const times: number[] = [];
      let t = 1000;
      for (let k = 0; k < 400; k++) {
        t += k % 97 < 60 ? 0.05 + rnd() * 0.3 : 2 + rnd() * 4;
        times.push(t);
      }
      const want = expected(times, stormMin, stormWindowS);
      const events = times.map((ts, k) => garp(1, ts, k + 1));
      const perIp = run(events).filter((d) => d.ip === '10.99.0.1');
      if (want === null) expect(perIp).toEqual([]);
      else expect(perIp.map((d) => [d.count, d.first_ts])).toEqual([[want.count, want.first]]);
    }
  });
});
