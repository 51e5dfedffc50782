import { describe, expect, it } from 'vitest';
import { backtestSuite, runBacktest } from '../bench/backtest';

describe('forecast backtest (npm run backtest, one seed)', () => {
  const rows = runBacktest(backtestSuite([1]));
  const all = rows.find((row) => row.series === 'all');

  it("holds the 80 % interval's coverage between 75 % and 85 % over the suite", () => {
    expect(all?.coverage80Percent).toBeGreaterThanOrEqual(75);
    expect(all?.coverage80Percent).toBeLessThanOrEqual(85);
  });

  it('never shows 100 % before the budget is reached, nor 0 % for a period that ends over budget', () => {
    for (const row of rows) expect(row.extremeProbabilities, row.series).toBe(0);
  });

  it('projects a constant, a lagging and a sparse series within a few percent', () => {
    for (const name of ['constant', 'lag-3h', 'sparse']) expect(rows.find((row) => row.series === name)?.mapePercent, name).toBeLessThan(5);
  });
});
