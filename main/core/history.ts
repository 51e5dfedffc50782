/**
 * Spend history: past periods of a workspace from the stored totals of its connections, and
 * "this period vs. the same point last period". Pure: time and data are parameters.
 *
 * Past periods come from the spend database's period keys (`<period>:<local start date>@<zone>`,
 * see ./periods.ts): only keys of the workspace's current period kind, zone and cycle day count, so
 * a history never mixes weeks into months. A period's budget is the workspace's budget as it is
 * now (Burnrate keeps no history of budget settings).
 */
import { DateTime } from 'luxon';
import { zoneFor } from './zones';
import { currentPeriod, type PeriodWindow } from './periods';
import type { UsageReport } from './report';
import type { BudgetPeriod } from './workspace';

/** One connection's stored total for one period (micro-USD). */
export interface StoredPeriodTotal {
  readonly connectionId: string;
  readonly periodKey: string;
  readonly totalMicros: number;
}

/** One past period: its window, its spend, and the budget it is measured against. */
export interface PastPeriod {
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly spentMicros: number;
  /** Connections with stored spend in that period. */
  readonly connections: number;
  readonly budgetMicros: number | null;
}

/** Input of {@link pastPeriods}. */
export interface PastPeriodsInput {
  readonly totals: readonly StoredPeriodTotal[];
  readonly current: PeriodWindow;
  readonly timeZone: string;
  readonly period: BudgetPeriod;
  readonly cycleStartDay?: number;
  readonly budgetMicros: number | null;
  /** Most periods returned (newest first). */
  readonly limit: number;
}

/**
 * The workspace's past periods with stored spend, newest first, at most `limit`.
 * @example pastPeriods({ totals: [{ connectionId: 'a', periodKey: 'month:2026-10-01@UTC', totalMicros: 5e6 }], current, timeZone: 'UTC', period: 'month', budgetMicros: null, limit: 12 })[0].spentMicros //=> 5_000_000
 */
export function pastPeriods(input: PastPeriodsInput): PastPeriod[] {
  const byKey = new Map<string, { spentMicros: number; connections: Set<string> }>();
  for (const total of input.totals) {
    if (total.periodKey === input.current.key) continue;
    let entry = byKey.get(total.periodKey);
    if (entry === undefined) byKey.set(total.periodKey, (entry = { spentMicros: 0, connections: new Set() }));
    entry.spentMicros += total.totalMicros;
    entry.connections.add(total.connectionId);
  }
  const zoneSuffix = input.current.key.slice(input.current.key.indexOf('@'));
  const out: PastPeriod[] = [];
  for (const [key, entry] of byKey) {
    const match = /^(day|week|month):(\d{4}-\d{2}-\d{2})(@.+)$/.exec(key);
    if (!match || match[1] !== input.period || match[3] !== zoneSuffix) continue;
    const localStart = DateTime.fromISO(match[2]!, { zone: zoneFor(input.timeZone) });
    if (!localStart.isValid) continue;
    const window = currentPeriod(localStart.toMillis() + 1, input.timeZone, input.period, input.cycleStartDay);
    // Another cycle day than today's: not one of this workspace's periods as now defined.
    if (window.key !== key || window.startMs >= input.current.startMs) continue;
    out.push({ key, startMs: window.startMs, endMs: window.endMs, spentMicros: entry.spentMicros, connections: entry.connections.size, budgetMicros: input.budgetMicros });
  }
  return out.sort((a, b) => b.startMs - a.startMs).slice(0, Math.max(0, input.limit));
}

/** One connection's reports for {@link samePointLastPeriod}. */
export interface ComparedConnection {
  /** Its counted USD report of the current period. */
  readonly current: UsageReport;
  /** Its USD report of the previous period, or null when there is none. */
  readonly previous: UsageReport | null;
}

/** "This period vs. the same point last period". */
export interface PeriodComparison {
  /** Spend of the current period so far (connections with a previous report only). */
  readonly currentMicros: number;
  /** Spend of the previous period over the same elapsed time from its start. */
  readonly previousMicros: number;
  /** Change in percent (+12 = 12 % more), null when the previous spend is 0. */
  readonly changePercent: number | null;
  /** Elapsed time from the period start the comparison covers (ms): the earliest data-through. */
  readonly elapsedMs: number;
}

/** Cost of `buckets` before `untilMs`; a bucket cut by it counts pro rata. */
function costBefore(report: UsageReport, untilMs: number): number {
  let total = 0;
  for (const b of report.buckets) {
    if (b.startMs >= untilMs || b.durationMs <= 0) continue;
    const end = b.startMs + b.durationMs;
    total += end <= untilMs ? b.costMicros : Math.round((b.costMicros * (untilMs - b.startMs)) / b.durationMs);
  }
  return total;
}

/**
 * Compares the current period so far with the previous one at the same elapsed time from its
 * start (the earliest instant every compared connection's data reaches), bucket by bucket.
 * Null when no connection has both reports, or nothing has elapsed.
 * @example samePointLastPeriod({ current, previous, connections }).changePercent //=> 12
 */
export function samePointLastPeriod(input: { readonly current: PeriodWindow; readonly previous: PeriodWindow; readonly nowMs: number; readonly connections: readonly ComparedConnection[] }): PeriodComparison | null {
  const compared = input.connections.filter(
    (c): c is { current: UsageReport; previous: UsageReport } => c.previous !== null && c.current.unit === 'usd' && c.previous.unit === 'usd',
  );
  if (compared.length === 0) return null;
  const through = Math.min(input.nowMs, ...compared.map((c) => c.current.dataThroughMs ?? input.nowMs));
  const elapsedMs = Math.min(through - input.current.startMs, input.previous.endMs - input.previous.startMs);
  if (elapsedMs <= 0) return null;
  let currentMicros = 0;
  let previousMicros = 0;
  for (const c of compared) {
    currentMicros += c.current.buckets.length > 0 ? costBefore(c.current, input.current.startMs + elapsedMs) : c.current.totalMicros;
    previousMicros += costBefore(c.previous, input.previous.startMs + elapsedMs);
  }
  const changePercent = previousMicros > 0 ? Math.round(((currentMicros - previousMicros) / previousMicros) * 1000) / 10 : null;
  return { currentMicros, previousMicros, changePercent, elapsedMs };
}
