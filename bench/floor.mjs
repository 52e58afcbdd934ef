#!/usr/bin/env node
// The least work any analysis of a capture has to do, on arpscope's own
// reader and address indexes (dist/, so `npm run build` first):
//
//   node bench/floor.mjs FILE select   read every record, decode it, keep ARP/ND (what `read` does before printing)
//   node bench/floor.mjs FILE intern   that, plus the three address lookups per ARP frame (sender IP, target IP,
//                                      sender MAC) that every detector's per-address state is indexed by
//
// No detector, no binding table, no report: `analyze` can only be slower. npm run bench times both next to
// `tcpdump -r F -w /dev/null arp` and `analyze` in one table (BENCHMARKS.md, "the floor").
import { Ipv4Index, MacIndex } from '../dist/analyze/address-index.js';
import { NetKind } from '../dist/decode/frame.js';
import { openCaptures, scanFrames } from '../dist/read.js';

const [file, mode = 'intern'] = process.argv.slice(2);
if (!file || (mode !== 'select' && mode !== 'intern')) {
  console.error('usage: node bench/floor.mjs FILE [select|intern]');
  process.exit(2);
}
const ipv4 = new Ipv4Index();
const macs = new MacIndex();
let frames = 0;
let arp = 0;
const reader = await openCaptures([file]);
await scanFrames(reader, (f) => {
  frames++;
  if (mode === 'select' || f.net !== NetKind.Arp) return;
  const a = f.arp;
  if (!a.isEthernetIPv4) return;
  arp++;
  ipv4.intern(a.spa);
  ipv4.intern(a.tpa);
  macs.intern(a.sha);
});
reader.close();
console.log(`${mode}: ${frames} ARP/ND frames selected, ${arp} ARP frames interned, ${ipv4.size} IPv4 and ${macs.size} MAC ids`);
