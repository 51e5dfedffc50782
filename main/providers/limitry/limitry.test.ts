import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import breakdownFixture from '../../../test/fixtures/providers/limitry-breakdown-model.json';
import summaryEmptyFixture from '../../../test/fixtures/providers/limitry-summary-empty.json';
import summaryFixture from '../../../test/fixtures/providers/limitry-summary.json';
import timeseriesDayFixture from '../../../test/fixtures/providers/limitry-timeseries-day.json';
import timeseriesEmptyFixture from '../../../test/fixtures/providers/limitry-timeseries-empty.json';
import { defaultLimitryScenario, startLimitryFake, type LimitryFake } from './limitry.fake';
import { HOUR_MS, truthMicros } from '../fake/scenario';
import { ProviderError } from '../../core/errors';
import type { TimeRange, UsageReport } from '../../core/report';
import { createHttpClient } from '../http';
import type { ProviderContext } from '../types';
import { limitryAdapter, type LimitrySettings } from './limitry';

const KEY = 'lmtry_sk_live_TOPSECRET_abcdef123456';
const NOW = Date.UTC(2026, 2, 10, 14, 37, 12, 345);
const MARCH_1 = Date.UTC(2026, 2, 1);
const MARCH_4 = Date.UTC(2026, 2, 4);
const THREE_DAYS: TimeRange = { startMs: MARCH_1, endMs: MARCH_4 };

const scenario = defaultLimitryScenario(11);
const http = createHttpClient({ timeoutMs: 5_000 });
let fake: LimitryFake;

// A fresh fake per test: a request cancelled by one test can never take a fault meant for the next.
beforeEach(async () => {
  fake = await startLimitryFake({ apiKey: KEY, scenario, now: () => NOW });
});
afterEach(async () => {
  await fake.stop();
});
afterAll(async () => {
  await http.close();
});

function context(baseUrl = fake.baseUrl, extra: Partial<ProviderContext<LimitrySettings>> = {}): ProviderContext<LimitrySettings> {
  return { http, apiKey: KEY, settings: limitryAdapter.settingsSchema.parse({ baseUrl }), nowMs: NOW, ...extra };
}

function fetchUsage(range: TimeRange, baseUrl?: string): Promise<UsageReport> {
  return limitryAdapter.fetchUsage(range, context(baseUrl));
}

/** Serves the given bodies instead of the fake's own answers, for one call of each endpoint. */
function serve(bodies: { summary?: unknown; breakdown?: unknown; timeseries?: unknown }): void {
  for (const [name, body] of Object.entries(bodies)) {
    fake.server.inject({ type: 'drift', transform: () => body }, { path: `/usage/${name}` });
  }
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('limitryAdapter.fetchUsage against the loopback fake', () => {
  it('reports the exact total of a multi-day range to the micro-dollar', async () => {
    const report = await fetchUsage(THREE_DAYS);
    const truth = fake.truthMicros(THREE_DAYS);
    expect(truth).toBe(truthMicros(scenario, MARCH_1, MARCH_4, NOW));
    expect(truth % 10_000).not.toBe(0); // not whole cents: fractional totalCostCents on the wire
    expect(report.totalMicros).toBe(truth);
    expect(report.provider).toBe('limitry');
    expect(report.unit).toBe('usd');
    expect(report.range).toEqual(THREE_DAYS);
    expect(report.notes).toEqual([]);
  });

  it('maps the hourly timeseries to 72 aligned buckets that add up to the total', async () => {
    const report = await fetchUsage(THREE_DAYS);
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets).toHaveLength(72);
    expect(report.buckets[0]).toMatchObject({ startMs: MARCH_1, durationMs: HOUR_MS });
    report.buckets.forEach((bucket, index) => expect(bucket.startMs).toBe(MARCH_1 + index * HOUR_MS));
    expect(sum(report.buckets.map((bucket) => bucket.costMicros))).toBe(report.totalMicros);
    expect(report.dataThroughMs).toBe(MARCH_4);
  });

  it('breaks the cost down by model, most expensive first, to the exact per-model truth', async () => {
    const report = await fetchUsage(THREE_DAYS);
    expect(report.resources.map((resource) => resource.id)).toEqual([
      'gpt-4o',
      'claude-3-5-sonnet',
      'gpt-4o-mini',
      'text-embedding-3-small',
      '(none)',
    ]);
    for (const resource of report.resources.filter((r) => r.id !== '(none)')) {
      const own = scenario.resources.filter((r) => r.id === resource.id);
      expect(resource.costMicros).toBe(truthMicros(scenario, MARCH_1, MARCH_4, NOW, own));
      expect(resource).toMatchObject({ kind: 'model', dedicated: false, name: resource.id });
      expect(resource.activity.events).toBeGreaterThan(0);
      expect(resource.activity.inputTokens).toBe(resource.activity.events! * 700);
      expect(resource.activity.outputTokens).toBe(resource.activity.events! * 180);
    }
    expect(sum(report.resources.map((resource) => resource.costMicros))).toBe(report.totalMicros);
  });

  it('shows events without a model as the "(none)" resource', async () => {
    const report = await fetchUsage(THREE_DAYS);
    const none = report.resources.find((resource) => resource.id === '(none)');
    expect(none).toEqual({
      id: '(none)',
      name: '(none)',
      kind: 'model',
      costMicros: 0,
      dedicated: false,
      activity: { events: 20 * 72, inputTokens: 0, outputTokens: 0 },
    });
  });

  it('reports the exact total up to now, counting the partial current hour', async () => {
    const range = { startMs: MARCH_1, endMs: NOW };
    const report = await fetchUsage(range);
    expect(report.totalMicros).toBe(truthMicros(scenario, MARCH_1, NOW, NOW));
    const last = report.buckets.at(-1)!;
    expect(last.startMs).toBe(Date.UTC(2026, 2, 10, 14));
    const fullHour = truthMicros(scenario, last.startMs, last.startMs + HOUR_MS, last.startMs + HOUR_MS);
    expect(last.costMicros).toBeGreaterThan(0);
    expect(last.costMicros).toBeLessThan(fullHour);
    expect(report.dataThroughMs).toBe(NOW);
  });

  it('puts dataThrough at the end of the last hour with usage when data lags', async () => {
    const lagged = await startLimitryFake({ apiKey: KEY, scenario, now: () => NOW, lagMs: 2 * HOUR_MS });
    try {
      const range = { startMs: MARCH_1, endMs: NOW };
      const report = await fetchUsage(range, lagged.baseUrl);
      expect(report.totalMicros).toBe(lagged.truthMicros(range));
      expect(report.totalMicros).toBe(truthMicros(scenario, MARCH_1, NOW, NOW - 2 * HOUR_MS));
      // Recorded through 12:37, so the 12:00 bucket is the last one with usage.
      expect(report.dataThroughMs).toBe(Date.UTC(2026, 2, 10, 13));
    } finally {
      await lagged.stop();
    }
  });

  it('sends the three documented requests with camelCase names, ISO Z dates and the /v1 path', async () => {
    const before = fake.server.requests.length;
    await fetchUsage({ startMs: MARCH_1, endMs: NOW });
    const sent = fake.server.requests.slice(before);
    expect(sent.map((request) => request.path).sort()).toEqual([
      '/v1/usage/breakdown',
      '/v1/usage/summary',
      '/v1/usage/timeseries',
    ]);
    for (const request of sent) {
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.query.get('startDate')).toBe('2026-03-01T00:00:00Z');
      expect(request.query.get('endDate')).toBe('2026-03-10T14:37:12.345Z');
    }
    const query = (path: string) => Object.fromEntries(sent.find((r) => r.path === path)!.query);
    expect(query('/v1/usage/breakdown')).toEqual({ groupBy: 'model', startDate: '2026-03-01T00:00:00Z', endDate: '2026-03-10T14:37:12.345Z' });
    expect(query('/v1/usage/timeseries')).toMatchObject({ interval: 'hour' });
    expect(Object.keys(query('/v1/usage/summary')).sort()).toEqual(['endDate', 'startDate']);
  });

  it('keeps the base path when the configured base URL ends with a slash', async () => {
    const report = await fetchUsage(THREE_DAYS, `${fake.baseUrl}/`);
    expect(report.totalMicros).toBe(fake.truthMicros(THREE_DAYS));
  });

  it('sends the three requests concurrently', async () => {
    fake.server.inject({ type: 'hang' }, { path: '/usage/summary' });
    const before = fake.server.requests.length;
    const controller = new AbortController();
    const pending = limitryAdapter.fetchUsage(THREE_DAYS, context(fake.baseUrl, { signal: controller.signal }));
    const outcome = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    // While the summary hangs, the other two requests must arrive too: waited for as events (a
    // sequential adapter never sends them while the summary hangs, and the test's timeout ends it).
    await fake.server.whenRequests(before + 3);
    expect(fake.server.requests.length - before).toBe(3);
    controller.abort();
    const error = await outcome;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', aborted: true });
  });

  it('reports an empty range as zero with no buckets and no dataThrough', async () => {
    const future = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 2) };
    const report = await fetchUsage(future);
    expect(report).toMatchObject({ totalMicros: 0, buckets: [], resources: [], dataThroughMs: null, notes: [] });
  });

  it('refuses an empty or reversed range before sending anything', async () => {
    const before = fake.server.requests.length;
    await expect(fetchUsage({ startMs: MARCH_4, endMs: MARCH_1 })).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(fetchUsage({ startMs: MARCH_1, endMs: MARCH_1 })).rejects.toBeInstanceOf(ProviderError);
    expect(fake.server.requests.length).toBe(before);
  });
});

describe('limitryAdapter with the summary endpoint missing (404)', () => {
  let missing: LimitryFake;
  beforeEach(async () => {
    missing = await startLimitryFake({ apiKey: KEY, scenario, now: () => NOW, summaryMissing: true });
  });
  afterEach(async () => {
    await missing.stop();
  });

  it('totals the per-model breakdown exactly and says so in a note', async () => {
    const report = await fetchUsage(THREE_DAYS, missing.baseUrl);
    expect(report.totalMicros).toBe(missing.truthMicros(THREE_DAYS));
    expect(report.resources).toHaveLength(5);
    expect(report.buckets).toHaveLength(72);
    expect(report.notes).toEqual([
      'Limitry has no usage summary at this address (404), so the total is the sum of its per-model breakdown.',
    ]);
  });

  it('still fails when the breakdown fails too', async () => {
    missing.server.inject({ type: 'status', status: 500, body: { error: 'Internal error' } }, { path: '/usage/breakdown' });
    await expect(fetchUsage(THREE_DAYS, missing.baseUrl)).rejects.toMatchObject({ kind: 'server', status: 500 });
  });

  it('does not fall back when the base URL lacks /v1 (every endpoint 404s)', async () => {
    const root = fake.baseUrl.replace(/\/v1$/, '');
    const error = await fetchUsage(THREE_DAYS, root).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'bad_request', status: 404 });
    expect((error as Error).message).toBe('Limitry does not know this endpoint or resource (404): Not found');
  });
});

describe('limitryAdapter on the fixture answers', () => {
  it('maps summary, model breakdown and timeseries fixtures to exact numbers', async () => {
    serve({ summary: summaryFixture, breakdown: breakdownFixture, timeseries: timeseriesDayFixture });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.totalMicros).toBe(11_355_000); // 1135.5 cents
    expect(report.resources).toEqual([
      {
        id: 'gpt-4o',
        name: 'gpt-4o',
        kind: 'model',
        costMicros: 6_345_000, // 634.5 cents
        dedicated: false,
        activity: { events: 355, inputTokens: 179_500, outputTokens: 65_500 },
      },
      {
        id: 'claude-3-5-sonnet',
        name: 'claude-3-5-sonnet',
        kind: 'model',
        costMicros: 5_010_000,
        dedicated: false,
        activity: { events: 170, inputTokens: 111_500, outputTokens: 43_000 },
      },
      {
        id: '(none)',
        name: '(none)',
        kind: 'model',
        costMicros: 0,
        dedicated: false,
        activity: { events: 20, inputTokens: 0, outputTokens: 0 },
      },
    ]);
    // The day-interval fixture stands in for the hourly answer: each row becomes the bucket at its timestamp.
    expect(report.buckets).toEqual([
      { startMs: Date.UTC(2026, 2, 1), durationMs: HOUR_MS, costMicros: 3_890_000 },
      { startMs: Date.UTC(2026, 2, 2), durationMs: HOUR_MS, costMicros: 4_885_000 },
      { startMs: Date.UTC(2026, 2, 3), durationMs: HOUR_MS, costMicros: 2_580_000 },
    ]);
    expect(report.dataThroughMs).toBe(Date.UTC(2026, 2, 3, 1));
    expect(report.notes).toEqual([]);
  });

  it('maps the empty fixtures to a zero report with no data yet', async () => {
    serve({ summary: summaryEmptyFixture, breakdown: { data: [] }, timeseries: timeseriesEmptyFixture });
    const report = await fetchUsage(THREE_DAYS);
    expect(report).toMatchObject({ totalMicros: 0, buckets: [], resources: [], dataThroughMs: null, notes: [] });
  });
});

describe('limitryAdapter tricky cases', () => {
  const row = (cents: number | string, extra: Record<string, unknown> = {}) => ({
    totalEvents: 1,
    totalTokens: 3,
    totalInputTokens: 2,
    totalOutputTokens: 1,
    totalCostCents: cents,
    ...extra,
  });

  it('adds fractional cents exactly where floats would drift', async () => {
    // 0.1 + 0.2 cents is 0.30000000000000004 in floats; exactly 3_000 micro-dollars here.
    const missing = await startLimitryFake({ apiKey: KEY, scenario, now: () => NOW, summaryMissing: true });
    try {
      missing.server.inject(
        { type: 'drift', transform: () => ({ data: [row(0.1, { dimension: 'a' }), row(0.2, { dimension: 'b' }), row(0.0001, { dimension: 'c' })] }) },
        { path: '/usage/breakdown' },
      );
      const report = await fetchUsage(THREE_DAYS, missing.baseUrl);
      expect(report.totalMicros).toBe(3_001);
      expect(report.resources.map((r) => r.costMicros)).toEqual([2_000, 1_000, 1]);
    } finally {
      await missing.stop();
    }
  });

  it('sorts newest-first timeseries rows and counts a repeated timestamp once', async () => {
    const at = (hour: number) => new Date(Date.UTC(2026, 2, 1, hour)).toISOString().replace('.000Z', 'Z');
    serve({
      summary: row(30),
      breakdown: { data: [row(30, { dimension: 'm' })] },
      timeseries: {
        data: [
          row(5, { timestamp: at(2) }),
          row(10, { timestamp: at(1) }),
          row(5, { timestamp: at(2) }),
          row(15, { timestamp: at(0) }),
        ],
      },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.buckets).toEqual([
      { startMs: Date.UTC(2026, 2, 1, 0), durationMs: HOUR_MS, costMicros: 150_000 },
      { startMs: Date.UTC(2026, 2, 1, 1), durationMs: HOUR_MS, costMicros: 100_000 },
      { startMs: Date.UTC(2026, 2, 1, 2), durationMs: HOUR_MS, costMicros: 50_000 },
    ]);
    expect(report.dataThroughMs).toBe(Date.UTC(2026, 2, 1, 3));
  });

  it('folds rows inside an hour into that hour and drops rows outside the range', async () => {
    serve({
      summary: row(7),
      breakdown: { data: [row(7, { dimension: 'm' })] },
      timeseries: {
        data: [
          row(1, { timestamp: '2026-02-28T23:00:00Z' }),
          row(2, { timestamp: '2026-03-01T05:00:00Z' }),
          row(4, { timestamp: '2026-03-01T05:30:00+00:00' }),
          row(8, { timestamp: '2026-03-04T00:00:00Z' }),
        ],
      },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.buckets).toEqual([{ startMs: Date.UTC(2026, 2, 1, 5), durationMs: HOUR_MS, costMicros: 60_000 }]);
  });

  it('ignores trailing zero rows when placing dataThrough', async () => {
    serve({
      summary: row(2),
      breakdown: { data: [row(2, { dimension: 'm' })] },
      timeseries: {
        data: [
          row(2, { timestamp: '2026-03-01T03:00:00Z' }),
          { timestamp: '2026-03-01T04:00:00Z', totalEvents: 0, totalInputTokens: 0, totalOutputTokens: 0, totalCostCents: 0 },
        ],
      },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.buckets).toHaveLength(2);
    expect(report.dataThroughMs).toBe(Date.UTC(2026, 2, 1, 4));
  });

  it('adds an "Other" resource for summary cost the breakdown does not list', async () => {
    serve({
      summary: { totalEvents: 10, totalInputTokens: 100, totalOutputTokens: 50, totalCostCents: 12.5 },
      breakdown: { data: [{ dimension: 'gpt-4o', totalEvents: 4, totalInputTokens: 40, totalOutputTokens: 20, totalCostCents: 2.5 }] },
      timeseries: { data: [] },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.totalMicros).toBe(125_000);
    expect(report.resources).toEqual([
      {
        id: '(other)',
        name: "Other (not in Limitry's per-model breakdown)",
        kind: 'other',
        costMicros: 100_000,
        dedicated: false,
        activity: { events: 6, inputTokens: 60, outputTokens: 30 },
      },
      expect.objectContaining({ id: 'gpt-4o', costMicros: 25_000 }),
    ]);
  });

  it('keeps the summary total and says so when the breakdown adds up to more', async () => {
    serve({ summary: row(1), breakdown: { data: [row(3, { dimension: 'gpt-4o' })] }, timeseries: { data: [] } });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.totalMicros).toBe(10_000);
    expect(report.resources.map((r) => r.id)).toEqual(['gpt-4o']);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(/breakdown adds up to more than its total/);
  });

  it('treats a missing or empty dimension like null and merges repeated dimensions', async () => {
    serve({
      summary: row(10),
      breakdown: {
        data: [
          { totalCostCents: 1, totalEvents: 1 },
          row(2, { dimension: '' }),
          row(3, { dimension: 'gpt-4o' }),
          row(4, { dimension: 'gpt-4o' }),
        ],
      },
      timeseries: { data: [] },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.resources).toEqual([
      expect.objectContaining({ id: 'gpt-4o', costMicros: 70_000, activity: { events: 2, inputTokens: 4, outputTokens: 2 } }),
      expect.objectContaining({ id: '(none)', name: '(none)', costMicros: 30_000, activity: { events: 2, inputTokens: 2, outputTokens: 1 } }),
    ]);
  });

  it('ignores unknown extra fields and accepts cents sent as a decimal string', async () => {
    serve({
      summary: { ...row('1135.5'), currency: 'usd', projectId: 'prj_1' },
      breakdown: { data: [row(1135.5, { dimension: 'gpt-4o', provider: 'openai' })], nextCursor: null },
      timeseries: { data: [row(1135.5, { timestamp: '2026-03-01T00:00:00Z', interval: 'hour' })] },
    });
    const report = await fetchUsage(THREE_DAYS);
    expect(report.totalMicros).toBe(11_355_000);
    expect(report.resources).toHaveLength(1);
  });
});
