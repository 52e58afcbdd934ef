/** The --json document: {schema, findings, bindings, summary}; schema in docs/analyze-json.md. */
import type { AnalysisResult } from '../analyze/analyze.js';

export const JSON_SCHEMA_VERSION = 1;

/** The whole document as one string (small results, tests). */
export function formatJson(r: AnalysisResult): string {
  let s = '';
  writeJson(r, (part) => (s += part));
  return s;
}

/**
 * Writes the document piece by piece, exactly as JSON.stringify(doc, null, 2)
 * would lay it out, so a result with tens of thousands of findings never
 * exists as one giant string next to the objects it came from.
 */
export function writeJson(r: AnalysisResult, write: (s: string) => void): void {
  write(`{\n  "schema": ${JSON_SCHEMA_VERSION},\n  "findings": `);
  writeArray(r.findings, write);
  write(',\n  "bindings": ');
  writeArray(r.bindings, write);
  write(',\n  "summary": ' + indent(JSON.stringify(r.summary, null, 2), '  ') + '\n}\n');
}

/** `items` is walked once: the binding list makes each row as it is written. */
function writeArray(items: Iterable<unknown> & { readonly length: number }, write: (s: string) => void): void {
  if (items.length === 0) {
    write('[]');
    return;
  }
  write('[\n');
  let i = 0;
  for (const item of items) {
    // Three writes, not one concatenation: the output buffer copies each piece once.
    write('    ');
    write(nested(item));
    write(++i < items.length ? ',\n' : '\n');
  }
  write('  ]');
}

/** Wrapped like this, JSON.stringify lays `item` out at the depth it has in the document. */
const NEST_HEAD = '{\n  "x": [\n    '.length;
const NEST_TAIL = '\n  ]\n}'.length;

/**
 * `item` as JSON.stringify(doc, null, 2) writes it inside the findings or
 * bindings array: stringified inside a wrapper of the same depth and cut out
 * (JSON escapes every newline inside strings, so the cut is exact), instead
 * of re-indenting each line, which copied every row's text a second time.
 */
function nested(item: unknown): string {
  const s = JSON.stringify({ x: [item] }, null, 2);
  return s.slice(NEST_HEAD, s.length - NEST_TAIL);
}

const indent = (json: string, by: string): string => json.replace(/\n/g, '\n' + by);
