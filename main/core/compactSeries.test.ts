/**
 * Packed per-resource series (compactSeries.ts): what a reader gets back equals, bucket for bucket
 * and field for field, what was packed; what cannot be packed exactly is left alone; and the
 * incremental join of a packed head gives the report the join of plain arrays gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactReport, compactResource, isPacked, MIN_PACKED_BUCKETS, packSeries } from './compactSeries';
import { joinReports } from './incremental';
import { HOUR_MS, type ResourceBucket, type ResourceUsage, type UsageReport } from './report';

/** Any double a bucket field could hold, edge values included (-0, 2^53, fractions, infinities). */
const number = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.constantFrom(0, -0, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 0.1, 1e-300),
);
const bucket: fc.Arbitrary<ResourceBucket> = fc.record(
  { startMs: number, durationMs: fc.oneof(fc.constant(HOUR_MS), number), costMicros: number, requests: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), number) },
  { requiredKeys: ['startMs', 'durationMs', 'costMicros'] },
);
/** Series of hourly-looking buckets: one duration, requests on all, some or none. */
const hourly = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 }), fc.array(fc.integer({ min: 0, max: 5_000_000_000 }), { minLength: 200, maxLength: 200 }))
  .map(([length, requestsMode, costs]) =>
    Array.from({ length }, (_, i): ResourceBucket => {
      const base = { startMs: Date.UTC(2026, 2, 1) + i * HOUR_MS, durationMs: HOUR_MS, costMicros: costs[i]! };
      return requestsMode === 2 || (requestsMode === 1 && i % 3 === 0) ? { ...base, requests: costs[i]! % 97 } : base;
    }),
  );

function resource(series: readonly ResourceBucket[] | undefined, over: Partial<ResourceUsage> = {}): ResourceUsage {
  return { id: 'r', name: 'R', kind: 'model', costMicros: 5, activity: { requests: 1 }, dedicated: false, ...(series ? { series } : {}), ...over };
}

describe('compactResource', () => {
  it('reads back every bucket with exactly the fields and values that were packed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(bucket, { maxLength: 120 }), hourly), (series) => {
        const plain = resource(series);
        const compact = compactResource(plain);
        expect(isPacked(compact)).toBe(series.length >= MIN_PACKED_BUCKETS);
        // toStrictEqual: `requests` present exactly where it was, -0 stays -0 (Object.is).
        expect(compact.series).toStrictEqual(series);
        expect(compact).toStrictEqual(plain);
        for (const [i, b] of (compact.series ?? []).entries()) expect(Object.keys(b).sort()).toEqual(Object.keys(series[i]!).sort());
        expect(JSON.stringify(compactReport(report([compact])))).toBe(JSON.stringify(report([plain])));
      }),
    );
  });

  it('unpacks a new array on every read, so no reader keeps the objects alive', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({ startMs: i * HOUR_MS, durationMs: HOUR_MS, costMicros: i }));
    const compact = compactResource(resource(series));
    expect(compact.series).not.toBe(compact.series);
    expect(compact.series).toEqual(compact.series);
    expect(Object.getOwnPropertyDescriptor(compact, 'series')?.get).toBeTypeOf('function');
  });

  it('leaves alone a series it could not give back exactly', () => {
    const base = Array.from({ length: 40 }, (_, i): ResourceBucket => ({ startMs: i * HOUR_MS, durationMs: HOUR_MS, costMicros: i }));
    const odd: ResourceBucket[][] = [
      base.map((b, i) => (i === 7 ? { ...b, requests: undefined } : b)) as ResourceBucket[],
      base.map((b, i) => (i === 7 ? { ...b, requests: Number.NaN } : b)),
      base.map((b, i) => (i === 7 ? ({ ...b, label: 'x' } as ResourceBucket) : b)),
      base.map((b, i) => (i === 7 ? ({ ...b, costMicros: '7' } as unknown as ResourceBucket) : b)),
      // Not a plain object: no prototype, or one with an enumerable key of its own.
      base.map((b, i) => (i === 7 ? (Object.assign(Object.create(null), b) as ResourceBucket) : b)),
      base.map((b, i) => (i === 7 ? (Object.assign(Object.create({ label: 'x' }), b) as ResourceBucket) : b)),
    ];
    for (const series of odd) {
      const plain = resource(series);
      expect(compactResource(plain)).toBe(plain);
    }
    expect(packSeries(base.slice(0, MIN_PACKED_BUCKETS - 1))).toBeUndefined();
  });
});

function report(resources: readonly ResourceUsage[], range = { startMs: 0, endMs: 1000 * HOUR_MS }): UsageReport {
  return { provider: 'x', range, unit: 'usd', totalMicros: 0, granularityMs: HOUR_MS, buckets: [], resources, dataThroughMs: null, extras: {}, notes: [] };
}

describe('joinReports with a packed head', () => {
  it('gives the report joining the plain arrays gives', () => {
    let appended = 0;
    const START = Date.UTC(2026, 2, 1);
    const half = (from: number, to: number) =>
      fc.uniqueArray(
        fc.record({
          id: fc.constantFrom('a', 'b', 'c', 'd'),
          hours: fc.array(fc.boolean(), { minLength: to - from, maxLength: to - from }).map((present) => present.flatMap((on, i) => (on ? [from + i] : []))),
          requests: fc.boolean(),
          seriesless: fc.boolean(),
        }),
        { maxLength: 4, selector: (r) => r.id },
      );
    fc.assert(
      fc.property(half(0, 100), half(100, 130), fc.integer({ min: 0, max: 3 }), (headParts, tailParts, daily) => {
        const make = (parts: typeof headParts): ResourceUsage[] =>
          parts.map((p) => {
            const hours = [...p.hours].sort((x, y) => x - y);
            const series = hours.map((h): ResourceBucket => ({ startMs: START + h * HOUR_MS, durationMs: daily === 3 ? 24 * HOUR_MS : HOUR_MS, costMicros: h * 1_000, ...(p.requests ? { requests: h % 5 } : {}) }));
            return resource(p.seriesless ? undefined : series, { id: p.id, name: p.id.toUpperCase(), costMicros: hours.length, group: `g-${p.id}` });
          });
        const head = report(make(headParts), { startMs: START, endMs: START + 100 * HOUR_MS });
        const tail = report(make(tailParts), { startMs: START + 100 * HOUR_MS, endMs: START + 130 * HOUR_MS });
        const plain = joinReports(head, tail);
        const compactHead = compactReport(head);
        const packed = joinReports(compactHead, tail);
        appended += packed.resources.filter((r) => isPacked(r) && compactHead.resources.some((h) => h.id === r.id && isPacked(h)) && tail.resources.some((t) => t.id === r.id && (t.series?.length ?? 0) > 0)).length;
        expect(packed).toStrictEqual(plain);
        expect(compactReport(packed)).toStrictEqual(plain);
      }),
    );
    // The generated cases do reach the packed join (a packed head with a tail appended).
    expect(appended).toBeGreaterThan(10);
  });

  it('appends a tail to a packed head: every bucket of both, in order', () => {
    const hours = (from: number, to: number) => Array.from({ length: to - from }, (_, i): ResourceBucket => ({ startMs: (from + i) * HOUR_MS, durationMs: HOUR_MS, costMicros: from + i, requests: i % 2 }));
    const head = report([resource(hours(0, 100))], { startMs: 0, endMs: 100 * HOUR_MS });
    const tail = report([resource(hours(100, 130))], { startMs: 100 * HOUR_MS, endMs: 130 * HOUR_MS });
    const joined = joinReports(compactReport(head), tail);
    expect(isPacked(joined.resources[0]!)).toBe(true);
    expect(joined.resources[0]!.series).toStrictEqual([...hours(0, 100), ...hours(100, 130)]);
    expect(joined).toStrictEqual(joinReports(head, tail));
  });
});
