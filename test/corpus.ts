/** Where the shared corpus lives, and a one-line reason when it is absent; the captures tests walk. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCapture } from '../src/capture/open.js';
import type { PacketRecord } from '../src/capture/record.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = process.env['ARPSCOPE_CORPUS'] ?? resolve(repoRoot, '../shared/corpus');
export const haveCorpus = existsSync(join(corpusDir, 'reference', 'COMMANDS.tsv'));
export const corpusSkipReason = `../shared/corpus not found at ${corpusDir}`;

export interface ReferenceCase {
  ref: string;
  file: string;
  eflag: boolean;
  filtered: boolean;
}

/** Rows of reference/COMMANDS.tsv. */
export function referenceCases(): ReferenceCase[] {
  if (!haveCorpus) return [];
  const rows = readFileSync(join(corpusDir, 'reference', 'COMMANDS.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const [ref, cmd, mode] = row.split('\t') as [string, string, string];
    const file = /-r (\S+)/.exec(cmd)![1]!;
    return { ref, file, eflag: / -e /.test(cmd), filtered: mode === 'filtered' };
  });
}

/** Capture files listed in MANIFEST.tsv (deduplicated). */
export function corpusCaptures(): string[] {
  if (!haveCorpus) return [];
  const rows = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return [...new Set(rows.map((r) => r.split('\t')[0]!))];
}

/** Up to `limit` records of a capture, each a copy of its own (the readers reuse one record). */
export async function captureRecords(path: string, limit = 20000): Promise<PacketRecord[]> {
  const out: PacketRecord[] = [];
  const reader = await openCapture(path);
  try {
    for (;;) {
      if (!reader.next()) {
        if (!(await reader.fill())) break;
        continue;
      }
      const r = reader.record;
      out.push({ ...r, buf: Buffer.from(r.buf.subarray(r.off, r.off + r.caplen)), off: 0 });
      if (out.length >= limit) break;
    }
  } catch {
    // A capture that ends badly still gives the frames before the problem.
  } finally {
    reader.close();
  }
  return out;
}

/** The repo's samples and fixtures, and every corpus capture when the corpus is there. */
export function captureFiles(): string[] {
  const files = [join(repoRoot, 'samples', 'sample.pcap'), join(repoRoot, 'samples', 'incident.pcap')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.pcap(ng)?(\.gz)?$/.test(name)) files.push(p);
    }
  };
  walk(join(repoRoot, 'test', 'fixtures'));
  if (haveCorpus) for (const f of corpusCaptures()) files.push(join(corpusDir, f));
  return files;
}
