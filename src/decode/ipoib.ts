/**
 * IP over InfiniBand (LINKTYPE_IPOIB, 242): a 44-byte pseudo-header with
 * 20-byte hardware addresses (so no `srcMac`/`dstMac`), the ethertype at
 * offset 40 and 2 reserved bytes.
 */
import { type FrameView, registerLinkDecoder } from './frame.js';
import { decodeTypeAt } from './sll.js';

export const LINKTYPE_IPOIB = 242;
const IPOIB_HDRLEN = 44;

export function decodeIpoib(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < IPOIB_HDRLEN) return false;
  const et = (buf[off + 40]! << 8) | buf[off + 41]!;
  return decodeTypeAt(f, buf, et, off + IPOIB_HDRLEN, end, false);
}

registerLinkDecoder(LINKTYPE_IPOIB, decodeIpoib);
