// STUB: replaced by the IPv6/ICMPv6 printer.
import type { Printer } from './context.js';
export function ip6Print(p: Printer, _off: number, _length: number): void {
  p.out += 'IP6';
}
