/* eslint-disable @typescript-eslint/no-explicit-any -- these tests edit raw JSON answers freely */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  basetenRateLimitFault,
  defaultBasetenScenario,
  startBasetenFake,
  type BasetenFake,
  type BasetenFakeOptions,
} from './baseten.fake';
import type { Fault } from '../fake/harness';
import { hoursInRange, type Scenario } from '../fake/scenario';
import { ProviderError } from '../../core/errors';
import { DAY_MS, HOUR_MS, type TimeRange, type UsageReport } from '../../core/report';
import { createHttpClient, type HttpClient } from '../http';
import type { ProviderContext } from '../types';
import { isoInstant } from '../timestamps';
import {
  basetenAdapter,
  basetenWindows,
  type BasetenSettings,
} from './baseten';

const KEY = 'bt_live_Q2hlY2tUaGlzS2V5_9f8e7d6c';
/** Sunday 2026-03-15 14:37:12.345 UTC: mid-hour, so the current hour is partial. */
const NOW = Date.UTC(2026, 2, 15, 14, 37, 12, 345);
const day = (month: number, date: number, hour = 0, minute = 0): number => Date.UTC(2026, month - 1, date, hour, minute);

const scenario = defaultBasetenScenario();
let fake: BasetenFake;
let http: HttpClient;

beforeAll(async () => {
  fake = await startBasetenFake({ apiKey: KEY, scenario, now: () => NOW });
  http = createHttpClient({ timeoutMs: 2_000 });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

function context(overrides: Partial<ProviderContext<BasetenSettings>> = {}, baseUrl = fake.baseUrl): ProviderContext<BasetenSettings> {
  return {
    http,
    apiKey: KEY,
    settings: basetenAdapter.settingsSchema.parse({ baseUrl }),
    nowMs: NOW,
    ...overrides,
  };
}

function requestsSince(count: number) {
  return fake.server.requests.slice(count);
}

async function fetchWithFake(range: TimeRange, options: Omit<BasetenFakeOptions, 'apiKey'>) {
  const other = await startBasetenFake({ apiKey: KEY, now: () => NOW, ...options });
  try {
    const report = await basetenAdapter.fetchUsage(range, context({}, other.baseUrl));
    return { report, truthMicros: other.truthMicros(range), requests: other.server.requests };
  } finally {
    await other.stop();
  }
}

/** Cost per UTC day of the given resources, straight from the scenario (the oracle, not the fake's JSON). */
function dailyTruth(source: Scenario, ids: readonly string[] | undefined, range: TimeRange, availableMs = NOW): Map<number, number> {
  const days = new Map<number, number>();
  for (const resource of source.resources) {
    if (ids && !ids.includes(resource.id)) continue;
    for (const { hourStartMs, usage } of hoursInRange(source, resource, range.startMs, range.endMs, availableMs)) {
      const dayMs = Math.floor(hourStartMs / DAY_MS) * DAY_MS;
      days.set(dayMs, (days.get(dayMs) ?? 0) + usage.costMicros);
    }
  }
  return days;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Runs a fetch that must fail; checks the key is nowhere in the error. */
async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    const providerError = error as ProviderError;
    expect(providerError.message).not.toContain(KEY);
    expect(String(providerError)).not.toContain(KEY);
    expect(JSON.stringify(providerError)).not.toContain(KEY);
    let cause: unknown = providerError.cause;
    for (let depth = 0; cause instanceof Error && depth < 5; depth += 1) {
      expect(cause.message).not.toContain(KEY);
      cause = cause.cause;
    }
    return providerError;
  }
  throw new Error('expected the fetch to fail');
}

describe('basetenAdapter totals against the loopback fake', () => {
  it('reports the exact total of a multi-day range to the micro-dollar', async () => {
    // Mar 2 06:30 starts inside a UTC day whose noon is in the range: the day counts whole (an estimate).
    const range = { startMs: day(3, 2, 6, 30), endMs: day(3, 9) };
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());
    expect(report.estimated).toBe(true);

    const truth = fake.truthMicros({ startMs: day(3, 2), endMs: day(3, 9) });
    expect(truth).toBeGreaterThan(1_000_000_000);
    expect(report.totalMicros).toBe(truth);
    expect(sum(report.resources.map((r) => r.costMicros))).toBe(truth);
    expect(sum(report.buckets.map((b) => b.costMicros))).toBe(truth);
    expect(report).toMatchObject({ provider: 'baseten', unit: 'usd', granularityMs: DAY_MS, range });
    expect(report.dataThroughMs).toBe(range.endMs);

    const sent = requestsSince(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe('/v1/billing/usage_summary');
    expect(sent[0]?.headers.authorization).toBe(`Api-Key ${KEY}`);
    expect(sent[0]?.query.get('start_date')).toBe('2026-03-02T00:00:00Z');
    expect(sent[0]?.query.get('end_date')).toBe('2026-03-09T00:00:00Z');
  });

  it('reports the exact total of a range ending now, counting the partial current hour', async () => {
    const range = { startMs: day(3, 1), endMs: NOW };
    const report = await basetenAdapter.fetchUsage(range, context());

    const truth = fake.truthMicros(range);
    const truthToLastFullHour = fake.truthMicros({ startMs: range.startMs, endMs: Math.floor(NOW / HOUR_MS) * HOUR_MS });
    expect(truth).toBeGreaterThan(truthToLastFullHour);
    expect(report.totalMicros).toBe(truth);
    expect(report.dataThroughMs).toBe(NOW);
    expect(report.buckets.at(-1)?.startMs).toBe(day(3, 15));
    expect(fake.server.requests.at(-1)?.query.get('end_date')).toBe('2026-03-15T14:37:12.345Z');
  });

  it('matches the scenario day by day in the buckets and in every resource series', async () => {
    const report = await basetenAdapter.fetchUsage({ startMs: day(3, 3, 9), endMs: day(3, 8) }, context());
    // Whole UTC days: Mar 3 (its noon is inside the range) through Mar 7.
    const range = { startMs: day(3, 3), endMs: day(3, 8) };

    const expectedBuckets = [...dailyTruth(scenario, undefined, range).entries()].map(([startMs, costMicros]) => ({
      startMs,
      durationMs: DAY_MS,
      costMicros,
    }));
    expect(report.buckets).toEqual(expectedBuckets);
    for (const resource of report.resources) {
      const expected = [...dailyTruth(scenario, [resource.id], range).values()];
      expect(resource.series?.map((bucket) => bucket.costMicros)).toEqual(expected);
      expect(resource.costMicros).toBe(sum(expected));
    }
    const costs = report.resources.map((r) => r.costMicros);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it('shows the idle dedicated deployment as costing money with zero requests every day', async () => {
    const report = await basetenAdapter.fetchUsage({ startMs: day(3, 9), endMs: day(3, 12) }, context());
    const idle = report.resources.find((r) => r.id === 'w7e3r1a');
    expect(idle).toMatchObject({
      name: 'whisper-large-v3 / staging',
      kind: 'deployment',
      dedicated: true,
      group: 'Dedicated',
      deleted: false,
      costMicros: 3 * 24 * 1_212_000,
      activity: { requests: 0, minutes: 3 * 24 * 60 },
    });
    expect(idle?.series).toEqual(
      [9, 10, 11].map((date) => ({ startMs: day(3, date), durationMs: DAY_MS, costMicros: 24 * 1_212_000, requests: 0 })),
    );
    const busy = report.resources.find((r) => r.id === 'q8w2k9z');
    expect(busy?.series?.every((bucket) => (bucket.requests ?? 0) > 0)).toBe(true);
  });

  it('keeps a deleted chainlet in the totals and marks it deleted', async () => {
    const range = { startMs: day(3, 1), endMs: day(3, 8) };
    const report = await basetenAdapter.fetchUsage(range, context());
    const chainlet = report.resources.find((r) => r.id === 'x1c4v7b');
    const chainletTruth = sum(dailyTruth(scenario, ['x1c4v7b'], range).values());
    expect(chainletTruth).toBeGreaterThan(0);
    expect(chainlet).toMatchObject({
      name: 'rag-pipeline / Preprocess',
      kind: 'deployment',
      dedicated: true,
      deleted: true,
      costMicros: chainletTruth,
    });
    expect(report.totalMicros).toBe(fake.truthMicros(range));
  });

  it('maps training jobs and Model APIs with their own activity and no request counts', async () => {
    const range = { startMs: day(3, 1), endMs: day(3, 8) };
    const report = await basetenAdapter.fetchUsage(range, context());
    const training = report.resources.find((r) => r.id === 'tj5r6t7');
    expect(training).toMatchObject({ kind: 'training_job', dedicated: false, group: 'Training', name: 'my-training-project / sft-run-12' });
    expect(Object.keys(training?.activity ?? {})).toEqual(['minutes']);
    expect(training?.series?.every((bucket) => bucket.requests === undefined)).toBe(true);

    const deepseek = scenario.resources.find((r) => r.id === 'deepseek-ai/DeepSeek-V3.1')!;
    const hours = hoursInRange(scenario, deepseek, range.startMs, range.endMs, NOW);
    const model = report.resources.find((r) => r.id === 'deepseek-ai/DeepSeek-V3.1');
    expect(model).toMatchObject({
      kind: 'model',
      dedicated: false,
      group: 'Model APIs',
      activity: {
        inputTokens: sum(hours.map((h) => h.usage.inputTokens)),
        outputTokens: sum(hours.map((h) => h.usage.outputTokens)),
      },
    });
    expect(model?.activity.minutes).toBeUndefined();
    expect(model?.activity.requests).toBeUndefined();
  });

  it('splits a 74-day range into windows of at most 31 days cut on UTC midnights and sums them exactly', async () => {
    const range = { startMs: Date.UTC(2026, 0, 1, 12), endMs: NOW };
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());

    const windows = requestsSince(before).map((request) => ({
      startMs: Date.parse(request.query.get('start_date') ?? ''),
      endMs: Date.parse(request.query.get('end_date') ?? ''),
    }));
    // Jan 1 12:00 is the noon of Jan 1: the day is the range's, whole. Windows of whole days, never overlapping.
    expect(windows).toEqual([
      { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 1, 1) },
      { startMs: Date.UTC(2026, 1, 1), endMs: Date.UTC(2026, 2, 4) },
      { startMs: Date.UTC(2026, 2, 4), endMs: NOW },
    ]);
    expect(report.totalMicros).toBe(fake.truthMicros({ startMs: Date.UTC(2026, 0, 1), endMs: NOW }));
    expect(sum(report.buckets.map((b) => b.costMicros))).toBe(report.totalMicros);
    const starts = report.buckets.map((b) => b.startMs);
    expect(starts).toEqual([...new Set(starts)].sort((a, b) => a - b));
    expect(starts.every((ms) => ms % DAY_MS === 0)).toBe(true);
    expect(report.buckets).toHaveLength(74);
    expect(new Set(report.resources.map((r) => r.id)).size).toBe(report.resources.length);
    expect(report.resources).toHaveLength(scenario.resources.length);
  });

  it('clamps a range that starts before 2026-01-01 and says so', async () => {
    const range = { startMs: Date.UTC(2025, 11, 20), endMs: Date.UTC(2026, 0, 10) };
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());
    expect(requestsSince(before).map((r) => r.query.get('start_date'))).toEqual(['2026-01-01T00:00:00Z']);
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.totalMicros).toBe(fake.truthMicros({ startMs: Date.UTC(2026, 0, 1), endMs: range.endMs }));
    expect(report.notes.join('\n')).toContain('Baseten has no usage data before 2026-01-01');
    expect(report.range).toEqual(range);
  });

  it('returns an empty report without any request for a range entirely before 2026-01-01', async () => {
    const range = { startMs: Date.UTC(2025, 10, 1), endMs: Date.UTC(2026, 0, 1) };
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());
    expect(requestsSince(before)).toHaveLength(0);
    expect(report).toEqual({
      provider: 'baseten',
      range,
      unit: 'usd',
      totalMicros: 0,
      granularityMs: DAY_MS,
      buckets: [],
      resources: [],
      dataThroughMs: null,
      extras: { creditsUsedMicros: 0 },
      notes: ['Baseten has no usage data before 2026-01-01'],
    } satisfies UsageReport);
  });

  it('asks only up to now for a range that ends in the future', async () => {
    const range = { startMs: day(3, 1), endMs: day(4, 1) };
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());
    expect(requestsSince(before).map((r) => r.query.get('end_date'))).toEqual([isoInstant(NOW)]);
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.dataThroughMs).toBe(NOW);
  });

  it('returns an empty report with a note for a range that has not started', async () => {
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage({ startMs: day(4, 1), endMs: day(5, 1) }, context());
    expect(requestsSince(before)).toHaveLength(0);
    expect(report.totalMicros).toBe(0);
    expect(report.dataThroughMs).toBeNull();
    expect(report.notes).toEqual(['This range has not started yet, so Baseten has no usage for it.']);
  });

  it('reports only the usage the provider has recorded when its data lags', async () => {
    const range = { startMs: day(3, 14), endMs: NOW };
    const { report, truthMicros } = await fetchWithFake(range, { scenario, lagMs: 5 * HOUR_MS });
    expect(truthMicros).toBeLessThan(fake.truthMicros(range));
    expect(report.totalMicros).toBe(truthMicros);
    expect(report.dataThroughMs).toBe(NOW);
  });

  it('reports gross spend with the credits applied beside it', async () => {
    const range = { startMs: day(3, 2), endMs: day(3, 5) };
    const { report, truthMicros } = await fetchWithFake(range, { scenario, creditsMicros: 5_000_000 });
    expect(report.totalMicros).toBe(truthMicros);
    expect(report.extras.creditsUsedMicros).toBe(5_000_000);
    expect(report.notes.some((note) => note.includes('$5.00 of credits'))).toBe(true);
    expect(sum(report.resources.map((r) => r.costMicros))).toBe(truthMicros);
  });

  it('sums credits over every window of a long range', async () => {
    const range = { startMs: Date.UTC(2026, 0, 10), endMs: day(3, 10) };
    const { report, truthMicros, requests } = await fetchWithFake(range, { scenario, creditsMicros: 2_500_000 });
    // [Jan 10, Feb 10) and [Feb 10, Mar 10): the fake applies the credits to each answer.
    expect(requests).toHaveLength(2);
    expect(report.totalMicros).toBe(truthMicros);
    expect(report.extras.creditsUsedMicros).toBe(2 * 2_500_000);
  });

  it('treats null sections and zero sections alike as $0 for unused products', async () => {
    const modelOnly: Scenario = {
      seed: 3,
      resources: scenario.resources.filter((r) => r.meta?.section === 'model_apis'),
    };
    const range = { startMs: day(3, 2), endMs: day(3, 4) };
    const asNull = await fetchWithFake(range, { scenario: modelOnly, emptySections: 'null' });
    const asZero = await fetchWithFake(range, { scenario: modelOnly, emptySections: 'zero' });
    expect(asNull.report).toEqual(asZero.report);
    expect(asNull.report.totalMicros).toBe(asNull.truthMicros);
    expect(asNull.report.resources.map((r) => r.kind)).toEqual(['model', 'model']);
  });

  it('reports no usage and no data time for a range where nothing ran', async () => {
    const idleScenario: Scenario = {
      seed: 1,
      resources: scenario.resources.map((r) => ({ ...r, activeFromMs: day(3, 20) })),
    };
    for (const emptySections of ['null', 'zero'] as const) {
      const { report } = await fetchWithFake({ startMs: day(3, 2), endMs: day(3, 4) }, { scenario: idleScenario, emptySections });
      expect(report.totalMicros).toBe(0);
      expect(report.resources).toEqual([]);
      expect(report.buckets).toEqual([]);
      expect(report.dataThroughMs).toBeNull();
    }
  });

});

describe('basetenAdapter errors', () => {
  const range = { startMs: day(3, 1), endMs: day(3, 4) };

  it('reports a wrong API key as auth with Baseten\'s explanation', async () => {
    const error = await failure(basetenAdapter.fetchUsage(range, context({ apiKey: 'bt_wrong_key_000' })));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toBe('Baseten rejected the API key (401): Invalid API key.');
  });

  it('reports 403 as auth', async () => {
    fake.server.inject({ type: 'status', status: 403, body: { error: 'This API key cannot read billing.' } });
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.message).toBe('Baseten refused access with this API key (403): This API key cannot read billing.');
  });

  it('reads retry_after from the 429 JSON body', async () => {
    fake.server.inject(basetenRateLimitFault(37));
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 37_000 });
    expect(error.message).toBe(
      'Baseten is rate limiting requests (429); retry in 37 s: Rate limit exceeded. Please try again later.',
    );
  });

  it('reads a Retry-After header on 429 too', async () => {
    fake.server.inject({ type: 'status', status: 429, body: { error: 'Slow down.' }, headers: { 'retry-after': '2' } });
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2_000 });
  });

  it('reports a 400 as bad_request with the reason', async () => {
    fake.server.inject({ type: 'status', status: 400, body: { error: 'Date range cannot exceed 31 days.' } });
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(error.message).toBe('Baseten rejected the request (400): Date range cannot exceed 31 days.');
  });

  it('reports a wrong base path (404 from the fake) as bad_request', async () => {
    const error = await failure(basetenAdapter.fetchUsage(range, context({}, `${fake.baseUrl}/proxy`)));
    expect(error).toMatchObject({ kind: 'bad_request', status: 404 });
    expect(fake.server.requests.at(-1)?.path).toBe('/proxy/v1/billing/usage_summary');
  });

  it('fails the whole fetch when a later window fails, instead of reporting part of the range', async () => {
    fake.server.inject({ type: 'drift', transform: (body) => body });
    fake.server.inject({ type: 'status', status: 503, body: { error: 'maintenance' } });
    const error = await failure(basetenAdapter.fetchUsage({ startMs: Date.UTC(2026, 0, 1), endMs: day(3, 10) }, context()));
    expect(error.kind).toBe('server');
  });

  it.each([
    [
      'a missing section total',
      (body: any) => {
        delete body.dedicated_usage.total;
        return body;
      },
      'dedicated_usage.total',
    ],
    [
      'an unreadable amount',
      (body: any) => {
        body.training_usage.breakdown[0].subtotal = '12,50';
        return body;
      },
      'training_usage.breakdown[0].subtotal',
    ],
    [
      'a date in another format',
      (body: any) => {
        body.model_apis_usage.breakdown[1].daily[0].date = '03/01/2026';
        return body;
      },
      'model_apis_usage.breakdown[1].daily[0].date',
    ],
    [
      'a missing billable resource id',
      (body: any) => {
        delete body.dedicated_usage.breakdown[2].billable_resource.id;
        return body;
      },
      'dedicated_usage.breakdown[2].billable_resource.id',
    ],
    ['a list instead of an object', () => [], '(root)'],
  ])('reports schema drift (%s) as bad_response naming the field', async (_what, transform, field) => {
    fake.server.inject({ type: 'drift', transform });
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/^Baseten sent a usage summary Burnrate does not understand: /);
    expect(error.message).toContain(`${field}: `);
  });
});

describe('basetenAdapter never leaks the API key', () => {
  const range = { startMs: day(3, 1), endMs: day(3, 4) };
  const echo = { error: `Key ${KEY} is not valid`, detail: KEY };

  it.each([
    ['429', { type: 'status', status: 429, body: { ...echo, retry_after: 3 } }, 'rate_limited'],
    [
      'drift echoing the key into a field',
      {
        type: 'drift',
        transform: (body: any) => {
          body.model_apis_usage.breakdown[0].daily[0].date = KEY;
          return body;
        },
      },
      'bad_response',
    ],
  ] as const)('keeps the key out of the %s error', async (_what, fault, kind) => {
    fake.server.inject(fault as Fault);
    const error = await failure(basetenAdapter.fetchUsage(range, context()));
    expect(error.kind).toBe(kind);
  });

});

describe('basetenAdapter settings', () => {
  const schema = basetenAdapter.settingsSchema;

  it('fills in the default base URL', () => {
    expect(schema.parse({})).toEqual({ baseUrl: 'https://api.baseten.co' });
  });

  it('accepts another http(s) base URL and drops trailing slashes', () => {
    expect(schema.parse({ baseUrl: 'http://127.0.0.1:8080/baseten//' })).toEqual({ baseUrl: 'http://127.0.0.1:8080/baseten' });
  });

  it('rejects unknown keys, naming them', () => {
    const result = schema.safeParse({ baseUrl: 'https://api.baseten.co', apiKey: 'x', orgId: 'y' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/apiKey/);
    expect(result.error?.issues[0]?.message).toMatch(/orgId/);
  });

  it.each(['ftp://api.baseten.co', 'api.baseten.co', '', 42])('rejects the base URL %j with a clear message', (baseUrl) => {
    const result = schema.safeParse({ baseUrl });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['baseUrl']);
    expect(result.error?.issues[0]?.message).toBe('must be an http(s) URL');
  });

  it('describes its form fields without the API key', () => {
    expect(basetenAdapter.settings.map((field) => field.key)).toEqual(['baseUrl']);
    expect(basetenAdapter.settings.some((field) => field.kind === 'secret')).toBe(false);
    expect(basetenAdapter.settings[0]?.defaultValue).toBe('https://api.baseten.co');
    expect(basetenAdapter).toMatchObject({ id: 'baseten', displayName: 'Baseten' });
    expect(basetenAdapter.minRefreshMs).toBeGreaterThanOrEqual(60_000);
  });
});

describe('basetenWindows', () => {
  const jan = (date: number, hour = 0) => Date.UTC(2026, 0, date, hour);

  it.each([
    ['an empty range', jan(5), jan(5), []],
    ['a range of exactly 31 days', jan(1), jan(32), [[jan(1), jan(32)]]],
    ['31 days and one millisecond (whole days)', jan(1), jan(32) + 1, [[jan(1), jan(32)], [jan(32), jan(33)]]],
    ['a mid-day start, widened to whole days', jan(1, 12), jan(70), [[jan(1), jan(32)], [jan(32), jan(63)], [jan(63), jan(70)]]],
    ['a short range (whole days)', jan(3, 7), jan(4, 9), [[jan(3), jan(5)]]],
  ])('splits %s', (_what, startMs, endMs, expected) => {
    const windows = basetenWindows(startMs, endMs);
    expect(windows.map((w) => [w.startMs, w.endMs])).toEqual(expected);
    for (const window of windows) expect(window.endMs - window.startMs).toBeLessThanOrEqual(31 * DAY_MS);
  });

  it('formats instants as ISO-8601 UTC with Z', () => {
    expect(isoInstant(jan(1))).toBe('2026-01-01T00:00:00Z');
    expect(isoInstant(NOW)).toBe('2026-03-15T14:37:12.345Z');
  });
});
