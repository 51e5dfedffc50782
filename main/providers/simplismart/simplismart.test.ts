import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type UsageReport } from '../../core/report';
import { truthMicros as scenarioTruthMicros } from '../fake/scenario';
import { defaultSimplismartScenario, startSimplismartFake, type SimplismartFake } from './simplismart.fake';
import { createHttpClient, type HttpClient } from '../http';
import { simplismartAdapter } from './simplismart';
import { contextFor, NOW_MS, settingsFor, TOKEN } from './testSupport';

/** Reads a provider fixture by file name. */
function fixture(name: string): unknown {
  const url = new URL(`../../../test/fixtures/providers/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

const http = createHttpClient({ timeoutMs: 5_000 });
let fake: SimplismartFake;

beforeAll(async () => {
  fake = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

async function fetchFrom(target: SimplismartFake, range: { startMs: number; endMs: number }, raw: Record<string, unknown> = {}): Promise<UsageReport> {
  return simplismartAdapter.fetchUsage(range, contextFor(http, settingsFor(target.baseUrl, raw)));
}

describe('simplismartAdapter against the loopback fake', () => {
  it('reports the exact total to the micro-dollar for a multi-day range', async () => {
    const range = { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 4, 8) };
    const before = fake.server.requests.length;
    const report = await fetchFrom(fake, range);

    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.totalMicros).toBeGreaterThan(0);
    expect(sum(report.buckets.map((bucket) => bucket.costMicros))).toBe(report.totalMicros);
    expect(sum(report.resources.map((resource) => resource.costMicros))).toBe(report.totalMicros);
    expect(report.provider).toBe('simplismart');
    expect(report.unit).toBe('usd');
    expect(report.range).toEqual(range);
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets).toHaveLength(7 * 24);
    expect(report.buckets.every((bucket, index) => bucket.startMs === range.startMs + index * HOUR_MS && bucket.durationMs === HOUR_MS)).toBe(true);
    expect(report.dataThroughMs).toBe(range.endMs);
    expect(report.notes).toEqual([]);

    const requests = fake.server.requests.slice(before);
    expect(requests.map((request) => request.query.get('plan_type')).sort()).toEqual(
      ['byoc', 'compilation', 'private', 'reserved', 'shared', 'training'],
    );
    for (const request of requests) {
      expect(request.path).toBe('/v1/analytics/usage-stats');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.query.get('start_time')).toBe('2026-05-01T00:00:00Z');
      expect(request.query.get('end_time')).toBe('2026-05-08T00:00:00Z');
      expect(request.query.get('window_size')).toBe('HOUR');
      expect(request.query.has('workspace_id')).toBe(false);
    }
  });

  it('reports the exact total for a range ending now, with the current hour partial', async () => {
    const range = { startMs: Date.UTC(2026, 4, 12), endMs: NOW_MS };
    const report = await fetchFrom(fake, range);
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    const last = report.buckets.at(-1);
    expect(last?.startMs).toBe(Date.UTC(2026, 4, 14, 14));
    // The partial hour holds 23m17s of a full hour's flat GPU cost, so it is clearly smaller.
    expect(last?.costMicros).toBeLessThan(report.buckets.at(-2)?.costMicros ?? 0);
    expect(report.dataThroughMs).toBe(NOW_MS);
    expect(fake.server.requests.at(-1)?.query.get('end_time')).toBe('2026-05-14T14:23:17Z');
  });

  it('reports data only through the last recorded hour when Simplismart lags', async () => {
    const lagging = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, lagMs: 2 * HOUR_MS });
    try {
      const range = { startMs: Date.UTC(2026, 4, 14), endMs: NOW_MS };
      const report = await fetchFrom(lagging, range);
      expect(report.totalMicros).toBe(lagging.truthMicros(range));
      expect(report.buckets.at(-1)?.startMs).toBe(Date.UTC(2026, 4, 14, 12));
      expect(report.dataThroughMs).toBe(Date.UTC(2026, 4, 14, 13));
    } finally {
      await lagging.stop();
    }
  });

  it('breaks spend down per source, most expensive first, with plan type, kind and series', async () => {
    const range = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
    const report = await fetchFrom(fake, range);
    const scenario = defaultSimplismartScenario();
    const costs = report.resources.map((resource) => resource.costMicros);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(report.resources).toHaveLength(scenario.resources.length);

    for (const resource of scenario.resources) {
      const line = report.resources.find((candidate) => candidate.id === resource.id);
      expect(line, resource.name).toBeDefined();
      expect(line?.name).toBe(resource.name);
      expect(line?.group).toBe(resource.meta?.planType);
      expect(line?.costMicros).toBe(scenarioTruthMicros(scenario, range.startMs, range.endMs, NOW_MS, [resource]));
      expect(sum(line?.series?.map((bucket) => bucket.costMicros) ?? [])).toBe(line?.costMicros);
      // Each point's event_count is the bucket's request count (the idle rule reads it).
      expect(line?.series?.every((bucket) => bucket.requests !== undefined && bucket.durationMs === HOUR_MS)).toBe(true);
    }
    const byName = new Map(report.resources.map((resource) => [resource.name, resource]));
    expect(byName.get('DeepSeek-R1')).toMatchObject({ kind: 'model', dedicated: false, group: 'shared' });
    expect(byName.get('llama3p1-70b-prod')).toMatchObject({ kind: 'deployment', dedicated: true, group: 'private' });
    expect(byName.get('ft-mistral-7b-support')).toMatchObject({ kind: 'training_job', dedicated: false, group: 'training' });
    expect(byName.get('qwen2p5-32b')).toMatchObject({ kind: 'other', dedicated: false, group: 'compilation' });
    // The idle dedicated deployment: billed every hour, zero events.
    const idle = byName.get('whisper-v3-staging');
    expect(idle).toMatchObject({ kind: 'deployment', dedicated: true, activity: { events: 0, requests: 0, quantity: { amount: 24 * 60, unit: 'gpu-minutes-l40s' } } });
    expect(idle?.series?.every((bucket) => bucket.requests === 0 && bucket.costMicros > 0)).toBe(true);
    expect(idle?.costMicros).toBe(24 * 1_150_000);
    expect(byName.get('llama3p1-70b-prod')?.activity.events).toBe(24 * 2_200);
  });

  it('returns an empty report whose data-through is null for a range without usage', async () => {
    const range = { startMs: NOW_MS + HOUR_MS, endMs: NOW_MS + 2 * HOUR_MS };
    const report = await fetchFrom(fake, range);
    expect(report).toMatchObject({ totalMicros: 0, buckets: [], resources: [], dataThroughMs: null, granularityMs: HOUR_MS });
  });

  it('gives the same report from the older bare-list answer, totalling the items itself', async () => {
    const bare = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, shape: 'bare' });
    try {
      const range = { startMs: Date.UTC(2026, 4, 10), endMs: NOW_MS };
      const fromBare = await fetchFrom(bare, range);
      const fromEnvelope = await fetchFrom(fake, range);
      expect(fromBare.totalMicros).toBe(bare.truthMicros(range));
      expect(fromBare).toEqual(fromEnvelope);
    } finally {
      await bare.stop();
    }
  });

  it('buckets hourly points by the hour when Simplismart ignores a DAY window', async () => {
    const hourly = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, pointSpacing: 'hour' });
    try {
      const range = { startMs: Date.UTC(2026, 4, 12), endMs: Date.UTC(2026, 4, 14) };
      const report = await fetchFrom(hourly, range, { windowSize: 'DAY' });
      expect(hourly.server.requests.at(-1)?.query.get('window_size')).toBe('DAY');
      expect(report.granularityMs).toBe(HOUR_MS);
      expect(report.buckets).toHaveLength(48);
      expect(report.totalMicros).toBe(hourly.truthMicros(range));
    } finally {
      await hourly.stop();
    }
  });

  it('uses daily buckets when daily points were asked for', async () => {
    const range = { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 4, 8) };
    const report = await fetchFrom(fake, range, { windowSize: 'DAY' });
    expect(report.granularityMs).toBe(DAY_MS);
    expect(report.buckets.map((bucket) => bucket.startMs)).toEqual(Array.from({ length: 7 }, (_, day) => range.startMs + day * DAY_MS));
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(sum(report.buckets.map((bucket) => bucket.costMicros))).toBe(report.totalMicros);
    expect(report.dataThroughMs).toBe(range.endMs);
    expect(report.notes).toEqual([]);
  });

  it('sends each filter only with the plan types that accept it, as repeated keys', async () => {
    const range = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
    const before = fake.server.requests.length;
    const report = await fetchFrom(fake, range, {
      planTypes: ['shared', 'private', 'training'],
      deploymentSlugs: ['whisper-v3-staging', 'llama3p1-70b-prod'],
      modelNames: ['DeepSeek-R1'],
      includeAllStatuses: true,
      workspaceId: '0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
    });
    const requests = fake.server.requests.slice(before);
    const byPlan = new Map(requests.map((request) => [request.query.get('plan_type'), request.query]));
    expect([...byPlan.keys()].sort()).toEqual(['private', 'shared', 'training']);
    expect(byPlan.get('private')?.getAll('deployment_slugs')).toEqual(['whisper-v3-staging', 'llama3p1-70b-prod']);
    expect(byPlan.get('private')?.get('include_all_statuses')).toBe('true');
    expect(byPlan.get('private')?.has('model_names')).toBe(false);
    expect(byPlan.get('shared')?.getAll('model_names')).toEqual(['DeepSeek-R1']);
    expect(byPlan.get('shared')?.has('deployment_slugs')).toBe(false);
    expect(byPlan.get('training')?.has('include_all_statuses')).toBe(false);
    expect(byPlan.get('training')?.has('deployment_slugs')).toBe(false);
    for (const query of byPlan.values()) expect(query.get('workspace_id')).toBe('0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d');

    const scenario = defaultSimplismartScenario();
    const expected = scenario.resources.filter((resource) =>
      ['DeepSeek-R1', 'whisper-v3-staging', 'llama3p1-70b-prod', 'ft-mistral-7b-support'].includes(resource.name),
    );
    expect(report.totalMicros).toBe(scenarioTruthMicros(scenario, range.startMs, range.endMs, NOW_MS, expected));
    expect(report.resources.map((resource) => resource.name).sort()).toEqual(expected.map((resource) => resource.name).sort());
    expect(report.notes).toEqual([
      'Deployment slugs narrow only private and byoc usage; shared, training usage is not filtered.',
      'Model names narrow only shared usage; private, training usage is not filtered.',
    ]);
  });

  it('runs at most three plan-type calls at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const counting: HttpClient = {
      async getJson(options) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await http.getJson(options);
        } finally {
          inFlight -= 1;
        }
      },
      close: () => Promise.resolve(),
    };
    fake.server.inject({ type: 'slow', delayMs: 150 }, { times: Number.POSITIVE_INFINITY });
    const range = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
    const report = await simplismartAdapter.fetchUsage(range, contextFor(counting, settingsFor(fake.baseUrl)));
    expect(maxInFlight).toBe(3);
    expect(report.totalMicros).toBe(fake.truthMicros(range));
  });

  it('uses the configured path', async () => {
    const moved = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, path: '/api/v2/usage-stats' });
    try {
      const range = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
      const report = await fetchFrom(moved, range, { path: '/api/v2/usage-stats' });
      expect(report.totalMicros).toBe(moved.truthMicros(range));
    } finally {
      await moved.stop();
    }
  });
});

describe('simplismartAdapter with the recorded fixtures', () => {
  const range = { startMs: Date.UTC(2026, 4, 4), endMs: Date.UTC(2026, 4, 7) };

  async function fetchFixture(name: string, raw: Record<string, unknown> = {}): Promise<UsageReport> {
    const body = fixture(name);
    fake.server.inject({ type: 'drift', transform: () => body });
    return fetchFrom(fake, range, { planTypes: ['private'], windowSize: 'DAY', ...raw });
  }

  it.each(['simplismart-usage-normal.json', 'simplismart-usage-legacy-list.json'])(
    'maps %s to the exact totals, daily buckets and two deployments',
    async (name) => {
      const report = await fetchFixture(name);
      expect(report.totalMicros).toBe(51_000_000);
      expect(report.granularityMs).toBe(DAY_MS);
      expect(report.buckets).toEqual([
        { startMs: Date.UTC(2026, 4, 4), durationMs: DAY_MS, costMicros: 32_000_000 },
        { startMs: Date.UTC(2026, 4, 5), durationMs: DAY_MS, costMicros: 3_000_000 },
        { startMs: Date.UTC(2026, 4, 6), durationMs: DAY_MS, costMicros: 16_000_000 },
      ]);
      expect(report.resources).toEqual([
        {
          id: 'whisper-v3_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
          name: 'whisper-v3',
          kind: 'deployment',
          costMicros: 42_000_000,
          activity: { events: 420, requests: 420, quantity: { amount: 840, unit: 'gpu-minutes-l40s' } },
          dedicated: true,
          group: 'private',
          series: [
            { startMs: Date.UTC(2026, 4, 4), durationMs: DAY_MS, costMicros: 30_000_000, requests: 300 },
            { startMs: Date.UTC(2026, 4, 5), durationMs: DAY_MS, costMicros: 0, requests: 0 },
            { startMs: Date.UTC(2026, 4, 6), durationMs: DAY_MS, costMicros: 12_000_000, requests: 120 },
          ],
        },
        {
          id: 'llama3p1-8b_3f1c2a9e-7b4d-4e0a-9c1e-2d5f6a7b8c9d',
          name: 'llama3p1-8b',
          kind: 'deployment',
          costMicros: 9_000_000,
          activity: { events: 67, requests: 67, quantity: { amount: 135, unit: 'gpu-minutes-h100' } },
          dedicated: true,
          group: 'private',
          series: [
            { startMs: Date.UTC(2026, 4, 4), durationMs: DAY_MS, costMicros: 2_000_000, requests: 15 },
            { startMs: Date.UTC(2026, 4, 5), durationMs: DAY_MS, costMicros: 3_000_000, requests: 22 },
            { startMs: Date.UTC(2026, 4, 6), durationMs: DAY_MS, costMicros: 4_000_000, requests: 30 },
          ],
        },
      ]);
      expect(report.dataThroughMs).toBe(range.endMs);
      expect(report.notes).toEqual([]);
      expect(report.extras).toEqual({});
    },
  );

  it('maps the empty fixture to a zero report with no data yet', async () => {
    const report = await fetchFixture('simplismart-usage-empty.json');
    expect(report).toMatchObject({ totalMicros: 0, buckets: [], resources: [], dataThroughMs: null, notes: [] });
  });

  it('says so when daily points come back for an HOUR window, and charts them daily', async () => {
    const report = await fetchFixture('simplismart-usage-normal.json', { windowSize: 'HOUR' });
    expect(report.granularityMs).toBe(DAY_MS);
    expect(report.buckets.map((bucket) => bucket.costMicros)).toEqual([32_000_000, 3_000_000, 16_000_000]);
    expect(report.notes).toEqual([
      'Simplismart sent points every 1 day although HOUR windows were asked for; the chart uses that spacing.',
    ]);
  });
});
