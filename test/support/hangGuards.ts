/**
 * Timeouts of the browser suites (`npm run test:e2e`, `npm run test:desktop`) are hang guards, not
 * performance bounds, like vitest's 180 s test timeout: on a busy machine (both cores kept busy by
 * `npm run test:under-load`) a demo server's first refresh, a page's first render or a desktop
 * app's start can take many seconds, and a test must then wait, not fail. Every test waits on the
 * event it means; speed is measured by `npm run bench`. test/lint/hangGuards.test.ts keeps specs
 * from lowering these.
 */

/** Whole test (and hook) time limit. */
export const HANG_GUARD_TEST_MS = 180_000;
/** Time limit of one `expect` / `expect.poll` wait, of the demo server printing its URL, and of the static web server's start. */
export const HANG_GUARD_EXPECT_MS = 60_000;
