import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS as H } from '../report';
import { bucketsFrom, usdReport } from './fixtures';
import { alignDownMs, alignUpMs, completeCutoffMs, denseSlots, seriesOfReports, type CostSeries } from './series';

const T0 = Date.UTC(2026, 3, 1);
const series = (fields: Partial<CostSeries> & Pick<CostSeries, 'buckets'>): CostSeries => ({
  granularityMs: H,
  coverageStartMs: T0,
  dataThroughMs: null,
  ...fields,
});

describe('completeCutoffMs', () => {
  it.each<[string, CostSeries, number, number | null]>([
    ['is null without data', series({ buckets: [] }), T0 + 5 * H, null],
    ['stops before the partial current bucket', series({ buckets: bucketsFrom(T0, [5, 5, 5, 2]), dataThroughMs: T0 + 3.5 * H }), T0 + 3.5 * H, T0 + 3 * H],
    [
      'stops before the latest bucket of a lagging provider even when dataThrough is its end',
      series({ buckets: bucketsFrom(T0, [5, 5, 5, 2]), dataThroughMs: T0 + 4 * H }),
      T0 + 7 * H,
      T0 + 3 * H,
    ],
    ['counts an explicit zero bucket as data (idle, not lagging)', series({ buckets: bucketsFrom(T0, [5, 0, 0, 0]), dataThroughMs: T0 + 4 * H }), T0 + 4 * H, T0 + 3 * H],
    ['ignores placeholder buckets after dataThrough', series({ buckets: bucketsFrom(T0, [5, 5, 0, 0, 0]), dataThroughMs: T0 + 2 * H }), T0 + 2.5 * H, T0 + H],
    ['never goes past now', series({ buckets: bucketsFrom(T0, [5, 5, 5, 5]), dataThroughMs: T0 + 9 * H }), T0 + 2.2 * H, T0 + 2 * H],
    ['aligns daily buckets', series({ buckets: bucketsFrom(T0, [5, 5, 5], DAY_MS), granularityMs: DAY_MS, dataThroughMs: T0 + 2.5 * DAY_MS }), T0 + 3 * DAY_MS, T0 + 2 * DAY_MS],
  ])('%s', (_label, input, nowMs, expected) => {
    expect(completeCutoffMs(input, nowMs)).toBe(expected);
  });
});

describe('denseSlots', () => {
  it('fills omitted buckets with zero', () => {
    const input = series({ buckets: [{ startMs: T0 + H, durationMs: H, costMicros: 7 }, { startMs: T0 + 3 * H, durationMs: H, costMicros: 9 }] });
    expect(denseSlots(input, T0, T0 + 4 * H)).toEqual({ startMs: T0, stepMs: H, costsMicros: [0, 7, 0, 9] });
  });

  it('never zero-fills before the coverage start', () => {
    const input = series({ buckets: bucketsFrom(T0, [1, 2, 3]), coverageStartMs: T0 + H });
    expect(denseSlots(input, T0 - 10 * H, T0 + 3 * H)).toEqual({ startMs: T0 + H, stepMs: H, costsMicros: [2, 3] });
  });

  it('keeps only whole slots inside the range', () => {
    expect(denseSlots(series({ buckets: bucketsFrom(T0, [1, 2, 3, 4]) }), T0 + 0.5 * H, T0 + 3.5 * H).costsMicros).toEqual([2, 3]);
  });

  it('aligns to and from the grid', () => {
    expect(alignDownMs(5.5 * H, H)).toBe(5 * H);
    expect(alignUpMs(5.5 * H, H)).toBe(6 * H);
    expect(alignUpMs(5 * H, H)).toBe(5 * H);
  });
});

describe('seriesOfReports', () => {
  it('puts the previous period before the current one and keeps current freshness', () => {
    const previous = usdReport({ range: { startMs: T0 - 2 * H, endMs: T0 }, buckets: bucketsFrom(T0 - 2 * H, [1, 2]) });
    const current = usdReport({ range: { startMs: T0, endMs: T0 + 10 * H }, buckets: bucketsFrom(T0, [3]), dataThroughMs: T0 + H });
    expect(seriesOfReports(current, previous)).toEqual({
      buckets: bucketsFrom(T0 - 2 * H, [1, 2, 3]),
      granularityMs: H,
      coverageStartMs: T0 - 2 * H,
      dataThroughMs: T0 + H,
    });
  });

  it("uses the previous report's freshness while the current has no data", () => {
    const previous = usdReport({ range: { startMs: T0 - 2 * H, endMs: T0 }, buckets: bucketsFrom(T0 - 2 * H, [1, 2]) });
    const current = usdReport({ range: { startMs: T0, endMs: T0 + 10 * H }, buckets: [] });
    expect(seriesOfReports(current, previous).dataThroughMs).toBe(T0);
  });

  it('lets the current report win a daily bucket that straddles the period start', () => {
    const startMs = T0 + 5 * H; // local midnight in New York
    const previous = usdReport({ range: { startMs: startMs - 2 * DAY_MS, endMs: startMs }, granularityMs: DAY_MS, buckets: bucketsFrom(T0 - 2 * DAY_MS, [1, 2, 3], DAY_MS) });
    const current = usdReport({ range: { startMs, endMs: startMs + 5 * DAY_MS }, granularityMs: DAY_MS, buckets: bucketsFrom(T0, [30, 40], DAY_MS) });
    expect(seriesOfReports(current, previous).buckets.map((bucket) => bucket.costMicros)).toEqual([1, 2, 30, 40]);
  });

  it('ignores a previous report of another granularity', () => {
    const previous = usdReport({ range: { startMs: T0 - DAY_MS, endMs: T0 }, granularityMs: DAY_MS, buckets: bucketsFrom(T0 - DAY_MS, [9], DAY_MS) });
    const current = usdReport({ range: { startMs: T0, endMs: T0 + DAY_MS }, buckets: bucketsFrom(T0, [3]) });
    expect(seriesOfReports(current, previous).coverageStartMs).toBe(T0);
  });
});
