/**
 * IPv6 fixed header view (RFC 8200). ICMPv6 is recognised only when it
 * directly follows the fixed header, which is where Neighbor Discovery lives
 * (RFC 4861 messages carry no extension headers in practice, and libpcap's
 * `ip6[40]` idiom looks only there).
 */
import { DecodeStatus } from './status.js';

export const IPV6_HDR_LEN = 40;
export const IPPROTO_ICMPV6 = 58;
/** Extension headers findUpperLayer() skips at most. */
export const MAX_EXT_HEADERS = 8;

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
  /** Traffic class (8 bits) and flow label (20 bits). */
  trafficClass = 0;
  flowLabel = 0;
  /**
   * The upper-layer header after any Hop-by-Hop, Destination Options,
   * Routing and (first-)Fragment headers that were captured: its protocol
   * and offset, or -1 / -1 when the chain is cut short, is a later
   * fragment, or runs past the payload. MLD, for one, follows a Hop-by-Hop header.
   */
  upperProto = -1;
  upperOff = -1;

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
    this.trafficClass = ((buf[off]! & 0x0f) << 4) | (buf[off + 1]! >> 4);
    this.flowLabel = ((buf[off + 1]! & 0x0f) << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
    this.upperProto = this.upperOff = -1;
    // Read before the version check, as libpcap's `icmp6 and ip6[40]` idiom does: a frame with a bad
    // version is still selected (and printed as tcpdump does); consumers that interpret ND check status.
    if (this.nextHeader === IPPROTO_ICMPV6 && end - this.payloadOff >= 1) {
      this.icmp6Type = buf[this.payloadOff]!;
      if (end - this.payloadOff >= 2) this.icmp6Code = buf[this.payloadOff + 1]!;
    }
    if (this.version !== 6) return (this.status = DecodeStatus.Invalid);
    this.findUpperLayer(buf, end);
    return (this.status = DecodeStatus.Ok);
  }

  /** Length of the upper-layer message at upperOff according to the payload length (0 if none). */
  get upperLen(): number {
    return this.upperOff < 0 ? 0 : this.payloadOff + this.payloadLen - this.upperOff;
  }

  /** Skips extension headers (at most MAX_EXT_HEADERS, each >= 8 bytes) to set upperProto/upperOff. */
  private findUpperLayer(buf: Buffer, end: number): void {
    const payloadEnd = this.payloadOff + this.payloadLen;
    let nh = this.nextHeader;
    let at = this.payloadOff;
    for (let n = 0; n <= MAX_EXT_HEADERS; n++) {
      if (nh !== 0 && nh !== 43 && nh !== 44 && nh !== 60) {
        if (at <= payloadEnd) {
          this.upperProto = nh;
          this.upperOff = at;
        }
        return;
      }
      if (end - at < 8 || payloadEnd - at < 8) return;
      if (nh === 44) {
        if ((((buf[at + 2]! << 8) | buf[at + 3]!) & 0xfff8) !== 0) return;
        nh = buf[at]!;
        at += 8;
      } else {
        nh = buf[at]!;
        at += (buf[at + 1]! + 1) * 8;
      }
    }
  }

  /** ICMPv6 Neighbor Discovery: RS 133, RA 134, NS 135, NA 136, Redirect 137. */
  /** ICMPv6 type 133-137 right after the fixed header (whatever the version field says: see decode). */
  get isNd(): boolean {
    return this.icmp6Type >= 133 && this.icmp6Type <= 137;
  }
}
