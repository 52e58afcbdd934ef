/**
 * The analysis engine: decoded frames -> events -> detectors -> findings.
 * It keeps the shared binding table (who claimed which IP, request/reply
 * counts, reply latency) and hands each detector the reused event objects.
 */
import type { PacketRecord } from '../capture/record.js';
import { NdView } from '../decode/icmp6.js';
import { FrameView, NetKind } from '../decode/frame.js';
import { DecodeStatus } from '../decode/status.js';
import { readMac48 } from '../decode/mac.js';
import { ipv6TextAt } from '../print/addr.js';
import { capacityFor, growU8, Ipv4Index, Ipv6Index, MacIndex } from './address-index.js';
import { BindingTable } from './bindings.js';
import type { AnalyzeConfig } from './config.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import type { ArpEvent, NdEvent, TcpResetEvent } from './events.js';
import type { DraftHead, FindingDraft } from './finding.js';
import { FindingFolder } from './fold.js';

const BROADCAST = 0xffffffffffff;
/** A reply later than this after the last request is not counted as its answer. */
const MAX_LATENCY_S = 5;

export interface EngineCounters {
  frames: number;
  arp: number;
  arpRequests: number;
  arpReplies: number;
  gratuitous: number;
  nd: number;
  tcpResets: number;
}

export class Engine implements DetectorContext {
  readonly ipv4 = new Ipv4Index();
  readonly ipv6 = new Ipv6Index();
  readonly macs = new MacIndex();
  readonly bindings = new BindingTable(this.ipv4, this.ipv6);
  /** The findings, filled by finish() (detectors emit into the folder until then). */
  drafts: FindingDraft[] = [];
  private readonly folder: FindingFolder;
  readonly counters: EngineCounters = { frames: 0, arp: 0, arpRequests: 0, arpReplies: 0, gratuitous: 0, nd: 0, tcpResets: 0 };
  /** The ARP event of the frame just handed to onFrame (null when it was not ARP). Reused: read it at once. */
  lastArp: ArpEvent | null = null;
  firstTs = Infinity;
  lastTs = -Infinity;
  private detectors: Detector[];
  private arpSubs: Detector[];
  private ndSubs: Detector[];
  private tcpSubs: Detector[];
  private readonly nd = new NdView();
  private readonly arpEv: ArpEvent = {
    input: 0, frame: 0, ts: 0, op: 0, sha: 0, spa: 0, tha: 0, tpa: 0, spaId: -1, tpaId: -1, shaId: -1, ethSrc: -1, ethDst: -1, vlan: -1,
    gratuitous: false, probe: false, senderMismatch: false, broadcast: false, shaVirtual: false, ethSrcVirtual: false,
  };
  private readonly sharedState = new Map<string, unknown>();
  private readonly ndEv: NdEvent = {
    input: 0, frame: 0, ts: 0, type: 0, src: '', dst: '', target: '', srcId: -1, targetId: -1, lladdr: -1, ethSrc: -1, ethDst: -1, vlan: -1,
    hopLimit: 0, router: false, solicited: false, override: false, routerLifetime: 0,
  };
  private readonly tcpEv: TcpResetEvent = { input: 0, frame: 0, ts: 0, src: 0, dst: 0, ethSrc: -1, ethDst: -1, ttl: 0 };

  private readonly virtualMacs: Set<number>;
  private virtualById = new Uint8Array(0);
  private virtualKnown = 0;

  /** Whether this engine keeps the binding table (a second thread's does not: see second-pass.ts). */
  private readonly tracksBindings: boolean;
  /** Whether it selects and counts TCP resets: when a detector here wants them, or one in a second thread does. */
  private readonly tcpResets: boolean;

  constructor(
    readonly config: AnalyzeConfig,
    factories: readonly DetectorFactory[],
    readonly vantages: readonly string[] = ['capture'],
    opts: { bindings?: boolean; tcpResets?: boolean } = {},
  ) {
    this.tracksBindings = opts.bindings ?? true;
    this.virtualMacs = config.virtualMacs;
    this.folder = new FindingFolder(config.maxPerKind);
    this.detectors = factories.map((f) => f(this));
    this.arpSubs = this.detectors.filter((d) => d.onArp);
    this.ndSubs = this.detectors.filter((d) => d.onNd);
    this.tcpSubs = this.detectors.filter((d) => d.onTcpReset);
    this.tcpResets = this.tcpSubs.length > 0 || opts.tcpResets === true;
  }

  emit(d: FindingDraft): void {
    this.folder.add(d);
  }

  offer(head: DraftHead, build: () => FindingDraft): void {
    this.folder.offer(head, build);
  }

  shared<T>(name: string, create: () => T): T {
    let v = this.sharedState.get(name) as T | undefined;
    if (v === undefined) {
      v = create();
      this.sharedState.set(name, v);
    }
    return v;
  }

  /** Whether the engine wants this frame at all (ARP/ND, and TCP resets when a detector asks). */
  wants(f: FrameView): boolean {
    if (f.isArpOrNd) return true;
    return this.tcpResets && f.net === NetKind.IPv4 && isTcpReset(f);
  }

  onFrame(f: FrameView, r: PacketRecord): void {
    const ts = r.tsSec + r.tsNsec / 1e9;
    this.counters.frames++;
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    this.lastArp = null;
    const n = f.net;
    if (n === NetKind.Arp || n === NetKind.Rarp) this.arp(f, r, ts);
    else if (n === NetKind.IPv6) this.ndFrame(f, r, ts);
    else if (n === NetKind.IPv4) this.tcpReset(f, r, ts);
  }

  /** Whether MAC id `id` is a configured virtual responder: a column filled as ids appear, not a Set lookup per frame. */
  private isVirtual(id: number): boolean {
    if (id >= this.virtualKnown) {
      const macs = this.macs;
      if (this.virtualById.length < macs.size) this.virtualById = growU8(this.virtualById, capacityFor(this.virtualById.length, macs.size - 1));
      for (let i = this.virtualKnown; i < macs.size; i++) this.virtualById[i] = this.virtualMacs.has(macs.keys[i]!) ? 1 : 0;
      this.virtualKnown = macs.size;
    }
    return this.virtualById[id] === 1;
  }

  private arp(f: FrameView, r: PacketRecord, ts: number): void {
    const a = f.arp;
    if (!a.isEthernetIPv4) return;
    this.counters.arp++;
    const e = this.arpEv;
    e.input = r.input;
    e.frame = r.frame;
    e.ts = ts;
    e.op = a.op;
    e.sha = a.sha;
    e.spa = a.spa;
    e.tha = a.tha;
    e.tpa = a.tpa;
    e.spaId = this.ipv4.intern(a.spa);
    e.tpaId = a.tpa === a.spa ? e.spaId : this.ipv4.intern(a.tpa);
    e.shaId = this.macs.intern(a.sha);
    e.ethSrc = f.srcMac;
    e.ethDst = f.dstMac;
    e.vlan = f.vlanDepth > 0 ? f.vlanIds[0]! : -1;
    e.broadcast = f.dstMac === BROADCAST;
    e.probe = a.op === 1 && a.spa === 0;
    e.gratuitous = (a.spa === a.tpa && a.spa !== 0) || (a.op === 2 && e.broadcast);
    e.senderMismatch = f.srcMac >= 0 && f.srcMac !== a.sha;
    e.shaVirtual = e.shaId >= 0 ? this.isVirtual(e.shaId) : this.virtualMacs.has(a.sha);
    // Nearly always the sender itself; a Set lookup with a 48-bit key would box it on every frame.
    e.ethSrcVirtual = f.srcMac === a.sha ? e.shaVirtual : f.srcMac >= 0 && this.virtualMacs.has(f.srcMac);
    if (this.tracksBindings) this.updateBindings(e);
    for (const d of this.arpSubs) d.onArp!(e);
    this.lastArp = e;
  }

  private updateBindings(e: ArpEvent): void {
    const v4 = this.bindings.v4;
    if (e.gratuitous) this.counters.gratuitous++;
    if (e.op === 1) {
      this.counters.arpRequests++;
      if (e.spa !== 0 && e.spaId >= 0) {
        v4.claim(e.spaId, e.sha, e.ts);
        if (e.gratuitous) v4.gratuitous(e.spaId);
      }
      if (!e.gratuitous && !e.probe && e.tpaId >= 0) v4.request(e.tpaId, e.ts);
    } else if (e.op === 2) {
      this.counters.arpReplies++;
      const id = e.spaId;
      if (id < 0) return;
      v4.reply(id, e.ts, MAX_LATENCY_S);
      v4.claim(id, e.sha, e.ts);
      if (e.gratuitous) v4.gratuitous(id);
    }
  }

  private ndFrame(f: FrameView, r: PacketRecord, ts: number): void {
    const ip = f.ip6;
    if (!ip.isNd || ip.status !== DecodeStatus.Ok) return;
    const nd = this.nd;
    const buf = f.buf;
    nd.decode(buf, ip.payloadOff, f.end, Math.min(ip.payloadLen, f.end - ip.payloadOff));
    if (nd.type < 133 || nd.type > 137) return;
    this.counters.nd++;
    const e = this.ndEv;
    e.input = r.input;
    e.frame = r.frame;
    e.ts = ts;
    e.type = nd.type;
    const v6 = this.ipv6;
    const hasTarget = nd.targetOff >= 0 && nd.targetOff + 16 <= f.end;
    e.targetId = hasTarget ? v6.internAt(buf, nd.targetOff) : -1;
    e.srcId = v6.internAt(buf, ip.srcOff);
    const dstId = v6.internAt(buf, ip.dstOff);
    // Text from the index's cache: made once per address, not per frame.
    e.src = e.srcId >= 0 ? v6.text(e.srcId) : ipv6TextAt(buf, ip.srcOff);
    e.dst = dstId >= 0 ? v6.text(dstId) : ipv6TextAt(buf, ip.dstOff);
    e.target = !hasTarget ? '' : e.targetId >= 0 ? v6.text(e.targetId) : ipv6TextAt(buf, nd.targetOff);
    const ll = nd.type === 136 ? nd.tllaOff : nd.sllaOff;
    const llLen = nd.type === 136 ? nd.tllaLen : nd.sllaLen;
    e.lladdr = ll >= 0 && llLen >= 6 && ll + 6 <= f.end ? readMac48(buf, ll) : -1;
    e.ethSrc = f.srcMac;
    e.ethDst = f.dstMac;
    e.vlan = f.vlanDepth > 0 ? f.vlanIds[0]! : -1;
    e.hopLimit = ip.hopLimit;
    e.router = nd.type === 136 && nd.router;
    e.solicited = nd.type === 136 && nd.solicited;
    e.override = nd.type === 136 && nd.override;
    e.routerLifetime = nd.type === 134 ? nd.routerLifetime : 0;
    if (this.tracksBindings) this.updateNdBindings(e);
    for (const d of this.ndSubs) d.onNd!(e);
  }

  private updateNdBindings(e: NdEvent): void {
    const b6 = this.bindings.v6;
    const ts = e.ts;
    if (e.type === 136 && e.targetId >= 0) {
      b6.reply(e.targetId, ts, MAX_LATENCY_S);
      const mac = e.lladdr >= 0 ? e.lladdr : e.ethSrc;
      if (mac >= 0) b6.claim(e.targetId, mac, ts);
    } else if (e.type === 135 && e.targetId >= 0) {
      // A DAD probe (from ::) asks whether the address is free: no answer is expected, no latency.
      b6.request(e.targetId, ts, e.src !== '::');
      if (e.src !== '::' && e.lladdr >= 0 && e.srcId >= 0) b6.claim(e.srcId, e.lladdr, ts);
    }
  }

  private tcpReset(f: FrameView, r: PacketRecord, ts: number): void {
    if (!this.tcpResets || !isTcpReset(f)) return;
    this.counters.tcpResets++;
    const b = f.buf;
    const o = f.netOff;
    const e = this.tcpEv;
    e.input = r.input;
    e.frame = r.frame;
    e.ts = ts;
    e.src = b.readUInt32BE(o + 12);
    e.dst = b.readUInt32BE(o + 16);
    e.ttl = b[o + 8]!;
    e.ethSrc = f.srcMac;
    e.ethDst = f.dstMac;
    for (const d of this.tcpSubs) d.onTcpReset!(e);
  }

  /**
   * End of input: the detectors emit what is pending, and are then let go
   * (their per-address columns are most of the memory, and the report that
   * follows needs only the drafts, the binding table and the shared state).
   */
  finish(): void {
    for (const d of this.detectors) d.finish();
    this.drafts = this.folder.drafts();
    this.detectors = this.arpSubs = this.ndSubs = this.tcpSubs = [];
  }
}

/** IPv4 carrying a TCP segment with RST set (checked within the captured bytes). */
export function isTcpReset(f: FrameView): boolean {
  const b = f.buf;
  const o = f.netOff;
  if (o < 0 || o + 20 > f.end || b[o]! >> 4 !== 4 || b[o + 9] !== 6) return false;
  const ihl = (b[o]! & 15) * 4;
  if ((((b[o + 6]! << 8) | b[o + 7]!) & 0x1fff) !== 0) return false; // not a first fragment
  const t = o + ihl;
  return t + 14 <= f.end && (b[t + 13]! & 0x04) !== 0;
}
