/**
 * The popover's first JavaScript (the entry chunk of the built renderer and every chunk it
 * preloads) stays within 75 KB gzip (issue 11's budget): what the glance does not need (the
 * panel's sections, uPlot, settings) comes in chunks loaded with dynamic import().
 * Needs a build newer than renderer/src (`npm test` builds first; alone: `npx electron-vite build`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'out', 'renderer');
/** The budget, KB (1024 bytes) of gzip level 9, as the benchmark measures it. */
const FIRST_CHUNK_BUDGET_KB = 75;

function newestSource(dir: string): { file: string; ms: number } {
  let newest = { file: '', ms: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? newestSource(path) : /\.test\.tsx?$/.test(entry.name) ? newest : { file: path, ms: statSync(path).mtimeMs };
    if (found.ms > newest.ms) newest = found;
  }
  return newest;
}

/** The scripts index.html loads before anything runs: the entry and its modulepreload links. */
function firstChunks(html: string): string[] {
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...scripts, ...preloads];
}

describe('renderer size', () => {
  it(`keeps the popover's first JavaScript at ${FIRST_CHUNK_BUDGET_KB} KB gzip or less`, () => {
    const html = readFileSync(join(OUT, 'index.html'), 'utf8');
    const built = statSync(join(OUT, 'index.html')).mtimeMs;
    const newest = newestSource(join(ROOT, 'renderer'));
    expect(newest.ms, `out/renderer is older than ${newest.file}: run \`npx electron-vite build\` first`).toBeLessThanOrEqual(built);
    const chunks = firstChunks(html);
    expect(chunks.length).toBeGreaterThan(0);
    const bytes = chunks.reduce((n, src) => n + gzipSync(readFileSync(join(OUT, src)), { level: 9 }).length, 0);
    const kb = Math.round((bytes / 1024) * 10) / 10;
    expect(kb, `first chunks ${chunks.join(', ')}: ${kb} KB gzip`).toBeLessThanOrEqual(FIRST_CHUNK_BUDGET_KB);
    // The split is real: the panel and the period chart are chunks of their own, not in the entry.
    const assets = readdirSync(join(OUT, 'assets'));
    expect(assets.some((name) => /^PanelContent-.*\.js$/.test(name))).toBe(true);
    expect(assets.some((name) => /^PeriodCanvas-.*\.js$/.test(name))).toBe(true);
  });
});
