// ESLint flat config. The layering rule (VS Code's `local/code-layering` idea) is the point:
// each folder may import only the layers below it; see docs/architecture.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_IO = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process', 'undici', 'node-notifier', 'electron-store'];

const layer = (message, group) => ({ group, message });

/** Node-only globals the renderer must not reach for (its type environment, tsconfig.web.json, has no Node types either). */
const NODE_ONLY_GLOBALS = ['process', 'require', 'module', 'Buffer', 'global', '__dirname', '__filename', 'setImmediate', 'clearImmediate'].map((name) => ({
  name,
  message: 'The renderer runs in a sandboxed page: no Node globals. Ask main through window.burnrate (renderer/src/spendApi.ts).',
}));

/** Browser-only globals main/ and preload/ must not reach for (tsconfig.node.json has no DOM types either). */
const BROWSER_ONLY_GLOBALS = ['document', 'window', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'].map((name) => ({
  name,
  message: 'main/ and preload/ run in Node: no DOM. Pages belong in renderer/.',
}));

/** main/core and main/providers read no clock: time is a parameter (`nowMs`) or an injected Clock port. */
const NO_CLOCK = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'No clock here: take `nowMs` as a parameter (the poller passes it; tests pass a fixed instant).' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clock here: `new Date()` reads the clock; take `nowMs` as a parameter and use `new Date(nowMs)`.' },
  { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'No clock here: take the time as a parameter.' },
];

/** Added to every block below: production folders never import test code (issue 8). */
const NO_TEST = layer('Production code (main/, preload/, renderer/) never imports test/: move what both need into production code.', ['**/test', '**/test/**']);

/** Forbidden imports per folder (first matching block wins in the list below). */
const LAYERS = [
  {
    files: ['main/core/**/*.ts'],
    patterns: [
      layer('main/core is pure: no electron.', ['electron', 'electron/*']),
      layer('main/core is pure: no I/O (files, network, processes).', NODE_IO),
      layer('main/core may not import outer layers.', ['**/providers', '**/providers/**', '**/services', '**/services/**', '**/electron/**', '**/cli/**', '**/renderer/**']),
    ],
  },
  {
    files: ['main/providers/**/*.ts'],
    ignores: ['main/providers/**/*.test.ts'],
    patterns: [
      layer('Providers never import electron.', ['electron', 'electron/*']),
      layer('Providers never read files or settings: everything arrives in ProviderContext.', ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'electron-store']),
      layer('main/providers may import only main/core and preload/api.', ['**/services', '**/services/**', '**/electron/**', '**/cli/**', '**/renderer/**']),
    ],
  },
  {
    files: ['main/demo/**/*.ts'],
    ignores: ['main/demo/**/*.test.ts'],
    patterns: [
      layer('The demo runs in the CLI and the desktop app: no electron, no files.', ['electron', 'electron/*', 'electron-store', 'fs', 'fs/*', 'node:fs', 'node:fs/*']),
      layer('main/demo may import only main/providers and main/core.', ['**/services', '**/services/**', '**/electron/**', '**/cli/**', '**/renderer/**']),
    ],
  },
  {
    files: ['main/index.ts'],
    patterns: [],
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
    // The contract and its parts (re-exported by api.ts) import nothing but each other.
    files: ['preload/api.ts', 'preload/statusDocument.ts', 'preload/settings.ts', 'preload/servedPage.ts'],
    patterns: [
      {
        regex: '^(?!\\./(statusDocument|settings)$)',
        message: 'preload/api.ts is the contract: types and constants only, zero imports beyond its own parts (./statusDocument, ./settings).',
      },
    ],
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
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': 'off',
    },
  },
  ...LAYERS.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, NO_TEST] }] },
  })),
  // Globals per runtime, like the type environments (tsconfig.node.json, tsconfig.web.json, tsconfig.test.json).
  { files: ['main/**', 'preload/**', 'test/**', 'scripts/**', 'bin/**', 'build/**', '*.config.{js,mjs,ts}'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  // Browser tests: the functions handed to page.evaluate run in Chromium.
  { files: ['test/e2e/**', 'test/desktop/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  { files: ['renderer/**/*.{ts,tsx}'], rules: { 'no-restricted-globals': ['error', ...NODE_ONLY_GLOBALS] } },
  { files: ['main/**/*.ts', 'preload/**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-globals': ['error', ...BROWSER_ONLY_GLOBALS] } },
  // The loopback fakes (`<id>.fake.ts`, providers/fake/) simulate servers and keep their own clock.
  { files: ['main/core/**/*.ts', 'main/providers/**/*.ts'], ignores: ['**/*.test.ts', 'main/providers/**/*.fake.ts', 'main/providers/fake/**'], rules: { 'no-restricted-syntax': ['error', ...NO_CLOCK] } },
);
