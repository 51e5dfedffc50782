/**
 * The credits → USD split of Civis reports in doubles (a fast path when every product is a safe
 * integer) against the same split in BigInt: the same parts, to the micro, over generated rates,
 * parts and targets; and the parts always add up to the target.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../core/money';
import { rateConverter } from './civis.report';

const outcome = (run: () => number[]): number[] | string => {
  try {
    return run();
  } catch (error) {
    return (error as Error).message;
  }
};

const rates = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }).map((n) => `${n / 10_000}`),
  fc.constantFrom('0.5', '0.0137', '1', '2', '0.333333333333', '12.5', '0.000001', '1000000', '0.1'),
);
const parts = fc.array(fc.oneof(fc.integer({ min: -1e9, max: 1e12 }), fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 2 ** 52, Number.MAX_SAFE_INTEGER)), { maxLength: 40 });

describe('Civis credits split: doubles == BigInt', () => {
  it('gives the same parts (or the same refusal) for any rate, parts and target', () => {
    fc.assert(
      fc.property(rates, parts, fc.integer({ min: -5, max: 5 }), (rateText, credits, offset) => {
        const rate = parseDecimal(rateText);
        const exact = rateConverter(rate, true);
        const target = outcome(() => [exact.total(credits.reduce((a, b) => a + b, 0))]);
        // The target is the converted sum (± a few micros: the loop that hands out the rest is the same either way).
        fc.pre(typeof target !== 'string');
        const targetMicros = (target as number[])[0]! + offset;
        const fast = outcome(() => rateConverter(rate).split(targetMicros, credits));
        expect(fast).toEqual(outcome(() => exact.split(targetMicros, credits)));
        // Summed in BigInt: a sum in doubles rounds once it passes 2^53 (parts [2^53 − 1, 3, −3] summed to 2^53 − 3).
        if (typeof fast !== 'string' && credits.length > 0) expect(fast.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(targetMicros));
      }),
      { numRuns: 5_000 },
    );
  });
});
