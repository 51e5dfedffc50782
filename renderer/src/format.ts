/**
 * Formatting of money, rates, percentages and times: the only place where numbers become text
 * (STYLE §4). Amounts are always US dollars, written the way the system locale writes numbers
 * ("$1,247.83" in en-US, "1.247,83 $" in de-DE); dates and times follow the viewer's locale and
 * time zone. `undefined` as the locale means the system's (the browser's or Electron's).
 */

import { enUsNumberWriter, type EnUsNumberOptions } from './enUsNumber';
import { dateFormat, toDate } from './formatTime';

// Dates and times of day live in ./formatTime (the popover's first chunk needs only them).
export { dateFormat, formatTime } from './formatTime';

const LOCALE: string | undefined = undefined;

/**
 * The number formats of this module, as Intl options: written by ./enUsNumber in en-US, else by
 * Intl. Exported so the tests hold enUsNumber to Intl for each of them.
 */
export const NUMBER_FORMATS = {
  usd: { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 },
  usdWhole: { style: 'currency', currency: 'USD', minimumFractionDigits: 0, maximumFractionDigits: 0 },
  usdCompact: { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 },
  number: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  percent1: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  percent0: { maximumFractionDigits: 0 },
  /** The options of `Number.prototype.toLocaleString()` (toLocaleString builds a new format per call). */
  plain: {},
} as const satisfies Record<string, EnUsNumberOptions>;

/**
 * Whether the system locale is en-US, read without Intl: the first Intl formatter a page makes
 * costs 30–70 ms of ICU set-up, which the served dashboard's first paint should not wait for.
 * Chromium and Electron set ICU's default locale from the same setting as navigator.language.
 */
const EN_US = typeof navigator !== 'undefined' && navigator.language === 'en-US';

/**
 * The writer of the system locale's number format for `options`: ./enUsNumber in en-US (no Intl
 * object at all), else, or for what enUsNumber does not cover (NaN, infinities), an
 * Intl.NumberFormat made at its first use and then kept (each one costs ICU work).
 */
function formatFor(options: EnUsNumberOptions): (value: number) => string {
  const enUs = EN_US ? enUsNumberWriter(options) : undefined;
  let format: Intl.NumberFormat | undefined;
  return (value) => enUs?.(value) ?? (format ??= new Intl.NumberFormat(LOCALE, options)).format(value);
}
const USD = formatFor(NUMBER_FORMATS.usd);
const USD_WHOLE = formatFor(NUMBER_FORMATS.usdWhole);
const USD_COMPACT = formatFor(NUMBER_FORMATS.usdCompact);
const NUMBER = formatFor(NUMBER_FORMATS.number);
const PERCENT_1 = formatFor(NUMBER_FORMATS.percent1);
const PERCENT_0 = formatFor(NUMBER_FORMATS.percent0);
const PLAIN = formatFor(NUMBER_FORMATS.plain);

/**
 * Dollars with cents and thousands separators; an em dash for unknown amounts.
 * @example formatUsd(1247.83) //=> '$1,247.83'
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  // Amounts that round to zero cents but are not zero would read as "$0.00": say so instead.
  if (usd !== 0 && Math.abs(usd) < 0.005) return usd > 0 ? `<${USD(0.01)}` : `>${USD(-0.01)}`;
  return USD(usd);
}

/**
 * Whole dollars, for budgets and other round amounts.
 * @example formatUsdWhole(20000) //=> '$20,000'
 */
export function formatUsdWhole(usd: number): string {
  return Number.isInteger(usd) ? USD_WHOLE(usd) : formatUsd(usd);
}

/**
 * Short money for tight places (ranges, chart labels): exact below $1,000, compact above.
 * @example formatUsdCompact(17117.03) //=> '$17.1K'
 * @example formatUsdCompact(812.4) //=> '$812.40'
 */
export function formatUsdCompact(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  return Math.abs(usd) < 1000 ? formatUsd(usd) : USD_COMPACT(usd);
}

/**
 * A burn rate in dollars per hour.
 * @example formatUsdPerHour(23.142923) //=> '$23.14/h'
 */
export function formatUsdPerHour(usdPerHour: number): string {
  return `${formatUsd(usdPerHour)}/h`;
}

/**
 * A count or plain number in the system locale, as `n.toLocaleString()` writes it.
 * @example formatNumber(48210) //=> '48,210'
 */
export function formatNumber(n: number): string {
  return PLAIN(n);
}

/**
 * Credits (Civis bills in credits, not dollars).
 * @example formatCredits(1710.340545) //=> '1,710.34 credits'
 */
export function formatCredits(credits: number): string {
  return `${NUMBER(credits)} credits`;
}

/**
 * A percentage with one decimal below 100 and none above.
 * @example formatPercent(60.38) //=> '60.4%'
 * @example formatPercent(118.12) //=> '118%'
 */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return '—';
  return Math.abs(percent) >= 100 ? `${PERCENT_0(Math.round(percent))}%` : `${PERCENT_1(Math.round(percent * 10) / 10)}%`;
}

/**
 * A 0..1 probability or confidence as a whole percentage.
 * @example formatRatio(0.99) //=> '99%'
 */
export function formatRatio(ratio: number): string {
  return `${Math.round(Math.max(0, Math.min(1, ratio)) * 100)}%`;
}

/** Plain-language name of a projection method of the status document. */
export function projectionMethodLabel(method: string): string {
  switch (method) {
    case 'run-rate':
      return 'run rate';
    case 'day-of-week':
      return 'weekday pattern';
    case 'previous-period':
      return 'previous period';
    case 'blend':
      return 'blend';
    case 'sparse-points':
      return 'reported hours (sparse series)';
    case 'period-average':
      return 'period average';
    default:
      return method;
  }
}

/** Plain-language name of a resource kind. */
export function resourceKindLabel(kind: string): string {
  switch (kind) {
    case 'training_job':
      return 'training job';
    case 'plan_type':
      return 'plan';
    default:
      return kind.replace(/_/g, ' ');
  }
}

/**
 * A local date and time, e.g. "Thu, Nov 26, 3:12 AM" (en-US in New York for 2026-11-26T08:12Z).
 */
export function formatDateTime(iso: string | Date): string {
  return dateFormat({ weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(toDate(iso));
}

/** A local hour bucket for chart tooltips, e.g. "Nov 21, 8 PM". */
export function formatHour(iso: string): string {
  return dateFormat({ month: 'short', day: 'numeric', hour: 'numeric' }).format(new Date(iso));
}

/**
 * A billing period, end exclusive: {start: Nov 1, end: Dec 1} reads "Nov 1 – Nov 30".
 * A one-day period reads as that single day.
 *
 * Periods start at midnight in the workspace's time zone (`period.timeZone`), so the dates are
 * shown in that zone. Without it (older servers), they are shown in the viewer's zone when the
 * period starts at local midnight there, else in UTC when it starts at UTC midnight (so a UTC
 * month never reads "Oct 31 – Nov 30").
 */
export function formatPeriod(period: { readonly start: string; readonly end: string; readonly timeZone?: string }): string {
  const start = new Date(period.start);
  const last = new Date(new Date(period.end).getTime() - 1);
  const localMidnight = start.getHours() === 0 && start.getMinutes() === 0;
  const utcMidnight = start.getUTCHours() === 0 && start.getUTCMinutes() === 0;
  const zone = period.timeZone ?? (!localMidnight && utcMidnight ? 'UTC' : undefined);
  const options: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', ...(zone ? { timeZone: zone } : {}) };
  const from = dateFormat(options).format(start);
  const to = dateFormat(options).format(last);
  return from === to ? from : `${from} – ${to}`;
}

/**
 * Time left in a period, rounded for people: "9 days left", "5 h left", "under an hour left".
 */
export function formatTimeLeft(period: { readonly end: string }, now: Date): string {
  const ms = new Date(period.end).getTime() - now.getTime();
  if (ms <= 0) return 'period ended';
  const hours = ms / 3_600_000;
  if (hours < 1) return 'under an hour left';
  if (hours < 48) return `${Math.round(hours)} h left`;
  return `${Math.round(hours / 24)} days left`;
}

/**
 * A duration from now, for people: "in 40 min", "in 3 h 40 min", "in 2 days 5 h".
 * @example formatIn(3 * 3_600_000 + 40 * 60_000) //=> 'in 3 h 40 min'
 */
export function formatIn(ms: number): string {
  if (ms <= 0) return 'now';
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest > 0 ? `in ${hours} h ${rest} min` : `in ${hours} h`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours > 0 ? `in ${days} days ${restHours} h` : `in ${days} days`;
}

/**
 * A moment ahead, relative and absolute: "in 3 h 40 min · Thu 2:00 PM" (weekday and local time;
 * the date is added when it is a week or more away).
 */
export function formatWhen(iso: string | Date, now: Date): string {
  const date = toDate(iso);
  const ms = date.getTime() - now.getTime();
  const absolute =
    Math.abs(ms) >= 6 * 86_400_000
      ? dateFormat({ weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date)
      : dateFormat({ weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(date);
  return `${formatIn(ms)} · ${absolute}`;
}
