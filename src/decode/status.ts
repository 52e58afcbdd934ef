/** Outcome of decoding one layer: tcpdump distinguishes truncated from invalid, so do we. */
export enum DecodeStatus {
  /** Not decoded (layer absent). */
  None = 0,
  Ok = 1,
  /** The captured bytes end before the layer does. */
  Truncated = 2,
  /** The bytes are there but make no sense (bad version, impossible length). */
  Invalid = 3,
}
