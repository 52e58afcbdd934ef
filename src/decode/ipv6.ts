/**
 * IPv6 fixed header view (RFC 8200). ICMPv6 is recognised only when it
 * directly follows the fixed header, which is where Neighbor Discovery lives
 * (RFC 4861 messages carry no extension headers in practice, and libpcap's
 * `ip6[40]` idiom looks only there).
 */
import { DecodeStatus } from './status.js';

export const IPV6_HDR_LEN = 40;
export const IPPROTO_ICMPV6 = 58;

export class Ipv6View {
  status: DecodeStatus = DecodeStatus.None;
  off = 0;
  version = 0;
  payloadLen = 0;
  nextHeader = 0;
  hopLimit = 0;
  /** Offsets of the 16-byte source and destination addresses. */
  srcOff = 0;
  dstOff = 0;
  /** Offset of the first byte after the fixed header. */
  payloadOff = 0;
  /** ICMPv6 type and code when nextHeader is ICMPv6 and captured; else -1. */
  icmp6Type = -1;
  icmp6Code = -1;

  decode(buf: Buffer, off: number, end: number): DecodeStatus {
    this.off = off;
    this.icmp6Type = this.icmp6Code = -1;
    if (end - off < IPV6_HDR_LEN) {
      this.version = end - off >= 1 ? buf[off]! >> 4 : 0;
      return (this.status = DecodeStatus.Truncated);
    }
    this.version = buf[off]! >> 4;
    this.payloadLen = (buf[off + 4]! << 8) | buf[off + 5]!;
    this.nextHeader = buf[off + 6]!;
    this.hopLimit = buf[off + 7]!;
    this.srcOff = off + 8;
    this.dstOff = off + 24;
    this.payloadOff = off + IPV6_HDR_LEN;
    if (this.version !== 6) return (this.status = DecodeStatus.Invalid);
    if (this.nextHeader === IPPROTO_ICMPV6 && end - this.payloadOff >= 1) {
      this.icmp6Type = buf[this.payloadOff]!;
      if (end - this.payloadOff >= 2) this.icmp6Code = buf[this.payloadOff + 1]!;
    }
    return (this.status = DecodeStatus.Ok);
  }

  /** ICMPv6 Neighbor Discovery: RS 133, RA 134, NS 135, NA 136, Redirect 137. */
  get isNd(): boolean {
    return this.icmp6Type >= 133 && this.icmp6Type <= 137;
  }
}
