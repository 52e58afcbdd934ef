/**
 * The --html report in real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core): findings, charts drawn, tooltips, table sort/filter, no errors,
 * nothing from a packet executes, and a large capture stays small and fast.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptures, type AnalysisResult } from '../src/analyze/analyze.js';
import { BindingList } from '../src/analyze/bindings.js';
import { defaultConfig } from '../src/analyze/config.js';
import { renderHtml } from '../src/report/html.js';
import { browserSkipReason, canvasInk, EVIL, launchBrowser, openPage, type BrowserContext, type OpenPage } from './browser.js';
import { repoRoot } from './corpus.js';

const BENCH = '/tmp/bench-data/arp-dense-1m.pcap';
const fixtures = join(repoRoot, 'test', 'fixtures', 'scenarios');
if (browserSkipReason) console.warn(`html.test: skipped: ${browserSkipReason}`);

describe.skipIf(browserSkipReason !== '')('html report in headless Chromium', () => {
  let browser: BrowserContext;
  let dir: string;
  let result: AnalysisResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arpscope-html-'));
    browser = await launchBrowser(dir);
    result = await analyzeCaptures([{ path: join(fixtures, 'arp-flip-flop.pcap') }, { path: join(fixtures, 'arp-conflict.pcap') }], defaultConfig(), { timeline: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `html` to a file and opens it: a report is self-contained, so it may load nothing but file: and data: URLs. */
  function open(html: string, name: string): Promise<OpenPage> {
    const file = join(dir, name);
    writeFileSync(file, html);
    return openPage(browser, `file://${file}`, (u) => u.startsWith('file:') || u.startsWith('data:'));
  }

  it('shows findings, draws every chart, tooltips on marks, sorts and filters the table, with no errors', async () => {
    expect(result.timeline?.lanes.length).toBeGreaterThan(0);
    const { page, errors, dialogs } = await open(renderHtml(result), 'report.html');
    const kinds = await page.$$eval('#findings .finding', (as) => as.map((a) => (a as unknown as { dataset: Record<string, string> }).dataset.kind));
    expect(kinds).toContain('arp.flip-flop');
    expect(kinds).toContain('arp.conflict');
    expect(await page.locator('#findings .evidence').count()).toBeGreaterThan(0);

    for (const sel of ['#rate-chart', '#lanes', '#latency-chart']) {
      const cs = await canvasInk(page, sel);
      expect(cs.length, sel).toBeGreaterThan(0);
      for (const c of cs) {
        expect(c.w * c.h, sel).toBeGreaterThan(0);
        expect(c.ink, sel).toBeGreaterThan(50);
      }
    }

    // Hover the first mark of the first lane: its tooltip names the frame.
    await page.locator('#lanes .lane').first().scrollIntoViewIfNeeded();
    const pos = (await page.evaluate('window.__arpscopeReport.markPos(0, 0)')) as { x: number; y: number } | null;
    expect(pos).not.toBeNull();
    await page.mouse.move(pos!.x - 30, pos!.y - 30);
    await page.mouse.move(pos!.x, pos!.y, { steps: 3 });
    await page.waitForSelector('.tip:not([hidden])', { timeout: 5_000 });
    expect(await page.locator('.tip').textContent()).toMatch(/frame \d+ in /);

    // Sort by requests (descending on first click), then ascending.
    const col = async (i: number): Promise<string[]> =>
      page.$$eval(`#bindings tbody tr:not([hidden]) td:nth-child(${i})`, (tds) => tds.map((t) => t.textContent ?? ''));
    const before = await col(1);
    expect(before.length).toBeGreaterThan(1);
    await page.click('#bindings th[data-key="requests"]');
    const desc = (await col(4)).map(Number);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.click('#bindings th[data-key="ip"]');
    const ips = await col(1);
    await page.click('#bindings th[data-key="ip"]');
    expect(await col(1)).toEqual([...ips].reverse());

    // Filter down to one IP.
    const target = result.findings.find((f) => f.kind === 'arp.conflict')!.ip;
    await page.fill('#filter', target);
    const shown = await col(1);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(before.length);
    for (const ip of shown) expect(ip).toContain(target);

    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('renders attacker-controlled text as text and runs none of it', async () => {
    // The binding list makes its rows on demand: clone them as plain rows, then wrap them again.
    const plain = structuredClone({ ...result, bindings: result.bindings.toJSON() });
    plain.bindings[0]!.macs[0]!.vendor = `${EVIL} vendor`;
    const evil: AnalysisResult = { ...plain, bindings: BindingList.of(plain.bindings) };
    const f = evil.findings[0]!;
    f.title = `${EVIL} title`;
    f.explanation = EVIL;
    f.causes = [EVIL];
    f.next_steps = [EVIL];
    f.macs = [EVIL];
    f.evidence[0]!.line = `${EVIL} evidence`;
    evil.summary.inputs[0]!.file = `${EVIL}.pcap`;
    if (evil.timeline?.lanes[0]) evil.timeline.lanes[0].ip = `${EVIL} lane`;
    const html = renderHtml(evil);
    expect(html).not.toContain('<img src=x');
    expect(html.match(/<script/g)?.length).toBe(3);
    const { page, errors, dialogs } = await open(html, 'evil.html');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#findings h3').first().textContent()).toContain('</script><script>');
    await page.fill('#filter', 'vendor');
    expect(await page.locator('#bindings tbody tr:not([hidden])').first().textContent()).toContain('onerror=');
    expect(await page.locator('#lanes h3').first().textContent()).toContain('<img src=x');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  // How fast it loads is the benchmark's business (no timed tests); here it must stay small and draw.
  it.skipIf(!existsSync(BENCH))('a large capture gives a report under 20 MB that loads and draws', async () => {
    const big = await analyzeCaptures([{ path: BENCH }], defaultConfig(), { timeline: true });
    const html = renderHtml(big);
    const file = join(dir, 'big.html');
    writeFileSync(file, html);
    expect(statSync(file).size).toBeLessThan(20 * 1024 * 1024);
    const { page, errors } = await openPage(browser, `file://${file}`, (u) => u.startsWith('file:') || u.startsWith('data:'));
    expect((await canvasInk(page, '#rate-chart'))[0]!.ink).toBeGreaterThan(50);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
