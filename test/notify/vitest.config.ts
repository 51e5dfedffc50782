import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/notify/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 20_000,
    // The tests share one daemon and run in order (the last one stops it).
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
