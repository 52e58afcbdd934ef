/**
 * capture.vantage-gap keeps the frames it has seen by a numeric hash of
 * their content (no string per frame): checked against the rule written
 * plainly (a Map by the content as text) on random pairs and triples of
 * vantage points that each miss some frames, with clock skew.
 */
import { describe, expect, it } from 'vitest';
import { lcg, runArpEvents, type ArpEventSpec } from '../../../test/detector-harness.js';
import { defaultConfig } from '../config.js';
import type { FrameRef } from '../events.js';
import { ip4 } from './util.js';
import { vantageGapDetector } from './vantage-gap.js';

const SKEW_S = 0.5;

interface Gap {
  ip: number;
  count: number;
  macs: Set<number>;
  ops: Set<number>;
  refs: FrameRef[];
}

/** The rule, plainly: per (seen at, missed at, IP), the frames one input has and another lacks within SKEW_S; the 50 biggest. */
function reference(events: readonly ArpEventSpec[], n: number): Gap[] {
  const seen = new Map<string, { ip: number; op: number; sha: number; at: FrameRef[] }>();
  const first = new Array<number>(n).fill(Infinity);
  const last = new Array<number>(n).fill(-Infinity);
  for (const e of events) {
    const input = e.input ?? 0;
    first[input] = Math.min(first[input]!, e.ts);
    last[input] = Math.max(last[input]!, e.ts);
    const k = [e.op, e.sha, e.spa, e.tpa, e.tha].join('/');
    if (!seen.has(k)) seen.set(k, { ip: e.op === 1 ? e.tpa : e.spa, op: e.op, sha: e.sha, at: [] });
    const s = seen.get(k)!;
    if (s.at.length < 32) s.at.push({ input, frame: e.frame, ts: e.ts });
  }
  const from = Math.max(...first) - SKEW_S;
  const until = Math.min(...last) + SKEW_S;
  const gaps = new Map<string, Gap>();
  for (const s of seen.values()) {
    for (const a of s.at) {
      if (a.ts < from || a.ts > until) continue;
      for (let to = 0; to < n; to++) {
        if (to === a.input || s.at.some((b) => b.input === to && Math.abs(b.ts - a.ts) <= SKEW_S)) continue;
        const k = `${a.input}>${to}>${s.ip}`;
        if (!gaps.has(k)) gaps.set(k, { ip: s.ip, count: 0, macs: new Set(), ops: new Set(), refs: [] });
        const g = gaps.get(k)!;
        g.count++;
        g.macs.add(s.sha);
        g.ops.add(s.op);
        if (g.refs.length < 6) g.refs.push(a);
      }
    }
  }
  return [...gaps.values()].sort((a, b) => b.count - a.count).slice(0, 50);
}

/** The same exchanges captured at `n` points, each point missing some frames and its clock off a little. */
function randomCaptures(seed: number, n: number, exchanges: number): ArpEventSpec[] {
  const rnd = lcg(seed);
  const net = 0xc0000200;
  const skew = Array.from({ length: n }, () => rnd(300) / 1000);
  const lossy = rnd(n);
  const out: ArpEventSpec[] = [];
  let ts = 1000;
  for (let i = 0; i < exchanges; i++) {
    ts += rnd(800) / 1000;
    const host = net + 1 + rnd(6);
    const target = net + 100 + rnd(6);
    const hostMac = 0x020000000000 + (host & 0xff);
    const targetMac = rnd(10) === 0 ? 0x0200000000ff : 0x020000001000 + (target & 0xff);
    const frames: Omit<ArpEventSpec, 'frame' | 'input'>[] = [
      { ts, op: 1, sha: hostMac, spa: host, tha: 0, tpa: target },
      { ts: ts + 0.001, op: 2, sha: targetMac, spa: target, tha: hostMac, tpa: host },
    ];
    for (const f of frames) {
      for (let v = 0; v < n; v++) {
        // One point loses a fifth of the frames, the others one in fifty.
        if (rnd(v === lossy ? 5 : 50) === 0) continue;
        out.push({ ...f, ts: f.ts + skew[v]!, input: v, frame: 0 });
      }
    }
  }
  // Numbered per input in capture order, then merged by time as the reader does.
  const next = new Array<number>(n).fill(1);
  for (const e of out) e.frame = next[e.input!]!++;
  return out.sort((a, b) => a.ts - b.ts || a.input! - b.input!);
}

describe('capture.vantage-gap, its hashed content against the plain rule', () => {
  it('reports the same gaps, counts, MACs and frames on random captures from two and three points', () => {
    let gaps = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const n = 2 + (seed % 2);
      const vantages = Array.from({ length: n }, (_, i) => `v${i}`);
      const events = randomCaptures(seed, n, 200);
      const want = reference(events, n);
      const got = runArpEvents(vantageGapDetector, events, defaultConfig(), vantages);
      gaps += got.length;
      expect(got.map((d) => [d.ip, d.count, d.severity]), `seed ${seed}`).toEqual(want.map((g) => [ip4(g.ip), g.count, g.ops.has(2) ? 'warning' : 'notice']));
      expect(got.map((d) => d.macs.length)).toEqual(want.map((g) => g.macs.size));
      expect(got.map((d) => d.refs.map((r) => [r.input, r.frame]))).toEqual(want.map((g) => g.refs.map((r) => [r.input, r.frame])));
    }
    expect(gaps).toBeGreaterThan(60);
  });

  it('says nothing with one vantage point', () => {
    const events = randomCaptures(7, 2, 100).map((e) => ({ ...e, input: 0 }));
    expect(runArpEvents(vantageGapDetector, events, defaultConfig(), ['only'])).toEqual([]);
  });
});
