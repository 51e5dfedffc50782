/**
 * Dates and times of day in the viewer's locale and time zone: the part of ./format.ts (which
 * re-exports it) that the popover's first chunk needs (the header's "Updated 4:24 PM"), apart so
 * that chunk does not carry the money formats, which come with the panel's chunk.
 */

/** The system's locale (undefined: the browser's or Electron's), as in ./format.ts. */
const LOCALE: string | undefined = undefined;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * The system locale's date-time format for `options`, made once: `toLocaleString(undefined, options)`
 * builds a new Intl.DateTimeFormat at every call, which made most of a render's script time.
 * @example dateFormat({ month: 'short', day: 'numeric' }).format(new Date('2026-11-26T12:00Z')) //=> 'Nov 26'
 */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = dateFormats.get(key);
  if (format === undefined) dateFormats.set(key, (format = new Intl.DateTimeFormat(LOCALE, options)));
  return format;
}

/** A Date from an ISO-8601 text, or the Date itself. */
export function toDate(iso: string | Date): Date {
  return typeof iso === 'string' ? new Date(iso) : iso;
}

/** A local time of day, e.g. "9:47 PM"; prefixed with the date when it is not on the same local day as `now`. */
export function formatTime(iso: string | Date, now: Date = new Date()): string {
  const date = toDate(iso);
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? dateFormat({ hour: 'numeric', minute: '2-digit' }).format(date)
    : dateFormat({ month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
}

