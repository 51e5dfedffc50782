/* eslint-disable @typescript-eslint/no-explicit-any -- these tests edit raw JSON answers freely */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultBasetenScenario, startBasetenFake, type BasetenFake } from './baseten.fake';
import { hoursInRange } from '../fake/scenario';
import { ProviderError } from '../../core/errors';
import { DAY_MS, type UsageReport } from '../../core/report';
import { createHttpClient, type HttpClient } from '../http';
import type { ProviderContext } from '../types';
import { basetenAdapter, type BasetenSettings } from './baseten';

const KEY = 'bt_fixture_key_5b1c0e77d2';
const NOW = Date.UTC(2026, 2, 15, 9, 5);
/** The range every Baseten fixture answers (test/fixtures/providers/README.md). */
const FIXTURE_RANGE = { startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 4) };
const FIXTURE_DIR = new URL('../../../test/fixtures/providers/', import.meta.url);
const MAR = (date: number) => Date.UTC(2026, 2, date);

const scenario = defaultBasetenScenario(11);
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

function context(): ProviderContext<BasetenSettings> {
  return { http, apiKey: KEY, settings: basetenAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl }), nowMs: NOW };
}

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));
}

/** Serves `body` instead of the fake's own answer (after the fake has checked auth and query). */
async function fetchServing(body: unknown, range = FIXTURE_RANGE): Promise<UsageReport> {
  fake.server.inject({ type: 'drift', transform: () => structuredClone(body) });
  return basetenAdapter.fetchUsage(range, context());
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

interface Expected {
  totalMicros: number;
  creditsUsedMicros: number;
  buckets: Array<[number, number]>;
  resources: Array<[string, number]>;
  dataThroughMs: number | null;
  notes: string[];
}

const EXPECTED: Record<string, Expected> = {
  'baseten-usage-normal.json': {
    totalMicros: 826_625_000,
    creditsUsedMicros: 0,
    buckets: [
      [MAR(1), 101_300_000],
      [MAR(2), 480_950_000],
      [MAR(3), 244_375_000],
    ],
    resources: [
      ['tj5r6t7', 588_000_000],
      ['q8w2k9z', 216_000_000],
      ['x1c4v7b', 15_625_000],
      ['deepseek-ai/DeepSeek-V3.1', 5_250_000],
      ['moonshotai/Kimi-K2-Instruct', 1_750_000],
    ],
    dataThroughMs: MAR(4),
    notes: [],
  },
  'baseten-usage-with-credits.json': {
    totalMicros: 7_000_000,
    creditsUsedMicros: 5_000_000,
    buckets: [
      [MAR(1), 2_400_000],
      [MAR(2), 2_550_000],
      [MAR(3), 2_050_000],
    ],
    resources: [
      ['deepseek-ai/DeepSeek-V3.1', 5_250_000],
      ['moonshotai/Kimi-K2-Instruct', 1_750_000],
    ],
    dataThroughMs: MAR(4),
    notes: ['Baseten applied $5.00 of credits in this range; spend is shown before credits ($2.00 after credits).'],
  },
  'baseten-usage-empty.json': {
    totalMicros: 0,
    creditsUsedMicros: 0,
    buckets: [],
    resources: [],
    dataThroughMs: null,
    notes: [],
  },
  'baseten-usage-zero.json': {
    totalMicros: 0,
    creditsUsedMicros: 0,
    buckets: [],
    resources: [],
    dataThroughMs: null,
    notes: [],
  },
};

describe('Baseten fixtures', () => {
  const files = readdirSync(FIXTURE_DIR).filter((name) => name.startsWith('baseten-'));
  const successFiles = files.filter((name) => !name.startsWith('baseten-error-'));

  it('has expectations for every Baseten success fixture', () => {
    expect(successFiles.length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(EXPECTED).sort()).toEqual([...successFiles].sort());
  });

  it.each(successFiles)('maps %s to the exact numbers', async (name) => {
    const expected = EXPECTED[name]!;
    const report = await fetchServing(fixture(name));
    expect(report.totalMicros).toBe(expected.totalMicros);
    expect(report.extras).toEqual({ creditsUsedMicros: expected.creditsUsedMicros });
    expect(report.buckets).toEqual(expected.buckets.map(([startMs, costMicros]) => ({ startMs, durationMs: DAY_MS, costMicros })));
    expect(report.resources.map((r) => [r.id, r.costMicros])).toEqual(expected.resources);
    expect(report.dataThroughMs).toBe(expected.dataThroughMs);
    expect(report.notes).toEqual(expected.notes);
    expect(sum(report.resources.map((r) => r.costMicros))).toBe(expected.totalMicros);
  });

  it('maps every resource of the normal fixture with its kind, group, activity and daily series', async () => {
    const report = await fetchServing(fixture('baseten-usage-normal.json'));
    const byId = new Map(report.resources.map((r) => [r.id, r]));
    expect(byId.get('q8w2k9z')).toEqual({
      id: 'q8w2k9z',
      name: 'llama-3.1-8b-instruct / deployment-3',
      kind: 'deployment',
      costMicros: 216_000_000,
      activity: { requests: 133_300, minutes: 3_600 },
      dedicated: true,
      group: 'Dedicated',
      deleted: false,
      series: [
        { startMs: MAR(1), durationMs: DAY_MS, costMicros: 86_400_000, requests: 52_000 },
        { startMs: MAR(2), durationMs: DAY_MS, costMicros: 86_400_000, requests: 61_200 },
        { startMs: MAR(3), durationMs: DAY_MS, costMicros: 43_200_000, requests: 20_100 },
      ],
    });
    expect(byId.get('x1c4v7b')).toMatchObject({
      name: 'rag-pipeline / Preprocess',
      kind: 'deployment',
      dedicated: true,
      deleted: true,
      activity: { requests: 1_110, minutes: 625 },
    });
    expect(byId.get('x1c4v7b')?.series?.[1]).toEqual({ startMs: MAR(2), durationMs: DAY_MS, costMicros: 0, requests: 0 });
    expect(byId.get('tj5r6t7')).toMatchObject({
      name: 'my-training-project / sft-run-12',
      kind: 'training_job',
      dedicated: false,
      group: 'Training',
      deleted: false,
      activity: { minutes: 360 },
    });
    expect(byId.get('tj5r6t7')?.series?.map((b) => b.costMicros)).toEqual([0, 392_000_000, 196_000_000]);
    expect(byId.get('deepseek-ai/DeepSeek-V3.1')).toMatchObject({
      name: 'deepseek-ai/DeepSeek-V3.1',
      kind: 'model',
      dedicated: false,
      group: 'Model APIs',
      activity: {
        inputTokens: 6_000_000,
        outputTokens: 425_000,
        quantity: { amount: 1_500_000, unit: 'cached input tokens' },
      },
    });
    expect(byId.get('deepseek-ai/DeepSeek-V3.1')?.deleted).toBeUndefined();
  });

  it('turns the 429 fixture into rate_limited with its retry_after', async () => {
    fake.server.inject({ type: 'status', status: 429, body: fixture('baseten-error-429.json') });
    const error = await basetenAdapter.fetchUsage(FIXTURE_RANGE, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 37_000, status: 429 });
  });
});

describe('Baseten tricky cases', () => {
  it.each([
    [123.45, 123_450_000],
    ['123.45', 123_450_000],
    ['.5', 500_000],
    ['+1', 1_000_000],
    ['0012.50', 12_500_000],
    ['5.', 5_000_000],
    ['8.00000000000004', 8_000_000],
    [0.1, 100_000],
  ])('reads the money %j as exactly %i micro-dollars', async (money, micros) => {
    const report = await fetchServing({
      dedicated_usage: null,
      training_usage: null,
      model_apis_usage: { subtotal: money, credits_used: '0', total: money, breakdown: [] },
    });
    expect(report.totalMicros).toBe(micros);
  });

  it('shows section cost no listed resource accounts for as an "Other" resource', async () => {
    const body = fixture('baseten-usage-normal.json');
    body.dedicated_usage.total = '241.625';
    body.dedicated_usage.subtotal = 241.625;
    const report = await fetchServing(body);
    expect(report.totalMicros).toBe(836_625_000);
    expect(report.resources.find((r) => r.kind === 'other')).toEqual({
      id: 'dedicated:unattributed',
      name: 'Other Dedicated usage',
      kind: 'other',
      costMicros: 10_000_000,
      activity: {},
      dedicated: false,
      group: 'Dedicated',
    });
    expect(sum(report.resources.map((r) => r.costMicros))).toBe(report.totalMicros);
  });

  it('counts the daily rows and says so when a section total is below its resources', async () => {
    const body = fixture('baseten-usage-normal.json');
    body.training_usage.total = '500.00';
    const report = await fetchServing(body);
    // The total is the sum of the rows (issue 9): $88 above the section's own total.
    expect(report.totalMicros).toBe(826_625_000);
    expect(report.totalMicros).toBe(report.buckets.reduce((sum, bucket) => sum + bucket.costMicros, 0));
    expect(report.notes).toEqual([
      "Baseten's Training resources add up to $88.00 more than its total; Burnrate counts the daily rows.",
    ]);
  });

  it('ignores unknown keys and tolerates missing optional ones', async () => {
    const body = fixture('baseten-usage-normal.json');
    body.currency = 'usd';
    body.dedicated_usage.breakdown[1].billable_resource.chain_metadata.chainlet_id = 'cl1';
    body.dedicated_usage.breakdown[1].billable_resource.chain_metadata.chainlet_name = 'Preprocess';
    delete body.dedicated_usage.breakdown[1].billable_resource.model_name;
    delete body.dedicated_usage.breakdown[1].billable_resource.environment_name;
    const deployment = body.dedicated_usage.breakdown[0].billable_resource;
    for (const key of ['name', 'model_name', 'instance_type', 'environment_name', 'chain_metadata']) delete deployment[key];
    body.training_usage.breakdown[0].inference_requests = 7;
    body.model_apis_usage.minutes = 12;
    delete body.model_apis_usage.breakdown[1].model_family;
    delete body.model_apis_usage.breakdown[1].daily;
    delete body.training_usage.breakdown[0].billable_resource.kind;
    body.training_usage.breakdown[0].billable_resource.kind = 'FINE_TUNE_JOB';
    const report = await fetchServing(body);
    expect(report.totalMicros).toBe(826_625_000);
    expect(report.resources.find((r) => r.id === 'q8w2k9z')?.name).toBe('q8w2k9z');
    expect(report.resources.find((r) => r.id === 'x1c4v7b')?.name).toBe('rag-pipeline / Preprocess');
    expect(report.resources.find((r) => r.id === 'tj5r6t7')).toMatchObject({ kind: 'training_job', activity: { minutes: 360 } });
    expect(report.resources.find((r) => r.id === 'tj5r6t7')?.activity.requests).toBeUndefined();
    // Kimi has no daily rows now: its cost stays in the resource, not in the buckets.
    expect(report.resources.find((r) => r.id === 'moonshotai/Kimi-K2-Instruct')).toMatchObject({ costMicros: 1_750_000, series: [] });
    expect(sum(report.buckets.map((b) => b.costMicros))).toBe(826_625_000 - 1_750_000);
  });

  it('reads a missing section as null', async () => {
    const report = await fetchServing({ model_apis_usage: fixture('baseten-usage-with-credits.json').model_apis_usage });
    expect(report.totalMicros).toBe(7_000_000);
  });

  it('de-duplicates daily rows by resource and date across windows and within one answer', async () => {
    const range = { startMs: Date.UTC(2026, 0, 20), endMs: MAR(10) };
    const windowEdgeMs = Date.UTC(2026, 1, 20);
    const bogus = '999.00';
    const eachItem = (body: any, edit: (item: any) => void) => {
      for (const section of ['dedicated_usage', 'training_usage', 'model_apis_usage']) {
        for (const item of body[section]?.breakdown ?? []) edit(item);
      }
      return body;
    };
    // Window 1 [Jan 20, Feb 20) also returns a row for its end date, as an inclusive end_date would.
    fake.server.inject({
      type: 'drift',
      transform: (body) =>
        eachItem(body, (item) => item.daily.push({ ...item.daily.at(-1), date: '2026-02-20', subtotal: bogus })),
    });
    // Window 2 [Feb 20, Mar 10) repeats the day before it and lists its first day twice.
    fake.server.inject({
      type: 'drift',
      transform: (body) =>
        eachItem(body, (item) => {
          item.daily.unshift({ ...item.daily[0], date: '2026-02-19', subtotal: bogus });
          item.daily.push({ ...item.daily[1], subtotal: bogus });
        }),
    });
    const before = fake.server.requests.length;
    const report = await basetenAdapter.fetchUsage(range, context());
    expect(fake.server.requests.slice(before).map((r) => r.query.get('start_date'))).toEqual([
      '2026-01-20T00:00:00Z',
      '2026-02-20T00:00:00Z',
    ]);

    const truthByDay = new Map<number, number>();
    for (const resource of scenario.resources) {
      for (const { hourStartMs, usage } of hoursInRange(scenario, resource, range.startMs, range.endMs, NOW)) {
        const dayMs = Math.floor(hourStartMs / DAY_MS) * DAY_MS;
        truthByDay.set(dayMs, (truthByDay.get(dayMs) ?? 0) + usage.costMicros);
      }
    }
    expect(report.buckets.map((b) => [b.startMs, b.costMicros])).toEqual([...truthByDay.entries()]);
    expect(report.buckets.find((b) => b.startMs === windowEdgeMs)?.costMicros).toBe(truthByDay.get(windowEdgeMs));
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    for (const resource of report.resources) {
      const starts = resource.series?.map((b) => b.startMs) ?? [];
      expect(new Set(starts).size).toBe(starts.length);
    }
  });
});
