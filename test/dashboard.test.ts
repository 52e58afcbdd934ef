/**
 * The watch dashboard in real headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core). In process: text from packets renders inert, also when it
 * arrives by server-sent event. End to end (root): `arpscope watch --ui` on a
 * namespace bridge; a duplicate IP created after the page loaded shows up
 * without a reload; charts drawn, tooltip, table sort/filter, no console errors.
 * ARPSCOPE_DASHBOARD_SHOT=file.png saves a screenshot of that page.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UiServer } from '../src/serve/ui.js';
import { browserSkipReason, canvasInk, EVIL, launchBrowser, openPage, type BrowserContext, type OpenPage, type Page } from './browser.js';
import { repoRoot } from './corpus.js';
import { alert, finding, LiveFixture } from './live-fixture.js';

const have = (c: string): boolean => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const noBrowser = browserSkipReason;
const noNetns = noBrowser || (process.getuid?.() !== 0 ? 'needs root (network namespaces)' : !have('ip') ? 'needs iproute2' : !have('tcpdump') ? 'needs tcpdump' : !have('arping') ? 'needs arping' : '');
if (noBrowser) console.warn(`dashboard.test: skipped: ${noBrowser}`);

let browser: BrowserContext;
let dir: string;

/** Opens a dashboard page; it may load nothing but its own server's URLs. */
const open = (url: string): Promise<OpenPage> => openPage(browser, url, (u) => u.startsWith(new URL(url).origin));

/** Non-background pixels of each canvas under `selector`. */
const inked = async (page: Page, selector: string): Promise<number[]> => (await canvasInk(page, selector)).map((c) => c.ink);

describe.skipIf(noBrowser !== '')(`dashboard in headless Chromium${noBrowser ? ` (skipped: ${noBrowser})` : ''}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arpscope-dash-'));
    browser = await launchBrowser(dir);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders attacker-controlled text as text, in the first snapshot and in live updates, and runs none of it', async () => {
    const fx = new LiveFixture(() => `${EVIL} vendor`);
    const ui = new UiServer({ host: '127.0.0.1', port: 0 }, { live: fx.live, token: null, log: () => undefined, tickMs: 50 });
    await ui.start();
    try {
      const base = `http://127.0.0.1:${(ui.server.address() as AddressInfo).port}/`;
      fx.exchange('192.0.2.20', ['02:00:00:aa:00:0b'], 1_700_000_000);
      fx.window([['192.0.2.20', '02:00:00:aa:00:0b', 2]]);
      const evil = finding({ title: `${EVIL} title`, explanation: EVIL, causes: [EVIL], next_steps: [EVIL], macs: [EVIL], details: { [EVIL]: EVIL } });
      evil.evidence[0]!.line = `${EVIL} evidence`;
      fx.live.onAlerts([alert(evil)]);
      const html = await (await fetch(base)).text();
      expect(html).not.toContain('<img src=x');
      expect(html.match(/<script/g)?.length).toBe(3);

      const { page, errors, dialogs } = await open(base);
      expect(await page.locator('#findings h3').first().textContent()).toContain('</script><script>');
      expect(await page.locator('#findings .evidence').first().textContent()).toContain('onerror="window.__pwned=2');
      await page.fill('#filter', 'vendor');
      expect(await page.locator('#bindings tbody tr:not([hidden])').first().textContent()).toContain('<img src=x');

      // The same payload by server-sent event, without a reload.
      await page.waitForFunction('document.getElementById("live-status").dataset.state === "live"');
      fx.live.onAlerts([alert(finding({ kind: 'arp.spoof', ip: '192.0.2.66', ips: ['192.0.2.66'], title: `${EVIL} live` }))]);
      await page.waitForSelector('#findings [data-kind="arp.spoof"]', { timeout: 5_000 });
      expect(await page.locator('#findings [data-kind="arp.spoof"] h3').textContent()).toContain(`${EVIL} live`);
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await ui.close();
    }
  }, 60_000);

  describe.skipIf(noNetns !== '')(`watch --ui on a namespace bridge${noNetns ? ` (skipped: ${noNetns})` : ''}`, () => {
    const tag = `${process.pid % 100000}`;
    const NS = { br: `arpscope-d-br${tag}`, a: `arpscope-d-a${tag}`, b: `arpscope-d-b${tag}`, c: `arpscope-d-c${tag}` };
    const MAC = { a: '02:00:00:dd:00:0a', b: '02:00:00:dd:00:0b', c: '02:00:00:dd:00:0c' };
    const port = 21000 + (process.pid % 20000);
    const sh = (args: string[]): string => execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).toString();
    const nsx = (ns: string, ...cmd: string[]): string => sh(['ip', 'netns', 'exec', ns, ...cmd]);
    const arping = (ns: string, dev: string, ...args: string[]): void => {
      spawnSync('ip', ['netns', 'exec', ns, 'arping', '-i', dev, ...args], { timeout: 20_000, stdio: 'ignore' });
    };
    const teardown = (): void => {
      for (const n of Object.values(NS)) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
    };
    let child: ChildProcess | null = null;
    const log: string[] = [];

    beforeAll(() => {
      teardown();
      for (const n of Object.values(NS)) sh(['ip', 'netns', 'add', n]);
      nsx(NS.br, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
      nsx(NS.br, 'ip', 'link', 'set', 'br0', 'up');
      for (const h of ['a', 'b', 'c'] as const) {
        sh(['ip', 'link', 'add', `v${h}`, 'netns', NS[h], 'type', 'veth', 'peer', 'name', `p${h}`, 'netns', NS.br]);
        nsx(NS.br, 'ip', 'link', 'set', `p${h}`, 'master', 'br0', 'up');
        nsx(NS[h], 'ip', 'link', 'set', `v${h}`, 'address', MAC[h]);
        nsx(NS[h], 'ip', 'link', 'set', `v${h}`, 'up');
      }
      nsx(NS.a, 'ip', 'addr', 'add', '192.0.2.10/24', 'dev', 'va');
      nsx(NS.b, 'ip', 'addr', 'add', '192.0.2.20/24', 'dev', 'vb');
      nsx(NS.c, 'ip', 'addr', 'add', '192.0.2.50/24', 'dev', 'vc');
    });
    afterAll(() => {
      child?.kill('SIGKILL');
      teardown();
    });

    it('shows a duplicate IP created after the page loaded, without a reload; charts, tooltip, sort, filter, no errors', async () => {
      child = spawn(process.execPath, [join(repoRoot, 'bin', 'arpscope.js'), 'watch', '--netns', NS.br, '-i', 'pa', '--no-store', '--window', '2s', '--ui', `127.0.0.1:${port}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ARPSCOPE_UI_TOKEN: '' },
      });
      child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
      const end = Date.now() + 20_000;
      while (!log.some((l) => l.includes('capture started')) || !log.some((l) => l.includes('dashboard on'))) {
        if (Date.now() > end) throw new Error(`watch did not start: ${log.join(' | ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      // Healthy traffic first: lanes, rates and latency for .20 and .50.
      arping(NS.a, 'va', '-c', '3', '-W', '0.2', '192.0.2.20');
      arping(NS.a, 'va', '-c', '2', '-W', '0.2', '192.0.2.50');

      const { page, errors, dialogs } = await open(`http://127.0.0.1:${port}/`);
      await page.waitForFunction('document.getElementById("live-status").dataset.state === "live"');
      expect(await page.locator('#findings [data-kind="arp.conflict"]').count()).toBe(0);
      const updatesBefore = (await page.evaluate('window.__arpscopeReport.updates')) as number;

      // The conflict: C takes .20 too, A's requests now get two replies.
      nsx(NS.c, 'ip', 'addr', 'add', '192.0.2.20/24', 'dev', 'vc');
      arping(NS.a, 'va', '-c', '3', '-W', '0.3', '192.0.2.20');
      await page.waitForSelector('#findings [data-kind="arp.conflict"]', { timeout: 15_000 });
      const card = page.locator('#findings [data-kind="arp.conflict"]').first();
      expect(await card.locator('h3').textContent()).toContain('192.0.2.20');
      expect(await card.locator('.evidence').textContent()).toContain('Reply 192.0.2.20 is-at');
      expect(await card.locator('.steps').count()).toBe(1);
      expect((await page.evaluate('window.__arpscopeReport.updates')) as number).toBeGreaterThan(updatesBefore);
      // Same document: no reload happened.
      expect(await page.evaluate('performance.getEntriesByType("navigation").length')).toBe(1);

      await page.waitForFunction('document.querySelectorAll("#bindings tbody tr").length >= 2', undefined, { timeout: 10_000 });
      for (const sel of ['#rate-chart', '#lanes', '#latency-chart']) {
        const ink = await inked(page, sel);
        expect(ink.length, sel).toBeGreaterThan(0);
        expect(Math.max(...ink), sel).toBeGreaterThan(50);
      }

      // Tooltip on a lane mark (a lane may be redrawn by a late update: a few bounded tries).
      let tip = '';
      for (let i = 0; i < 5 && !/frame \d+ in pa/.test(tip); i++) {
        await page.locator('#lanes .lane').first().scrollIntoViewIfNeeded();
        const pos = (await page.evaluate('window.__arpscopeReport.markPos(0, 0)')) as { x: number; y: number } | null;
        if (pos) {
          await page.mouse.move(pos.x - 30, pos.y - 30);
          await page.mouse.move(pos.x, pos.y, { steps: 3 });
          tip = (await page.waitForSelector('.tip:not([hidden])', { timeout: 2_000 }).then((e) => e.textContent()).catch(() => '')) ?? '';
        }
      }
      expect(tip).toMatch(/frame \d+ in pa/);

      const col = (i: number): Promise<string[]> => page.$$eval(`#bindings tbody tr:not([hidden]) td:nth-child(${i})`, (tds) => tds.map((t) => t.textContent ?? ''));
      await page.click('#bindings th[data-key="requests"]');
      const req = (await col(4)).map(Number);
      expect(req).toEqual([...req].sort((a, b) => b - a));
      await page.click('#bindings th[data-key="ip"]');
      const ips = await col(1);
      await page.click('#bindings th[data-key="ip"]');
      expect(await col(1)).toEqual([...ips].reverse());
      await page.fill('#filter', MAC.c);
      const shown = await col(1);
      expect(shown).toContain('192.0.2.20');
      expect(shown).not.toContain('192.0.2.10');

      await page.fill('#filter', '');
      const shot = process.env['ARPSCOPE_DASHBOARD_SHOT'];
      if (shot) await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }, 60_000);
  });
});
