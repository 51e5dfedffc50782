// ESLint flat config. The layering rule (VS Code's `local/code-layering` idea) is the point:
// each folder may import only the layers below it; see docs/architecture.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_IO = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process', 'undici', 'node-notifier', 'electron-store'];

const layer = (message, group) => ({ group, message });

/** Forbidden imports per folder (first matching block wins in the list below). */
const LAYERS = [
  {
    files: ['main/core/**/*.ts'],
    patterns: [
      layer('main/core is pure: no electron.', ['electron', 'electron/*']),
      layer('main/core is pure: no I/O (files, network, processes).', NODE_IO),
      layer('main/core may not import outer layers.', ['**/providers', '**/providers/**', '**/services', '**/services/**', '**/electron/**', '**/cli/**', '**/renderer/**', '**/test/**']),
    ],
  },
  {
    files: ['main/providers/**/*.ts'],
    ignores: ['main/providers/**/*.test.ts'],
    patterns: [
      layer('Providers never import electron.', ['electron', 'electron/*']),
      layer('Providers never read files or settings: everything arrives in ProviderContext.', ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'electron-store']),
      layer('main/providers may import only main/core and preload/api.', ['**/services', '**/services/**', '**/electron/**', '**/cli/**', '**/renderer/**', '**/test/**']),
    ],
  },
  {
    files: ['main/services/**/*.ts'],
    ignores: ['main/services/**/*.test.ts'],
    patterns: [
      layer('main/services is plain Node: talk to ports, never to electron.', ['electron', 'electron/*', 'electron-store']),
      layer('main/services may not import the shells.', ['**/electron/**', '**/cli/**', '**/renderer/**']),
    ],
  },
  {
    files: ['main/cli/**/*.ts'],
    ignores: ['main/cli/**/*.test.ts'],
    patterns: [
      layer('The headless CLI must run without Electron.', ['electron', 'electron/*', 'electron-store', '**/electron/**']),
      layer('main/cli may not import the renderer.', ['**/renderer/**']),
    ],
  },
  {
    files: ['main/electron/**/*.ts'],
    ignores: ['main/electron/**/*.test.ts'],
    patterns: [layer('main/electron may not import the CLI or the renderer.', ['**/cli/**', '**/renderer/**'])],
  },
  {
    files: ['preload/api.ts'],
    patterns: [layer('preload/api.ts is the contract: types and constants only, zero imports.', ['*', '**', './*', '../*'])],
  },
  {
    files: ['preload/index.ts'],
    patterns: [layer('preload may import only ./api and electron.', ['**/main/**', '**/renderer/**', 'node:*', 'fs', 'zod', 'undici'])],
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    patterns: [
      layer('The renderer never imports electron: use window.burnrate through spendApi.ts.', ['electron', 'electron/*']),
      layer('The renderer never imports main/: only preload/api types.', ['**/main/**', 'node:*', 'fs', 'undici', 'electron-store', 'node-notifier']),
    ],
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': 'off',
    },
  },
  ...LAYERS.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
);
