/**
 * The 6 bytes at `off` as one exact 48-bit number, the form every decoder
 * and the analysis use for MACs. Byte arithmetic: readUInt32BE is a call on
 * the per-frame path, not inlined.
 */
export function readMac48(buf: Uint8Array, off: number): number {
  return ((buf[off]! << 8) | buf[off + 1]!) * 0x100000000 + ((buf[off + 2]! << 24) >>> 0) + ((buf[off + 3]! << 16) | (buf[off + 4]! << 8) | buf[off + 5]!);
}
