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
    write('    ' + indent(JSON.stringify(item, null, 2), '    ') + (++i < items.length ? ',\n' : '\n'));
  }
  write('  ]');
}

const indent = (json: string, by: string): string => json.replace(/\n/g, '\n' + by);
