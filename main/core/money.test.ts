import { describe, expect, it } from 'vitest';
import { centsToMicros, formatUsd, formatUsdShort, MAX_DECIMAL_TEXT_LENGTH, MAX_SIGNIFICANT_DIGITS, microsToUnits, MoneyParseError, parseDecimal, productToMicros, toMicros } from './money';

describe('toMicros', () => {
  it.each([
    ['8.00000000000004', 8_000_000],
    ['7.466666666666704', 7_466_667],
    ['.5', 500_000],
    ['5.', 5_000_000],
    ['+1', 1_000_000],
    ['-0.10', -100_000],
    ['007', 7_000_000],
    ['0012.50', 12_500_000],
    [12.5, 12_500_000],
    [0.1, 100_000],
    [1247.83, 1_247_830_000],
    [1e-7, 0],
    [5e-7, 1],
    ['1e3', 1_000_000_000],
    ['0.0000005', 1],
    ['-0.0000005', -1],
    ['0.0000004999', 0],
    ['  3.25 ', 3_250_000],
  ] as const)('reads %j as %i micros', (input, expected) => {
    expect(toMicros(input)).toBe(expected);
  });

  it.each([['abc'], [''], ['.'], ['+'], ['-.'], ['1.2.3'], ['1,5'], [null], [undefined], [{}], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'refuses %j',
    (input) => {
      expect(() => toMicros(input, 'total')).toThrow(MoneyParseError);
    },
  );

  it('names the field in its error', () => {
    expect(() => toMicros('x', 'dedicated_usage.total')).toThrow(/dedicated_usage\.total/);
  });

  it('refuses amounts beyond exact double precision', () => {
    expect(() => toMicros('99999999999999')).toThrow(/too large/);
  });

  it('sums float-artefact strings exactly where floats drift', () => {
    const parts = ['0.1', '0.2', '0.3'];
    expect(parts.map((p) => toMicros(p)).reduce((a, b) => a + b, 0)).toBe(600_000);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
  });
});

describe('parseDecimal', () => {
  it('keeps every digit of the input', () => {
    expect(parseDecimal('8.00000000000004')).toEqual({ coefficient: 800000000000004n, exponent: -14 });
  });
});

describe('centsToMicros and productToMicros', () => {
  it('converts fractional cents without float drift', () => {
    expect(centsToMicros(634.5)).toBe(6_345_000);
    expect(centsToMicros('0.01')).toBe(100);
    expect(centsToMicros(0.3)).toBe(3_000);
  });

  it('multiplies credits by a rate exactly', () => {
    expect(productToMicros(1.25, 0.5)).toBe(625_000);
    expect(productToMicros('0.1', '0.3')).toBe(30_000);
    expect(productToMicros(120, '0.066666666666667')).toBe(8_000_000);
  });

  it('renders micros as major units for output', () => {
    expect(microsToUnits(1_247_830_000)).toBe(1247.83);
    expect(microsToUnits(1)).toBe(0.000001);
  });
});

describe('formatUsd', () => {
  it.each<[number, boolean, string]>([
    [0, false, '$0.00'],
    [1_812_400_000, false, '$1,812.40'],
    [2_000_000_000, true, '$2,000'],
    [2_500_000, true, '$2.50'],
    [1_234_567_890_000, false, '$1,234,567.89'],
    [4_999, false, '$0.00'],
    [5_000, false, '$0.01'],
    [999_995_000, false, '$1,000.00'],
    [-1_500_000, false, '-$1.50'],
    [-4_000, false, '$0.00'],
    [9_007_199_254_740_991, false, '$9,007,199,254.74'],
  ])('formats %i micros (whole dollars: %s) as %s', (micros, wholeDollars, expected) => {
    expect(formatUsd(micros, { wholeDollars })).toBe(expected);
  });

  it('formats dollars for the tray: whole dollars from $1,000, cents below', () => {
    expect(formatUsdShort(1247.83)).toBe('$1,248');
    expect(formatUsdShort(12.4)).toBe('$12.40');
    expect(formatUsdShort(0)).toBe('$0.00');
    expect(formatUsdShort(999.994)).toBe('$999.99');
    expect(formatUsdShort(1000.5)).toBe('$1,001');
    expect(formatUsdShort(-2500.4)).toBe('-$2,500');
  });
});

describe('hostile decimal strings (issue 10: an 8 MB amount froze the process)', () => {
  it('documents the limits', () => {
    expect([MAX_DECIMAL_TEXT_LENGTH, MAX_SIGNIFICANT_DIGITS]).toEqual([64, 40]);
  });

  it.each<[string, string]>([
    ['8 MB of digits', '9'.repeat(8_000_000)],
    ['8 MB of digits after a point', `0.${'1'.repeat(8_000_000)}`],
    ['41 significant digits', '1'.repeat(41)],
    ['41 significant digits around a point', `${'2'.repeat(20)}.${'3'.repeat(21)}`],
    ['65 characters', `${'0'.repeat(60)}1.000`],
    ['65 characters of spaces around a small amount', `${' '.repeat(62)}1.5`],
  ])('refuses %s with a MoneyParseError, without building a huge BigInt', (_name, text) => {
    expect(() => parseDecimal(text, 'cost')).toThrow(MoneyParseError);
    expect(() => toMicros(text, 'cost')).toThrow(/^cost: /);
  });

  it.each<[string, string, number]>([
    ['40 significant digits after zeros', `0.000${'1'.repeat(40)}`, 111],
    ['40 significant digits with trailing zeros (64 characters)', `000.${'4'.repeat(40)}${'0'.repeat(20)}`, 444_444],
  ])('accepts %s', (_name, text, micros) => {
    expect(toMicros(text)).toBe(micros);
  });

  it('turns a 40-digit amount into "too large to track exactly", not a frozen process', () => {
    expect(() => toMicros('1'.repeat(40))).toThrow(/too large to track exactly/);
  });
});
