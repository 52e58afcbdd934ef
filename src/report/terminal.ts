/**
 * The human report: findings by severity with their evidence, then the
 * binding table. Colors only when asked (a TTY without NO_COLOR). Every
 * string that came from a packet is escaped before it reaches the terminal.
 */
import type { AnalysisResult } from '../analyze/analyze.js';
import { SEVERITIES, type Finding, type Severity } from '../analyze/finding.js';

export interface TerminalOptions {
  color: boolean;
  /** Binding rows to show (most active first); 0 hides the table. */
  maxBindings: number;
  /** Findings of one kind shown in full before the rest are summarized (JSON has them all). */
  maxPerKind?: number;
}

const SGR: Record<Severity | 'dim' | 'bold', string> = {
  critical: '\x1b[1;31m',
  warning: '\x1b[33m',
  notice: '\x1b[36m',
  info: '\x1b[32m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
};

/** Escapes control and non-ASCII characters so packet bytes cannot drive the terminal. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `n` and the noun, singular for one. */
const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function isoTime(ts: number): string {
  return new Date(Math.floor(ts * 1000)).toISOString().replace('T', ' ').replace('Z', '');
}

export function formatTerminal(r: AnalysisResult, o: TerminalOptions): string {
  const c = (k: keyof typeof SGR, s: string): string => (o.color ? SGR[k] + s + '\x1b[0m' : s);
  const out: string[] = [];
  const s = r.summary;
  out.push(
    c('bold', 'arpscope analyze') +
      `: ${s.inputs.map((i) => safeText(i.file)).join(', ')}: ${counted(s.frames_analyzed, 'ARP/ND frame')} (${counted(s.arp_requests, 'request')}, ` +
      `${counted(s.arp_replies, 'reply', 'replies')}, ${s.gratuitous} gratuitous, ${s.nd_frames} ND), ${counted(s.ips, 'address', 'addresses')}` +
      (s.first_ts !== null && s.last_ts !== null ? `, ${isoTime(s.first_ts)} .. ${isoTime(s.last_ts)} UTC` : ''),
  );
  if (s.input_error) out.push(c('critical', `Input ended early: ${safeText(s.input_error)} (the report covers everything before it)`));
  const counts = SEVERITIES.map((sev) => `${s.findings_by_severity[sev]} ${sev}`).join(', ');
  out.push(r.findings.length === 0 ? 'No findings: nothing wrong below IP in these frames.' : `Findings: ${counts}`);
  for (const sev of SEVERITIES) {
    const group = r.findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    out.push('', c(sev, `== ${sev.toUpperCase()} (${group.length}) ==`));
    const perKind = new Map<string, number>();
    const hidden = new Map<string, number>();
    const limit = o.maxPerKind ?? 10;
    // Most frequent first within a kind, so the summary keeps the worst cases.
    const ordered = [...group].sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count);
    for (const f of ordered) {
      const n = (perKind.get(f.kind) ?? 0) + 1;
      perKind.set(f.kind, n);
      if (n > limit) hidden.set(f.kind, (hidden.get(f.kind) ?? 0) + 1);
      else out.push(...formatFinding(f, c));
    }
    for (const [kind, n] of hidden) {
      const ips = ordered.filter((f) => f.kind === kind).slice(limit, limit + 12).map((f) => f.ip);
      out.push('', c('dim', `... and ${n} more ${kind} findings (${ips.join(', ')}${n > ips.length ? ', ...' : ''}); --json has them all`));
    }
  }
  if (o.maxBindings > 0 && r.bindings.length > 0) {
    out.push('', c('bold', `== BINDINGS (${counted(r.bindings.length, 'address', 'addresses')}${r.bindings.length > o.maxBindings ? `, ${o.maxBindings} most active shown` : ''}) ==`));
    out.push(...formatBindings(r, o.maxBindings));
  }
  return out.join('\n') + '\n';
}

/** A folded summary may name hundreds of MACs: the terminal shows the first few. */
const MACS_SHOWN = 8;

function formatFinding(f: Finding, c: (k: keyof typeof SGR, s: string) => string): string[] {
  const lines: string[] = [];
  lines.push('', `${c(f.severity, `[${f.severity}]`)} ${c('bold', safeText(f.title))}  ${c('dim', f.kind)}`);
  lines.push(`  ip: ${f.ip}${f.ips.length > 1 ? `  (also ${f.ips.filter((x) => x !== f.ip).slice(0, 8).join(', ')})` : ''}`);
  if (f.macs.length > 0) lines.push(`  macs: ${f.macs.slice(0, MACS_SHOWN).join(', ')}${f.macs.length > MACS_SHOWN ? ` (+${f.macs.length - MACS_SHOWN} more)` : ''}`);
  if (f.vantages) lines.push(`  seen at: ${f.vantages.map(safeText).join(', ')}`);
  const first = isoTime(f.first_ts);
  const last = isoTime(f.last_ts);
  lines.push(`  when: ${first === last ? first : `${first} .. ${last}`} UTC, ${f.count === 1 ? 'once' : `${f.count} times`}`);
  lines.push(...wrap(f.explanation, '  ', 100));
  lines.push('  likely causes:');
  for (const cause of f.causes) lines.push(...wrap(cause, '    - ', 100, '      '));
  lines.push('  next steps:');
  for (const step of f.next_steps) lines.push(`    $ ${step}`);
  if (f.evidence.length > 0) {
    lines.push('  evidence:');
    for (const e of f.evidence) lines.push(`    ${c('dim', `#${e.frame}${e.vantage ? ` @${safeText(e.vantage)}` : ''}`)} ${safeText(e.line)}`);
  }
  return lines;
}

function wrap(text: string, first: string, width: number, rest = first.replace(/./g, ' ')): string[] {
  const words = safeText(text).split(/\s+/);
  const lines: string[] = [];
  let cur = first;
  for (const w of words) {
    if (cur.length + w.length + 1 > width && cur.trim().length > 0) {
      lines.push(cur.trimEnd());
      cur = rest;
    }
    cur += (cur === first || cur === rest ? '' : ' ') + w;
  }
  if (cur.trim().length > 0) lines.push(cur.trimEnd());
  return lines;
}

function formatBindings(r: AnalysisResult, max: number): string[] {
  const rows = r.bindings.busiest(max);
  const table: string[][] = [['IP', 'MAC', 'VENDOR', 'FIRST SEEN', 'LAST SEEN', 'REQ', 'REPL', 'P50 MS', 'P99 MS']];
  for (const b of rows) {
    const macs = b.macs.length > 0 ? b.macs : [{ mac: '-', vendor: null, first_ts: 0, last_ts: 0, frames: 0 }];
    macs.forEach((m, i) => {
      table.push([
        i === 0 ? b.ip : '',
        m.mac,
        safeText((m.vendor ?? '').slice(0, 24)),
        m.first_ts ? isoTime(m.first_ts).slice(11, 23) : '',
        m.last_ts ? isoTime(m.last_ts).slice(11, 23) : '',
        i === 0 ? String(b.requests) : '',
        i === 0 ? String(b.replies) : '',
        i === 0 && b.latency_ms ? String(b.latency_ms.p50) : '',
        i === 0 && b.latency_ms ? String(b.latency_ms.p99) : '',
      ]);
    });
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => '  ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
