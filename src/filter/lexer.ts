/**
 * Tokenizer for the filter expression (a pcap-filter(7) subset; see
 * parser.ts for the grammar). Addresses are recognised and validated here,
 * the way libpcap's scanner does it: an IPv4 dotted form (1 to 4 parts), an
 * IPv6 text form (RFC 4291: `::`, embedded IPv4), a MAC (`a:b:c:d:e:f`,
 * `a-b-c-d-e-f`, `a.b.c.d.e.f`, `aabb.ccdd.eeff`), a number (decimal, 0x hex,
 * 0-prefixed octal; the libpcap names such as `icmp6-echo` are numbers too),
 * a word, or an operator.
 */

/** A problem in the filter expression; `position` is a 0-based offset in the expression. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  readonly position: number;
  readonly token: string;

  /**
   * @param kind first words of the message, e.g. `syntax error`
   * @param detail what was expected or why it is refused
   */
  constructor(kind: string, token: string, position: number, detail: string) {
    const where = token === '' ? 'at end of expression' : `at '${token}' (column ${position + 1})`;
    super(`filter: ${kind} ${where}: ${detail}`);
    this.position = position;
    this.token = token;
  }
}

export type TokenKind =
  /** keyword or other bare word; `escaped` when written with a leading backslash */
  | 'word'
  | 'num'
  /** dotted IPv4 with 1..4 parts: `value` holds the parts packed right-aligned, `bits` = 8 * parts */
  | 'ipv4'
  | 'ipv6'
  | 'mac'
  | 'op'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (without the backslash of an escaped word). */
  text: string;
  pos: number;
  /** num: the value; ipv4: packed parts; mac: the 48-bit address. */
  value: number;
  /** ipv4: 8 * number of parts. */
  bits: number;
  /** ipv6: the 16 address bytes. */
  bytes: Uint8Array | null;
  escaped: boolean;
}

/**
 * Named constants libpcap's scanner turns into numbers (values checked
 * against libpcap 1.10.3 with `tcpdump -d`).
 */
export const NAMED_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['icmp6type', 0],
  ['icmp6code', 1],
  ['icmp6-destinationunreach', 1],
  ['icmp6-packettoobig', 2],
  ['icmp6-timeexceeded', 3],
  ['icmp6-parameterproblem', 4],
  ['icmp6-echo', 128],
  ['icmp6-echoreply', 129],
  ['icmp6-multicastlistenerquery', 130],
  ['icmp6-multicastlistenerreportv1', 131],
  ['icmp6-multicastlistenerdone', 132],
  ['icmp6-routersolicit', 133],
  ['icmp6-routeradvert', 134],
  ['icmp6-neighborsolicit', 135],
  ['icmp6-neighboradvert', 136],
  ['icmp6-redirect', 137],
  ['icmp6-routerrenum', 138],
  ['icmp6-nodeinformationquery', 139],
  ['icmp6-nodeinformationresponse', 140],
  ['icmp6-ineighbordiscoverysolicit', 141],
  ['icmp6-ineighbordiscoveryadvert', 142],
  ['icmp6-multicastlistenerreportv2', 143],
  ['icmp6-homeagentdiscoveryrequest', 144],
  ['icmp6-homeagentdiscoveryreply', 145],
  ['icmp6-mobileprefixsolicit', 146],
  ['icmp6-mobileprefixadvert', 147],
  ['icmp6-certpathsolicit', 148],
  ['icmp6-certpathadvert', 149],
  ['icmp6-multicastrouteradvert', 151],
  ['icmp6-multicastroutersolicit', 152],
  ['icmp6-multicastrouterterm', 153],
]);

const OPS2 = ['&&', '||', '==', '!=', '<=', '>=', '<<', '>>'];
const OPS1 = '()[]:+-*/%&|^=<>!';

const RE_ADDR_RUN = /[0-9A-Fa-f:.]*/y;
const RE_MAC_COLON = /^[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2}){5}$/;
const RE_MAC_DASH = /[0-9A-Fa-f]{1,2}(?:-[0-9A-Fa-f]{1,2}){5}(?![0-9A-Za-z_.:-])/y;
const RE_MAC_DOT6 = /[0-9A-Fa-f]{1,2}(?:\.[0-9A-Fa-f]{1,2}){5}(?![0-9A-Za-z_.:-])/y;
const RE_MAC_DOT3 = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z_.:-])/y;
const RE_NUMBERISH = /[0-9][0-9A-Za-z_]*(?:\.[0-9A-Za-z_]+)*/y;
const RE_WORD = /\\?[A-Za-z_][A-Za-z0-9_.-]*/y;
const RE_ESCAPED = /\\[^\s!()[\]]+/y;
const RE_TRAILER = /[0-9A-Za-z_]/;

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

function sticky(re: RegExp, s: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(s);
  return m === null ? null : m[0];
}

function token(kind: TokenKind, text: string, pos: number, value = 0, bits = 0, bytes: Uint8Array | null = null): Token {
  return { kind, text, pos, value, bits, bytes, escaped: false };
}

/** Parses a MAC written with single-character separators between 6 byte groups, or as 3 dotted 16-bit words. */
function macValue(text: string): number {
  const groups = text.split(/[:.-]/);
  let v = 0;
  if (groups.length === 3) {
    for (const g of groups) v = v * 0x10000 + parseInt(g, 16);
  } else {
    for (const g of groups) v = v * 0x100 + parseInt(g, 16);
  }
  return v;
}

/**
 * Parses an unsigned 32-bit number as libpcap does: 0x hex, leading-0 octal,
 * else decimal. Returns an error detail string when it is not one.
 */
export function parseNumber(text: string): number | string {
  let v: number;
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-9]+$/.test(text)) {
    if (/[89]/.test(text)) return `number ${text} contains non-octal digit`;
    v = parseInt(text, 8);
  } else if (/^[0-9]+$/.test(text)) v = parseInt(text, 10);
  else return 'expected a number or an address';
  if (!(v <= 0xffffffff)) return `number ${text} overflows 32 bits`;
  return v;
}

/** Parses RFC 4291 IPv6 text (no zone id); null when it is not one. */
export function parseIPv6(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) return null;
  const headText = dbl >= 0 ? text.slice(0, dbl) : text;
  const tailText = dbl >= 0 ? text.slice(dbl + 2) : '';
  const head = headText === '' ? [] : headText.split(':');
  const tail = tailText === '' ? [] : tailText.split(':');
  const words: number[] = [];
  const tailWords: number[] = [];
  const parseGroups = (groups: string[], into: number[], isLast: boolean): boolean => {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (isLast && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseDottedQuad(g);
        if (v4 < 0) return false;
        into.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
        into.push(parseInt(g, 16));
      }
    }
    return true;
  };
  if (dbl >= 0) {
    if (!parseGroups(head, words, false) || !parseGroups(tail, tailWords, true)) return null;
    if (words.length + tailWords.length > 7) return null;
    while (words.length + tailWords.length < 8) words.push(0);
    words.push(...tailWords);
  } else {
    if (!parseGroups(head, words, true) || words.length !== 8) return null;
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  return out;
}

/** A full a.b.c.d (decimal parts 0..255) as uint32, or -1. */
function parseDottedQuad(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) return -1;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return -1;
    const n = Number(p);
    if (n > 255) return -1;
    v = v * 256 + n;
  }
  return v;
}

/** Splits `src` into tokens, ending with one `eof` token; throws FilterError. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  const n = src.length;
  while (true) {
    while (pos < n && /\s/.test(src[pos]!)) pos++;
    if (pos >= n) break;
    const c = src[pos]!;
    const start = pos;

    // IPv6 and colon-separated MACs: a run of hex digits, colons and dots holding two or more colons.
    if (isHex(c) || c === ':') {
      const run = sticky(RE_ADDR_RUN, src, pos)!;
      const colons = run.split(':').length - 1;
      if (colons >= 2) {
        const after = src[pos + run.length];
        if (after !== undefined && RE_TRAILER.test(after)) {
          throw new FilterError('bad address', src.slice(start, start + run.length + 1), start, 'not an IPv6 or MAC address');
        }
        if (RE_MAC_COLON.test(run)) {
          out.push(token('mac', run, start, macValue(run)));
        } else {
          const bytes = parseIPv6(run);
          if (bytes === null) throw new FilterError('bad address', run, start, 'not a valid IPv6 address');
          out.push(token('ipv6', run, start, 0, 128, bytes));
        }
        pos += run.length;
        continue;
      }
      const mac = sticky(RE_MAC_DASH, src, pos) ?? sticky(RE_MAC_DOT6, src, pos) ?? sticky(RE_MAC_DOT3, src, pos);
      if (mac !== null) {
        out.push(token('mac', mac, start, macValue(mac)));
        pos += mac.length;
        continue;
      }
    }

    if (c >= '0' && c <= '9') {
      const text = sticky(RE_NUMBERISH, src, pos)!;
      pos += text.length;
      if (text.includes('.')) {
        const parts = text.split('.');
        let v = 0;
        for (const p of parts) {
          const num = /^[0-9]{1,3}$/.test(p) ? Number(p) : 256;
          if (parts.length > 4 || num > 255) {
            throw new FilterError('bad address', text, start, `invalid IPv4 address '${text}'`);
          }
          v = v * 256 + num;
        }
        out.push(token('ipv4', text, start, v, 8 * parts.length));
      } else {
        const v = parseNumber(text);
        if (typeof v === 'string') throw new FilterError('bad number', text, start, v);
        out.push(token('num', text, start, v));
      }
      continue;
    }

    if (c === '\\') {
      const text = sticky(RE_ESCAPED, src, pos);
      if (text === null) throw new FilterError('syntax error', '\\', start, 'expected a name after the backslash');
      const t = token('word', text.slice(1), start);
      t.escaped = true;
      out.push(t);
      pos += text.length;
      continue;
    }

    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_') {
      const text = sticky(RE_WORD, src, pos)!;
      pos += text.length;
      const named = NAMED_NUMBERS.get(text);
      if (named !== undefined) out.push(token('num', text, start, named));
      else out.push(token('word', text, start));
      continue;
    }

    const two = src.slice(pos, pos + 2);
    if (OPS2.includes(two)) {
      out.push(token('op', two, start));
      pos += 2;
      continue;
    }
    if (OPS1.includes(c)) {
      out.push(token('op', c, start));
      pos += 1;
      continue;
    }
    throw new FilterError('syntax error', c, start, 'unexpected character');
  }
  out.push(token('eof', '', n));
  return out;
}
