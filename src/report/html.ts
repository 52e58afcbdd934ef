/**
 * The --html report: one self-contained page (uPlot and the data inlined, no
 * network) with findings, a binding timeline per IP of interest, ARP/ND rates,
 * reply latency and the binding table. Everything from a packet is attacker-
 * controlled: templates HTML-escape it, the embedded JSON has `<`, `>` and `&`
 * as \u escapes, the script renders with textContent, and a strict CSP allows
 * only the two inline scripts (by hash) and inline style.
 */
import { createHash } from 'node:crypto';
import type { AnalysisResult } from '../analyze/analyze.js';
import type { Finding } from '../analyze/finding.js';
import { CLIENT_JS } from './html-client.js';
import { htmlAssets } from './html-assets.js';
import { reportData } from './timeline.js';

export interface HtmlOptions {
  /** Page title (default "arpscope report"). */
  title?: string;
  /** Slow-reply threshold to draw, ms (default: the analysis' --slow-ms). */
  slowMs?: number;
}

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&` or line separators survive literally. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

const iso = (ts: number | null): string => (ts === null || !Number.isFinite(ts) ? '-' : new Date(ts * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC'));

/** The page's own style (the dashboard serves it as a file). */
export const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 24px 48px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:12px 0 4px}.meta{color:#555}.meta span{margin-right:16px}
.finding{border-left:5px solid #888;padding:6px 12px;margin:10px 0;background:#fafafa}
.sev-critical{border-color:#c0392b}.sev-warning{border-color:#e67e22}.sev-notice{border-color:#2980b9}.sev-info{border-color:#7f8c8d}
.badge{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;padding:1px 6px;border-radius:3px;color:#fff;background:#7f8c8d;margin-right:6px}
.sev-critical .badge{background:#c0392b}.sev-warning .badge{background:#e67e22}.sev-notice .badge{background:#2980b9}
.kind{font-family:ui-monospace,monospace;color:#555;font-size:12px}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
pre{background:#f1f1f1;padding:6px 8px;overflow-x:auto;white-space:pre;margin:4px 0}
.tip{position:absolute;z-index:10;background:#222;color:#fff;padding:6px 8px;border-radius:4px;font:12px ui-monospace,monospace;pointer-events:none;max-width:560px;white-space:pre-wrap}
.tip-h{font-weight:700}.legend{margin:4px 0 10px;font-size:12px}.legend-item{margin-right:14px;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle;border-radius:2px}
.empty{color:#777;font-style:italic}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}
th{background:#f4f4f4;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
#live-status{font-weight:600}#live-status[data-state=live]{color:#2ca02c}.finding.cleared{opacity:.6}.badge.state{background:#555}
td.num{text-align:right;font-variant-numeric:tabular-nums}#filter{margin:4px 0 8px;padding:4px 6px;width:320px}
`;

function findingHtml(f: Finding): string {
  const list = (xs: string[]): string => xs.map((x) => `<li>${escapeHtml(x)}</li>`).join('');
  const details = f.details
    ? `<p class="details">${Object.entries(f.details)
        .map(([k, v]) => `<code>${escapeHtml(k)}</code>: ${escapeHtml(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
        .join(' &middot; ')}</p>`
    : '';
  const evidence = f.evidence.map((e) => `#${e.frame} ${e.vantage ?? e.file}  ${e.line}`).join('\n');
  return `<article class="finding sev-${escapeHtml(f.severity)}" data-kind="${escapeHtml(f.kind)}">
<h3><span class="badge">${escapeHtml(f.severity)}</span>${escapeHtml(f.title)}</h3>
<div class="kind">${escapeHtml(f.kind)} &middot; ${escapeHtml(f.ip)}${f.macs.length ? ` &middot; ${escapeHtml(f.macs.join(', '))}` : ''} &middot; ${escapeHtml(iso(f.first_ts))} &ndash; ${escapeHtml(iso(f.last_ts))} &middot; count ${escapeHtml(f.count)}</div>
<p>${escapeHtml(f.explanation)}</p>${details}
${f.causes.length ? `<h4>Likely causes</h4><ul>${list(f.causes)}</ul>` : ''}
${f.next_steps.length ? `<h4>Next steps</h4><pre class="steps">${escapeHtml(f.next_steps.join('\n'))}</pre>` : ''}
${f.evidence.length ? `<h4>Evidence</h4><pre class="evidence">${escapeHtml(evidence)}</pre>` : ''}
</article>`;
}

/** Findings in full: at most this many per kind; the rest of a kind as one-line titles, then a count. */
export const MAX_FULL_PER_KIND = 40;
export const MAX_TITLES_PER_KIND = 500;

function findingsHtml(all: Finding[]): string {
  const perKind = new Map<string, number>();
  const full: string[] = [];
  const rest = new Map<string, Finding[]>();
  for (const f of all) {
    const n = (perKind.get(f.kind) ?? 0) + 1;
    perKind.set(f.kind, n);
    if (n <= MAX_FULL_PER_KIND) full.push(findingHtml(f));
    else {
      let r = rest.get(f.kind);
      if (!r) rest.set(f.kind, (r = []));
      r.push(f);
    }
  }
  for (const [kind, fs] of rest) {
    const shown = fs.slice(0, MAX_TITLES_PER_KIND);
    const more = fs.length - shown.length;
    full.push(`<details class="more"><summary>${fs.length} more ${escapeHtml(kind)} findings</summary><ul>${shown
      .map((f) => `<li><span class="badge">${escapeHtml(f.severity)}</span>${escapeHtml(f.title)}</li>`)
      .join('')}</ul>${more > 0 ? `<p class="empty">and ${more} more: see <code>arpscope analyze --json</code></p>` : ''}</details>`);
  }
  return full.join('\n');
}

export function renderHtml(result: AnalysisResult, opts: HtmlOptions = {}): string {
  const { uplotJs, uplotCss } = htmlAssets();
  const data = { ...reportData(result, opts.slowMs), inputs: result.summary.inputs };
  const s = result.summary;
  const title = opts.title ?? 'arpscope report';
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(uplotJs)} ${sha256(CLIENT_JS)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const bySev = s.findings_by_severity;
  const findings = result.findings.length ? findingsHtml(result.findings) : '<p class="empty">No findings: nothing wrong seen below IP.</p>';
  return pageHtml({
    title,
    csp,
    head: `<style>${uplotCss}</style>\n<style>${CSS}</style>`,
    meta: `<div class="meta"><span>${escapeHtml(s.inputs.map((i) => i.file).join(', '))}</span><span>${escapeHtml(s.frames_analyzed)} frames (${escapeHtml(s.arp_frames)} ARP, ${escapeHtml(s.nd_frames)} ND)</span><span>${escapeHtml(iso(s.first_ts))} &ndash; ${escapeHtml(iso(s.last_ts))}</span><span>${escapeHtml(s.ips)} IPs</span></div>
<div class="meta"><span>critical ${bySev.critical}</span><span>warning ${bySev.warning}</span><span>notice ${bySev.notice}</span><span>info ${bySev.info}</span>${s.input_error ? `<span>input error: ${escapeHtml(s.input_error)}</span>` : ''}</div>`,
    findings,
    data,
    scripts: `<script>${uplotJs}</script>\n<script>${CLIENT_JS}</script>`,
  });
}

export interface PageParts {
  title: string;
  /** Content-Security-Policy, also given as a meta tag (a file:// page has no headers). */
  csp: string;
  /** Trusted markup for <head>: styles or stylesheet links. */
  head: string;
  /** Trusted markup under the title (the caller escapes what it interpolates). */
  meta: string;
  /** Trusted findings markup (empty: the client renders them from the data). */
  findings: string;
  /** The document the client script reads (embedded as escaped JSON). */
  data: unknown;
  /** Trusted script tags. */
  scripts: string;
}

/** The page both the report and the live dashboard use: sections the client script fills from the data. */
export function pageHtml(p: PageParts): string {
  const cols: [string, string][] = [
    ['ip', 'IP'], ['macs', 'MACs'], ['vendors', 'vendors'], ['requests', 'requests'], ['replies', 'replies'],
    ['gratuitous', 'gratuitous'], ['p50', 'p50 ms'], ['max', 'max ms'], ['first', 'first seen'], ['last', 'last seen'],
  ];
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(p.title)}</title>
${p.head}
</head><body>
<h1>${escapeHtml(p.title)}</h1>
${p.meta}
<h2>Findings</h2>
<section id="findings">
${p.findings}
</section>
<h2>Binding timeline</h2>
<p class="meta">Per IP of interest (named in findings, then the busiest): which MAC answered when. Two bars at once is a conflict; alternating bars a flip-flop; one bar ending where another starts a failover. Hover a dot for the frame.</p>
<section id="lanes"></section>
<h2>ARP / ND rate</h2>
<section id="rate-chart"></section>
<h2>Reply latency</h2>
<p class="meta">Request-to-reply time by percentile, per target (sampled); the dashed line is the slow threshold.</p>
<section id="latency-chart"></section>
<h2>Bindings</h2>
<input id="filter" type="search" placeholder="filter: IP, MAC, vendor..." aria-label="filter bindings">
<span id="row-count" class="meta"></span>
<table id="bindings"><thead><tr>${cols.map(([k, l]) => `<th data-key="${k}">${escapeHtml(l)}</th>`).join('')}</tr></thead><tbody></tbody></table>
<script type="application/json" id="arpscope-data">${scriptJson(p.data)}</script>
${p.scripts}
</body></html>
`;
}
