/* eslint-disable @typescript-eslint/no-explicit-any -- these tests edit raw JSON answers freely */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../core/money';
import {
  basetenRateLimitFault,
  defaultBasetenScenario,
  renderBasetenMoney,
  startBasetenFake,
  type BasetenFake,
  type BasetenFakeOptions,
} from './baseten.fake';
import { DAY_MS, HOUR_MS, type Scenario } from '../fake/scenario';

const KEY = 'bt_fake_test_key_0123456789';
const NOW = Date.UTC(2026, 2, 10, 14, 37, 12, 345);
const MARCH_1 = '2026-03-01T00:00:00Z';
const MARCH_4 = '2026-03-04T00:00:00Z';
/** Baseten's published money pattern (OpenAPI `anyOf: number | string matching this`). */
const MONEY_PATTERN = /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/;

let fake: BasetenFake;

beforeAll(async () => {
  fake = await startBasetenFake({ apiKey: KEY, now: () => NOW });
});
afterAll(async () => {
  await fake.stop();
});

interface Answer {
  status: number;
  body: any;
}

async function call(
  query: Record<string, string>,
  options: { auth?: string | null; base?: string; path?: string } = {},
): Promise<Answer> {
  const url = new URL(`${options.base ?? fake.baseUrl}${options.path ?? '/v1/billing/usage_summary'}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  const auth = options.auth === undefined ? `Api-Key ${KEY}` : options.auth;
  const response = await fetch(url, { headers: auth === null ? {} : { authorization: auth } });
  return { status: response.status, body: await response.json() };
}

async function withFake<T>(options: Omit<BasetenFakeOptions, 'apiKey'>, use: (other: BasetenFake) => Promise<T>): Promise<T> {
  const other = await startBasetenFake({ apiKey: KEY, now: () => NOW, ...options });
  try {
    return await use(other);
  } finally {
    await other.stop();
  }
}

const range = { start_date: MARCH_1, end_date: MARCH_4 };
const SECTIONS = ['dedicated_usage', 'training_usage', 'model_apis_usage'] as const;

function moneyValues(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const entry of value) moneyValues(entry, found);
  else if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (['subtotal', 'credits_used', 'total'].includes(key)) found.push(entry);
      else moneyValues(entry, found);
    }
  }
  return found;
}

describe('the Baseten fake', () => {
  it('accepts only the exact Authorization: Api-Key header', async () => {
    expect((await call(range)).status).toBe(200);
    for (const auth of [null, '', `Bearer ${KEY}`, `api-key ${KEY}`, `Api-Key ${KEY}x`, 'Api-Key wrong', KEY]) {
      const answer = await call(range, { auth });
      expect(answer.status, `header ${String(auth)}`).toBe(401);
      expect(Object.keys(answer.body)).toEqual(['error']);
      expect(typeof answer.body.error).toBe('string');
    }
  });

  it.each([
    ['start_date is missing', { end_date: MARCH_4 }],
    ['end_date is missing', { start_date: MARCH_1 }],
    ['a bound is a date without a time', { start_date: '2026-03-01', end_date: MARCH_4 }],
    ['a bound has no time zone', { start_date: '2026-03-01T00:00:00', end_date: MARCH_4 }],
    ['a bound is not a date', { start_date: 'yesterday', end_date: MARCH_4 }],
    ['the start is before 2026-01-01', { start_date: '2025-12-31T23:59:59Z', end_date: MARCH_4 }],
    ['the end equals the start', { start_date: MARCH_1, end_date: MARCH_1 }],
    ['the end is before the start', { start_date: MARCH_4, end_date: MARCH_1 }],
    ['the range is over 31 days', { start_date: MARCH_1, end_date: '2026-04-01T00:00:01Z' }],
  ])('answers 400 with an error body when %s', async (_what, query) => {
    const answer = await call(query);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body)).toEqual(['error']);
  });

  it('accepts exactly 31 days, offsets and milliseconds', async () => {
    expect((await call({ start_date: MARCH_1, end_date: '2026-04-01T00:00:00Z' })).status).toBe(200);
    expect((await call({ start_date: '2026-03-01T02:00:00+02:00', end_date: '2026-03-04T00:00:00.500Z' })).status).toBe(200);
  });

  it('answers 404 for another path', async () => {
    const answer = await call(range, { path: '/v1/billing/usage' });
    expect(answer.status).toBe(404);
    expect(Object.keys(answer.body)).toEqual(['error']);
  });

  it('answers sums that agree at every level and with the scenario truth', async () => {
    const query = { start_date: '2026-03-01T05:30:00Z', end_date: '2026-03-09T00:00:00Z' };
    const { body } = await call(query);
    let grossMicros = 0;
    for (const field of SECTIONS) {
      const section = body[field];
      expect(section, field).not.toBeNull();
      let itemsMicros = 0;
      let itemsMinutes = 0;
      for (const item of section.breakdown) {
        const daily = item.daily as any[];
        expect(daily.map((row) => row.date)).toEqual(
          Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10)),
        );
        expect(toMicros(item.subtotal)).toBe(daily.reduce((s, row) => s + toMicros(row.subtotal), 0));
        if (field === 'dedicated_usage') {
          expect(item.inference_requests).toBe(daily.reduce((s, row) => s + row.inference_requests, 0));
        } else {
          expect(item).not.toHaveProperty('inference_requests');
        }
        if (field === 'model_apis_usage') {
          expect(item).not.toHaveProperty('minutes');
          expect(item.input_tokens).toBe(daily.reduce((s, row) => s + row.input_tokens, 0));
          expect(item.output_tokens).toBeGreaterThan(0);
          expect(item.cached_input_tokens).toBe(daily.reduce((s, row) => s + row.cached_input_tokens, 0));
        } else {
          expect(item.minutes).toBe(daily.reduce((s, row) => s + row.minutes, 0));
          itemsMinutes += item.minutes;
        }
        itemsMicros += toMicros(item.subtotal);
      }
      expect(toMicros(section.total)).toBe(itemsMicros);
      expect(toMicros(section.subtotal)).toBe(toMicros(section.total) - toMicros(section.credits_used));
      if (field === 'model_apis_usage') expect(section).not.toHaveProperty('minutes');
      else expect(section.minutes).toBe(itemsMinutes);
      grossMicros += toMicros(section.total);
    }
    expect(grossMicros).toBe(fake.truthMicros({ startMs: Date.parse(query.start_date), endMs: Date.parse(query.end_date) }));
  });

  it('renders money as a mix of JSON numbers and odd but legal decimal strings', async () => {
    const { body } = await call({ start_date: MARCH_1, end_date: '2026-03-31T00:00:00Z' });
    const money = moneyValues(body);
    expect(money.length).toBeGreaterThan(50);
    expect(money.some((value) => typeof value === 'number')).toBe(true);
    const strings = money.filter((value): value is string => typeof value === 'string');
    expect(strings.every((value) => MONEY_PATTERN.test(value))).toBe(true);
    expect(strings.some((value) => value.startsWith('+'))).toBe(true);
    expect(strings.some((value) => value.startsWith('00'))).toBe(true);
    expect(strings.some((value) => /^\d+\.\d*0$/.test(value))).toBe(true);
  });

  it.each([0, 1, 500_000, 3_125_000, 86_400_000, 123_456_789_012])('renders %i micro-dollars in every form exactly', (micros) => {
    for (const pick of [0, 0.2, 0.4, 0.6, 0.8, 0.99]) {
      const money = renderBasetenMoney(micros, pick);
      if (typeof money === 'string') expect(money).toMatch(MONEY_PATTERN);
      expect(toMicros(money)).toBe(micros);
    }
    expect(renderBasetenMoney(500_000, 0.99)).toBe('.5');
    expect(renderBasetenMoney(12_500_000, 0.6)).toBe('+12.5');
    expect(renderBasetenMoney(12_500_000, 0.7)).toBe('0012.5');
    expect(renderBasetenMoney(86_400_000, 0.4)).toBe('86.40');
  });

  it('renders resource meta: kinds, deleted flag, instance type and lenient chainlet keys', async () => {
    const { body } = await call(range);
    const dedicated = body.dedicated_usage.breakdown.map((item: any) => item.billable_resource);
    expect(dedicated.map((r: any) => r.kind)).toEqual(['MODEL_DEPLOYMENT', 'MODEL_DEPLOYMENT', 'CHAINLET']);
    const chainlet = dedicated[2];
    expect(chainlet).toMatchObject({ id: 'x1c4v7b', is_deleted: true, instance_type: 'L4:1x4' });
    expect(chainlet).not.toHaveProperty('model_name');
    expect(chainlet).not.toHaveProperty('environment_name');
    expect(chainlet.chain_metadata).toMatchObject({ chain_name: 'rag-pipeline', chainlet_id: 'x1c4v7b' });
    expect(dedicated[0]).toMatchObject({ model_name: 'llama-3.1-8b-instruct', environment_name: 'production', chain_metadata: null });
    expect(body.training_usage.breakdown[0].billable_resource).toMatchObject({ kind: 'TRAINING_JOB', instance_type: 'H100:8x' });
    const idle = body.dedicated_usage.breakdown[1];
    expect(idle.inference_requests).toBe(0);
    expect(toMicros(idle.subtotal)).toBe(3 * 24 * 1_212_000);
  });

  it('renders unused products as null sections or as zeros, as told', async () => {
    const modelOnly: Scenario = {
      seed: 5,
      resources: defaultBasetenScenario().resources.filter((r) => r.meta?.section === 'model_apis'),
    };
    await withFake({ scenario: modelOnly }, async (other) => {
      const { body } = await call(range, { base: other.baseUrl });
      expect(body.dedicated_usage).toBeNull();
      expect(body.training_usage).toBeNull();
      expect(body.model_apis_usage.breakdown).toHaveLength(2);
    });
    await withFake({ scenario: modelOnly, emptySections: 'zero' }, async (other) => {
      const { body } = await call(range, { base: other.baseUrl });
      for (const field of ['dedicated_usage', 'training_usage'] as const) {
        expect(body[field].breakdown).toEqual([]);
        expect(body[field].minutes).toBe(0);
        expect([body[field].subtotal, body[field].credits_used, body[field].total].map((m) => toMicros(m))).toEqual([0, 0, 0]);
      }
    });
  });

  it('applies credits to each answer with subtotal = total − credits_used', async () => {
    await withFake({ creditsMicros: 5_000_000 }, async (other) => {
      const { body } = await call(range, { base: other.baseUrl });
      const credits = SECTIONS.map((field) => toMicros(body[field].credits_used));
      expect(credits).toEqual([5_000_000, 0, 0]);
      for (const field of SECTIONS) {
        expect(toMicros(body[field].subtotal)).toBe(toMicros(body[field].total) - toMicros(body[field].credits_used));
      }
    });
    await withFake({ creditsMicros: 1_000_000_000_000 }, async (other) => {
      const { body } = await call(range, { base: other.baseUrl });
      for (const field of SECTIONS) {
        expect(toMicros(body[field].subtotal)).toBe(0);
        expect(toMicros(body[field].credits_used)).toBe(toMicros(body[field].total));
      }
    });
  });

  it('reports the current hour partially and holds back lagging usage', async () => {
    const startMs = Date.UTC(2026, 2, 10);
    const query = { start_date: '2026-03-10T00:00:00Z', end_date: '2026-03-11T00:00:00Z' };
    const total = (body: any) => SECTIONS.reduce((s, field) => s + toMicros(body[field].total), 0);
    const now = (await call(query)).body;
    expect(total(now)).toBe(fake.truthMicros({ startMs, endMs: NOW }));
    expect(total(now)).toBeGreaterThan(fake.truthMicros({ startMs, endMs: Math.floor(NOW / HOUR_MS) * HOUR_MS }));
    await withFake({ lagMs: 2 * HOUR_MS }, async (other) => {
      const lagged = (await call(query, { base: other.baseUrl })).body;
      expect(total(lagged)).toBe(other.truthMicros({ startMs, endMs: startMs + DAY_MS }));
      expect(total(lagged)).toBe(fake.truthMicros({ startMs, endMs: NOW - 2 * HOUR_MS }));
    });
  });

  // Speed is measured by `npm run bench`, never asserted here: a wall-clock bound fails on a busy machine.
  it('answers the same request the same way, a 31-day range too', async () => {
    const month = { start_date: '2026-02-01T00:00:00Z', end_date: '2026-03-04T00:00:00Z' };
    const first = await call(month);
    expect((await call(month)).body).toEqual(first.body);
  });

  it('counts nothing before 2026-01-01 in its truth', () => {
    const from2026 = fake.truthMicros({ startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 5) });
    expect(fake.truthMicros({ startMs: Date.UTC(2025, 11, 1), endMs: Date.UTC(2026, 0, 5) })).toBe(from2026);
    expect(fake.truthMicros({ startMs: Date.UTC(2025, 11, 1), endMs: Date.UTC(2025, 11, 5) })).toBe(0);
  });

  it('answers a rate-limit fault with the documented 429 body', async () => {
    fake.server.inject(basetenRateLimitFault(37));
    const answer = await call(range);
    expect(answer.status).toBe(429);
    const fixture = JSON.parse(
      readFileSync(new URL('../../../test/fixtures/providers/baseten-error-429.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(answer.body).toEqual(fixture);
  });

  it('refuses a scenario resource without a Baseten section or kind', async () => {
    const resource = { id: 'r1', name: 'r1', hourlyMicros: 1 };
    await expect(startBasetenFake({ apiKey: KEY, scenario: { seed: 1, resources: [resource] } })).rejects.toThrow(
      /meta.section/,
    );
    await expect(
      startBasetenFake({ apiKey: KEY, scenario: { seed: 1, resources: [{ ...resource, meta: { section: 'dedicated' } }] } }),
    ).rejects.toThrow(/meta.kind/);
  });
});
