import { defineConfig } from 'vitest/config';

/** `npm run bench`: figures, not pass/fail timing tests (never part of `npm test`). */
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Lets the memory figure collect garbage first, so it measures what is held, not what is churned.
    execArgv: ['--expose-gc'],
    reporters: ['default'],
    silent: false,
  },
});
