import { describe, expect, it } from 'vitest';
import { nowcast } from './nowcast';

const H = 3_600_000;

describe('nowcast', () => {
  it.each([
    ['adds the rate over the unreported time', 10_000_000, 2_000_000, 0, 1.5 * H, 13_000_000, 0],
    ['adds nothing when the data is current', 10_000_000, 2_000_000, 5 * H, 5 * H, 10_000_000, 5 * H],
    ['adds nothing when dataThrough is in the future', 10_000_000, 2_000_000, 6 * H, 5 * H, 10_000_000, 5 * H],
    ['adds nothing without data', 0, 2_000_000, null, 5 * H, 0, 5 * H],
    ['adds nothing at a zero rate', 7, 0, 0, 10 * H, 7, 0],
    ['rounds the extra once to whole micros', 0, 41_666.666666666664, 0, 20 * 60_000, 13_889, 0],
    ['extrapolates a three-hour lag', 50_000_000, 3_500_000, 10 * H, 13 * H, 60_500_000, 10 * H],
  ] as const)('%s', (_label, spent, rate, through, now, estimated, since) => {
    expect(nowcast(spent, rate, through, now)).toEqual({ estimatedMicros: estimated, isEstimate: true, sinceMs: since });
  });
});
