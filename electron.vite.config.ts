import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * Three builds from root-level folders (electron-vite's defaults assume src/):
 * - main: ESM. Two entries share chunks: `index` (the Electron composition root) and
 *   `cli` (the headless `burnrate` command, plain Node, never imports electron).
 * - preload: forced to CJS, because Electron cannot load an ESM preload in a sandboxed window.
 * - renderer: React, base './' so the built folder can also be served by `burnrate serve`.
 */
export default defineConfig({
  main: {
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
      minify: true,
      // The served dashboard's first paint (renderer/src/firstPaint.ts) is a second entry: a small
      // script that `burnrate serve` adds to the page it sends; the popover (index.html) never
      // loads it. The manifest (out/renderer/manifest.json, not served) tells the server its file name and the panel chunk's files.
      manifest: 'manifest.json',
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html'), firstPaint: resolve(__dirname, 'renderer/src/firstPaint.ts') } },
    },
  },
});
