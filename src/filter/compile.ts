/**
 * Filter AST -> predicate. Compiled once into nested closures; a call reads
 * only the numbers and offsets FrameView already decoded (plus bounds-checked
 * bytes for `proto[...]` loads and IPv4/IPv6 header addresses), allocates
 * nothing and builds no strings.
 *
 * Arithmetic closures return an unsigned 32-bit value, or -1 when a load is
 * out of range (or the protocol is absent, or a divisor is 0): the comparison
 * holding it is then false.
 */
import { type FrameView, LINKTYPE, MAX_VLAN_DEPTH, NetKind, isVlanTpid } from '../decode/frame.js';
import type { ArpView } from '../decode/arp.js';
import { DecodeStatus } from '../decode/status.js';
import { applyRel, type ArithNode, type ArithOp, type Dir, type FilterNode, type LoadProto, type RelOp } from './parser.js';

export type FramePredicate = (f: FrameView) => boolean;
type ArithFn = (f: FrameView) => number;

const IPPROTO_FRAGMENT = 44;
const BROADCAST_MAC = 0xffffffffffff;

const always: FramePredicate = () => true;
const never: FramePredicate = () => false;

const DIR_SRC = 0;
const DIR_DST = 1;
const DIR_EITHER = 2;
const DIR_BOTH = 3;
function dirCode(d: Dir): number {
  return d === 'src' ? DIR_SRC : d === 'dst' ? DIR_DST : d === 'either' ? DIR_EITHER : DIR_BOTH;
}

/** ARP with a whole body and 4-byte IPv4 protocol addresses (ArpView has spa/tpa then). */
function arpHasIPv4(a: ArpView): boolean {
  return a.status === DecodeStatus.Ok && a.pln === 4 && (a.pro === 0x0800 || a.pro === 0x1000);
}

/** The first `full` bytes equal and the next byte equal under `lastMask` (0: none). */
function match6(buf: Buffer, o: number, addr: Buffer, full: number, lastMask: number): boolean {
  for (let i = 0; i < full; i++) if (buf[o + i] !== addr[i]) return false;
  return lastMask === 0 || (buf[o + full]! & lastMask) === addr[full];
}

export function compileNode(n: FilterNode): FramePredicate {
  switch (n.kind) {
    case 'const':
      return n.value ? always : never;
    case 'and': {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      if (a === never || b === never) return never;
      if (a === always) return b;
      if (b === always) return a;
      return (f) => a(f) && b(f);
    }
    case 'or': {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      if (a === always || b === always) return always;
      if (a === never) return b;
      if (b === never) return a;
      return (f) => a(f) || b(f);
    }
    case 'not': {
      const a = compileNode(n.operand);
      if (a === always) return never;
      if (a === never) return always;
      return (f) => !a(f);
    }
    case 'proto':
      switch (n.proto) {
        case 'arp': return (f) => f.net === NetKind.Arp;
        case 'rarp': return (f) => f.net === NetKind.Rarp;
        case 'ip': return (f) => f.net === NetKind.IPv4;
        case 'ip6': return (f) => f.net === NetKind.IPv6;
        case 'icmp6': return ip6Proto(58);
      }
      break;
    case 'ethertype': {
      const v = n.value;
      if (!isVlanTpid(v)) return (f) => f.ethertype === v;
      return (f) => {
        const d = f.vlanDepth < MAX_VLAN_DEPTH ? f.vlanDepth : MAX_VLAN_DEPTH;
        for (let i = 0; i < d; i++) if (f.vlanTpids[i] === v) return true;
        return false;
      };
    }
    case 'ipproto': {
      const ip = ipProto(n.value);
      const ip6 = ip6Proto(n.value);
      if (n.family === 'ip') return ip;
      if (n.family === 'ip6') return ip6;
      return (f) => ip(f) || ip6(f);
    }
    case 'vlan': {
      const id = n.id;
      if (id === null) return (f) => f.vlanDepth > 0;
      return (f) => {
        const d = f.vlanDepth < MAX_VLAN_DEPTH ? f.vlanDepth : MAX_VLAN_DEPTH;
        for (let i = 0; i < d; i++) if (f.vlanIds[i] === id) return true;
        return false;
      };
    }
    case 'host4':
      return host4(n.over, dirCode(n.dir), n.addr, n.mask);
    case 'host6':
      return host6(dirCode(n.dir), Buffer.from(n.addr), n.prefix);
    case 'ether': {
      const mac = n.mac;
      switch (dirCode(n.dir)) {
        case DIR_SRC: return (f) => f.srcMac === mac;
        case DIR_DST: return (f) => f.dstMac === mac;
        case DIR_EITHER: return (f) => f.srcMac === mac || f.dstMac === mac;
        default: return (f) => f.srcMac === mac && f.dstMac === mac;
      }
    }
    case 'ether-broadcast':
      return (f) => f.dstMac === BROADCAST_MAC;
    case 'ether-multicast':
      return (f) => f.dstMacOff >= 0 && (f.buf[f.dstMacOff]! & 1) === 1;
    case 'ip-broadcast':
      return (f) => {
        if (f.net !== NetKind.IPv4 || f.netOff + 20 > f.end) return false;
        const d = f.buf.readUInt32BE(f.netOff + 16);
        return d === 0xffffffff || d === 0;
      };
    case 'ip-multicast':
      return (f) => f.net === NetKind.IPv4 && f.netOff + 17 <= f.end && f.buf[f.netOff + 16]! >= 224;
    case 'ip6-multicast':
      return (f) => f.net === NetKind.IPv6 && f.netOff + 25 <= f.end && f.buf[f.netOff + 24] === 0xff;
    case 'relation':
      return relation(n.op, n.left, n.right);
  }
  throw new Error(`filter: internal error: unknown node ${(n as { kind: string }).kind}`);
}

function ipProto(v: number): FramePredicate {
  return (f) => f.net === NetKind.IPv4 && f.netOff + 10 <= f.end && f.buf[f.netOff + 9] === v;
}

/** libpcap's `ip6 proto N`: the next header, or the one after a fragment header. */
function ip6Proto(v: number): FramePredicate {
  return (f) => {
    if (f.net !== NetKind.IPv6) return false;
    const o = f.netOff;
    if (o + 7 > f.end) return false;
    const nh = f.buf[o + 6];
    return nh === v || (nh === IPPROTO_FRAGMENT && o + 41 <= f.end && f.buf[o + 40] === v);
  };
}

function host4(over: 'ip' | 'arp' | 'rarp' | 'any', dir: number, addr: number, mask: number): FramePredicate {
  const useIp = over === 'ip' || over === 'any';
  const useArp = over === 'arp' || over === 'any';
  const useRarp = over === 'rarp' || over === 'any';
  // Compared as int32 on both sides: (x & m) is an int32.
  const m = mask | 0;
  const a = addr | 0;
  return (f) => {
    const net = f.net;
    let src: number;
    let dst: number;
    if (net === NetKind.IPv4) {
      if (!useIp) return false;
      const o = f.netOff;
      src = o + 16 <= f.end ? f.buf.readUInt32BE(o + 12) : -1;
      dst = o + 20 <= f.end ? f.buf.readUInt32BE(o + 16) : -1;
    } else if ((net === NetKind.Arp && useArp) || (net === NetKind.Rarp && useRarp)) {
      const arp = f.arp;
      if (!arpHasIPv4(arp)) return false;
      src = arp.spa;
      dst = arp.tpa;
    } else {
      return false;
    }
    switch (dir) {
      case DIR_SRC: return src >= 0 && (src & m) === a;
      case DIR_DST: return dst >= 0 && (dst & m) === a;
      case DIR_EITHER: return (src >= 0 && (src & m) === a) || (dst >= 0 && (dst & m) === a);
      default: return src >= 0 && (src & m) === a && dst >= 0 && (dst & m) === a;
    }
  };
}

function host6(dir: number, addr: Buffer, prefix: number): FramePredicate {
  const full = prefix >> 3;
  const rem = prefix & 7;
  const lastMask = rem === 0 ? 0 : (0xff << (8 - rem)) & 0xff;
  return (f) => {
    if (f.net !== NetKind.IPv6) return false;
    const o = f.netOff;
    const end = f.end;
    const buf = f.buf;
    switch (dir) {
      case DIR_SRC: return o + 24 <= end && match6(buf, o + 8, addr, full, lastMask);
      case DIR_DST: return o + 40 <= end && match6(buf, o + 24, addr, full, lastMask);
      case DIR_EITHER:
        return (o + 24 <= end && match6(buf, o + 8, addr, full, lastMask)) ||
          (o + 40 <= end && match6(buf, o + 24, addr, full, lastMask));
      default:
        return o + 40 <= end && match6(buf, o + 8, addr, full, lastMask) && match6(buf, o + 24, addr, full, lastMask);
    }
  };
}

// ---- arithmetic -------------------------------------------------------------

/** Offset of the header `proto[...]` counts from, or -1 when the frame has none. */
function baseFn(proto: LoadProto): ArithFn {
  switch (proto) {
    case 'ether': return (f) => (f.linkType === LINKTYPE.ETHERNET ? f.off : -1);
    case 'arp': return (f) => (f.net === NetKind.Arp ? f.netOff : -1);
    case 'rarp': return (f) => (f.net === NetKind.Rarp ? f.netOff : -1);
    case 'ip': return (f) => (f.net === NetKind.IPv4 ? f.netOff : -1);
    case 'ip6': return (f) => (f.net === NetKind.IPv6 ? f.netOff : -1);
    case 'icmp6':
      return (f) => {
        if (f.net !== NetKind.IPv6) return -1;
        const o = f.netOff;
        return o + 7 <= f.end && f.buf[o + 6] === 58 ? o + 40 : -1;
      };
  }
}

function load(proto: LoadProto, index: ArithNode, size: 1 | 2 | 4): ArithFn {
  const base = baseFn(proto);
  if (index.kind === 'num') {
    const k = index.value;
    switch (size) {
      case 1: return (f) => {
        const b = base(f);
        if (b < 0) return -1;
        const o = b + k;
        return o + 1 <= f.end ? f.buf[o]! : -1;
      };
      case 2: return (f) => {
        const b = base(f);
        if (b < 0) return -1;
        const o = b + k;
        return o + 2 <= f.end ? (f.buf[o]! << 8) | f.buf[o + 1]! : -1;
      };
      case 4: return (f) => {
        const b = base(f);
        if (b < 0) return -1;
        const o = b + k;
        return o + 4 <= f.end ? f.buf.readUInt32BE(o) : -1;
      };
    }
  }
  const ix = arith(index);
  return (f) => {
    const b = base(f);
    if (b < 0) return -1;
    const x = ix(f);
    if (x < 0) return -1;
    const o = b + x;
    if (o + size > f.end) return -1;
    const buf = f.buf;
    return size === 1 ? buf[o]! : size === 2 ? (buf[o]! << 8) | buf[o + 1]! : buf.readUInt32BE(o);
  };
}

function binary(op: ArithOp, l: ArithFn, r: ArithFn): ArithFn {
  switch (op) {
    case '+': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : (a + b) >>> 0; };
    case '-': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : (a - b) >>> 0; };
    case '*': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : Math.imul(a, b) >>> 0; };
    case '/': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b <= 0 ? -1 : Math.floor(a / b); };
    case '%': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b <= 0 ? -1 : a % b; };
    case '&': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : (a & b) >>> 0; };
    case '|': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : (a | b) >>> 0; };
    case '^': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : (a ^ b) >>> 0; };
    case '<<': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : b > 31 ? 0 : (a << b) >>> 0; };
    case '>>': return (f) => { const a = l(f); if (a < 0) return -1; const b = r(f); return b < 0 ? -1 : b > 31 ? 0 : a >>> b; };
  }
}

function arith(a: ArithNode): ArithFn {
  switch (a.kind) {
    case 'num': { const v = a.value; return () => v; }
    case 'len': return (f) => f.wireLen;
    case 'load': return load(a.proto, a.index, a.size);
    case 'binary': return binary(a.op, arith(a.left), arith(a.right));
    case 'neg': { const x = arith(a.operand); return (f) => { const v = x(f); return v < 0 ? -1 : (-v) >>> 0; }; }
  }
}

const FLIP: Readonly<Record<RelOp, RelOp>> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function relation(op: RelOp, left: ArithNode, right: ArithNode): FramePredicate {
  if (left.kind === 'num' && right.kind === 'num') return applyRel(op, left.value, right.value) ? always : never;
  if (left.kind === 'num') return relation(FLIP[op], right, left);
  const l = arith(left);
  if (right.kind === 'num') {
    // l(f) is -1 when rejected; k >= 0, so '=', '>' and '>=' need no separate check.
    const k = right.value;
    switch (op) {
      case '=': return (f) => l(f) === k;
      case '!=': return (f) => { const v = l(f); return v >= 0 && v !== k; };
      case '<': return (f) => { const v = l(f); return v >= 0 && v < k; };
      case '<=': return (f) => { const v = l(f); return v >= 0 && v <= k; };
      case '>': return (f) => l(f) > k;
      case '>=': return (f) => l(f) >= k;
    }
  }
  const r = arith(right);
  switch (op) {
    case '=': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a === b; };
    case '!=': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a !== b; };
    case '<': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a < b; };
    case '<=': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a <= b; };
    case '>': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a > b; };
    case '>=': return (f) => { const a = l(f); if (a < 0) return false; const b = r(f); return b >= 0 && a >= b; };
  }
}
