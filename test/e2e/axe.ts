/** axe-core in the browser tests: what counts as a violation to fix. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright/test';

/** Rules the issue named although axe rates them moderate or minor: they must pass too. */
const NAMED_RULES = new Set(['landmark-one-main', 'region', 'aria-allowed-role', 'label-content-name-mismatch', 'scrollable-region-focusable']);

/** Axe violations of impact serious or critical (and of the named rules), as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || NAMED_RULES.has(v.id))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`);
}
