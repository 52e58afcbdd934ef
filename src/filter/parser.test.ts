import { describe, expect, it } from 'vitest';
import { FilterError, tokenize, parseIPv6 } from './lexer.js';
import { formatFilter, parseFilter } from './parser.js';

const fmt = (e: string): string => formatFilter(parseFilter(e));

function errorOf(e: string): FilterError {
  try {
    parseFilter(e);
  } catch (x) {
    if (x instanceof FilterError) return x;
    throw x;
  }
  throw new Error(`no error for ${e}`);
}

describe('lexer', () => {
  it('tells addresses, numbers, words and operators apart', () => {
    const kinds = (s: string): string => tokenize(s).map((t) => `${t.kind}:${t.text}`).join(' ');
    expect(kinds('arp[6:2] = 2')).toBe('word:arp op:[ num:6 op:: num:2 op:] op:= num:2 eof:');
    expect(kinds('host fe80::1 or 10.1')).toBe('word:host ipv6:fe80::1 word:or ipv4:10.1 eof:');
    expect(kinds('ether src 00:11:22:33:44:55')).toBe('word:ether word:src mac:00:11:22:33:44:55 eof:');
    expect(kinds('ether host 0011.2233.4455 || aa-bb-cc-dd-ee-ff')).toBe(
      'word:ether word:host mac:0011.2233.4455 op:|| mac:aa-bb-cc-dd-ee-ff eof:');
    expect(kinds('net fe80::/10 && !(len>=0x10)')).toBe(
      'word:net ipv6:fe80:: op:/ num:10 op:&& op:! op:( word:len op:>= num:0x10 op:) eof:');
    expect(kinds('ether proto \\arp')).toBe('word:ether word:proto word:arp eof:');
    expect(tokenize('\\arp')[0]!.escaped).toBe(true);
    expect(kinds('icmp6[icmp6type]==icmp6-neighborsolicit')).toBe(
      'word:icmp6 op:[ num:icmp6type op:] op:== num:icmp6-neighborsolicit eof:');
    expect(tokenize('icmp6-neighborsolicit')[0]!.value).toBe(135);
    expect(tokenize('ether[0] & 1 << 2 >> 1 ^ 3 % 2 | 4')).toHaveLength(17);
  });

  it('parses numbers as libpcap does', () => {
    expect(tokenize('0x1F')[0]!.value).toBe(31);
    expect(tokenize('010')[0]!.value).toBe(8);
    expect(tokenize('4294967295')[0]!.value).toBe(0xffffffff);
    expect(() => tokenize('4294967296')).toThrow('overflows 32 bits');
    expect(() => tokenize('09')).toThrow('non-octal digit');
    expect(() => tokenize('12abc')).toThrow(FilterError);
  });

  it('parses IPv6 text forms (RFC 4291)', () => {
    const hex = (s: string): string | null => {
      const b = parseIPv6(s);
      return b === null ? null : Buffer.from(b).toString('hex');
    };
    expect(hex('::')).toBe('0'.repeat(32));
    expect(hex('::1')).toBe('0'.repeat(31) + '1');
    expect(hex('fe80::')).toBe('fe80' + '0'.repeat(28));
    expect(hex('2001:db8:0:0:1:0:0:1')).toBe('20010db8000000000001000000000001');
    expect(hex('2001:DB8::1:0:0:1')).toBe('20010db8000000000001000000000001');
    expect(hex('::ffff:192.0.2.128')).toBe('00000000000000000000ffffc0000280');
    expect(hex('1:2:3:4:5:6:1.2.3.4')).toBe('00010002000300040005000601020304');
    expect(hex('1:2:3:4:5:6:7::')).toBe('00010002000300040005000600070000');
    expect(hex('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
    for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '1:2:3:4:5:6:7:8::', '12345::', '::1.2.3', '::1.2.3.4:5', 'g::', '1:2:3:4:5:6:7:8:9']) {
      expect(hex(bad), bad).toBeNull();
    }
    expect(() => tokenize('host 1::2::3')).toThrow("filter: bad address at '1::2::3' (column 6): not a valid IPv6 address");
    expect(() => tokenize('host 256.1.1.1')).toThrow("invalid IPv4 address '256.1.1.1'");
  });
});

describe('parser', () => {
  it('reads the primitives', () => {
    expect(fmt('')).toBe('true');
    expect(fmt('arp')).toBe('arp');
    expect(fmt('rarp or ip or ip6 or icmp6')).toBe('(((rarp or ip) or ip6) or icmp6)');
    expect(fmt('ether proto \\arp')).toBe('ether proto 0x0806');
    expect(fmt('ether proto 0x86dd')).toBe('ether proto 0x86dd');
    expect(fmt('ether proto \\rarp or \\ip6')).toBe('(ether proto 0x8035 or ether proto 0x86dd)');
    expect(fmt('ip proto 1')).toBe('ip proto 1');
    expect(fmt('ip6 proto \\icmp6')).toBe('ip6 proto 58');
    expect(fmt('proto \\tcp')).toBe('proto 6');
    expect(fmt('vlan')).toBe('vlan');
    expect(fmt('vlan 2001')).toBe('vlan 2001');
    expect(fmt('host 10.0.0.1')).toBe('host 10.0.0.1');
    expect(fmt('src host 10.0.0.1')).toBe('src host 10.0.0.1');
    expect(fmt('dst 10.0.0.1')).toBe('dst host 10.0.0.1');
    expect(fmt('src or dst 10.0.0.1')).toBe('host 10.0.0.1');
    expect(fmt('src and dst 10.0.0.1')).toBe('src and dst host 10.0.0.1');
    expect(fmt('arp host 10.0.0.1')).toBe('arp host 10.0.0.1');
    expect(fmt('arp src 10.0.0.1')).toBe('arp src host 10.0.0.1');
    expect(fmt('rarp dst host 10.0.0.1')).toBe('rarp dst host 10.0.0.1');
    expect(fmt('ip net 10.0.0.0/8')).toBe('ip net 10.0.0.0/8');
    expect(fmt('net 10.1')).toBe('net 10.1.0.0/16');
    expect(fmt('host 10.1')).toBe('net 10.1.0.0/16');
    expect(fmt('net 10')).toBe('net 10.0.0.0/8');
    expect(fmt('host 10')).toBe('host 0.0.0.10');
    expect(fmt('src 0')).toBe('src host 0.0.0.0');
    expect(fmt('net 192.168.0.0 mask 255.255.0.0')).toBe('net 192.168.0.0/16');
    expect(fmt('net 10.0.0.0 mask 255.0.255.0')).toBe('net 10.0.0.0 mask 255.0.255.0');
    expect(fmt('ip6 host fe80::1')).toBe('host fe80::1');
    expect(fmt('not src ::')).toBe('not src host ::');
    expect(fmt('net 2001:db8::/32')).toBe('net 2001:db8::/32');
    expect(fmt('dst net fe80::/10')).toBe('dst net fe80::/10');
    expect(fmt('ether host 00:11:22:33:44:55')).toBe('ether host 00:11:22:33:44:55');
    expect(fmt('ether src 0:1:2:3:4:5')).toBe('ether src host 00:01:02:03:04:05');
    expect(fmt('ether dst 0011.2233.4455')).toBe('ether dst host 00:11:22:33:44:55');
    expect(fmt('ether broadcast or broadcast')).toBe('(ether broadcast or ether broadcast)');
    expect(fmt('ether multicast or multicast')).toBe('(ether multicast or ether multicast)');
    expect(fmt('ip broadcast or ip multicast or ip6 multicast')).toBe('((ip broadcast or ip multicast) or ip6 multicast)');
    expect(fmt('less 100 and greater 60')).toBe('(len <= 100 and len >= 60)');
    expect(fmt('len <= 64')).toBe('len <= 64');
  });

  it('gives and/or equal precedence, left to right, with not binding tighter (as libpcap)', () => {
    expect(fmt('arp or rarp and vlan')).toBe('((arp or rarp) and vlan)');
    expect(fmt('arp and rarp or vlan')).toBe('((arp and rarp) or vlan)');
    expect(fmt('not arp and not vlan')).toBe('(not arp and not vlan)');
    expect(fmt('! arp || ! ! vlan && ip6')).toBe('((not arp or not not vlan) and ip6)');
    expect(fmt('arp or (rarp and vlan)')).toBe('(arp or (rarp and vlan))');
    expect(fmt('(arp or rarp) and not ether broadcast')).toBe('((arp or rarp) and not ether broadcast)');
  });

  it('repeats the last qualifiers for a bare address after and/or (as libpcap)', () => {
    expect(fmt('host 10.0.0.1 or 10.0.0.2')).toBe('(host 10.0.0.1 or host 10.0.0.2)');
    expect(fmt('arp and host 10.0.0.1 or 10.0.0.2')).toBe('((arp and host 10.0.0.1) or host 10.0.0.2)');
    expect(fmt('arp src 10.0.0.1 or 10.0.0.2')).toBe('(arp src host 10.0.0.1 or arp src host 10.0.0.2)');
    expect(fmt('host 1.1.1.1 or not 2.2.2.2')).toBe('(host 1.1.1.1 or not host 2.2.2.2)');
    expect(fmt('host (1.1.1.1 or 2.2.2.2)')).toBe('(host 1.1.1.1 or host 2.2.2.2)');
    expect(fmt('arp and host 1.1.1.1 and (2.2.2.2 or 3.3.3.3)')).toBe(
      '((arp and host 1.1.1.1) and (host 2.2.2.2 or host 3.3.3.3))');
    expect(fmt('host 10.0.0.1 and (arp) or 10.0.0.2')).toBe('((host 10.0.0.1 and arp) or host 10.0.0.2)');
    expect(fmt('ether src 00:00:00:00:00:01 or 00:00:00:00:00:02')).toBe(
      '(ether src host 00:00:00:00:00:01 or ether src host 00:00:00:00:00:02)');
    expect(fmt('ether proto \\arp or \\rarp')).toBe('(ether proto 0x0806 or ether proto 0x8035)');
    expect(fmt('host fe80::1 or fe80::2')).toBe('(host fe80::1 or host fe80::2)');
    expect(fmt('arp and src 0 or 10.0.0.9')).toBe('((arp and src host 0.0.0.0) or src host 10.0.0.9)');
  });

  it('reads byte comparisons', () => {
    expect(fmt("arp[6:2] = 2")).toBe('arp[6:2] = 2');
    expect(fmt("arp[6:2] == 1")).toBe('arp[6:2] = 1');
    expect(fmt('ip6[40] >= 133 and ip6[40] <= 137')).toBe('(ip6[40] >= 133 and ip6[40] <= 137)');
    expect(fmt('icmp6[icmp6type] = icmp6-neighborsolicit')).toBe('icmp6[0] = 135');
    expect(fmt('icmp6[icmp6code] != 0')).toBe('icmp6[1] != 0');
    expect(fmt('ether[0] & 1 != 0')).toBe('(ether[0] & 1) != 0');
    expect(fmt('(ether[0] & 1) = 1')).toBe('(ether[0] & 1) = 1');
    expect(fmt('((ether[0] & 1) = 1)')).toBe('(ether[0] & 1) = 1');
    expect(fmt('ether[12:2] = 0x0806 or (arp)')).toBe('(ether[12:2] = 2054 or arp)');
    expect(fmt('ether[len - 4:4] = 0')).toBe('ether[(len - 4):4] = 0');
    expect(fmt('ip[0] & 0xf0 >> 4 = 4')).toBe('(ip[0] & 15) = 4');
    expect(fmt('ip[0] & ip[1] >> 4 = 4')).toBe('(ip[0] & (ip[1] >> 4)) = 4');
    expect(fmt('len - 14 * 2 + 1 > 0')).toBe('((len - 28) + 1) > 0');
    expect(fmt('len | len ^ len & 3 = 0')).toBe('(len | (len ^ (len & 3))) = 0');
    expect(fmt('len * len % len - len << len = 0')).toBe('((((len * len) % len) - len) << len) = 0');
    expect(fmt('len % 3 + 1 = 2')).toBe('((len % 3) + 1) = 2');
    expect(fmt('-len = 0xffffffc4')).toBe('-len = 4294967236');
    expect(fmt('-1 = 0xffffffff')).toBe('true');
    expect(fmt('10 > 5 and 2 - 3 = 4294967295 and 7 / 2 = 3 and 1 << 31 = 0x80000000')).toBe(
      '(((true and true) and true) and true)');
    expect(fmt('5 < len')).toBe('5 < len');
  });

  it('reports errors with position and token', () => {
    const e = errorOf('arp and fooo');
    expect(e.position).toBe(8);
    expect(e.token).toBe('fooo');
    expect(e.message).toMatch(/^filter: syntax error at 'fooo' \(column 9\): unknown keyword/);
    expect(errorOf('host fooo').message).toBe(
      "filter: syntax error at 'fooo' (column 6): expected a host address (host names are not resolved)");
    expect(errorOf('arp and').message).toBe('filter: syntax error at end of expression: expected a primitive');
    expect(errorOf('arp and').position).toBe(7);
    expect(errorOf('gateway 10.0.0.1').message).toMatch(/^filter: unsupported keyword at 'gateway' \(column 1\)/);
    expect(errorOf('tcp port 80').token).toBe('tcp');
    expect(errorOf('arp host gateway').token).toBe('gateway');
    expect(errorOf('arp or 10.0.0.1').message).toMatch(/'10.0.0.1' \(column 8\): a bare address needs 'host'/);
    expect(errorOf('10.0.0.1').position).toBe(0);
    expect(errorOf('(arp').message).toBe("filter: syntax error at end of expression: expected ')'");
    expect(errorOf('arp)').message).toMatch(/unbalanced '\)'/);
    expect(errorOf('arp rarp').message).toMatch(/at 'rarp' \(column 5\): expected 'and', 'or'/);
    expect(errorOf('ether[0:3] = 1').message).toMatch(/data size must be 1, 2, or 4/);
    expect(errorOf('len / 0 = 1').message).toMatch(/division by zero/);
    expect(errorOf('len % 0 = 1').message).toMatch(/modulus by zero/);
    expect(errorOf('len << 40 = 1').message).toMatch(/shift by more than 31 bits/);
    expect(errorOf('ether[0]').message).toMatch(/expected a comparison operator/);
    expect(errorOf('net 10.0.0.1/8').message).toMatch(/non-network bits set in "10.0.0.1\/8"/);
    expect(errorOf('net 10.0.0.1 mask 255.0.0.0').message).toMatch(/non-network bits set/);
    expect(errorOf('net fe80::1/10').message).toMatch(/non-network bits set in "fe80::1\/10"/);
    expect(errorOf('host 10.0.0.0/8').message).toMatch(/Mask syntax for networks only/);
    expect(errorOf('host fe80::/10').message).toMatch(/Mask syntax for networks only/);
    expect(errorOf('net 10.0.0.0/33').message).toMatch(/mask length must be <= 32/);
    expect(errorOf('ip6 host 1.2.3.4').message).toMatch(/'ip6' modifier applied to ip host/);
    expect(errorOf('arp host fe80::1').message).toMatch(/'arp' modifier applied to ip6 host/);
    expect(errorOf('icmp6 host fe80::1').message).toMatch(/'icmp6' modifier applied to ip6 host/);
    expect(errorOf('host 00:11:22:33:44:55').message).toMatch(/ethernet address used in non-ether expression/);
    expect(errorOf('ether src 1.2.3.4').message).toMatch(/illegal link layer address/);
    expect(errorOf('ether').message).toMatch(/'ether' needs/);
    expect(errorOf('vlan 4096').message).toMatch(/VLAN tag 4096 greater than maximum 4095/);
    expect(errorOf('vlan 100 or 200').message).toMatch(/at '200' \(column 13\): a bare address needs/);
    expect(errorOf('arp broadcast').message).toMatch(/only link-layer\/IP broadcast filters supported/);
    expect(errorOf('arp multicast').message).toMatch(/multicast filters supported/);
    expect(errorOf('ether proto 100').token).toBe('100');
    expect(errorOf('ether proto arp').message).toMatch(/write '\\arp' for a keyword/);
    expect(errorOf('ether proto \\nosuch').message).toMatch(/unknown ether proto 'nosuch'/);
    expect(errorOf('ether proto \\nosuch').token).toBe('\\nosuch');
    expect(errorOf('arp proto 1').message).toMatch(/'proto' does not apply to 'arp'/);
    expect(errorOf('vlan[0] = 1').token).toBe('vlan');
    expect(errorOf('arp and @').message).toBe("filter: syntax error at '@' (column 9): unexpected character");
    expect(errorOf('less').message).toMatch(/expected a length after 'less'/);
    expect(errorOf('src').message).toBe('filter: syntax error at end of expression: expected a host address');
    expect(errorOf('ARP').message).toMatch(/at 'ARP'.*unknown keyword/);
    expect(errorOf('host 10.0.0.1 and \\foo').message).toMatch(/escaped name/);
    expect(errorOf('arp and fooo')).toBeInstanceOf(Error);
    expect(errorOf('arp and fooo').name).toBe('FilterError');
  });
});
