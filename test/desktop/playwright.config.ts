import { defineConfig } from 'playwright/test';
import { HANG_GUARD_EXPECT_MS, HANG_GUARD_TEST_MS } from '../support/hangGuards';

/**
 * `npm run test:desktop`: the whole tray app (built main bundle + Electron stand-in) driven through
 * test/desktop/harness.ts, its windows in Debian's Chromium. No web server: the harness serves the
 * built renderer to its pages itself. Builds first when out/ is missing or stale (globalSetup).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Hang guards, not performance bounds: see ../support/hangGuards.ts.
  timeout: HANG_GUARD_TEST_MS,
  expect: { timeout: HANG_GUARD_EXPECT_MS },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  globalSetup: './globalSetup.ts',
  reporter: [['list'], ['../support/playwright-summary-reporter.ts', { name: 'desktop' }]],
  outputDir: '../../test-results/desktop-artifacts',
  use: {
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
