/**
 * Fast paths of ./money.ts. Provider answers carry hundreds of thousands of amounts; most are
 * short plain decimals ("0.87282999999967", 86.4). With at most 15 digits in all, the coefficient
 * is an integer below 10^15 < 2^53, so integer arithmetic on a double is exact: no BigInt, no
 * regex. Anything else (exponents, whitespace, more digits, results past 2^53) takes the exact
 * path of money.ts. money.fast.test.ts proves fast path == exact path over generated inputs.
 */

/** 10^0 … 10^15, each exact in a double. */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** Most digits the fast path reads: 10^15 - 1 < 2^53. */
const FAST_DIGITS = 15;

/** What {@link readPlainDecimal} read: `(negative ? -1 : 1) × coefficient × 10^-scale`. Reused (no allocation per amount). */
const plain = { negative: false, coefficient: 0, scale: 0 };

/**
 * Reads `[+-]?digits[.digits]` (either side of the point may be empty, not both) with at most
 * {@link FAST_DIGITS} digits into {@link plain}; false for anything else.
 */
function readPlainDecimal(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > FAST_DIGITS + 2) return false;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45) {
    negative = true;
    i = 1;
  } else if (first === 43) {
    i = 1;
  }
  let coefficient = 0;
  let digits = 0;
  let scale = -1;
  for (; i < length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      coefficient = coefficient * 10 + (code - 48);
      digits += 1;
      if (scale >= 0) scale += 1;
    } else if (code === 46 && scale < 0) {
      scale = 0;
    } else {
      return false;
    }
  }
  if (digits === 0 || digits > FAST_DIGITS) return false;
  plain.negative = negative;
  plain.coefficient = coefficient;
  plain.scale = scale < 0 ? 0 : scale;
  return true;
}

/** The text the exact path reads for a JSON number or a string (undefined: not the fast path's). */
function fastText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Largest magnitude {@link fastScaledNumber} takes: 2^20. */
const FAST_NUMBER_LIMIT = 1_048_576;

/**
 * A JSON number below 2^20 in magnitude, `× 10^shift` (shift ≤ 6) and rounded half away from zero,
 * without its decimal text. The exact path reads String(value), the shortest decimal d that
 * round-trips; |d - value| ≤ ulp(value)/2 ≤ 2^-33, so |d·10^6 - value·10^6| < 1.2e-4, and the
 * product in doubles (< 2^40) is off by at most ulp/2 = 2^-13 < 1.3e-4 more. So when the computed
 * product's fraction is farther than 1e-3 from one half, rounding it gives the same integer as
 * rounding d·10^shift; otherwise (a tie or near one) undefined: the text decides.
 */
function fastScaledNumber(value: number, shift: number): number | undefined {
  const magnitude = Math.abs(value);
  if (!(magnitude < FAST_NUMBER_LIMIT) || shift > 6) return undefined;
  const scaled = magnitude * POW10[shift]!;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (Math.abs(fraction - 0.5) <= 1e-3) return undefined;
  const rounded = fraction > 0.5 ? whole + 1 : whole;
  if (rounded === 0) return 0;
  return value < 0 ? -rounded : rounded;
}

/**
 * `value × 10^shift` rounded half away from zero, for a plain decimal whose result is a safe
 * integer; undefined when the exact path must decide (including every refusal).
 */
export function fastScaled(value: unknown, shift: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    const scaled = value * POW10[shift]!;
    // An integer times 10^shift is exact while the result is a safe integer; -0 reads as 0 ("0").
    if (Number.isSafeInteger(scaled)) return scaled === 0 ? 0 : scaled;
    return undefined;
  }
  if (typeof value === 'number') {
    const rounded = fastScaledNumber(value, shift);
    if (rounded !== undefined) return rounded;
  }
  const text = fastText(value);
  if (text === undefined || !readPlainDecimal(text)) return undefined;
  return scaledPlain(plain.negative, plain.coefficient, plain.scale, shift);
}

/** Largest coefficient the fast paths take, exclusive: 10^15 (so coefficient + divisor < 2^53). */
const FAST_COEFFICIENT_LIMIT = 10n ** 15n;

/**
 * An exact decimal `coefficient × 10^exponent` times 10^shift, rounded half away from zero, in
 * doubles when the coefficient is below 10^15 and the exponent in [-15, 0]; undefined otherwise
 * (and when the result is not a safe integer): the BigInt path decides.
 */
export function fastDecimalScaled(coefficient: bigint, exponent: number, shift: number): number | undefined {
  if (exponent > 0 || exponent < -FAST_DIGITS || coefficient >= FAST_COEFFICIENT_LIMIT || coefficient <= -FAST_COEFFICIENT_LIMIT) return undefined;
  const value = Number(coefficient);
  return scaledPlain(value < 0, Math.abs(value), -exponent, shift);
}

/** `(negative ? -1 : 1) × coefficient × 10^(shift - scale)` rounded half away from zero; coefficient < 10^15, scale ≤ 15. */
function scaledPlain(negative: boolean, coefficient: number, scale: number, shift: number): number | undefined {
  let magnitude: number;
  if (scale <= shift) {
    const factor = POW10[shift - scale]!;
    if (coefficient > Number.MAX_SAFE_INTEGER / factor) return undefined;
    magnitude = coefficient * factor;
  } else {
    const divisor = POW10[scale - shift]!;
    let quotient = Math.floor(coefficient / divisor);
    let remainder = coefficient - quotient * divisor;
    // The quotient of the division in doubles may be one off; the remainder puts it right.
    if (remainder < 0) {
      quotient -= 1;
      remainder += divisor;
    } else if (remainder >= divisor) {
      quotient += 1;
      remainder -= divisor;
    }
    magnitude = remainder * 2 >= divisor ? quotient + 1 : quotient;
  }
  if (magnitude === 0) return 0;
  return negative ? -magnitude : magnitude;
}

/**
 * The parts of a plain decimal amount (a JSON number or a string of at most 15 digits, no exponent,
 * no whitespace) as read by the exact path, or undefined. The object returned is reused by the next call.
 */
export function fastPlainDecimal(value: unknown): Readonly<typeof plain> | undefined {
  const text = fastText(value);
  return text !== undefined && readPlainDecimal(text) ? plain : undefined;
}
