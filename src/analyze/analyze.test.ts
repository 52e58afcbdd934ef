/**
 * The evidence pass jumps between the record marks pass 1 left where the
 * reader can seek (classic pcap files), and reads on where it cannot (gzip):
 * both must print the same frames.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../test/corpus.js';
import { PcapReader } from '../capture/pcap.js';
import { analyzeCaptures } from './analyze.js';
import { defaultConfig } from './config.js';

/** incident.pcap with 7 frames of other traffic (an IPv4/UDP frame) before each of its records. */
function padded(): Buffer {
  const src = readFileSync(join(repoRoot, 'samples', 'incident.pcap'));
  const filler = Buffer.alloc(60);
  filler.writeUIntBE(0x020000000001, 0, 6);
  filler.writeUIntBE(0x020000000002, 6, 6);
  filler.writeUInt16BE(0x0800, 12);
  filler[14] = 0x45;
  filler[23] = 17; // UDP
  const parts: Buffer[] = [src.subarray(0, 24)];
  for (let o = 24; o + 16 <= src.length; ) {
    const incl = src.readUInt32LE(o + 8);
    for (let i = 0; i < 7; i++) {
      const h = Buffer.from(src.subarray(o, o + 16));
      h.writeUInt32LE(60, 8);
      h.writeUInt32LE(60, 12);
      parts.push(h, filler);
    }
    parts.push(src.subarray(o, o + 16 + incl));
    o += 16 + incl;
  }
  return Buffer.concat(parts);
}

describe('evidence pass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpscope-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same evidence when it seeks as when it reads the whole input again', async () => {
    const data = padded();
    writeFileSync(join(dir, 'padded.pcap'), data);
    writeFileSync(join(dir, 'padded.pcap.gz'), gzipSync(data));
    const seek = vi.spyOn(PcapReader.prototype, 'seek');
    const direct = await analyzeCaptures([{ path: join(dir, 'padded.pcap') }], defaultConfig());
    const jumps = seek.mock.results.filter((r) => r.value === true).length;
    seek.mockClear();
    const streamed = await analyzeCaptures([{ path: join(dir, 'padded.pcap.gz') }], defaultConfig());
    // A stream cannot jump: it reads on, not asked again at every record.
    expect(seek).not.toHaveBeenCalled();
    seek.mockRestore();

    const evidence = (r: typeof direct): [number, string][][] => r.findings.map((f) => f.evidence.map((e) => [e.frame, e.line]));
    expect(evidence(direct)).toEqual(evidence(streamed));
    const frames = evidence(direct).flat();
    // Evidence past the first marks, none of it filler (IPv4): the jumps landed on the right records.
    expect(Math.max(...frames.map(([f]) => f))).toBeGreaterThan(3000);
    expect(frames.filter(([, line]) => !/ethertype (ARP \(0x0806\)|IPv6 \(0x86dd\))/.test(line))).toEqual([]);
    expect(jumps).toBeGreaterThan(0);
  });
});
