/**
 * The main build's output in ASCII (electron.vite.config.ts, asciiOutput): V8 keeps a script's
 * source one byte a character only when every character is ASCII, so one "—" in a message doubles
 * the memory of the whole chunk's source. Every other character becomes a `\u` escape, which means
 * the same in string, template and regular-expression literals: the rewritten chunk gives the same values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { asciiOutput } from '../../electron.vite.config';

const CHUNK = [
  'const dash = value => value === null ? "—" : `${value} – …`;',
  "const single = 'Civis credits × rate, the server’s';",
  'const digits = new RegExp("[٠-٩]", "g");',
  'const ellipsis = /[.!?…]$/;',
  'const astral = "🔥 spend";',
  'const astralU = /^🔥$/u;',
  'export const result = [dash(null), dash(3), single, "٣".replace(digits, "x"), ellipsis.test("wait…"), astral, astral.length, astralU.test("🔥")];',
].join('\n');

/** Runs the plugin's generateBundle on one chunk, as rolldown would, and returns its code. */
const rewriteBundle = (bundle: Record<string, { type: string; code: string }>): void => {
  (asciiOutput().generateBundle as (options: unknown, b: typeof bundle) => void)({}, bundle);
};
const rewrite = (code: string): string => {
  const chunk = { type: 'chunk', code };
  rewriteBundle({ 'chunk.js': chunk });
  return chunk.code;
};

const dir = mkdtempSync(join(tmpdir(), 'burnrate-ascii-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (name: string, code: string): Promise<unknown[]> => {
  const file = join(dir, name);
  writeFileSync(file, code);
  return ((await import(pathToFileURL(file).href)) as { result: unknown[] }).result;
};

describe('asciiOutput', () => {
  it('leaves only ASCII in the chunk', () => {
    const out = rewrite(CHUNK);
    expect(out).not.toMatch(/[\u0080-\uffff]/);
    expect(out).toContain('"\\u2014"');
    expect(out).toContain('\\ud83d\\udd25');
  });

  it('gives the same values: strings, templates, regular expressions with and without the u flag, characters beyond U+FFFF', async () => {
    const before = await run('before.mjs', CHUNK);
    const after = await run('after.mjs', rewrite(CHUNK));
    expect(after).toEqual(before);
    expect(before).toEqual(['—', '3 – …', 'Civis credits × rate, the server’s', 'x', true, '🔥 spend', 8, true]);
  });

  it('leaves assets alone and an ASCII chunk as it was', () => {
    const asset = { type: 'asset', code: '— a page —' };
    const chunk = { type: 'chunk', code: 'export const a = "plain";' };
    rewriteBundle({ 'page.html': asset, 'chunk.js': chunk });
    expect(asset.code).toBe('— a page —');
    expect(chunk.code).toBe('export const a = "plain";');
  });
});
