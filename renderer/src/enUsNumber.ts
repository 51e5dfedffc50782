/**
 * en-US numbers without Intl: the first Intl formatter a fresh Chromium renderer makes costs
 * 30–70 ms (ICU loads its locale data), which the served dashboard's first paint would spend
 * before the spend is on screen. For the few option sets ./format.ts uses, this writes the same
 * text as `new Intl.NumberFormat('en-US', options).format(value)`, byte for byte; for anything
 * else it answers `undefined` and the caller uses Intl.
 *
 * ICU's semantics, followed here: the double's SHORTEST round-trip decimal (what
 * `toExponential()` without an argument gives) rounded half away from zero ("halfExpand"), so
 * 1.005 reads "$1.01" where `(1.005).toFixed(2)` gives "1.00"; the minus sign kept for -0 and for
 * negatives that round to zero ("-$0.00"); compact notation in thousands up to trillions ("$17.1K",
 * "$1000T"), moving to the next unit when rounding reaches it (999,950 reads "$1M"), and grouping
 * only from five integer digits there ("min2": "$1000T", "$10,000T").
 */

/** The options this module writes itself: a subset of Intl.NumberFormatOptions. */
export type EnUsNumberOptions = Pick<Intl.NumberFormatOptions, 'style' | 'currency' | 'notation' | 'minimumFractionDigits' | 'maximumFractionDigits'>;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['style', 'currency', 'notation', 'minimumFractionDigits', 'maximumFractionDigits']);
/** Compact units by power of a thousand; en has none past trillions (1e15 reads "1000T"). */
const COMPACT_UNITS = ['', 'K', 'M', 'B', 'T'];

interface Resolved {
  readonly currency: boolean;
  readonly compact: boolean;
  readonly minimumFractionDigits: number;
  readonly maximumFractionDigits: number;
}

/**
 * `new Intl.NumberFormat('en-US', options).format(value)`, written without Intl, or `undefined`
 * when `value` is not finite or `options` holds anything but decimal or USD style, standard or
 * compact notation and fraction digits (compact needs explicit fraction digits: without them
 * Intl rounds to significant digits). Invalid options (Intl would throw) answer `undefined` too.
 * @example enUsNumber(-1247.83, { style: 'currency', currency: 'USD' }) //=> '-$1,247.83'
 * @example enUsNumber(17117.03, { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }) //=> '$17.1K'
 * @example enUsNumber(48210.5, {}) //=> '48,210.5'
 */
export function enUsNumber(value: number, options: EnUsNumberOptions): string | undefined {
  return enUsNumberWriter(options)?.(value);
}

/**
 * {@link enUsNumber} for one set of `options`, read once: the writer of its values (`undefined`
 * for a value that is not finite), or `undefined` when the options are not covered.
 * @example enUsNumberWriter({ style: 'currency', currency: 'USD' })?.(1247.83) //=> '$1,247.83'
 */
export function enUsNumberWriter(options: EnUsNumberOptions): ((value: number) => string | undefined) | undefined {
  const resolved = resolve(options);
  return resolved === undefined ? undefined : (value) => write(value, resolved);
}

/** `value` written with options already resolved. */
function write(value: number, resolved: Resolved): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const [mantissa = '0', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1;
  let unit = 0;
  let number = round(digits, point, resolved.maximumFractionDigits);
  if (resolved.compact && value !== 0) {
    // The unit follows the magnitude before rounding, then the next one if rounding reached it.
    unit = compactUnit(point - 1);
    number = round(digits, point - 3 * unit, resolved.maximumFractionDigits);
    const rounded = compactUnit(number.integer.length - 1 + 3 * unit);
    if (rounded !== unit) number = round(digits, point - 3 * (unit = rounded), resolved.maximumFractionDigits);
  }
  let fraction = number.fraction;
  while (fraction.length > resolved.minimumFractionDigits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const integer = resolved.compact && number.integer.length < 5 ? number.integer : group(number.integer);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${resolved.currency ? '$' : ''}${integer}${fraction ? `.${fraction}` : ''}${COMPACT_UNITS[unit]}`;
}

/** ECMA-402's digit options for the supported subset, or undefined for anything else. */
function resolve(options: EnUsNumberOptions): Resolved | undefined {
  for (const [key, option] of Object.entries(options)) if (option !== undefined && !KNOWN_OPTIONS.has(key)) return undefined;
  const style = options.style ?? 'decimal';
  const notation = options.notation ?? 'standard';
  if ((style !== 'decimal' && style !== 'currency') || (notation !== 'standard' && notation !== 'compact')) return undefined;
  if (style === 'currency' ? options.currency !== 'USD' : options.currency !== undefined) return undefined;
  const currency = style === 'currency';
  const compact = notation === 'compact';
  const { minimumFractionDigits: min, maximumFractionDigits: max } = options;
  if (compact && min === undefined && max === undefined) return undefined;
  if (!isDigitCount(min) || !isDigitCount(max)) return undefined;
  const [minDefault, maxDefault] = currency && !compact ? [2, 2] : [0, 3];
  const minimumFractionDigits = min ?? Math.min(minDefault, max ?? minDefault);
  const maximumFractionDigits = max ?? Math.max(maxDefault, minimumFractionDigits);
  if (minimumFractionDigits > maximumFractionDigits) return undefined;
  return { currency, compact, minimumFractionDigits, maximumFractionDigits };
}

function isDigitCount(option: number | undefined): boolean {
  return option === undefined || (Number.isInteger(option) && option >= 0 && option <= 20);
}

/** The compact unit (a power of a thousand) for a number whose leading digit is at 10^magnitude. */
function compactUnit(magnitude: number): number {
  return Math.max(0, Math.min(COMPACT_UNITS.length - 1, Math.floor(magnitude / 3)));
}

/**
 * The decimal 0.`digits` × 10^`point` rounded half away from zero to `fractionDigits` places:
 * its integer digits (no leading zeros, "0" at least) and exactly `fractionDigits` fraction digits.
 */
function round(digits: string, point: number, fractionDigits: number): { integer: string; fraction: string } {
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  const keep = point + fractionDigits;
  let kept = digits.slice(0, keep).padEnd(keep, '0');
  if (digits.length > keep && digits.charCodeAt(keep) >= 53 /* '5' */) {
    const head = kept.replace(/9+$/, '');
    const nines = kept.length - head.length;
    kept = (head ? head.slice(0, -1) + String(Number(head.slice(-1)) + 1) : '1') + '0'.repeat(nines);
    if (!head) point += 1;
  }
  const integer = kept.slice(0, point).replace(/^0+(?=\d)/, '');
  return { integer, fraction: kept.slice(point) };
}

/** Thousands separated by commas: "1234567" → "1,234,567". */
function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+$)/g, ',');
}
