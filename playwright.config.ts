import { defineConfig } from 'playwright/test';
import { HANG_GUARD_EXPECT_MS, HANG_GUARD_TEST_MS } from './test/support/hangGuards';

/** Port of the static renderer server; set BURNRATE_E2E_PORT to run several checkouts side by side. */
const port = Number(process.env.BURNRATE_E2E_PORT ?? 4173);

/**
 * Browser tests in Debian's Chromium (no browser download). Two targets:
 * - the built renderer served as static files, with a fake `window.burnrate` injected, which is
 *   how the Electron popover renderer is tested here (the Electron binary cannot run on CI);
 * - the dashboard served by `burnrate demo` (started per test file, see test/e2e/support.ts).
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // Hang guards, not performance bounds (as vitest's 180 s): with both cores busy a demo server's
  // first refresh or a page's first render can take many seconds. Tests wait on events; timings
  // belong to `npm run bench`. test/lint/hangGuards.test.ts keeps specs from lowering them.
  timeout: HANG_GUARD_TEST_MS,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['./test/support/playwright-summary-reporter.ts']],
  outputDir: 'test-results/e2e',
  // Screenshots of fixed data are compared with committed baselines (test/e2e/support.ts, screenshot()).
  // One baseline per picture, not per platform: CI runs the same Debian Chromium and fonts.
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFileName}/{arg}{ext}',
  // CI never writes a baseline: a missing one fails. Locally a missing one is written (then look at it).
  updateSnapshots: process.env.CI ? 'none' : 'missing',
  expect: {
    timeout: HANG_GUARD_EXPECT_MS,
    toHaveScreenshot: {
      // The same Chromium draws the same pixels; the slack is for anti-aliasing (0.1 % of a
      // 380 × 560 popover is ~210 pixels: a moved block, a lost row or a changed colour is far more).
      // Exact numbers and labels are asserted as text by the tests themselves.
      maxDiffPixelRatio: 0.001,
      threshold: 0.2,
      animations: 'disabled',
      caret: 'hide',
      scale: 'css',
    },
  },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node test/e2e/serve-static.mjs ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: HANG_GUARD_EXPECT_MS,
  },
});
