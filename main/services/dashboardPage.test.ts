/**
 * The served dashboard's page (main/services/dashboardPage.ts): the first paint's tags come from
 * the build's manifest, in place of the app's script (the first paint loads the app), only with
 * the data block, and never put anything inline but the data block.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { dashboardPage, FIRST_PAINT_ENTRY, firstPaintTags, INLINE_STATUS_ID, KEPT_ATTRIBUTE, MANIFEST_FILE, PANEL_CHUNK } from './dashboardPage';

const INDEX =
  '<!doctype html><html><head><title>B</title>\n<script type="module" crossorigin src="./assets/index-A.js"></script>\n' +
  '<link rel="modulepreload" crossorigin href="./assets/shared-S.js">\n<link rel="stylesheet" crossorigin href="./assets/index-A.css">\n</head><body><div id="root"></div></body></html>';

/** The shape of the renderer's manifest (out/renderer/manifest.json). */
const MANIFEST = {
  'index.html': { file: 'assets/index-A.js', isEntry: true, imports: ['_shared-S.js'], css: ['assets/index-A.css'] },
  '_shared-S.js': { file: 'assets/shared-S.js' },
  '_format-F.js': { file: 'assets/format-F.js', imports: ['_shared-S.js'] },
  '_summary-M.js': { file: 'assets/summary-M.js', imports: ['_format-F.js'] },
  [FIRST_PAINT_ENTRY]: { file: 'assets/firstPaint-P.js', isEntry: true, imports: ['_shared-S.js', '_summary-M.js', '_format-F.js'] },
  [PANEL_CHUNK]: { file: 'assets/PanelContent-C.js', imports: ['index.html', '_format-F.js', '_summary-M.js'], css: ['assets/PanelContent-C.css'] },
};

const TOKEN = 'tok$&en-0123456789';
/** The app's entry as INDEX names it. */
const APP = './assets/index-A.js';
const document = { generatedAt: '2026-11-26T00:00:00.000Z', workspaces: [{ id: 'w', name: '</script><script>alert(1)</script>', connections: [] }] } as unknown as StatusDocument;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-page-'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(MANIFEST));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sources = (html: string, pattern: RegExp): string[] => [...html.matchAll(pattern)].map((m) => m[1]!);

describe('dashboardPage', () => {
  it('puts the first paint in place of the app: the panel style sheet, a preload of every chunk it imports, then its script naming the app', () => {
    const html = dashboardPage(dir, TOKEN, document);
    const query = `?token=${encodeURIComponent(TOKEN)}`;
    const scripts = sources(html, /<script type="module"[^>]*\ssrc="([^"]+)"/g);
    expect(scripts).toEqual([`./assets/firstPaint-P.js${query}`]);
    // The app is not fetched alongside: the first paint imports it from here, with the token.
    expect(sources(html, /<script type="module"[^>]*\sdata-app-src="([^"]+)"/g)).toEqual([`./assets/index-A.js${query}`]);
    const preloads = sources(html, /<link rel="modulepreload"[^>]*\shref="([^"]+)"/g);
    // Each chunk once (plus index.html's own preload); neither the app's entry nor the panel's chunk.
    expect(preloads.sort()).toEqual(['shared-S', 'summary-M', 'format-F', 'shared-S'].map((n) => `./assets/${n}.js${query}`).sort());
    expect(sources(html, /<link rel="stylesheet"[^>]*\shref="([^"]+)"/g)).toEqual([`./assets/PanelContent-C.css${query}`, `./assets/index-A.css${query}`]);
    // Nothing inline but the data block, which still parses back to the document.
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(inline.map((m) => m[1])).toEqual([` type="application/json" id="${INLINE_STATUS_ID}"`]);
    expect(JSON.parse(inline[0]![2]!)).toEqual(document);
  });

  it('marks the data block of a document an earlier run kept, and only that one', () => {
    const block = (html: string): string => /<script type="application\/json"[^>]*>/.exec(html)![0];
    expect(block(dashboardPage(dir, TOKEN, document, true))).toBe(`<script type="application/json" id="${INLINE_STATUS_ID}" ${KEPT_ATTRIBUTE}>`);
    expect(block(dashboardPage(dir, TOKEN, document, false))).toBe(`<script type="application/json" id="${INLINE_STATUS_ID}">`);
    expect(dashboardPage(dir, TOKEN, null, true)).not.toContain(KEPT_ATTRIBUTE);
  });

  it('adds no first paint without the data block (a connection still waits for its first answer)', () => {
    const html = dashboardPage(dir, TOKEN, null);
    expect(html).not.toContain('firstPaint');
    expect(html).not.toContain(INLINE_STATUS_ID);
    expect(sources(html, /<script type="module"[^>]*\ssrc="([^"]+)"/g)).toEqual([`./assets/index-A.js?token=${encodeURIComponent(TOKEN)}`]);
  });

  it('serves the page as before when the build has no manifest, a broken one, or no first paint', () => {
    rmSync(join(dir, MANIFEST_FILE));
    expect(firstPaintTags(dir, APP)).toBe('');
    writeFileSync(join(dir, MANIFEST_FILE), '{ not json');
    expect(firstPaintTags(dir, APP)).toBe('');
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...MANIFEST, [FIRST_PAINT_ENTRY]: undefined }));
    expect(firstPaintTags(dir, APP)).toBe('');
    const html = dashboardPage(dir, TOKEN, document);
    expect(html).toContain(INLINE_STATUS_ID);
    expect(sources(html, /<script type="module"[^>]*\ssrc="([^"]+)"/g)).toHaveLength(1);
  });

  it('puts no manifest name into the page that is not a plain asset path', () => {
    writeFileSync(
      join(dir, MANIFEST_FILE),
      JSON.stringify({ ...MANIFEST, '_summary-M.js': { file: 'assets/x.js"><script>alert(1)</script>' }, [PANEL_CHUNK]: { ...MANIFEST[PANEL_CHUNK], css: ['../../etc/passwd'] } }),
    );
    const tags = firstPaintTags(dir, APP);
    expect(tags).toContain('firstPaint-P.js');
    expect(tags).not.toContain('alert');
    expect(tags).not.toContain('passwd');
    // Nor an app entry that is not one.
    expect(firstPaintTags(dir, './assets/x.js" onload="alert(1)')).toBe('');
  });
});
