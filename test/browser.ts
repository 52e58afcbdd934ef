/**
 * Headless Chromium for the page tests (the --html report and the watch
 * dashboard): Debian's /usr/bin/chromium driven by playwright-core, a fresh
 * profile per suite, and pages that record console errors, dialogs and any
 * request that leaves the page's own origin.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type PW = typeof import('playwright-core');
export type BrowserContext = import('playwright-core').BrowserContext;
export type Page = import('playwright-core').Page;

const CHROMIUM = '/usr/bin/chromium';

const pw = ((): PW | null => {
  try {
    return createRequire(import.meta.url)('playwright-core') as PW;
  } catch {
    return null;
  }
})();

/** Why the browser tests cannot run here ('' when they can). */
export const browserSkipReason = !existsSync(CHROMIUM) ? `${CHROMIUM} missing (scripts/install-browser.sh)` : !pw ? 'playwright-core not installed' : '';

/** What the pages set once they have drawn their first state. */
export const READY = 'document.documentElement.dataset.ready === "1"';

/** Markup that runs script if anything renders packet text as HTML. */
export const EVIL = '</script><script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2;alert(2)"><!--';

/** A browser with a fresh profile under `dir` (launchPersistentContext passes it as --user-data-dir). */
export function launchBrowser(dir: string): Promise<BrowserContext> {
  return pw!.chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenPage {
  page: Page;
  /** Console errors, uncaught exceptions, and requests for anything `local` refuses. */
  errors: string[];
  /** Messages of alert/confirm/prompt dialogs (dismissed). */
  dialogs: string[];
}

/** Opens `url` and waits for READY; `local` says which request URLs the page may make. */
export async function openPage(browser: BrowserContext, url: string, local: (requestUrl: string) => boolean): Promise<OpenPage> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!local(r.url())) errors.push(`network: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load', timeout: 10_000 });
  await page.waitForFunction(READY, undefined, { timeout: 10_000 });
  return { page, errors, dialogs };
}

/** The few DOM shapes the page callbacks touch (the tests compile without lib "dom"). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Size and non-background pixels (every 4th pixel sampled) of each canvas under `selector`. */
export function canvasInk(page: Page, selector: string): Promise<{ w: number; h: number; ink: number }[]> {
  return page.$$eval(`${selector} canvas`, (cs) =>
    (cs as unknown as CanvasLike[]).map((c) => {
      if (c.width * c.height === 0) return { w: c.width, h: c.height, ink: 0 };
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < d.length; i += 16) if (d[i]! > 0) ink++;
      return { w: c.width, h: c.height, ink };
    }),
  );
}
