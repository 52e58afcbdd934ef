/**
 * ARP / RARP / InARP header view (RFC 826, RFC 903, RFC 2390), any hardware
 * and protocol type and length. Offsets are absolute in the frame's buffer.
 */
import { readMac48 } from './mac.js';
import { DecodeStatus } from './status.js';

export const ARP_HDR_LEN = 8;

export const ArpOp = {
  REQUEST: 1,
  REPLY: 2,
  REVREQUEST: 3,
  REVREPLY: 4,
  INVREQUEST: 8,
  INVREPLY: 9,
  NAK: 10,
} as const;

export class ArpView {
  status: DecodeStatus = DecodeStatus.None;
  /** Offset of the ARP header. */
  off = 0;
  hrd = 0;
  pro = 0;
  hln = 0;
  pln = 0;
  op = 0;
  shaOff = 0;
  spaOff = 0;
  thaOff = 0;
  tpaOff = 0;
  /** Sender / target IPv4 as 32-bit unsigned numbers when pro is IPv4 and pln is 4; else 0. */
  spa = 0;
  tpa = 0;
  /** Sender / target hardware address as 48-bit numbers when hln is 6; else -1. */
  sha = -1;
  tha = -1;

  /**
   * Decodes the header at `off` with captured bytes up to `end`.
   * Truncated: the fixed header or the address tail (8 + 2*hln + 2*pln,
   * computed in full-width integers) is not all captured.
   */
  decode(buf: Buffer, off: number, end: number): DecodeStatus {
    this.off = off;
    this.sha = this.tha = -1;
    this.spa = this.tpa = 0;
    if (end - off < ARP_HDR_LEN) return (this.status = DecodeStatus.Truncated);
    this.hrd = (buf[off]! << 8) | buf[off + 1]!;
    this.pro = (buf[off + 2]! << 8) | buf[off + 3]!;
    this.hln = buf[off + 4]!;
    this.pln = buf[off + 5]!;
    this.op = (buf[off + 6]! << 8) | buf[off + 7]!;
    this.shaOff = off + 8;
    this.spaOff = this.shaOff + this.hln;
    this.thaOff = this.spaOff + this.pln;
    this.tpaOff = this.thaOff + this.hln;
    if (this.tpaOff + this.pln > end) return (this.status = DecodeStatus.Truncated);
    if (this.hln === 6) {
      this.sha = readMac48(buf, this.shaOff);
      this.tha = readMac48(buf, this.thaOff);
    }
    if (this.pln === 4 && (this.pro === 0x0800 || this.pro === 0x1000)) {
      const a = this.spaOff;
      const t = this.tpaOff;
      // `>>> 0` keeps addresses below 2^31 small integers (cheap Map keys), unlike readUInt32BE's doubles.
      this.spa = ((buf[a]! << 24) | (buf[a + 1]! << 16) | (buf[a + 2]! << 8) | buf[a + 3]!) >>> 0;
      this.tpa = ((buf[t]! << 24) | (buf[t + 1]! << 16) | (buf[t + 2]! << 8) | buf[t + 3]!) >>> 0;
    }
    return (this.status = DecodeStatus.Ok);
  }

  /** Ethernet/IPv4 ARP, the only kind most detectors care about. */
  get isEthernetIPv4(): boolean {
    return this.status === DecodeStatus.Ok && this.hln === 6 && this.pln === 4 && (this.pro === 0x0800 || this.pro === 0x1000);
  }
}
