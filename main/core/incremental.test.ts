import { describe, expect, it } from 'vitest';
import { DEFAULT_REVISION_WINDOW_MS, joinReports, planRefresh, revisedBefore, type StoredHead } from './incremental';
import { DAY_MS, HOUR_MS, type UsageReport } from './report';

const MONTH = { startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 10, 10) };
const NOW = MONTH.endMs;

function report(startMs: number, endMs: number, hours: ReadonlyArray<[number, number]>, extra: Partial<UsageReport> = {}): UsageReport {
  const buckets = hours.map(([at, costMicros]) => ({ startMs: at, durationMs: HOUR_MS, costMicros }));
  const total = buckets.reduce((n, b) => n + b.costMicros, 0);
  return {
    provider: 'x',
    range: { startMs, endMs },
    unit: 'usd',
    totalMicros: total,
    granularityMs: HOUR_MS,
    buckets,
    resources: [{ id: 'a', name: 'A', kind: 'model', costMicros: total, activity: { requests: hours.length }, dedicated: false, series: buckets }],
    dataThroughMs: endMs,
    extras: {},
    notes: [],
    ...extra,
  };
}

describe('planRefresh', () => {
  const head = (over: Partial<StoredHead> = {}): StoredHead => ({ periodKey: 'm', tailStartMs: Date.UTC(2026, 2, 8), fetchedAtMs: NOW - HOUR_MS, report: null, ...over });
  const plan = (h: StoredHead | undefined, extra: { forceFull?: boolean; nowMs?: number } = {}) =>
    planRefresh({ nowMs: extra.nowMs ?? NOW, range: MONTH, periodKey: 'm', revisionWindowMs: DEFAULT_REVISION_WINDOW_MS, head: h, ...(extra.forceFull ? { forceFull: true } : {}) });

  it('fetches the whole period first, split at the UTC midnight at least 48 h back', () => {
    expect(plan(undefined)).toEqual({ kind: 'full', tailStartMs: Date.UTC(2026, 2, 8), reason: 'no stored head' });
  });
  it('fetches only the tail while the head is of this period and younger than a day', () => {
    expect(plan(head())).toEqual({ kind: 'tail', tailStartMs: Date.UTC(2026, 2, 8) });
  });
  it('refetches the whole period once a day, on a new period, and when forced', () => {
    expect(plan(head({ fetchedAtMs: NOW - DAY_MS })).reason).toBe('daily refetch');
    expect(plan(head({ periodKey: 'other' })).reason).toBe('new period');
    expect(plan(head(), { forceFull: true }).reason).toBe('revision older than the window');
  });
  it('has no head in the first two days of a period', () => {
    expect(plan(undefined, { nowMs: MONTH.startMs + DAY_MS })).toMatchObject({ kind: 'full', tailStartMs: MONTH.startMs });
  });
});

describe('joinReports', () => {
  const split = Date.UTC(2026, 2, 8);
  it('adds totals, buckets, resources and series of the two halves exactly', () => {
    const head = report(MONTH.startMs, split, [[split - 2 * HOUR_MS, 1_000_001], [split - HOUR_MS, 3]], { extras: { creditsMicros: 5 }, notes: ['n'] });
    const tail = report(split, MONTH.endMs, [[split, 7], [split + HOUR_MS, 2_000_000]], { extras: { creditsMicros: 6, rateLimit: { remaining: 3 } }, notes: ['n', 'm'] });
    const joined = joinReports(head, tail);
    expect(joined.totalMicros).toBe(3_000_011);
    expect(joined.range).toEqual(MONTH);
    expect(joined.buckets.map((b) => b.startMs)).toEqual([split - 2 * HOUR_MS, split - HOUR_MS, split, split + HOUR_MS]);
    expect(joined.resources).toHaveLength(1);
    expect(joined.resources[0]).toMatchObject({ costMicros: 3_000_011, activity: { requests: 4 } });
    expect(joined.resources[0]!.series).toHaveLength(4);
    expect(joined.extras).toEqual({ creditsMicros: 11, rateLimit: { remaining: 3 } });
    expect(joined.notes).toEqual(['n', 'm']);
  });
  it('adds up a bucket that straddles the join', () => {
    const head = { ...report(MONTH.startMs, split, []), buckets: [{ startMs: split - DAY_MS, durationMs: 7 * DAY_MS, costMicros: 5 }] };
    const tail = { ...report(split, MONTH.endMs, []), buckets: [{ startMs: split - DAY_MS, durationMs: 7 * DAY_MS, costMicros: 6 }] };
    expect(joinReports(head, tail).buckets).toEqual([{ startMs: split - DAY_MS, durationMs: 7 * DAY_MS, costMicros: 11 }]);
  });
  it('refuses halves that do not meet', () => {
    expect(() => joinReports(report(MONTH.startMs, split, []), report(split + 1, MONTH.endMs, []))).toThrow(/does not|ends at/);
  });
});

describe('revisedBefore', () => {
  const split = Date.UTC(2026, 2, 8);
  it('sees a changed bucket older than the window, and ignores changes inside it', () => {
    const before = report(split, NOW, [[split, 5], [NOW - 2 * HOUR_MS, 5]]);
    expect(revisedBefore(before, report(split, NOW, [[split, 5], [NOW - 2 * HOUR_MS, 9]]), NOW - DEFAULT_REVISION_WINDOW_MS)).toBe(false);
    expect(revisedBefore(before, report(split, NOW, [[split, 6], [NOW - 2 * HOUR_MS, 5]]), NOW - DEFAULT_REVISION_WINDOW_MS)).toBe(true);
  });
});
