import { describe, expect, it } from 'vitest';
import { parseIPv6 } from '../filter/lexer.js';
import { BindingList, BindingTable } from './bindings.js';

const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const v6 = (s: string): Uint8Array => parseIPv6(s)!;

/** A table filled through the same calls the engine makes: ids in order of first sight, not of address. */
function table(): BindingTable {
  const t = new BindingTable();
  const claim4 = (a: string, mac: number, ts: number): void => t.v4.claim(t.ipv4.intern(ip(a)), mac, ts);
  claim4('10.0.0.20', 0x020000000020, 1);
  claim4('10.0.0.3', 0x020000000003, 2);
  claim4('10.0.0.100', 0x020000000100, 3);
  for (let i = 0; i < 3; i++) t.v4.request(t.ipv4.intern(ip('10.0.0.100')), 4 + i / 10);
  t.v4.reply(t.ipv4.intern(ip('10.0.0.100')), 4.2015, 5);
  const b = v6('fe80::2');
  t.v6.claim(t.ipv6.internAt(b, 0), 0x020000000002, 5);
  const a = v6('2001:db8::1');
  t.v6.request(t.ipv6.internAt(a, 0), 6);
  return t;
}

describe('BindingList', () => {
  it('lists IPv4 by address, then IPv6 by text, each row made from the columns', () => {
    const list = BindingList.fromTable(table(), () => null);
    expect(list.length).toBe(5);
    expect([...list].map((r) => r.ip)).toEqual(['10.0.0.3', '10.0.0.20', '10.0.0.100', '2001:db8::1', 'fe80::2']);
    const busy = list.at(2);
    expect(busy).toMatchObject({ ip: '10.0.0.100', family: 4, requests: 3, replies: 1, latency_ms: { p50: 1.5, p99: 1.5, max: 1.5, samples: 1 } });
    expect(busy.macs).toEqual([{ mac: '02:00:00:00:01:00', vendor: null, first_ts: 3, last_ts: 3, frames: 1 }]);
    expect(JSON.parse(JSON.stringify({ b: list })).b).toEqual([...list]);
  });

  it('ranks the busiest rows, preferred addresses first, ties in report order', () => {
    const list = BindingList.fromTable(table(), () => null);
    expect(list.busiest(2).map((r) => r.ip)).toEqual(['10.0.0.100', '2001:db8::1']);
    expect(list.busiest(3, new Set(['fe80::2'])).map((r) => r.ip)).toEqual(['fe80::2', '10.0.0.100', '2001:db8::1']);
    expect(list.busiest(10)).toHaveLength(5);
    expect(list.busiest(0)).toEqual([]);
  });

  it('wraps rows made elsewhere the same way', () => {
    const rows = [...BindingList.fromTable(table(), (m) => (m === 0x020000000003 ? 'Example' : null))];
    const list = BindingList.of(rows);
    expect(list.length).toBe(rows.length);
    expect(list.at(0).macs[0]!.vendor).toBe('Example');
    expect(list.busiest(1)[0]!.ip).toBe('10.0.0.100');
  });
});
