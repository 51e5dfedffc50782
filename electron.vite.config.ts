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

/**
 * The main build's chunks in ASCII: every other character (in string, template and regular
 * expression literals: nothing else of the bundle has any once comments are dropped) becomes a
 * `\u` escape, which means the same there. V8 keeps a script's source one byte a character only
 * when all of it is ASCII: one "—" in a message made the whole chunk two bytes a character.
 * With the comments dropped as well (rolldown's `comments`, legal ones kept), the live heap after
 * importing the CLI went from 9.15 to 8.00 MB, and `burnrate watch` 3 × 5 heavy peaked at a median
 * of 118.6 MB against 121.6 MB (5 runs each, alternated). Runs after rolldown's code generation
 * (`generateBundle`), which prints string literals with their characters again.
 */
export function asciiOutput(): Plugin {
  return {
    name: 'burnrate:ascii-output',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = chunk.code.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [builtinsWithoutFacades(), asciiOutput()],
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: ['zod', 'luxon'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli/index.ts'),
        },
        // Comments are source text V8 keeps for the life of the process (asciiOutput above).
        output: { comments: { legal: true, annotation: false, jsdoc: false } },
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
