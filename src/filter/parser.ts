/**
 * Filter expression parser: a subset of pcap-filter(7), the language of
 * `tcpdump 'expr'`, turned into a small AST (compile.ts makes a predicate).
 *
 * Supported
 *   expr      := term { ('and' | '&&' | 'or' | '||') (term | id) }
 *   term      := ('not' | '!') term | '(' expr ')' | primitive | arith relop arith
 *   primitive := arp | rarp | ip | ip6 | icmp6                protocol present
 *              | [pq] [src|dst|src or dst|src and dst] [host|net] id
 *              | ether proto N|\arp|\rarp|\ip|\ip6...      ethertype (also ip/ip6 proto N, proto N)
 *              | [ether] broadcast | [ether] multicast | ip broadcast | ip multicast | ip6 multicast
 *              | vlan [N] | less N | greater N
 *   pq        := ether | arp | rarp | ip | ip6 | icmp6       (qualifier shorthand: `arp host 10.0.0.1`)
 *   id        := IPv4 (a, a.b, a.b.c, a.b.c.d) ['/' len | 'mask' a.b.c.d] | IPv6 ['/' len]
 *              | MAC (a:b:c:d:e:f, a-b-c-d-e-f, a.b.c.d.e.f, aabb.ccdd.eeff) | N | 'not' id | '(' id {and|or id} ')'
 *   arith     := N | len | proto '[' arith [':' 1|2|4] ']' | arith op arith | '-' arith | '(' arith ')'
 *                proto: ether arp rarp ip ip6 icmp6; op: * / % + - << >> & ^ | ; relop: = == != < <= > >=
 *   numbers   := decimal, 0x hex, 0-octal, and libpcap's names icmp6type, icmp6code, icmp6-echo,
 *                icmp6-routersolicit .. icmp6-redirect, ... (see NAMED_NUMBERS in lexer.ts)
 *
 * As libpcap
 *   - `and` and `or` have the SAME precedence and group left to right (`a or b and c` is
 *     `(a or b) and c`); `not` binds tighter. Qualifiers repeat: after `and`/`or` a bare address
 *     takes the qualifiers of the last primitive (`host 10.0.0.1 or 10.0.0.2`,
 *     `arp and host 10.0.0.1 or 10.0.0.2` = `(arp and host 10.0.0.1) or host 10.0.0.2`).
 *   - `host H` = IPv4 src/dst, ARP and RARP spa/tpa; `src host` = IPv4 src / ARP spa; `dst host` =
 *     IPv4 dst / ARP tpa. An IPv6 `host` is the IPv6 src/dst. `net 10.1` is 10.1.0.0/16, `host 10.1`
 *     too (libpcap masks short dotted forms), `net 10` is 10.0.0.0/8, `host 10` is 0.0.0.10.
 *   - `less N` is `len <= N`, `greater N` is `len >= N`, `len` the wire length. Arithmetic and
 *     comparisons are unsigned 32-bit; a constant divisor 0 or shift > 31 is an error;
 *     `ip broadcast` is dst 255.255.255.255 or 0.0.0.0 (libpcap's test when the netmask is unknown,
 *     as with `tcpdump -r`). `icmp6` and `ip6 proto N` also accept N after a fragment header.
 *   - `icmp6[...]` needs ICMPv6 directly after the fixed IPv6 header; `ether[...]` counts from
 *     the frame start on Ethernet links only; `arp[...]`/`rarp[...]`/`ip[...]`/`ip6[...]` from
 *     that header. Error texts reuse libpcap's where they exist.
 *
 * Deliberately different from libpcap
 *   - VLAN: protocol and address primitives, and `arp[...]` style offsets, look through 802.1Q /
 *     802.1ad tags at any depth (libpcap only looks after tags once `vlan` appears, shifting later
 *     offsets by 4 per `vlan`). `vlan` = at least one tag; `vlan N` = any tag in the stack has id
 *     N (libpcap: the outermost not yet consumed). tcpdump's `arp or (vlan and arp)` is our `arp`.
 *   - `ether proto` compares the ethertype after tags and SNAP (a TPID such as 0x8100 matches
 *     any tag with that TPID); 802.3 LLC SAP values (N <= 1500) are refused.
 *   - Primitives use the decoded network layer, so 802.3 LLC/SNAP-encapsulated ARP is `arp`.
 *   - ARP address primitives read the real spa/tpa (any hln) and need an IPv4 protocol address
 *     (pro 0x0800/0x1000, pln 4) with the whole ARP body captured; libpcap reads fixed offsets.
 *   - An out-of-range load makes its comparison false; libpcap rejects the whole packet, so
 *     `not arp[100] = 1` is true on a short ARP frame here and false in tcpdump.
 *   - `%` and `^` bind like C (`%` with `*`, `^` between `&` and `|`); libpcap gives them no
 *     precedence, so there `len % 3 + 1` is `len % (3 + 1)`.
 *   - Not supported (FilterError): host names, `gateway`, ports, tcp/udp/icmp, `protochain`,
 *     `vlan[...]`, mpls/pppoe/geneve/vxlan, 802.11, ATM, PF, inbound/outbound, etc.
 */
import { formatIPv4, formatIPv6At, formatMac } from '../print/addr.js';
import { FilterError, tokenize, type Token } from './lexer.js';

export type Dir = 'src' | 'dst' | 'either' | 'both';
export type ProtoName = 'arp' | 'rarp' | 'ip' | 'ip6' | 'icmp6';
export type LoadProto = 'ether' | ProtoName;
export type RelOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';

export type ArithNode =
  | { kind: 'num'; value: number }
  | { kind: 'len' }
  | { kind: 'load'; proto: LoadProto; index: ArithNode; size: 1 | 2 | 4 }
  | { kind: 'binary'; op: ArithOp; left: ArithNode; right: ArithNode }
  | { kind: 'neg'; operand: ArithNode };

export type FilterNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'proto'; proto: ProtoName }
  | { kind: 'ethertype'; value: number }
  | { kind: 'ipproto'; family: 'ip' | 'ip6' | 'any'; value: number }
  | { kind: 'vlan'; id: number | null }
  /** IPv4 address test; `addr` is already masked; `over` says which headers. */
  | { kind: 'host4'; over: 'ip' | 'arp' | 'rarp' | 'any'; dir: Dir; addr: number; mask: number }
  | { kind: 'host6'; dir: Dir; addr: Uint8Array; prefix: number }
  | { kind: 'ether'; dir: Dir; mac: number }
  | { kind: 'ether-broadcast' | 'ether-multicast' | 'ip-broadcast' | 'ip-multicast' | 'ip6-multicast' }
  | { kind: 'relation'; op: RelOp; left: ArithNode; right: ArithNode };

type PQual = 'default' | 'ether' | ProtoName;
type DQual = 'default' | 'src' | 'dst' | 'or' | 'and';
type AQual = 'default' | 'host' | 'net' | 'proto';
interface Qual {
  proto: PQual;
  dir: DQual;
  addr: AQual;
}

const PNAMES = new Set<string>(['ether', 'arp', 'rarp', 'ip', 'ip6', 'icmp6']);
const HEAD_WORDS = new Set<string>(['src', 'dst', 'host', 'net', 'proto', 'gateway', 'broadcast', 'multicast',
  'port', 'portrange', 'protochain']);
const KEYWORDS = new Set<string>([...PNAMES, ...HEAD_WORDS, 'and', 'or', 'not', 'vlan', 'less', 'greater', 'len', 'mask']);

/** libpcap keywords arpscope knows but does not implement. */
const UNSUPPORTED = new Set<string>([
  'gateway', 'port', 'portrange', 'protochain', 'tcp', 'udp', 'icmp', 'igmp', 'igrp', 'sctp', 'pim', 'vrrp', 'carp',
  'ah', 'esp', 'atalk', 'aarp', 'decnet', 'lat', 'sca', 'moprc', 'mopdl', 'iso', 'esis', 'isis', 'clnp', 'l1', 'l2',
  'iih', 'lsp', 'snp', 'csnp', 'psnp', 'stp', 'ipx', 'netbeui', 'radio', 'link', 'ppp', 'slip', 'fddi', 'tr', 'wlan',
  'mpls', 'pppoed', 'pppoes', 'geneve', 'vxlan', 'batadv', 'inbound', 'outbound', 'ifindex', 'llc', 'type', 'subtype',
  'dir', 'addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta', 'lane', 'metac', 'bcc', 'sc', 'ilmic', 'oamf4ec', 'oamf4sc',
  'oam', 'oamf4', 'connectmsg', 'metaconnect', 'vpi', 'vci', 'fisu', 'lssu', 'msu', 'hfisu', 'hlssu', 'hmsu', 'sio',
  'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls', 'on', 'ifname', 'rset', 'ruleset', 'rnr', 'rulenum', 'srnr',
  'srcrulenum', 'reason', 'action', 'icmptype', 'icmpcode', 'tcpflags',
]);
const UNSUPPORTED_DETAIL =
  'not supported by arpscope (link, VLAN, ARP/RARP, IPv4/IPv6 address, ICMPv6 and byte-comparison primitives only)';

const ETHER_PROTO_NAMES: ReadonlyMap<string, number> = new Map([
  ['ip', 0x0800], ['ip6', 0x86dd], ['arp', 0x0806], ['rarp', 0x8035], ['atalk', 0x809b], ['aarp', 0x80f3],
  ['ipx', 0x8137], ['loopback', 0x9000], ['mopdl', 0x6001], ['moprc', 0x6002], ['decnet', 0x6003], ['lat', 0x6004],
  ['sca', 0x6007],
]);
const IP_PROTO_NAMES: ReadonlyMap<string, number> = new Map([
  ['icmp', 1], ['igmp', 2], ['tcp', 6], ['udp', 17], ['gre', 47], ['esp', 50], ['ah', 51], ['icmp6', 58],
  ['ipv6-icmp', 58], ['ospf', 89], ['pim', 103], ['vrrp', 112], ['sctp', 132],
]);

const PREC: Readonly<Record<string, number>> = {
  '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};
const RELOPS: Readonly<Record<string, RelOp>> = {
  '=': '=', '==': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

/** Unsigned 32-bit BPF arithmetic; -1 for a division or modulus by zero (the packet is rejected). */
export function applyArith(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+': return (a + b) >>> 0;
    case '-': return (a - b) >>> 0;
    case '*': return Math.imul(a, b) >>> 0;
    case '/': return b === 0 ? -1 : Math.floor(a / b);
    case '%': return b === 0 ? -1 : a % b;
    case '&': return (a & b) >>> 0;
    case '|': return (a | b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    case '<<': return b > 31 ? 0 : (a << b) >>> 0;
    case '>>': return b > 31 ? 0 : a >>> b;
  }
}

export function applyRel(op: RelOp, a: number, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  /** Qualifiers an address after `and`/`or` inherits (libpcap's $<blk>0.q); null when none. */
  private q: Qual | null = null;

  constructor(src: string) {
    this.toks = tokenize(src);
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  private fail(kind: string, t: Token, detail: string): never {
    throw new FilterError(kind, (t.escaped ? '\\' : '') + t.text, t.pos, detail);
  }

  private isOp(t: Token, text: string): boolean {
    return t.kind === 'op' && t.text === text;
  }

  private isWord(t: Token, text?: string): boolean {
    return t.kind === 'word' && !t.escaped && (text === undefined || t.text === text);
  }

  private isAndOr(t: Token): 'and' | 'or' | null {
    if (this.isWord(t, 'and') || this.isOp(t, '&&')) return 'and';
    if (this.isWord(t, 'or') || this.isOp(t, '||')) return 'or';
    return null;
  }

  private isNot(t: Token): boolean {
    return this.isWord(t, 'not') || this.isOp(t, '!');
  }

  private expectOp(text: string, detail: string): Token {
    const t = this.peek();
    if (!this.isOp(t, text)) this.fail('syntax error', t, detail);
    return this.next();
  }

  parseProgram(): FilterNode {
    if (this.peek().kind === 'eof') return { kind: 'const', value: true };
    const e = this.parseExpr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.fail('syntax error', t, this.isOp(t, ')') ? "unbalanced ')'" : "expected 'and', 'or' or the end of the expression");
    }
    return e;
  }

  private parseExpr(): FilterNode {
    let left = this.parseTerm();
    for (let op = this.isAndOr(this.peek()); op !== null; op = this.isAndOr(this.peek())) {
      this.next();
      const q = this.q;
      let right: FilterNode;
      const idTok = this.startsId();
      if (idTok !== null) {
        if (q === null) {
          if (idTok.kind === 'word') this.unknownWord(idTok);
          this.fail('syntax error', idTok, "a bare address needs 'host', 'net', 'src', 'dst' or 'ether host' before it");
        }
        right = this.parseId(q);
        this.q = q;
      } else {
        right = this.parseTerm();
      }
      left = { kind: op, left, right };
    }
    return left;
  }

  /**
   * After `and`/`or`: does an id (libpcap's implicit-qualifier address) start
   * here, possibly behind `not`s and `(`s? Returns its first token, else null.
   */
  private startsId(): Token | null {
    let k = 0;
    while (this.isNot(this.peek(k)) || this.isOp(this.peek(k), '(')) k++;
    const t = this.peek(k);
    switch (t.kind) {
      case 'ipv4':
      case 'ipv6':
      case 'mac':
        return t;
      case 'word':
        return t.escaped || (!KEYWORDS.has(t.text) && !UNSUPPORTED.has(t.text)) ? t : null;
      case 'num': {
        const n = this.peek(k + 1);
        if (n.kind === 'op' && (PREC[n.text] !== undefined || RELOPS[n.text] !== undefined)) return null;
        return t;
      }
      default:
        return null;
    }
  }

  private unknownWord(t: Token): never {
    if (t.escaped) this.fail('syntax error', t, "an escaped name is only allowed after 'proto'");
    this.fail('syntax error', t, "unknown keyword; expected a primitive such as 'arp', 'host ADDR' or 'ether src MAC'");
  }

  private parseTerm(): FilterNode {
    if (this.isNot(this.peek())) {
      this.next();
      return { kind: 'not', operand: this.parseTerm() };
    }
    return this.parseRterm();
  }

  private parseRterm(): FilterNode {
    const t = this.peek();
    if (this.isOp(t, '(')) {
      // '(' opens either an arithmetic operand, as in `(ether[0] & 1) = 1`, or an expression.
      const save = this.i;
      const saveQ = this.q;
      try {
        const left = this.parseArith(1);
        if (this.peek().kind === 'op' && RELOPS[this.peek().text] !== undefined) return this.finishRelation(left);
      } catch (e) {
        if (!(e instanceof FilterError)) throw e;
      }
      this.i = save;
      this.q = saveQ;
      this.next();
      const e = this.parseExpr();
      this.expectOp(')', "expected ')'");
      this.q = saveQ;
      return e;
    }
    if (t.kind === 'num' || this.isOp(t, '-')) return this.parseRelation();
    if (t.kind === 'ipv4' || t.kind === 'ipv6' || t.kind === 'mac') {
      this.fail('syntax error', t, "a bare address needs 'host', 'net', 'src', 'dst' or 'ether host' before it");
    }
    if (t.kind !== 'word' || t.escaped) {
      if (t.kind === 'word') this.unknownWord(t);
      this.fail('syntax error', t, 'expected a primitive');
    }
    const w = t.text;
    if (PNAMES.has(w)) {
      const n = this.peek(1);
      if (this.isOp(n, '[')) return this.parseRelation();
      if (this.isWord(n) && HEAD_WORDS.has(n.text)) return this.parseHead();
      this.next();
      this.q = null;
      if (w === 'ether') {
        this.fail('syntax error', t, "'ether' needs 'host', 'src', 'dst', 'proto', 'broadcast', 'multicast' or '[offset]' after it");
      }
      return { kind: 'proto', proto: w as ProtoName };
    }
    if (UNSUPPORTED.has(w) && !HEAD_WORDS.has(w)) this.fail('unsupported keyword', t, UNSUPPORTED_DETAIL);
    if (HEAD_WORDS.has(w)) return this.parseHead();
    switch (w) {
      case 'vlan': {
        this.next();
        this.q = null;
        const n = this.peek();
        if (this.isOp(n, '[')) this.fail('unsupported keyword', t, "'vlan[...]' is not supported");
        if (n.kind !== 'num') return { kind: 'vlan', id: null };
        this.next();
        if (n.value > 4095) this.fail('bad number', n, `VLAN tag ${n.value} greater than maximum 4095`);
        return { kind: 'vlan', id: n.value };
      }
      case 'less':
      case 'greater': {
        this.next();
        const n = this.peek();
        if (n.kind !== 'num') this.fail('syntax error', n, `expected a length after '${w}'`);
        this.next();
        this.q = null;
        return { kind: 'relation', op: w === 'less' ? '<=' : '>=', left: { kind: 'len' }, right: { kind: 'num', value: n.value } };
      }
      case 'len':
        return this.parseRelation();
      case 'and':
      case 'or':
      case 'mask':
        this.fail('syntax error', t, 'expected a primitive');
    }
    this.unknownWord(t);
  }

  /** [pname] [dqual] [aqual | proto | broadcast | multicast] id */
  private parseHead(): FilterNode {
    let proto: PQual = 'default';
    let t = this.peek();
    if (this.isWord(t) && PNAMES.has(t.text)) {
      proto = t.text as PQual;
      this.next();
      t = this.peek();
    }
    if (this.isWord(t, 'broadcast') || this.isWord(t, 'multicast')) {
      this.next();
      this.q = null;
      return this.castNode(proto, t);
    }
    if (this.isWord(t) && UNSUPPORTED.has(t.text)) this.fail('unsupported keyword', t, UNSUPPORTED_DETAIL);
    let dir: DQual = 'default';
    let addr: AQual = 'default';
    if (this.isWord(t, 'proto')) {
      if (proto === 'arp' || proto === 'rarp' || proto === 'icmp6') this.fail('syntax error', t, `'proto' does not apply to '${proto}'`);
      this.next();
      addr = 'proto';
    } else {
      if (this.isWord(t, 'src') || this.isWord(t, 'dst')) {
        dir = t.text as DQual;
        this.next();
        const c = this.isAndOr(this.peek());
        const other = dir === 'src' ? 'dst' : 'src';
        if (c !== null && this.isWord(this.peek(1), other)) {
          dir = c;
          this.next();
          this.next();
        }
        t = this.peek();
      }
      if (this.isWord(t, 'host') || this.isWord(t, 'net')) {
        addr = t.text as AQual;
        this.next();
      } else if (this.isWord(t) && UNSUPPORTED.has(t.text)) {
        this.fail('unsupported keyword', t, UNSUPPORTED_DETAIL);
      }
    }
    const q: Qual = { proto, dir, addr };
    const node = this.parseId(q);
    this.q = q;
    return node;
  }

  private castNode(proto: PQual, t: Token): FilterNode {
    if (t.text === 'broadcast') {
      if (proto === 'default' || proto === 'ether') return { kind: 'ether-broadcast' };
      if (proto === 'ip') return { kind: 'ip-broadcast' };
      this.fail('syntax error', t, 'only link-layer/IP broadcast filters supported');
    }
    if (proto === 'default' || proto === 'ether') return { kind: 'ether-multicast' };
    if (proto === 'ip') return { kind: 'ip-multicast' };
    if (proto === 'ip6') return { kind: 'ip6-multicast' };
    this.fail('syntax error', t, 'only link-layer, IP and IPv6 multicast filters supported');
  }

  /** One address (or protocol) under qualifiers `q`, with libpcap's `not id` and `( id or id )`. */
  private parseId(q: Qual): FilterNode {
    const t = this.peek();
    if (this.isNot(t)) {
      this.next();
      return { kind: 'not', operand: this.parseId(q) };
    }
    if (this.isOp(t, '(')) {
      this.next();
      let left = this.parseId(q);
      for (let op = this.isAndOr(this.peek()); op !== null; op = this.isAndOr(this.peek())) {
        this.next();
        left = { kind: op, left, right: this.parseId(q) };
      }
      this.expectOp(')', "expected ')'");
      return left;
    }
    switch (t.kind) {
      case 'num':
        this.next();
        return this.numId(q, t);
      case 'ipv4':
        this.next();
        return this.ipv4Id(q, t);
      case 'ipv6':
        this.next();
        return this.ipv6Id(q, t);
      case 'mac':
        this.next();
        return this.macId(q, t);
      case 'word':
        if (q.addr === 'proto' && (t.escaped || !KEYWORDS.has(t.text))) {
          this.next();
          return this.protoName(q, t);
        }
        if (q.addr === 'proto') this.fail('syntax error', t, `expected a protocol number or name (write '\\${t.text}' for a keyword)`);
        if (t.escaped) this.unknownWord(t);
        if (KEYWORDS.has(t.text)) break;
        this.fail('syntax error', t, 'expected a host address (host names are not resolved)');
    }
    if (q.addr === 'proto') this.fail('syntax error', t, 'expected a protocol number or name');
    this.fail('syntax error', t, q.proto === 'ether' ? 'expected a MAC address' : 'expected a host address');
  }

  private dir(q: Qual): Dir {
    switch (q.dir) {
      case 'src': return 'src';
      case 'dst': return 'dst';
      case 'and': return 'both';
      default: return 'either';
    }
  }

  private host4(q: Qual, t: Token, addr: number, mask: number): FilterNode {
    let over: 'ip' | 'arp' | 'rarp' | 'any';
    switch (q.proto) {
      case 'default': over = 'any'; break;
      case 'ip': over = 'ip'; break;
      case 'arp': over = 'arp'; break;
      case 'rarp': over = 'rarp'; break;
      case 'ether': return this.fail('syntax error', t, "illegal link layer address (use 'ether host' with a MAC address)");
      default: this.fail('syntax error', t, `'${q.proto}' modifier applied to ip host`);
    }
    return { kind: 'host4', over, dir: this.dir(q), addr: (addr & mask) >>> 0, mask };
  }

  private numId(q: Qual, t: Token): FilterNode {
    if (q.addr === 'proto') return this.protoNumber(q, t, t.value);
    let v = t.value;
    let mask = 0xffffffff;
    if (q.addr === 'net') {
      while (v !== 0 && (v & 0xff000000) === 0) {
        v = (v << 8) >>> 0;
        mask = (mask << 8) >>> 0;
      }
    }
    return this.host4(q, t, v, mask);
  }

  private ipv4Id(q: Qual, t: Token): FilterNode {
    if (q.addr === 'proto') this.fail('syntax error', t, "'proto' modifier applied to IP address");
    const shift = 32 - t.bits;
    const v = t.value * 2 ** shift;
    let mask = prefixMask(t.bits);
    const n = this.peek();
    let cidr: string | null = null;
    if (this.isOp(n, '/')) {
      this.next();
      const len = this.peek();
      if (len.kind !== 'num') this.fail('syntax error', len, 'expected a prefix length');
      this.next();
      if (len.value > 32) this.fail('bad number', len, `mask length must be <= 32`);
      mask = prefixMask(len.value);
      cidr = `${t.text}/${len.text}`;
    } else if (this.isWord(n, 'mask')) {
      this.next();
      const m = this.peek();
      if (m.kind !== 'ipv4') this.fail('syntax error', m, "expected a dotted netmask after 'mask'");
      this.next();
      mask = (m.value * 2 ** (32 - m.bits)) >>> 0;
      cidr = `${t.text} mask ${m.text}`;
    }
    if (cidr !== null) {
      if (q.addr === 'host') this.fail('syntax error', t, 'Mask syntax for networks only');
      if (((v & ~mask) >>> 0) !== 0) this.fail('bad address', t, `non-network bits set in "${cidr}"`);
    }
    return this.host4(q, t, v, mask);
  }

  private ipv6Id(q: Qual, t: Token): FilterNode {
    if (q.addr === 'proto') this.fail('syntax error', t, "'proto' modifier applied to IP address");
    if (q.proto !== 'default' && q.proto !== 'ip6') this.fail('syntax error', t, `'${q.proto}' modifier applied to ip6 host`);
    let prefix = 128;
    if (this.isOp(this.peek(), '/')) {
      this.next();
      const len = this.peek();
      if (len.kind !== 'num') this.fail('syntax error', len, 'expected a prefix length');
      this.next();
      if (len.value > 128) this.fail('bad number', len, 'mask length must be <= 128');
      if (q.addr === 'host') this.fail('syntax error', t, 'Mask syntax for networks only');
      prefix = len.value;
      const a = t.bytes!;
      for (let bit = prefix; bit < 128; bit++) {
        if (a[bit >> 3]! & (0x80 >> (bit & 7))) this.fail('bad address', t, `non-network bits set in "${t.text}/${len.text}"`);
      }
    }
    return { kind: 'host6', dir: this.dir(q), addr: Buffer.from(t.bytes!), prefix };
  }

  private macId(q: Qual, t: Token): FilterNode {
    if (q.proto !== 'ether' || (q.addr !== 'default' && q.addr !== 'host')) {
      this.fail('syntax error', t, "ethernet address used in non-ether expression (write 'ether host MAC')");
    }
    return { kind: 'ether', dir: this.dir(q), mac: t.value };
  }

  private protoNumber(q: Qual, t: Token, value: number): FilterNode {
    if (q.proto === 'ether') {
      if (value > 0xffff) this.fail('bad number', t, `ethertype ${value} is larger than 0xffff`);
      if (value <= 1500) this.fail('unsupported keyword', t, "'ether proto' with an 802.2 LLC SAP (<= 1500) is not supported");
      return { kind: 'ethertype', value };
    }
    if (value > 255) this.fail('bad number', t, `IP protocol ${value} is larger than 255`);
    return { kind: 'ipproto', family: q.proto === 'ip' ? 'ip' : q.proto === 'ip6' ? 'ip6' : 'any', value };
  }

  private protoName(q: Qual, t: Token): FilterNode {
    const v = q.proto === 'ether' ? ETHER_PROTO_NAMES.get(t.text) : IP_PROTO_NAMES.get(t.text);
    if (v === undefined) {
      this.fail('syntax error', t, q.proto === 'ether' ? `unknown ether proto '${t.text}'` : `unknown ip proto '${t.text}'`);
    }
    return this.protoNumber(q, t, v);
  }

  // ---- arithmetic -------------------------------------------------------

  private parseRelation(): FilterNode {
    return this.finishRelation(this.parseArith(1));
  }

  private finishRelation(left: ArithNode): FilterNode {
    const t = this.peek();
    const op = t.kind === 'op' ? RELOPS[t.text] : undefined;
    if (op === undefined) this.fail('syntax error', t, 'expected a comparison operator (=, !=, <, <=, >, >=)');
    this.next();
    const right = this.parseArith(1);
    this.q = null;
    if (left.kind === 'num' && right.kind === 'num') return { kind: 'const', value: applyRel(op, left.value, right.value) };
    return { kind: 'relation', op, left, right };
  }

  private parseArith(minPrec: number): ArithNode {
    let left = this.parseUnary();
    while (true) {
      const t = this.peek();
      const prec = t.kind === 'op' ? PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.parseArith(prec + 1);
      left = this.binary(t, t.text as ArithOp, left, right);
    }
  }

  private binary(t: Token, op: ArithOp, left: ArithNode, right: ArithNode): ArithNode {
    if (right.kind === 'num') {
      if (op === '/' && right.value === 0) this.fail('syntax error', t, 'division by zero');
      if (op === '%' && right.value === 0) this.fail('syntax error', t, 'modulus by zero');
      if ((op === '<<' || op === '>>') && right.value > 31) this.fail('syntax error', t, 'shift by more than 31 bits');
      if (left.kind === 'num') return { kind: 'num', value: applyArith(op, left.value, right.value) };
    }
    return { kind: 'binary', op, left, right };
  }

  private parseUnary(): ArithNode {
    const t = this.peek();
    if (this.isOp(t, '-')) {
      this.next();
      const operand = this.parseUnary();
      if (operand.kind === 'num') return { kind: 'num', value: (-operand.value) >>> 0 };
      return { kind: 'neg', operand };
    }
    if (this.isOp(t, '(')) {
      this.next();
      const e = this.parseArith(1);
      this.expectOp(')', "expected ')'");
      return e;
    }
    if (t.kind === 'num') {
      this.next();
      return { kind: 'num', value: t.value };
    }
    if (this.isWord(t, 'len')) {
      this.next();
      return { kind: 'len' };
    }
    if (this.isWord(t) && PNAMES.has(t.text) && this.isOp(this.peek(1), '[')) {
      this.next();
      this.next();
      const index = this.parseArith(1);
      let size: 1 | 2 | 4 = 1;
      if (this.isOp(this.peek(), ':')) {
        this.next();
        const s = this.peek();
        if (s.kind !== 'num') this.fail('syntax error', s, 'expected a size (1, 2 or 4)');
        if (s.value !== 1 && s.value !== 2 && s.value !== 4) this.fail('syntax error', s, 'data size must be 1, 2, or 4');
        this.next();
        size = s.value;
      }
      this.expectOp(']', "expected ']'");
      return { kind: 'load', proto: t.text as LoadProto, index, size };
    }
    if (this.isWord(t) && (UNSUPPORTED.has(t.text) || t.text === 'vlan') && this.isOp(this.peek(1), '[')) {
      this.fail('unsupported keyword', t, `'${t.text}[...]' is not supported`);
    }
    this.fail('syntax error', t, "expected a number, 'len' or proto[offset]");
  }
}

/** Parses a filter expression (an empty one matches everything); throws FilterError. */
export function parseFilter(expr: string): FilterNode {
  return new Parser(expr).parseProgram();
}

// ---- canonical text (tests, --explain) -------------------------------------

const DIR_TEXT: Readonly<Record<Dir, string>> = { src: 'src ', dst: 'dst ', either: '', both: 'src and dst ' };

function formatArith(a: ArithNode): string {
  switch (a.kind) {
    case 'num': return String(a.value);
    case 'len': return 'len';
    case 'load': return `${a.proto}[${formatArith(a.index)}${a.size === 1 ? '' : ':' + a.size}]`;
    case 'binary': return `(${formatArith(a.left)} ${a.op} ${formatArith(a.right)})`;
    case 'neg': return `-${formatArith(a.operand)}`;
  }
}

function prefixLen(mask: number): number {
  let n = 0;
  while (n < 32 && (mask & (0x80000000 >>> n)) !== 0) n++;
  return prefixMask(n) === mask ? n : -1;
}

/** The AST as a fully parenthesised filter expression with the qualifiers spelled out. */
export function formatFilter(n: FilterNode): string {
  switch (n.kind) {
    case 'const': return n.value ? 'true' : 'false';
    case 'and':
    case 'or': return `(${formatFilter(n.left)} ${n.kind} ${formatFilter(n.right)})`;
    case 'not': return `not ${formatFilter(n.operand)}`;
    case 'proto': return n.proto;
    case 'ethertype': return `ether proto 0x${n.value.toString(16).padStart(4, '0')}`;
    case 'ipproto': return `${n.family === 'any' ? '' : n.family + ' '}proto ${n.value}`;
    case 'vlan': return n.id === null ? 'vlan' : `vlan ${n.id}`;
    case 'host4': {
      const over = n.over === 'any' ? '' : n.over + ' ';
      if (n.mask === 0xffffffff) return `${over}${DIR_TEXT[n.dir]}host ${formatIPv4(n.addr)}`;
      const len = prefixLen(n.mask);
      const net = len >= 0 ? `${formatIPv4(n.addr)}/${len}` : `${formatIPv4(n.addr)} mask ${formatIPv4(n.mask)}`;
      return `${over}${DIR_TEXT[n.dir]}net ${net}`;
    }
    case 'host6': {
      const a = formatIPv6At(n.addr, 0);
      return n.prefix === 128 ? `${DIR_TEXT[n.dir]}host ${a}` : `${DIR_TEXT[n.dir]}net ${a}/${n.prefix}`;
    }
    case 'ether': return `ether ${DIR_TEXT[n.dir]}host ${formatMac(n.mac)}`;
    case 'ether-broadcast': return 'ether broadcast';
    case 'ether-multicast': return 'ether multicast';
    case 'ip-broadcast': return 'ip broadcast';
    case 'ip-multicast': return 'ip multicast';
    case 'ip6-multicast': return 'ip6 multicast';
    case 'relation': return `${formatArith(n.left)} ${n.op} ${formatArith(n.right)}`;
  }
}
