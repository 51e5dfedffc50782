import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultTensorOneScenario, startTensorOneFake, type TensorOneFake } from './tensorone.fake';
import { hourUsage, truthMicros } from '../fake/scenario';
import { DAY_MS, HOUR_MS, type UsageReport } from '../../core/report';
import { createHttpClient } from '../http';
import type { ProviderContext } from '../types';
import { tensoroneAdapter, type TensorOneSettings } from './tensorone';

const KEY = 'tpo_live_MAPPING_5e4d3c2b1a09f8e7';
/** Thursday 14 May 2026, 15:37:12 UTC: mid-hour, mid-day, mid-month. */
const NOW = Date.UTC(2026, 4, 14, 15, 37, 12);
const MAY = (day: number, hour = 0, minute = 0) => Date.UTC(2026, 4, day, hour, minute);
const scenario = defaultTensorOneScenario();
const http = createHttpClient({ timeoutMs: 5_000 });
const fakes: TensorOneFake[] = [];
let fake: TensorOneFake;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;
}

async function startFake(options: Partial<Parameters<typeof startTensorOneFake>[0]> = {}): Promise<TensorOneFake> {
  const started = await startTensorOneFake({ apiKey: KEY, now: () => NOW, ...options });
  fakes.push(started);
  return started;
}

function context(target: TensorOneFake, settings: Record<string, unknown> = {}, nowMs = NOW): ProviderContext<TensorOneSettings> {
  return {
    http,
    apiKey: KEY,
    settings: tensoroneAdapter.settingsSchema.parse({ baseUrl: target.baseUrl, ...settings }),
    nowMs,
  };
}

function bucketSum(report: UsageReport): number {
  return report.buckets.reduce((sum, bucket) => sum + bucket.costMicros, 0);
}

function resourceTruth(id: string, startMs: number, endMs: number, availableMs = NOW): number {
  const resource = scenario.resources.find((r) => r.id === id);
  if (!resource) throw new Error(`no scenario resource ${id}`);
  return truthMicros(scenario, startMs, endMs, availableMs, [resource]);
}

beforeAll(async () => {
  fake = await startFake();
});
afterEach(() => {
  for (const each of fakes) each.server.clearFaults();
});
afterAll(async () => {
  await http.close();
  await Promise.all(fakes.map((each) => each.stop()));
});

describe('tensoroneAdapter.fetchUsage against the loopback fake', () => {
  it('sends exactly the request of the wire contract', async () => {
    await tensoroneAdapter.fetchUsage({ startMs: MAY(1), endMs: MAY(8) }, context(fake));
    const request = fake.server.requests.at(-1)!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v2/billing/usage');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect([...request.query.entries()]).toEqual([
      ['timeRange', 'custom'],
      ['startDate', '2026-05-01'],
      ['endDate', '2026-05-07'],
      ['granularity', 'hourly'],
      ['currency', 'USD'],
      ['includeProjections', 'true'],
    ]);
  });

  it('reports the exact total of a multi-day range to the micro-dollar', async () => {
    const range = { startMs: MAY(1), endMs: MAY(8) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.provider).toBe('tensorone');
    expect(report.unit).toBe('usd');
    expect(report.range).toEqual(range);
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.totalMicros).toBeGreaterThan(0);
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets).toHaveLength(7 * 24);
    expect(bucketSum(report)).toBe(report.totalMicros);
    expect(report.dataThroughMs).toBe(range.endMs);
    expect(report.notes).toEqual([]);
  });

  it('sorts the newest-first hourly series into aligned ascending buckets', async () => {
    const report = await tensoroneAdapter.fetchUsage({ startMs: MAY(10), endMs: MAY(12) }, context(fake));
    const starts = report.buckets.map((bucket) => bucket.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(starts.length);
    for (const bucket of report.buckets) {
      expect(bucket.startMs % HOUR_MS).toBe(0);
      expect(bucket.durationMs).toBe(HOUR_MS);
    }
    // Each bucket is the sum of the scenario's resources in that hour.
    const hour = MAY(11, 9);
    const expected = scenario.resources.reduce((sum, r) => sum + hourUsage(scenario, r, hour).costMicros, 0);
    expect(report.buckets.find((bucket) => bucket.startMs === hour)?.costMicros).toBe(expected);
  });

  it('counts a repeated series point once', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const answer = body as { breakdown: Array<{ timeSeries: unknown[] }> };
        for (const breakdown of answer.breakdown) breakdown.timeSeries = breakdown.timeSeries.flatMap((point) => [point, point]);
        return answer;
      },
    });
    const range = { startMs: MAY(2), endMs: MAY(3) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.buckets).toHaveLength(24);
    expect(bucketSum(report)).toBe(fake.truthMicros(range));
    expect(report.notes).toEqual([]);
  });

  it('reports the exact total of a range ending now, with the current hour partial', async () => {
    const range = { startMs: MAY(1), endMs: NOW };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(bucketSum(report)).toBe(report.totalMicros);
    const last = report.buckets.at(-1)!;
    expect(last.startMs).toBe(MAY(14, 15));
    const fullHour = scenario.resources.reduce((sum, r) => sum + hourUsage(scenario, r, MAY(14, 15)).costMicros, 0);
    expect(last.costMicros).toBeLessThan(fullHour);
    expect(last.costMicros).toBeGreaterThan(0);
    expect(report.dataThroughMs).toBe(NOW);
    expect(report.notes).toContain("Today's TensorOne figures are provisional: usage is refreshed hourly and billing is finalised daily.");
    // The request covered whole days through today, and nothing past now was trimmed.
    expect(fake.server.requests.at(-1)?.query.get('endDate')).toBe('2026-05-14');
    expect(report.notes.join(' ')).not.toMatch(/trimmed/);
  });

  it('reports data through the end of the last recorded hour when the provider lags', async () => {
    const lagging = await startFake({ lagMs: 2 * HOUR_MS });
    const range = { startMs: MAY(14), endMs: NOW };
    const report = await tensoroneAdapter.fetchUsage(range, context(lagging));
    expect(report.totalMicros).toBe(lagging.truthMicros(range));
    // Recorded through 13:37:12, so the latest bucket with usage is 13:00–14:00.
    expect(report.dataThroughMs).toBe(MAY(14, 14));
  });

  it('counts a range inside UTC days as whole days, each in the one period holding most of its hours, labelled an estimate', async () => {
    // 3 May 06:30 – 5 May 18:00: 3 May's noon is inside, so it counts whole; so does 5 May (noon inside).
    const range = { startMs: MAY(3, 6, 30), endMs: MAY(5, 18) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    const request = fake.server.requests.at(-1)!;
    expect(request.query.get('startDate')).toBe('2026-05-03');
    expect(request.query.get('endDate')).toBe('2026-05-05');
    // The summary, never trimmed with the time series (PROVIDERS.md §0).
    expect(report.totalMicros).toBe(fake.truthMicros({ startMs: MAY(3), endMs: MAY(6) }));
    expect(bucketSum(report)).toBe(report.totalMicros);
    expect(report.estimated).toBe(true);
    expect(report.notes.some((note) => /counted once, whole, in the period holding most of its hours .*2026-05-03 to 2026-05-05.*estimate/.test(note))).toBe(true);
    // A range whose first UTC day mostly lies before it leaves that day to the previous period.
    await tensoroneAdapter.fetchUsage({ startMs: MAY(3, 13), endMs: MAY(6) }, context(fake));
    expect(fake.server.requests.at(-1)?.query.get('startDate')).toBe('2026-05-04');
  });

  it('never counts a UTC day in two adjacent non-UTC periods (Berlin, UTC+2)', async () => {
    // April and May 2026 in Europe/Berlin: [Mar 31 22:00Z, Apr 30 22:00Z) and [Apr 30 22:00Z, May 31 22:00Z).
    const april = await tensoroneAdapter.fetchUsage({ startMs: Date.UTC(2026, 2, 31, 22), endMs: Date.UTC(2026, 3, 30, 22) }, context(fake));
    const may = await tensoroneAdapter.fetchUsage({ startMs: Date.UTC(2026, 3, 30, 22), endMs: MAY(13, 22) }, context(fake));
    const both = await tensoroneAdapter.fetchUsage({ startMs: Date.UTC(2026, 3, 1), endMs: MAY(14) }, context(fake, {}, MAY(14)));
    expect(april.totalMicros + may.totalMicros).toBe(both.totalMicros);
    expect(april.estimated && may.estimated).toBe(true);
  });

  it('asks for the day before a midnight end, because endDate is inclusive', async () => {
    await tensoroneAdapter.fetchUsage({ startMs: MAY(1), endMs: MAY(3) }, context(fake));
    expect(fake.server.requests.at(-1)?.query.get('endDate')).toBe('2026-05-02');
    // Still running (ends now): today counts.
    await tensoroneAdapter.fetchUsage({ startMs: MAY(1), endMs: NOW }, context(fake));
    expect(fake.server.requests.at(-1)?.query.get('endDate')).toBe('2026-05-14');
  });

  it('breaks the cost down per resource, most expensive first, adding up to the total', async () => {
    const range = { startMs: MAY(1), endMs: MAY(8) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.resources.map((r) => r.id)).toEqual([
      'cluster-gpu-a100-001',
      'cluster-gpu-h100-002',
      'ep-llama3-70b',
      'text-to-image',
      'other-bandwidth',
      'other-storage',
    ]);
    const costs = report.resources.map((r) => r.costMicros);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(costs.reduce((a, b) => a + b, 0)).toBe(report.totalMicros);
    for (const id of ['cluster-gpu-a100-001', 'cluster-gpu-h100-002', 'ep-llama3-70b', 'text-to-image']) {
      expect(report.resources.find((r) => r.id === id)?.costMicros).toBe(resourceTruth(id, range.startMs, range.endMs));
    }
    expect(report.resources.find((r) => r.id === 'other-storage')?.costMicros).toBe(resourceTruth('vol-datasets', range.startMs, range.endMs));

    const byId = new Map(report.resources.map((r) => [r.id, r]));
    expect(byId.get('cluster-gpu-a100-001')).toMatchObject({ name: 'GPU Cluster A100-001', kind: 'cluster', dedicated: true, group: 'clusters' });
    // 168 hours at $10/h and $2.50 per GPU-hour.
    expect(byId.get('cluster-gpu-a100-001')?.activity).toEqual({ gpuHours: 672 });
    expect(byId.get('cluster-gpu-h100-002')).toMatchObject({ kind: 'cluster', dedicated: true });
    expect(byId.get('ep-llama3-70b')).toMatchObject({ kind: 'deployment', dedicated: true, group: 'endpoints' });
    expect(byId.get('text-to-image')).toMatchObject({ kind: 'service', dedicated: false, group: 'ai-services' });
    expect(byId.get('text-to-image')?.activity.requests).toBeGreaterThan(0);
    expect(byId.get('other-storage')).toMatchObject({ name: 'Other storage', kind: 'other', dedicated: false, group: 'storage' });
    expect(byId.get('other-storage')?.activity.quantity).toEqual({ amount: 8400, unit: 'gb_hours' });
    expect(byId.get('other-bandwidth')?.activity.quantity?.unit).toBe('gb');
  });

  it('gives a resource the hourly series of its type when it is the whole type', async () => {
    const range = { startMs: MAY(1), endMs: MAY(3) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    const byId = new Map(report.resources.map((r) => [r.id, r]));
    const endpoint = byId.get('ep-llama3-70b')!;
    expect(endpoint.series).toHaveLength(48);
    expect(endpoint.series?.reduce((sum, b) => sum + b.costMicros, 0)).toBe(endpoint.costMicros);
    expect(endpoint.series?.[5]?.costMicros).toBe(hourUsage(scenario, scenario.resources[2]!, MAY(1, 5)).costMicros);
    const service = byId.get('text-to-image')!;
    expect(service.series?.[13]?.requests).toBe(hourUsage(scenario, scenario.resources[3]!, MAY(1, 13)).requests);
    // Two clusters share one series: it cannot be attributed to either.
    expect(byId.get('cluster-gpu-a100-001')?.series).toBeUndefined();
    // Storage lists no top resources, so its "Other" line is the whole type and gets the series.
    expect(byId.get('other-storage')?.series).toHaveLength(48);
  });

  it('maps a resource type it does not know to kind "other" under its own name', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const answer = body as { summary: { totalCost: number }; breakdown: unknown[] };
        answer.breakdown.push({
          resourceType: 'inference-credits',
          usage: { quantity: 3, unit: 'credits', cost: 1.5, percentage: 0.1 },
          timeSeries: [],
          topResources: [{ resourceId: 'ic-1', name: 'Credit pack', usage: 3, cost: 1.5 }],
        });
        answer.summary.totalCost = Number((answer.summary.totalCost + 1.5).toFixed(6));
        return answer;
      },
    });
    const range = { startMs: MAY(1), endMs: MAY(2) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.totalMicros).toBe(fake.truthMicros(range) + 1_500_000);
    expect(report.resources.find((r) => r.id === 'ic-1')).toMatchObject({
      kind: 'other',
      dedicated: false,
      group: 'inference-credits',
      costMicros: 1_500_000,
      activity: { quantity: { amount: 3, unit: 'credits' } },
    });
    expect(report.resources.some((r) => r.id === 'other-charges')).toBe(false);
  });

  it('adds an "Other" resource for the part of a type that topResources does not list', async () => {
    const narrow = await startFake({ topResourcesLimit: 1 });
    const range = { startMs: MAY(1), endMs: MAY(2) };
    const report = await tensoroneAdapter.fetchUsage(range, context(narrow));
    const other = report.resources.find((r) => r.id === 'other-clusters');
    expect(other).toMatchObject({ name: 'Other GPU clusters', kind: 'cluster', dedicated: true, group: 'clusters' });
    expect(other?.costMicros).toBe(resourceTruth('cluster-gpu-h100-002', range.startMs, range.endMs));
    // 24 hours at $7.96/h and $2.50 per GPU-hour.
    expect(other?.activity.gpuHours).toBeCloseTo(76.416, 6);
    expect(report.resources.reduce((sum, r) => sum + r.costMicros, 0)).toBe(report.totalMicros);
  });

  it('adds an "Other TensorOne charges" resource when the total includes unlisted cost', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const answer = body as { summary: { totalCost: number } };
        return { ...answer, summary: { ...answer.summary, totalCost: Number((answer.summary.totalCost + 12.34).toFixed(6)) } };
      },
    });
    const range = { startMs: MAY(1), endMs: MAY(2) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.totalMicros).toBe(fake.truthMicros(range) + 12_340_000);
    expect(report.resources.find((r) => r.id === 'other-charges')).toMatchObject({
      name: 'Other TensorOne charges',
      kind: 'other',
      costMicros: 12_340_000,
      dedicated: false,
    });
  });

  it('narrows the resource types with resourceType[] when the settings ask for it', async () => {
    const range = { startMs: MAY(1), endMs: MAY(4) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake, { resourceTypes: ['clusters', 'storage'] }));
    expect(fake.server.requests.at(-1)?.query.getAll('resourceType[]')).toEqual(['clusters', 'storage']);
    const expected = ['cluster-gpu-a100-001', 'cluster-gpu-h100-002', 'vol-datasets'].reduce(
      (sum, id) => sum + resourceTruth(id, range.startMs, range.endMs),
      0,
    );
    expect(report.totalMicros).toBe(expected);
    expect(new Set(report.resources.map((r) => r.group))).toEqual(new Set(['clusters', 'storage']));
    expect(report.notes).toContain('Only these TensorOne resource types are tracked: clusters, storage.');
  });

  it('puts the provider projection, alerts and rate-limit headers into extras', async () => {
    const alerting = await startFake({
      readLimit: 100,
      alerts: [
        { type: 'budget_exceeded', severity: 'medium', message: 'Monthly GPU usage has exceeded 80% of budget', threshold: 1000, currentValue: 1247.83 },
        { type: 'unusual_spike', severity: 'low', message: 'AI service requests rose 45%', threshold: 25, currentValue: 45.2 },
      ],
    });
    const report = await tensoroneAdapter.fetchUsage({ startMs: MAY(1), endMs: MAY(32) }, context(alerting));
    const projection = report.extras.providerProjection!;
    expect(projection.projectedMicros).toBeGreaterThan(report.totalMicros);
    expect(projection.confidence).toBeGreaterThan(0);
    expect(projection.trend).toBe('stable');
    expect(report.extras.providerAlerts).toEqual([
      {
        type: 'budget_exceeded',
        severity: 'medium',
        message: 'Monthly GPU usage has exceeded 80% of budget',
        thresholdMicros: 1_000_000_000,
        currentMicros: 1_247_830_000,
      },
      { type: 'unusual_spike', severity: 'low', message: 'AI service requests rose 45%' },
    ]);
    expect(report.extras.rateLimit).toEqual({ limit: 100, remaining: 99, resetAtMs: MAY(14, 16) });
  });

  it("notes that today's figures are provisional only when the range includes the current UTC day", async () => {
    const past = await tensoroneAdapter.fetchUsage({ startMs: MAY(1), endMs: MAY(14) }, context(fake));
    expect(past.notes.join(' ')).not.toMatch(/provisional/);
    const today = await tensoroneAdapter.fetchUsage({ startMs: MAY(14), endMs: MAY(15) }, context(fake));
    expect(today.notes.join(' ')).toMatch(/provisional/);
    expect(today.dataThroughMs).toBe(NOW);
  });

  it('reports no buckets, no resources and no data-through time for a range without usage', async () => {
    const range = { startMs: MAY(20), endMs: MAY(22) };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.totalMicros).toBe(0);
    expect(report.buckets).toEqual([]);
    expect(report.resources).toEqual([]);
    expect(report.dataThroughMs).toBeNull();
  });

  it('keeps the exact total when the series is sparse and says the chart is partial', async () => {
    const sparse = await startFake({ sparseSeries: true });
    const range = { startMs: MAY(4), endMs: MAY(8) };
    const report = await tensoroneAdapter.fetchUsage(range, context(sparse));
    expect(report.totalMicros).toBe(sparse.truthMicros(range));
    expect(report.buckets.map((b) => b.startMs)).toEqual([MAY(7, 23)]);
    expect(report.dataThroughMs).toBe(MAY(8));
    expect(report.notes.some((note) => /sent only part of the time series/.test(note))).toBe(true);
    expect(report.resources.every((r) => r.series === undefined)).toBe(true);
  });

  it('takes a sparse series whole from the summary, never trimming it', async () => {
    const sparse = await startFake({ sparseSeries: true });
    const range = { startMs: MAY(4, 12), endMs: MAY(8) };
    const report = await tensoroneAdapter.fetchUsage(range, context(sparse));
    expect(report.totalMicros).toBe(sparse.truthMicros({ startMs: MAY(4), endMs: MAY(8) }));
    expect(report.estimated).toBe(true);
  });

  // Speed is measured by `npm run bench`, never asserted here: a wall-clock bound fails on a busy machine.
  it('reads a month-long hourly answer', async () => {
    const range = { startMs: MAY(1), endMs: NOW };
    const report = await tensoroneAdapter.fetchUsage(range, context(fake));
    expect(report.totalMicros).toBe(fake.truthMicros(range));
  });
});

describe('tensoroneAdapter with the recorded fixtures', () => {
  const MARCH = (day: number, hour = 0) => Date.UTC(2024, 2, day, hour);
  const marchRange = { startMs: MARCH(1), endMs: MARCH(4) };
  const afterMarch = MARCH(4, 6);

  it('maps tensorone-usage-normal.json to exact totals, daily buckets and resources', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('tensorone-usage-normal.json') });
    const report = await tensoroneAdapter.fetchUsage(marchRange, context(fake, {}, afterMarch));
    expect(report.totalMicros).toBe(152_060_000);
    expect(report.granularityMs).toBe(DAY_MS);
    expect(report.buckets).toEqual([
      { startMs: MARCH(1), durationMs: DAY_MS, costMicros: 45_880_000 },
      { startMs: MARCH(2), durationMs: DAY_MS, costMicros: 71_250_000 },
      { startMs: MARCH(3), durationMs: DAY_MS, costMicros: 34_930_000 },
    ]);
    expect(report.resources.map((r) => [r.id, r.name, r.kind, r.costMicros, r.dedicated, r.activity])).toEqual([
      ['cluster-gpu-a100-001', 'GPU Cluster A100-001', 'cluster', 72_500_000, true, { gpuHours: 14.5 }],
      ['cluster-gpu-h100-002', 'GPU Cluster H100-002', 'cluster', 60_000_000, true, { gpuHours: 12 }],
      ['text-to-image', 'Text-to-Image Generation', 'service', 7_800_000, false, { requests: 2600 }],
      ['other-storage', 'Other storage', 'other', 4_360_000, false, { quantity: { amount: 1452, unit: 'gb_hours' } }],
      ['text-to-speech', 'Text-to-Speech Synthesis', 'service', 4_200_000, false, { requests: 1400 }],
      ['other-bandwidth', 'Other bandwidth', 'other', 3_200_000, false, { quantity: { amount: 40, unit: 'gb' } }],
    ]);
    expect(report.resources.reduce((sum, r) => sum + r.costMicros, 0)).toBe(report.totalMicros);
    expect(report.dataThroughMs).toBe(MARCH(4));
    expect(report.extras.providerProjection).toBeUndefined();
    expect(report.extras.providerAlerts).toEqual([
      { type: 'unusual_spike', severity: 'low', message: 'GPU cluster hours rose 56% day over day' },
    ]);
    expect(report.notes).toEqual([]);
  });

  it('counts a daily fixture whole when the range starts at noon (the day is the period\'s), as an estimate', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('tensorone-usage-normal.json') });
    const report = await tensoroneAdapter.fetchUsage({ startMs: MARCH(1, 12), endMs: MARCH(4) }, context(fake, {}, afterMarch));
    expect(report.totalMicros).toBe(152_060_000);
    expect(report.estimated).toBe(true);
  });

  it('maps tensorone-usage-sparse-series.json to the same totals from summary, not from the series', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('tensorone-usage-sparse-series.json') });
    const report = await tensoroneAdapter.fetchUsage(marchRange, context(fake, {}, afterMarch));
    expect(report.totalMicros).toBe(152_060_000);
    expect(report.resources.reduce((sum, r) => sum + r.costMicros, 0)).toBe(152_060_000);
    // One midnight point per type cannot show its bucket size: it is read as the hourly series asked for.
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets).toEqual([{ startMs: MARCH(3), durationMs: HOUR_MS, costMicros: 34_930_000 }]);
    expect(report.dataThroughMs).toBe(MARCH(3, 1));
    expect(report.notes).toEqual([
      'TensorOne sent only part of the time series for clusters, ai-services, storage, bandwidth: the chart shows the hours it sent, the total (from its summary) is complete.',
    ]);
  });

  it('maps tensorone-usage-empty.json to a zero report with no data yet', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('tensorone-usage-empty.json') });
    const april = { startMs: Date.UTC(2024, 3, 1), endMs: Date.UTC(2024, 4, 1) };
    const report = await tensoroneAdapter.fetchUsage(april, context(fake, {}, Date.UTC(2024, 3, 1, 9)));
    expect(fake.server.requests.at(-1)?.query.get('endDate')).toBe('2024-04-30');
    expect(report.totalMicros).toBe(0);
    expect(report.buckets).toEqual([]);
    expect(report.resources).toEqual([]);
    expect(report.dataThroughMs).toBeNull();
    expect(report.extras.providerAlerts).toEqual([]);
    expect(report.notes.join(' ')).toMatch(/provisional/);
  });
});
