/**
 * IEEE 802.2 LLC and SNAP, as tcpdump 4.99.3 prints them (print-llc.c), plus
 * the spanning-tree BPDU printer LLC and SNAP hand off to (print-stp.c).
 *
 * Used by 802.3 Ethernet, 802.11 data frames and Linux cooked captures
 * whose protocol field says "802.2".
 */
import { formatMacAt, HEX2, macTextAt } from './addr.js';
import type { Printer } from './context.js';
import { etherPrint, ethertypePrint } from './ether.js';
import { defaultPrint } from './hexdump.js';
import { ethertypeNames, hex4, tok2str, type NameTable } from './names.js';

const LLC_U_FMT = 3;
const LLC_GSAP = 1;
const LLC_IG = 1;
const LLC_S_FMT = 1;
const LLC_U_POLL = 0x10;
const LLC_IS_POLL = 0x0100;
const LLC_XID_FI = 0x81;
const LLC_UI = 0x03;
const LLC_XID = 0xaf;

const SAP = {
  GLOBAL: 0xff,
  IP: 0x06,
  STP: 0x42,
  SNAP: 0xaa,
  IPX: 0xe0,
  NETBEUI: 0xf0,
  ISONS: 0xfe,
} as const;

/** llc_values */
export const llcSapNames: NameTable = new Map<number, string>([
  [0x00, 'Null'],
  [0xff, 'Global'],
  [0x02, '802.1B I'],
  [0x03, '802.1B G'],
  [0x06, 'IP'],
  [0x04, 'SNA'],
  [0x0e, 'ProWay NM'],
  [0x42, 'STP'],
  [0x4e, 'RS511'],
  [0x7e, 'ISO8208'],
  [0x8e, 'ProWay'],
  [0xaa, 'SNAP'],
  [0xe0, 'IPX'],
  [0xf0, 'NetBeui'],
  [0xfe, 'OSI'],
]);

/** llc_cmd_values (U-frame commands, poll bit masked off). */
const llcCmdNames: NameTable = new Map<number, string>([
  [0x03, 'ui'],
  [0xe3, 'test'],
  [0xaf, 'xid'],
  [0x63, 'ua'],
  [0x43, 'disc'],
  [0x0f, 'dm'],
  [0x6f, 'sabme'],
  [0x87, 'frmr'],
]);

/** llc_flag_values: first entry wins, as tok2str does. */
const llcFlagNames: NameTable = new Map<number, string>([
  [0, 'Command'],
  [LLC_GSAP, 'Response'],
  [LLC_U_POLL, 'Poll'],
  [LLC_GSAP | LLC_U_POLL, 'Final'],
  [LLC_IS_POLL, 'Poll'],
  [LLC_GSAP | LLC_IS_POLL, 'Final'],
]);

const llcSupervisoryNames: NameTable = new Map<number, string>([
  [0, 'Receiver Ready'],
  [1, 'Receiver not Ready'],
  [2, 'Reject'],
]);

const OUI = {
  ENCAP_ETHER: 0x000000,
  CISCO: 0x00000c,
  CISCO_90: 0x0000f8,
  RFC2684: 0x0080c2,
  APPLETALK: 0x080007,
} as const;

/** oui_values (oui.c); first entry wins on duplicates (0x0080c2). */
export const ouiNames: NameTable = new Map<number, string>([
  [0x000000, 'Ethernet'],
  [0x00000c, 'Cisco'],
  [0x00005e, 'IANA'],
  [0x000081, 'Nortel Networks SONMP'],
  [0x0000f8, 'Cisco bridged'],
  [0x0080c2, 'Ethernet bridged'],
  [0x00a03e, 'ATM Forum'],
  [0x00e02f, 'DOCSIS Spanning Tree'],
  [0x080007, 'Appletalk'],
  [0x009069, 'Juniper'],
  [0x080009, 'Hewlett-Packard'],
  [0x00120f, 'IEEE 802.3 Private'],
  [0x0012bb, 'ANSI/TIA'],
  [0x001b21, 'DCBX'],
  [0x002320, 'Nicira Networks'],
  [0x5c16c7, 'Big Switch Networks'],
  [0xb0d2f5, 'Vello Systems'],
  [0x002481, 'HP'],
  [0x0004ea, 'HP-Labs'],
  [0x748771, 'Infoblox Inc'],
  [0xa42305, 'Open Networking Lab'],
  [0x00049f, 'Freescale'],
  [0x0015ad, 'Netronome'],
  [0x001018, 'Broadcom'],
  [0x00e004, 'PMC-Sierra'],
  [0xd0f0db, 'Ericsson'],
]);

const PID_CISCO = { CDP: 0x2000, VTP: 0x2003, DTP: 0x2004, UDLD: 0x0111, PVST: 0x010b, VLANBRIDGE: 0x010c } as const;

const ciscoPidNames: NameTable = new Map<number, string>([
  [PID_CISCO.CDP, 'CDP'],
  [PID_CISCO.VTP, 'VTP'],
  [PID_CISCO.DTP, 'DTP'],
  [PID_CISCO.UDLD, 'UDLD'],
  [PID_CISCO.PVST, 'PVST'],
  [PID_CISCO.VLANBRIDGE, 'VLAN Bridge'],
]);

const PID_RFC2684 = {
  ETH_FCS: 0x0001,
  ETH_NOFCS: 0x0007,
  BPDU: 0x000e,
} as const;

const bridgedPidNames: NameTable = new Map<number, string>([
  [0x0001, 'Ethernet + FCS'],
  [0x0007, 'Ethernet w/o FCS'],
  [0x0002, '802.4 + FCS'],
  [0x0008, '802.4 w/o FCS'],
  [0x0003, 'Token Ring + FCS'],
  [0x0009, 'Token Ring w/o FCS'],
  [0x0004, 'FDDI + FCS'],
  [0x000a, 'FDDI w/o FCS'],
  [0x0005, '802.6 + FCS'],
  [0x000b, '802.6 w/o FCS'],
  [0x000e, 'BPDU'],
]);

const EMPTY: NameTable = new Map();

/** oui_to_struct_tok: the table naming a SNAP PID for an OUI. */
function pidTable(oui: number): NameTable {
  switch (oui) {
    case OUI.ENCAP_ETHER:
    case OUI.CISCO_90:
    case OUI.APPLETALK:
      return ethertypeNames;
    case OUI.CISCO:
      return ciscoPidNames;
    case OUI.RFC2684:
      return bridgedPidNames;
    default:
      return EMPTY;
  }
}

const unknown = (): string => 'Unknown';
const hex2 = (v: number): string => HEX2[v & 0xff]!;
const hex6 = (v: number): string => v.toString(16).padStart(6, '0');

/**
 * llc_print: returns the LLC header length (plus the SNAP header when there
 * is one) when the payload was printed, and its negation when it was not
 * (the caller then hex-dumps the payload). `srcOff`/`dstOff` are the offsets
 * of the 6-byte link addresses, or -1 when the link has none.
 */
export function llcPrint(p: Printer, off: number, length: number, caplen: number, srcOff: number, dstOff: number): number {
  p.protocol = 'llc';
  if (caplen < 3) {
    p.printTrunc();
    defaultPrint(p, off, caplen);
    return caplen;
  }
  if (length < 3) {
    p.printTrunc();
    defaultPrint(p, off, caplen);
    return length;
  }
  const dsapField = p.u8(off);
  const ssapField = p.u8(off + 1);
  let control = p.u8(off + 2);
  let isU: boolean;
  let hdrlen: number;
  if ((control & LLC_U_FMT) === LLC_U_FMT) {
    isU = true;
    hdrlen = 3;
  } else {
    if (caplen < 4) {
      p.printTrunc();
      defaultPrint(p, off, caplen);
      return caplen;
    }
    if (length < 4) {
      p.printTrunc();
      defaultPrint(p, off, caplen);
      return length;
    }
    control = p.u16le(off + 2);
    isU = false;
    hdrlen = 4;
  }

  if (ssapField === SAP.GLOBAL && dsapField === SAP.GLOBAL) {
    // Novell "raw" 802.3 IPX: no 802.2 header at all.
    if (p.eflag) p.out += 'IPX 802.3: ';
    otherPrint(p, 0x8137, off, length, caplen);
    return 0;
  }

  const dsap = dsapField & ~LLC_IG;
  const ssap = ssapField & ~LLC_GSAP;

  if (p.eflag) {
    p.out +=
      'LLC, dsap ' + tok2str(llcSapNames, dsap, unknown) + ' (0x' + hex2(dsap) + ') ' +
      ((dsapField & LLC_IG) !== 0 ? 'Group' : 'Individual') +
      ', ssap ' + tok2str(llcSapNames, ssap, unknown) + ' (0x' + hex2(ssap) + ') ' +
      ((ssapField & LLC_GSAP) !== 0 ? 'Response' : 'Command') +
      (isU ? ', ctrl 0x' + hex2(control) + ': ' : ', ctrl 0x' + hex4(control) + ': ');
  }

  const q = off + hdrlen;
  length -= hdrlen;
  caplen -= hdrlen;

  if (ssap === SAP.SNAP && dsap === SAP.SNAP && control === LLC_UI) {
    return snapPrint(p, q, length, caplen, srcOff, dstOff, 2) ? hdrlen + 5 : -(hdrlen + 5);
  }
  if (ssap === SAP.STP && dsap === SAP.STP && control === LLC_UI) {
    stpPrint(p, q, length);
    return hdrlen;
  }
  if (ssap === SAP.IP && dsap === SAP.IP && control === LLC_UI) {
    // RFC 948 IP over 802.2.
    otherPrint(p, 0x0800, q, length, caplen);
    return hdrlen;
  }
  if (ssap === SAP.IPX && dsap === SAP.IPX && control === LLC_UI) {
    if (p.eflag) p.out += 'IPX 802.2: ';
    otherPrint(p, 0x8137, q, length, caplen);
    return hdrlen;
  }
  if (ssap === SAP.ISONS && dsap === SAP.ISONS && control === LLC_UI) {
    // No OSI (CLNS/ES-IS/IS-IS) printer here: dump it.
    defaultPrint(p, q, caplen);
    return hdrlen;
  }

  if (!p.eflag) {
    const haveAddrs = srcOff >= 0 && dstOff >= 0;
    if (haveAddrs) {
      p.need(srcOff, 6);
      p.need(dstOff, 6);
    }
    if (ssap === dsap) {
      const name = tok2str(llcSapNames, dsap, (v) => 'Unknown DSAP 0x' + hex2(v));
      p.out += haveAddrs ? macTextAt(p.buf, srcOff) + ' > ' + macTextAt(p.buf, dstOff) + ' ' + name + ' ' : name + ' ';
    } else {
      const sname = tok2str(llcSapNames, ssap, (v) => 'Unknown SSAP 0x' + hex2(v));
      const dname = tok2str(llcSapNames, dsap, (v) => 'Unknown DSAP 0x' + hex2(v));
      p.out += haveAddrs
        ? macTextAt(p.buf, srcOff) + ' ' + sname + ' > ' + macTextAt(p.buf, dstOff) + ' ' + dname + ' '
        : sname + ' > ' + dname + ' ';
    }
  }

  if (isU) {
    p.out +=
      'Unnumbered, ' + tok2str(llcCmdNames, control & 0xef, hex2) +
      ', Flags [' + tok2str(llcFlagNames, (ssapField & LLC_GSAP) | (control & LLC_U_POLL), () => '?') +
      '], length ' + (length + hdrlen);
    if ((control & ~LLC_U_POLL) === LLC_XID) {
      if (length === 0) return hdrlen; // e.g. an SNA "short form" XID
      if (caplen < 1) {
        p.printTrunc();
        return hdrlen;
      }
      if (p.u8(q) === LLC_XID_FI) {
        if (caplen < 3 || length < 3) {
          p.printTrunc();
          if (caplen > 0) defaultPrint(p, q, caplen);
        } else {
          p.out += ': ' + hex2(p.u8(q + 1)) + ' ' + hex2(p.u8(q + 2));
        }
        return hdrlen;
      }
    }
  } else if ((control & LLC_S_FMT) === LLC_S_FMT) {
    p.out +=
      'Supervisory, ' + tok2str(llcSupervisoryNames, (control >> 2) & 3, () => '?') +
      ', rcv seq ' + ((control >> 9) & 0x7f) +
      ', Flags [' + tok2str(llcFlagNames, (ssapField & LLC_GSAP) | (control & LLC_IS_POLL), () => '?') +
      '], length ' + (length + hdrlen);
    return hdrlen;
  } else {
    p.out +=
      'Information, send seq ' + ((control >> 1) & 0x7f) + ', rcv seq ' + ((control >> 9) & 0x7f) +
      ', Flags [' + tok2str(llcFlagNames, (ssapField & LLC_GSAP) | (control & LLC_IS_POLL), () => '?') +
      '], length ' + (length + hdrlen);
  }
  return -hdrlen;
}

/**
 * A payload tcpdump hands to a printer arpscope does not have (IPv4, IPX,
 * ...): offer it to the shared ethertype dispatch, else dump it.
 */
function otherPrint(p: Printer, et: number, off: number, length: number, caplen: number): void {
  if (!ethertypePrint(p, et, off, length, caplen)) defaultPrint(p, off, caplen);
}

/**
 * snap_print: returns true when the payload was printed (or the SNAP header
 * was truncated), false when the caller should dump the raw payload.
 */
export function snapPrint(
  p: Printer, off: number, length: number, caplen: number, srcOff: number, dstOff: number, bridgePad: number,
): boolean {
  p.protocol = 'snap';
  if (!p.has(off, 5) || caplen < 5 || length < 5) {
    p.printTrunc();
    return true;
  }
  const oui = p.u24(off);
  const et = p.u16(off + 3);
  if (p.eflag) {
    p.out +=
      'oui ' + tok2str(ouiNames, oui, unknown) + ' (0x' + hex6(oui) + '), ' +
      (oui === 0 ? 'ethertype ' : 'pid ') + tok2str(pidTable(oui), et, unknown) + ' (0x' + hex4(et) + '), length ' +
      (length - 5) + ': ';
  }
  off += 5;
  length -= 5;
  caplen -= 5;

  switch (oui) {
    case OUI.ENCAP_ETHER:
    case OUI.CISCO_90:
      if (ethertypePrint(p, et, off, length, caplen)) return true;
      break;
    case OUI.APPLETALK:
      if (et === 0x809b && ethertypePrint(p, et, off, length, caplen)) return true;
      break;
    case OUI.CISCO:
      // CDP, DTP, UDLD and VTP have no printer here: they fall back to a dump.
      if (et === PID_CISCO.PVST || et === PID_CISCO.VLANBRIDGE) {
        stpPrint(p, off, length);
        return true;
      }
      break;
    case OUI.RFC2684:
      if (et === PID_RFC2684.ETH_FCS || et === PID_RFC2684.ETH_NOFCS) {
        if (!p.has(off, bridgePad)) {
          p.printTrunc();
          return true;
        }
        etherPrint(p, off + bridgePad, length - bridgePad, caplen - bridgePad);
        return true;
      }
      if (et === PID_RFC2684.BPDU) {
        stpPrint(p, off, length);
        return true;
      }
      // Bridged Token Ring / FDDI: no printer here, dump it.
      break;
  }
  if (!p.eflag) {
    if (srcOff >= 0 && dstOff >= 0) {
      p.need(srcOff, 6);
      p.need(dstOff, 6);
      p.out += macTextAt(p.buf, srcOff) + ' > ' + macTextAt(p.buf, dstOff) + ' ';
    }
    if (oui === 0) {
      p.out += 'SNAP, ethertype ' + tok2str(ethertypeNames, et, unknown) + ' (0x' + hex4(et) + '), length ' + length + ': ';
    } else {
      p.out +=
        'SNAP, oui ' + tok2str(ouiNames, oui, unknown) + ' (0x' + hex6(oui) + '), pid ' +
        tok2str(pidTable(oui), et, unknown) + ' (0x' + hex4(et) + '), length ' + length + ': ';
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Spanning tree (print-stp.c)

const stpProtoNames: NameTable = new Map<number, string>([
  [0x00, '802.1d'],
  [0x02, '802.1w'],
  [0x03, '802.1s'],
  [0x04, '802.1aq'],
]);

const stpBpduTypeNames: NameTable = new Map<number, string>([
  [0x00, 'Config'],
  [0x02, 'Rapid STP'],
  [0x80, 'Topology Change'],
]);

const STP_FLAG_BITS: readonly (readonly [number, string])[] = [
  [0x01, 'Topology change'],
  [0x02, 'Proposal'],
  [0x10, 'Learn'],
  [0x20, 'Forward'],
  [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
];

const PORT_ROLES: readonly string[] = ['Unknown', 'Alternate', 'Root', 'Designated'];

/** bittok2str (", "-separated names of the set bits, "none" when no bit matches). */
function stpFlags(v: number): string {
  let s = '';
  for (const [bit, name] of STP_FLAG_BITS) {
    if ((v & bit) === bit) s += (s === '' ? '' : ', ') + name;
  }
  return s === '' ? 'none' : s;
}

/** "pppp.aa:bb:cc:dd:ee:ff" */
function bridgeId(p: Printer, off: number): string {
  p.need(off, 8);
  const b = p.buf;
  return HEX2[b[off]!]! + HEX2[b[off + 1]!]! + '.' + formatMacAt(b, off + 2);
}

/** C's "%.2f" (round half to even on the exact binary value) for k/256 values. */
function fixed2(x: number): string {
  const scaled = x * 100;
  let n = Math.floor(scaled);
  const frac = scaled - n;
  if (frac > 0.5 || (frac === 0.5 && (n & 1) === 1)) n++;
  const s = String(n).padStart(3, '0');
  return s.slice(0, -2) + '.' + s.slice(-2);
}

function stpTimes(p: Printer, off: number): string {
  return (
    '\n\tmessage-age ' + fixed2(p.u16(off + 27) / 256) + 's, max-age ' + fixed2(p.u16(off + 29) / 256) +
    's, hello-time ' + fixed2(p.u16(off + 31) / 256) + 's, forwarding-delay ' + fixed2(p.u16(off + 33) / 256) + 's'
  );
}

const STP_BPDU_LEN = 36; // sizeof(struct stp_bpdu_), v1_length included
const MSTP_MIN_LEN = 102;
const MST_V3LEN = 36;

function stpConfigPrint(p: Printer, off: number, length: number): void {
  const flags = p.u8(off + 4);
  p.out += ', Flags [' + stpFlags(flags) + ']';
  p.out += ', bridge-id ' + bridgeId(p, off + 17) + '.' + hex4(p.u16(off + 25)) + ', length ' + length;
  if (p.vflag === 0) return;
  p.out += stpTimes(p, off);
  p.out += '\n\troot-id ' + bridgeId(p, off + 5) + ', root-pathcost ' + p.u32(off + 13);
  if (p.u8(off + 2) === 0x02) p.out += ', port-role ' + PORT_ROLES[(flags & 0x0c) >> 2]!;
}

/** nd_printjnp: up to n bytes, stopping at NUL, non-printables escaped. */
function printjnp(p: Printer, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = p.u8(off + i);
    if (c === 0) break;
    s += escapeChar(c);
  }
  return s;
}

/** fn_print_char */
export function escapeChar(c: number): string {
  let s = '';
  if (c > 0x7f) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c > 0x7e) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

function stpMstpPrint(p: Printer, off: number, length: number): void {
  const flags = p.u8(off + 4);
  p.out += ', CIST Flags [' + stpFlags(flags) + '], length ' + length;
  if (p.vflag === 0) return;
  p.out += '\n\tport-role ' + PORT_ROLES[(flags & 0x0c) >> 2]! + ', ';
  p.out += 'CIST root-id ' + bridgeId(p, off + 5) + ', CIST ext-pathcost ' + p.u32(off + 13);
  p.out += '\n\tCIST regional-root-id ' + bridgeId(p, off + 17) + ', ';
  p.out += 'CIST port-id ' + hex4(p.u16(off + 25)) + ',';
  p.out += stpTimes(p, off);
  p.out += '\n\tv3len ' + p.u16(off + MST_V3LEN) + ', MCID Name ' + printjnp(p, off + 39, 32);
  p.out +=
    ', rev ' + p.u16(off + 71) + ',\n\t\tdigest ' + hex8(p.u32(off + 73)) + hex8(p.u32(off + 77)) +
    hex8(p.u32(off + 81)) + hex8(p.u32(off + 85)) + ', ';
  p.out += 'CIST int-root-pathcost ' + p.u32(off + 89) + ',';
  p.out += '\n\tCIST bridge-id ' + bridgeId(p, off + 93) + ', ';
  p.out += 'CIST remaining-hops ' + p.u8(off + 101);
  const v3len = p.u16(off + MST_V3LEN);
  if (v3len > 64) {
    let len = v3len - 64;
    let o = off + 102;
    while (len >= 16) {
      const mf = p.u8(o);
      p.out +=
        '\n\tMSTI ' + (p.u16(o + 1) & 0x0fff) + ', Flags [' + stpFlags(mf) + '], port-role ' + PORT_ROLES[(mf & 0x0c) >> 2]!;
      p.out += '\n\t\tMSTI regional-root-id ' + bridgeId(p, o + 1) + ', pathcost ' + p.u32(o + 9);
      p.out +=
        '\n\t\tMSTI bridge-prio ' + (p.u8(o + 13) >> 4) + ', port-prio ' + (p.u8(o + 14) >> 4) + ', hops ' + p.u8(o + 15);
      len -= 16;
      o += 16;
    }
  }
}

function stpSpbPrint(p: Printer, base: number): void {
  if (p.vflag === 0) return;
  p.out += '\n\tv4len ' + p.u16(base) + ', AUXMCID Name ' + printjnp(p, base + 3, 32);
  p.out +=
    ', Rev ' + p.u16(base + 35) + ',\n\t\tdigest ' + hex8(p.u32(base + 37)) + hex8(p.u32(base + 41)) +
    hex8(p.u32(base + 45)) + hex8(p.u32(base + 49));
  const agr = p.u8(base + 53);
  const fmt = p.u8(base + 55);
  const con = p.u8(base + 56);
  p.out +=
    '\n\tAgreement num ' + (agr >> 6) + ', Discarded Agreement num ' + ((agr >> 4) & 3) +
    ', Agreement valid-flag ' + ((agr >> 3) & 1) + ',\n\tRestricted role-flag: ' + ((agr >> 2) & 1) +
    ', Format id ' + (fmt >> 4) + ' cap ' + fmt + ', Convention id ' + (con >> 4) + ' cap ' + con +
    ',\n\tEdge count ' + p.u16(base + 57) + ', Agreement digest ' + hex8(p.u32(base + 67)) + hex8(p.u32(base + 71)) +
    hex8(p.u32(base + 75)) + hex8(p.u32(base + 79)) + hex8(p.u32(base + 83));
}

/** stp_print */
export function stpPrint(p: Printer, off: number, length: number): void {
  p.protocol = 'stp';
  if (length < 4) {
    p.printInvalid();
    return;
  }
  if (p.u16(off) !== 0) {
    p.out += 'unknown STP version, length ' + length;
    return;
  }
  const version = p.u8(off + 2);
  p.out += 'STP ' + tok2str(stpProtoNames, version, (v) => 'Unknown STP protocol (0x' + hex2(v) + ')');
  if (version !== 0 && version !== 2 && version !== 3 && version !== 4) return;
  const type = p.u8(off + 3);
  p.out += ', ' + tok2str(stpBpduTypeNames, type, (v) => 'Unknown BPDU Type (0x' + hex2(v) + ')');
  if (type === 0x00) {
    if (length < STP_BPDU_LEN - 1) {
      p.printInvalid();
      return;
    }
    stpConfigPrint(p, off, length);
  } else if (type === 0x02) {
    if (version === 0x02) {
      if (length < STP_BPDU_LEN) {
        p.printInvalid();
        return;
      }
      stpConfigPrint(p, off, length);
    } else if (version === 0x03 || version === 0x04) {
      if (length < MSTP_MIN_LEN || p.u8(off + 35) !== 0) {
        p.printInvalid();
        return;
      }
      const mstpLen = p.u16(off + MST_V3LEN) + 2;
      if (length < STP_BPDU_LEN + mstpLen) {
        p.printInvalid();
        return;
      }
      stpMstpPrint(p, off, length);
      if (version === 0x04) {
        const spbLen = p.u16(off + MST_V3LEN + mstpLen) + 2;
        if (length < STP_BPDU_LEN + mstpLen + spbLen || spbLen < 87) {
          p.printInvalid();
          return;
        }
        stpSpbPrint(p, off + STP_BPDU_LEN + mstpLen);
      }
    }
  }
}
