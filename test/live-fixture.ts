/** A LiveView fed with hand-made events, alerts and bindings, for the dashboard server tests. */
import { BindingTable } from '../src/analyze/bindings.js';
import { defaultConfig } from '../src/analyze/config.js';
import { Engine } from '../src/analyze/engine.js';
import type { ArpEvent } from '../src/analyze/events.js';
import type { Finding } from '../src/analyze/finding.js';
import type { Alert } from '../src/watch/alerts.js';
import { LiveView } from '../src/watch/live-view.js';

export const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
export const mac = (s: string): number => parseInt(s.replace(/:/g, ''), 16);

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: 'arp.conflict',
    severity: 'critical',
    ip: '192.0.2.20',
    ips: ['192.0.2.20'],
    macs: ['02:00:00:aa:00:0b', '02:00:00:aa:00:0c'],
    first_ts: 1_700_000_000,
    last_ts: 1_700_000_001,
    count: 2,
    title: '192.0.2.20 is answered by 2 MACs',
    explanation: 'Two hosts answer for one IP.',
    causes: ['a duplicate address'],
    next_steps: ['arping -D 192.0.2.20'],
    evidence: [{ file: 'pa', frame: 3, ts: 1_700_000_000, line: '12:00:00 ARP, Reply 192.0.2.20 is-at 02:00:00:aa:00:0b' }],
    ...over,
  };
}

export const alert = (f: Finding, state: Alert['state'] = 'raised', ts = Date.now() / 1000): Alert => ({ state, ts, iface: 'pa', finding: f });

export class LiveFixture {
  readonly live: LiveView;
  private readonly det;
  private frame = 0;

  constructor(vendor: (mac: number) => string | null = () => null) {
    this.live = new LiveView(['pa'], 2, 100, vendor);
    this.det = this.live.detector(new Engine(defaultConfig(), [], ['pa']));
  }

  /** One request for `tpa` from A and a reply from each of `macs`, at ts. */
  exchange(tpa: string, macs: string[], ts: number): void {
    const base: ArpEvent = {
      input: 0, frame: 0, ts, op: 1, sha: mac('02:00:00:aa:00:0a'), spa: ip4('192.0.2.10'), tha: 0, tpa: ip4(tpa), spaId: -1, tpaId: -1, shaId: -1, ethSrc: -1, ethDst: -1,
      vlan: -1, gratuitous: false, probe: false, senderMismatch: false, broadcast: true, shaVirtual: false, ethSrcVirtual: false,
    };
    this.det.onArp!({ ...base, frame: ++this.frame });
    macs.forEach((m, i) => this.det.onArp!({ ...base, frame: ++this.frame, ts: ts + 0.001 * (i + 1), op: 2, sha: mac(m), spa: ip4(tpa), tpa: base.spa, broadcast: false }));
  }

  /** A window's binding table with these IPs claimed by these MACs. */
  window(rows: [ip: string, mac: string, requests: number][], ts = 1_700_000_000): void {
    const t = new BindingTable();
    for (const [ip, m, requests] of rows) {
      const id = t.ipv4.intern(ip4(ip));
      t.v4.claim(id, mac(m), ts);
      for (let i = 0; i < requests; i++) t.v4.request(id, ts, false);
      t.v4.reply(id, ts, 5);
      t.v4.addLatency(id, 0.002);
    }
    this.live.onWindow(t);
  }
}
