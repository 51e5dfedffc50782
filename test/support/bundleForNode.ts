/**
 * Bundles a TypeScript entry (and everything it imports) into one plain ES module that `node` runs
 * directly, for tests that start the same script as many child processes. Starting a `.ts` entry
 * through jiti transpiles its whole import graph in every process (about 2 s of CPU each); the
 * bundle is built once per test file and then starts in about 0.1 s of CPU. Uses rolldown, the
 * bundler electron-vite already builds the app with.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

// Inside the project's node_modules, so the bundle's package imports resolve as the sources' do.
const CACHE = resolve(__dirname, '..', '..', 'node_modules', '.cache', 'burnrate-test-bundles');

/** A bundled entry: `file` is the module to run with `node`; `remove` deletes the bundle. */
export interface NodeBundle {
  readonly file: string;
  remove(): void;
}

/** Bundles `entry` for Node (node: built-ins and packages stay imports) into a temporary folder under node_modules/.cache. */
export async function bundleForNode(entry: string): Promise<NodeBundle> {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, 'bundle-'));
  await build({
    input: entry,
    platform: 'node',
    external: [/^node:/, /^[^./]/],
    logLevel: 'silent',
    output: { dir, format: 'esm', entryFileNames: 'entry.mjs' },
  });
  return { file: join(dir, 'entry.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
