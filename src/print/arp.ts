// STUB
import type { Printer } from './context.js';
export function arpPrint(p: Printer, _off: number, _length: number, _caplen: number): void {
  p.out += 'ARP';
}
