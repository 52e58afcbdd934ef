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
  write(',\n  "summary": ' + atDepth(r.summary, 1) + '\n}\n');
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
    write(atDepth(item, 2));
    write(++i < items.length ? ',\n' : '\n');
  }
  write('  ]');
}

/** Per depth: the wrapper arrays and where `value` starts and ends in their text. */
const wrappers: { wrap: (v: unknown) => unknown; head: number; tail: number }[] = [];

/**
 * `value` as JSON.stringify(doc, null, 2) writes it `depth` levels down
 * (the summary at 1, a finding or binding row at 2): stringified inside
 * arrays as deep and cut out (JSON escapes every newline inside strings, so
 * the cut is exact), instead of re-indenting each line, which copied every
 * row's text a second time.
 */
function atDepth(value: unknown, depth: number): string {
  let w = wrappers[depth];
  if (w === undefined) {
    const wrap = (v: unknown): unknown => {
      let x = v;
      for (let i = 0; i < depth; i++) x = [x];
      return x;
    };
    const probe = JSON.stringify(wrap(0), null, 2);
    const at = probe.indexOf('0');
    w = wrappers[depth] = { wrap, head: at, tail: probe.length - at - 1 };
  }
  const s = JSON.stringify(w.wrap(value), null, 2);
  return s.slice(w.head, s.length - w.tail);
}
