/**
 * IEEE 802.11 link decoders: LINKTYPE_IEEE802_11 (105) and radiotap
 * (LINKTYPE_IEEE802_11_RADIOTAP, 127).
 *
 * Data frames: `dstMac`/`srcMac` are the DA and SA chosen by the ToDS/FromDS
 * bits (the 4-address form's SA is address 4), and an LLC/SNAP body gives
 * the ethertype. Management frames: DA and SA, no network layer. Null-data
 * and protected frames have no network layer we can read.
 *
 * The header is 24 bytes, 30 with four addresses, +2 for QoS, +4 for the HT
 * Control field of a QoS frame with the Order bit, padded to 4 bytes when
 * radiotap says so. (libpcap's filters assume 24/26 bytes and test only the
 * ethertype bytes; tcpdump's printer ignores HT Control. We decode what the
 * frame says: selection is by meaning, printing stays tcpdump's.)
 */
import { type FrameView, registerLinkDecoder } from './frame.js';
import { decodeLlc } from './sll.js';
import { readMac48 } from './mac.js';

export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;

const FC_TO_DS = 0x0100;
const FC_FROM_DS = 0x0200;
const FC_PROTECTED = 0x4000;
const FC_ORDER = 0x8000;
const RADIOTAP_F_FCS = 0x10;
const RADIOTAP_F_DATAPAD = 0x20;

function setAddrs(f: FrameView, buf: Buffer, srcOff: number, dstOff: number): void {
  f.srcMacOff = srcOff;
  f.dstMacOff = dstOff;
  f.srcMac = readMac48(buf, srcOff);
  f.dstMac = readMac48(buf, dstOff);
}

/**
 * The 802.11 frame at `off`. `pad`: header padded to 4 bytes; `fcsLen`:
 * FCS bytes at the end of the frame on the wire (dropped when captured).
 */
export function decode80211(f: FrameView, buf: Buffer, off: number, end: number, pad: boolean, fcsLen: number): boolean {
  if (fcsLen > 0) {
    const wireEnd = f.off + f.wireLen - fcsLen;
    if (end > wireEnd) end = wireEnd > off ? wireEnd : off;
  }
  if (end - off < 2) return false;
  const fc = buf[off]! | (buf[off + 1]! << 8);
  const type = (fc >> 2) & 3;
  if (type === 0) {
    // Management: DA, SA, BSSID.
    if (end - off < 24) return false;
    setAddrs(f, buf, off + 10, off + 4);
    return true;
  }
  if (type !== 2) return true; // control frames (and reserved) carry no payload
  const subtype = (fc >> 4) & 0xf;
  const ds = fc & (FC_TO_DS | FC_FROM_DS);
  let hdrlen = ds === (FC_TO_DS | FC_FROM_DS) ? 30 : 24;
  if ((subtype & 8) !== 0) hdrlen += (fc & FC_ORDER) !== 0 ? 6 : 2;
  if (pad) hdrlen = (hdrlen + 3) & ~3;
  if (end - off < hdrlen) return false;
  switch (ds) {
    case 0: setAddrs(f, buf, off + 10, off + 4); break;
    case FC_FROM_DS: setAddrs(f, buf, off + 16, off + 4); break;
    case FC_TO_DS: setAddrs(f, buf, off + 10, off + 16); break;
    default: setAddrs(f, buf, off + 24, off + 16); break;
  }
  if ((subtype & 4) !== 0 || (fc & FC_PROTECTED) !== 0) return true;
  return decodeLlc(f, buf, off + hdrlen, end);
}

/**
 * A radiotap header at `off`, then the 802.11 frame. Only the Flags field
 * matters here (FCS present, header padding); it is the first field after
 * the presence words and an 8-byte-aligned TSFT.
 */
export function decodeRadiotap(f: FrameView, buf: Buffer, off: number, end: number): boolean {
  if (end - off < 8) return false;
  const len = buf[off + 2]! | (buf[off + 3]! << 8);
  if (len < 8 || end - off < len) return false;
  const hdrEnd = off + len;
  let w = off + 4;
  // Bounded by the radiotap length.
  while (w + 4 <= hdrEnd && (buf[w + 3]! & 0x80) !== 0) w += 4;
  if (w + 4 > hdrEnd) return false;
  const present = buf.readUInt32LE(off + 4);
  let flags = 0;
  if ((present & 2) !== 0) {
    let at = w + 4 - off;
    if ((present & 1) !== 0) at = ((at + 7) & ~7) + 8;
    if (at < len) flags = buf[off + at]!;
  }
  return decode80211(f, buf, hdrEnd, end, (flags & RADIOTAP_F_DATAPAD) !== 0, (flags & RADIOTAP_F_FCS) !== 0 ? 4 : 0);
}

registerLinkDecoder(LINKTYPE_IEEE802_11, (f, buf, off, end) => decode80211(f, buf, off, end, false, 0));
registerLinkDecoder(LINKTYPE_IEEE802_11_RADIOTAP, decodeRadiotap);
