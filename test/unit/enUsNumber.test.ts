/**
 * renderer/src/enUsNumber.ts writes, without Intl, exactly what `new Intl.NumberFormat('en-US',
 * options).format(value)` writes, for every number format of renderer/src/format.ts and for
 * doubles of every magnitude: the served dashboard's first paint shows the spend with it before
 * ICU has loaded anything. Intl (Node's ICU, the oracle) decides every expected text here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enUsNumber, type EnUsNumberOptions } from '../../renderer/src/enUsNumber';
import { NUMBER_FORMATS } from '../../renderer/src/format';

const intl = (options: EnUsNumberOptions) => new Intl.NumberFormat('en-US', options);
const RUNS = 4000;

/** The next double after `x` towards `direction` (+1 or -1): one unit in the last place away. */
function nextDouble(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = bits[0]! + BigInt((x > 0 ? 1 : -1) * direction);
  return new Float64Array(bits.buffer)[0]!;
}

const sign = fc.constantFrom(1, -1);
/** Decimal numbers m × 10^e as the nearest double, as amounts and counts are written. */
const decimal = fc
  .tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: -12, max: 24 }))
  .map(([mantissa, exponent]) => (exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent));
/** Halfway cases of 0 to 3 fraction digits (1.005, 2.5, 0.125, 12.45…), and the doubles either side. */
const halfway = fc
  .tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 1, -1))
  .map(([whole, places, ulps]) => {
    const value = (whole * 10 + 5 * Math.sign(whole || 1)) / 10 ** places;
    return ulps === 0 ? value : nextDouble(value, ulps as 1 | -1);
  });
/** Just below a power of ten, where rounding adds a digit or a compact unit: 999.95, 999,950, 999,999,999.95… */
const belowPowerOfTen = fc
  .tuple(fc.integer({ min: -6, max: 24 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 1, -1), sign)
  .map(([exponent, places, ulps, s]) => {
    const value = 10 ** exponent - 5 / 10 ** (places - exponent);
    return s * (ulps === 0 ? value : nextDouble(value, ulps as 1 | -1));
  });
const special = fc.constantFrom(
  0, -0, 0.001, -0.001, 0.004999, -0.005, 1.005, 999.95, 999.96, 999_950, 999_949, 999_999.95, 999_999_999.95, 9_999_999_999.95, 999.95e12, 1e15, 1e16, 1e20,
  1e21, 2 ** 70, 1e23, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 5e-7, 1e-7,
);
const ARBITRARIES: ReadonlyArray<readonly [string, fc.Arbitrary<number>]> = [
  ['any double', fc.double({ noNaN: true, noDefaultInfinity: true })],
  ['integers', fc.oneof(fc.integer(), fc.maxSafeInteger())],
  ['decimals of every magnitude', decimal],
  ['halfway cases', halfway],
  ['just below powers of ten', belowPowerOfTen],
  ['tiny values', fc.double({ min: -0.01, max: 0.01, noNaN: true })],
  ['near 1e21', fc.double({ min: 1e19, max: 1e23, noNaN: true }).chain((x) => sign.map((s) => s * x))],
  ['documented edge cases', special],
];

describe('enUsNumber', () => {
  for (const [name, options] of Object.entries(NUMBER_FORMATS)) {
    describe(`format.ts's ${name} format ${JSON.stringify(options)}`, () => {
      const format = intl(options);
      for (const [what, arbitrary] of ARBITRARIES) {
        it(`writes what Intl writes for ${what}`, () => {
          fc.assert(
            fc.property(arbitrary, (value) => {
              expect(enUsNumber(value, options), `${value}`).toBe(format.format(value));
            }),
            { numRuns: what === 'documented edge cases' ? 200 : RUNS },
          );
        });
      }
    });
  }

  it('writes the examples of format.ts', () => {
    expect(enUsNumber(1247.83, NUMBER_FORMATS.usd)).toBe('$1,247.83');
    expect(enUsNumber(-1247.83, NUMBER_FORMATS.usd)).toBe('-$1,247.83');
    expect(enUsNumber(1.005, NUMBER_FORMATS.usd)).toBe('$1.01');
    expect(enUsNumber(-0.001, NUMBER_FORMATS.usd)).toBe('-$0.00');
    expect(enUsNumber(20000, NUMBER_FORMATS.usdWhole)).toBe('$20,000');
    expect(enUsNumber(17117.03, NUMBER_FORMATS.usdCompact)).toBe('$17.1K');
    expect(enUsNumber(17000, NUMBER_FORMATS.usdCompact)).toBe('$17K');
    expect(enUsNumber(999_950, NUMBER_FORMATS.usdCompact)).toBe('$1M');
    expect(enUsNumber(1e15, NUMBER_FORMATS.usdCompact)).toBe('$1000T');
    expect(enUsNumber(1e16, NUMBER_FORMATS.usdCompact)).toBe('$10,000T');
    expect(enUsNumber(1710.340545, NUMBER_FORMATS.number)).toBe('1,710.34');
    expect(enUsNumber(60.4, NUMBER_FORMATS.percent1)).toBe('60.4');
    expect(enUsNumber(118, NUMBER_FORMATS.percent0)).toBe('118');
    expect(enUsNumber(48210, NUMBER_FORMATS.plain)).toBe('48,210');
  });

  it('leaves what is not a finite number to Intl', () => {
    for (const options of Object.values(NUMBER_FORMATS)) {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(enUsNumber(value, options)).toBeUndefined();
    }
  });

  it('agrees with Intl for any fraction digits, and answers undefined where Intl throws', () => {
    const digits = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });
    const options = fc.record(
      {
        style: fc.constantFrom('decimal', 'currency', undefined),
        notation: fc.constantFrom('standard', 'compact', undefined),
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, fc.oneof(decimal, halfway, belowPowerOfTen, fc.double({ noNaN: true, noDefaultInfinity: true })), (drawn, value) => {
        const withCurrency: EnUsNumberOptions = drawn.style === 'currency' ? { ...drawn, currency: 'USD' } : drawn;
        let expected: string | undefined;
        try {
          expected = intl(withCurrency).format(value);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
        const written = enUsNumber(value, withCurrency);
        if (expected === undefined) expect(written).toBeUndefined();
        // Compact without fraction digits rounds to significant digits: left to Intl.
        else if (written === undefined) expect(drawn.notation === 'compact' && drawn.minimumFractionDigits === undefined && drawn.maximumFractionDigits === undefined).toBe(true);
        else expect(written, `${value} ${JSON.stringify(withCurrency)}`).toBe(expected);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers undefined for options it does not write', () => {
    const unsupported: EnUsNumberOptions[] = [
      { style: 'percent' },
      { style: 'unit' },
      { style: 'currency', currency: 'EUR' },
      { style: 'currency' },
      { currency: 'USD' },
      { notation: 'scientific' },
      { notation: 'compact' },
      { maximumFractionDigits: 2.5 },
      { maximumFractionDigits: 101 },
      { minimumFractionDigits: 3, maximumFractionDigits: 2 },
      { signDisplay: 'always' } as EnUsNumberOptions,
      { useGrouping: false } as EnUsNumberOptions,
      { maximumSignificantDigits: 3 } as EnUsNumberOptions,
    ];
    for (const options of unsupported) expect(enUsNumber(12.5, options), JSON.stringify(options)).toBeUndefined();
  });
});
