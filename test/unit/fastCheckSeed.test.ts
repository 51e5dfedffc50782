import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAST_CHECK_SEED, fastCheckSeed } from '../support/fastCheckSeed';

describe('fast-check global seed', () => {
  it('is fixed by default, settable, or random on request', () => {
    expect(fastCheckSeed({})).toBe(DEFAULT_FAST_CHECK_SEED);
    expect(fastCheckSeed({ FAST_CHECK_SEED: '42' })).toBe(42);
    expect(fastCheckSeed({ FAST_CHECK_SEED: '-7' })).toBe(-7);
    expect(fastCheckSeed({ FAST_CHECK_SEED: 'random' })).toBeUndefined();
    expect(() => fastCheckSeed({ FAST_CHECK_SEED: '1.5' })).toThrow(/FAST_CHECK_SEED/);
    expect(() => fastCheckSeed({ FAST_CHECK_SEED: '99999999999' })).toThrow(/FAST_CHECK_SEED/);
  });

  it('is installed for this run, so two samples of the same property draw the same values', () => {
    const expected = fastCheckSeed();
    if (expected !== undefined) expect(fc.readConfigureGlobal().seed).toBe(expected);
    const draw = (): number[] => fc.sample(fc.integer(), { numRuns: 5, seed: fc.readConfigureGlobal().seed });
    if (expected !== undefined) expect(draw()).toEqual(draw());
  });
});
