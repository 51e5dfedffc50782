/**
 * The served dashboard's page: the built renderer's index.html, with
 * - the token in its asset URLs (every request needs it);
 * - once every connection has answered, the current status document in a JSON data block
 *   (`<script type="application/json" id="burnrate-status">`, every `<`, `>`, `&`, U+2028 and
 *   U+2029 escaped), so the first render needs no request to /api/status;
 * - with that block, the served first paint (renderer/src/firstPaint.ts, issue 11 "instant
 *   start") in place of the app's script: the panel's style sheet, preloads of the first paint's
 *   chunks and its script, named from the build's manifest (out/renderer/manifest.json). The
 *   script draws the spend from the data block as soon as the page is parsed, then loads the app
 *   itself (named by its tag's `data-app-src`) after that frame: the app's 240 KB fetched
 *   alongside held the first paint back by ~55 ms (measured in Chromium).
 * Nothing inline but the data block: the page's Content-Security-Policy (`script-src 'self'`) is
 * unchanged. The popover loads index.html as built, without any of this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusDocument } from '../../preload/api';
import { INLINE_STATUS_ID, KEPT_ATTRIBUTE } from '../../preload/servedPage';

export { INLINE_STATUS_ID, KEPT_ATTRIBUTE } from '../../preload/servedPage';

/** The renderer build's manifest, in its folder (electron.vite.config.ts; never served: only / and assets/ are). */
export const MANIFEST_FILE = 'manifest.json';

/** The renderer's manifest keys of the first paint's entry and of the panel's chunk (renderer root relative). */
export const FIRST_PAINT_ENTRY = 'src/firstPaint.ts';
export const PANEL_CHUNK = 'src/features/panel/PanelContent.tsx';

/**
 * JSON that can sit inside an HTML `<script type="application/json">` element: no `</script>`,
 * `<!--` or other markup can appear in it, and JSON.parse of the element's text gives `value` back.
 * @example inlineJson({ name: '</script>' }) //=> '{"name":"\\u003c/script\\u003e"}' (backslash-u escapes)
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}

/** A built asset name is a plain relative path under assets/ (the manifest is ours, but it ends up in markup). */
const ASSET = /^assets\/[\w.-]+\.(?:js|css)$/;

/**
 * The tags of the first paint, in place of the app's script (`appSrc`, the app's entry as
 * index.html names it): the panel's style sheet (the overview's styles), module preloads of every
 * chunk the first paint imports, and the first paint's script, which loads the app from its
 * `data-app-src` once the spend is on screen. Empty when the build has no manifest or no first
 * paint (then the page renders as before, from the app's script alone).
 */
export function firstPaintTags(rendererDir: string, appSrc: string): string {
  const file = join(rendererDir, MANIFEST_FILE);
  if (!existsSync(file) || !APP_SRC.test(appSrc)) return '';
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return '';
  }
  const entry = manifest[FIRST_PAINT_ENTRY];
  const panel = manifest[PANEL_CHUNK];
  if (!entry || !ASSET.test(entry.file)) return '';
  // Static imports, depth first, without the app's own entry chunk (index.html: the app loads it).
  const preloads: string[] = [];
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || key === 'index.html' || preloads.includes(chunk.file)) return;
    preloads.push(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const key of entry.imports ?? []) visit(key);
  const styles = (panel?.css ?? []).filter((css) => ASSET.test(css));
  return [
    ...styles.map((css) => `<link rel="stylesheet" crossorigin href="./${css}">`),
    ...preloads.filter((js) => ASSET.test(js)).map((js) => `<link rel="modulepreload" crossorigin href="./${js}">`),
    `<script type="module" crossorigin src="./${entry.file}" data-app-src="${appSrc}"></script>`,
  ].join('\n    ');
}

/** The app's script in the built index.html, and its entry's path (`./assets/index-….js`). */
const APP_SCRIPT = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
const APP_SRC = /^\.\/assets\/[\w.-]+\.js$/;

/**
 * The dashboard page for one request: index.html of `rendererDir`, its asset URLs carrying
 * `token`, and, when `document` is given, the data block and the first paint. `kept`: the document
 * is the one an earlier run kept, not a live one (the block then carries {@link KEPT_ATTRIBUTE}).
 */
export function dashboardPage(rendererDir: string, token: string, document: StatusDocument | null, kept = false): string {
  let html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  if (document !== null) {
    // The first paint in place of the app's script; it loads the app once the spend is on screen.
    // (Functions, not replacement strings: `$&` or `$'` must stay text.)
    html = html.replace(APP_SCRIPT, (script, src: string) => firstPaintTags(rendererDir, src) || script);
  }
  // Asset requests need the token too: carry it in their URLs (the app's entry in `data-app-src` too).
  const query = `?token=${encodeURIComponent(token)}`;
  html = html.replace(/(src|href|data-app-src)="(\.\/assets\/[^"?]+)"/g, (_, attribute: string, path: string) => `${attribute}="${path}${query}"`);
  if (document !== null) {
    const block = `<script type="application/json" id="${INLINE_STATUS_ID}"${kept ? ` ${KEPT_ATTRIBUTE}` : ''}>${inlineJson(document)}</script>\n</head>`;
    html = html.replace('</head>', () => block);
  }
  return html;
}
