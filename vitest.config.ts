import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/lint/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/fakes/**/*.test.ts', 'test/replay/**/*.test.ts', 'test/prometheus/**/*.test.ts', 'test/reliability/**/*.test.ts'],
    environment: 'node',
    // electron-store imports 'electron'; only main/electron tests mock it, and the mock must reach node_modules.
    server: { deps: { inline: ['electron-store'] } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
