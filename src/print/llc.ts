// STUB: replaced by the LLC/SNAP printer.
import type { Printer } from './context.js';
/** Returns the LLC header length, negated when the payload was not printed. */
export function llcPrint(_p: Printer, _off: number, _length: number, _caplen: number, _srcOff: number, _dstOff: number): number {
  return -3;
}
