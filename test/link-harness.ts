/** Shared by the link-layer printer tests: what one link printer prints for one frame given as hex. */
import { isTruncated, Printer } from '../src/print/context.js';
import { linkPrinterFor } from '../src/print/link.js';
import '../src/print/ether.js';
import '../src/print/links.js';

/** The text of one frame as the frame printer would make it, without the timestamp. */
export function showLink(linkType: number, hex: string, eflag = false, wireLen?: number, vflag = 0): string {
  const buf = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  const p = new Printer({ eflag, vflag });
  p.begin(buf, 0, buf.length);
  try {
    linkPrinterFor(linkType)!(p, buf.length, wireLen ?? buf.length);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    p.printTrunc();
  }
  return p.out;
}
