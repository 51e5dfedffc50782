/**
 * The served dashboard's page: the built renderer's index.html, with
 * - the token in its asset URLs (every request needs it);
 * - once every connection has answered, the current status document in a JSON data block
 *   (`<script type="application/json" id="burnrate-status">`, every `<`, `>`, `&`, U+2028 and
 *   U+2029 escaped), so the first render needs no request to /api/status;
 * - with that block, the served first paint (renderer/src/firstPaint.ts, issue 11 "instant
 *   start"): its script and chunks, the panel's style sheet and the panel's chunks, named from the
 *   build's manifest (out/renderer/manifest.json). The script draws the spend from the data
 *   block as soon as the page is parsed, while React and the panel load (in parallel, preloaded).
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
 * The tags of the first paint, to go before the app's script: the panel's style sheet (the
 * overview's styles), module preloads of every chunk the first paint and the panel import, and
 * the first paint's script. Empty when the build has no manifest or no first paint (then the page
 * renders as before, from the app's script alone).
 */
export function firstPaintTags(rendererDir: string): string {
  const file = join(rendererDir, MANIFEST_FILE);
  if (!existsSync(file)) return '';
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    return '';
  }
  const entry = manifest[FIRST_PAINT_ENTRY];
  const panel = manifest[PANEL_CHUNK];
  if (!entry || !ASSET.test(entry.file)) return '';
  // Static imports, depth first, without the app's own entry chunk (index.html: loaded by its own script).
  const preloads: string[] = [];
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || key === 'index.html' || preloads.includes(chunk.file)) return;
    preloads.push(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const key of entry.imports ?? []) visit(key);
  if (panel) visit(PANEL_CHUNK);
  const styles = (panel?.css ?? []).filter((css) => ASSET.test(css));
  return [
    ...styles.map((css) => `<link rel="stylesheet" crossorigin href="./${css}">`),
    ...preloads.filter((js) => ASSET.test(js)).map((js) => `<link rel="modulepreload" crossorigin href="./${js}">`),
    `<script type="module" crossorigin src="./${entry.file}"></script>`,
  ].join('\n    ');
}

/**
 * The dashboard page for one request: index.html of `rendererDir`, its asset URLs carrying
 * `token`, and, when `document` is given, the data block and the first paint. `kept`: the document
 * is the one an earlier run kept, not a live one (the block then carries {@link KEPT_ATTRIBUTE}).
 */
export function dashboardPage(rendererDir: string, token: string, document: StatusDocument | null, kept = false): string {
  let html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  if (document !== null) {
    const tags = firstPaintTags(rendererDir);
    // Before the app's script: module scripts run in document order, the first paint first.
    // (Functions, not replacement strings: `$&` or `$'` must stay text.)
    if (tags !== '') html = html.replace(/<script type="module"/, (script) => `${tags}\n    ${script}`);
  }
  // Asset requests need the token too: carry it in their URLs.
  const query = `?token=${encodeURIComponent(token)}`;
  html = html.replace(/(src|href)="(\.\/assets\/[^"?]+)"/g, (_, attribute: string, path: string) => `${attribute}="${path}${query}"`);
  if (document !== null) {
    const block = `<script type="application/json" id="${INLINE_STATUS_ID}"${kept ? ` ${KEPT_ATTRIBUTE}` : ''}>${inlineJson(document)}</script>\n</head>`;
    html = html.replace('</head>', () => block);
  }
  return html;
}
