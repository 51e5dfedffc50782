/**
 * The main build's built-ins without ESM facades (electron.vite.config.ts): each form of import
 * rolldown writes for a `node:` module becomes process.getBuiltinModule with the same bindings,
 * and the rewritten chunk runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinsWithoutFacades } from '../../electron.vite.config';

const CHUNK = [
  'import { join as joinPath, sep } from "node:path";',
  'import fs from "node:fs";',
  'import * as os from "node:os";',
  'import crypto, { createHash } from "node:crypto";',
  'import { helper } from "./helper.js";',
  'export const result = [joinPath("a", "b"), sep, typeof fs.readFileSync, typeof os.homedir, typeof crypto.randomBytes, createHash("sha256").update("x").digest("hex").slice(0, 8)];',
].join('\n');

const rewrite = (code: string): string | null => {
  const hook = builtinsWithoutFacades().renderChunk as (code: string) => { code: string } | null;
  return hook(code)?.code ?? null;
};

const dir = mkdtempSync(join(tmpdir(), 'burnrate-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('builtinsWithoutFacades', () => {
  it('turns every form of node: import into getBuiltinModule, and leaves other imports alone', () => {
    const out = rewrite(CHUNK)!;
    expect(out.split('\n').slice(0, 5)).toEqual([
      'const { join: joinPath, sep } = process.getBuiltinModule("node:path");',
      'const fs = process.getBuiltinModule("node:fs");',
      'const os = process.getBuiltinModule("node:os");',
      'const crypto = process.getBuiltinModule("node:crypto"), { createHash } = process.getBuiltinModule("node:crypto");',
      'import { helper } from "./helper.js";',
    ]);
    expect(out).not.toMatch(/from "node:/);
  });

  it('gives the chunk the same bindings: the rewritten chunk runs', async () => {
    const out = rewrite(CHUNK)!.replace('import { helper } from "./helper.js";\n', '');
    const file = join(dir, 'chunk.mjs');
    writeFileSync(file, out);
    const { result } = (await import(pathToFileURL(file).href)) as { result: unknown[] };
    expect(result).toEqual([join('a', 'b'), '/', 'function', 'function', 'function', '2d711642']);
  });

  it('changes nothing in a chunk without built-ins', () => {
    expect(rewrite('import { a } from "./a.js";\nexport const b = a;')).toBeNull();
  });
});
