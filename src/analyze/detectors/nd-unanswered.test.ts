import { describe, expect, it } from 'vitest';
import { haveCorpus } from '../../../test/corpus.js';
import { corpus, HEALTHY, lcg, runDetector, runNdEvents, scenario } from '../../../test/detector-harness.js';
import type { NdEvent } from '../events.js';
import { defaultConfig, type AnalyzeConfig } from '../config.js';
import type { DetectorFactory } from '../detector.js';
import type { FindingDraft } from '../finding.js';
import { ndUnansweredDetector } from './nd-unanswered.js';

const run = (path: string, config: AnalyzeConfig = defaultConfig(), det: DetectorFactory = ndUnansweredDetector): Promise<FindingDraft[]> =>
  runDetector(path, det, config);

describe('nd.unanswered', () => {
  it('multicast NS for an address nobody holds', async () => {
    const d = await run(scenario('nd-unanswered'));
    expect(d).toHaveLength(1);
    const f = d[0]!;
    expect(f).toMatchObject({ kind: 'nd.unanswered', severity: 'warning', ip: '2001:db8:1::99', macs: ['02:00:00:15:00:0a'], count: 6 });
    expect(f.details).toMatchObject({ sources: ['2001:db8:1::10'] });
  });

  it('needs unansweredMin solicitations', async () => {
    const cfg = defaultConfig();
    cfg.unansweredMin = 7;
    expect(await run(scenario('nd-unanswered'), cfg)).toEqual([]);
  });

  // healthy-ipv6 has unanswered DAD probes and answered NS/NUD; nd-dad-conflict has a DAD probe.
  for (const name of [...HEALTHY, 'nd-dad-conflict', 'nd-rogue-ra']) {
    it(`quiet on ${name}`, async () => {
      expect(await run(scenario(name))).toEqual([]);
    });
  }
});

describe.skipIf(!haveCorpus)('nd.unanswered on public captures', () => {
  it('quiet where solicitations are answered (forged NA included)', async () => {
    expect(await run(corpus('packetlife-ipv6_neighbor_spoofing.pcap'))).toEqual([]);
  });
});

/*
 * The runs are kept in columns by target id: checked against the rule written
 * plainly (a Map of runs by target text, in start order) on random streams of
 * solicitations, advertisements, DAD probes and ND sent by the targets.
 */
const cfg = defaultConfig();

const detect = (events: NdEvent[]): FindingDraft[] => runNdEvents(ndUnansweredDetector, events, cfg);

interface Run {
  ip: string;
  first: number;
  last: number;
  count: number;
  requesters: number[];
  sources: string[];
}

/** The rule, plainly: what the detector must report for `events`. */
function reference(events: readonly NdEvent[]): Run[] {
  const pending = new Map<string, Run>();
  const closed: Run[] = [];
  const qualifies = (p: Run): boolean => p.count >= cfg.unansweredMin && p.last - p.first >= 1;
  const answered = (ip: string, ts: number): void => {
    const p = pending.get(ip);
    if (!p) return;
    pending.delete(ip);
    if (qualifies(p) && ts - p.last > cfg.replyTimeoutS) closed.push(p);
  };
  for (const e of events) {
    if (e.src !== '::') answered(e.src, e.ts);
    if (e.type === 136) {
      if (e.target !== '') answered(e.target, e.ts);
      continue;
    }
    if (e.type !== 135 || e.src === '::' || e.target === '') continue;
    let p = pending.get(e.target);
    if (!p) pending.set(e.target, (p = { ip: e.target, first: e.ts, last: e.ts, count: 0, requesters: [], sources: [] }));
    p.last = e.ts;
    p.count++;
    const m = e.ethSrc >= 0 ? e.ethSrc : e.lladdr;
    if (m >= 0 && p.requesters.length < 16 && !p.requesters.includes(m)) p.requesters.push(m);
    if (p.sources.length < 16 && !p.sources.includes(e.src)) p.sources.push(e.src);
  }
  return [...closed, ...pending.values()].filter(qualifies);
}

function randomStream(seed: number, n: number): NdEvent[] {
  const rnd = lcg(seed);
  const targets = ['2001:db8::a', '2001:db8::b', '2001:db8::c', 'fe80::d'];
  const hosts = ['2001:db8::1', '2001:db8::2', '2001:db8::3', 'fe80::4', '::'];
  const out: NdEvent[] = [];
  let ts = 1000;
  for (let i = 0; i < n; i++) {
    ts += rnd(4) === 0 ? 2 + rnd(3) : rnd(400) / 1000;
    const kind = rnd(10);
    // Mostly NS; some NA for a target; some ND sent by a target itself; some DAD probes.
    const type = kind < 6 ? 135 : kind < 8 ? 136 : 134;
    const target = type === 134 ? '' : targets[rnd(targets.length)]!;
    const src = type === 134 ? targets[rnd(targets.length)]! : type === 136 ? target : hosts[rnd(hosts.length)]!;
    const mac = rnd(6) === 0 ? -1 : 0x020000000000 + rnd(20);
    out.push({
      input: 0, frame: i + 1, ts, type, src, dst: 'ff02::1', target, srcId: -1, targetId: -1,
      lladdr: rnd(2) === 0 ? mac : -1, ethSrc: rnd(3) === 0 ? -1 : mac, ethDst: -1, vlan: -1,
      hopLimit: 255, router: false, solicited: type === 136, override: false, routerLifetime: 0,
    });
  }
  return out;
}

describe('nd.unanswered, its columns against the plain rule', () => {
  it('reports what the plain rule reports, in the same order, on random streams', () => {
    let findings = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const events = randomStream(seed, 300);
      const want = reference(events);
      const got = detect(events);
      findings += got.length;
      expect(got.map((d) => [d.ip, d.first_ts, d.last_ts, d.count])).toEqual(want.map((r) => [r.ip, r.first, r.last, r.count]));
      expect(got.map((d) => d.macs)).toEqual(want.map((r) => [...new Set(r.requesters)].sort((a, b) => a - b).map((m) => m.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:'))));
      expect(got.map((d) => d.details!['sources'])).toEqual(want.map((r) => r.sources));
    }
    // The streams must actually exercise the rule.
    expect(findings).toBeGreaterThan(40);
  });
});
