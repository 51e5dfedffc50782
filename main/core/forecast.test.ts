import { describe, expect, it } from 'vitest';
import { budgetForecast, UNREACHABLE_HEADROOM, normalCdf, type BudgetForecastInput } from './forecast';
import { RANGE_Z } from './projection';
import { HOUR_MS as H } from './report';

const APRIL = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 4, 1) };
const at = (hours: number): number => APRIL.startMs + hours * H;
const flat = (projectedMicros: number) => ({ projectedMicros, lowMicros: projectedMicros, highMicros: projectedMicros });
const base: BudgetForecastInput = {
  budgetMicros: 500_000_000,
  spentMicros: 250_000_000,
  spentThroughMs: at(250),
  microsPerHour: 1_000_000,
  period: APRIL,
  projection: flat(720_000_000),
};

describe('budgetForecast', () => {
  it('reports used and projected percentages and the crossing of a constant burn', () => {
    expect(budgetForecast(base)).toEqual({ usedPercent: 50, projectedPercent: 144, crossesAtMs: Date.UTC(2026, 3, 21, 20), overBudgetProbability: null });
  });

  it.each<[string, Partial<BudgetForecastInput>, number | null]>([
    ['is null once the budget is already spent', { spentMicros: 600_000_000 }, null],
    ['is null when the budget is exactly reached', { spentMicros: 500_000_000 }, null],
    ['is null when the pace does not reach the budget before the period ends', { microsPerHour: 100_000 }, null],
    ['is null at a zero rate', { microsPerHour: 0 }, null],
    ['counts from the period start when nothing is reported yet', { spentMicros: 0, spentThroughMs: null }, at(500)],
    ['may lie before now when the provider lags', { spentMicros: 498_000_000, spentThroughMs: at(498) }, at(500)],
    ['keeps fractions of an hour', { microsPerHour: 4_000_000 }, at(250 + 62.5)],
  ])('crossesAtMs %s', (_label, change, expected) => {
    expect(budgetForecast({ ...base, ...change }).crossesAtMs).toBe(expected);
  });

  it('is certain the budget is exceeded once it is', () => {
    expect(budgetForecast({ ...base, spentMicros: 600_000_000 })).toEqual({
      usedPercent: 120,
      projectedPercent: 144,
      crossesAtMs: null,
      overBudgetProbability: 1,
    });
  });

  it.each<[string, { projectedMicros: number; lowMicros: number; highMicros: number }, number | null]>([
    ['is one half when the budget equals the projection', { projectedMicros: 500_000_000, lowMicros: 400_000_000, highMicros: 600_000_000 }, 0.5],
    ['is one in ten when the budget is the high end', { projectedMicros: 400_000_000, lowMicros: 300_000_000, highMicros: 500_000_000 }, 0.1],
    ['is nine in ten when the budget is the low end', { projectedMicros: 600_000_000, lowMicros: 500_000_000, highMicros: 700_000_000 }, 0.9],
    ['uses the lower side of an asymmetric range', { projectedMicros: 505_000_000, lowMicros: 495_000_000, highMicros: 700_000_000 }, normalCdf(RANGE_Z / 2)],
    ['stops at 99 % (never certain) when the range has no lower side and the budget is below the projection', { projectedMicros: 510_000_000, lowMicros: 510_000_000, highMicros: 600_000_000 }, 0.99],
    ['stops at 1 % (never impossible) far above the range', { projectedMicros: 100_000_000, lowMicros: 90_000_000, highMicros: 110_000_000 }, 0.01],
    ['is null without a range', flat(700_000_000), null],
  ])('overBudgetProbability %s', (_label, projection, expected) => {
    const probability = budgetForecast({ ...base, projection }).overBudgetProbability;
    if (expected === null) expect(probability).toBeNull();
    else expect(probability).toBeCloseTo(expected, 6);
  });

  it('is 0 only when even four times the fastest pace seen cannot reach the budget by the period end', () => {
    const projection = { projectedMicros: 100_000_000, lowMicros: 90_000_000, highMicros: 110_000_000 };
    const reach = (maxMicrosPerHour: number) => budgetForecast({ ...base, projection, maxMicrosPerHour }).overBudgetProbability;
    const hoursLeft = (base.period.endMs - (base.spentThroughMs ?? base.period.startMs)) / 3_600_000;
    const needed = (base.budgetMicros - base.spentMicros) / hoursLeft;
    expect(reach((needed / UNREACHABLE_HEADROOM) * 0.99)).toBe(0);
    expect(reach((needed / UNREACHABLE_HEADROOM) * 1.01)).toBeCloseTo(0.01, 6);
  });

  it('refuses a budget of zero', () => {
    expect(() => budgetForecast({ ...base, budgetMicros: 0 })).toThrow(/more than zero/);
  });
});

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.959963984540054, 0.975],
    [-1, 0.15865525393145707],
    [RANGE_Z, 0.9],
    [-8, 0],
  ])('Φ(%d) ≈ %d', (x, expected) => {
    expect(normalCdf(x)).toBeCloseTo(expected, 6);
  });
});
