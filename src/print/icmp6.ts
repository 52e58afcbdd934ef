/**
 * ICMPv6 as tcpdump 4.99.3 prints it (print-icmp6.c), at -n and -v/-vv/-vvv:
 * every Neighbor Discovery message and option tcpdump decodes, MLDv1/v2,
 * errors, echo, router renumbering, node information and RPL.
 *
 * Reads go through the Printer's bounds-checked accessors, which throw the
 * TRUNCATED sentinel like tcpdump's GET_ macros longjmp; the few places
 * where tcpdump instead prints ` [|icmp6]` and carries on printing are
 * handled inline. Packet bytes are attacker-controlled: every loop advances
 * by at least one byte and is bounded by the message length or by the
 * captured bytes.
 */
import { formatIPv4At, formatIPv6At, HEX2, ipv6TextAt } from './addr.js';
import { TRUNCATED, type Printer } from './context.js';
import { hex4, tok2str, type NameTable } from './names.js';
import { hexPrint } from './hexdump.js';
import { checksumShouldBe, ipv6PseudoChecksum } from '../decode/icmp6.js';

export const icmp6TypeNames: NameTable = new Map<number, string>([
  [1, 'destination unreachable'],
  [2, 'packet too big'],
  [3, 'time exceeded in-transit'],
  [4, 'parameter problem'],
  [128, 'echo request'],
  [129, 'echo reply'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [137, 'redirect'],
  [138, 'router renumbering'],
  [141, 'inverse neighbor solicitation'],
  [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'],
  [144, 'ha discovery request'],
  [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'],
  [147, 'mobile router advertisement'],
  [139, 'who-are-you request'],
  [140, 'who-are-you reply'],
  [201, 'mtrace message'],
  [200, 'mtrace response'],
  [155, 'RPL'],
]);

const unreachCodeNames: NameTable = new Map<number, string>([
  [0, 'unreachable route'],
  [1, ' unreachable prohibited'],
  [2, 'beyond scope'],
  [3, 'unreachable address'],
  [4, 'unreachable port'],
]);

/** ND option names as tcpdump prints them ("unknown" otherwise). */
export const ndOptionNames: NameTable = new Map<number, string>([
  [1, 'source link-address'],
  [2, 'destination link-address'],
  [3, 'prefix info'],
  [4, 'redirected header'],
  [5, 'mtu'],
  [25, 'rdnss'],
  [31, 'dnssl'],
  [7, 'advertisement interval'],
  [8, 'homeagent information'],
  [24, 'route info'],
]);

type BitNames = readonly (readonly [number, string])[];
const prefixFlagNames: BitNames = [[0x80, 'onlink'], [0x40, 'auto'], [0x20, 'router']];
const raFlagNames: BitNames = [[0x80, 'managed'], [0x40, 'other stateful'], [0x20, 'home agent'], [0x02, 'ipv6 only']];
const naFlagNames: BitNames = [[0x80000000, 'router'], [0x40000000, 'solicited'], [0x20000000, 'override']];

const mldv2RecordNames: NameTable = new Map<number, string>([
  [1, 'is_in'], [2, 'is_ex'], [3, 'to_in'], [4, 'to_ex'], [5, 'allow'], [6, 'block'],
]);

const RTPREF = ['medium', 'high', 'rsv', 'low'] as const;

const unknownName = (): string => 'unknown';
const unknownType = (v: number): string => `unknown icmp6 type (${v})`;
const unknownUnreach = (v: number): string => `unknown unreach code (${v})`;
const PARAMPROB_TEXT = [', erroneous - octet ', ', next header - octet ', ', option - octet ', ', incomplete header chain - octet '] as const;

/** tcpdump's bittok2str with the ", " separator. */
function bitNames(table: BitNames, v: number, none: string): string {
  let s = '';
  for (const [bit, name] of table) {
    if ((v & bit) >>> 0 === bit >>> 0) s += s === '' ? name : ', ' + name;
  }
  return s === '' ? none : s;
}

function rtpref(v: number): string {
  return RTPREF[(v & 0x18) >> 3]!;
}

function lifetime(v: number): string {
  return v === 0xffffffff ? 'infinity' : v + 's';
}

/** IPv6 address text of 16 captured bytes (GET_IP6ADDR_STRING). */
function ip6At(p: Printer, off: number): string {
  p.need(off, 16);
  return ipv6TextAt(p.buf, off);
}



/** print_unknown_data: hex dump of what was captured of `len` bytes (never throws). */
export function printUnknownData(p: Printer, off: number, ident: string, len: number): void {
  if (off > p.snapend) {
    p.out += ident + 'Dissector error: print_unknown_data called with pointer past end of packet';
    return;
  }
  const avail = p.snapend - off;
  hexPrint(p, ident, off, len > avail ? avail : len);
}

/** fn_print_char: printable ASCII as is, others as M- / ^ escapes. */
function fnChar(c: number): string {
  let s = '';
  if (c & 0x80) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c > 0x7e) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

// ---------------------------------------------------------------------------
// DNS names (print-domain.c fqdn_print), for the DNSSL option.

const MAXCDNAME = 255;

/** Label length of the item at `cp`, or -1 (after printing why) when it cannot be used. */
function labelLen(p: Printer, cp: number): number {
  if (!p.has(cp, 1)) return -1;
  const i = p.buf[cp]!;
  switch (i & 0xc0) {
    case 0x40: {
      const elt = i & 0x3f;
      if (elt !== 0x01) {
        p.out += `<ELT ${elt}>`;
        return -1;
      }
      if (!p.has(cp + 1, 1)) return -1;
      let bitlen = p.buf[cp + 1]!;
      if (bitlen === 0) bitlen = 256;
      return ((bitlen + 7) >> 3) + 1;
    }
    case 0xc0:
    case 0x00:
      return i;
    default:
      p.out += '<BAD LABEL TYPE>';
      return -1;
  }
}

/** Bit-string label \[x.../n]; returns the end of the label or -1. */
function bitLabelPrint(p: Printer, cp: number): number {
  if (!p.has(cp, 1)) return -1;
  let bitlen = p.buf[cp]!;
  if (bitlen === 0) bitlen = 256;
  const slen = (bitlen + 3) >> 2;
  const lim = cp + 1 + slen;
  // Printed piece by piece: a truncated label keeps what was captured.
  p.out += '\\[x';
  let bitp = cp + 1;
  let b = bitlen;
  for (; bitp < lim && b > 7; b -= 8, bitp++) p.out += HEX2[p.u8(bitp)]!;
  if (b > 4) {
    const tc = p.u8(bitp);
    p.out += HEX2[tc & (0xff << (8 - b)) & 0xff]!;
  } else if (b > 0) {
    const tc = p.u8(bitp);
    p.out += (((tc >> 4) & 0x0f) & (0x0f << (4 - b))).toString(16);
  }
  p.out += '/' + bitlen + ']';
  return lim;
}

/** nd_printn: prints up to n bytes; true when the capture ended first. */
function printN(p: Printer, s: number, n: number): boolean {
  let out = '';
  while (n > 0 && s < p.snapend) {
    n--;
    out += fnChar(p.buf[s]!);
    s++;
  }
  p.out += out;
  return n !== 0;
}

/**
 * Prints the domain name at `cp`; compression pointers are offsets from `bp`
 * and must point backwards. Returns the offset after the name, or -1.
 */
function fqdnPrint(p: Printer, cp: number, bp: number): number {
  let l = labelLen(p, cp);
  if (l < 0) return -1;
  if (!p.has(cp, 1)) return -1;
  let maxOffset = cp - bp;
  let i = p.buf[cp]!;
  cp++;
  let compress = false;
  let rp = -1;
  if ((i & 0xc0) !== 0xc0) rp = cp + l;
  let nameChars = 0;
  if (i !== 0) {
    while (i !== 0 && cp < p.snapend) {
      const kind = i & 0xc0;
      if (kind === 0xc0) {
        if (!compress) {
          rp = cp + 1;
          compress = true;
        }
        if (!p.has(cp, 1)) return -1;
        const offset = ((i << 8) | p.buf[cp]!) & 0x3fff;
        if (offset >= maxOffset) {
          p.out += '<BAD PTR>';
          return -1;
        }
        maxOffset = offset;
        cp = bp + offset;
        if (!p.has(cp, 1)) return -1;
        i = p.buf[cp]!;
        l = labelLen(p, cp);
        if (l < 0) return -1;
        cp++;
        continue;
      } else if (kind === 0x40) {
        const elt = i & 0x3f;
        if (elt === 0x01) {
          if (bitLabelPrint(p, cp) < 0) return -1;
        } else {
          p.out += `<ELT ${elt}>`;
          return -1;
        }
      } else if (kind === 0x80) {
        p.out += '<BAD LABEL TYPE>';
        return -1;
      } else {
        if (nameChars + l <= MAXCDNAME) {
          if (printN(p, cp, l)) return -1;
        } else if (nameChars < MAXCDNAME) {
          if (printN(p, cp, MAXCDNAME - nameChars)) return -1;
        }
        nameChars += l;
      }
      cp += l;
      if (nameChars <= MAXCDNAME) p.out += '.';
      nameChars++;
      if (!p.has(cp, 1)) return -1;
      i = p.buf[cp]!;
      l = labelLen(p, cp);
      if (l < 0) return -1;
      cp++;
      if (!compress) rp += l + 1;
    }
    if (nameChars > MAXCDNAME) p.out += '<DOMAIN NAME TOO LONG>';
  } else {
    p.out += '.';
  }
  return rp;
}

// ---------------------------------------------------------------------------
// Checksum

/** ip6_finddst: the final destination, from a routing header if one precedes the payload. */
function finalDstOff(p: Printer, ip6Off: number): number {
  const buf = p.buf;
  let dst = ip6Off + 24;
  let cp = ip6Off;
  let advance = 40;
  let nh = p.u8(ip6Off + 6);
  while (cp < p.snapend) {
    cp += advance;
    switch (nh) {
      case 0:
      case 60:
      case 62:
      case 135:
        advance = (p.u8(cp + 1) + 1) << 3;
        nh = p.u8(cp);
        break;
      case 44:
        advance = 8;
        nh = p.u8(cp);
        break;
      case 43: {
        if (!p.has(cp, 4)) return dst;
        let len = buf[cp + 1]!;
        const type = buf[cp + 2]!;
        if (type === 0 || type === 2) {
          if (len % 2 === 1) return dst;
          len >>= 1;
          let a = cp + 8;
          for (let i = 0; i < len; i++) {
            if (!p.has(a, 16)) return dst;
            dst = a;
            a += 16;
          }
        } else if (type === 4) {
          if (len % 2 === 1) return dst;
          if (!p.has(cp + 8, 16)) return dst;
          dst = cp + 8;
        }
        return dst;
      }
      default:
        return dst;
    }
  }
  return dst;
}

/** nextproto6_cksum for ICMPv6: 0 when the checksum is right. */
function icmp6Cksum(p: Printer, ip6Off: number, off: number, len: number): number {
  const nh = p.u8(ip6Off + 6);
  let dstOff = ip6Off + 24;
  if (nh === 0 || nh === 60 || nh === 62 || nh === 135 || nh === 44 || nh === 43) dstOff = finalDstOff(p, ip6Off);
  return ipv6PseudoChecksum(p.buf, ip6Off + 8, dstOff, 58, off, len);
}

// ---------------------------------------------------------------------------
// ND options

/** icmp6_opt_print: the options in `[bp, bp + resid)`; throws TRUNCATED where tcpdump gives up with [|icmp6]. */
function ndOptionsPrint(p: Printer, bp: number, resid: number): void {
  const ep = p.snapend;
  const buf = p.buf;
  let cp = bp;
  while (cp < ep) {
    p.need(cp + 1, 1);
    if (resid <= 0) return;
    const optType = buf[cp]!;
    const optLen = buf[cp + 1]!;
    if (optLen === 0) throw TRUNCATED;
    const bytes = optLen << 3;
    if (cp + bytes > ep) throw TRUNCATED;
    p.out += '\n\t  ' + tok2str(ndOptionNames, optType, unknownName) + ` option (${optType}), length ${bytes} (${optLen}): `;
    switch (optType) {
      case 1:
      case 2: {
        let s = '';
        for (let i = 2; i < bytes; i++) s += (i > 2 ? ':' : '') + HEX2[buf[cp + i]!]!;
        p.out += s;
        break;
      }
      case 3: {
        const prefix = ip6At(p, cp + 16);
        const plen = p.u8(cp + 2);
        const flags = p.u8(cp + 3);
        const valid = p.u32(cp + 4);
        p.out += `${prefix}/${plen}${optLen !== 4 ? 'badlen' : ''}, Flags [${bitNames(prefixFlagNames, flags, 'none')}], valid time ${lifetime(valid)}`;
        p.out += ', pref. time ' + lifetime(p.u32(cp + 8));
        break;
      }
      case 4:
        // tcpdump dumps from the start of the option list here, not from this option.
        printUnknownData(p, bp, '\n\t    ', bytes);
        break;
      case 5:
        p.out += ` ${p.u32(cp + 4)}${optLen !== 1 ? 'bad option length' : ''}`;
        break;
      case 25: {
        const n = (optLen - 1) >> 1;
        p.out += ` lifetime ${p.u32(cp + 4)}s,`;
        for (let i = 0; i < n; i++) p.out += ' addr: ' + ip6At(p, cp + 8 + 16 * i);
        break;
      }
      case 31: {
        p.out += ` lifetime ${p.u32(cp + 4)}s, domain(s):`;
        let domp = cp + 8;
        while (domp < cp + bytes && p.u8(domp) !== 0) {
          p.out += ' ';
          domp = fqdnPrint(p, domp, bp);
          if (domp < 0) throw TRUNCATED;
        }
        break;
      }
      case 7:
        p.out += ` ${p.u32(cp + 4)}ms`;
        break;
      case 8: {
        const pref = p.u16(cp + 4);
        p.out += ` preference ${pref}, lifetime ${p.u16(cp + 6)}`;
        break;
      }
      case 24: {
        p.need(cp + 4, 4);
        let prefix: string;
        if (optLen === 1) prefix = '::';
        else if (optLen === 2) {
          p.need(cp + 8, 8);
          prefix = formatPrefix(buf, cp + 8, 8);
        } else if (optLen === 3) prefix = ip6At(p, cp + 8);
        else throw TRUNCATED;
        p.out += ` ${prefix}/${p.u8(cp + 2)}`;
        p.out += ', pref=' + rtpref(p.u8(cp + 3));
        p.out += ', lifetime=' + lifetime(p.u32(cp + 4));
        break;
      }
      default:
        if (p.vflag <= 1) {
          printUnknownData(p, cp + 2, '\n\t  ', bytes - 2);
          return;
        }
        break;
    }
    if (p.vflag > 1) printUnknownData(p, cp + 2, '\n\t    ', bytes - 2);
    cp += bytes;
    resid -= bytes;
  }
}

const prefixScratch = Buffer.alloc(16);
/** IPv6 text of the first `n` bytes at `off`, zero-filled to 16. */
function formatPrefix(buf: Buffer, off: number, n: number): string {
  prefixScratch.fill(0);
  buf.copy(prefixScratch, 0, off, off + n);
  return formatIPv6At(prefixScratch, 0);
}

// ---------------------------------------------------------------------------
// MLD

function mld6Print(p: Printer, bp: number): void {
  if (bp + 24 > p.snapend) return;
  p.out += `max resp delay: ${p.u16(bp + 4)} `;
  p.out += 'addr: ' + ip6At(p, bp + 8);
}

function mldv2ReportPrint(p: Printer, bp: number, len: number): void {
  if (len < 8) {
    p.out += ` [invalid len ${len}]`;
    return;
  }
  const ngroups = p.u16(bp + 6);
  p.out += `, ${ngroups} group record(s)`;
  if (p.vflag > 0) {
    let group = 8;
    for (let i = 0; i < ngroups; i++) {
      if (len < group + 20) {
        p.out += ' [invalid number of groups]';
        return;
      }
      p.out += ' [gaddr ' + ip6At(p, bp + group + 4);
      const rtype = p.u8(bp + group);
      p.out += ' ' + tok2str(mldv2RecordNames, rtype, (v) => ` [v2-report-#${v}]`);
      const nsrcs = p.u16(bp + group + 2);
      if (len < group + 20 + nsrcs * 16) {
        p.out += ` [invalid number of sources ${nsrcs}]`;
        return;
      }
      if (p.vflag === 1) p.out += `, ${nsrcs} source(s)`;
      else {
        p.out += ' {';
        for (let j = 0; j < nsrcs; j++) p.out += ' ' + ip6At(p, bp + group + 20 + j * 16);
        p.out += ' }';
      }
      group += 20 + nsrcs * 16;
      p.out += ']';
    }
  }
}

function mldv2QueryPrint(p: Printer, bp: number, len: number): void {
  if (len < 28) {
    p.out += ` [invalid len ${len}]`;
    return;
  }
  const mrc = p.u16(bp + 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
  if (p.vflag) p.out += ` [max resp delay=${mrt}]`;
  p.out += ' [gaddr ' + ip6At(p, bp + 8);
  if (p.vflag) {
    const b24 = p.u8(bp + 24);
    if (b24 & 0x08) p.out += ' sflag';
    if (b24 & 0x07) p.out += ` robustness=${b24 & 0x07}`;
    const b25 = p.u8(bp + 25);
    const qqi = b25 < 128 ? b25 : ((b25 & 0x0f) | 0x10) << (((b25 & 0x70) >> 4) + 3);
    p.out += ` qqi=${qqi}`;
  }
  const nsrcs = p.u16(bp + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) p.out += ' [invalid number of sources]';
    else if (p.vflag > 1) {
      p.out += ' {';
      for (let i = 0; i < nsrcs; i++) p.out += ' ' + ip6At(p, bp + 28 + i * 16);
      p.out += ' }';
    } else p.out += `, ${nsrcs} source(s)`;
  }
  p.out += ']';
}

// ---------------------------------------------------------------------------
// Error messages: find the transport header inside the quoted packet.

/** Protocol of the header quotedUpperLayer() found. */
let quotedProto = 0;

/** get_upperlayer: offset of the quoted TCP/UDP header (its ports captured) and its protocol, or -1. */
function quotedUpperLayer(p: Printer, bp: number): number {
  const ep = p.snapend;
  const buf = p.buf;
  if (!p.has(bp + 6, 1)) return -1;
  let nh = buf[bp + 6]!;
  let hlen = 40;
  while (bp < ep) {
    bp += hlen;
    switch (nh) {
      case 17:
      case 6:
        if (p.has(bp + 2, 2)) {
          quotedProto = nh;
          return bp;
        }
        return -1;
      case 0:
      case 60:
      case 43:
        if (!p.has(bp + 1, 1)) return -1;
        nh = buf[bp]!;
        hlen = (buf[bp + 1]! + 1) << 3;
        break;
      case 44:
        if (!p.has(bp + 2, 2)) return -1;
        if ((((buf[bp + 2]! << 8) | buf[bp + 3]!) & 0xfff8) !== 0) return -1;
        nh = buf[bp]!;
        hlen = 8;
        break;
      case 51:
        if (!p.has(bp + 1, 1)) return -1;
        nh = buf[bp]!;
        hlen = (buf[bp + 1]! + 2) << 2;
        break;
      default:
        return -1;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Node information (RFC 4620) and router renumbering (RFC 2894)

function dnsnamePrint(p: Printer, cp: number, ep: number): void {
  p.out += ', "';
  while (cp < ep) {
    let i = p.u8(cp);
    cp++;
    if (i) {
      if (i > ep - cp) {
        p.out += '???';
        break;
      }
      while (i-- && cp < ep) {
        p.out += fnChar(p.u8(cp));
        cp++;
      }
      if (cp + 1 < ep && p.u8(cp)) p.out += '.';
    } else {
      if (cp === ep) p.out += '.';
      else if (cp + 1 === ep && p.u8(cp) === 0) {
        // truncated name: nothing more
      } else p.out += '???';
      break;
    }
  }
  p.out += '"';
}

function pascalOrDnsName(p: Printer, cp: number, ep: number): void {
  if (p.u8(cp) === ep - cp - 1) {
    if (p.vflag) p.out += ', 03 draft';
    cp++;
    p.out += ', "';
    while (cp < ep) {
      p.out += fnChar(p.u8(cp));
      cp++;
    }
    p.out += '"';
  } else dnsnamePrint(p, cp, ep);
}

function nodeAddrFlags(i: number, withTruncate: boolean): string {
  return ' [' + (i & 0x40 ? 'a' : '') + (i & 0x20 ? 'G' : '') + (i & 0x10 ? 'S' : '') + (i & 0x08 ? 'L' : '') +
    (i & 0x04 ? 'C' : '') + (i & 0x02 ? 'A' : '') + (withTruncate && i & 0x01 ? 'T' : '') + ']';
}

function nodeInfoPrint(p: Printer, icmp6len: number, bp: number, ep: number): void {
  if (ep < bp) return;
  const siz = ep - bp;
  switch (p.u8(bp)) {
    case 139: {
      if (siz === 8 + 4) {
        p.out += ' who-are-you request';
        break;
      }
      p.out += ' node information query';
      if (!p.has(bp, 16)) {
        p.printTrunc();
        return;
      }
      p.out += ' (';
      const qtype = p.u16(bp + 4);
      switch (qtype) {
        case 0:
          p.out += 'noop';
          break;
        case 1: {
          p.out += 'supported qtypes';
          const i = p.u16(bp + 6);
          if (i) p.out += ` [${i & 0x01 ? 'C' : ''}]`;
          break;
        }
        case 2:
          p.out += 'DNS name';
          break;
        case 3: {
          p.out += 'node addresses';
          const i = p.u16(bp + 6);
          if (!i) break;
          p.out += nodeAddrFlags(i, false);
          break;
        }
        default:
          p.out += 'unknown';
          break;
      }
      if (qtype === 0 || qtype === 1) {
        if (siz !== 16 && p.vflag) p.out += ', invalid len';
        p.out += ')';
        break;
      }
      if (siz === 16) {
        p.out += ', 03 draft)';
        break;
      }
      const cp = bp + 16;
      switch (p.u8(bp + 1)) {
        case 0:
          if (!p.has(bp, 32)) break;
          if (siz !== 32) {
            if (p.vflag) p.out += ', invalid subject len';
            break;
          }
          p.out += ', subject=' + ip6At(p, cp);
          break;
        case 1:
          p.out += ', subject=DNS name';
          pascalOrDnsName(p, cp, ep);
          break;
        case 2:
          if (!p.has(bp, 20)) break;
          if (siz !== 20) {
            if (p.vflag) p.out += ', invalid subject len';
            break;
          }
          p.need(cp, 4);
          p.out += ', subject=' + formatIPv4At(p.buf, cp);
          break;
        default:
          p.out += ', unknown subject';
          break;
      }
      p.out += ')';
      break;
    }
    case 140: {
      if (icmp6len > siz) {
        p.printTrunc();
        return;
      }
      let needcomma = false;
      if (!p.has(bp, 16)) {
        p.printTrunc();
        return;
      }
      p.out += ' node information reply (';
      const code = p.u8(bp + 1);
      switch (code) {
        case 0:
          if (p.vflag) {
            p.out += 'success';
            needcomma = true;
          }
          break;
        case 1:
          p.out += 'refused';
          needcomma = true;
          if (siz !== 16 && p.vflag) p.out += ', invalid length';
          break;
        case 2:
          p.out += 'unknown';
          needcomma = true;
          if (siz !== 16 && p.vflag) p.out += ', invalid length';
          break;
        default:
          break;
      }
      if (code !== 0) {
        p.out += ')';
        break;
      }
      const comma = needcomma ? ', ' : '';
      switch (p.u16(bp + 4)) {
        case 0:
          p.out += comma + 'noop';
          if (siz !== 16 && p.vflag) p.out += ', invalid length';
          break;
        case 1: {
          p.out += comma + 'supported qtypes';
          const i = p.u16(bp + 6);
          if (i) p.out += ` [${i & 0x01 ? 'C' : ''}]`;
          break;
        }
        case 2: {
          p.out += comma + 'DNS name';
          pascalOrDnsName(p, bp + 16 + 4, ep);
          if ((p.u16(bp + 6) & 0x01) !== 0) p.out += ` [TTL=${p.u32(bp + 16)}]`;
          break;
        }
        case 3: {
          p.out += comma + 'node addresses';
          let i = 16;
          while (i < siz) {
            if (i + 4 + 16 > siz) break;
            const a = ip6At(p, bp + i + 4);
            p.out += ` ${a}(${p.u32(bp + i)})`;
            i += 20;
          }
          const f = p.u16(bp + 6);
          if (!f) break;
          p.out += nodeAddrFlags(f, true);
          break;
        }
        default:
          p.out += comma + 'unknown';
          break;
      }
      p.out += ')';
      break;
    }
    default:
      break;
  }
}

function rrenumPrint(p: Printer, bp: number, ep: number): void {
  if (ep < bp) return;
  if (!p.has(bp + 12, 4)) {
    p.printTrunc();
    return;
  }
  const code = p.u8(bp + 1);
  switch (code) {
    case 0:
      p.out += ', command';
      break;
    case 1:
      p.out += ', result';
      break;
    case 255:
      p.out += ', sequence number reset';
      break;
    default:
      p.out += `, code-#${code}`;
      break;
  }
  p.out += `, seq=${p.u32(bp + 4)}`;
  if (p.vflag) {
    const f = p.u8(bp + 9);
    p.out += '[';
    if (f) p.out += (f & 0x80 ? 'T' : '') + (f & 0x40 ? 'R' : '') + (f & 0x20 ? 'A' : '') + (f & 0x10 ? 'S' : '') + (f & 0x08 ? 'P' : '') + ',';
    p.out += `seg=${p.u8(bp + 8)},`;
    p.out += `maxdelay=${p.u16(bp + 10)}`;
    const rsvd = p.u32(bp + 12);
    if (rsvd) p.out += `rsvd=0x${rsvd.toString(16)}`;
    p.out += ']';
  }
  if (code !== 0) return;
  const match = bp + 16;
  let cp = match + 24;
  if (!p.has(match + 8, 16)) {
    p.printTrunc();
    return;
  }
  p.out += p.vflag > 1 ? '\n\t' : ' ';
  p.out += 'match(';
  const mcode = p.u8(match);
  p.out += mcode === 1 ? 'add' : mcode === 2 ? 'change' : mcode === 3 ? 'setglobal' : `#${mcode}`;
  if (p.vflag) {
    p.out += `,ord=${p.u8(match + 2)}`;
    p.out += `,min=${p.u8(match + 4)}`;
    p.out += `,max=${p.u8(match + 5)}`;
  }
  p.out += `,${formatIPv6At(p.buf, match + 8)}/${p.u8(match + 3)}`;
  p.out += ')';
  let n = p.u8(match + 1) - 3;
  if (n % 4) {
    p.printTrunc();
    return;
  }
  n /= 4;
  while (n-- > 0) {
    const use = cp;
    cp = use + 32;
    if (!p.has(use + 16, 16)) {
      p.printTrunc();
      return;
    }
    p.out += p.vflag > 1 ? '\n\t' : ' ';
    p.out += 'use(';
    const uf = p.u8(use + 12);
    if (uf) p.out += (uf & 0x80 ? 'V' : '') + (uf & 0x40 ? 'P' : '') + ',';
    if (p.vflag) {
      p.out += `mask=0x${p.u8(use + 2).toString(16)},`;
      p.out += `raflags=0x${p.u8(use + 3).toString(16)},`;
      const vl = p.u32(use + 4);
      p.out += vl === 0xffffffff ? 'vltime=infty,' : `vltime=${vl},`;
      const pl = p.u32(use + 8);
      p.out += pl === 0xffffffff ? 'pltime=infty,' : `pltime=${pl},`;
    }
    p.out += `${formatIPv6At(p.buf, use + 16)}/${p.u8(use)}/${p.u8(use + 1)}`;
    p.out += ')';
  }
}

// ---------------------------------------------------------------------------
// RPL (RFC 6550)

const rplMopNames: NameTable = new Map<number, string>([
  [0, 'nonstoring'], [1, 'storing'], [2, 'nonstoring-multicast'], [3, 'storing-multicast'],
]);
const rplSuboptNames: NameTable = new Map<number, string>([
  [0, 'pad1'], [1, 'padN'], [2, 'metrics'], [3, 'routinginfo'], [4, 'config'],
  [5, 'rpltarget'], [6, 'transitinfo'], [8, 'destprefix'], [9, 'rpltargetdesc'],
]);

function rplPrintOpts(p: Printer, opts: number, length: number): void {
  while (length !== 0) {
    const t = p.u8(opts);
    let optlen: number;
    if (t === 0) {
      optlen = 1;
      p.out += ' opt:pad1';
    } else {
      if (length < 2) throw TRUNCATED;
      optlen = p.u8(opts + 1) + 2;
      p.out += ` opt:${tok2str(rplSuboptNames, t, (v) => `subopt:${v}`)} len:${optlen} `;
      p.need(opts, optlen);
      if (length < optlen) throw TRUNCATED;
      if (p.vflag > 2) hexPrint(p, ' ', opts + 2, optlen - 2);
    }
    opts += optlen;
    length -= optlen;
  }
}

function rplPrint(p: Printer, code: number, bp: number, length: number): void {
  if (code & 0x80) {
    p.out += ', (SEC) [worktodo]';
    return;
  }
  p.out += ', (CLR)';
  switch (code & 0x7f) {
    case 0:
      p.out += 'DODAG Information Solicitation';
      break;
    case 1:
      p.out += 'DODAG Information Object';
      if (p.vflag) {
        if (length < 24) {
          p.out += ` [length ${length} < 24]`;
          p.printInvalid();
          break;
        }
        const dagid = ip6At(p, bp + 8);
        const dtsn = p.u8(bp + 5);
        const inst = p.u8(bp);
        const rank = p.u16(bp + 2);
        const mopprf = p.u8(bp + 4);
        p.out += ` [dagid:${dagid},seq:${dtsn},instance:${inst},rank:${rank},${mopprf & 0x80 ? 'grounded,' : ''}mop:${tok2str(rplMopNames, (mopprf >> 3) & 7, (v) => `mop${v}`)},prf:${mopprf & 7}]`;
        if (p.vflag > 1) rplPrintOpts(p, bp + 24, length - 24);
      }
      break;
    case 2:
      p.out += 'Destination Advertisement Object';
      if (p.vflag) {
        p.need(bp, 20);
        if (length < 4) {
          p.out += ' [|length too short]';
          break;
        }
        let b = bp + 4;
        let len = length - 4;
        const flags = p.u8(bp + 1);
        let dagid = '<elided>';
        if (flags & 0x40) {
          p.need(bp + 4, 16);
          if (len < 16) {
            p.out += ' [|length too short]';
            break;
          }
          dagid = formatIPv6At(p.buf, bp + 4);
          b += 16;
          len -= 16;
        }
        p.out += ` [dagid:${dagid},seq:${p.u8(bp + 3)},instance:${p.u8(bp)}${flags & 0x80 ? ',acK' : ''}${flags & 0x40 ? ',Dagid' : ''},${HEX2[flags]}]`;
        if (p.vflag > 1) rplPrintOpts(p, b, len);
      }
      break;
    case 3:
      p.out += 'Destination Advertisement Object Ack';
      if (p.vflag) {
        p.need(bp, 4);
        if (length < 4) {
          p.out += ' [|dao-length too short]';
          break;
        }
        let b = bp + 4;
        let len = length - 4;
        let dagid = '<elided>';
        if (p.u8(bp + 1) & 0x80) {
          p.need(bp + 4, 16);
          if (len < 16) {
            p.out += ' [|dao-length too short]';
            break;
          }
          dagid = formatIPv6At(p.buf, bp + 4);
          b += 16;
          len -= 16;
        }
        p.out += ` [dagid:${dagid},seq:${p.u8(bp + 2)},instance:${p.u8(bp)},status:${p.u8(bp + 3)}]`;
        if (p.vflag > 1) rplPrintOpts(p, b, len);
      }
      break;
    default:
      p.out += `RPL message, unknown code ${code}`;
      break;
  }
}

// ---------------------------------------------------------------------------

/**
 * icmp6_print: the ICMPv6 message at `off` with wire length `length`;
 * `ip6Off` is the IPv6 header it came in (for the checksum), `fragmented`
 * suppresses checksum verification as tcpdump does.
 */
export function icmp6Print(p: Printer, off: number, length: number, ip6Off: number, fragmented: boolean): void {
  p.protocol = 'icmp6';
  const ep = p.snapend;
  const oip = off + 8;
  if (length === 0) {
    p.out += 'ICMP6, length 0';
    p.printInvalid();
    return;
  }
  if (p.vflag && !fragmented) {
    if (p.has(off, length)) {
      const field = p.u16(off + 2);
      const sum = icmp6Cksum(p, ip6Off, off, length);
      if (sum !== 0) p.out += `[bad icmp6 cksum 0x${hex4(field)} -> 0x${hex4(checksumShouldBe(field, sum))}!] `;
      else p.out += '[icmp6 sum ok] ';
    }
  }
  const type = p.u8(off);
  p.out += 'ICMP6, ' + tok2str(icmp6TypeNames, type, unknownType);
  if (p.vflag && (type === 133 || type === 134 || type === 136 || type === 135 || type === 137 || type === 145 || type === 147)) {
    p.out += `, length ${length}`;
  }
  const code = p.u8(off + 1);
  switch (type) {
    case 1:
      p.out += ', ' + tok2str(unreachCodeNames, code, unknownUnreach);
      switch (code) {
        case 0:
        case 1:
        case 3:
          p.out += ' ' + ip6At(p, oip + 24);
          break;
        case 2: {
          const d = ip6At(p, oip + 24);
          p.out += ` ${d}, source address ${ip6At(p, oip + 8)}`;
          break;
        }
        case 4: {
          const ouh = quotedUpperLayer(p, oip);
          if (ouh < 0) throw TRUNCATED;
          const dport = p.u16(ouh + 2);
          const d = ip6At(p, oip + 24);
          if (quotedProto === 6) p.out += `, ${d} tcp port ${dport}`;
          else p.out += `, ${d} udp port ${dport}`;
          break;
        }
        default:
          if (p.vflag <= 1) {
            printUnknownData(p, off, '\n\t', length);
            return;
          }
          break;
      }
      break;
    case 2:
      p.out += `, mtu ${p.u32(off + 4)}`;
      break;
    case 3:
      if (code === 0) p.out += ' for ' + ip6At(p, oip + 24);
      else if (code === 1) p.out += ' (reassembly)';
      else p.out += `, unknown code (${code})`;
      break;
    case 4: {
      p.need(oip + 24, 16);
      if (code < 4) p.out += PARAMPROB_TEXT[code]! + p.u32(off + 4);
      else p.out += `, code-#${code}`;
      break;
    }
    case 128:
    case 129: {
      const id = p.u16(off + 4);
      p.out += `, id ${id}, seq ${p.u16(off + 6)}`;
      break;
    }
    case 130:
      if (length === 24) mld6Print(p, off);
      else if (length >= 28) {
        p.out += ' v2';
        mldv2QueryPrint(p, off, length);
      } else p.out += ` unknown-version (len ${length}) `;
      break;
    case 131:
    case 132:
      mld6Print(p, off);
      break;
    case 133:
      if (p.vflag) ndOptionsPrint(p, off + 8, (length - 8) | 0);
      break;
    case 134:
      if (p.vflag) {
        const hl = p.u8(off + 4);
        const flags = p.u8(off + 5);
        const life = p.u16(off + 6);
        const reach = p.u32(off + 8);
        const retrans = p.u32(off + 12);
        p.out += `\n\thop limit ${hl}, Flags [${bitNames(raFlagNames, flags, 'none')}], pref ${rtpref(flags)}, router lifetime ${life}s, reachable time ${reach}ms, retrans timer ${retrans}ms`;
        ndOptionsPrint(p, off + 16, (length - 16) | 0);
      }
      break;
    case 135:
      p.out += ', who has ' + ip6At(p, off + 8);
      if (p.vflag) ndOptionsPrint(p, off + 24, (length - 24) | 0);
      break;
    case 136:
      p.out += ', tgt is ' + ip6At(p, off + 8);
      if (p.vflag) {
        p.out += `, Flags [${bitNames(naFlagNames, p.u32(off + 4), 'none')}]`;
        ndOptionsPrint(p, off + 24, (length - 24) | 0);
      }
      break;
    case 137:
      p.out += ', ' + ip6At(p, off + 24);
      p.out += ' to ' + ip6At(p, off + 8);
      if (p.vflag) ndOptionsPrint(p, off + 40, (length - 40) | 0);
      break;
    case 138:
      rrenumPrint(p, off, ep);
      break;
    case 139:
    case 140:
      nodeInfoPrint(p, length, off, ep);
      break;
    case 141:
    case 142:
      break;
    case 143:
      mldv2ReportPrint(p, off, length);
      break;
    case 146:
    case 144:
      p.out += `, id 0x${hex4(p.u16(off + 4))}`;
      break;
    case 145:
      if (p.vflag) {
        p.out += `, id 0x${hex4(p.u16(off + 4))}`;
        const end = off + length;
        for (let a = off + 8; a < end; a += 16) p.out += ', ' + ip6At(p, a);
      }
      break;
    case 147:
      if (p.vflag) {
        p.out += `, id 0x${hex4(p.u16(off + 4))}`;
        const flags = p.u16(off + 6);
        if (flags & 0xc000) p.out += ' ';
        if (flags & 0x8000) p.out += 'M';
        if (flags & 0x4000) p.out += 'O';
        ndOptionsPrint(p, off + 8, (length - 8) | 0);
      }
      break;
    case 155:
      rplPrint(p, code, off + 4, (length - 4) >>> 0);
      break;
    default:
      p.out += `, length ${length}`;
      if (p.vflag <= 1) printUnknownData(p, off, '\n\t', length);
      return;
  }
  if (!p.vflag) p.out += `, length ${length}`;
}

