/**
 * ARP / RARP / InARP / ATMARP printing, as tcpdump 4.99.3's print-arp.c.
 *
 * The whole variable tail is checked once, before anything is printed, so a
 * truncated header prints ` [|arp]` and never half a line. Wrong protocol
 * types or lengths print inline (`<wrong len>`) and carry on.
 */
import { formatHexBytes, formatIPv4At, ipv4TextAt, macTextAt } from './addr.js';
import type { Printer } from './context.js';
import { defaultPrint } from './hexdump.js';
import { arphrdNames, arpopNames, ethertypeNames, hex4, tok2str } from './names.js';

const ARPHRD_FRELAY = 15;
const ARPHRD_ATM2225 = 19;

const unknownHardware = (v: number): string => `Unknown Hardware (${v})`;
const unknownProtocol = (v: number): string => `Unknown Protocol (0x${hex4(v)})`;
const unknownOp = (v: number): string => `Unknown (${v})`;

function isIPv4Pro(pro: number): boolean {
  return pro === 0x0800 || pro === 0x1000;
}

/** Q.922 (Frame Relay) address text used for FR hardware addresses. */
function q922String(buf: Buffer, off: number, length: number, snapend: number): string {
  const ok1 = (o: number): boolean => o < snapend;
  if (!ok1(off) || length < 1) return '<Truncated>';
  if ((buf[off]! & 1) !== 0) return '<Invalid DLCI>';
  if (!ok1(off + 1) || length < 2) return '<Truncated>';
  let dlci = ((buf[off]! & 0xfc) << 2) | ((buf[off + 1]! & 0xf0) >> 4);
  if ((buf[off + 1]! & 1) !== 0) return `DLCI ${dlci}`;
  let q = off + 2;
  let len = length - 2;
  if (!ok1(q) || len < 1) return '<Truncated>';
  if ((buf[q]! & 1) === 0) {
    dlci = (dlci << 7) | (buf[q]! >> 1);
    q++;
    len--;
  }
  if (!ok1(q) || len < 1) return '<Truncated>';
  if ((buf[q]! & 1) === 0) return '<Invalid DLCI>';
  dlci = (dlci << 6) | (buf[q]! >> 2);
  return `DLCI ${dlci >>> 0}`;
}

function linkaddrString(p: Printer, off: number, len: number, frelay: boolean): string {
  if (len === 0) return '<empty>';
  if (!frelay && len === 6) return macTextAt(p.buf, off);
  if (frelay) return q922String(p.buf, off, len, p.snapend);
  return formatHexBytes(p.buf, off, len);
}

function ipaddr(p: Printer, pro: number, pln: number, off: number): string {
  if (!isIPv4Pro(pro)) return '<wrong proto type>';
  if (pln !== 4) return '<wrong len>';
  return ipv4TextAt(p.buf, off);
}

/** arp_print: `length` is the wire length of the ARP payload, `caplen` what was captured of it. */
export function arpPrint(p: Printer, off: number, length: number, caplen: number): void {
  p.protocol = 'arp';
  if (!p.has(off, 8)) {
    p.printTrunc();
    return;
  }
  const buf = p.buf;
  const hrd = (buf[off]! << 8) | buf[off + 1]!;
  const pro = (buf[off + 2]! << 8) | buf[off + 3]!;
  const op = (buf[off + 6]! << 8) | buf[off + 7]!;
  if (hrd === ARPHRD_ATM2225) {
    atmarpPrint(p, off, length, caplen);
    return;
  }
  const frelay = hrd === ARPHRD_FRELAY;
  const hln = buf[off + 4]!;
  const pln = buf[off + 5]!;
  const sha = off + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  if (!p.has(tpa, pln)) {
    p.printTrunc();
    return;
  }
  if (!p.eflag) p.out += 'ARP, ';

  if (!isIPv4Pro(pro) || pln !== 4 || hln === 0 || p.vflag > 0) {
    p.out +=
      tok2str(arphrdNames, hrd, unknownHardware) + ` (len ${hln}), ` +
      tok2str(ethertypeNames, pro, unknownProtocol) + ` (len ${pln})`;
    if (p.vflag === 0) {
      p.out += `, length ${length}`;
      return;
    }
  }
  p.out += (p.vflag > 0 ? ', ' : '') + tok2str(arpopNames, op, unknownOp) + ' ';

  switch (op) {
    case 1: // request
      p.out += 'who-has ' + ipaddr(p, pro, pln, tpa);
      if (isNonZero(buf, tha, hln)) p.out += ' (' + linkaddrString(p, tha, hln, frelay) + ')';
      p.out += ' tell ' + ipaddr(p, pro, pln, spa);
      break;
    case 2: // reply
      p.out += ipaddr(p, pro, pln, spa) + ' is-at ' + linkaddrString(p, sha, hln, frelay);
      break;
    case 3: // reverse request
    case 8: // inverse request
      p.out += 'who-is ' + linkaddrString(p, tha, hln, frelay) + ' tell ' + linkaddrString(p, sha, hln, frelay);
      break;
    case 4: // reverse reply
      p.out += linkaddrString(p, tha, hln, frelay) + ' at ' + ipaddr(p, pro, pln, tpa);
      break;
    case 9: // inverse reply
      p.out += linkaddrString(p, sha, hln, frelay) + ' at ' + ipaddr(p, pro, pln, spa);
      break;
    default:
      defaultPrint(p, off, caplen);
      return;
  }
  p.out += `, length ${length}`;
}

function isNonZero(buf: Buffer, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[off + i] !== 0) return true;
  return false;
}

/** RFC 2225 ATM ARP: type/length octets instead of plain lengths, number + subaddress. */
function atmarpPrint(p: Printer, off: number, length: number, caplen: number): void {
  if (!p.has(off, 12)) {
    p.printTrunc();
    return;
  }
  const buf = p.buf;
  const hrd = (buf[off]! << 8) | buf[off + 1]!;
  const pro = (buf[off + 2]! << 8) | buf[off + 3]!;
  const shtl = buf[off + 4]! & 0x3f;
  const sstl = buf[off + 5]! & 0x3f;
  const op = (buf[off + 6]! << 8) | buf[off + 7]!;
  const spln = buf[off + 8]!;
  const thtl = buf[off + 9]! & 0x3f;
  const tstl = buf[off + 10]! & 0x3f;
  const tpln = buf[off + 11]!;
  const sha = off + 12;
  const ssa = sha + shtl;
  const spa = ssa + sstl;
  const tha = spa + spln;
  const tsa = tha + thtl;
  const tpa = tsa + tstl;
  if (!p.has(tpa, tpln)) {
    p.printTrunc();
    return;
  }
  if (!p.eflag) p.out += 'ARP, ';
  if (!isIPv4Pro(pro) || spln !== 4 || tpln !== 4 || p.vflag > 0) {
    p.out +=
      tok2str(arphrdNames, hrd, unknownHardware) + ', ' +
      tok2str(ethertypeNames, pro, unknownProtocol) + ` (len ${spln}/${tpln})`;
    if (p.vflag === 0) {
      p.out += `, length ${length}`;
      return;
    }
  }
  p.out += (p.vflag > 0 ? ', ' : '') + tok2str(arpopNames, op, unknownOp) + ' ';
  const atmAddr = (ha: number, haLen: number, sa: number, saLen: number): string => {
    if (haLen === 0) return '<No address>';
    let s = formatHexBytes(buf, ha, haLen);
    if (saLen !== 0) s += ',' + formatHexBytes(buf, sa, saLen);
    return s;
  };
  const atmIp = (a: number, len: number, what: string): string => {
    if (!isIPv4Pro(pro)) return '<wrong proto type>';
    if (len !== 4) return `<wrong ${what}>`;
    return formatIPv4At(buf, a);
  };
  switch (op) {
    case 1:
      p.out += 'who-has ' + atmIp(tpa, tpln, 'tplen');
      if (thtl !== 0) p.out += ' (' + atmAddr(tha, thtl, tsa, tstl) + ')';
      p.out += ' tell ' + atmIp(spa, spln, 'splen');
      break;
    case 2:
      p.out += atmIp(spa, spln, 'splen') + ' is-at ' + atmAddr(sha, shtl, ssa, sstl);
      break;
    case 8:
      p.out += 'who-is ' + atmAddr(tha, thtl, tsa, tstl) + ' tell ' + atmAddr(sha, shtl, ssa, sstl);
      break;
    case 9:
      p.out += atmAddr(sha, shtl, ssa, sstl) + 'at ' + atmIp(spa, spln, 'splen');
      break;
    case 10:
      p.out += 'for ' + atmIp(spa, spln, 'splen');
      break;
    default:
      defaultPrint(p, off, caplen);
      return;
  }
  p.out += `, length ${length}`;
}
