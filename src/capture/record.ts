/**
 * One captured frame, as every reader hands it out. Readers reuse one record
 * object and overwrite it on each advance: `buf[off .. off+caplen)` is valid
 * only until the reader is advanced again (copy what you keep).
 */
export interface PacketRecord {
  buf: Buffer;
  off: number;
  caplen: number;
  /** Length on the wire (pcap "len", pcapng "original length"). */
  wireLen: number;
  /** Timestamp: whole seconds since the epoch and nanoseconds within the second. */
  tsSec: number;
  tsNsec: number;
  /** LINKTYPE_* of this frame's interface. */
  linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  ifIndex: number;
  /** Interface name when the capture says (pcapng if_name), else ''. */
  ifName: string;
  /** 1-based frame number within its input, as Wireshark and `tcpdump -#` without a filter count. */
  frame: number;
  /** Index of the input among those opened together. */
  input: number;
  /** Byte offset of the record's header in the (decompressed) input. */
  fileOffset: number;
}

export function newRecord(): PacketRecord {
  return {
    buf: Buffer.alloc(0), off: 0, caplen: 0, wireLen: 0, tsSec: 0, tsNsec: 0,
    linkType: 1, ifIndex: 0, ifName: '', frame: 0, input: 0, fileOffset: 0,
  };
}

/**
 * Pull interface shared by all readers:
 *   while (true) { if (r.next()) use(r.record); else if (!(await r.fill())) break; }
 * next() is synchronous and allocation-free; fill() loads more input and
 * resolves false at the clean end of input. Both throw CaptureError.
 */
export interface CaptureReader {
  readonly name: string;
  readonly record: PacketRecord;
  next(): boolean;
  fill(): Promise<boolean>;
  close(): void;
  /** Bytes of capture data consumed so far (decompressed). */
  readonly position: number;
  /** Total input size when known (plain files), else -1. */
  readonly size: number;
  /** How far through the input as stored (a .gz file's compressed bytes too), 0..1, for progress; -1 when unknown (a pipe). */
  readonly fraction: number;
  /**
   * Jumps to the record whose header starts at input offset `fileOffset`
   * (a `record.fileOffset` seen earlier in the same input), numbering it
   * `frame`. Readers that can (classic pcap from a plain file) have it and
   * return true; false leaves the reader where it was.
   */
  seek?(fileOffset: number, frame: number): boolean;
}
