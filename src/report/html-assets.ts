/**
 * uPlot's script and style, read from the installed package at render time and
 * inlined into the report so the page needs no network. Cached per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
}

let cached: HtmlAssets | null = null;

export function htmlAssets(): HtmlAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let dist: string;
  try {
    dist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  } catch {
    // Packages whose "exports" hide dist/: find the package root instead.
    dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  }
  cached = {
    uplotJs: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
