/**
 * Whole UTC days for providers that only answer in them (TensorOne's dates, Baseten's daily rows).
 *
 * A period in a non-UTC time zone starts and ends inside a UTC day. Such a boundary day is given
 * whole to the ONE period that holds most of its hours (the one containing the day's 12:00 UTC), so
 * every UTC day counts in exactly one period, never in two, and the figure is labelled an estimate.
 */
import { DAY_MS, type TimeRange } from '../core/report';

const HALF_DAY_MS = DAY_MS / 2;

/** The UTC days a range is answered with. */
export interface UtcDays {
  /** First day (UTC midnight, epoch ms). */
  readonly firstDayMs: number;
  /** Last day, inclusive (UTC midnight, epoch ms). */
  readonly lastDayMs: number;
  /** The range does not start (or, once ended, end) on a UTC midnight: the days' total is an estimate of it. */
  readonly partial: boolean;
}

/**
 * The UTC days whose 12:00 UTC lies in `[range.startMs, range.endMs)`; while the range is still
 * running (it ends at or after `nowMs`), also today, which has started but whose noon may be ahead.
 * Null when no day qualifies (the first hours of a period whose first UTC day mostly lies before it).
 * @example utcDaysOfRange({ startMs: Date.UTC(2026, 8, 30, 22), endMs: Date.UTC(2026, 9, 31, 23) }, Date.UTC(2026, 10, 5)) //=> { firstDayMs: Date.UTC(2026, 9, 1), lastDayMs: Date.UTC(2026, 9, 31), partial: true }
 */
export function utcDaysOfRange(range: TimeRange, nowMs: number): UtcDays | null {
  const firstDayMs = Math.ceil((range.startMs - HALF_DAY_MS) / DAY_MS) * DAY_MS;
  const running = range.endMs >= nowMs;
  let lastDayMs = Math.floor((range.endMs - 1) / DAY_MS) * DAY_MS;
  if (!running && lastDayMs + HALF_DAY_MS >= range.endMs) lastDayMs -= DAY_MS;
  if (lastDayMs < firstDayMs) return null;
  const partial = range.startMs % DAY_MS !== 0 || (!running && range.endMs % DAY_MS !== 0);
  return { firstDayMs, lastDayMs, partial };
}

/**
 * The note that labels a whole-day total of a partial range as an estimate.
 * @example boundaryDayNote('TensorOne', days) //=> 'TensorOne reports whole UTC days: …'
 */
export function boundaryDayNote(provider: string, days: UtcDays): string {
  const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return (
    `${provider} reports whole UTC days, and this period starts or ends inside one: each boundary day is counted once, ` +
    `whole, in the period holding most of its hours (here the UTC days ${date(days.firstDayMs)} to ${date(days.lastDayMs)}). ` +
    'The total is an estimate of the period, not exact to the hour.'
  );
}
