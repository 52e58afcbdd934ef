/** Where the shared corpus lives, and a one-line reason when it is absent. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
