/**
 * Prints one plain closing line CI can read: `vitest: N passed, N failed, N skipped`, and records
 * the counts for the combined total of `npm test` when BURNRATE_SUMMARY_DIR is set.
 * vitest's own `Tests  N passed (N)` line is not in that form.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      // A file that fails to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
    }
    process.stdout.write(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    // `npm test` adds every runner's counts into one total line.
    const dir = process.env.BURNRATE_SUMMARY_DIR;
    const name = process.env.BURNRATE_SUMMARY_NAME ?? 'vitest';
    if (dir) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ passed, failed, skipped }));
  }
}
