/**
 * IEEE 802.11 (LINKTYPE_IEEE802_11, 105), radiotap (LINKTYPE_IEEE802_11_RADIOTAP,
 * 127), Prism (119) and AVS (163), as tcpdump 4.99.3 prints them
 * (print-802_11.c, cpack.c).
 *
 * Data frames hand their body to the LLC printer; management frames print
 * tcpdump's one-line summaries; control frames print their addresses.
 * Radiotap fields are printed even without -e, as tcpdump does; the 802.11
 * MAC header only with -e.
 *
 * Every loop is bounded by captured bytes: radiotap presence words by the
 * radiotap length (itself at most the captured length), information elements
 * by the frame body length.
 */
import { macTextAt } from './addr.js';
import type { Printer } from './context.js';
import { defaultPrint } from './hexdump.js';
import { registerLinkPrinter } from './link.js';
import { escapeChar, llcPrint } from './llc.js';

export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_PRISM_HEADER = 119;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_IEEE802_11_AVS = 163;

// Frame control
const T_MGMT = 0;
const T_CTRL = 1;
const T_DATA = 2;
const fcType = (fc: number): number => (fc >> 2) & 3;
const fcSubtype = (fc: number): number => (fc >> 4) & 0xf;
const FC_TO_DS = 0x0100;
const FC_FROM_DS = 0x0200;
const FC_MORE_FLAG = 0x0400;
const FC_RETRY = 0x0800;
const FC_POWER_MGMT = 0x1000;
const FC_MORE_DATA = 0x2000;
const FC_PROTECTED = 0x4000;
const FC_ORDER = 0x8000;

const MGMT_HDRLEN = 24;

const ST = {
  ASSOC_REQUEST: 0x0,
  ASSOC_RESPONSE: 0x1,
  REASSOC_REQUEST: 0x2,
  REASSOC_RESPONSE: 0x3,
  PROBE_REQUEST: 0x4,
  PROBE_RESPONSE: 0x5,
  BEACON: 0x8,
  ATIM: 0x9,
  DISASSOC: 0xa,
  AUTH: 0xb,
  DEAUTH: 0xc,
  ACTION: 0xd,
} as const;

const MGMT_SUBTYPE_NAMES: readonly (string | undefined)[] = [
  'Assoc Request', 'Assoc Response', 'ReAssoc Request', 'ReAssoc Response', 'Probe Request', 'Probe Response',
  undefined, undefined, 'Beacon', 'ATIM', 'Disassociation', 'Authentication', 'DeAuthentication', 'Action',
];

const CTRL = {
  CONTROL_WRAPPER: 0x7,
  BAR: 0x8,
  BA: 0x9,
  PS_POLL: 0xa,
  RTS: 0xb,
  CTS: 0xc,
  ACK: 0xd,
  CF_END: 0xe,
  END_ACK: 0xf,
} as const;

const CTRL_SUBTYPE_NAMES: readonly (string | undefined)[] = [
  undefined, undefined, undefined, undefined, undefined, undefined, undefined,
  'Control Wrapper', 'BAR', 'BA', 'Power Save-Poll', 'Request-To-Send', 'Clear-To-Send', 'Acknowledgment',
  'CF-End', 'CF-End+CF-Ack',
];

/** Control frame header lengths by subtype (0 = unknown subtype). */
const CTRL_HDRLEN: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 16, 20, 10, 16, 16, 10, 10, 16, 16];

const isCfAck = (st: number): boolean => (st & 1) !== 0;
const isCfPoll = (st: number): boolean => (st & 2) !== 0;
const isNullData = (st: number): boolean => (st & 4) !== 0;
const isQos = (st: number): boolean => (st & 8) !== 0;

const CAP_ESS = 0x0001;
const CAP_PRIVACY = 0x0010;

const AUTH_ALG_TEXT: readonly string[] = ['Open System', 'Shared Key', 'EAP'];

const hex = (v: number): string => v.toString(16);

function mac(p: Printer, off: number): string {
  p.need(off, 6);
  return macTextAt(p.buf, off);
}

/** wep_print: false when the IV and key id were not captured. */
function wepPrint(p: Printer, off: number): boolean {
  if (!p.has(off, 4)) return false;
  const iv = p.u32le(off);
  p.out += ' IV:' + hex(iv & 0xffffff).padStart(3) + ' Pad ' + hex((iv >>> 24) & 0x3f) + ' KeyID ' + hex((iv >>> 30) & 3);
  return true;
}

/**
 * What parse_elements keeps of a management frame body: the first SSID,
 * non-empty rates, DS parameter set. One reused object.
 */
class MgmtBody {
  capabilityInfo = 0;
  ssidOff = -1;
  ssidLen = 0;
  ratesOff = -1;
  ratesLen = 0;
  dsChannel = -1;

  reset(): void {
    this.capabilityInfo = 0;
    this.ssidOff = this.ratesOff = this.dsChannel = -1;
    this.ssidLen = this.ratesLen = 0;
  }
}
const body = new MgmtBody();

/**
 * parse_elements: walks the information elements from `off` for `length`
 * bytes. False when an element is truncated (captured or wire length) or
 * oversized for tcpdump's fixed buffers.
 */
function parseElements(p: Printer, off: number, length: number): boolean {
  while (length > 0) {
    if (!p.has(off, 2) || length < 2) return false;
    const id = p.buf[off]!;
    const elen = p.buf[off + 1]!;
    if (!p.has(off + 2, elen) || length < elen + 2) return false;
    switch (id) {
      case 0: // SSID
        if (elen > 32) return false;
        if (body.ssidOff < 0) {
          body.ssidOff = off + 2;
          body.ssidLen = elen;
        }
        break;
      case 16: // challenge text
        if (elen > 253) return false;
        break;
      case 1: // supported rates
        if (elen > 16) return false;
        if (body.ratesOff < 0 && elen !== 0) {
          body.ratesOff = off + 2;
          body.ratesLen = elen;
        }
        break;
      case 3: // DS parameter set
        if (elen === 1 && body.dsChannel < 0) body.dsChannel = p.buf[off + 2]!;
        break;
      case 5: // TIM
        if (elen > 3 && elen - 3 > 251) return false;
        break;
      default:
        break;
    }
    off += 2 + elen;
    length -= 2 + elen;
  }
  return true;
}

/** PRINT_SSID: " (name)", stopping at a NUL like fn_print_str. */
function printSsid(p: Printer): void {
  if (body.ssidOff < 0) return;
  let s = ' (';
  for (let i = 0; i < body.ssidLen; i++) {
    const c = p.buf[body.ssidOff + i]!;
    if (c === 0) break;
    s += escapeChar(c);
  }
  p.out += s + ')';
}

/** PRINT_RATES: " [1.0* 2.0* 5.5 11.0 Mbit]" */
function printRates(p: Printer): void {
  if (body.ratesOff < 0) return;
  let s = '';
  for (let i = 0; i < body.ratesLen; i++) {
    const r = p.buf[body.ratesOff + i]!;
    s += (i === 0 ? ' [' : ' ') + ((r & 0x7f) * 0.5).toFixed(1) + ((r & 0x80) !== 0 ? '*' : '');
  }
  p.out += s + ' Mbit]';
}

/** PRINT_DS_CHANNEL */
function printDsChannel(p: Printer): void {
  if (body.dsChannel >= 0) p.out += ' CH: ' + body.dsChannel;
  if ((body.capabilityInfo & CAP_PRIVACY) !== 0) p.out += ', PRIVACY';
}

function statusText(code: number): string {
  return code < STATUS_TEXT.length ? STATUS_TEXT[code]! : 'n/a';
}
function reasonText(code: number): string {
  return code < REASON_TEXT.length ? REASON_TEXT[code]! : 'Reserved';
}

/** Beacon and probe response share this layout: timestamp, interval, capabilities. */
function beaconLike(p: Printer, off: number, length: number, beacon: boolean): boolean {
  if (!p.has(off, 12) || length < 12) return false;
  body.capabilityInfo = p.u16le(off + 10);
  const ret = parseElements(p, off + 12, length - 12);
  printSsid(p);
  printRates(p);
  if (beacon) p.out += (body.capabilityInfo & CAP_ESS) !== 0 ? ' ESS' : ' IBSS';
  printDsChannel(p);
  return ret;
}

function assocResponse(p: Printer, off: number, length: number): boolean {
  if (!p.has(off, 6) || length < 6) return false;
  body.capabilityInfo = p.u16le(off);
  const status = p.u16le(off + 2);
  const aid = p.u16le(off + 4);
  const ret = parseElements(p, off + 6, length - 6);
  p.out +=
    ' AID(' + hex(aid & 0x3fff) + ') :' + ((body.capabilityInfo & CAP_PRIVACY) !== 0 ? ' PRIVACY ' : '') + ': ' +
    statusText(status);
  return ret;
}

function authPrint(p: Printer, off: number, length: number): boolean {
  if (!p.has(off, 6) || length < 6) return false;
  const alg = p.u16le(off);
  const seq = p.u16le(off + 2);
  const status = p.u16le(off + 4);
  const ret = parseElements(p, off + 6, length - 6);
  const algText = alg < AUTH_ALG_TEXT.length ? AUTH_ALG_TEXT[alg]! : 'Reserved';
  const st = seq % 2 !== 0 ? statusText(status) : '';
  if (alg === 1 && (seq === 2 || seq === 3)) p.out += ' (' + algText + ')-' + hex(seq) + ' [Challenge Text] ' + st;
  else p.out += ' (' + algText + ')-' + hex(seq) + ': ' + st;
  return ret;
}

const MESH_ACTIONS: readonly string[] = [
  'MeshLink', 'HWMP', 'Gate Announcement', 'Congestion Control', 'MCCA Setup Request', 'MCCA Setup Reply',
  'MCCA Advertisement Request', 'MCCA Advertisement', 'MCCA Teardown', 'TBTT Adjustment Request',
  'TBTT Adjustment Response',
];

function actName(names: readonly (string | undefined)[], v: number): string {
  return (v < names.length ? names[v] : undefined) ?? 'Act#' + v;
}

function actionPrint(p: Printer, srcOff: number, off: number, length: number): boolean {
  if (!p.has(off, 2) || length < 2) return false;
  p.out += p.eflag ? ': ' : ' (' + mac(p, srcOff) + '): ';
  const cat = p.u8(off);
  const act = p.u8(off + 1);
  switch (cat) {
    case 0: p.out += 'Spectrum Management Act#' + act; break;
    case 1: p.out += 'QoS Act#' + act; break;
    case 2: p.out += 'DLS Act#' + act; break;
    case 3: p.out += 'BA ' + actName(['ADDBA Request', 'ADDBA Response', 'DELBA'], act); break;
    case 7: p.out += 'HT ' + actName(['TxChWidth', 'MIMOPwrSave'], act); break;
    case 13: p.out += 'MeshAction ' + actName(MESH_ACTIONS, act); break;
    case 14: p.out += 'MultiohopAction ' + actName(['Proxy Update', 'Proxy Update Confirmation'], act); break;
    case 15:
      p.out += 'SelfprotectAction ' +
        actName([undefined, 'Peering Open', 'Peering Confirm', 'Peering Close', 'Group Key Inform', 'Group Key Acknowledge'], act);
      break;
    case 127: p.out += 'Vendor Act#' + act; break;
    default: p.out += 'Reserved(' + cat + ') Act#' + act; break;
  }
  return true;
}

/** mgmt_body_print: false when truncated. */
function mgmtBodyPrint(p: Printer, fc: number, srcOff: number, off: number, length: number): boolean {
  const st = fcSubtype(fc);
  p.out += MGMT_SUBTYPE_NAMES[st] ?? 'Unhandled Management subtype(' + hex(st) + ')';
  if ((fc & FC_PROTECTED) !== 0) return wepPrint(p, off);
  body.reset();
  switch (st) {
    case ST.ASSOC_REQUEST: {
      if (!p.has(off, 4) || length < 4) return false;
      body.capabilityInfo = p.u16le(off);
      const ret = parseElements(p, off + 4, length - 4);
      printSsid(p);
      printRates(p);
      return ret;
    }
    case ST.ASSOC_RESPONSE:
    case ST.REASSOC_RESPONSE:
      return assocResponse(p, off, length);
    case ST.REASSOC_REQUEST: {
      if (!p.has(off, 10) || length < 10) return false;
      body.capabilityInfo = p.u16le(off);
      const ret = parseElements(p, off + 10, length - 10);
      printSsid(p);
      p.out += ' AP : ' + macTextAt(p.buf, off + 4);
      return ret;
    }
    case ST.PROBE_REQUEST: {
      const ret = parseElements(p, off, length);
      printSsid(p);
      printRates(p);
      return ret;
    }
    case ST.PROBE_RESPONSE:
      return beaconLike(p, off, length, false);
    case ST.BEACON:
      return beaconLike(p, off, length, true);
    case ST.ATIM:
      return true;
    case ST.DISASSOC:
      if (!p.has(off, 2) || length < 2) return false;
      p.out += ': ' + reasonText(p.u16le(off));
      return true;
    case ST.AUTH:
      return authPrint(p, off, length);
    case ST.DEAUTH: {
      if (!p.has(off, 2) || length < 2) return false;
      const reason = reasonText(p.u16le(off));
      p.out += p.eflag ? ': ' + reason : ' (' + mac(p, srcOff) + '): ' + reason;
      return true;
    }
    case ST.ACTION:
      return actionPrint(p, srcOff, off, length);
    default:
      return true;
  }
}

/** ctrl_body_print (`h` is the frame start): false when truncated. */
function ctrlBodyPrint(p: Printer, fc: number, h: number): boolean {
  const st = fcSubtype(fc);
  p.out += CTRL_SUBTYPE_NAMES[st] ?? 'Unknown Ctrl Subtype';
  const need = CTRL_HDRLEN[st]!;
  if (st !== CTRL.CONTROL_WRAPPER && need > 0 && !p.has(h, need)) return false;
  switch (st) {
    case CTRL.BAR:
      if (!p.eflag) {
        p.out += ' RA:' + mac(p, h + 4) + ' TA:' + mac(p, h + 10) + ' CTL(' + hex(p.u16le(h + 16)) + ') SEQ(' +
          p.u16le(h + 18) + ') ';
      }
      break;
    case CTRL.PS_POLL:
      p.out += ' AID(' + hex(p.u16le(h + 2)) + ')';
      break;
    case CTRL.RTS:
      if (!p.eflag) p.out += ' TA:' + mac(p, h + 10) + ' ';
      break;
    case CTRL.BA:
    case CTRL.CTS:
    case CTRL.ACK:
    case CTRL.CF_END:
    case CTRL.END_ACK:
      if (!p.eflag) p.out += ' RA:' + mac(p, h + 4) + ' ';
      break;
    default:
      break;
  }
  return true;
}

/** data_header_print (-e) */
function dataHeaderPrint(p: Printer, fc: number, h: number): void {
  const st = fcSubtype(fc);
  if (isCfAck(st) || isCfPoll(st) || isQos(st)) {
    p.out += 'CF ';
    if (isCfAck(st)) p.out += isCfPoll(st) ? 'Ack/Poll' : 'Ack';
    else if (isCfPoll(st)) p.out += 'Poll';
    if (isQos(st)) p.out += '+QoS';
    p.out += ' ';
  }
  const a1 = mac(p, h + 4);
  const a2 = mac(p, h + 10);
  const a3 = mac(p, h + 16);
  switch (fc & (FC_TO_DS | FC_FROM_DS)) {
    case 0: p.out += 'DA:' + a1 + ' SA:' + a2 + ' BSSID:' + a3 + ' '; break;
    case FC_FROM_DS: p.out += 'DA:' + a1 + ' BSSID:' + a2 + ' SA:' + a3 + ' '; break;
    case FC_TO_DS: p.out += 'BSSID:' + a1 + ' SA:' + a2 + ' DA:' + a3 + ' '; break;
    default: p.out += 'RA:' + a1 + ' TA:' + a2 + ' DA:' + a3 + ' SA:' + mac(p, h + 24) + ' '; break;
  }
}

/** ctrl_header_print (-e) */
function ctrlHeaderPrint(p: Printer, fc: number, h: number): void {
  switch (fcSubtype(fc)) {
    case CTRL.BAR:
      p.out += ' RA:' + mac(p, h + 4) + ' TA:' + mac(p, h + 10) + ' CTL(' + hex(p.u16le(h + 16)) + ') SEQ(' +
        p.u16le(h + 18) + ') ';
      break;
    case CTRL.BA:
    case CTRL.CTS:
    case CTRL.ACK:
      p.out += 'RA:' + mac(p, h + 4) + ' ';
      break;
    case CTRL.PS_POLL:
      p.out += 'BSSID:' + mac(p, h + 4) + ' TA:' + mac(p, h + 10) + ' ';
      break;
    case CTRL.RTS:
      p.out += 'RA:' + mac(p, h + 4) + ' TA:' + mac(p, h + 10) + ' ';
      break;
    case CTRL.CF_END:
    case CTRL.END_ACK:
      p.out += 'RA:' + mac(p, h + 4) + ' BSSID:' + mac(p, h + 10) + ' ';
      break;
    default:
      break;
  }
}

/** ieee_802_11_hdr_print (-e; no mesh header: arpscope has no -H) */
function hdrPrint(p: Printer, fc: number, h: number): void {
  if (p.vflag > 0) {
    if ((fc & FC_MORE_DATA) !== 0) p.out += 'More Data ';
    if ((fc & FC_MORE_FLAG) !== 0) p.out += 'More Fragments ';
    if ((fc & FC_POWER_MGMT) !== 0) p.out += 'Pwr Mgmt ';
    if ((fc & FC_RETRY) !== 0) p.out += 'Retry ';
    if ((fc & FC_ORDER) !== 0) p.out += 'Strictly Ordered ';
    if ((fc & FC_PROTECTED) !== 0) p.out += 'Protected ';
    if (fcType(fc) !== T_CTRL || fcSubtype(fc) !== CTRL.PS_POLL) p.out += p.u16le(h + 2) + 'us ';
  }
  switch (fcType(fc)) {
    case T_MGMT:
      p.out += 'BSSID:' + mac(p, h + 16) + ' DA:' + mac(p, h + 4) + ' SA:' + mac(p, h + 10) + ' ';
      break;
    case T_CTRL:
      ctrlHeaderPrint(p, fc, h);
      break;
    case T_DATA:
      dataHeaderPrint(p, fc, h);
      break;
    default:
      break;
  }
}

/** extract_header_length: 0 (after printing why) for an unknown type or control subtype. */
function headerLength(p: Printer, fc: number): number {
  switch (fcType(fc)) {
    case T_MGMT:
      return MGMT_HDRLEN;
    case T_CTRL: {
      const len = CTRL_HDRLEN[fcSubtype(fc)]!;
      if (len === 0) p.out += 'unknown 802.11 ctrl frame subtype (' + fcSubtype(fc) + ')';
      return len;
    }
    case T_DATA:
      return ((fc & FC_TO_DS) !== 0 && (fc & FC_FROM_DS) !== 0 ? 30 : 24) + (isQos(fcSubtype(fc)) ? 2 : 0);
    default:
      p.out += 'unknown 802.11 frame type (' + fcType(fc) + ')';
      return 0;
  }
}

/**
 * Offsets of the source and destination addresses of a data frame:
 * SA/DA by the ToDS/FromDS bits (the 4-address form's SA is address 4).
 */
export function dataSrcDstOffsets(fc: number, h: number): { src: number; dst: number } {
  switch (fc & (FC_TO_DS | FC_FROM_DS)) {
    case 0: return { src: h + 10, dst: h + 4 };
    case FC_FROM_DS: return { src: h + 16, dst: h + 4 };
    case FC_TO_DS: return { src: h + 10, dst: h + 16 };
    default: return { src: h + 24, dst: h + 16 };
  }
}

/**
 * ieee802_11_print: the 802.11 frame at `off`. `pad`: the header is padded
 * to 4 bytes (Atheros); `fcslen`: bytes of FCS at the end. Returns the
 * header length.
 */
export function ieee80211Print(p: Printer, off: number, length: number, origCaplen: number, pad: boolean, fcslen: number): number {
  p.protocol = '802.11';
  let caplen = origCaplen;
  if (length < fcslen) {
    p.printTrunc();
    return caplen;
  }
  length -= fcslen;
  if (caplen > length) {
    // The FCS (or whatever exceeds the frame) is in the captured data: drop it.
    const extra = caplen - length;
    caplen -= extra;
    p.snapend -= extra;
  }
  if (caplen < 2) {
    p.printTrunc();
    return origCaplen;
  }
  const fc = p.u16le(off);
  let hdrlen = headerLength(p, fc);
  if (hdrlen === 0) return 0;
  if (pad) hdrlen = (hdrlen + 3) & ~3;
  if (caplen < hdrlen) {
    p.printTrunc();
    return hdrlen;
  }
  if (p.eflag) hdrPrint(p, fc, off);
  length -= hdrlen;
  caplen -= hdrlen;
  const q = off + hdrlen;
  switch (fcType(fc)) {
    case T_MGMT:
      if (!mgmtBodyPrint(p, fc, off + 10, q, length)) {
        p.printTrunc();
        return hdrlen;
      }
      break;
    case T_CTRL:
      if (!ctrlBodyPrint(p, fc, off)) {
        p.printTrunc();
        return hdrlen;
      }
      break;
    case T_DATA: {
      if (isNullData(fcSubtype(fc))) return hdrlen;
      if ((fc & FC_PROTECTED) !== 0) {
        p.out += 'Data';
        if (!wepPrint(p, q)) {
          p.printTrunc();
          return hdrlen;
        }
      } else {
        const a = dataSrcDstOffsets(fc, off);
        let llcLen = llcPrint(p, q, length, caplen, a.src, a.dst);
        if (llcLen < 0) {
          defaultPrint(p, q, caplen);
          llcLen = -llcLen;
        }
        hdrlen += llcLen;
      }
      break;
    }
    default:
      break;
  }
  return hdrlen;
}

// ---------------------------------------------------------------------------
// Radiotap

/**
 * cpack: little-endian reads aligned to the field size, measured from the
 * start of the radiotap header, never past the radiotap length.
 */
class Cpack {
  buf: Buffer = Buffer.alloc(0);
  base = 0;
  len = 0;
  next = 0;

  init(buf: Buffer, base: number, len: number): void {
    this.buf = buf;
    this.base = base;
    this.len = len;
    this.next = base;
  }
  /** Offset of the next `size`-aligned field, or -1 when it does not fit. */
  alignAndReserve(size: number): number {
    const mis = (this.next - this.base) % size;
    const at = mis === 0 ? this.next : this.next + (size - mis);
    return at - this.base + size > this.len ? -1 : at;
  }
  advance(n: number): boolean {
    if (this.next - this.base + n > this.len) return false;
    this.next += n;
    return true;
  }
  /** Unsigned field of 1, 2 or 4 bytes; -1 when it does not fit. */
  u(size: 1 | 2 | 4): number {
    if (size === 1) {
      if (this.next - this.base >= this.len) return -1;
      return this.buf[this.next++]!;
    }
    const at = this.alignAndReserve(size);
    if (at < 0) return -1;
    this.next = at + size;
    return size === 2 ? this.buf.readUInt16LE(at) : this.buf.readUInt32LE(at);
  }
  /** Signed byte; undefined when it does not fit. */
  s8(): number | undefined {
    if (this.next - this.base >= this.len) return undefined;
    return this.buf.readInt8(this.next++);
  }
  /** 64-bit unsigned as decimal text; undefined when it does not fit. */
  u64Text(): string | undefined {
    const at = this.alignAndReserve(8);
    if (at < 0) return undefined;
    this.next = at + 8;
    return this.buf.readBigUInt64LE(at).toString();
  }
}
const cpack = new Cpack();

const RT = {
  TSFT: 0,
  FLAGS: 1,
  RATE: 2,
  CHANNEL: 3,
  FHSS: 4,
  DBM_ANTSIGNAL: 5,
  DBM_ANTNOISE: 6,
  LOCK_QUALITY: 7,
  TX_ATTENUATION: 8,
  DB_TX_ATTENUATION: 9,
  DBM_TX_POWER: 10,
  ANTENNA: 11,
  DB_ANTSIGNAL: 12,
  DB_ANTNOISE: 13,
  RX_FLAGS: 14,
  XCHANNEL: 18,
  MCS: 19,
  AMPDU_STATUS: 20,
  VHT: 21,
  NAMESPACE: 29,
  VENDOR_NAMESPACE: 30,
  EXT: 31,
} as const;

const F_CFP = 0x01;
const F_SHORTPRE = 0x02;
const F_WEP = 0x04;
const F_FRAG = 0x08;
const F_FCS = 0x10;
const F_DATAPAD = 0x20;
const F_BADFCS = 0x40;

const CHAN_TURBO = 0x00010;
const CHAN_CCK = 0x00020;
const CHAN_OFDM = 0x00040;
const CHAN_2GHZ = 0x00080;
const CHAN_5GHZ = 0x00100;
const CHAN_DYN = 0x00400;
const CHAN_GFSK = 0x00800;
const CHAN_HALF = 0x04000;
const CHAN_QUARTER = 0x08000;
const CHAN_HT20 = 0x10000;
const CHAN_HT40U = 0x20000;
const CHAN_HT40D = 0x40000;

const all = (flags: number, mask: number): boolean => (flags & mask) === mask;

/** print_chaninfo */
function chanInfo(freq: number, flags: number, presentFlags: number): string {
  let s = freq + ' MHz';
  if ((presentFlags & (1 << RT.MCS)) !== 0) {
    s += ' 11n';
  } else {
    if (all(flags, CHAN_2GHZ | CHAN_GFSK)) s += ' FHSS';
    if (all(flags, CHAN_5GHZ | CHAN_OFDM)) {
      s += (flags & CHAN_HALF) !== 0 ? ' 11a/10Mhz' : (flags & CHAN_QUARTER) !== 0 ? ' 11a/5Mhz' : ' 11a';
    }
    if (all(flags, CHAN_2GHZ | CHAN_OFDM) || all(flags, CHAN_2GHZ | CHAN_DYN)) {
      s += (flags & CHAN_HALF) !== 0 ? ' 11g/10Mhz' : (flags & CHAN_QUARTER) !== 0 ? ' 11g/5Mhz' : ' 11g';
    } else if (all(flags, CHAN_2GHZ | CHAN_CCK)) {
      s += ' 11b';
    }
    if ((flags & CHAN_TURBO) !== 0) s += ' Turbo';
  }
  if ((flags & CHAN_HT20) !== 0) s += ' ht/20';
  else if ((flags & CHAN_HT40D) !== 0) s += ' ht/40-';
  else if ((flags & CHAN_HT40U) !== 0) s += ' ht/40+';
  return s + ' ';
}

const HT_BANDWIDTH: readonly string[] = ['20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)'];

const VHT_BANDWIDTH: readonly string[] = [
  '20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)', '80 MHz', '80 MHz (L)', '80 MHz (U)', '80 MHz (LL)',
  '80 MHz (LU)', '80 MHz (UL)', '80 MHz (UU)', '160 MHz', '160 MHz (L)', '160 MHz (U)', '160 MHz (LL)',
  '160 MHz (LU)', '160 MHz (UL)', '160 MHz (UU)', '160 MHz (LLL)', '160 MHz (LLU)', '160 MHz (LUL)',
  '160 MHz (UUU)', '160 MHz (ULL)', '160 MHz (ULU)', '160 MHz (UUL)', '160 MHz (UUU)', 'unknown (26)',
  'unknown (27)', 'unknown (28)', 'unknown (29)', 'unknown (30)', 'unknown (31)',
];

/** Radiotap Flags seen so far in this frame (FCS, padding). */
let rtFlags = 0;

/**
 * print_radiotap_field: 0 when done, -1 to stop processing the header (a
 * field past the radiotap length, or a field whose size is unknown).
 */
function radiotapField(p: Printer, bit: number, presentFlags: number): number {
  const c = cpack;
  switch (bit) {
    case RT.TSFT: {
      const t = c.u64Text();
      if (t === undefined) return fieldTrunc(p);
      p.out += t + 'us tsft ';
      return 0;
    }
    case RT.FLAGS: {
      const f = c.u(1);
      if (f < 0) return fieldTrunc(p);
      rtFlags = f;
      if ((f & F_CFP) !== 0) p.out += 'cfp ';
      if ((f & F_SHORTPRE) !== 0) p.out += 'short preamble ';
      if ((f & F_WEP) !== 0) p.out += 'wep ';
      if ((f & F_FRAG) !== 0) p.out += 'fragmented ';
      if ((f & F_BADFCS) !== 0) p.out += 'bad-fcs ';
      return 0;
    }
    case RT.RATE: {
      const r = c.u(1);
      if (r < 0) return fieldTrunc(p);
      p.out += r >= 0x80 && r <= 0x8f ? 'MCS ' + (r & 0x7f) + ' ' : (r * 0.5).toFixed(1) + ' Mb/s ';
      return 0;
    }
    case RT.CHANNEL: {
      const freq = c.u(2);
      if (freq < 0) return fieldTrunc(p);
      const flags = c.u(2);
      if (flags < 0) return fieldTrunc(p);
      if ((presentFlags & (1 << RT.XCHANNEL)) === 0) p.out += chanInfo(freq, flags, presentFlags);
      return 0;
    }
    case RT.FHSS: {
      const set = c.u(1);
      if (set < 0) return fieldTrunc(p);
      const pat = c.u(1);
      if (pat < 0) return fieldTrunc(p);
      p.out += 'fhset ' + set + ' fhpat ' + pat + ' ';
      return 0;
    }
    case RT.DBM_ANTSIGNAL:
    case RT.DBM_ANTNOISE:
    case RT.DB_TX_ATTENUATION: // tcpdump reads this one as a signed byte
    case RT.DBM_TX_POWER: {
      const v = c.s8();
      if (v === undefined) return fieldTrunc(p);
      if (bit === RT.DBM_ANTSIGNAL) p.out += v + 'dBm signal ';
      else if (bit === RT.DBM_ANTNOISE) p.out += v + 'dBm noise ';
      else if (bit === RT.DB_TX_ATTENUATION) p.out += -v + 'dB tx attenuation ';
      else p.out += v + 'dBm tx power ';
      return 0;
    }
    case RT.LOCK_QUALITY: {
      const v = c.u(2);
      if (v < 0) return fieldTrunc(p);
      p.out += v + ' sq ';
      return 0;
    }
    case RT.TX_ATTENUATION: {
      const v = c.u(2);
      if (v < 0) return fieldTrunc(p);
      p.out += -((v << 16) >> 16) + ' tx power ';
      return 0;
    }
    case RT.ANTENNA:
    case RT.DB_ANTSIGNAL:
    case RT.DB_ANTNOISE: {
      const v = c.u(1);
      if (v < 0) return fieldTrunc(p);
      p.out += bit === RT.ANTENNA ? 'antenna ' + v + ' ' : bit === RT.DB_ANTSIGNAL ? v + 'dB signal ' : v + 'dB noise ';
      return 0;
    }
    case RT.RX_FLAGS:
      return c.u(2) < 0 ? fieldTrunc(p) : 0;
    case RT.XCHANNEL: {
      const flags = c.u(4);
      if (flags < 0) return fieldTrunc(p);
      const freq = c.u(2);
      if (freq < 0) return fieldTrunc(p);
      if (c.u(1) < 0 || c.u(1) < 0) return fieldTrunc(p);
      p.out += chanInfo(freq, flags, presentFlags);
      return 0;
    }
    case RT.MCS:
      return mcsField(p);
    case RT.AMPDU_STATUS:
      if (c.u(4) < 0 || c.u(2) < 0 || c.u(1) < 0 || c.u(1) < 0) return fieldTrunc(p);
      return 0;
    case RT.VHT:
      return vhtField(p);
    default:
      // A field whose size we do not know: nothing after it can be found.
      p.out += '[bit ' + bit + '] ';
      return -1;
  }
}

function fieldTrunc(p: Printer): number {
  p.printTrunc();
  return -1;
}

function mcsField(p: Printer): number {
  const c = cpack;
  const known = c.u(1);
  if (known < 0) return fieldTrunc(p);
  const flags = c.u(1);
  if (flags < 0) return fieldTrunc(p);
  const mcs = c.u(1);
  if (mcs < 0) return fieldTrunc(p);
  if ((known & 0x02) !== 0) {
    let rate = 0;
    if (mcs < HT_RATES.length && (known & (0x01 | 0x04)) !== 0) {
      rate = HT_RATES[mcs]![((flags & 3) === 1 ? 2 : 0) + ((flags & 0x04) !== 0 ? 1 : 0)]!;
    }
    p.out += rate !== 0 ? rate.toFixed(1) + ' Mb/s MCS ' + mcs + ' ' : 'MCS ' + mcs + ' ';
  }
  if ((known & 0x01) !== 0) p.out += HT_BANDWIDTH[flags & 3]! + ' ';
  if ((known & 0x04) !== 0) p.out += ((flags & 0x04) !== 0 ? 'short' : 'long') + ' GI ';
  if ((known & 0x08) !== 0) p.out += ((flags & 0x08) !== 0 ? 'greenfield' : 'mixed') + ' ';
  if ((known & 0x10) !== 0) p.out += ((flags & 0x10) !== 0 ? 'LDPC' : 'BCC') + ' FEC ';
  if ((known & 0x20) !== 0) p.out += 'RX-STBC' + ((flags & 0x60) >> 5) + ' ';
  return 0;
}

function vhtField(p: Printer): number {
  const c = cpack;
  const known = c.u(2);
  if (known < 0) return fieldTrunc(p);
  const flags = c.u(1);
  if (flags < 0) return fieldTrunc(p);
  const bandwidth = c.u(1);
  if (bandwidth < 0) return fieldTrunc(p);
  const mcsNssAt = c.next;
  for (let i = 0; i < 4; i++) if (c.u(1) < 0) return fieldTrunc(p);
  const coding = c.u(1);
  if (coding < 0) return fieldTrunc(p);
  if (c.u(1) < 0) return fieldTrunc(p); // group id
  if (c.u(2) < 0) return fieldTrunc(p); // partial AID
  for (let i = 0; i < 4; i++) {
    const b = c.buf[mcsNssAt + i]!;
    if ((b & 0x0f) === 0) continue;
    p.out += 'User ' + i + ' MCS ' + ((b & 0xf0) >> 4) + ' ' + ((coding & (1 << i)) !== 0 ? 'LDPC' : 'BCC') + ' FEC ';
  }
  if ((known & 0x0040) !== 0) p.out += VHT_BANDWIDTH[bandwidth & 0x1f]! + ' ';
  if ((known & 0x0004) !== 0) p.out += ((flags & 0x04) !== 0 ? 'short' : 'long') + ' GI ';
  return 0;
}

/** print_in_radiotap_namespace: the fields of one presence word, lowest bit first. */
function radiotapNamespace(p: Printer, presentFlags: number, bit0: number): number {
  let present = presentFlags >>> 0;
  while (present !== 0) {
    const bitno = 31 - Math.clz32(present & -present);
    present = (present & (present - 1)) >>> 0;
    if (bitno >= RT.NAMESPACE) break;
    const rc = radiotapField(p, bit0 + bitno, presentFlags);
    if (rc !== 0) return rc;
  }
  return 0;
}

/** ieee802_11_radio_print: the radiotap header at `off`, then the 802.11 frame. Returns the header length. */
export function radiotapPrint(p: Printer, off: number, length: number, caplen: number): number {
  p.protocol = '802.11_radio';
  if (caplen < 8) {
    p.printTrunc();
    return caplen;
  }
  const len = p.u16le(off + 2);
  if (len < 8 || caplen < len) {
    p.printTrunc();
    return caplen;
  }
  const end = off + len;
  cpack.init(p.buf, off, len);
  cpack.advance(8);
  // Presence words: each with bit 31 set announces another; bounded by len.
  let last = off + 4;
  while (last + 4 <= end && (p.u32le(last) & 0x80000000) !== 0) {
    cpack.advance(4);
    last += 4;
  }
  if (last + 4 > end) {
    p.printTrunc();
    return caplen;
  }
  let bit0 = 0;
  let vendorNamespace = false;
  let skipLength = 0;
  rtFlags = 0;
  for (let w = off + 4; w <= last; w += 4) {
    const presentFlags = p.u32le(w);
    if (vendorNamespace) {
      // Vendor namespaces are skipped whole.
      if (!cpack.advance(skipLength)) break;
      skipLength = 0;
    } else if (radiotapNamespace(p, presentFlags, bit0) !== 0) {
      break;
    }
    switch (presentFlags & ((1 << RT.NAMESPACE) | (1 << RT.VENDOR_NAMESPACE))) {
      case 0:
        bit0 += 32;
        break;
      case 1 << RT.NAMESPACE:
        bit0 = 0;
        vendorNamespace = false;
        skipLength = 0;
        break;
      case 1 << RT.VENDOR_NAMESPACE:
        bit0 = 0;
        vendorNamespace = true;
        // tcpdump checks room for an aligned 16-bit field but reads the OUI
        // and sub-namespace from where it is, unaligned.
        if (cpack.alignAndReserve(2) < 0) {
          p.printTrunc();
          break;
        }
        if (cpack.u(1) < 0 || cpack.u(1) < 0 || cpack.u(1) < 0 || cpack.u(1) < 0) {
          p.printTrunc();
          break;
        }
        skipLength = cpack.u(2);
        if (skipLength < 0) {
          skipLength = 0;
          p.printTrunc();
        }
        break;
      default:
        break;
    }
  }
  const pad = (rtFlags & F_DATAPAD) !== 0;
  const fcslen = (rtFlags & F_FCS) !== 0 ? 4 : 0;
  return len + ieee80211Print(p, end, length - len, caplen - len, pad, fcslen);
}

/** ieee802_11_radio_avs_print */
function avsPrint(p: Printer, off: number, length: number, caplen: number): number {
  p.protocol = '802.11_radio_avs';
  if (caplen < 8) {
    p.printTrunc();
    return caplen;
  }
  const hlen = p.u32(off + 4);
  if (hlen < 8 || caplen < hlen) {
    p.printTrunc();
    return caplen;
  }
  return hlen + ieee80211Print(p, off + hlen, length - hlen, caplen - hlen, false, 0);
}

const PRISM_HDR_LEN = 144;

registerLinkPrinter(LINKTYPE_IEEE802_11, (p, caplen, wireLen) => {
  p.protocol = '802.11';
  p.llHdrLen += ieee80211Print(p, p.packetStart, wireLen, caplen, false, 0);
});

registerLinkPrinter(LINKTYPE_IEEE802_11_RADIOTAP, (p, caplen, wireLen) => {
  p.protocol = '802.11_radio';
  p.llHdrLen += radiotapPrint(p, p.packetStart, wireLen, caplen);
});

registerLinkPrinter(LINKTYPE_IEEE802_11_AVS, (p, caplen, wireLen) => {
  p.llHdrLen += avsPrint(p, p.packetStart, wireLen, caplen);
});

registerLinkPrinter(LINKTYPE_PRISM_HEADER, (p, caplen, wireLen) => {
  const h = p.packetStart;
  p.protocol = 'prism';
  if (caplen < 4) {
    p.printTrunc();
    p.llHdrLen += caplen;
    return;
  }
  const cookie = p.u32(h);
  if (cookie === 0x80211001 || cookie === 0x80211002) {
    p.llHdrLen += avsPrint(p, h, wireLen, caplen);
    return;
  }
  if (caplen < PRISM_HDR_LEN) {
    p.printTrunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += PRISM_HDR_LEN;
  p.llHdrLen += ieee80211Print(p, h + PRISM_HDR_LEN, wireLen - PRISM_HDR_LEN, caplen - PRISM_HDR_LEN, false, 0);
});

// ---------------------------------------------------------------------------
// Text tables from print-802_11.c

const STATUS_TEXT: readonly string[] = [
  'Successful', // 0
  'Unspecified failure', // 1
  'TDLS wakeup schedule rejected but alternative schedule provided', // 2
  'TDLS wakeup schedule rejected', // 3
  'Reserved', // 4
  'Security disabled', // 5
  'Unacceptable lifetime', // 6
  'Not in same BSS', // 7
  'Reserved', // 8
  'Reserved', // 9
  'Cannot Support all requested capabilities in the Capability Information field', // 10
  'Reassociation denied due to inability to confirm that association exists', // 11
  'Association denied due to reason outside the scope of this standard', // 12
  'Responding STA does not support the specified authentication algorithm', // 13
  'Received an Authentication frame with authentication transaction sequence number out of expected sequence', // 14
  'Authentication rejected because of challenge failure', // 15
  'Authentication rejected due to timeout waiting for next frame in sequence', // 16
  'Association denied because AP is unable to handle additional associated STAs', // 17
  'Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter', // 18
  'Association denied due to requesting STA not supporting the short preamble option', // 19
  'Reserved', // 20
  'Reserved', // 21
  'Association request rejected because Spectrum Management capability is required', // 22
  'Association request rejected because the information in the Power Capability element is unacceptable', // 23
  'Association request rejected because the information in the Supported Channels element is unacceptable', // 24
  'Association denied due to requesting STA not supporting the Short Slot Time option', // 25
  'Reserved', // 26
  'Association denied because the requested STA does not support HT features', // 27
  'R0KH unreachable', // 28
  'Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP', // 29
  'Association request rejected temporarily; try again later', // 30
  'Robust management frame policy violation', // 31
  'Unspecified, QoS-related failure', // 32
  'Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA', // 33
  'Association denied due to excessive frame loss rates and/or poor conditions on current operating channel', // 34
  'Association (with QoS BSS) denied because the requesting STA does not support the QoS facility', // 35
  'Reserved', // 36
  'The request has been declined', // 37
  'The request has not been successful as one or more parameters have invalid values', // 38
  'The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC', // 39
  'Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9', // 40
  'Invalid group cipher', // 41
  'Invalid pairwise cipher', // 42
  'Invalid AKMP', // 43
  'Unsupported RSNE version', // 44
  'Invalid RSNE capabilities', // 45
  'Cipher suite rejected because of security policy', // 46
  'The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element', // 47
  'Direct Link is not allowed in the BSS by policy', // 48
  'The Destination STA is not present within this BSS', // 49
  'The Destination STA is not a QoS STA', // 50
  'Association denied because the listen interval is too large', // 51
  'Invalid FT Action frame count', // 52
  'Invalid pairwise master key identifier (PMKID)', // 53
  'Invalid MDE', // 54
  'Invalid FTE', // 55
  'Requested TCLAS processing is not supported by the AP or PCP', // 56
  'The AP or PCP has insufficient TCLAS processing resources to satisfy the request', // 57
  'The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS', // 58
  'GAS Advertisement Protocol not supported', // 59
  'No outstanding GAS request', // 60
  'GAS Response not received from the Advertisement Server', // 61
  'STA timed out waiting for GAS Query Response', // 62
  'LARGE GAS Response is larger than query response length limit', // 63
  'Request refused because home network does not support request', // 64
  'Advertisement Server in the network is not currently reachable', // 65
  'Reserved', // 66
  'Request refused due to permissions received via SSPN interface', // 67
  'Request refused because the AP or PCP does not support unauthenticated access', // 68
  'Reserved', // 69
  'Reserved', // 70
  'Reserved', // 71
  'Invalid contents of RSNE', // 72
  'U-APSD coexistence is not supported', // 73
  'Requested U-APSD coexistence mode is not supported', // 74
  'Requested Interval/Duration value cannot be supported with U-APSD coexistence', // 75
  'Authentication is rejected because an Anti-Clogging Token is required', // 76
  'Authentication is rejected because the offered finite cyclic group is not supported', // 77
  'The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT', // 78
  'Transmission failure', // 79
  'Requested TCLAS Not Supported', // 80
  'TCLAS Resources Exhausted', // 81
  'Rejected with Suggested BSS transition', // 82
  'Reject with recommended schedule', // 83
  'Reject because no wakeup schedule specified', // 84
  'Success, the destination STA is in power save mode', // 85
  'FST pending, in process of admitting FST session', // 86
  'Performing FST now', // 87
  'FST pending, gap(s) in block ack window', // 88
  'Reject because of U-PID setting', // 89
  'Reserved', // 90
  'Reserved', // 91
  '(Re)Association refused for some external reason', // 92
  '(Re)Association refused because of memory limits at the AP', // 93
  '(Re)Association refused because emergency services are not supported at the AP', // 94
  'GAS query response not yet received', // 95
  'Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA', // 96
  'Requested TCLAS processing has been terminated by the AP', // 97
  'The TS schedule conflicts with an existing schedule; an alternative schedule is provided', // 98
  'The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS', // 99
  'The request failed due to a reservation conflict', // 100
  'The request failed due to exceeded MAF limit', // 101
  'The request failed due to exceeded MCCA track limit', // 102
  'Association denied because the information in theSpectrum Management field is unacceptable', // 103
  'Association denied because the requesting STA does not support VHT features', // 104
  'Enablement denied', // 105
  'Enablement denied due to restriction from an authorized GDB', // 106
  'Authorization deenabled', // 107
];

const REASON_TEXT: readonly string[] = [
  'Reserved', // 0
  'Unspecified reason', // 1
  'Previous authentication no longer valid', // 2
  'Deauthenticated because sending STA is leaving (or has left) IBSS or ESS', // 3
  'Disassociated due to inactivity', // 4
  'Disassociated because AP is unable to handle all currently  associated STAs', // 5
  'Class 2 frame received from nonauthenticated STA', // 6
  'Class 3 frame received from nonassociated STA', // 7
  'Disassociated because sending STA is leaving (or has left) BSS', // 8
  'STA requesting (re)association is not authenticated with responding STA', // 9
  'Disassociated because the information in the Power Capability element is unacceptable', // 10
  'Disassociated because the information in the Supported Channels element is unacceptable', // 11
  'Disassociated due to BSS transition management', // 12
  'Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9', // 13
  'Message integrity code (MIC) failure', // 14
  '4-Way Handshake timeout', // 15
  'Group key handshake timeout', // 16
  'Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame', // 17
  'Invalid group cipher', // 18
  'Invalid pairwise cipher', // 19
  'Invalid AKMP', // 20
  'Unsupported RSNE version', // 21
  'Invalid RSNE capabilities', // 22
  'IEEE 802.1X authentication failed', // 23
  'Cipher suite rejected because of the security policy', // 24
  'TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link', // 25
  'TDLS direct-link teardown for unspecified reason', // 26
  'Disassociated because session terminated by SSP request', // 27
  'Disassociated because of lack of SSP roaming agreement', // 28
  'Requested service rejected because of SSP cipher suite or AKM requirement', // 29
  'Requested service not authorized in this location', // 30
  'TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)', // 31
  'Disassociated for unspecified, QoS-related reason', // 32
  'Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA', // 33
  'Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions', // 34
  'Disassociated because STA is transmitting outside the limits of its TXOPs', // 35
  'Requested from peer STA as the STA is leaving the BSS (or resetting)', // 36
  'Requested from peer STA as it does not want to use the mechanism', // 37
  'Requested from peer STA as the STA received frames using the mechanism for which a set up is required', // 38
  'Requested from peer STA due to time out', // 39
  'Reserved', // 40
  'Reserved', // 41
  'Reserved', // 42
  'Reserved', // 43
  'Reserved', // 44
  'Peer STA does not support the requested cipher suite', // 45
  'In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached', // 46
  'In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements', // 47
  'Invalid FT Action frame count', // 48
  'Invalid pairwise master key identifier (PMKID)', // 49
  'Invalid MDE', // 50
  'Invalid FTE', // 51
  'Mesh peering canceled for unknown reasons', // 52
  'The mesh STA has reached the supported maximum number of peer mesh STAs', // 53
  'The received information violates the Mesh Configuration policy configured in the mesh STA profile', // 54
  'The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering', // 55
  'The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame', // 56
  'The confirmTimer for the mesh peering instance times out', // 57
  'The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match', // 58
  'The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames', // 59
  'The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite', // 60
  'The mesh STA does not have proxy information for this external destination', // 61
  'The mesh STA does not have forwarding information for this destination', // 62
  'The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable', // 63
  'The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS', // 64
  'The mesh STA performs channel switch to meet regulatory requirements', // 65
  'The mesh STA performs channel switching with unspecified reason', // 66
];

/** HT rates (Mb/s) by MCS: [20 MHz long GI, 20 MHz short GI, 40 MHz long GI, 40 MHz short GI]. */
const HT_RATES: readonly (readonly number[])[] = [
  [6.5, 7.2, 13.5, 15.0], // 0
  [13.0, 14.4, 27.0, 30.0], // 1
  [19.5, 21.7, 40.5, 45.0], // 2
  [26.0, 28.9, 54.0, 60.0], // 3
  [39.0, 43.3, 81.0, 90.0], // 4
  [52.0, 57.8, 108.0, 120.0], // 5
  [58.5, 65.0, 121.5, 135.0], // 6
  [65.0, 72.2, 135.0, 150.0], // 7
  [13.0, 14.4, 27.0, 30.0], // 8
  [26.0, 28.9, 54.0, 60.0], // 9
  [39.0, 43.3, 81.0, 90.0], // 10
  [52.0, 57.8, 108.0, 120.0], // 11
  [78.0, 86.7, 162.0, 180.0], // 12
  [104.0, 115.6, 216.0, 240.0], // 13
  [117.0, 130.0, 243.0, 270.0], // 14
  [130.0, 144.4, 270.0, 300.0], // 15
  [19.5, 21.7, 40.5, 45.0], // 16
  [39.0, 43.3, 81.0, 90.0], // 17
  [58.5, 65.0, 121.5, 135.0], // 18
  [78.0, 86.7, 162.0, 180.0], // 19
  [117.0, 130.0, 243.0, 270.0], // 20
  [156.0, 173.3, 324.0, 360.0], // 21
  [175.5, 195.0, 364.5, 405.0], // 22
  [195.0, 216.7, 405.0, 450.0], // 23
  [26.0, 28.9, 54.0, 60.0], // 24
  [52.0, 57.8, 108.0, 120.0], // 25
  [78.0, 86.7, 162.0, 180.0], // 26
  [104.0, 115.6, 216.0, 240.0], // 27
  [156.0, 173.3, 324.0, 360.0], // 28
  [208.0, 231.1, 432.0, 480.0], // 29
  [234.0, 260.0, 486.0, 540.0], // 30
  [260.0, 288.9, 540.0, 600.0], // 31
  [0.0, 0.0, 6.0, 6.7], // 32
  [39.0, 43.3, 81.0, 90.0], // 33
  [52.0, 57.8, 108.0, 120.0], // 34
  [65.0, 72.2, 135.0, 150.0], // 35
  [58.5, 65.0, 121.5, 135.0], // 36
  [78.0, 86.7, 162.0, 180.0], // 37
  [97.5, 108.3, 202.5, 225.0], // 38
  [52.0, 57.8, 108.0, 120.0], // 39
  [65.0, 72.2, 135.0, 150.0], // 40
  [65.0, 72.2, 135.0, 150.0], // 41
  [78.0, 86.7, 162.0, 180.0], // 42
  [91.0, 101.1, 189.0, 210.0], // 43
  [91.0, 101.1, 189.0, 210.0], // 44
  [104.0, 115.6, 216.0, 240.0], // 45
  [78.0, 86.7, 162.0, 180.0], // 46
  [97.5, 108.3, 202.5, 225.0], // 47
  [97.5, 108.3, 202.5, 225.0], // 48
  [117.0, 130.0, 243.0, 270.0], // 49
  [136.5, 151.7, 283.5, 315.0], // 50
  [136.5, 151.7, 283.5, 315.0], // 51
  [156.0, 173.3, 324.0, 360.0], // 52
  [65.0, 72.2, 135.0, 150.0], // 53
  [78.0, 86.7, 162.0, 180.0], // 54
  [91.0, 101.1, 189.0, 210.0], // 55
  [78.0, 86.7, 162.0, 180.0], // 56
  [91.0, 101.1, 189.0, 210.0], // 57
  [104.0, 115.6, 216.0, 240.0], // 58
  [117.0, 130.0, 243.0, 270.0], // 59
  [104.0, 115.6, 216.0, 240.0], // 60
  [117.0, 130.0, 243.0, 270.0], // 61
  [130.0, 144.4, 270.0, 300.0], // 62
  [130.0, 144.4, 270.0, 300.0], // 63
  [143.0, 158.9, 297.0, 330.0], // 64
  [97.5, 108.3, 202.5, 225.0], // 65
  [117.0, 130.0, 243.0, 270.0], // 66
  [136.5, 151.7, 283.5, 315.0], // 67
  [117.0, 130.0, 243.0, 270.0], // 68
  [136.5, 151.7, 283.5, 315.0], // 69
  [156.0, 173.3, 324.0, 360.0], // 70
  [175.5, 195.0, 364.5, 405.0], // 71
  [156.0, 173.3, 324.0, 360.0], // 72
  [175.5, 195.0, 364.5, 405.0], // 73
  [195.0, 216.7, 405.0, 450.0], // 74
  [195.0, 216.7, 405.0, 450.0], // 75
  [214.5, 238.3, 445.5, 495.0], // 76
];
