/**
 * Budget forecast: how much of the budget is used, how much will be by the period end, when the
 * budget will be crossed at the current pace, and how likely the period ends over budget.
 *
 * crossesAtMs semantics: the instant `spentThroughMs + (budget − spent) / rate` at which the reported
 * spend, growing at the current burn rate, reaches the budget. It is null when the spend has already
 * reached the budget (that is a fact, shown by `usedPercent >= 100` and alerted by the threshold
 * rules, not a forecast), when the rate is not positive, or when the crossing would fall at or after
 * the period end. It may lie before `nowMs` when the provider lags: the spend has then probably
 * crossed already but the data does not show it yet. It uses the current pace only, so it can be
 * null while `projectedPercent` (which may use a day-of-week profile) is above 100, or the reverse.
 *
 * overBudgetProbability: P(period total > budget) under a normal approximation of the projection,
 * whose `lowMicros`/`highMicros` are its 10th/90th percentiles, so σ = (high − projected) / 1.2816
 * above the projection and (projected − low) / 1.2816 below it (the range may be asymmetric because
 * low never goes below the spend so far). 1 when the spend has already reached the budget; 0 when the
 * budget can no longer be reached within the period even at four times the fastest pace seen in the data
 * (`UNREACHABLE_HEADROOM × maxMicrosPerHour` × remaining hours: the headroom is for a level change
 * not seen yet, such as a step up); otherwise it is kept within [1 %, 99 %]: a forecast is
 * never certain. Null when the range is empty (low == high: no variability known).
 */
import { RANGE_Z, type Projection } from './projection';
import { HOUR_MS } from './report';

/** Input of {@link budgetForecast}. */
export interface BudgetForecastInput {
  /** The budget, integer micros (> 0). */
  readonly budgetMicros: number;
  /** Reported spend in the period so far, integer micros. */
  readonly spentMicros: number;
  /** Instant the spend is known through (epoch ms); null = nothing reported yet (the period start is used). */
  readonly spentThroughMs: number | null;
  /** Current burn rate, micros per hour. */
  readonly microsPerHour: number;
  /** The period, `[startMs, endMs)` epoch ms. */
  readonly period: { readonly startMs: number; readonly endMs: number };
  /** The period-end projection and its 10th–90th percentile range. */
  readonly projection: Pick<Projection, 'projectedMicros' | 'lowMicros' | 'highMicros'>;
  /**
   * The fastest pace seen in the data (micros per hour, e.g. the busiest complete hour). When even
   * that cannot reach the budget by the period end, the probability is 0. Unknown = never 0.
   */
  readonly maxMicrosPerHour?: number;
}

/** How many times the fastest pace seen the spend must be unable to reach the budget for a 0 % probability. */
export const UNREACHABLE_HEADROOM = 4;

/** A probability shown short of certainty is kept within [MIN_PROBABILITY, 1 − MIN_PROBABILITY]. */
export const MIN_PROBABILITY = 0.01;

/** Where the period stands against its budget. Percentages are plain numbers (62.5 = 62.5 %), not rounded. */
export interface BudgetForecast {
  /** Spend so far as a percentage of the budget. */
  readonly usedPercent: number;
  /** Projected period total as a percentage of the budget. */
  readonly projectedPercent: number;
  /** When the budget will be crossed at the current pace (epoch ms), or null (see the module docs). */
  readonly crossesAtMs: number | null;
  /** Probability 0..1 that the period ends over budget, or null when the projection has no range. */
  readonly overBudgetProbability: number | null;
}

/**
 * Standard normal cumulative distribution, Φ(x), accurate to about 1e-7 (Abramowitz & Stegun 7.1.26).
 * @example normalCdf(0) //=> 0.5
 */
export function normalCdf(x: number): number {
  if (x === 0) return 0.5;
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - polynomial * Math.exp(-(x * x) / 2);
  return x > 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Forecasts a period against its budget (see the module documentation).
 * @throws RangeError when `budgetMicros` is not positive.
 * @example budgetForecast({ budgetMicros: 100_000_000, spentMicros: 25_000_000, spentThroughMs: 0, microsPerHour: 1_000_000, period: { startMs: -25 * 3_600_000, endMs: 100 * 3_600_000 }, projection: { projectedMicros: 125_000_000, lowMicros: 125_000_000, highMicros: 125_000_000 } }) //=> { usedPercent: 25, projectedPercent: 125, crossesAtMs: 270_000_000, overBudgetProbability: null }
 */
export function budgetForecast(input: BudgetForecastInput): BudgetForecast {
  const { budgetMicros, spentMicros, microsPerHour, period, projection } = input;
  if (!(budgetMicros > 0)) throw new RangeError('A budget must be more than zero to forecast against it.');
  const usedPercent = (spentMicros * 100) / budgetMicros;
  const projectedPercent = (projection.projectedMicros * 100) / budgetMicros;
  const over = spentMicros >= budgetMicros;

  let crossesAtMs: number | null = null;
  if (!over && microsPerHour > 0 && Number.isFinite(microsPerHour)) {
    const fromMs = Math.min(period.endMs, Math.max(period.startMs, input.spentThroughMs ?? period.startMs));
    const atMs = Math.round(fromMs + ((budgetMicros - spentMicros) / microsPerHour) * HOUR_MS);
    crossesAtMs = atMs < period.endMs ? atMs : null;
  }

  let overBudgetProbability: number | null = null;
  const fromMs = Math.min(period.endMs, Math.max(period.startMs, input.spentThroughMs ?? period.startMs));
  const maxReachMicros =
    input.maxMicrosPerHour === undefined ? Number.POSITIVE_INFINITY : spentMicros + (UNREACHABLE_HEADROOM * input.maxMicrosPerHour * (period.endMs - fromMs)) / HOUR_MS;
  if (over) {
    overBudgetProbability = 1;
  } else if (maxReachMicros < budgetMicros) {
    overBudgetProbability = 0;
  } else if (projection.lowMicros !== projection.highMicros) {
    const above = budgetMicros >= projection.projectedMicros;
    const sigma = (above ? projection.highMicros - projection.projectedMicros : projection.projectedMicros - projection.lowMicros) / RANGE_Z;
    if (sigma > 0) overBudgetProbability = 1 - normalCdf((budgetMicros - projection.projectedMicros) / sigma);
    else overBudgetProbability = budgetMicros > projection.projectedMicros ? 0 : budgetMicros < projection.projectedMicros ? 1 : 0.5;
    overBudgetProbability = Math.min(1 - MIN_PROBABILITY, Math.max(MIN_PROBABILITY, overBudgetProbability));
  }
  return { usedPercent, projectedPercent, crossesAtMs, overBudgetProbability };
}
