/** tcpdump's hex_and_ascii_print: 16 bytes a line, "\n\t0x0000:  0001 0800 ...  ascii". */
import { HEX2 } from './addr.js';
import { hex4 } from './names.js';
import { TRUNCATED, type Printer } from './context.js';

const PAD = ' '.repeat(40);

function asciiChar(b: number): string {
  return b > 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Appends the dump of `length` bytes at `off`; throws TRUNCATED after dumping what was captured if it runs short. */
export function hexAndAsciiPrint(p: Printer, ident: string, off: number, length: number, oset = 0): void {
  const avail = p.avail(off);
  let truncated = false;
  if (length > avail) {
    length = avail;
    truncated = true;
  }
  const buf = p.buf;
  let hex = '';
  let ascii = '';
  let n = 0;
  for (let i = 0; i < length; i++) {
    const b = buf[off + i]!;
    hex += (i & 1) === 0 ? ' ' + HEX2[b] : HEX2[b];
    ascii += asciiChar(b);
    n++;
    if (n === 16) {
      p.out += ident + '0x' + oset.toString(16).padStart(4, '0') + ': ' + hex + '  ' + ascii;
      hex = ascii = '';
      n = 0;
      oset += 16;
    }
  }
  if (n > 0) {
    p.out += ident + '0x' + oset.toString(16).padStart(4, '0') + ': ' + hex + PAD.slice(hex.length) + '  ' + ascii;
  }
  if (truncated) throw TRUNCATED;
}

/** ND_DEFAULTPRINT as tcpdump -n uses it: the hex+ASCII dump on continuation lines. */
export function defaultPrint(p: Printer, off: number, length: number): void {
  hexAndAsciiPrint(p, '\n\t', off, length);
}

/** hex_print: "ident0x0000: " then " xxxx" groups, 16 bytes a line; throws after printing what was captured if short. */
export function hexPrint(p: Printer, ident: string, off: number, length: number): void {
  const avail = p.avail(off);
  let truncated = false;
  if (length > avail) {
    length = avail;
    truncated = true;
  }
  const buf = p.buf;
  let s = '';
  let oset = 0;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    if ((i & 15) === 0) {
      s += ident + '0x' + hex4(oset) + ': ';
      oset += 16;
    }
    s += ' ' + HEX2[buf[off + i]!]! + HEX2[buf[off + i + 1]!]!;
  }
  if (i < length) {
    if ((i & 15) === 0) s += ident + '0x' + hex4(oset) + ': ';
    s += ' ' + HEX2[buf[off + i]!]!;
  }
  p.out += s;
  if (truncated) throw TRUNCATED;
}
