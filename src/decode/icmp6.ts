/**
 * ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861) decoding in place.
 *
 * `NdView` is one reusable object per stream of frames: `decode()` reads the
 * fixed part of the message and walks the ND options once, leaving numbers
 * and offsets into the caller's buffer. Nothing is allocated per message and
 * every offset stays valid until the next `decode()` on the same view (and as
 * long as the caller keeps the buffer unchanged).
 *
 * The view records facts only. Protocol rules a receiver would enforce
 * (hop limit 255, code 0, option presence rules of RFC 4861 section 6-8)
 * are left to the analyzer, which can read them from these fields.
 *
 * Status, as tcpdump distinguishes them:
 * - Truncated: the capture ends before the fixed part or before an option
 *   ends, but nothing seen so far is wrong.
 * - Invalid: the bytes are there but contradict themselves: the message is
 *   shorter than its type's fixed part, an option has length 0 (a receiver
 *   must discard such a message, RFC 4861 4.6) or runs past the message.
 */
import { DecodeStatus } from './status.js';

/** ICMPv6 message types used by arpscope. */
export const ICMP6_TYPE = {
  DST_UNREACH: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAM_PROB: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  MLD_QUERY: 130,
  MLD_REPORT: 131,
  MLD_DONE: 132,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
  MLDV2_REPORT: 143,
} as const;

/** ND option types (IANA "IPv6 Neighbor Discovery Option Formats"). */
export const ND_OPT = {
  SOURCE_LINKADDR: 1,
  TARGET_LINKADDR: 2,
  PREFIX_INFORMATION: 3,
  REDIRECTED_HEADER: 4,
  MTU: 5,
  ADVINTERVAL: 7,
  HOMEAGENT_INFO: 8,
  NONCE: 14,
  ROUTE_INFO: 24,
  RDNSS: 25,
  DNSSL: 31,
  PREF64: 38,
} as const;

/** Length of the fixed part (ICMPv6 header included) of each ND message, -1 for other types. */
export function ndFixedLength(type: number): number {
  switch (type) {
    case ICMP6_TYPE.ROUTER_SOLICIT:
      return 8;
    case ICMP6_TYPE.ROUTER_ADVERT:
      return 16;
    case ICMP6_TYPE.NEIGHBOR_SOLICIT:
    case ICMP6_TYPE.NEIGHBOR_ADVERT:
      return 24;
    case ICMP6_TYPE.REDIRECT:
      return 40;
    default:
      return -1;
  }
}

/** RA flag bits (byte 5 of the RA). */
export const ND_RA_FLAG = { MANAGED: 0x80, OTHER: 0x40, HOME_AGENT: 0x20, IPV6ONLY: 0x02 } as const;
/** NA flag bits (top byte of the 32-bit word at offset 4). */
export const ND_NA_FLAG = { ROUTER: 0x80, SOLICITED: 0x40, OVERRIDE: 0x20 } as const;

/**
 * A decoded ICMPv6 message, with the Neighbor Discovery fields when the type
 * is 133..137. Fields that do not apply to the type are 0, or -1 for offsets.
 */
export class NdView {
  status: DecodeStatus = DecodeStatus.None;
  /** Status of the option list alone (Ok when the message has no options). */
  optionsStatus: DecodeStatus = DecodeStatus.None;
  buf: Buffer = Buffer.alloc(0);
  /** Start of the ICMPv6 message. */
  off = 0;
  /** Message length, from the IPv6 payload length (may exceed what was captured). */
  length = 0;
  /** End (exclusive) of the usable bytes: min(captured end, off + length). */
  end = 0;

  type = -1;
  code = -1;
  /** The checksum field as sent (not verified; see icmp6Checksum). */
  checksum = -1;

  /** NS/NA/Redirect: offset of the 16-byte target address; -1 otherwise. */
  targetOff = -1;
  /** Redirect: offset of the 16-byte destination address; -1 otherwise. */
  destOff = -1;

  /** NA: the flag byte (router 0x80, solicited 0x40, override 0x20). */
  naFlags = 0;

  /** RA fields. */
  curHopLimit = 0;
  raFlags = 0;
  /** Seconds; 0 means "not a default router". */
  routerLifetime = 0;
  /** Milliseconds; 0 means unspecified. */
  reachableTime = 0;
  /** Milliseconds; 0 means unspecified. */
  retransTimer = 0;

  /** Offset of the first option (the end of the fixed part); -1 when not an ND message. */
  optionsOff = -1;
  /** Number of complete, valid options found by decode(). */
  optionCount = 0;
  /** Link-layer address bytes of the first source / target link-layer address option; -1 if none. */
  sllaOff = -1;
  sllaLen = 0;
  tllaOff = -1;
  tllaLen = 0;
  /** Data of the first nonce option (RFC 3971/7527, used by enhanced DAD); -1 if none. */
  nonceOff = -1;
  nonceLen = 0;

  /** Option cursor, set by firstOption()/nextOption(): offset of the option header, type and length in bytes. */
  optOff = -1;
  optType = -1;
  optLen = 0;

  get isNd(): boolean {
    return this.type >= ICMP6_TYPE.ROUTER_SOLICIT && this.type <= ICMP6_TYPE.REDIRECT;
  }
  get router(): boolean {
    return (this.naFlags & ND_NA_FLAG.ROUTER) !== 0;
  }
  get solicited(): boolean {
    return (this.naFlags & ND_NA_FLAG.SOLICITED) !== 0;
  }
  get override(): boolean {
    return (this.naFlags & ND_NA_FLAG.OVERRIDE) !== 0;
  }
  get managed(): boolean {
    return (this.raFlags & ND_RA_FLAG.MANAGED) !== 0;
  }
  get otherConfig(): boolean {
    return (this.raFlags & ND_RA_FLAG.OTHER) !== 0;
  }
  /** RA default router preference (RFC 4191): 0 medium, 1 high, 2 reserved, 3 low. */
  get routerPreference(): number {
    return (this.raFlags >> 3) & 3;
  }
  /** Offset of the current option's data (after its type and length bytes). */
  get optDataOff(): number {
    return this.optOff + 2;
  }

  /**
   * Decodes the ICMPv6 message at `off`. `end` is the end of the captured
   * bytes; `length` is the message length the IPv6 header announces
   * (defaults to the captured length).
   */
  decode(buf: Buffer, off: number, end: number, length: number = end - off): DecodeStatus {
    this.buf = buf;
    this.off = off;
    this.length = length;
    this.end = Math.min(end, off + length);
    this.type = this.code = this.checksum = -1;
    this.targetOff = this.destOff = -1;
    this.naFlags = this.curHopLimit = this.raFlags = this.routerLifetime = 0;
    this.reachableTime = this.retransTimer = 0;
    this.optionsOff = -1;
    this.optionCount = 0;
    this.sllaOff = this.tllaOff = this.nonceOff = -1;
    this.sllaLen = this.tllaLen = this.nonceLen = 0;
    this.optOff = this.optType = -1;
    this.optLen = 0;
    this.optionsStatus = DecodeStatus.None;

    const avail = this.end - off;
    if (avail < 4) {
      if (avail >= 1) this.type = buf[off]!;
      if (avail >= 2) this.code = buf[off + 1]!;
      return (this.status = length < 4 ? DecodeStatus.Invalid : DecodeStatus.Truncated);
    }
    const type = (this.type = buf[off]!);
    this.code = buf[off + 1]!;
    this.checksum = (buf[off + 2]! << 8) | buf[off + 3]!;

    const fixed = ndFixedLength(type);
    if (fixed < 0) return (this.status = DecodeStatus.Ok);
    if (length < fixed) return (this.status = DecodeStatus.Invalid);
    if (avail < fixed) return (this.status = DecodeStatus.Truncated);

    switch (type) {
      case ICMP6_TYPE.ROUTER_ADVERT:
        this.curHopLimit = buf[off + 4]!;
        this.raFlags = buf[off + 5]!;
        this.routerLifetime = (buf[off + 6]! << 8) | buf[off + 7]!;
        this.reachableTime = buf.readUInt32BE(off + 8);
        this.retransTimer = buf.readUInt32BE(off + 12);
        break;
      case ICMP6_TYPE.NEIGHBOR_ADVERT:
        this.naFlags = buf[off + 4]!;
        this.targetOff = off + 8;
        break;
      case ICMP6_TYPE.NEIGHBOR_SOLICIT:
        this.targetOff = off + 8;
        break;
      case ICMP6_TYPE.REDIRECT:
        this.targetOff = off + 8;
        this.destOff = off + 24;
        break;
      default:
        break;
    }
    this.optionsOff = off + fixed;
    this.optionsStatus = this.scanOptions();
    return (this.status = this.optionsStatus);
  }

  /** Walks all options once, recording the ones the analyzer asks about. */
  private scanOptions(): DecodeStatus {
    let ok = this.firstOption();
    while (ok) {
      this.optionCount++;
      const dataOff = this.optOff + 2;
      const dataLen = this.optLen - 2;
      switch (this.optType) {
        case ND_OPT.SOURCE_LINKADDR:
          if (this.sllaOff < 0) {
            this.sllaOff = dataOff;
            this.sllaLen = dataLen;
          }
          break;
        case ND_OPT.TARGET_LINKADDR:
          if (this.tllaOff < 0) {
            this.tllaOff = dataOff;
            this.tllaLen = dataLen;
          }
          break;
        case ND_OPT.NONCE:
          if (this.nonceOff < 0) {
            this.nonceOff = dataOff;
            this.nonceLen = dataLen;
          }
          break;
        default:
          break;
      }
      ok = this.nextOption();
    }
    return this.optStatus;
  }

  /** Status of the last firstOption()/nextOption() that returned false (Ok at a clean end). */
  optStatus: DecodeStatus = DecodeStatus.None;

  /** Positions the cursor on the first option; false when there is none (see optStatus). */
  firstOption(): boolean {
    if (this.optionsOff < 0) {
      this.optStatus = DecodeStatus.None;
      this.optOff = this.optType = -1;
      this.optLen = 0;
      return false;
    }
    return this.seek(this.optionsOff);
  }

  /** Advances the cursor; false at the end of the options or on a bad option (see optStatus). */
  nextOption(): boolean {
    if (this.optOff < 0) return false;
    return this.seek(this.optOff + this.optLen);
  }

  private seek(at: number): boolean {
    this.optOff = this.optType = -1;
    this.optLen = 0;
    const msgEnd = this.off + this.length;
    if (at >= msgEnd) {
      this.optStatus = DecodeStatus.Ok;
      return false;
    }
    if (msgEnd - at < 2) {
      // A lone byte after the last option: not an option at all.
      this.optStatus = DecodeStatus.Invalid;
      return false;
    }
    if (this.end - at < 2) {
      this.optStatus = DecodeStatus.Truncated;
      return false;
    }
    const len = this.buf[at + 1]! * 8;
    if (len === 0) {
      this.optStatus = DecodeStatus.Invalid;
      return false;
    }
    if (at + len > msgEnd) {
      this.optStatus = DecodeStatus.Invalid;
      return false;
    }
    if (at + len > this.end) {
      this.optStatus = DecodeStatus.Truncated;
      return false;
    }
    this.optOff = at;
    this.optType = this.buf[at]!;
    this.optLen = len;
    return true;
  }

  /** Finds the first option of `type`; returns its offset (the option header) or -1. Moves the cursor. */
  findOption(type: number): number {
    let ok = this.firstOption();
    while (ok) {
      if (this.optType === type) return this.optOff;
      ok = this.nextOption();
    }
    return -1;
  }
}

/**
 * The Internet checksum (RFC 1071) of an upper-layer message over IPv6,
 * with the RFC 8200 section 8.1 pseudo-header. Returns the one's complement
 * of the sum: 0 when the message (checksum field included) is correct.
 * All bytes `[off, off + len)` and the addresses must be in `buf`.
 */
export function ipv6PseudoChecksum(
  buf: Uint8Array, srcOff: number, dstOff: number, nextHeader: number, off: number, len: number,
): number {
  let sum = 0;
  for (let i = 0; i < 16; i += 2) {
    sum += (buf[srcOff + i]! << 8) | buf[srcOff + i + 1]!;
    sum += (buf[dstOff + i]! << 8) | buf[dstOff + i + 1]!;
  }
  sum += (len >>> 16) + (len & 0xffff) + nextHeader;
  const last = off + len - 1;
  let i = off;
  for (; i < last; i += 2) {
    sum += (buf[i]! << 8) | buf[i + 1]!;
    // Fold now and then so the sum stays a small integer.
    if (sum > 0x3fffffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  }
  if (i === last) sum += buf[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The value the checksum field should have held, given the field and ipv6PseudoChecksum's result (in_cksum_shouldbe). */
export function checksumShouldBe(field: number, computed: number): number {
  let s = field + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}
