/**
 * observeWorkspace: the alert rules' view of a workspace, as a table of connection states. Pure:
 * no clock, no fakes, no runtime; time is a parameter.
 */
import { describe, expect, it } from 'vitest';
import { bucketsBetween, usdReport } from './engine/fixtures';
import { observeWorkspace, type ObservedConnection, type PeriodReport } from './observation';
import type { PeriodWindow } from './periods';
import { HOUR_MS, type ResourceUsage, type UsageReport } from './report';
import { HOURLY_SERIES_MAX_HOURS } from './spend';
import type { Workspace } from './workspace';

const MARCH: PeriodWindow = { key: 'month:2026-03', startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 3, 1) };
const NOW = Date.UTC(2026, 2, 10, 10, 0);
const LAST_COMPLETE = NOW - 5 * 60_000;

const workspace: Workspace = {
  id: 'lab',
  name: 'Lab',
  timeZone: 'UTC',
  currency: 'USD',
  budget: { amountMicros: 3_000_000_000, period: 'month', thresholdsPercent: [50, 90] },
  period: 'month',
  forecastAlerts: true,
  connectionIds: ['a', 'b'],
};

const gpu: ResourceUsage = { id: 'gpu-1', name: 'GPU 1', kind: 'deployment', costMicros: 90_000_000, activity: {}, dedicated: true };
/** $10 an hour from Mar 1 to NOW (hourly buckets), with one dedicated resource. */
const report: UsageReport = usdReport({
  provider: 'limitry',
  range: { startMs: MARCH.startMs, endMs: NOW },
  buckets: bucketsBetween(MARCH.startMs, NOW, () => 10_000_000),
  resources: [gpu],
});
const fresh: PeriodReport = { periodKey: MARCH.key, fetchedAtMs: NOW - 1_000, report };

function connection(id: string, fields: Partial<ObservedConnection> = {}): ObservedConnection {
  return {
    connection: { id, provider: 'limitry', name: `Conn ${id}` },
    current: fresh,
    previous: undefined,
    fromCache: false,
    error: undefined,
    failingSinceMs: undefined,
    ...fields,
  };
}

const failed = { error: { kind: 'server' as const, message: 'Provider down' }, failingSinceMs: NOW - HOUR_MS };

const observe = (connections: ObservedConnection[], lastCompleteAtMs: number | undefined) =>
  observeWorkspace({ nowMs: NOW, workspace, period: MARCH, lastCompleteAtMs, connections, refreshIntervalMs: () => 300_000 });

describe('observeWorkspace', () => {
  const completeness: ReadonlyArray<{ name: string; connections: ObservedConnection[]; since: number | undefined; complete: boolean }> = [
    { name: 'every connection reported fresh data of this period since the last complete observation', connections: [connection('a'), connection('b')], since: LAST_COMPLETE, complete: true },
    { name: 'the first observation after a start, all fresh', connections: [connection('a')], since: undefined, complete: true },
    { name: 'one connection failed', connections: [connection('a'), connection('b', failed)], since: LAST_COMPLETE, complete: false },
    { name: 'one connection shows the snapshot cache', connections: [connection('a'), connection('b', { fromCache: true })], since: undefined, complete: false },
    { name: 'one connection has no report yet', connections: [connection('a'), connection('b', { current: undefined })], since: undefined, complete: false },
    {
      name: "one connection's report is of the previous period",
      connections: [connection('a'), connection('b', { current: { ...fresh, periodKey: 'month:2026-02' } })],
      since: undefined,
      complete: false,
    },
    {
      name: 'one connection has not refreshed since the last complete observation',
      connections: [connection('a'), connection('b', { current: { ...fresh, fetchedAtMs: LAST_COMPLETE } })],
      since: LAST_COMPLETE,
      complete: false,
    },
  ];

  it.each(completeness)('is complete only when it closes a round: $name → $complete', ({ connections, since, complete }) => {
    expect(observe(connections, since).complete).toBe(complete);
  });

  it('counts a report fetched after the previous complete observation, and none fetched at or before it', () => {
    expect(observe([connection('a', { current: { ...fresh, fetchedAtMs: LAST_COMPLETE + 1 } })], LAST_COMPLETE).complete).toBe(true);
    expect(observe([connection('a', { current: { ...fresh, fetchedAtMs: LAST_COMPLETE } })], LAST_COMPLETE).complete).toBe(false);
    expect(observe([connection('a', { current: { ...fresh, fetchedAtMs: LAST_COMPLETE } })], undefined).complete).toBe(true);
  });

  it('carries spend, forecast and hourly series only on a complete observation', () => {
    const complete = observe([connection('a'), connection('b')], LAST_COMPLETE);
    // Two connections at $10/h for 9 days and 10 hours: 226 hours × $20.
    expect(complete.actualSpentMicros).toBe(226 * 20_000_000);
    expect(complete.hourlySeries).toHaveLength(HOURLY_SERIES_MAX_HOURS);
    expect(new Set(complete.hourlySeries.map((bucket) => bucket.costMicros))).toEqual(new Set([20_000_000]));
    expect(complete.forecast).not.toBeNull();

    const incomplete = observe([connection('a'), connection('b', failed)], LAST_COMPLETE);
    expect(incomplete).toMatchObject({ actualSpentMicros: null, forecast: null, hourlySeries: [] });
  });

  it('copies the budget, thresholds, period and names of the workspace', () => {
    expect(observe([connection('a')], undefined)).toMatchObject({
      nowMs: NOW,
      workspaceId: 'lab',
      workspaceName: 'Lab',
      period: { key: MARCH.key, startMs: MARCH.startMs, endMs: MARCH.endMs },
      budgetMicros: 3_000_000_000,
      thresholdsPercent: [50, 90],
      forecastAlerts: true,
    });
    const noBudget = observeWorkspace({ nowMs: NOW, workspace: { ...workspace, budget: null }, period: MARCH, lastCompleteAtMs: undefined, connections: [], refreshIntervalMs: () => 1 });
    expect(noBudget).toMatchObject({ budgetMicros: null, thresholdsPercent: [], complete: true });
  });

  it('lists resources only from fresh, successful reports (a cached one says nothing about the last 24 hours)', () => {
    const observation = observe([connection('ok'), connection('cached', { fromCache: true }), connection('down', failed)], undefined);
    expect(observation.resources).toEqual([{ connectionId: 'ok', resourceId: 'gpu-1', name: 'GPU 1', dedicated: true }]);
  });

  it('carries the series of dedicated resources only (the idle rule reads no other), without reading the others', () => {
    const hours = bucketsBetween(NOW - 48 * HOUR_MS, NOW, () => 1_000_000).map((b) => ({ ...b, requests: 0 }));
    const model: ResourceUsage = { id: 'm', name: 'Model', kind: 'model', costMicros: 5, activity: {}, dedicated: false };
    // A packed or stored series is a getter: reading it unpacks or loads the whole series.
    Object.defineProperty(model, 'series', { enumerable: true, get: () => expect.unreachable('the series of a serverless resource was read') });
    const withSeries = { ...fresh, report: { ...report, resources: [{ ...gpu, series: hours }, model] } };
    const observation = observe([connection('a', { current: withSeries })], undefined);
    expect(observation.resources).toEqual([
      { connectionId: 'a', resourceId: 'gpu-1', name: 'GPU 1', dedicated: true, series: hours },
      { connectionId: 'a', resourceId: 'm', name: 'Model', dedicated: false },
    ]);
  });

  it('reports each connection with its error, failure episode and healthy interval', () => {
    const observation = observeWorkspace({
      nowMs: NOW,
      workspace,
      period: MARCH,
      lastCompleteAtMs: undefined,
      connections: [connection('a'), connection('b', failed)],
      refreshIntervalMs: (c) => (c.connection.id === 'a' ? 60_000 : 1_800_000),
    });
    expect(observation.connections).toEqual([
      { connectionId: 'a', providerName: 'Conn a', ok: true, refreshIntervalMs: 60_000 },
      { connectionId: 'b', providerName: 'Conn b', ok: false, errorKind: 'server', errorMessage: 'Provider down', failingSinceMs: NOW - HOUR_MS, refreshIntervalMs: 1_800_000 },
    ]);
  });
});
