/**
 * Vendor names from the IEEE OUI registry, read from the copy a Debian
 * system already has (Wireshark's manuf file, or ieee-data's oui.txt) on
 * first use. No registry copy: vendor is null.
 */
import { existsSync, readFileSync } from 'node:fs';

const SOURCES = ['/usr/share/wireshark/manuf', '/usr/share/ieee-data/oui.txt'];
let table: Map<number, string> | null = null;

/** The value of hex digit `c` (a char code), or -1. */
function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

/** The 24-bit prefix written "HH?HH?HH" at `at` with separator `sep` (':' or '-'), or -1. */
function prefixAt(text: string, at: number, sep: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = text.charCodeAt(at + i);
    if (i % 3 === 2) {
      if (c !== sep) return -1;
      continue;
    }
    const d = hex(c);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Both formats, one line at a time (a 2 MB file: no split, no regex, little garbage):
 *   manuf:   "00:00:0C<TAB>Cisco<TAB>Cisco Systems, Inc"  (the long name when there is one)
 *   oui.txt: "00-00-0C   (hex)<TABS>Cisco Systems, Inc"
 * Longer manuf prefixes ("00:1B:C5:00:00:00/36") and everything else are skipped.
 */
export function parseOui(text: string): Map<number, string> {
  const t = new Map<number, string>();
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > at && text.charCodeAt(end - 1) === 13) end--;
    if (end - at > 9) {
      let oui = -1;
      let name = '';
      if (text.charCodeAt(at + 8) === 9) {
        oui = prefixAt(text, at, 58);
        if (oui < 0) oui = prefixAt(text, at, 45);
        const tab2 = text.indexOf('\t', at + 9);
        name = tab2 < 0 || tab2 >= end ? text.slice(at + 9, end) : text.slice(tab2 + 1, end);
      } else {
        const hex = skipBlanks(text, at + 8, end);
        if (text.startsWith('(hex)', hex)) {
          oui = prefixAt(text, at, 45);
          name = text.slice(hex + 5, end);
        }
      }
      name = name.trim();
      if (oui >= 0 && name !== '') t.set(oui, name);
    }
    at = next;
  }
  return t;
}

function skipBlanks(text: string, at: number, end: number): number {
  while (at < end && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  return at;
}

function load(): Map<number, string> {
  const file = process.env['ARPSCOPE_OUI_FILE'] ?? SOURCES.find((f) => existsSync(f));
  if (!file) return new Map();
  try {
    return parseOui(readFileSync(file, 'latin1'));
  } catch {
    return new Map();
  }
}

export function vendorOf(mac: number): string | null {
  if (table === null) table = load();
  return table.get(Math.floor(mac / 0x1000000)) ?? null;
}
