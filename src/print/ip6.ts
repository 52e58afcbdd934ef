/**
 * IPv6 as tcpdump 4.99.3 prints it at -n (print-ip6.c, print-ip6opts.c,
 * print-frag6.c, print-rt6.c, print-ah.c and the IPv6 half of
 * print-ip-demux.c): the header, the extension headers, then the payload.
 *
 * Who prints what, as in tcpdump: this printer writes "IP6 " itself unless
 * -e is on (then the link layer has already written the ethertype), then
 * the -v header summary, then "src > dst: " (except for TCP/UDP, whose
 * printers write addresses with ports), then the payload.
 *
 * The captured end is cut to the end of the IPv6 payload for the payload
 * printers, as nd_push_snaplen does, and restored on return.
 */
import { formatIPv6At, HEX2, ipv6TextAt } from './addr.js';
import { TRUNCATED, type Printer } from './context.js';
import { tok2str, type NameTable } from './names.js';
import { icmp6Print } from './icmp6.js';
import { checksumShouldBe, ipv6PseudoChecksum } from '../decode/icmp6.js';

export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  IGMP: 2,
  IPV4: 4,
  TCP: 6,
  UDP: 17,
  DCCP: 33,
  IPV6: 41,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
  MOBILITY_OLD: 62,
  ND: 77,
  IPCOMP: 108,
  SCTP: 132,
  MOBILITY: 135,
  ETHERNET: 143,
} as const;

/** tcpdump's ipproto_values. */
export const ipprotoNames: NameTable = new Map<number, string>([
  [0, 'Options'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [8, 'EGP'],
  [9, 'IGRP'],
  [17, 'UDP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [43, 'Routing'],
  [44, 'Fragment'],
  [46, 'RSVP'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [55, 'Mobile IP'],
  [58, 'ICMPv6'],
  [62, 'Mobile IP (old)'],
  [88, 'EIGRP'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [108, 'Compressed IP'],
  [112, 'VRRP'],
  [113, 'PGM'],
  [132, 'SCTP'],
  [135, 'Mobility'],
  [143, 'Ethernet'],
]);

const unknownName = (): string => 'unknown';
const hex = (v: number, width: number): string => v.toString(16).padStart(width, '0');

function addrs(p: Printer, ip6Off: number): string {
  return ipv6TextAt(p.buf, ip6Off + 8) + ' > ' + ipv6TextAt(p.buf, ip6Off + 24);
}

// ---------------------------------------------------------------------------
// Hop-by-hop and destination options (print-ip6opts.c)

/** Sub-options of the home address option; false where tcpdump gives up. */
function subOptionsPrint(p: Printer, bp: number, len: number): boolean {
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = p.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = p.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    if (t === 0) p.out += ', pad1';
    else if (t === 1) {
      if (len - i < 2) {
        p.out += ', padn: trunc';
        return false;
      }
      p.out += ', padn';
    } else {
      if (len - i < 2) {
        p.out += `, sopt_type ${t}: trunc)`;
        return false;
      }
      p.out += `, sopt_type 0x${HEX2[t]}: len=${p.u8(bp + i + 1)}`;
    }
  }
  return true;
}

/** Jumbo payload found in a hop-by-hop header; reset per header. */
const jumbo = { found: false, payloadLen: 0 };

/**
 * ip6_opt_process: the options in `[bp, bp + len)`. `hbh` says whether a
 * Jumbo Payload option may apply (it then updates `jumbo`). False where
 * tcpdump gives up with a truncation mark.
 */
function optionsPrint(p: Printer, bp: number, len: number, hbh: boolean): boolean {
  if (len === 0) return true;
  const v = p.vflag;
  let optlen = 0;
  let seenJumbo = false;
  for (let i = 0; i < len; i += optlen) {
    const t = p.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = p.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    switch (t) {
      case 0x00:
        if (v) p.out += '(pad1)';
        break;
      case 0x01:
        if (len - i < 2) {
          p.out += '(padn: trunc)';
          return false;
        }
        if (v) p.out += '(padn)';
        break;
      case 0x05:
        if (len - i < 4) {
          p.out += '(rtalert: trunc)';
          return false;
        }
        if (p.u8(bp + i + 1) !== 2) {
          p.out += `(rtalert: invalid len ${p.u8(bp + i + 1)})`;
          return false;
        }
        if (v) p.out += `(rtalert: 0x${hex(p.u16(bp + i + 2), 4)}) `;
        break;
      case 0xc2: {
        if (len - i < 6) {
          p.out += '(jumbo: trunc)';
          return false;
        }
        if (p.u8(bp + i + 1) !== 4) {
          p.out += `(jumbo: invalid len ${p.u8(bp + i + 1)})`;
          return false;
        }
        const jlen = p.u32(bp + i + 2);
        if (seenJumbo) {
          if (v) p.out += `(jumbo: ${jlen} - already seen) `;
        } else {
          seenJumbo = true;
          if (!hbh) {
            if (v) p.out += `(jumbo: ${jlen} - not a hop-by-hop option) `;
          } else if (jumbo.payloadLen !== 0) {
            if (v) p.out += `(jumbo: ${jlen} - payload len != 0) `;
          } else if (jlen < 65536) {
            if (v) p.out += `(jumbo: ${jlen} - < 65536) `;
          } else {
            jumbo.found = true;
            jumbo.payloadLen = jlen;
            if (v) p.out += `(jumbo: ${jlen}) `;
          }
        }
        break;
      }
      case 0xc9:
        if (len - i < 18) {
          p.out += '(homeaddr: trunc)';
          return false;
        }
        if (p.u8(bp + i + 1) < 16) {
          p.out += `(homeaddr: invalid len ${p.u8(bp + i + 1)})`;
          return false;
        }
        if (v) {
          p.need(bp + i + 2, 16);
          p.out += '(homeaddr: ' + formatIPv6At(p.buf, bp + i + 2);
          if (p.u8(bp + i + 1) > 16 && !subOptionsPrint(p, bp + i + 18, optlen - 18)) return false;
          p.out += ')';
        }
        break;
      default:
        if (len - i < 2) {
          p.out += `(type ${t}: trunc)`;
          return false;
        }
        if (v) p.out += `(opt_type 0x${HEX2[t]}: len=${p.u8(bp + i + 1)})`;
        break;
    }
  }
  if (v) p.out += ' ';
  return true;
}

/** hbhopt_process / dstopt_process: the header length, or -1 after printing a truncation mark. */
function optionsHeaderPrint(p: Printer, cp: number, hbh: boolean): number {
  p.protocol = hbh ? 'hbhopt' : 'dstopt';
  const hlen = (p.u8(cp + 1) + 1) << 3;
  if (!p.has(cp, hlen)) {
    p.printTrunc();
    return -1;
  }
  p.out += hbh ? 'HBH ' : 'DSTOPT ';
  if ((hbh || p.vflag) && !optionsPrint(p, cp + 2, hlen - 2, hbh)) {
    p.printTrunc();
    return -1;
  }
  return hlen;
}

// ---------------------------------------------------------------------------
// Fragment, routing, AH (print-frag6.c, print-rt6.c, print-ah.c)

/** size_t arithmetic as tcpdump's %zu prints it (wraps below zero). */
function sizeT(v: number): string {
  return v >= 0 ? String(v) : (BigInt(v) + (1n << 64n)).toString();
}

function frag6Print(p: Printer, cp: number, ip6Off: number): number {
  p.protocol = 'frag6';
  const offlg = p.u16(cp + 2) & 0xfff8;
  const rest = sizeT(40 + p.u16(ip6Off + 4) - (cp - ip6Off) - 8);
  if (p.vflag) p.out += `frag (0x${hex(p.u32(cp + 4), 8)}:${offlg}|${rest})`;
  else p.out += `frag (${offlg}|${rest})`;
  if (offlg !== 0) return -1;
  p.out += ' ';
  return 8;
}

function rt6Print(p: Printer, cp: number): number {
  p.protocol = 'rt6';
  p.out += 'RT6';
  let len = p.u8(cp + 1);
  p.out += ` (len=${len}`;
  const type = p.u8(cp + 2);
  p.out += `, type=${type}`;
  if (type === 0) p.out += ' [Deprecated]';
  p.out += `, segleft=${p.u8(cp + 3)}`;
  if (type === 0 || type === 2 || type === 4) {
    if (type === 4) {
      p.out += `, last-entry=${p.u8(cp + 4)}`;
      const flags = p.u8(cp + 5);
      if (flags || p.vflag) p.out += `, flags=0x${flags.toString(16)}`;
      p.out += `, tag=${p.u16(cp + 6).toString(16)}`;
    } else {
      const rsv = p.u32(cp + 4);
      if (rsv || p.vflag) p.out += `, rsv=0x${rsv.toString(16)}`;
    }
    if (len % 2 === 1) {
      p.out += ` (invalid length ${len})`;
      p.printInvalid();
      return -1;
    }
    len >>= 1;
    let a = cp + 8;
    for (let i = 0; i < len; i++) {
      p.need(a, 16);
      p.out += `, [${i}]${formatIPv6At(p.buf, a)}`;
      a += 16;
    }
    p.out += ') ';
    return (p.u8(cp + 1) + 1) << 3;
  }
  p.out += ' (unknown type)';
  p.printInvalid();
  return -1;
}

function ahPrint(p: Printer, bp: number): number {
  p.protocol = 'ah';
  p.out += 'AH';
  const ahLen = p.u8(bp + 1);
  const hdrLen = (ahLen + 2) * 4;
  p.out += '(';
  if (p.vflag) p.out += `length=${ahLen}(${hdrLen}-bytes),`;
  const reserved = p.u16(bp + 2);
  if (reserved) p.out += `reserved=0x${reserved.toString(16)}[MustBeZero],`;
  p.out += `spi=0x${hex(p.u32(bp + 4), 8)},`;
  p.out += `seq=0x${p.u32(bp + 8).toString(16)},`;
  p.out += 'icv=0x';
  // Byte by byte: a truncated ICV shows what was captured, as tcpdump does.
  for (let q = bp + 12; q < bp + hdrLen; q++) p.out += HEX2[p.u8(q)]!;
  p.out += '): ';
  return hdrLen;
}

// ---------------------------------------------------------------------------
// Mobility header (RFC 6275, print-mobility.c)

const mobilityTypeNames: NameTable = new Map<number, string>([
  [0, 'BRR'], [1, 'HoTI'], [2, 'CoTI'], [3, 'HoT'], [4, 'CoT'], [5, 'BU'], [6, 'BA'], [7, 'BE'],
]);
/** Minimum header length per message type 0..7. */
const MOBILITY_HDRLEN = [8, 16, 16, 24, 24, 12, 12, 24] as const;

/** mobility_opt_print; false where tcpdump gives up. */
function mobilityOptionsPrint(p: Printer, bp: number, len: number): boolean {
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = p.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = p.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    // tcpdump checks that the byte after the option was captured.
    if (!p.has(bp + i + optlen, 1)) return false;
    const left = len - i;
    switch (t) {
      case 0:
        p.out += '(pad1)';
        break;
      case 1:
        if (left < 2) {
          p.out += '(padn: trunc)';
          return false;
        }
        p.out += '(padn)';
        break;
      case 2:
        if (left < 4) {
          p.out += '(refresh: trunc)';
          return false;
        }
        p.out += `(refresh: ${p.u16(bp + i + 2) << 2})`;
        break;
      case 3:
        if (left < 18) {
          p.out += '(altcoa: trunc)';
          return false;
        }
        p.need(bp + i + 2, 16);
        p.out += `(alt-CoA: ${formatIPv6At(p.buf, bp + i + 2)})`;
        break;
      case 4: {
        if (left < 6) {
          p.out += '(ni: trunc)';
          return false;
        }
        const ho = p.u16(bp + i + 2);
        p.out += `(ni: ho=0x${hex(ho, 4)} co=0x${hex(p.u16(bp + i + 4), 4)})`;
        break;
      }
      case 5:
        if (left < 12) {
          p.out += '(auth: trunc)';
          return false;
        }
        p.out += '(auth)';
        break;
      default:
        if (left < 2) {
          p.out += `(sopt_type ${t}: trunc)`;
          return false;
        }
        p.out += `(type-0x${HEX2[t]}: len=${p.u8(bp + i + 1)})`;
        break;
    }
  }
  return true;
}

function mobilityPrint(p: Printer, bp: number): void {
  p.protocol = 'mobility';
  if (!p.has(bp + 1, 1)) throw TRUNCATED;
  const mhlen = (p.u8(bp + 1) + 1) << 3;
  const type = p.u8(bp + 2);
  if (type <= 7 && mhlen < MOBILITY_HDRLEN[type]!) {
    p.out += `(header length ${mhlen} is too small for type ${type})`;
    throw TRUNCATED;
  }
  p.out += 'mobility: ' + tok2str(mobilityTypeNames, type, (t) => `type-#${t}`);
  const cookie = (what: string, off: number): void => {
    const a = p.u32(off);
    p.out += ` ${what}=${hex(a, 8)}:${hex(p.u32(off + 4), 8)}`;
  };
  let hlen = 8;
  switch (type) {
    case 0:
      break;
    case 1:
    case 2:
      if (p.vflag) cookie(type === 1 ? 'Home Init Cookie' : 'Care-of Init Cookie', bp + 8);
      hlen = 16;
      break;
    case 3:
    case 4: {
      p.out += ` nonce id=0x${p.u16(bp + 6).toString(16)}`;
      const who = type === 3 ? 'Home' : 'Care-of';
      if (p.vflag) cookie(who + ' Init Cookie', bp + 8);
      if (p.vflag) cookie(who + ' Keygen Token', bp + 16);
      hlen = 24;
      break;
    }
    case 5: {
      p.out += ` seq#=${p.u16(bp + 6)}`;
      p.need(bp + 8, 2);
      const bits = (p.u8(bp + 8) & 0xf0) >> 4;
      if (bits) {
        const names = (bits & 8 ? 'A' : '') + (bits & 4 ? 'H' : '') + (bits & 2 ? 'L' : '') + (bits & 1 ? 'K' : '');
        p.out += ' ' + names;
      }
      p.out += ` lifetime=${p.u16(bp + 10) << 2}`;
      hlen = 12;
      break;
    }
    case 6:
      p.out += ` status=${p.u8(bp + 6)}`;
      if (p.u8(bp + 7) & 0x80) p.out += ' K';
      p.out += ` seq#=${p.u16(bp + 8)}`;
      p.out += ` lifetime=${p.u16(bp + 10) << 2}`;
      hlen = 12;
      break;
    case 7:
      p.out += ` status=${p.u8(bp + 6)}`;
      p.need(bp + 8, 16);
      p.out += ` homeaddr ${formatIPv6At(p.buf, bp + 8)}`;
      hlen = 24;
      break;
    default:
      p.out += ` len=${p.u8(bp + 1)}`;
      return;
  }
  if (p.vflag && !mobilityOptionsPrint(p, bp + hlen, mhlen - hlen)) throw TRUNCATED;
}

// ---------------------------------------------------------------------------
// Transport fallbacks. tcpdump dissects many UDP and TCP applications; here
// only the transport framing is printed, which is what tcpdump prints for
// ports it does not know.

function udpPrint(p: Printer, bp: number, length: number, ip6Off: number, fragmented: boolean): void {
  p.protocol = 'udp';
  const direct = p.u8(ip6Off + 6) === IPPROTO.UDP;
  const addrPrint = (sport: number, dport: number): void => {
    if (direct) {
      if (sport < 0) p.out += addrs(p, ip6Off) + ': ';
      else p.out += `${formatIPv6At(p.buf, ip6Off + 8)}.${sport} > ${formatIPv6At(p.buf, ip6Off + 24)}.${dport}: `;
    } else if (sport >= 0) p.out += `${sport} > ${dport}: `;
  };
  if (!p.has(bp + 2, 2)) {
    addrPrint(-1, -1);
    throw TRUNCATED;
  }
  const sport = p.u16(bp);
  const dport = p.u16(bp + 2);
  if (length < 8) {
    addrPrint(sport, dport);
    p.out += `truncated-udp ${length}`;
    return;
  }
  if (!p.has(bp + 4, 2)) {
    addrPrint(sport, dport);
    throw TRUNCATED;
  }
  let ulen = p.u16(bp + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    addrPrint(sport, dport);
    p.out += `truncated-udplength ${ulen}`;
    return;
  }
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  const cp = bp + 8;
  if (cp > p.snapend) {
    addrPrint(sport, dport);
    throw TRUNCATED;
  }
  addrPrint(sport, dport);
  if (p.vflag && !fragmented && p.has(cp, length)) {
    const sum = ipv6PseudoChecksum(p.buf, ip6Off + 8, ip6Off + 24, IPPROTO.UDP, bp, length + 8);
    const field = p.u16(bp + 6);
    if (sum !== 0) p.out += `[bad udp cksum 0x${hex(field, 4)} -> 0x${hex(checksumShouldBe(field, sum), 4)}!] `;
    else p.out += '[udp sum ok] ';
  }
  if (ulen > length && !fragmented) p.out += `UDP, bad length ${ulen} > ${length}`;
  else p.out += `UDP, length ${ulen}`;
}

const TCP_FLAGS: readonly (readonly [number, string])[] = [
  [0x02, 'S'], [0x01, 'F'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W'],
];

/**
 * The start of tcp_print: addresses and ports, truncation and header-length
 * checks, then only the flags and payload length. tcpdump goes on with
 * sequence numbers relative to earlier packets of the connection, window
 * and options, which this printer does not track.
 */
function tcpPrint(p: Printer, bp: number, length: number, ip6Off: number): void {
  p.protocol = 'tcp';
  if (!p.has(bp + 2, 2)) {
    p.out += addrs(p, ip6Off) + ':';
    throw TRUNCATED;
  }
  const sport = p.u16(bp);
  const dport = p.u16(bp + 2);
  if (p.u8(ip6Off + 6) === IPPROTO.TCP) {
    p.out += `${formatIPv6At(p.buf, ip6Off + 8)}.${sport} > ${formatIPv6At(p.buf, ip6Off + 24)}.${dport}: `;
  } else p.out += `${sport} > ${dport}: `;
  p.need(bp, 20);
  const hlen = (p.u8(bp + 12) >> 4) * 4;
  if (hlen < 20) {
    p.out += ` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`;
    return;
  }
  const flags = p.u8(bp + 13);
  let f = '';
  for (const [bit, ch] of TCP_FLAGS) if (flags & bit) f += ch;
  p.out += `Flags [${f === '' ? 'none' : f}], length ${Math.max(0, length - hlen)}`;
}

// ---------------------------------------------------------------------------

/** ip_demux_print for IPv6: the payload of protocol `nh` at `bp`. */
function demuxPrint(p: Printer, bp: number, length: number, fragmented: boolean, nh: number, ip6Off: number): void {
  for (;;) {
    switch (nh) {
      case IPPROTO.AH: {
        if (!p.has(bp, 1)) {
          p.protocol = 'ah';
          throw TRUNCATED;
        }
        nh = p.u8(bp);
        const advance = ahPrint(p, bp);
        bp += advance;
        length = (length - advance) >>> 0;
        continue;
      }
      case IPPROTO.ESP:
        p.protocol = 'esp';
        if (bp + 8 >= p.snapend) throw TRUNCATED;
        p.out += `ESP(spi=0x${hex(p.u32(bp), 8)},seq=0x${p.u32(bp + 4).toString(16)}), length ${length}`;
        return;
      case IPPROTO.IPCOMP:
        p.protocol = 'ipcomp';
        p.out += `IPComp(cpi=0x${hex(p.u16(bp + 2), 4)})`;
        return;
      case IPPROTO.TCP:
        tcpPrint(p, bp, length, ip6Off);
        return;
      case IPPROTO.UDP:
        udpPrint(p, bp, length, ip6Off, fragmented);
        return;
      case IPPROTO.ICMP:
      case IPPROTO.IGMP:
        p.out += `[${tok2str(ipprotoNames, nh, unknownName)} requires IPv4]`;
        p.printInvalid();
        return;
      case IPPROTO.ICMPV6:
        icmp6Print(p, bp, length, ip6Off, fragmented);
        return;
      case IPPROTO.IPV6:
        ip6Print(p, bp, length);
        return;
      case IPPROTO.ND:
        p.out += ` nd ${length}`;
        return;
      case IPPROTO.NONE:
        p.out += 'no next header';
        return;
      case IPPROTO.SCTP:
      case IPPROTO.DCCP:
        // Not ported; these printers write the addresses themselves.
        if (p.u8(ip6Off + 6) === nh) p.out += addrs(p, ip6Off) + ':';
        p.out += ` ip-proto-${nh} ${length}`;
        return;
      default:
        p.out += ` ip-proto-${nh} ${length}`;
        return;
    }
  }
}

/**
 * ip6_print: the IPv6 packet at `off`; `length` is its length on the wire
 * (what the link layer says is left), `p.snapend` the end of what was captured.
 */
export function ip6Print(p: Printer, off: number, length: number): void {
  p.protocol = 'ip6';
  p.need(off, 40);
  if (length < 40) {
    p.out += `truncated-ip6 ${length}`;
    return;
  }
  if (!p.eflag) p.out += 'IP6 ';
  const buf = p.buf;
  const version = buf[off]! >> 4;
  if (version !== 6) {
    p.out += `version error: ${version} != 6`;
    return;
  }
  let payloadLen = (buf[off + 4]! << 8) | buf[off + 5]!;
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) p.out += `truncated-ip6 - ${len - length} bytes missing!`;
  } else len = length + 40;

  let ph = 255;
  let nh = buf[off + 6]!;
  if (p.vflag) {
    const flow = buf.readUInt32BE(off);
    p.out += '(';
    if (flow & 0x0ff00000) p.out += `class 0x${HEX2[(flow >>> 20) & 0xff]}, `;
    if (flow & 0x000fffff) p.out += `flowlabel 0x${hex(flow & 0x000fffff, 5)}, `;
    p.out += `hlim ${buf[off + 7]}, next-header ${tok2str(ipprotoNames, nh, unknownName)} (${nh}) payload length: ${payloadLen}) `;
  }

  // Cut the captured end to the end of the IPv6 payload.
  const savedSnapend = p.snapend;
  if (len <= p.snapend - off) p.snapend = off + len;

  let cp = off;
  let advance = 40;
  let totalAdvance = 0;
  let foundExtension = false;
  let foundHbh = false;
  let fragmented = false;
  jumbo.found = false;
  while (cp < p.snapend && advance > 0) {
    if (len < advance) {
      p.protocol = 'ip6';
      throw TRUNCATED;
    }
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === off + 40 && nh !== IPPROTO.TCP && nh !== IPPROTO.UDP && nh !== IPPROTO.DCCP && nh !== IPPROTO.SCTP) {
      p.out += addrs(p, off) + ': ';
    }
    switch (nh) {
      case IPPROTO.HOPOPTS: {
        if (foundHbh) {
          p.out += '[The Hop-by-Hop Options header was already found]';
          p.printInvalid();
          p.snapend = savedSnapend;
          return;
        }
        if (ph !== 255) {
          p.out += "[The Hop-by-Hop Options header don't follow the IPv6 header]";
          p.printInvalid();
          p.snapend = savedSnapend;
          return;
        }
        jumbo.payloadLen = payloadLen;
        jumbo.found = false;
        advance = optionsHeaderPrint(p, cp, true);
        payloadLen = jumbo.payloadLen;
        if (payloadLen === 0 && !jumbo.found) {
          p.out += '[No valid Jumbo Payload Hop-by-Hop option found]';
          p.printInvalid();
          p.snapend = savedSnapend;
          return;
        }
        if (advance < 0) {
          p.snapend = savedSnapend;
          return;
        }
        foundExtension = true;
        foundHbh = true;
        nh = p.u8(cp);
        break;
      }
      case IPPROTO.DSTOPTS:
        advance = optionsHeaderPrint(p, cp, false);
        if (advance < 0) {
          p.snapend = savedSnapend;
          return;
        }
        foundExtension = true;
        nh = p.u8(cp);
        break;
      case IPPROTO.FRAGMENT:
        advance = frag6Print(p, cp, off);
        if (advance < 0 || p.snapend <= cp + advance) {
          p.snapend = savedSnapend;
          return;
        }
        foundExtension = true;
        nh = p.u8(cp);
        fragmented = true;
        break;
      case IPPROTO.ROUTING:
        p.need(cp, 1);
        advance = rt6Print(p, cp);
        if (advance < 0) {
          p.snapend = savedSnapend;
          return;
        }
        foundExtension = true;
        nh = p.u8(cp);
        break;
      case IPPROTO.MOBILITY_OLD:
      case IPPROTO.MOBILITY:
        // tcpdump prints the mobility header and stops there.
        mobilityPrint(p, cp);
        p.snapend = savedSnapend;
        return;
      default: {
        const demuxFound = jumbo.found;
        if (demuxFound) {
          len = (payloadLen + 40) >>> 0;
          if (len < totalAdvance) {
            p.protocol = 'ip6';
            throw TRUNCATED;
          }
          if (length < len) p.out += `truncated-ip6 - ${(len - length) >>> 0} bytes missing!`;
          if (len <= p.snapend - off) p.snapend = off + len;
          len -= totalAdvance;
        } else if (payloadLen === 0) {
          if (foundExtension) {
            p.protocol = 'ip6';
            throw TRUNCATED;
          }
          len = 40;
          if (len <= p.snapend - off) p.snapend = off + len;
          len -= totalAdvance;
        }
        demuxPrint(p, cp, len, fragmented, nh, off);
        p.snapend = savedSnapend;
        return;
      }
    }
    ph = nh;
    p.protocol = 'ip6';
  }
  p.snapend = savedSnapend;
}
