import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Three builds from root-level folders (electron-vite's defaults assume src/):
 * - main: ESM. Two entries share chunks: `index` (the Electron composition root) and
 *   `cli` (the headless `burnrate` command, plain Node, never imports electron).
 * - preload: forced to CJS, because Electron cannot load an ESM preload in a sandboxed window.
 * - renderer: React, base './' so the built folder can also be served by `burnrate serve`.
 */
/**
 * Node's built-in modules in the main build come from `process.getBuiltinModule` (Node 22.3+,
 * Electron 37+) instead of `import … from 'node:…'`: an ESM import of a built-in makes Node build
 * its ESM facade, which reads every export, lazy ones included (`fs` then loads its streams, `util`
 * its text codecs, `crypto` its Web Crypto). Measured: `node:fs` and `node:util` took 5 ms that way
 * and 0.1 ms through getBuiltinModule; the facades were about 20 ms of `burnrate serve`'s 200 ms
 * before its URL (CPU profile). A line this does not recognise stays an import (still correct).
 */
export function builtinsWithoutFacades(): Plugin {
  const IMPORT = /^import (?:([\w$]+)|\* as ([\w$]+)|\{([^}]*)\}|([\w$]+), \{([^}]*)\}) from "(node:[\w/]+)";$/gm;
  const destructure = (names: string): string => `{ ${names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/^([\w$]+) as ([\w$]+)$/, '$1: $2')).join(', ')} }`;
  return {
    name: 'burnrate:builtins-without-facades',
    renderChunk(code) {
      const out = code.replace(IMPORT, (_line: string, def?: string, ns?: string, named?: string, def2?: string, named2?: string, id?: string) => {
        const get = `process.getBuiltinModule("${id}")`;
        if (def ?? ns) return `const ${def ?? ns} = ${get};`;
        if (named !== undefined) return `const ${destructure(named)} = ${get};`;
        return `const ${def2} = ${get}, ${destructure(named2!)} = ${get};`;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  main: {
    plugins: [builtinsWithoutFacades()],
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: ['zod', 'luxon'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // BURNRATE_NO_MINIFY=1: readable names in CPU profiles (test/bench/updateProfile.ts).
      minify: !process.env.BURNRATE_NO_MINIFY,
      // The served dashboard's first paint (renderer/src/firstPaint.ts) is a second entry: a small
      // script that `burnrate serve` adds to the page it sends; the popover (index.html) never
      // loads it. The manifest (out/renderer/manifest.json, not served) tells the server its file name and the panel chunk's files.
      manifest: 'manifest.json',
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html'), firstPaint: resolve(__dirname, 'renderer/src/firstPaint.ts') } },
    },
  },
});
