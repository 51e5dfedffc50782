import { describe, expect, it } from 'vitest';
import { dailySpend } from './daily';
import { HOUR_MS, type UsageReport } from './report';

const START = Date.UTC(2026, 10, 1);
const period = { startMs: START, endMs: Date.UTC(2026, 11, 1), key: '2026-11' };

function report(buckets: [number, number][], unit: 'usd' | 'credits' = 'usd'): UsageReport {
  return {
    provider: 'baseten',
    range: { startMs: START, endMs: START + 10 * 24 * HOUR_MS },
    unit,
    totalMicros: buckets.reduce((s, [, c]) => s + c, 0),
    granularityMs: HOUR_MS,
    buckets: buckets.map(([hour, costMicros]) => ({ startMs: START + hour * HOUR_MS, durationMs: HOUR_MS, costMicros })),
    resources: [],
    dataThroughMs: null,
    extras: {},
    notes: [],
  };
}

describe('dailySpend', () => {
  it('sums hourly buckets into the days of the period, per provider, through today', () => {
    const days = dailySpend(
      [
        { provider: 'baseten', report: report([[1, 1_000_000], [23, 2_000_000], [24, 5_000_000]]) },
        { provider: 'limitry', report: report([[2, 500_000]]) },
        { provider: 'civis', report: report([[2, 9_000_000]], 'credits') },
      ],
      period,
      'UTC',
      START + 2.5 * 24 * HOUR_MS,
    );
    expect(days.map((d) => [d.startMs - START, d.totalMicros])).toEqual([
      [0, 3_500_000],
      [24 * HOUR_MS, 5_000_000],
      [48 * HOUR_MS, 0],
    ]);
    expect(days[0]!.byProvider).toEqual({ baseten: 3_000_000, limitry: 500_000 });
  });

  it('cuts days at local midnight in the workspace zone', () => {
    // 23:00 UTC on Nov 1 is Nov 2 in Berlin (UTC+1).
    const berlinPeriod = { startMs: START - HOUR_MS, endMs: Date.UTC(2026, 10, 30, 23), key: '2026-11' };
    const days = dailySpend([{ provider: 'baseten', report: report([[22, 1_000_000], [23, 2_000_000]]) }], berlinPeriod, 'Europe/Berlin', START + 30 * HOUR_MS);
    expect(days[0]!.totalMicros).toBe(1_000_000);
    expect(days[1]!.totalMicros).toBe(2_000_000);
  });
});
