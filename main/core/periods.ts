/**
 * Spending periods (day, week, month) in a workspace's time zone.
 *
 * A period starts at local midnight in the workspace's IANA time zone and is returned as UTC epoch
 * milliseconds, half-open `[startMs, endMs)`. Lengths follow the calendar, not a fixed number of
 * hours: a local day is 23 or 25 hours long on a daylight-saving change, a month 28–31 days (minus
 * or plus that hour). Where local midnight does not exist (zones that spring forward at 00:00, such
 * as America/Santiago), the day starts at the first local instant after the gap (01:00).
 *
 * Cycle start day: a month cycle starts on day 1–28 of the month (28 is the highest day every month
 * has, so cycles never skip or shorten in February); a week cycle on ISO weekday 1 (Monday) – 7
 * (Sunday). Out-of-range values are clamped, never rejected: fractions are truncated, values below
 * 1 become 1, month days above 28 become 28 (a "31st" cycle runs from the 28th), weekdays above 7
 * become 7. `workspaceProblems` reports such values to people.
 *
 * Period key: `<period>:<local start date YYYY-MM-DD>@<canonical IANA zone>`, e.g.
 * `month:2026-11-01@UTC`, `month:2026-11-15@Europe/Berlin`, `week:2026-03-02@UTC`,
 * `day:2026-03-08@America/New_York`. It identifies the period across restarts; changing the zone,
 * the period or the cycle day gives new keys (and so fresh per-period alert state), as it should.
 */
import { DateTime } from 'luxon';
import type { BudgetPeriod } from './workspace';
import { canonicalTimeZone, zoneFor } from './zones';

export { canonicalTimeZone } from './zones';

/** One concrete period. */
export interface PeriodWindow {
  /** First instant (UTC epoch ms), local midnight. */
  readonly startMs: number;
  /** First instant after the period (UTC epoch ms), exclusive. */
  readonly endMs: number;
  /** Stable identifier, see the module documentation. */
  readonly key: string;
}

/**
 * The cycle start day actually used for `period` (see the clamping rule in the module docs).
 * @example clampCycleStartDay('month', 31) //=> 28
 */
export function clampCycleStartDay(period: BudgetPeriod, cycleStartDay?: number): number {
  if (period === 'day') return 1;
  const max = period === 'month' ? 28 : 7;
  if (cycleStartDay === undefined || !Number.isFinite(cycleStartDay)) return 1;
  return Math.min(max, Math.max(1, Math.trunc(cycleStartDay)));
}

function localTime(instantMs: number, timeZone: string): DateTime {
  const local = DateTime.fromMillis(instantMs, { zone: zoneFor(timeZone) });
  if (!local.isValid) throw new RangeError(`Unknown time zone "${String(timeZone).slice(0, 60)}"`);
  return local;
}

function windowOf(period: BudgetPeriod, start: DateTime, end: DateTime, timeZone: string): PeriodWindow {
  return {
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    key: `${period}:${start.toISODate() ?? ''}@${canonicalTimeZone(timeZone)}`,
  };
}

/**
 * The period containing `nowMs` (epoch ms) in `timeZone`.
 * @throws RangeError when `timeZone` is unknown.
 * @example currentPeriod(Date.UTC(2026, 2, 8, 17), 'America/New_York', 'day') //=> { startMs: Date.UTC(2026, 2, 8, 5), endMs: Date.UTC(2026, 2, 9, 4), key: 'day:2026-03-08@America/New_York' }
 */
export function currentPeriod(nowMs: number, timeZone: string, period: BudgetPeriod, cycleStartDay?: number): PeriodWindow {
  const now = localTime(nowMs, timeZone);
  const day = clampCycleStartDay(period, cycleStartDay);
  switch (period) {
    case 'day': {
      const start = now.startOf('day');
      return windowOf(period, start, start.plus({ days: 1 }).startOf('day'), timeZone);
    }
    case 'week': {
      const start = now.startOf('day').minus({ days: (now.weekday - day + 7) % 7 }).startOf('day');
      return windowOf(period, start, start.plus({ weeks: 1 }).startOf('day'), timeZone);
    }
    case 'month': {
      const month = now.day >= day ? now.startOf('month') : now.startOf('month').minus({ months: 1 });
      const start = month.set({ day }).startOf('day');
      return windowOf(period, start, start.plus({ months: 1 }).startOf('day'), timeZone);
    }
  }
}

/**
 * The period just before the one containing `nowMs`.
 * @example previousPeriod(Date.UTC(2026, 2, 1, 12), 'UTC', 'month').key //=> 'month:2026-02-01@UTC'
 */
export function previousPeriod(nowMs: number, timeZone: string, period: BudgetPeriod, cycleStartDay?: number): PeriodWindow {
  const current = currentPeriod(nowMs, timeZone, period, cycleStartDay);
  return currentPeriod(current.startMs - 1, timeZone, period, cycleStartDay);
}

/**
 * Elapsed share of a period at `nowMs`: 0 at (or before) its start, 1 at (or after) its end.
 * @example periodFraction({ startMs: 0, endMs: 86_400_000 }, 21_600_000) //=> 0.25
 */
export function periodFraction(period: { readonly startMs: number; readonly endMs: number }, nowMs: number): number {
  const lengthMs = period.endMs - period.startMs;
  if (lengthMs <= 0) return 1;
  return Math.min(1, Math.max(0, (nowMs - period.startMs) / lengthMs));
}
