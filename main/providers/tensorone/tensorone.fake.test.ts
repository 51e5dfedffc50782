import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourUsage, microsToDecimalString, truthMicros } from '../fake/scenario';
import { defaultTensorOneScenario, startTensorOneFake, type TensorOneFake, type TensorOneFakeOptions } from './tensorone.fake';

const KEY = 'tpo_test_FAKE_1122334455667788';
const SCOPELESS = 'tpo_test_SCOPELESS_8877665544';
const NOW = Date.UTC(2026, 4, 14, 15, 37, 12);
const MAY = (day: number, hour = 0) => Date.UTC(2026, 4, day, hour);
const CUSTOM = { timeRange: 'custom', startDate: '2026-05-01', endDate: '2026-05-07', currency: 'USD' };
const fakes: TensorOneFake[] = [];
let fake: TensorOneFake;

interface WireAnswer {
  period: Record<string, unknown>;
  summary: { totalCost: number; currency: string } & Record<string, unknown>;
  breakdown: Array<{
    resourceType: string;
    usage: { quantity: number; unit: string; cost: number; percentage: number };
    timeSeries: Array<{ timestamp: string; value: number; cost: number }>;
    topResources: Array<{ resourceId: string; name: string; usage: number; cost: number }>;
  }>;
  regional: Array<Record<string, unknown>>;
  projections?: Record<string, unknown>;
  alerts: unknown[];
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

async function startFake(options: Partial<TensorOneFakeOptions> = {}): Promise<TensorOneFake> {
  const started = await startTensorOneFake({ apiKey: KEY, now: () => NOW, scopelessKeys: [SCOPELESS], ...options });
  fakes.push(started);
  return started;
}

async function get(
  target: TensorOneFake,
  params: Record<string, string | string[]> | string,
  authorization: string | null = `Bearer ${KEY}`,
  path = '/v2/billing/usage',
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const url = new URL(path, target.baseUrl);
  if (typeof params === 'string') url.search = params;
  else {
    for (const [name, value] of Object.entries(params)) {
      for (const each of Array.isArray(value) ? value : [value]) url.searchParams.append(name, each);
    }
  }
  const response = await fetch(url, { headers: authorization === null ? {} : { authorization } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

function micros(amount: number): number {
  return Math.round(amount * 1_000_000);
}

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await Promise.all(fakes.map((each) => each.stop()));
});

describe('the TensorOne fake: authentication and limits', () => {
  it.each([
    ['a missing header', null],
    ['a wrong key', `Bearer ${KEY}x`],
    ['another scheme', `Token ${KEY}`],
    ['the bare key', KEY],
  ])('answers 401 in the documented envelope for %s', async (_case, authorization) => {
    const { status, body } = await get(fake, CUSTOM, authorization);
    expect(status).toBe(401);
    expect(keysOf(body)).toEqual(keysOf(fixture('tensorone-error-401.json')));
    expect(body).toMatchObject({ error: 'UNAUTHORIZED', message: 'Invalid or missing API key', code: 401 });
    expect(body.request_id).toMatch(/^req_[0-9a-f]{16}$/);
    expect(body.timestamp).toBe('2026-05-14T15:37:12Z');
  });

  it('answers 403 FORBIDDEN with the permissions for a key without the billing scope', async () => {
    const { status, body } = await get(fake, CUSTOM, `Bearer ${SCOPELESS}`);
    expect(status).toBe(403);
    expect(body).toMatchObject({
      error: 'FORBIDDEN',
      code: 403,
      details: { required_permissions: ['billing:read'], current_permissions: ['clusters:read', 'endpoints:read'] },
    });
  });

  it('puts the rate-limit headers on every answer and counts the limit down', async () => {
    const limited = await startFake({ readLimit: 2 });
    const first = await get(limited, CUSTOM);
    const rejected = await get(limited, CUSTOM, 'Bearer nope');
    const third = await get(limited, CUSTOM);
    for (const answer of [first, rejected, third]) {
      expect(answer.headers.get('x-ratelimit-limit')).toBe('2');
      expect(answer.headers.get('x-ratelimit-reset')).toBe(String(MAY(14, 16) / 1000));
      expect(answer.headers.get('x-ratelimit-window')).toBe('3600');
    }
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(rejected.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1368');
    expect(keysOf(third.body)).toEqual(keysOf(fixture('tensorone-error-429.json')));
    expect(third.body).toMatchObject({
      error: 'RATE_LIMIT_EXCEEDED',
      code: 429,
      details: { limit: 2, remaining: 0, reset_at: '2026-05-14T16:00:00Z', retry_after: 1368 },
    });
  });

  it('does not enforce a limit unless asked, but still reports one', async () => {
    const { status, headers } = await get(fake, CUSTOM);
    expect(status).toBe(200);
    expect(headers.get('x-ratelimit-limit')).toBe('1000');
  });

  it('answers 404 RESOURCE_NOT_FOUND for another path', async () => {
    const { status, body } = await get(fake, CUSTOM, `Bearer ${KEY}`, '/v2/billing/usage/forecast');
    expect(status).toBe(404);
    expect(body.error).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('the TensorOne fake: query validation', () => {
  it('answers 400 VALIDATION_ERROR in the documented envelope when a custom range lacks endDate', async () => {
    const { status, body } = await get(fake, { timeRange: 'custom', startDate: '2026-05-01' });
    expect(status).toBe(400);
    expect(keysOf(body)).toEqual(keysOf(fixture('tensorone-error-400.json')));
    expect(body).toMatchObject({
      error: 'VALIDATION_ERROR',
      message: 'Request validation failed',
      code: 400,
      details: { field: 'endDate', reason: 'startDate and endDate are required when timeRange is custom' },
    });
  });

  it.each([
    ['a date with a time', { ...CUSTOM, startDate: '2026-05-01T00:00:00Z' }, 'startDate'],
    ['an impossible date', { ...CUSTOM, endDate: '2026-02-30' }, 'endDate'],
    ['an end before the start', { ...CUSTOM, startDate: '2026-05-08' }, 'endDate'],
    ['a range over 366 days', { ...CUSTOM, startDate: '2025-01-01' }, 'endDate'],
    ['an unknown granularity', { ...CUSTOM, granularity: 'minutely' }, 'granularity'],
    ['an unknown currency', { ...CUSTOM, currency: 'CHF' }, 'currency'],
    ['an unknown time range', { ...CUSTOM, timeRange: 'yesterday' }, 'timeRange'],
    ['a non-boolean flag', { ...CUSTOM, includeProjections: 'yes' }, 'includeProjections'],
    ['an unknown resource type', { ...CUSTOM, 'resourceType[]': 'gpus' }, 'resourceType'],
    ['resource types without brackets', { ...CUSTOM, resourceType: 'clusters' }, 'resourceType'],
  ])('answers 400 for %s', async (_case, params, field) => {
    const { status, body } = await get(fake, params);
    expect(status).toBe(400);
    expect(body.error).toBe('VALIDATION_ERROR');
    expect((body.details as { field: string }).field).toBe(field);
  });
});

describe('the TensorOne fake: answers', () => {
  it('answers in the shape of tensorone-usage-normal.json', async () => {
    const { body } = await get(fake, { ...CUSTOM, granularity: 'daily', includeProjections: 'true' });
    const expected = fixture('tensorone-usage-normal.json') as unknown as WireAnswer;
    const answer = body as unknown as WireAnswer;
    expect(keysOf(answer)).toEqual([...keysOf(expected), 'projections'].sort());
    for (const part of ['period', 'summary'] as const) expect(keysOf(answer[part])).toEqual(keysOf(expected[part]));
    expect(keysOf(answer.breakdown[0])).toEqual(keysOf(expected.breakdown[0]));
    expect(keysOf(answer.breakdown[0]!.usage)).toEqual(keysOf(expected.breakdown[0]!.usage));
    expect(keysOf(answer.breakdown[0]!.timeSeries[0])).toEqual(keysOf(expected.breakdown[0]!.timeSeries[0]));
    expect(keysOf(answer.breakdown[0]!.topResources[0])).toEqual(keysOf(expected.breakdown[0]!.topResources[0]));
    expect(keysOf(answer.regional[0])).toEqual(keysOf(expected.regional[0]));
    expect(answer.period).toEqual({ startDate: '2026-05-01', endDate: '2026-05-07', billingCycle: 'custom', daysInPeriod: 7, daysElapsed: 7 });
    expect(answer.breakdown[0]!.timeSeries.map((p) => p.timestamp).slice(0, 2)).toEqual(['2026-05-07T00:00:00Z', '2026-05-06T00:00:00Z']);
    expect(answer.breakdown.map((b) => [b.resourceType, b.usage.unit])).toEqual([
      ['clusters', 'gpu_hours'],
      ['endpoints', 'gpu_hours'],
      ['ai-services', 'requests'],
      ['bandwidth', 'gb'],
      ['storage', 'gb_hours'],
    ]);
    // Storage and bandwidth list no top resources, like the vendor's example.
    expect(answer.breakdown.find((b) => b.resourceType === 'storage')?.topResources).toEqual([]);
  });

  it('reports the scenario truth in USD, with endDate inclusive', async () => {
    const { body } = await get(fake, { ...CUSTOM, startDate: '2026-05-03', endDate: '2026-05-03' });
    const answer = body as unknown as WireAnswer;
    expect(answer.summary.currency).toBe('USD');
    expect(micros(answer.summary.totalCost)).toBe(fake.truthMicros({ startMs: MAY(3), endMs: MAY(4) }));
    expect(answer.summary.totalCost).toBe(Number(microsToDecimalString(fake.truthMicros({ startMs: MAY(3), endMs: MAY(4) }))));
    const typeSum = answer.breakdown.reduce((sum, b) => sum + micros(b.usage.cost), 0);
    expect(typeSum).toBe(micros(answer.summary.totalCost));
  });

  it('converts every cost when the request does not ask for USD', async () => {
    const usd = (await get(fake, CUSTOM)).body as unknown as WireAnswer;
    const { currency: _usd, ...withoutCurrency } = CUSTOM;
    const account = (await get(fake, withoutCurrency)).body as unknown as WireAnswer;
    expect(account.summary.currency).toBe('EUR');
    expect(account.summary.totalCost).toBeCloseTo(usd.summary.totalCost * 0.92, 1);
    const yen = (await get(fake, { ...CUSTOM, currency: 'JPY' })).body as unknown as WireAnswer;
    expect(yen.summary.currency).toBe('JPY');
    expect(Number.isInteger(yen.summary.totalCost)).toBe(true);
    const gbp = await startFake({ accountCurrency: 'GBP' });
    expect(((await get(gbp, withoutCurrency)).body as unknown as WireAnswer).summary.currency).toBe('GBP');
  });

  it('gives a complete newest-first hourly series per type that adds up to the type cost', async () => {
    const { body } = await get(fake, { ...CUSTOM, startDate: '2026-05-14', endDate: '2026-05-14', granularity: 'hourly' });
    const answer = body as unknown as WireAnswer;
    const clusters = answer.breakdown.find((b) => b.resourceType === 'clusters')!;
    // 00:00 through the partial 15:00 hour.
    expect(clusters.timeSeries).toHaveLength(16);
    expect(clusters.timeSeries[0]?.timestamp).toBe('2026-05-14T15:00:00Z');
    expect(clusters.timeSeries.at(-1)?.timestamp).toBe('2026-05-14T00:00:00Z');
    for (const breakdown of answer.breakdown) {
      expect(breakdown.timeSeries.reduce((sum, p) => sum + micros(p.cost), 0)).toBe(micros(breakdown.usage.cost));
    }
    const scenario = defaultTensorOneScenario();
    const fullHour = hourUsage(scenario, scenario.resources[0]!, MAY(14, 15)).costMicros + hourUsage(scenario, scenario.resources[1]!, MAY(14, 15)).costMicros;
    expect(micros(clusters.timeSeries[0]!.cost)).toBeLessThan(fullHour);
  });

  it('sends only the newest point of each series when sparseSeries is set', async () => {
    const sparse = await startFake({ sparseSeries: true });
    const { body } = await get(sparse, { ...CUSTOM, granularity: 'hourly' });
    const answer = body as unknown as WireAnswer;
    for (const breakdown of answer.breakdown) {
      expect(breakdown.timeSeries.map((p) => p.timestamp)).toEqual(['2026-05-07T23:00:00Z']);
    }
    expect(micros(answer.summary.totalCost)).toBe(sparse.truthMicros({ startMs: MAY(1), endMs: MAY(8) }));
  });

  it('adds projections only when asked', async () => {
    expect((await get(fake, CUSTOM)).body.projections).toBeUndefined();
    const { body } = await get(fake, { ...CUSTOM, startDate: '2026-05-01', endDate: '2026-05-31', includeProjections: 'true' });
    const projections = body.projections as { projectedCost: number; confidence: number; trend: string };
    expect(projections.projectedCost).toBeGreaterThan((body.summary as { totalCost: number }).totalCost);
    expect(projections.confidence).toBeGreaterThan(0.5);
    expect(projections.confidence).toBeLessThanOrEqual(0.95);
  });

  it('narrows the breakdown and the totals to resourceType[]', async () => {
    const { body } = await get(fake, { ...CUSTOM, 'resourceType[]': ['clusters', 'storage'] });
    const answer = body as unknown as WireAnswer;
    expect(answer.breakdown.map((b) => b.resourceType).sort()).toEqual(['clusters', 'storage']);
    const scenario = defaultTensorOneScenario();
    const chosen = scenario.resources.filter((r) => r.meta?.resourceType === 'clusters' || r.meta?.resourceType === 'storage');
    expect(micros(answer.summary.totalCost)).toBe(truthMicros(scenario, MAY(1), MAY(8), NOW, chosen));
  });

  it('emits the alerts it is given', async () => {
    const alert = { type: 'budget_exceeded', severity: 'medium', message: 'Over 80% of budget', threshold: 1000, currentValue: 1247.83 };
    const alerting = await startFake({ alerts: [alert] });
    expect((await get(alerting, CUSTOM)).body.alerts).toEqual([alert]);
    expect((await get(fake, CUSTOM)).body.alerts).toEqual([]);
  });

  it('leaves out every cost with includeCosts=false', async () => {
    const { body } = await get(fake, { ...CUSTOM, includeCosts: 'false' });
    const answer = body as unknown as WireAnswer;
    expect(answer.summary.totalCost).toBeUndefined();
    expect(answer.breakdown[0]?.usage.cost).toBeUndefined();
    expect(answer.breakdown[0]?.timeSeries[0]?.cost).toBeUndefined();
    expect(answer.breakdown[0]?.usage.quantity).toBeGreaterThan(0);
  });

  it('answers an empty period in the shape of tensorone-usage-empty.json', async () => {
    const { body } = await get(fake, { ...CUSTOM, startDate: '2026-06-01', endDate: '2026-06-30' });
    expect(body.summary).toMatchObject({ totalCost: 0, totalGpuHours: 0, totalApiRequests: 0, currency: 'USD' });
    expect(body.breakdown).toEqual([]);
    expect(body.regional).toEqual([]);
    expect((body.period as { daysElapsed: number }).daysElapsed).toBe(0);
  });

  it('answers the preset time ranges from its clock', async () => {
    const month = (await get(fake, { currency: 'USD' })).body.period;
    expect(month).toMatchObject({ startDate: '2026-05-01', endDate: '2026-05-31', billingCycle: 'monthly', daysInPeriod: 31, daysElapsed: 14 });
    const lastQuarter = (await get(fake, { timeRange: 'last_quarter' })).body.period;
    expect(lastQuarter).toMatchObject({ startDate: '2026-01-01', endDate: '2026-03-31' });
  });

  it('simulates lag: recent hours are not recorded yet', async () => {
    const lagging = await startFake({ lagMs: 3 * 60 * 60_000 });
    const range = { startMs: MAY(14), endMs: NOW };
    expect(lagging.truthMicros(range)).toBeLessThan(fake.truthMicros(range));
    const { body } = await get(lagging, { ...CUSTOM, startDate: '2026-05-14', endDate: '2026-05-14', granularity: 'hourly' });
    expect(micros((body as unknown as WireAnswer).summary.totalCost)).toBe(lagging.truthMicros(range));
    expect((body as unknown as WireAnswer).breakdown[0]?.timeSeries[0]?.timestamp).toBe('2026-05-14T12:00:00Z');
  });

  // Speed is measured by `npm run bench`, never asserted here: a wall-clock bound fails on a busy machine.
  it('answers a month of hourly data identically every time', async () => {
    const other = await startFake();
    const params = { ...CUSTOM, startDate: '2026-04-01', endDate: '2026-04-30', granularity: 'hourly', includeProjections: 'true' };
    const first = await get(fake, params);
    const second = await get(other, params);
    expect(first.body).toEqual(second.body);
    expect((first.body as unknown as WireAnswer).breakdown[0]?.timeSeries).toHaveLength(30 * 24);
  });
});

describe('defaultTensorOneScenario', () => {
  it('has three to six resources of known types, including an idle dedicated cluster', () => {
    const scenario = defaultTensorOneScenario(7);
    expect(scenario.seed).toBe(7);
    expect(scenario.resources.length).toBeGreaterThanOrEqual(3);
    expect(scenario.resources.length).toBeLessThanOrEqual(6);
    const idle = scenario.resources.filter((r) => r.meta?.resourceType === 'clusters' && r.requestsPerHour === 0);
    expect(idle.length).toBeGreaterThan(0);
    expect(hourUsage(scenario, idle[0]!, MAY(1)).costMicros).toBeGreaterThan(0);
  });

  it('refuses a scenario resource without a TensorOne resource type', async () => {
    await expect(
      startTensorOneFake({ apiKey: KEY, scenario: { seed: 1, resources: [{ id: 'x', name: 'X', hourlyMicros: 1, meta: { resourceType: 'gpus' } }] } }),
    ).rejects.toThrow(/unknown meta.resourceType gpus/);
  });
});
