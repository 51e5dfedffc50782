/**
 * The period chart's numbers, derived from the status document: one slot per day of the period,
 * with daily spend per provider, cumulative spend, the projection (center and 80 % band, from
 * today to the period's end) and the budget. Pure: no formatting, no drawing.
 */
import { lastResult } from '../../lastResult';

/** One day of the period. USD. Null = not happened yet (future days) or not applicable. */
export interface PeriodDay {
  readonly start: string;
  /** Spend that day per provider id (empty for future days). */
  readonly byProvider: Readonly<Record<string, number>>;
  /** Spend that day; null for days ahead. */
  readonly spentUsd: number | null;
  /** Cumulative spend at the end of the day (today: spent so far); null for days ahead. */
  readonly cumulativeUsd: number | null;
  /** Projection of cumulative spend (today onwards), with its 80 % range; null before today. */
  readonly projectedUsd: number | null;
  readonly projectedLowUsd: number | null;
  readonly projectedHighUsd: number | null;
}

/** Input of {@link periodDays}. */
export interface PeriodInput {
  readonly period: { readonly start: string; readonly end: string; readonly timeZone?: string };
  readonly daily: readonly { readonly start: string; readonly spentUsd: number; readonly byProvider: Readonly<Record<string, number>> }[];
  readonly spentUsd: number;
  readonly projectedUsd: number;
  readonly projectedLowUsd: number | null;
  readonly projectedHighUsd: number | null;
}

const DAY_MS = 86_400_000;
/** The providers of a day ahead: one object, so the days' provider maps keep their identity across updates. */
const NO_SPEND: Readonly<Record<string, number>> = Object.freeze({});

/** Days of the period with their figures (see {@link PeriodDay}). */
export function periodDays(input: PeriodInput): PeriodDay[] {
  const reported = input.daily;
  const startMs = Date.parse(input.period.start);
  const endMs = Date.parse(input.period.end);
  // Future days: continue from the last reported day, one calendar day at a time (±1 h at DST is fine for a chart).
  const starts = reported.map((d) => d.start);
  let next = starts.length > 0 ? Date.parse(starts[starts.length - 1]!) + DAY_MS : startMs;
  while (next < endMs - DAY_MS / 2 && starts.length < 400) {
    starts.push(new Date(next).toISOString());
    next += DAY_MS;
  }
  const today = reported.length - 1;
  const last = starts.length - 1;
  let cumulative = 0;
  return starts.map((start, index) => {
    const day = reported[index];
    if (day) cumulative += day.spentUsd;
    const isPast = index < today;
    const isToday = index === today;
    const ahead = index >= today && today >= 0 ? (last === today ? 1 : (index - today) / (last - today)) : null;
    // The last day is the target itself (spent + (target − spent) can differ from it by a rounding):
    // the chart's scale reads it, and a new headline must not move it.
    const along = (target: number | null): number | null =>
      ahead === null || target === null ? null : ahead === 1 ? target : input.spentUsd + (target - input.spentUsd) * ahead;
    return {
      start,
      byProvider: day?.byProvider ?? NO_SPEND,
      spentUsd: day ? day.spentUsd : null,
      // Today ends at the headline total, so the line meets the number shown above it.
      cumulativeUsd: isPast ? cumulative : isToday ? input.spentUsd : null,
      projectedUsd: along(input.projectedUsd),
      projectedLowUsd: along(input.projectedLowUsd),
      projectedHighUsd: along(input.projectedHighUsd),
    };
  });
}

const lastProviders = lastResult<string[]>();

/**
 * Provider ids present in the days, most expensive first. Kept while the days' provider maps are
 * the same objects (an update that moved only today's total, or a past day's shared map), so the
 * legend and the chart's shape do not sum the period again.
 */
export function providersOf(days: readonly PeriodDay[]): string[] {
  return lastProviders(
    days.map((d) => d.byProvider),
    () => providersOfDays(days),
  );
}

function providersOfDays(days: readonly PeriodDay[]): string[] {
  const totals = new Map<string, number>();
  for (const day of days) for (const [provider, usd] of Object.entries(day.byProvider)) totals.set(provider, (totals.get(provider) ?? 0) + usd);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([provider]) => provider);
}
