/**
 * The fast paths of money.ts (integer arithmetic on doubles for short plain decimals) against the
 * exact path (BigInt coefficient and exponent): equal to the micro-unit, and refusing exactly the
 * same inputs, over wide generated inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToMicros, decimalToMicros, parseDecimal, parseDecimalExact, roundScaled, toMicros, toSafeMicros } from './money';

/** The exact result (or the refusal's message) of converting `value` with `shift` decimals. */
function exact(value: unknown, shift: number): number | string {
  try {
    return toSafeMicros(roundScaled(parseDecimalExact(value, 'x'), shift), 'x');
  } catch (error) {
    return (error as Error).message;
  }
}

function fast(convert: (value: unknown, field: string) => number, value: unknown): number | string {
  try {
    return convert(value, 'x');
  } catch (error) {
    return (error as Error).message;
  }
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Plain decimal texts of every length around the fast path's limit of 15 digits, with signs and edge points. */
const decimalText = fc
  .tuple(fc.constantFrom('', '-', '+'), digits(0, 12), fc.constantFrom('.', ''), digits(0, 14))
  .map(([sign, int, point, frac]) => `${sign}${int}${point}${frac}`);
/** Texts the fast path must pass on: exponents, whitespace, junk, very long. */
const oddText = fc.oneof(
  fc.tuple(decimalText, fc.constantFrom('e', 'E'), fc.integer({ min: -30, max: 30 })).map(([d, e, x]) => `${d}${e}${x}`),
  decimalText.map((d) => ` ${d} `),
  fc.string({ maxLength: 20 }),
  digits(16, 70),
  fc.constantFrom('.', '-', '+', '-.', '1.2.3', '1,5', '-0', '-0.000', '+.5', '5.', '.5', '0000000000000001', '999999999999999', '9007199254.740993'),
);
const numbers = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 100),
  fc.integer({ min: -1e12, max: 1e12 }).map((n) => n / 1e6),
  // Around the number fast path's limit (2^20) and near ties at the micro and at the cent's hundredth.
  fc.double({ min: -(2 ** 21), max: 2 ** 21, noNaN: true }),
  fc.integer({ min: -1e12, max: 1e12 }).map((n) => (n + 0.5) / 1e6),
  fc.integer({ min: -1e10, max: 1e10 }).map((n) => (n + 0.5) / 1e4),
  fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -2000, max: 2000 })).map(([n, d]) => (n + 0.5 + d / 1e6) / 1e6),
  fc.integer({ min: -1e15, max: 1e15 }).map((n) => n / 1e9),
  fc.constantFrom(0, -0, 1e-7, 5e-7, 9007199254, 9007199255, 1e21, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.POSITIVE_INFINITY),
);
const amounts = fc.oneof(decimalText, oddText, numbers, fc.constantFrom(null, undefined, {}, [], true));

describe('money fast paths == exact path', () => {
  it('toMicros: the same micros (or the same refusal) for any number or text', () => {
    fc.assert(
      fc.property(amounts, (value) => {
        const got = fast(toMicros, value);
        expect(Object.is(got, exact(value, 6)) || got === exact(value, 6)).toBe(true);
        if (typeof got === 'number') expect(Object.is(got, -0)).toBe(false);
      }),
      { numRuns: 10_000 },
    );
  });

  it('centsToMicros: the same micros (or the same refusal) for any number or text', () => {
    fc.assert(
      fc.property(amounts, (value) => {
        expect(fast(centsToMicros, value)).toBe(exact(value, 4));
      }),
      { numRuns: 10_000 },
    );
  });

  it('parseDecimal: the same coefficient and exponent (or the same refusal)', () => {
    const read = (parse: typeof parseDecimal, value: unknown) => {
      try {
        return parse(value, 'x');
      } catch (error) {
        return (error as Error).message;
      }
    };
    fc.assert(
      fc.property(amounts, (value) => {
        expect(read(parseDecimal, value)).toEqual(read(parseDecimalExact, value));
      }),
      { numRuns: 10_000 },
    );
  });

  it('decimalToMicros: the same micros (or the same refusal) for any exact decimal', () => {
    const coefficients = fc.oneof(
      fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
      fc.bigInt({ min: -1000n, max: 1000n }),
      fc.constantFrom(10n ** 15n - 1n, 10n ** 15n, -(10n ** 15n) + 1n, 5n, -5n, 15n, 0n),
    );
    fc.assert(
      fc.property(coefficients, fc.integer({ min: -20, max: 4 }), (coefficient, exponent) => {
        const decimal = { coefficient, exponent };
        const read = (run: () => number): number | string => {
          try {
            return run();
          } catch (error) {
            return (error as Error).message;
          }
        };
        expect(read(() => decimalToMicros(decimal, 'x'))).toBe(read(() => toSafeMicros(roundScaled(decimal, 6), 'x')));
      }),
      { numRuns: 10_000 },
    );
  });

  it('rounds half away from zero at the micro on both sides of zero', () => {
    expect(toMicros('0.0000005')).toBe(1);
    expect(toMicros('-0.0000005')).toBe(-1);
    expect(toMicros('0.00000049999999')).toBe(0);
    expect(toMicros('-0.0000000')).toBe(0);
    expect(Object.is(toMicros(-0), 0)).toBe(true);
    expect(toMicros('999999999.9999995')).toBe(exact('999999999.9999995', 6));
    expect(centsToMicros('12.34565')).toBe(123_457);
  });
});
