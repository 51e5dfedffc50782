/**
 * Instants as the provider APIs want them in query strings. Shared by the adapters so every
 * provider formats time the same way.
 */

/**
 * ISO-8601 UTC with `Z`, milliseconds only when non-zero (Baseten, Civis, Limitry, Simplismart).
 * @example isoInstant(Date.UTC(2026, 2, 1)) //=> '2026-03-01T00:00:00Z'
 * @example isoInstant(Date.UTC(2026, 2, 1, 0, 0, 0, 250)) //=> '2026-03-01T00:00:00.250Z'
 */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The UTC calendar date of an instant (TensorOne's `startDate`/`endDate`).
 * @example isoDate(Date.UTC(2026, 2, 1, 23, 59)) //=> '2026-03-01'
 */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days of each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of `length` ASCII digits at `from`, or -1. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i += 1) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (years ≥ 1; H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Epoch ms of an ISO-8601 date-time with an explicit offset or `Z` (NaN for anything else): what
 * the provider schemas accept as an instant. The canonical `YYYY-MM-DDTHH:MM:SSZ` and
 * `YYYY-MM-DDTHH:MM:SS.sssZ` with in-range fields (years 1000–9999) are read digit by digit; every
 * other text goes to {@link isoInstantToMsExact}. timestamps.fast.test.ts proves them equal.
 * @example isoInstantToMs('2026-03-01T10:00:00Z') //=> 1772359200000
 */
export function isoInstantToMs(text: string): number {
  const length = text.length;
  if (
    (length === 20 || (length === 24 && text.charCodeAt(19) === 46)) &&
    text.charCodeAt(length - 1) === 90 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58
  ) {
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    const hour = digitsAt(text, 11, 2);
    const minute = digitsAt(text, 14, 2);
    const second = digitsAt(text, 17, 2);
    const millis = length === 24 ? digitsAt(text, 20, 3) : 0;
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0) {
      const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      if (day <= MONTH_DAYS[month - 1]! + (leap ? 1 : 0)) return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1_000 + millis;
    }
  }
  return isoInstantToMsExact(text);
}

/** {@link isoInstantToMs} without its fast path: an explicit offset or `Z` required, then `Date.parse`. */
export function isoInstantToMsExact(text: string): number {
  return /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? Date.parse(text) : Number.NaN;
}
