/**
 * Exact money. Every amount inside Burnrate is an integer number of micro-units
 * (micro-USD for money, micro-credits for Civis credits): `costMicros = 1_247_830_000` is $1,247.83.
 * Provider answers arrive as JSON numbers or decimal strings with float artefacts
 * ("8.00000000000004"); they are parsed as exact decimals (BigInt coefficient + exponent),
 * scaled, and rounded once, half away from zero, to the micro-unit. Short plain amounts (the vast
 * majority) take fast paths in integer arithmetic on doubles that are provably exact and give the
 * same result (money.fast.test.ts); everything else takes the exact BigInt path.
 *
 * A JS number holds integers exactly up to 2^53, i.e. about $9 billion in micros, far above
 * any budget Burnrate watches; `toSafeMicros` refuses anything larger instead of losing precision.
 */

import { fastDecimalScaled, fastPlainDecimal, fastScaled } from './moneyFast';

/** An exact decimal: `coefficient × 10^exponent`. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

/** Thrown when a value cannot be read as money. `message` names the value's field when given. */
export class MoneyParseError extends Error {
  override readonly name = 'MoneyParseError';
}

/** Micro-units per unit. */
export const MICROS_PER_UNIT = 1_000_000;

// Baseten's published money pattern, extended with an optional exponent so JSON numbers such as
// 1e-7 (which String() renders in exponent form) are read too.
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Longest decimal string accepted (characters, before trimming). */
export const MAX_DECIMAL_TEXT_LENGTH = 64;
/** Most significant digits accepted (leading and trailing zeros do not count). */
export const MAX_SIGNIFICANT_DIGITS = 40;

/**
 * Parses a JSON number or a decimal string exactly. Refuses strings over
 * {@link MAX_DECIMAL_TEXT_LENGTH} characters and amounts with more than
 * {@link MAX_SIGNIFICANT_DIGITS} significant digits (so parsing never costs more than microseconds).
 * Accepts "12.5", ".5", "5.", "+1", "-0.10", "007", "1e-7" and finite numbers.
 * @example parseDecimal('8.00000000000004') //=> { coefficient: 800000000000004n, exponent: -14 }
 */
export function parseDecimal(value: unknown, field = 'value'): Decimal {
  const plain = fastPlainDecimal(value);
  if (plain !== undefined) {
    return { coefficient: BigInt(plain.negative ? -plain.coefficient : plain.coefficient), exponent: plain.scale === 0 ? 0 : -plain.scale };
  }
  return parseDecimalExact(value, field);
}

/**
 * {@link parseDecimal} without its fast path: the reference the fast path is proven against.
 * @example parseDecimalExact('1e-7') //=> { coefficient: 1n, exponent: -7 }
 */
export function parseDecimalExact(value: unknown, field = 'value'): Decimal {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyParseError(`${field}: ${String(value)} is not a finite amount`);
    // String() gives the shortest text that round-trips, so 0.1 stays "0.1", not 0.1000000000000000055….
    text = String(value);
  } else if (typeof value === 'string') {
    // A hostile answer could send megabytes of digits: 10n ** 8_000_000n blocks the event loop for
    // seconds, and no deadline interrupts synchronous work. Real amounts are far shorter.
    if (value.length > MAX_DECIMAL_TEXT_LENGTH) {
      throw new MoneyParseError(`${field}: text of ${value.length} characters is longer than ${MAX_DECIMAL_TEXT_LENGTH}`);
    }
    text = value.trim();
  } else {
    throw new MoneyParseError(`${field}: expected a number or a decimal string, got ${value === null ? 'null' : typeof value}`);
  }
  const match = DECIMAL_PATTERN.exec(text);
  const intPart = match?.[2] ?? '';
  const fracPart = match?.[3] ?? '';
  if (!match || (intPart === '' && fracPart === '')) {
    throw new MoneyParseError(`${field}: "${text.slice(0, 40)}" is not a decimal amount`);
  }
  const significant = (intPart + fracPart).replace(/^0+/, '').replace(/0+$/, '').length;
  if (significant > MAX_SIGNIFICANT_DIGITS) {
    throw new MoneyParseError(`${field}: ${significant} significant digits are more than ${MAX_SIGNIFICANT_DIGITS}`);
  }
  const sign = match[1] === '-' ? -1n : 1n;
  const exp = match[4] === undefined ? 0 : Number(match[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) {
    throw new MoneyParseError(`${field}: exponent of "${text.slice(0, 40)}" is out of range`);
  }
  const coefficient = sign * BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  return { coefficient, exponent: exp - fracPart.length };
}

/** Multiplies two exact decimals. */
export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent };
}

/**
 * Rounds `value × 10^shift` to an integer, half away from zero.
 * @example roundScaled({ coefficient: 125n, exponent: -2 }, 0) //=> 1n
 */
export function roundScaled(value: Decimal, shift: number): bigint {
  const exponent = value.exponent + shift;
  if (exponent >= 0) return value.coefficient * pow10n(exponent);
  const divisor = pow10n(-exponent);
  const negative = value.coefficient < 0n;
  const magnitude = negative ? -value.coefficient : value.coefficient;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Converts a BigInt count of micros to a JS number, refusing values a double cannot hold exactly. */
export function toSafeMicros(micros: bigint, field = 'value'): number {
  if (micros > BigInt(Number.MAX_SAFE_INTEGER) || micros < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyParseError(`${field}: amount is too large to track exactly`);
  }
  return Number(micros);
}

/**
 * Parses an amount in major units (dollars, credits) into integer micros.
 * @example toMicros('8.00000000000004') //=> 8_000_000
 * @example toMicros(12.5) //=> 12_500_000
 */
export function toMicros(value: unknown, field = 'value'): number {
  return fastScaled(value, 6) ?? toSafeMicros(roundScaled(parseDecimalExact(value, field), 6), field);
}

/**
 * Parses an amount in cents (Limitry's `totalCostCents`, possibly fractional) into micro-USD.
 * @example centsToMicros(634.5) //=> 6_345_000
 */
export function centsToMicros(value: unknown, field = 'value'): number {
  return fastScaled(value, 4) ?? toSafeMicros(roundScaled(parseDecimalExact(value, field), 4), field);
}

/**
 * Multiplies two decimal amounts exactly and rounds the product once to micros
 * (credits × USD per credit, usage × unit price).
 * @example productToMicros(1.25, 0.5) //=> 625_000
 */
export function productToMicros(a: unknown, b: unknown, field = 'value'): number {
  return toSafeMicros(roundScaled(multiplyDecimal(parseDecimal(a, field), parseDecimal(b, field)), 6), field);
}

/** Sums integer micros; throws if the sum leaves the exact range of a double. */
export function sumMicros(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  if (!Number.isSafeInteger(total)) throw new MoneyParseError('sum is too large to track exactly');
  return total;
}

/**
 * Micros as a major-unit number rounded to 6 decimals, for JSON output and metrics.
 * @example microsToUnits(1_247_830_000) //=> 1247.83
 */
export function microsToUnits(micros: number): number {
  // Dividing an integer below 2^53 by 1e6 gives the double nearest to the exact decimal.
  return micros / MICROS_PER_UNIT;
}

/**
 * Converts a major-unit amount from configuration (a budget of 2000.5 USD) to micros.
 * @example unitsToMicros(2000) //=> 2_000_000_000
 */
export function unitsToMicros(units: number): number {
  return toMicros(units, 'amount');
}

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic: sum exactly, round once.

/** Exact zero. */
export const ZERO_DECIMAL: Decimal = { coefficient: 0n, exponent: 0 };

/**
 * Adds two exact decimals.
 * @example addDecimal(parseDecimal('0.1'), parseDecimal('0.2')) //=> { coefficient: 3n, exponent: -1 }
 */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.exponent === b.exponent) return { coefficient: a.coefficient + b.coefficient, exponent: a.exponent };
  const exponent = Math.min(a.exponent, b.exponent);
  return {
    coefficient: a.coefficient * pow10n(a.exponent - exponent) + b.coefficient * pow10n(b.exponent - exponent),
    exponent,
  };
}

/** 10^0 … 10^40 as BigInt, made once: `10n ** BigInt(k)` per addition was a large part of summing amounts. */
const POW10N = Array.from({ length: 41 }, (_, k) => 10n ** BigInt(k));

/** 10^k as BigInt (k ≥ 0). */
function pow10n(k: number): bigint {
  return POW10N[k] ?? 10n ** BigInt(k);
}

/** `-a`, exactly. */
export function negateDecimal(a: Decimal): Decimal {
  return { coefficient: -a.coefficient, exponent: a.exponent };
}

/** The exact sum (0 for none). */
export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let total = ZERO_DECIMAL;
  for (const value of values) total = addDecimal(total, value);
  return total;
}

/** True for zero, and for a missing value. */
export function isZeroDecimal(value: Decimal | null | undefined): boolean {
  return !value || value.coefficient === 0n;
}

/**
 * Rounds a decimal in major units once to integer micros (half away from zero).
 * @example decimalToMicros(parseDecimal('1.2345675'), 'cost') //=> 1_234_568
 */
export function decimalToMicros(value: Decimal, field: string): number {
  return fastDecimalScaled(value.coefficient, value.exponent, 6) ?? toSafeMicros(roundScaled(value, 6), field);
}

/** The nearest double (for quantities that are not money, e.g. token counts). */
export function decimalToNumber(value: Decimal): number {
  return Number(`${value.coefficient}e${value.exponent}`);
}

/**
 * Rounds parts to micros so that they add up to the once-rounded sum of the parts
 * (largest remainder). Keeps the breakdown consistent with the total to the micro.
 * @example apportionMicros([{coefficient: 5n, exponent: -7}, {coefficient: 5n, exponent: -7}]) //=> [1, 0]
 */
export function apportionMicros(parts: readonly Decimal[]): number[] {
  if (parts.length === 0) return [];
  const exponent = Math.min(-6, ...parts.map((part) => part.exponent));
  const scaled = parts.map((part) => part.coefficient * pow10n(part.exponent - exponent));
  const divisor = pow10n(-6 - exponent);
  const floors = scaled.map((value) => {
    const quotient = value / divisor;
    return value < 0n && quotient * divisor !== value ? quotient - 1n : quotient;
  });
  const remainders = scaled.map((value, index) => value - (floors[index] as bigint) * divisor);
  const target = roundScaled(sumDecimals(parts), 6);
  let deficit = Number(target - floors.reduce((sum, value) => sum + value, 0n));
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const result = floors.slice();
  for (const { index } of order) {
    if (deficit <= 0) break;
    result[index] = (result[index] as bigint) + 1n;
    deficit -= 1;
  }
  return result.map((value) => toSafeMicros(value, 'resource cost'));
}

// ---------------------------------------------------------------------------------------------
// Formatting: the one place that turns money into "$1,247.83" text outside the renderer
// (notifications, the CLI table, the tray title, provider notes).

/**
 * Formats micro-USD as dollars with thousands separators, rounded half away from zero to the cent.
 * `wholeDollars` drops ".00" from whole amounts (budgets in titles).
 * @example formatUsd(1_812_400_000) //=> '$1,812.40'
 * @example formatUsd(2_000_000_000, { wholeDollars: true }) //=> '$2,000'
 */
export function formatUsd(micros: number, options: { wholeDollars?: boolean } = {}): string {
  const whole = BigInt(Math.round(micros));
  const negative = whole < 0n;
  const cents = ((negative ? -whole : whole) + 5_000n) / 10_000n;
  const dollars = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = cents % 100n;
  const text = options.wholeDollars === true && rest === 0n ? `$${dollars}` : `$${dollars}.${rest.toString().padStart(2, '0')}`;
  return negative && cents !== 0n ? `-${text}` : text;
}

/**
 * Formats dollars (major units, as in the StatusDocument) for the tray: whole dollars from $1,000,
 * cents below; rounded half away from zero like {@link formatUsd}.
 * @example formatUsdShort(1247.83) //=> '$1,248'
 * @example formatUsdShort(12.4) //=> '$12.40'
 */
export function formatUsdShort(usd: number): string {
  const micros = Math.round(usd * MICROS_PER_UNIT);
  if (Math.abs(micros) < 1_000 * MICROS_PER_UNIT) return formatUsd(micros);
  const wholeDollars = Math.sign(micros) * Math.round(Math.abs(micros) / MICROS_PER_UNIT);
  return formatUsd(wholeDollars * MICROS_PER_UNIT, { wholeDollars: true });
}
