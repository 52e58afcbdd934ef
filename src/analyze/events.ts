/**
 * The small typed events detectors see. The engine fills ONE object of each
 * kind per frame and hands it to every subscribed detector: copy the fields
 * you keep (they are numbers, so that is an assignment), never the object.
 *
 * Addresses are numbers: MACs as exact 48-bit integers, IPv4 as uint32.
 * IPv6 addresses are given as their RFC 5952 text (ND only, a small share
 * of frames), so detectors can key maps on them directly. Each address also
 * comes with its dense id from the engine's indexes (address-index.ts):
 * per-address state belongs in typed-array columns indexed by it. An id is
 * -1 only when the index is full.
 */

/** Where a frame came from: enough to print it again as evidence. */
export interface FrameRef {
  input: number;
  frame: number;
  /** Seconds since the epoch, with the fraction. */
  ts: number;
}

export interface ArpEvent extends FrameRef {
  /** 1 request, 2 reply, 3/4 RARP, 8/9 InARP. */
  op: number;
  sha: number;
  spa: number;
  tha: number;
  tpa: number;
  /** Ids of spa, tpa (Ipv4Index) and sha (MacIndex). */
  spaId: number;
  tpaId: number;
  shaId: number;
  /** Link-layer source / destination MAC (-1 when the link has none). */
  ethSrc: number;
  ethDst: number;
  /** Outermost VLAN id, -1 untagged. */
  vlan: number;
  /** Sender IP equals target IP (announcement), or a reply broadcast to ff:ff:ff:ff:ff:ff. */
  gratuitous: boolean;
  /** RFC 5227 probe: a request with sender IP 0.0.0.0. */
  probe: boolean;
  /** Link-layer source differs from the ARP sender hardware address (a fact, not a verdict). */
  senderMismatch: boolean;
  /** Sent to the broadcast address. */
  broadcast: boolean;
  /** The sender MAC is a configured virtual responder (config.virtualMacs). */
  shaVirtual: boolean;
  /** The Ethernet source MAC is one (false when the frame has no Ethernet source). */
  ethSrcVirtual: boolean;
}

export interface NdEvent extends FrameRef {
  /** 133 RS, 134 RA, 135 NS, 136 NA, 137 Redirect. */
  type: number;
  src: string;
  dst: string;
  /** NS/NA/Redirect target, '' otherwise. */
  target: string;
  /** Ids of src and target (Ipv6Index); targetId -1 when there is no target. */
  srcId: number;
  targetId: number;
  /** Source (NS/RS/RA) or target (NA) link-layer address option, -1 when absent. */
  lladdr: number;
  ethSrc: number;
  ethDst: number;
  vlan: number;
  hopLimit: number;
  /** NA flags. */
  router: boolean;
  solicited: boolean;
  override: boolean;
  /** RA router lifetime (seconds). */
  routerLifetime: number;
}

/** A TCP segment with RST set, IPv4 (for the MAC-change-then-reset detector). */
export interface TcpResetEvent extends FrameRef {
  src: number;
  dst: number;
  ethSrc: number;
  ethDst: number;
  ttl: number;
}
