/** The --json document: {findings, bindings, summary}; schema in docs/analyze-json.md. */
import type { AnalysisResult } from '../analyze/analyze.js';

export const JSON_SCHEMA_VERSION = 1;

export function formatJson(r: AnalysisResult): string {
  return JSON.stringify({ schema: JSON_SCHEMA_VERSION, findings: r.findings, bindings: r.bindings, summary: r.summary }, null, 2) + '\n';
}
