import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimitryScenario, startLimitryFake, type LimitryFake } from './limitry.fake';
import { DAY_MS, HOUR_MS, truthMicros } from '../fake/scenario';

const KEY = 'lmtry_sk_fake_test_key_0123456789';
const NOW = Date.UTC(2026, 2, 10, 14, 37, 12, 345);
const MARCH_1 = '2026-03-01T00:00:00Z';
const MARCH_4 = '2026-03-04T00:00:00Z';

let fake: LimitryFake;
let missing: LimitryFake;

beforeAll(async () => {
  fake = await startLimitryFake({ apiKey: KEY, now: () => NOW });
  missing = await startLimitryFake({ apiKey: KEY, now: () => NOW, summaryMissing: true });
});
afterAll(async () => {
  await fake.stop();
  await missing.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  path: string,
  query: Record<string, string>,
  options: { auth?: string | null; base?: string } = {},
): Promise<Answer> {
  const url = new URL(`${options.base ?? fake.baseUrl}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  const auth = options.auth === undefined ? `Bearer ${KEY}` : options.auth;
  const response = await fetch(url, { headers: auth === null ? {} : { authorization: auth } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const range = { startDate: MARCH_1, endDate: MARCH_4 };
type Row = Record<string, number | string | null>;
const rows = (answer: Answer) => answer.body.data as Row[];
const centsToMicros = (cents: unknown) => Math.round((cents as number) * 10_000);

describe('the Limitry fake', () => {
  it('serves the three usage endpoints under /v1 with the fixture shapes', async () => {
    const summary = await call('/usage/summary', range);
    expect(summary.status).toBe(200);
    expect(Object.keys(summary.body).sort()).toEqual(
      ['totalCostCents', 'totalEvents', 'totalInputTokens', 'totalOutputTokens', 'totalTokens'],
    );
    const breakdown = await call('/usage/breakdown', { ...range, groupBy: 'model' });
    expect(Object.keys(rows(breakdown)[0]!).sort()).toEqual(
      ['dimension', 'totalCostCents', 'totalEvents', 'totalInputTokens', 'totalOutputTokens', 'totalTokens'],
    );
    const timeseries = await call('/usage/timeseries', { ...range, interval: 'hour' });
    expect(rows(timeseries)[0]!.timestamp).toBe('2026-03-01T00:00:00Z');
    expect((await call('/usage/summary', range, { base: fake.baseUrl.replace(/\/v1$/, '') })).status).toBe(404);
  });

  it('reports cents that convert back to the scenario truth exactly, with fractional cents', async () => {
    const truth = fake.truthMicros({ startMs: Date.parse(MARCH_1), endMs: Date.parse(MARCH_4) });
    const summary = await call('/usage/summary', range);
    expect(centsToMicros(summary.body.totalCostCents)).toBe(truth);
    expect(String(summary.body.totalCostCents)).toBe(String(truth / 10_000));
    const breakdown = rows(await call('/usage/breakdown', { ...range, groupBy: 'model' }));
    expect(breakdown.reduce((sum, row) => sum + centsToMicros(row.totalCostCents), 0)).toBe(truth);
    expect(breakdown.some((row) => !Number.isInteger(row.totalCostCents))).toBe(true);
    const hours = rows(await call('/usage/timeseries', { ...range, interval: 'hour' }));
    expect(hours).toHaveLength(72);
    expect(hours.reduce((sum, row) => sum + centsToMicros(row.totalCostCents), 0)).toBe(truth);
  });

  it('keeps totalTokens equal to input plus output tokens in every row', async () => {
    const breakdown = rows(await call('/usage/breakdown', { ...range, groupBy: 'model' }));
    for (const row of breakdown) {
      expect(row.totalTokens).toBe((row.totalInputTokens as number) + (row.totalOutputTokens as number));
    }
  });

  it('shows events without a model as dimension null with no tokens and no cost', async () => {
    const breakdown = rows(await call('/usage/breakdown', { ...range, groupBy: 'model' }));
    const none = breakdown.find((row) => row.dimension === null);
    expect(none).toMatchObject({ totalCostCents: 0, totalTokens: 0 });
    expect(none!.totalEvents).toBeGreaterThan(0);
    expect(breakdown.map((row) => row.dimension)).toContain('gpt-4o');
  });

  it('groups by the snake_case dimensions customer_id, event_type and provider', async () => {
    const byCustomer = rows(await call('/usage/breakdown', { ...range, groupBy: 'customer_id' }));
    expect(byCustomer.map((row) => row.dimension).sort()).toEqual(['cus_acme', 'cus_globex', 'cus_initech']);
    const byEvent = rows(await call('/usage/breakdown', { ...range, groupBy: 'event_type' }));
    expect(byEvent.map((row) => row.dimension).sort()).toEqual(['embedding', 'model_call', 'tool_call']);
    const byProvider = rows(await call('/usage/breakdown', { ...range, groupBy: 'provider' }));
    expect(byProvider.map((row) => row.dimension)).toContain(null);
  });

  it('applies the model filter before answering', async () => {
    const scenario = defaultLimitryScenario();
    const gpt4o = scenario.resources.filter((resource) => resource.id === 'gpt-4o');
    const summary = await call('/usage/summary', { ...range, model: 'gpt-4o' });
    expect(centsToMicros(summary.body.totalCostCents)).toBe(
      truthMicros(scenario, Date.parse(MARCH_1), Date.parse(MARCH_4), NOW, gpt4o),
    );
  });

  it('buckets by day and by ISO week starting on Monday', async () => {
    const days = rows(await call('/usage/timeseries', { ...range, interval: 'day' }));
    expect(days.map((row) => row.timestamp)).toEqual([MARCH_1, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']);
    // 2026-03-01 is a Sunday: its week starts on Monday 2026-02-23.
    const weeks = rows(await call('/usage/timeseries', { ...range, interval: 'week' }));
    expect(weeks.map((row) => row.timestamp)).toEqual(['2026-02-23T00:00:00Z', '2026-03-02T00:00:00Z']);
  });

  it('makes the current hour partial and honours lag', async () => {
    const start = Date.UTC(2026, 2, 10);
    const query = { startDate: '2026-03-10T00:00:00Z', endDate: '2026-03-11T00:00:00Z', interval: 'hour' };
    const hours = rows(await call('/usage/timeseries', query));
    expect(hours.at(-1)!.timestamp).toBe('2026-03-10T14:00:00Z');
    const lagged = await startLimitryFake({ apiKey: KEY, now: () => NOW, lagMs: 2 * HOUR_MS });
    try {
      const url = lagged.baseUrl;
      const laggedHours = rows(await call('/usage/timeseries', query, { base: url }));
      expect(laggedHours.at(-1)!.timestamp).toBe('2026-03-10T12:00:00Z');
      expect(lagged.truthMicros({ startMs: start, endMs: start + DAY_MS })).toBeLessThan(
        fake.truthMicros({ startMs: start, endMs: start + DAY_MS }),
      );
    } finally {
      await lagged.stop();
    }
  });

  it('emits zero rows for quiet hours only when asked to', async () => {
    const quiet = await startLimitryFake({
      apiKey: KEY,
      now: () => NOW,
      emitEmptyBuckets: true,
      scenario: { seed: 1, resources: [{ id: 'm', name: 'm', hourlyMicros: 10_000, requestsPerHour: 1, activeUntilMs: Date.UTC(2026, 2, 1, 2) }] },
    });
    try {
      const hours = rows(await call('/usage/timeseries', { ...range, interval: 'hour' }, { base: quiet.baseUrl }));
      expect(hours).toHaveLength(72);
      expect(hours.filter((row) => row.totalCostCents !== 0)).toHaveLength(2);
    } finally {
      await quiet.stop();
    }
  });

  it('answers the same data for the same request', async () => {
    const first = await call('/usage/breakdown', { ...range, groupBy: 'model' });
    const second = await call('/usage/breakdown', { ...range, groupBy: 'model' });
    expect(second.body).toEqual(first.body);
  });

  // Speed is measured by `npm run bench`, never asserted here: a wall-clock bound fails on a busy machine.
  it('answers a month of hourly data', async () => {
    const month = await call('/usage/timeseries', { startDate: '2026-01-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', interval: 'hour' });
    expect(rows(month)).toHaveLength(31 * 24);
  });

  it.each([
    ['no header', null],
    ['a wrong key', 'Bearer lmtry_sk_wrong'],
    ['the wrong scheme', `Api-Key ${KEY}`],
    ['a lower-case scheme with extra space', `bearer  ${KEY}`],
  ])('refuses %s with 401 and a string error', async (_label, auth) => {
    const answer = await call('/usage/summary', range, { auth });
    expect(answer).toEqual({ status: 401, body: { error: 'Invalid or missing API key' } });
  });

  it.each([
    ['/usage/summary', { endDate: MARCH_4 }, 'startDate is required'],
    ['/usage/summary', { startDate: MARCH_1 }, 'endDate is required'],
    ['/usage/summary', { startDate: '2026-03-01', endDate: MARCH_4 }, 'startDate must be an ISO 8601 date-time'],
    ['/usage/summary', { startDate: '2026-03-01T00:00:00', endDate: MARCH_4 }, 'startDate must be an ISO 8601 date-time'],
    ['/usage/summary', { startDate: MARCH_1, endDate: 'yesterday' }, 'endDate must be an ISO 8601 date-time'],
    ['/usage/summary', { startDate: MARCH_4, endDate: MARCH_1 }, 'endDate must not be before startDate'],
    ['/usage/summary', { start_date: MARCH_1, end_date: MARCH_4 }, 'unknown query parameter "start_date"'],
    ['/usage/breakdown', range, 'groupBy must be one of'],
    ['/usage/breakdown', { ...range, groupBy: 'customerId' }, 'groupBy must be one of'],
    ['/usage/breakdown', { ...range, group_by: 'model' }, 'unknown query parameter "group_by"'],
    ['/usage/timeseries', range, 'interval must be one of hour, day, week'],
    ['/usage/timeseries', { ...range, interval: 'minute' }, 'interval must be one of hour, day, week'],
  ])('answers %s with %j as 400 naming the problem', async (path, query, reason) => {
    const answer = await call(path, query);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: expect.stringContaining(reason) });
    expect(answer.body.error).toMatch(/^Invalid request: /);
  });

  it('answers a missing summary endpoint with 404 while the others keep working', async () => {
    expect(await call('/usage/summary', range, { base: missing.baseUrl })).toEqual({ status: 404, body: { error: 'Not found' } });
    expect((await call('/usage/breakdown', { ...range, groupBy: 'model' }, { base: missing.baseUrl })).status).toBe(200);
  });

  it('answers zeros and empty lists for a range before any recorded usage', async () => {
    const future = { startDate: '2026-04-01T00:00:00Z', endDate: '2026-04-02T00:00:00Z' };
    expect((await call('/usage/summary', future)).body).toEqual({
      totalEvents: 0,
      totalTokens: 0,
      totalInputTokens: 0,
      totalOutputTokens: 0,
      totalCostCents: 0,
    });
    expect((await call('/usage/breakdown', { ...future, groupBy: 'model' })).body).toEqual({ data: [] });
    expect((await call('/usage/timeseries', { ...future, interval: 'hour' })).body).toEqual({ data: [] });
  });
});
