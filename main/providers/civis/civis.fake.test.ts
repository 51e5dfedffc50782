import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../core/money';
import { CIVIS_FAKE_ORG_ID, defaultCivisScenario, startCivisFake, type CivisFake } from './civis.fake';
import { HOUR_MS, truthMicros as scenarioTruthMicros } from '../fake/scenario';

const KEY = 'civis_fake_test_key_42';
const BASIC = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
const NOW = Date.UTC(2026, 3, 15, 12, 30); // Wednesday 2026-04-15 12:30 UTC

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;
}

function keysOf(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(fake: CivisFake, path: string, authorization: string | null = BASIC): Promise<Answer> {
  const response = await fetch(new URL(path, fake.baseUrl), { headers: authorization === null ? {} : { authorization } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

type Row = { id: number; runCreatedAt: string; credits: number; modelId: string; organizationId: number };

const APRIL_1 = '2026-04-01T00:00:00Z';
const APRIL_8 = '2026-04-08T00:00:00Z';
const weekQuery = `/usage/llm?org_id=7&start_date=${APRIL_1}&end_date=${APRIL_8}`;

let fake: CivisFake;

beforeAll(async () => {
  fake = await startCivisFake({ apiKey: KEY, now: () => NOW });
});
afterAll(async () => {
  await fake.stop();
});

describe('the Civis fake', () => {
  it('rejects a missing key with the 401 envelope of the fixture and a WWW-Authenticate header', async () => {
    const answer = await call(fake, weekQuery, null);
    expect(answer.status).toBe(401);
    expect(keysOf(answer.body)).toEqual(keysOf(fixture('civis-error-401.json')));
    expect(answer.body).toMatchObject({ error: 'unauthorized', code: 401 });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it.each([
    ['a wrong Basic key', `Basic ${Buffer.from('other_key:').toString('base64')}`],
    ['the key without the trailing colon', `Basic ${Buffer.from(KEY).toString('base64')}`],
    ['Bearer with a wrong key', 'Bearer other_key'],
  ])('rejects %s with 401', async (_name, header) => {
    const answer = await call(fake, weekQuery, header);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'unauthorized', errorDescription: 'Invalid or expired API key.', code: 401 });
    expect(answer.headers.get('www-authenticate')).toBeTruthy();
  });

  it('accepts Basic base64("<key>:") and Bearer with the right key', async () => {
    expect((await call(fake, weekQuery, BASIC)).status).toBe(200);
    expect((await call(fake, weekQuery, `Bearer ${KEY}`)).status).toBe(200);
  });

  it.each([
    ['org_id is missing', `/usage/llm?start_date=${APRIL_1}&end_date=${APRIL_8}`, /org_id is required/],
    ['org_id is not an integer', `/usage/llm?org_id=seven&start_date=${APRIL_1}&end_date=${APRIL_8}`, /org_id must be a positive integer/],
    ['end_date is missing', `/usage/llm?org_id=7&start_date=${APRIL_1}`, /both required/],
    ['start_date has no time zone', `/usage/llm?org_id=7&start_date=2026-04-01T00:00:00&end_date=${APRIL_8}`, /start_date must be an ISO-8601/],
    ['end_date is a bare date', `/usage/llm?org_id=7&start_date=${APRIL_1}&end_date=2026-04-08`, /end_date must be an ISO-8601/],
    ['start_date is not before end_date', `/usage/llm?org_id=7&start_date=${APRIL_8}&end_date=${APRIL_1}`, /before end_date/],
    ['organization_id is negative', '/usage_limits/llm?organization_id=-1', /positive integer/],
  ])('answers 400 in the error envelope when %s', async (_name, path, description) => {
    const answer = await call(fake, path);
    expect(answer.status).toBe(400);
    expect(keysOf(answer.body)).toEqual(['code', 'error', 'errorDescription']);
    expect((answer.body as { code: number }).code).toBe(400);
    expect((answer.body as { errorDescription: string }).errorDescription).toMatch(description);
  });

  it('answers 403 for an organization the key does not belong to', async () => {
    const answer = await call(fake, `/usage/llm?org_id=8&start_date=${APRIL_1}&end_date=${APRIL_8}`);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'forbidden', code: 403 });
  });

  it('serves runs created in [start_date, end_date) with exactly the fields of the fixture rows', async () => {
    const start = '2026-04-02T10:30:00Z';
    const end = '2026-04-03T07:15:00Z';
    const answer = await call(fake, `/usage/llm?org_id=7&start_date=${start}&end_date=${end}`);
    expect(answer.status).toBe(200);
    const rows = answer.body as Row[];
    expect(rows.length).toBeGreaterThan(20);
    const fixtureKeys = keysOf((fixture('civis-llm-usage-list.json') as unknown[])[0]);
    for (const row of rows) {
      expect(keysOf(row)).toEqual(fixtureKeys);
      const atMs = Date.parse(row.runCreatedAt);
      expect(atMs).toBeGreaterThanOrEqual(Date.parse(start));
      expect(atMs).toBeLessThan(Date.parse(end));
      expect(row.organizationId).toBe(CIVIS_FAKE_ORG_ID);
      // Credits are whole micro-credits, rendered exactly.
      expect(toMicros(row.credits) / 1_000_000).toBe(row.credits);
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });

  it('splits each model hour into one to four runs and names models by meta.modelId', async () => {
    const rows = (await call(fake, weekQuery)).body as Row[];
    const perHour = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.modelId}@${Math.floor(Date.parse(row.runCreatedAt) / HOUR_MS)}`;
      perHour.set(key, (perHour.get(key) ?? 0) + 1);
    }
    const counts = [...perHour.values()];
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    expect(new Set(counts).size).toBeGreaterThan(1);
    const modelIds = defaultCivisScenario().resources.map((resource) => resource.meta?.modelId);
    expect(new Set(rows.map((row) => row.modelId))).toEqual(new Set(modelIds));
  });

  it('reports truthMicros equal to the exact sum of the served credits and to the scenario truth', async () => {
    for (const [start, end] of [
      [APRIL_1, APRIL_8],
      ['2026-04-14T23:10:00Z', '2026-04-15T12:30:00Z'],
      ['2026-04-15T11:00:00Z', '2026-04-16T00:00:00Z'],
    ] as const) {
      const rows = (await call(fake, `/usage/llm?org_id=7&start_date=${start}&end_date=${end}`)).body as Row[];
      const served = rows.reduce((sum, row) => sum + toMicros(row.credits), 0);
      const range = { startMs: Date.parse(start), endMs: Date.parse(end) };
      expect(fake.truthMicros(range)).toBe(served);
      expect(served).toBe(scenarioTruthMicros(defaultCivisScenario(), range.startMs, range.endMs, NOW));
      expect(served).toBeGreaterThan(0);
    }
  });

  it('records nothing after now minus the lag, so the current hour is partial', async () => {
    const lagging = await startCivisFake({ apiKey: KEY, now: () => NOW, lagMs: 2 * HOUR_MS });
    try {
      const rows = (await call(lagging, `/usage/llm?org_id=7&start_date=2026-04-15T00:00:00Z&end_date=2026-04-16T00:00:00Z`)).body as Row[];
      const latest = Math.max(...rows.map((row) => Date.parse(row.runCreatedAt)));
      expect(latest).toBeLessThan(NOW - 2 * HOUR_MS);
      expect(latest).toBeGreaterThanOrEqual(NOW - 3 * HOUR_MS);
      const full = fake.truthMicros({ startMs: Date.UTC(2026, 3, 15, 10), endMs: Date.UTC(2026, 3, 15, 11) });
      const partial = lagging.truthMicros({ startMs: Date.UTC(2026, 3, 15, 10), endMs: Date.UTC(2026, 3, 15, 11) });
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(full);
    } finally {
      await lagging.stop();
    }
  });

  it('pages /usage/llm with page_num and X-Pagination headers when pageSize is set', async () => {
    const paged = await startCivisFake({ apiKey: KEY, now: () => NOW, pageSize: 100 });
    try {
      const all = (await call(fake, weekQuery)).body as Row[];
      const first = await call(paged, weekQuery);
      const totalPages = Number(first.headers.get('x-pagination-total-pages'));
      expect(totalPages).toBe(Math.ceil(all.length / 100));
      expect(first.headers.get('x-pagination-total-entries')).toBe(String(all.length));
      expect(first.headers.get('x-pagination-per-page')).toBe('100');
      expect(first.headers.get('x-pagination-current-page')).toBe('1');
      const rows = [...(first.body as Row[])];
      for (let page = 2; page <= totalPages + 1; page += 1) {
        const answer = await call(paged, `${weekQuery}&page_num=${page}`);
        expect(answer.headers.get('x-pagination-current-page')).toBe(String(page));
        rows.push(...(answer.body as Row[]));
      }
      expect(rows).toEqual(all);
      expect((await call(paged, `${weekQuery}&page_num=0`)).status).toBe(400);
      expect((await call(fake, weekQuery)).headers.get('x-pagination-total-pages')).toBeNull();
    } finally {
      await paged.stop();
    }
  });

  it('serves the credit limit in the fixture shape, with a configurable hardLimit or none', async () => {
    const answer = await call(fake, '/usage_limits/llm?organization_id=7');
    expect(answer.status).toBe(200);
    const limits = answer.body as Array<Record<string, unknown>>;
    expect(limits).toHaveLength(1);
    expect(keysOf(limits[0])).toEqual(keysOf((fixture('civis-usage-limits-llm.json') as unknown[])[0]));
    expect(limits[0]).toMatchObject({ organizationId: 7, hardLimit: 10_000 });
    const custom = await startCivisFake({ apiKey: KEY, now: () => NOW, hardLimit: 50_000 });
    const none = await startCivisFake({ apiKey: KEY, now: () => NOW, hardLimit: null });
    try {
      expect(((await call(custom, '/usage_limits/llm')).body as Array<{ hardLimit: number }>)[0]?.hardLimit).toBe(50_000);
      expect((await call(none, '/usage_limits/llm?organization_id=7')).body).toEqual([]);
    } finally {
      await custom.stop();
      await none.stop();
    }
  });

  it('serves matching record counts in the fixture shape, without any cost', async () => {
    const answer = await call(fake, `/usage/matching?org_id=7&start_date=${APRIL_1}&end_date=2026-04-15T00:00:00Z`);
    const rows = answer.body as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(3);
    const fixtureKeys = keysOf((fixture('civis-matching-usage-list.json') as unknown[])[0]);
    for (const row of rows) {
      expect(keysOf(row)).toEqual(fixtureKeys);
      expect(row).not.toHaveProperty('credits');
    }
    const idr = (await call(fake, `/usage/matching?task=IDR&start_date=${APRIL_1}&end_date=2026-04-15T00:00:00Z`)).body as Array<{ task: string }>;
    expect(idr.length).toBeGreaterThan(0);
    expect(idr.every((row) => row.task === 'IDR')).toBe(true);
    expect((await call(fake, '/usage/matching?task=XYZ')).status).toBe(400);
  });

  it('serves an organization summary whose credits equal the sum of the runs', async () => {
    const answer = await call(fake, `/usage/llm/organization/7/summary?start_date=${APRIL_1}&end_date=${APRIL_8}`);
    expect(keysOf(answer.body)).toEqual(keysOf(fixture('civis-llm-org-summary.json')));
    const credits = (answer.body as { credits: number }).credits;
    expect(toMicros(credits)).toBe(fake.truthMicros({ startMs: Date.parse(APRIL_1), endMs: Date.parse(APRIL_8) }));
  });

  it('answers unknown paths with the 404 envelope of the fixture', async () => {
    const answer = await call(fake, '/usage/llm/organization/7/nothing');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(fixture('civis-error-404.json'));
  });

  it('answers the same request with the same body every time', async () => {
    const first = await call(fake, weekQuery);
    const second = await call(fake, weekQuery);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(first.headers.get('x-ratelimit-remaining')));
  });

  it('serves a month-long range of realistic volume quickly', async () => {
    const started = Date.now();
    const rows = (await call(fake, `/usage/llm?org_id=7&start_date=2026-03-01T00:00:00Z&end_date=2026-04-01T00:00:00Z`)).body as Row[];
    expect(rows.length).toBeGreaterThan(31 * 24 * 5);
    expect(rows.length).toBeLessThanOrEqual(31 * 24 * 5 * 4);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
