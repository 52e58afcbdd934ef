/**
 * Vendor names from the IEEE OUI registry, read from the copy a Debian
 * system already has (Wireshark's manuf file, or ieee-data's oui.txt) on
 * first use. No registry copy: vendor is null.
 */
import { existsSync, readFileSync } from 'node:fs';

const SOURCES = ['/usr/share/wireshark/manuf', '/usr/share/ieee-data/oui.txt'];
let table: Map<number, string> | null = null;

function load(): Map<number, string> {
  const t = new Map<number, string>();
  const file = process.env['ARPSCOPE_OUI_FILE'] ?? SOURCES.find((f) => existsSync(f));
  if (!file) return t;
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return t;
  }
  for (const line of text.split('\n')) {
    // manuf: "00:00:0C\tCisco\tCisco Systems, Inc"; oui.txt: "00-00-0C   (hex)\t\tCisco Systems, Inc"
    let m = /^([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})[:-]([0-9A-Fa-f]{2})\t([^\t]+)(?:\t(.+))?$/.exec(line);
    if (m) {
      t.set(parseInt(m[1]! + m[2]! + m[3]!, 16), (m[5] ?? m[4]!).trim());
      continue;
    }
    m = /^([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})\s+\(hex\)\s+(.+)$/.exec(line);
    if (m) t.set(parseInt(m[1]! + m[2]! + m[3]!, 16), m[4]!.trim());
  }
  return t;
}

export function vendorOf(mac: number): string | null {
  if (table === null) table = load();
  const oui = Math.floor(mac / 0x1000000);
  // Locally administered addresses (02:..., VRRP excepted) belong to no vendor.
  if ((oui & 0x020000) !== 0) return table.get(oui) ?? null;
  return table.get(oui) ?? null;
}
