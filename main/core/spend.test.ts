import { describe, expect, it } from 'vitest';
import { bucketsBetween, usdReport } from './engine/fixtures';
import { DAY_MS, HOUR_MS as H, type ResourceUsage, type UsageReport } from './report';
import { summarizeAll, summarizeWorkspace, type ConnectionInput } from './spend';
import type { Workspace } from './workspace';

const APRIL = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 4, 1) };
const at = (hours: number): number => APRIL.startMs + hours * H;
const NOW = at(240.5); // 2026-04-11 00:30 UTC

const resource = (id: string, costMicros: number): ResourceUsage => ({ id, name: id.toUpperCase(), kind: 'deployment', costMicros, activity: {}, dedicated: true });

/** Hourly report at `microsPerHour` from the period start; data through `throughHours` (last bucket pro rata). */
function hourlyReport(provider: UsageReport['provider'], microsPerHour: number, throughHours: number, resources: ResourceUsage[] = [], range = APRIL): UsageReport {
  const throughMs = range.startMs + throughHours * H;
  const buckets = bucketsBetween(range.startMs, throughMs, (startMs) => Math.round((microsPerHour * (Math.min(startMs + H, throughMs) - startMs)) / H));
  return usdReport({ provider, range, buckets, resources, dataThroughMs: throughMs });
}

const workspace: Workspace = {
  id: 'ws-prod',
  name: 'Production',
  timeZone: 'UTC',
  currency: 'USD',
  budget: { amountMicros: 3_000_000_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] },
  period: 'month',
  forecastAlerts: true,
  connectionIds: ['lim', 'sim', 'civ', 'bas', 'ten'],
};

const limitry = hourlyReport('limitry', 1_000_000, 240.5, [resource('gpt-a', 200_000_000), resource('gpt-b', 40_500_000)]);
// Simplismart lags: data through 2026-04-10 22:00, its last bucket (21:00) only 60 % recorded.
const simplismartBuckets = [...bucketsBetween(APRIL.startMs, at(237), () => 2_000_000), { startMs: at(237), durationMs: H, costMicros: 1_200_000 }];
const simplismart = usdReport({
  provider: 'simplismart',
  range: APRIL,
  buckets: simplismartBuckets,
  dataThroughMs: at(238),
  resources: [1, 2, 3, 4, 5, 6].map((n) => resource(`plan-${n}`, n * 10_000_000)),
});
const civis: UsageReport = { ...hourlyReport('civis', 5_000_000, 240.5, [resource('cluster', 1_202_500_000)]), unit: 'credits' };
const baseten = usdReport({
  provider: 'baseten',
  range: APRIL,
  granularityMs: DAY_MS,
  buckets: [...bucketsBetween(APRIL.startMs, at(240), () => 48_000_000, DAY_MS), { startMs: at(240), durationMs: DAY_MS, costMicros: 1_000_000 }],
  dataThroughMs: NOW,
  resources: [resource('llama', 481_000_000)],
});

const connections: ConnectionInput[] = [
  { connectionId: 'lim', provider: 'limitry', report: limitry, stale: false },
  { connectionId: 'sim', provider: 'simplismart', report: simplismart, stale: true },
  { connectionId: 'civ', provider: 'civis', providerName: 'Civis', report: civis, stale: false },
  { connectionId: 'bas', provider: 'baseten', report: baseten, stale: false },
  { connectionId: 'ten', provider: 'tensorone', providerName: 'TensorOne', report: null, stale: false },
];

describe('summarizeWorkspace', () => {
  const spend = summarizeWorkspace({ workspace, nowMs: NOW, connections });

  it("adds up the USD connections' authoritative totals only", () => {
    expect(limitry.totalMicros + simplismart.totalMicros + baseten.totalMicros).toBe(1_196_700_000);
    expect(spend.spentMicros).toBe(1_196_700_000);
    expect(spend.period).toEqual({ ...APRIL, key: 'month:2026-04-01@UTC', period: 'month', cycleStartDay: 1 });
  });

  it('keeps credits on their own line with the reason', () => {
    const line = spend.connections.find((connection) => connection.connectionId === 'civ');
    expect(line).toMatchObject({ status: 'ok', unit: 'credits', spentMicros: 0, creditsMicros: 1_202_500_000 });
    expect(line?.excludedReason).toMatch(/Civis reports credits .* not added to money totals/);
  });

  it('marks a connection without a report and says so', () => {
    expect(spend.connections.find((connection) => connection.connectionId === 'ten')).toMatchObject({ status: 'no-data', spentMicros: 0, projection: null });
    // The adapter's display name, never a capitalized id ("Tensorone").
    expect(spend.notes.join('\n')).toMatch(/TensorOne \(ten\): No data has arrived/);
    expect(spend.stale).toBe(true);
  });

  it('sums the burn rates of hourly and daily USD connections', () => {
    expect(spend.burnRate.microsPerHour).toBe(5_000_000);
    expect(spend.connections.map((connection) => connection.burnRate?.microsPerHour ?? null)).toEqual([1_000_000, 2_000_000, 5_000_000, 2_000_000, null]);
  });

  it("nowcasts each connection from its own data-through instant", () => {
    // Only Simplismart lags: 2 M/h over the 2.5 h since 22:00.
    expect(spend.nowcast).toEqual({ estimatedMicros: 1_201_700_000, isEstimate: true, sinceMs: at(238) });
  });

  it('projects each connection and adds the projections', () => {
    // Limitry 240.5 M + 1 M × 479.5 h; Simplismart 475.2 M + 2 M × 482 h; Baseten 481 M + 2 M × 479.5 h.
    expect(spend.connections[0]?.projection?.projectedMicros).toBe(720_000_000);
    expect(spend.connections[1]?.projection?.projectedMicros).toBe(1_439_200_000);
    expect(spend.connections[3]?.projection?.projectedMicros).toBe(1_440_000_000);
    expect(spend.projection).toMatchObject({ projectedMicros: 3_599_200_000, method: 'run-rate' });
    // Three weeks left: the range stays open even on constant series.
    expect(spend.projection.lowMicros).toBeLessThan(3_599_200_000);
    expect(spend.projection.highMicros).toBeGreaterThan(3_599_200_000);
  });

  it('forecasts the budget crossing from the combined pace', () => {
    // Rate-weighted data-through: (1·240.5 + 2·238 + 2·240.5) / 5 = 239.5 h; 1 803.3 M left at 5 M/h = 360.66 h.
    expect(spend.forecast).toMatchObject({
      usedPercent: 39.89,
      projectedPercent: 119.97333333333333,
      crossesAtMs: at(600.16),
    });
    // Likely over, never certain.
    expect(spend.forecast?.overBudgetProbability).toBeGreaterThan(0.5);
    expect(spend.forecast?.overBudgetProbability).toBeLessThanOrEqual(0.99);
  });

  it('lists the top five resources per connection and for the workspace', () => {
    expect(spend.connections[1]?.topResources.map((line) => line.id)).toEqual(['plan-6', 'plan-5', 'plan-4', 'plan-3', 'plan-2']);
    expect(spend.topResources.map((line) => [line.connectionId, line.id, line.costMicros])).toEqual([
      ['bas', 'llama', 481_000_000],
      ['lim', 'gpt-a', 200_000_000],
      ['sim', 'plan-6', 60_000_000],
      ['sim', 'plan-5', 50_000_000],
      ['lim', 'gpt-b', 40_500_000],
    ]);
  });

  it('gives the complete combined hours of the hourly USD connections', () => {
    // Limitry is complete through 00:00, Simplismart through 21:00 (its 21:00 bucket is partial); Baseten is daily.
    expect(spend.hourlySeries).toHaveLength(168);
    expect(spend.hourlySeries[0]).toEqual({ startMs: at(69), durationMs: H, costMicros: 3_000_000 });
    expect(spend.hourlySeries.at(-1)).toEqual({ startMs: at(236), durationMs: H, costMicros: 3_000_000 });
    expect(spend.hourlySeries.every((bucket) => bucket.costMicros === 3_000_000)).toBe(true);
  });
});

describe('summarizeWorkspace edge cases', () => {
  it('has no forecast without a budget and follows the workspace period', () => {
    const spend = summarizeWorkspace({
      workspace: { ...workspace, budget: null, period: 'week', cycleStartDay: 7 },
      nowMs: NOW,
      connections: [{ connectionId: 'lim', provider: 'limitry', report: limitry, stale: false }],
    });
    expect(spend.forecast).toBeNull();
    expect(spend.period.key).toBe('week:2026-04-05@UTC');
    expect(spend.period.cycleStartDay).toBe(7);
  });

  it("does not count a report from before the period's start", () => {
    const march = { startMs: Date.UTC(2026, 2, 1), endMs: APRIL.startMs };
    const spend = summarizeWorkspace({
      workspace,
      nowMs: at(2),
      connections: [{ connectionId: 'lim', provider: 'limitry', report: hourlyReport('limitry', 1_000_000, 744, [], march), stale: true }],
    });
    expect(spend.spentMicros).toBe(0);
    expect(spend.connections[0]).toMatchObject({ status: 'other-period', spentMicros: 0 });
    expect(spend.connections[0]?.excludedReason).toMatch(/another period/);
  });

  it('falls back to UTC for an unknown time zone and says so', () => {
    const spend = summarizeWorkspace({ workspace: { ...workspace, timeZone: 'Mars/Olympus_Mons' }, nowMs: NOW, connections: [] });
    expect(spend.timeZone).toBe('UTC');
    expect(spend.notes).toContain('Time zone "Mars/Olympus_Mons" is unknown; periods use UTC.');
    expect(spend.spentMicros).toBe(0);
    expect(spend.burnRate.method).toBe('no-data');
  });

  it('projects a 23-hour New York day exactly', () => {
    const day = { startMs: Date.UTC(2026, 2, 8, 5), endMs: Date.UTC(2026, 2, 9, 4) };
    const previousDay = { startMs: Date.UTC(2026, 2, 7, 5), endMs: day.startMs };
    const spend = summarizeWorkspace({
      workspace: { ...workspace, timeZone: 'America/New_York', budget: { amountMicros: 20_000_000, period: 'day', thresholdsPercent: [100] }, period: 'day' },
      nowMs: day.startMs + 11 * H, // local noon, after the clocks sprang forward
      connections: [
        {
          connectionId: 'lim',
          provider: 'limitry',
          report: hourlyReport('limitry', 1_000_000, 11, [], day),
          previousReport: hourlyReport('limitry', 1_000_000, 24, [], previousDay),
          stale: false,
        },
      ],
    });
    expect(spend.period.endMs - spend.period.startMs).toBe(23 * H);
    expect(spend.period.key).toBe('day:2026-03-08@America/New_York');
    expect(spend.spentMicros).toBe(11_000_000);
    expect(spend.projection).toMatchObject({ projectedMicros: 23_000_000, method: 'run-rate' });
    expect(spend.forecast).toMatchObject({ crossesAtMs: day.startMs + 20 * H, projectedPercent: 115 });
  });

  it("starts a period from the previous period's pace and history", () => {
    const march = { startMs: Date.UTC(2026, 2, 1), endMs: APRIL.startMs };
    const spend = summarizeWorkspace({
      workspace,
      nowMs: at(0.5),
      connections: [
        {
          connectionId: 'lim',
          provider: 'limitry',
          report: usdReport({ range: APRIL, buckets: [], dataThroughMs: null }),
          previousReport: hourlyReport('limitry', 1_500_000, 744, [], march),
          stale: false,
        },
      ],
    });
    expect(spend.spentMicros).toBe(0);
    expect(spend.burnRate.microsPerHour).toBe(1_500_000);
    // Nothing reported yet this period: the nowcast extrapolates from the period start.
    expect(spend.nowcast).toEqual({ estimatedMicros: 750_000, isEstimate: true, sinceMs: APRIL.startMs });
    // Four weeks of March history make a day-of-week profile: flat 1.5 M/h over April's 720 h.
    expect(spend.projection).toMatchObject({ projectedMicros: 1_080_000_000, method: 'day-of-week' });
  });
});

describe('summarizeAll', () => {
  it("adds the workspaces' spend, rates and projections", () => {
    const a = summarizeWorkspace({ workspace, nowMs: NOW, connections });
    const b = summarizeWorkspace({ workspace: { ...workspace, id: 'ws-2' }, nowMs: NOW, connections: [connections[0]!] });
    expect(summarizeAll([a, b])).toEqual({
      spentMicros: 1_196_700_000 + 240_500_000,
      microsPerHour: 6_000_000,
      projectedMicros: 3_599_200_000 + 720_000_000,
    });
    expect(summarizeAll([])).toEqual({ spentMicros: 0, microsPerHour: 0, projectedMicros: 0 });
  });
});
