/**
 * Prints one plain closing line: `playwright: N passed, N failed, N skipped`, and records the
 * counts for the combined total of `npm test` when BURNRATE_SUMMARY_DIR is set.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from 'playwright/types/testReporter';

export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, string>();
  private readonly name: string;

  /** `name` labels the line and the counts file (several Playwright suites run in one `npm test`). */
  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'playwright';
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status);
  }

  onEnd(_result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const status of this.outcomes.values()) {
      if (status === 'passed') passed += 1;
      else if (status === 'skipped') skipped += 1;
      else failed += 1;
    }
    process.stdout.write(`${this.name}: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    const dir = process.env.BURNRATE_SUMMARY_DIR;
    if (dir) writeFileSync(join(dir, `${this.name}.json`), JSON.stringify({ passed, failed, skipped }));
  }
}
