/**
 * Simplismart's bucketing fast path (one bucket per point, in order: no sums, no sort) against the
 * general path (exact sums per bucket, then sorted): the same buckets, to the field, over generated
 * points: in order or not, sharing buckets or not, with and without event counts, hourly or on a
 * coarser grid, and amounts on the exact path (long coefficients) as well as short ones, up to
 * amounts too large to track exactly (refused alike).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decimal } from '../../core/money';
import { packSeries } from '../../core/compactSeries';
import { bucketSeries, chooseBucketing, packedPerPoint, sumIntoBuckets, type KeptPoint } from './simplismart.report';

const HOUR_MS = 3_600_000;

/** The buckets, or the message of the refusal (an amount too large to track exactly). */
function outcome(bucket: () => unknown): unknown {
  try {
    return bucket();
  } catch (error) {
    return (error as Error).message;
  }
}

/** Both paths give the same buckets (or the same refusal) for `points` bucketed as asked for `windowSize`. */
function expectSameBuckets(points: readonly KeptPoint[], windowSize: 'HOUR' | 'DAY'): void {
  const bucketing = chooseBucketing(points.map((p) => p.timestampMs), windowSize);
  expect(outcome(() => bucketSeries(points, bucketing))).toStrictEqual(outcome(() => sumIntoBuckets(points, bucketing)));
}

const START_MS = Date.UTC(2026, 2, 1);

const cost: fc.Arbitrary<Decimal> = fc.record({
  coefficient: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 24n })),
  exponent: fc.integer({ min: -18, max: 0 }),
});
const point = (maxHours: number): fc.Arbitrary<KeptPoint> =>
  fc.record({
    // On the hour mostly, sometimes within it (two points in one bucket).
    timestampMs: fc.tuple(fc.integer({ min: 0, max: maxHours }), fc.constantFrom(0, 0, 0, 60_000, 1_800_000)).map(([h, m]) => START_MS + h * HOUR_MS + m),
    cost,
    hasUsage: fc.boolean(),
    events: fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined }),
  });

/** Points one an hour, in order (what the fast path takes), from `hours` distinct hours. */
const hourlyInOrder = fc.uniqueArray(fc.integer({ min: 0, max: 24 * 31 }), { maxLength: 200 }).chain((hours) =>
  fc.tuple(...[...hours].sort((a, b) => a - b).map((h) => point(0).map((p) => ({ ...p, timestampMs: START_MS + h * HOUR_MS })))),
);

describe('Simplismart bucketing: fast path = general path', () => {
  it('hourly points, one an hour, in order', () => {
    fc.assert(
      fc.property(hourlyInOrder, (points) => expectSameBuckets(points, 'HOUR')),
      { numRuns: 2_000 },
    );
  });

  it('any points: out of order, sharing buckets, hourly or daily windows', () => {
    fc.assert(
      fc.property(fc.array(point(24 * 31), { maxLength: 120 }), fc.constantFrom('HOUR' as const, 'DAY' as const), (points, windowSize) => expectSameBuckets(points, windowSize)),
      { numRuns: 2_000 },
    );
  });

  it('points in order, some sharing an hour (summed into one bucket)', () => {
    const inOrder = fc
      .array(point(24 * 3), { minLength: 2, maxLength: 120 })
      .map((points) => [...points].sort((a, b) => a.timestampMs - b.timestampMs));
    fc.assert(
      fc.property(inOrder, (points) => expectSameBuckets(points, 'HOUR')),
      { numRuns: 2_000 },
    );
  });

  it('daily points on a daily grid, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 60 }), (days) => {
        const points = [...days].sort((a, b) => a - b).map((d, i) => ({ timestampMs: START_MS + d * 24 * HOUR_MS, cost: { coefficient: BigInt(i * 1_234_567), exponent: -7 }, hasUsage: true, events: i }));
        expectSameBuckets(points, 'DAY');
      }),
      { numRuns: 500 },
    );
  });
});

describe('Simplismart series packed at once = the buckets packed afterwards', () => {
  /** packedPerPoint's outcome, and packSeries of bucketSeries's when packedPerPoint gave one. */
  function both(points: readonly KeptPoint[], windowSize: 'HOUR' | 'DAY'): { direct: unknown; afterwards: unknown } {
    const bucketing = chooseBucketing(points.map((p) => p.timestampMs), windowSize);
    const direct = outcome(() => packedPerPoint(points, bucketing));
    return { direct, afterwards: direct === undefined ? undefined : outcome(() => packSeries(bucketSeries(points, bucketing))) };
  }

  /** 16 to 200 points one an hour, in order, with amounts short enough to track or not. */
  const longHourly = (amount: fc.Arbitrary<Decimal>): fc.Arbitrary<KeptPoint[]> =>
    fc.uniqueArray(fc.integer({ min: 0, max: 24 * 31 }), { minLength: 16, maxLength: 200 }).chain((hours) =>
      fc.tuple(...[...hours].sort((a, b) => a - b).map((h) => point(0).chain((p) => amount.map((c) => ({ ...p, cost: c, timestampMs: START_MS + h * HOUR_MS }))))),
    );
  const shortAmount = fc.record({ coefficient: fc.bigInt({ min: 0n, max: 10n ** 9n }), exponent: fc.integer({ min: -18, max: -2 }) });

  it('hourly points in order: the same packed numbers, lanes and duration (or the same refusal)', () => {
    let packed = 0;
    fc.assert(
      fc.property(fc.oneof(longHourly(shortAmount), longHourly(cost), hourlyInOrder), (points) => {
        const { direct, afterwards } = both(points, 'HOUR');
        if (direct !== undefined && typeof direct !== 'string') packed += 1;
        if (direct !== undefined) expect(direct).toStrictEqual(afterwards);
        // Long enough and one an hour: always packed at once (unless an amount is refused).
        if (points.length >= 16 && typeof direct !== 'string') expect(direct).toBeDefined();
      }),
      { numRuns: 2_000 },
    );
    // The packed branch was taken often (else the equality went unchecked).
    expect(packed).toBeGreaterThan(300);
  });

  it('any points: packed at once only when that equals packing the buckets', () => {
    // 16 or more points (fewer are never packed): out of order, sharing buckets, or in order; the
    // amounts mostly short enough to track (else both sides refuse alike and nothing is compared).
    const trackable = fc.tuple(point(24 * 31), shortAmount).map(([p, amount]) => ({ ...p, cost: amount }));
    const anyPoint = fc.oneof({ arbitrary: trackable, weight: 30 }, { arbitrary: point(24 * 31), weight: 1 });
    let compared = 0;
    fc.assert(
      fc.property(fc.array(anyPoint, { minLength: 16, maxLength: 120 }), fc.constantFrom('HOUR' as const, 'DAY' as const), fc.boolean(), (drawn, windowSize, sorted) => {
        const points = sorted ? [...drawn].sort((a, b) => a.timestampMs - b.timestampMs) : drawn;
        const { direct, afterwards } = both(points, windowSize);
        if (direct !== undefined) expect(direct).toStrictEqual(afterwards);
        if (direct !== undefined && typeof direct !== 'string') compared += 1;
      }),
      { numRuns: 2_000 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
