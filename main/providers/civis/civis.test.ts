import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CIVIS_FAKE_ORG_ID, defaultCivisScenario, startCivisFake, type CivisFake } from './civis.fake';
import { microsToDecimalString } from '../fake/scenario';
import { productToMicros, toMicros } from '../../core/money';
import { DAY_MS, HOUR_MS, type TimeRange, type UsageReport } from '../../core/report';
import { createHttpClient, type HttpClient } from '../http';
import type { ProviderContext } from '../types';
import { CIVIS_DEFAULT_BASE_URL, civisAdapter, type CivisSettings } from './civis';
import { llmOrgSummarySchema, llmUsageRowSchema, matchingUsageListSchema } from './civis.schema';

const SECRET = 'civ_live_SECRET_9f8e7d6c5b4a3210';
const NOW = Date.UTC(2026, 3, 15, 12, 30); // Wednesday 2026-04-15 12:30 UTC
const APRIL: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 4, 1) };
const FIRST_WEEK: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 8) };
const FAKE_HARD_LIMIT = 50_000;

let fake: CivisFake;
const http = createHttpClient({ timeoutMs: 10_000 });

beforeAll(async () => {
  fake = await startCivisFake({ apiKey: SECRET, now: () => NOW, hardLimit: FAKE_HARD_LIMIT });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

function context(settings: Record<string, unknown> = {}, baseUrl = fake.baseUrl, client: HttpClient = http): ProviderContext<CivisSettings> {
  return { http: client, apiKey: SECRET, nowMs: NOW, settings: civisAdapter.settingsSchema.parse({ orgId: 7, baseUrl, ...settings }) };
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;
}

/** Serves `body` instead of the next /usage/llm answer (the fake still checks auth and parameters). */
function serveUsage(body: unknown): void {
  fake.server.inject({ type: 'drift', transform: () => body }, { path: '/usage/llm' });
}

/** Adds rows to the next /usage/llm answer. */
function extendUsage(extra: (rows: Array<Record<string, unknown>>) => Array<Record<string, unknown>>): void {
  fake.server.inject({ type: 'drift', transform: (body) => [...(body as Array<Record<string, unknown>>), ...extra(body as Array<Record<string, unknown>>)] }, { path: '/usage/llm' });
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** Order, alignment, uniqueness and exact sums every Civis report must have. */
function expectConsistent(report: UsageReport): void {
  expect(report.provider).toBe('civis');
  expect(report.granularityMs).toBe(HOUR_MS);
  const starts = report.buckets.map((bucket) => bucket.startMs);
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  expect(new Set(starts).size).toBe(starts.length);
  for (const bucket of report.buckets) {
    expect(bucket.startMs % HOUR_MS).toBe(0);
    expect(bucket.durationMs).toBe(HOUR_MS);
    expect(Number.isSafeInteger(bucket.costMicros)).toBe(true);
  }
  expect(sum(report.buckets.map((bucket) => bucket.costMicros))).toBe(report.totalMicros);
  expect(sum(report.resources.map((resource) => resource.costMicros))).toBe(report.totalMicros);
  const costs = report.resources.map((resource) => resource.costMicros);
  expect(costs).toEqual([...costs].sort((a, b) => b - a));
  for (const resource of report.resources) {
    const series = resource.series ?? [];
    expect(sum(series.map((bucket) => bucket.costMicros))).toBe(resource.costMicros);
    const seriesStarts = series.map((bucket) => bucket.startMs);
    expect(seriesStarts).toEqual([...seriesStarts].sort((a, b) => a - b));
    expect(new Set(seriesStarts).size).toBe(seriesStarts.length);
  }
}

describe('civisAdapter against the loopback fake', () => {
  it('reports the exact credit total of a multi-day range, to the micro-credit', async () => {
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    const truth = fake.truthMicros(FIRST_WEEK);
    expect(truth).toBeGreaterThan(100_000_000);
    expect(report.unit).toBe('credits');
    expect(report.totalMicros).toBe(truth);
    expect(report.extras.creditsMicros).toBe(truth);
    expect(report.buckets).toHaveLength(7 * 24);
    expect(report.range).toEqual(FIRST_WEEK);
    expectConsistent(report);
    expect(report.notes.join(' ')).toMatch(/stays out of money totals until you set a USD-per-credit rate \(the "usdPerCredit" setting/);
  });

  it('converts credits to dollars with one exact multiplication when usdPerCredit is set', async () => {
    const credits = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    const dollars = await civisAdapter.fetchUsage(FIRST_WEEK, context({ usdPerCredit: 0.0137 }));
    const truth = fake.truthMicros(FIRST_WEEK);
    expect(dollars.unit).toBe('usd');
    expect(dollars.totalMicros).toBe(productToMicros(microsToDecimalString(truth), '0.0137'));
    expect(dollars.extras.creditsMicros).toBe(truth);
    expectConsistent(dollars);
    // Each bucket is its own exact product, give or take the one micro the split hands out.
    expect(dollars.buckets.map((bucket) => bucket.startMs)).toEqual(credits.buckets.map((bucket) => bucket.startMs));
    dollars.buckets.forEach((bucket, index) => {
      const exact = productToMicros(microsToDecimalString(credits.buckets[index]!.costMicros), '0.0137');
      expect(Math.abs(bucket.costMicros - exact)).toBeLessThanOrEqual(1);
    });
    expect(dollars.notes.join(' ')).toMatch(/\$0\.0137 per credit/);
    expect(dollars.notes.join(' ')).not.toMatch(/stays out of money totals/);
  });

  it('includes the partial current hour when the range ends now', async () => {
    const range = { startMs: Date.UTC(2026, 3, 1), endMs: NOW };
    const report = await civisAdapter.fetchUsage(range, context());
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.buckets.at(-1)?.startMs).toBe(Date.UTC(2026, 3, 15, 12));
    expect(report.dataThroughMs).toBe(NOW);
    expectConsistent(report);
  });

  it('caps dataThroughMs at now when the range reaches into the future', async () => {
    const report = await civisAdapter.fetchUsage(APRIL, context());
    expect(report.totalMicros).toBe(fake.truthMicros(APRIL));
    expect(report.dataThroughMs).toBe(NOW);
  });

  it('holds dataThroughMs at the end of the last recorded hour when Civis lags', async () => {
    const lagging = await startCivisFake({ apiKey: SECRET, now: () => NOW, lagMs: 2 * HOUR_MS });
    try {
      const range = { startMs: Date.UTC(2026, 3, 14), endMs: NOW };
      const report = await civisAdapter.fetchUsage(range, context({}, lagging.baseUrl));
      expect(report.totalMicros).toBe(lagging.truthMicros(range));
      expect(report.totalMicros).toBeLessThan(fake.truthMicros(range));
      expect(report.buckets.at(-1)?.startMs).toBe(Date.UTC(2026, 3, 15, 10));
      expect(report.dataThroughMs).toBe(Date.UTC(2026, 3, 15, 11));
    } finally {
      await lagging.stop();
    }
  });

  it('reports a range without runs as zero with null dataThroughMs', async () => {
    const future = { startMs: Date.UTC(2026, 3, 20), endMs: Date.UTC(2026, 3, 21) };
    const report = await civisAdapter.fetchUsage(future, context({ usdPerCredit: 0.01 }));
    expect(report.totalMicros).toBe(0);
    expect(report.buckets).toEqual([]);
    expect(report.resources).toEqual([]);
    expect(report.dataThroughMs).toBeNull();
    expect(report.extras.creditsMicros).toBe(0);
  });

  it('breaks usage down per model, most expensive first, with runs, tokens and minutes', async () => {
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    const modelIds = defaultCivisScenario().resources.map((resource) => resource.meta?.modelId);
    expect(new Set(report.resources.map((resource) => resource.id))).toEqual(new Set(modelIds));
    for (const resource of report.resources) {
      expect(resource.kind).toBe('model');
      expect(resource.dedicated).toBe(false);
      expect(resource.name).toBe(resource.id);
      expect(resource.group).toBe('LLM');
      expect(resource.activity.events).toBeGreaterThanOrEqual(7 * 24);
      expect(resource.activity.inputTokens).toBeGreaterThan(0);
      expect(resource.activity.outputTokens).toBeGreaterThan(0);
      expect(resource.activity.minutes).toBeGreaterThan(0);
      expect(resource.activity.quantity).toEqual({ amount: resource.costMicros / 1_000_000, unit: 'credits' });
      expect(resource.series).toHaveLength(7 * 24);
    }
    // Each model's cost is the fake's truth for that model alone.
    const scenario = defaultCivisScenario();
    const sonnet = scenario.resources.find((resource) => resource.id === 'sonnet')!;
    const only = await startCivisFake({ apiKey: SECRET, now: () => NOW, scenario: { ...scenario, resources: [sonnet] } });
    try {
      expect(report.resources.find((resource) => resource.id === sonnet.meta?.modelId)?.costMicros).toBe(only.truthMicros(FIRST_WEEK));
    } finally {
      await only.stop();
    }
  });

  it('sends Basic auth with the key as user name, the org id and both bounds in UTC', async () => {
    const before = fake.server.requests.length;
    await civisAdapter.fetchUsage(FIRST_WEEK, context());
    const requests = fake.server.requests.slice(before);
    expect(requests.map((request) => request.path).sort()).toEqual(['/usage/llm', '/usage/matching', '/usage_limits/llm']);
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`);
    }
    const usage = requests.find((request) => request.path === '/usage/llm')!;
    expect(Object.fromEntries(usage.query)).toEqual({
      org_id: '7',
      start_date: '2026-04-01T00:00:00Z',
      end_date: '2026-04-08T00:00:00Z',
    });
    const limits = requests.find((request) => request.path === '/usage_limits/llm')!;
    expect(Object.fromEntries(limits.query)).toEqual({ organization_id: '7' });
    const matching = requests.find((request) => request.path === '/usage/matching')!;
    expect(Object.fromEntries(matching.query)).toEqual({ org_id: '7', start_date: '2026-04-01T00:00:00Z', end_date: '2026-04-08T00:00:00Z' });
  });

  it('keeps millisecond bounds exact and counts only runs inside them', async () => {
    const range = { startMs: Date.UTC(2026, 3, 2, 9, 17, 3, 250), endMs: Date.UTC(2026, 3, 3, 1, 0, 0, 5) };
    const before = fake.server.requests.length;
    const report = await civisAdapter.fetchUsage(range, context());
    const usage = fake.server.requests.slice(before).find((request) => request.path === '/usage/llm')!;
    expect(usage.query.get('start_date')).toBe('2026-04-02T09:17:03.250Z');
    expect(usage.query.get('end_date')).toBe('2026-04-03T01:00:00.005Z');
    expect(report.totalMicros).toBe(fake.truthMicros(range));
    expect(report.buckets[0]?.startMs).toBe(Date.UTC(2026, 3, 2, 9));
    expectConsistent(report);
  });

  it('reads the credit hard limit of the organization and the rate-limit headers', async () => {
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.extras.creditHardLimit).toBe(FAKE_HARD_LIMIT);
    expect(report.extras.rateLimit?.limit).toBe(1000);
    expect(report.extras.rateLimit?.remaining).toBeLessThan(1000);
  });

  it('leaves creditHardLimit out when the organization has no limit', async () => {
    const unlimited = await startCivisFake({ apiKey: SECRET, now: () => NOW, hardLimit: null });
    try {
      const report = await civisAdapter.fetchUsage(FIRST_WEEK, context({}, unlimited.baseUrl));
      expect(report.extras).not.toHaveProperty('creditHardLimit');
      expect(report.totalMicros).toBe(unlimited.truthMicros(FIRST_WEEK));
    } finally {
      await unlimited.stop();
    }
  });

  it('stays exact over a month of runs', async () => {
    const march = { startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 3, 1) };
    const report = await civisAdapter.fetchUsage(march, context({ usdPerCredit: 0.021 }));
    const truth = fake.truthMicros(march);
    expect(report.extras.creditsMicros).toBe(truth);
    expect(report.totalMicros).toBe(productToMicros(microsToDecimalString(truth), 0.021));
    expect(report.buckets).toHaveLength(31 * 24);
    expectConsistent(report);
  });

  it('answers an empty range without calling Civis', async () => {
    const before = fake.server.requests.length;
    const report = await civisAdapter.fetchUsage({ startMs: NOW, endMs: NOW }, context());
    expect(fake.server.requests.length).toBe(before);
    expect(report.totalMicros).toBe(0);
    expect(report.dataThroughMs).toBeNull();
  });
});

describe('civisAdapter on the Civis fixtures', () => {
  const expectedBuckets = [
    { startMs: Date.parse('2026-04-02T14:00:00Z'), credits: 1_250_000 },
    { startMs: Date.parse('2026-04-02T15:00:00Z'), credits: 875_000 },
    { startMs: Date.parse('2026-04-05T09:00:00Z'), credits: 62_500 },
    { startMs: Date.parse('2026-04-09T21:00:00Z'), credits: 3_500_000 },
  ];

  it('maps civis-llm-usage-list.json to exact hourly and per-model credits', async () => {
    serveUsage(fixture('civis-llm-usage-list.json'));
    const report = await civisAdapter.fetchUsage(APRIL, context());
    expect(report.totalMicros).toBe(5_687_500);
    // The organization summary of the same range agrees with the sum of the runs.
    expect(report.totalMicros).toBe(toMicros((fixture('civis-llm-org-summary.json') as { credits: number }).credits));
    expect(report.buckets).toEqual(expectedBuckets.map(({ startMs, credits }) => ({ startMs, durationMs: HOUR_MS, costMicros: credits })));
    expect(report.dataThroughMs).toBe(Date.parse('2026-04-09T22:00:00Z'));
    expect(report.resources.map(({ id, costMicros, activity }) => ({ id, costMicros, activity }))).toEqual([
      {
        id: 'anthropic.claude-3-5-sonnet',
        costMicros: 5_625_000,
        activity: { events: 3, inputTokens: 90_690, outputTokens: 12_940, minutes: 3.32, quantity: { amount: 5.625, unit: 'credits' } },
      },
      {
        id: 'anthropic.claude-3-haiku',
        costMicros: 62_500,
        activity: { events: 1, inputTokens: 3_100, outputTokens: 240, minutes: 0.13, quantity: { amount: 0.0625, unit: 'credits' } },
      },
    ]);
    expect(report.resources[1]?.series).toEqual([{ startMs: Date.parse('2026-04-05T09:00:00Z'), durationMs: HOUR_MS, costMicros: 62_500 }]);
    expectConsistent(report);
  });

  it('maps civis-llm-usage-list.json to dollars at 0.5 USD per credit', async () => {
    serveUsage(fixture('civis-llm-usage-list.json'));
    const report = await civisAdapter.fetchUsage(APRIL, context({ usdPerCredit: 0.5 }));
    expect(report.unit).toBe('usd');
    expect(report.totalMicros).toBe(2_843_750);
    expect(report.extras.creditsMicros).toBe(5_687_500);
    expect(report.buckets.map((bucket) => bucket.costMicros)).toEqual([625_000, 437_500, 31_250, 1_750_000]);
    expect(report.resources.map((resource) => resource.costMicros)).toEqual([2_812_500, 31_250]);
  });

  it('rounds the total once and hands the leftover micro to the largest remainder', async () => {
    serveUsage(fixture('civis-llm-usage-list.json'));
    const report = await civisAdapter.fetchUsage(APRIL, context({ usdPerCredit: 0.3333 }));
    // 5.6875 × 0.3333 = 1.89564375 → $1.895644; the bucket products are 0.416625, 0.2916375, 0.02083125, 1.16655.
    expect(report.totalMicros).toBe(1_895_644);
    expect(report.buckets.map((bucket) => bucket.costMicros)).toEqual([416_625, 291_638, 20_831, 1_166_550]);
    expect(report.resources.map((resource) => resource.costMicros)).toEqual([1_874_813, 20_831]);
    expect(report.resources[0]?.series?.map((bucket) => bucket.costMicros)).toEqual([416_625, 291_638, 1_166_550]);
    expectConsistent(report);
  });

  it('maps civis-llm-usage-empty.json to an empty report', async () => {
    serveUsage(fixture('civis-llm-usage-empty.json'));
    const report = await civisAdapter.fetchUsage(APRIL, context());
    expect(report.totalMicros).toBe(0);
    expect(report.buckets).toEqual([]);
    expect(report.resources).toEqual([]);
    expect(report.dataThroughMs).toBeNull();
  });

  it('reads hardLimit from civis-usage-limits-llm.json', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('civis-usage-limits-llm.json') }, { path: '/usage_limits/llm' });
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.extras.creditHardLimit).toBe(10_000);
  });

  it('picks the limit of the configured organization, the newest if several', async () => {
    fake.server.inject(
      {
        type: 'drift',
        transform: () => [
          { id: 1, organizationId: 8, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2026-03-01T00:00:00Z', hardLimit: 100_000 },
          { id: 2, organizationId: 7, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-06-01T00:00:00Z', hardLimit: 1_000 },
          { id: 3, organizationId: 7, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2026-02-01T00:00:00Z', hardLimit: 50_000 },
        ],
      },
      { path: '/usage_limits/llm' },
    );
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.extras.creditHardLimit).toBe(50_000);
  });

  it('parses the item, organization summary and matching fixtures exactly', () => {
    const item = llmUsageRowSchema.parse(fixture('civis-llm-usage-item.json'));
    expect(item).toMatchObject({ id: 9001, credits: 1_250_000, runCreatedAt: Date.parse('2026-04-02T14:03:11Z'), runTime: 42 });
    expect(llmOrgSummarySchema.parse(fixture('civis-llm-org-summary.json'))).toEqual({ credits: 5_687_500, organizationId: 7 });
    expect(llmOrgSummarySchema.parse(fixture('civis-llm-org-summary-empty.json'))).toEqual({ credits: 0, organizationId: 7 });
    const matching = matchingUsageListSchema.parse(fixture('civis-matching-usage-list.json'));
    expect(sum(matching.map((row) => row.numRecords))).toBe(2_910_000);
    expect(matching.map((row) => row.task)).toEqual(['IDR', 'CDM']);
  });
});

describe('civisAdapter on tricky Civis answers', () => {
  it('follows X-Pagination-Total-Pages with page_num and stays exact', async () => {
    const paged = await startCivisFake({ apiKey: SECRET, now: () => NOW, pageSize: 200 });
    try {
      const before = paged.server.requests.length;
      const report = await civisAdapter.fetchUsage(FIRST_WEEK, context({}, paged.baseUrl));
      expect(report.totalMicros).toBe(paged.truthMicros(FIRST_WEEK));
      const pages = paged.server.requests.slice(before).filter((request) => request.path === '/usage/llm').map((request) => request.query.get('page_num'));
      expect(pages.length).toBeGreaterThan(3);
      expect(pages).toEqual([null, ...pages.slice(1).map((_, index) => String(index + 2))]);
      expect(report.notes.join(' ')).not.toMatch(/pages/);
    } finally {
      await paged.stop();
    }
  });

  it('stops after 100 pages and says the total may be too low', async () => {
    const tiny = await startCivisFake({ apiKey: SECRET, now: () => NOW, pageSize: 1 });
    try {
      const day = { startMs: Date.UTC(2026, 3, 6), endMs: Date.UTC(2026, 3, 7) };
      const before = tiny.server.requests.length;
      const report = await civisAdapter.fetchUsage(day, context({}, tiny.baseUrl));
      const usageCalls = tiny.server.requests.slice(before).filter((request) => request.path === '/usage/llm');
      expect(usageCalls).toHaveLength(100);
      expect(report.resources.reduce((runs, resource) => runs + (resource.activity.events ?? 0), 0)).toBe(100);
      expect(report.totalMicros).toBeLessThan(tiny.truthMicros(day));
      expect(report.notes.join(' ')).toMatch(/read the first 100, so the totals may be too low/);
    } finally {
      await tiny.stop();
    }
  });

  it('counts a run once when it appears twice', async () => {
    extendUsage((rows) => rows.slice(0, 5));
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.totalMicros).toBe(fake.truthMicros(FIRST_WEEK));
  });

  it('ignores runs of other organizations and says so', async () => {
    extendUsage((rows) => [{ ...rows[0], id: 1, organizationId: CIVIS_FAKE_ORG_ID + 1, credits: 99 }]);
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.totalMicros).toBe(fake.truthMicros(FIRST_WEEK));
    expect(report.notes.join(' ')).toMatch(/1 run\(s\) of other organizations; only organization 7 is counted/);
  });

  it('treats end_date as exclusive even if Civis includes a run created exactly then', async () => {
    extendUsage((rows) => [
      { ...rows[0], id: 2, runCreatedAt: '2026-04-08T00:00:00.000Z', credits: 12.5 },
      { ...rows[0], id: 3, runCreatedAt: '2026-03-31T23:59:59.999Z', credits: 7 },
    ]);
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.totalMicros).toBe(fake.truthMicros(FIRST_WEEK));
    expect(report.buckets.at(-1)?.startMs).toBe(FIRST_WEEK.endMs - HOUR_MS);
  });

  it('reads float credits with artefacts exactly and buckets runs by their UTC start hour', async () => {
    const rows = fixture('civis-llm-usage-list.json') as Array<Record<string, unknown>>;
    serveUsage([
      { ...rows[0], credits: 0.30000000000000004, runCreatedAt: '2026-04-02T14:59:59.999+00:00' },
      { ...rows[1], credits: 1e-7, runCreatedAt: '2026-04-02T11:00:00-04:00' },
    ]);
    const report = await civisAdapter.fetchUsage(APRIL, context());
    expect(report.totalMicros).toBe(300_000);
    expect(report.buckets.map((bucket) => bucket.startMs)).toEqual([Date.UTC(2026, 3, 2, 14), Date.UTC(2026, 3, 2, 15)]);
    expect(report.buckets.map((bucket) => bucket.costMicros)).toEqual([300_000, 0]);
  });

  it('accepts extra unknown fields in rows', async () => {
    fake.server.inject(
      { type: 'drift', transform: (body) => (body as Array<Record<string, unknown>>).map((row) => ({ ...row, billingTier: 'standard', cachedTokens: 0 })) },
      { path: '/usage/llm' },
    );
    const report = await civisAdapter.fetchUsage(FIRST_WEEK, context());
    expect(report.totalMicros).toBe(fake.truthMicros(FIRST_WEEK));
  });
});

describe('civisAdapter settings', () => {
  const parse = (input: unknown) => civisAdapter.settingsSchema.safeParse(input);
  const firstMessage = (input: unknown): string => {
    const result = parse(input);
    expect(result.success).toBe(false);
    return result.success ? '' : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  };

  it('fills in the default base URL and leaves the rate unset', () => {
    expect(civisAdapter.settingsSchema.parse({ orgId: 7 })).toEqual({ baseUrl: CIVIS_DEFAULT_BASE_URL, orgId: 7 });
    expect(CIVIS_DEFAULT_BASE_URL).toBe('https://api.civisanalytics.com');
  });

  it('keeps a rate and a custom base URL without its trailing slash', () => {
    expect(civisAdapter.settingsSchema.parse({ orgId: 12, usdPerCredit: 0.0125, baseUrl: 'https://civis.example.com/api/' })).toEqual({
      orgId: 12,
      usdPerCredit: 0.0125,
      baseUrl: 'https://civis.example.com/api',
    });
  });

  it('rejects unknown keys', () => {
    expect(firstMessage({ orgId: 7, apiKey: 'x' })).toMatch(/apiKey/);
    expect(firstMessage({ orgId: 7, org_id: 7 })).toMatch(/org_id/);
  });

  it.each([
    [{}, /orgId is required/],
    [{ orgId: 0 }, /orgId must be a positive organization id/],
    [{ orgId: -3 }, /orgId must be a positive organization id/],
    [{ orgId: 1.5 }, /orgId must be a whole number/],
    [{ orgId: '7' }, /orgId must be a number/],
    [{ orgId: 7, usdPerCredit: 0 }, /usdPerCredit must be greater than 0/],
    [{ orgId: 7, usdPerCredit: -0.01 }, /usdPerCredit must be greater than 0/],
    [{ orgId: 7, usdPerCredit: '0.01' }, /usdPerCredit must be a number of US dollars per Civis credit/],
    [{ orgId: 7, usdPerCredit: 1e9 }, /usdPerCredit must be at most 10000/],
    [{ orgId: 7, baseUrl: 'ftp://api.civisanalytics.com' }, /baseUrl: must be an http\(s\) URL/],
    [{ orgId: 7, baseUrl: 'not a url' }, /baseUrl: must be an http\(s\) URL/],
  ])('rejects %j with a clear message', (input, message) => {
    expect(firstMessage(input)).toMatch(message);
  });

  it('describes orgId, usdPerCredit and baseUrl in the form, never the API key', () => {
    expect(civisAdapter.settings.map((field) => field.key)).toEqual(['orgId', 'usdPerCredit', 'baseUrl']);
    expect(civisAdapter.settings.find((field) => field.key === 'orgId')?.required).toBe(true);
    expect(civisAdapter.settings.some((field) => field.kind === 'secret')).toBe(false);
    expect(civisAdapter.id).toBe('civis');
    expect(civisAdapter.displayName).toBe('Civis');
    expect(civisAdapter.minRefreshMs).toBeGreaterThanOrEqual(60_000);
    expect(civisAdapter.minRefreshMs).toBeLessThanOrEqual(DAY_MS);
  });
});
