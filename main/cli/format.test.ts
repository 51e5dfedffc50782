/**
 * The CLI's budget wording: status's table and watch's summary line both say the percentage is of
 * the budget *used* (not "42% of $20,000", which could be read as a share or a projection).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../preload/api';
import { formatStatusTable } from './format';
import { summaryLine } from './watch';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'e2e', 'fixtures', 'snapshot.json'), 'utf8')) as AppSnapshot;
const status = fixture.status;

describe('budget used, in words', () => {
  it('status: the BUDGET USED column gives the used percentage of the budget', () => {
    const lines = formatStatusTable(status).split('\n');
    expect(lines.find((line) => line.startsWith('WORKSPACE'))).toMatch(/^WORKSPACE\s+SPENT\s+BURN\/H\s+PROJECTED\s+BUDGET USED\s+STATUS$/);
    expect(lines.find((line) => line.startsWith('Research'))).toMatch(/\s60\.4% of \$20,000\.00\s/);
    expect(lines.find((line) => line.startsWith('Sandbox'))).toMatch(/\sno budget\s/);
  });

  it('watch: the summary line says "of budget used"', () => {
    const line = summaryLine(status);
    expect(line).toMatch(/Research: \$[\d,]+\.\d\d spent, .* projected, 60\.4% of budget used/);
    expect(line).toMatch(/Prod: .*, 81\.7% of budget used/);
    expect(line).not.toMatch(/Sandbox: .*of budget/);
  });
});
