import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/lint/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/replay/**/*.test.ts', 'test/prometheus/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/security/**/*.test.ts'],
    environment: 'node',
    // electron-store imports 'electron'; only main/electron tests mock it, and the mock must reach node_modules.
    server: { deps: { inline: ['electron-store'] } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Every fast-check property runs on one fixed seed unless FAST_CHECK_SEED says otherwise.
    setupFiles: ['./test/support/fastCheckSeed.ts'],
    // Hang guards, not performance bounds: with both cores busy (the documented CPU-hog run) a
    // CLI end-to-end test can take a minute. Timings are measured by `npm run bench`.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
