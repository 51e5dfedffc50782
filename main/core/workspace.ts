/**
 * Workspaces: a named group of provider connections with one time zone, one period and an
 * optional budget. Types plus the few pure checks the settings service needs.
 */
import { isValidTimeZone } from './zones';

/** Length of a spending period. Periods start at local midnight in the workspace's time zone. */
export type BudgetPeriod = 'day' | 'week' | 'month';

/** Every period, for schemas and forms. */
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

/** Alert thresholds used when a budget does not set its own: percent of the budget amount. */
export const DEFAULT_THRESHOLDS_PERCENT: readonly number[] = [50, 75, 90, 100];

/** A spending limit for one period. */
export interface Budget {
  /** The limit, integer micro-USD (> 0). */
  readonly amountMicros: number;
  readonly period: BudgetPeriod;
  /**
   * Where the cycle starts. month: day of month 1–28 (default 1; 28 is the highest so every
   * month has the day). week: ISO weekday 1 = Monday … 7 = Sunday (default 1). Ignored for day.
   */
  readonly cycleStartDay?: number;
  /** Alert thresholds in percent of `amountMicros`: sorted, unique, each 1–1000. */
  readonly thresholdsPercent: readonly number[];
}

/** A group of connections watched together. */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  /** IANA time zone name ("Europe/Berlin"): periods start at local midnight there. */
  readonly timeZone: string;
  readonly currency: 'USD';
  readonly budget: Budget | null;
  /** The period shown, even without a budget; equals `budget.period` when a budget exists. Default 'month'. */
  readonly period: BudgetPeriod;
  /** Cycle start for `period` when there is no budget (same meaning as {@link Budget.cycleStartDay}). */
  readonly cycleStartDay?: number;
  /** Opt-in: alert when the projection says the budget will be exceeded (not only when it is). */
  readonly forecastAlerts: boolean;
  /** Connections whose spend counts towards this workspace. */
  readonly connectionIds: readonly string[];
}

/** The period a workspace shows, and where its cycle starts. */
export interface PeriodSpec {
  readonly period: BudgetPeriod;
  /** Undefined = the period's default (1st of the month, Monday). */
  readonly cycleStartDay: number | undefined;
}

export { isValidTimeZone };

/**
 * Thresholds as the budget stores them: whole numbers 1–1000, sorted, unique. Anything else in the
 * input (0, negatives, fractions, NaN, > 1000) is dropped; an empty result falls back to the defaults.
 * @example normalizeThresholdsPercent([100, 50, 50, 0, 1200]) //=> [50, 100]
 */
export function normalizeThresholdsPercent(values: readonly number[]): number[] {
  const kept = [...new Set(values.filter((value) => Number.isInteger(value) && value >= 1 && value <= 1000))].sort((a, b) => a - b);
  return kept.length > 0 ? kept : [...DEFAULT_THRESHOLDS_PERCENT];
}

/**
 * The period and cycle start a workspace uses: the budget's when it has one (the budget's cycle
 * day, else the workspace's), else the workspace's own.
 * @example workspacePeriodSpec({ ...workspace, budget: null, period: 'week', cycleStartDay: 7 }) //=> { period: 'week', cycleStartDay: 7 }
 */
export function workspacePeriodSpec(workspace: Workspace): PeriodSpec {
  if (workspace.budget) {
    return { period: workspace.budget.period, cycleStartDay: workspace.budget.cycleStartDay ?? workspace.cycleStartDay };
  }
  return { period: workspace.period, cycleStartDay: workspace.cycleStartDay };
}

function cycleDayProblem(period: BudgetPeriod, day: number | undefined, owner: string): string | null {
  if (day === undefined || period === 'day') return null;
  const max = period === 'month' ? 28 : 7;
  if (!Number.isInteger(day) || day < 1 || day > max) {
    return period === 'month'
      ? `${owner} cycle start day must be a whole number from 1 to 28 (got ${String(day)}).`
      : `${owner} cycle start day must be a weekday number from 1 (Monday) to 7 (Sunday) (got ${String(day)}).`;
  }
  return null;
}

/**
 * What is wrong with a workspace, in sentences for people; empty when it is valid.
 * @example workspaceProblems({ ...workspace, timeZone: 'Mars/Olympus' }) //=> ['Time zone "Mars/Olympus" is not a known IANA time zone.']
 */
export function workspaceProblems(workspace: Workspace): string[] {
  const problems: string[] = [];
  if (workspace.name.trim() === '') problems.push('Workspace name is empty.');
  if (!isValidTimeZone(workspace.timeZone)) problems.push(`Time zone "${workspace.timeZone.slice(0, 60)}" is not a known IANA time zone.`);
  if (!BUDGET_PERIODS.includes(workspace.period)) problems.push(`Period "${String(workspace.period)}" is not day, week or month.`);
  const own = cycleDayProblem(workspace.period, workspace.cycleStartDay, 'Workspace');
  if (own) problems.push(own);
  const budget = workspace.budget;
  if (budget) {
    if (!Number.isSafeInteger(budget.amountMicros) || budget.amountMicros <= 0) problems.push('Budget amount must be more than zero.');
    if (budget.period !== workspace.period) problems.push(`Budget period (${budget.period}) differs from the workspace period (${workspace.period}).`);
    const cycle = cycleDayProblem(budget.period, budget.cycleStartDay, 'Budget');
    if (cycle) problems.push(cycle);
    const normalized = normalizeThresholdsPercent(budget.thresholdsPercent);
    const same = normalized.length === budget.thresholdsPercent.length && normalized.every((value, index) => value === budget.thresholdsPercent[index]);
    if (!same) problems.push('Budget thresholds must be whole percentages from 1 to 1000, sorted and without repeats.');
  }
  return problems;
}
