/**
 * skipForAnalysis may only skip what analyze would never use: every frame of
 * the repo's captures (and the corpus when present), as captured and inside
 * one or two added VLAN tags, cut at a few lengths. A skipped frame must
 * decode to neither ARP/ND nor an IPv4 TCP reset.
 */
import { describe, expect, it } from 'vitest';
import { isTcpReset } from '../analyze/engine.js';
import type { PacketRecord } from '../capture/record.js';
import { captureFiles, captureRecords, haveCorpus } from '../../test/corpus.js';
import { FrameView, NetKind } from './frame.js';
import './links.js';
import { skipForAnalysis } from './quick-reject.js';

/** `r` with `tags` (TPID, VLAN id) inserted after the MAC addresses, cut to `caplen` bytes (default: all). */
function tagged(r: PacketRecord, tags: [number, number][], caplen = Infinity): PacketRecord {
  const frame = r.buf.subarray(r.off, r.off + r.caplen);
  const head = Buffer.alloc(4 * tags.length);
  tags.forEach(([tpid, vid], i) => {
    head.writeUInt16BE(tpid, 4 * i);
    head.writeUInt16BE(vid, 4 * i + 2);
  });
  const bytes = Buffer.concat([frame.subarray(0, 12), head, frame.subarray(12)]);
  const buf = bytes.subarray(0, Math.min(caplen, bytes.length));
  return { ...r, buf, off: 0, caplen: buf.length, wireLen: r.wireLen + head.length };
}

describe(`skipForAnalysis (${haveCorpus ? 'corpus + repo captures' : 'repo captures only: corpus absent'})`, () => {
  it('skips no frame analyze uses, skips tagged frames as their untagged selves, and most IP analyze does not use', async () => {
    const f = new FrameView();
    const wanted = (r: PacketRecord): boolean => {
      f.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
      return f.isArpOrNd || isTcpReset(f);
    };
    /** Whole (uncut) Ethernet IPv4/IPv6 frames analyze does not use, and how many of them were skipped. */
    let unusedIp = 0;
    let skippedIp = 0;
    let resets = 0;
    for (const file of captureFiles()) {
      for (const r of await captureRecords(file, 5000)) {
        const variants = [r];
        if (r.linkType === 1 && r.caplen >= 14) {
          variants.push(tagged(r, [[0x8100, 200]]), tagged(r, [[0x88a8, 10], [0x8100, 200]]));
          // Cut inside a tag, inside the network header, inside the TCP header.
          for (const cut of [15, 30, 45, 60]) variants.push(tagged(r, [[0x8100, 7]], cut));
        }
        // Tags change nothing about what is skipped.
        for (const v of variants.slice(1, 3)) if (skipForAnalysis(v) !== skipForAnalysis(r)) expect.fail(`${file} frame ${r.frame}: tagged, skipped differently`);
        variants.forEach((v, i) => {
          const use = wanted(v);
          if (use && !f.isArpOrNd) resets++;
          const ip = i < 3 && v.linkType === 1 && (f.net === NetKind.IPv4 || f.net === NetKind.IPv6);
          if (ip && !use) unusedIp++;
          if (!skipForAnalysis(v)) return;
          if (use) expect.fail(`${file} frame ${r.frame}: skipped, but analyze uses it (${v.buf.subarray(v.off, v.off + v.caplen).toString('hex')})`);
          if (ip) skippedIp++;
        });
      }
    }
    // The captures hold TCP resets (mac-change-reset's scenario), and the skip takes most other IP, tagged or not
    // (not ICMPv6 that is not ND, nor IPv4 cut short: the decoder looks at those).
    expect(resets).toBeGreaterThan(0);
    expect(skippedIp).toBeGreaterThan(0.8 * unusedIp);
  }, 120_000);
});
