import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../core/money';
import { DAY_MS, HOUR_MS } from '../fake/scenario';
import {
  defaultSimplismartScenario,
  FAKE_PLAN_TYPES,
  simplismartResource,
  SIMPLISMART_FAKE_AUTH_DETAILS,
  startSimplismartFake,
  type SimplismartFake,
} from './simplismart.fake';

const TOKEN = 'pg_tok_FAKE_0123456789abcdef';
const NOW_MS = Date.UTC(2026, 4, 14, 14, 23, 17);
const START_MS = Date.UTC(2026, 4, 11);

interface WireItem {
  source: string;
  event_name: string;
  total_cost: string;
  total_usage: string;
  event_count: number;
  currency: string;
  unit_price?: { amount: string; currency: string };
  points: Array<{ timestamp: string; cost: string; usage: string; event_count: number }>;
}
interface WireEnvelope {
  total_cost: string;
  currency: string;
  items: WireItem[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function usageQuery(planType: string, extra: Record<string, string | string[]> = {}, startMs = START_MS, endMs = NOW_MS) {
  const query = new URLSearchParams({ plan_type: planType, start_time: iso(startMs), end_time: iso(endMs), window_size: 'HOUR' });
  for (const [key, value] of Object.entries(extra)) {
    query.delete(key);
    for (const one of Array.isArray(value) ? value : [value]) query.append(key, one);
  }
  return query;
}

async function get(fake: SimplismartFake, query: URLSearchParams, authorization: string | null = `Bearer ${TOKEN}`, path = '/v1/analytics/usage-stats') {
  const response = await fetch(`${fake.baseUrl}${path}?${query.toString()}`, {
    headers: authorization === null ? {} : { authorization },
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

let fake: SimplismartFake;
beforeAll(async () => {
  fake = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, expiredKeys: ['pg_tok_OLD_expired_42'] });
});
afterAll(async () => {
  await fake.stop();
});

describe('the Simplismart fake', () => {
  it('answers an envelope whose total, items and points agree and round to the truth', async () => {
    let sumMicros = 0;
    for (const planType of FAKE_PLAN_TYPES) {
      const { status, body } = await get(fake, usageQuery(planType));
      expect(status).toBe(200);
      const envelope = body as WireEnvelope;
      expect(envelope.currency).toBe('usd');
      const itemMicros = envelope.items.map((item) => toMicros(item.total_cost));
      expect(itemMicros.reduce((a, b) => a + b, 0)).toBe(toMicros(envelope.total_cost));
      for (const item of envelope.items) {
        expect(item.points.reduce((a, point) => a + toMicros(point.cost), 0)).toBe(toMicros(item.total_cost));
        expect(item.points.reduce((a, point) => a + point.event_count, 0)).toBe(item.event_count);
      }
      sumMicros += toMicros(envelope.total_cost);
    }
    expect(sumMicros).toBe(fake.truthMicros({ startMs: START_MS, endMs: NOW_MS }));
    expect(sumMicros).toBeGreaterThan(0);
  });

  it('renders money with float artefacts below the micro-dollar', async () => {
    const { body } = await get(fake, usageQuery('private'));
    const costs = (body as WireEnvelope).items.flatMap((item) => item.points.map((point) => point.cost));
    expect(costs.some((cost) => /\.\d{7,}$/.test(cost))).toBe(true);
    expect(costs.some((cost) => /99999999\d*$/.test(cost))).toBe(true);
  });

  it('lists one item per source as <slug>_<uuid> with its meter and a unit price', async () => {
    const { body } = await get(fake, usageQuery('private'));
    const items = (body as WireEnvelope).items;
    expect(items.map((item) => item.source.replace(/_[0-9a-f-]{36}$/, ''))).toEqual(['llama3p1-70b-prod', 'whisper-v3-staging']);
    expect(items[1]?.event_count).toBe(0); // the idle dedicated deployment: cost without requests
    expect(toMicros(items[1]?.total_cost)).toBeGreaterThan(0);
    expect(items[0]?.event_name).toBe('gpu-minutes-h100');
    expect(items[0]?.unit_price?.amount).toMatch(/^\d+\.\d{1,15}$/);
  });

  it('answers the older bare list with the same items when asked to', async () => {
    const bare = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, shape: 'bare' });
    try {
      const { body } = await get(bare, usageQuery('shared'));
      expect(Array.isArray(body)).toBe(true);
      const envelope = (await get(fake, usageQuery('shared'))).body as WireEnvelope;
      expect(body).toEqual(envelope.items);
    } finally {
      await bare.stop();
    }
  });

  it('makes the current hour partial and holds back lagging data', async () => {
    const currentHourMs = Math.floor(NOW_MS / HOUR_MS) * HOUR_MS;
    const full = fake.truthMicros({ startMs: currentHourMs, endMs: currentHourMs + HOUR_MS });
    const sofar = fake.truthMicros({ startMs: currentHourMs, endMs: NOW_MS });
    expect(full).toBe(sofar);
    expect(full).toBeGreaterThan(0);
    const lagging = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, lagMs: 2 * HOUR_MS });
    try {
      expect(lagging.truthMicros({ startMs: currentHourMs - HOUR_MS, endMs: NOW_MS })).toBe(0);
      const { body } = await get(lagging, usageQuery('private'));
      const lastPoint = (body as WireEnvelope).items[0]?.points.at(-1);
      expect(lastPoint?.timestamp).toBe(iso(currentHourMs - 2 * HOUR_MS));
    } finally {
      await lagging.stop();
    }
  });

  it('aggregates points to the window size, or sends hourly points whatever was asked', async () => {
    const daily = (await get(fake, usageQuery('private', { window_size: 'DAY' }))).body as WireEnvelope;
    expect(daily.items[0]?.points.map((point) => point.timestamp)).toEqual([
      '2026-05-11T00:00:00Z',
      '2026-05-12T00:00:00Z',
      '2026-05-13T00:00:00Z',
      '2026-05-14T00:00:00Z',
    ]);
    const hourlyFake = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, pointSpacing: 'hour' });
    try {
      const hourly = (await get(hourlyFake, usageQuery('private', { window_size: 'DAY' }))).body as WireEnvelope;
      expect(hourly.items[0]?.points).toHaveLength(3 * 24 + 15);
      expect(toMicros(hourly.total_cost)).toBe(toMicros(daily.total_cost));
    } finally {
      await hourlyFake.stop();
    }
  });

  it.each([
    ['no Authorization header', null, SIMPLISMART_FAKE_AUTH_DETAILS.missing],
    ['a wrong token', 'Bearer pg_tok_WRONG', SIMPLISMART_FAKE_AUTH_DETAILS.invalid],
    ['the right token in another scheme', `Api-Key ${TOKEN}`, SIMPLISMART_FAKE_AUTH_DETAILS.invalid],
    ['an expired token', 'Bearer pg_tok_OLD_expired_42', SIMPLISMART_FAKE_AUTH_DETAILS.expired],
  ])('answers 401 {detail} for %s', async (_what, authorization, text) => {
    const { status, body } = await get(fake, usageQuery('shared'), authorization);
    expect(status).toBe(401);
    expect(body).toEqual({ detail: text });
  });

  it.each([
    ['a missing plan_type', () => { const q = usageQuery('shared'); q.delete('plan_type'); return q; }, /plan_type/],
    ['an unknown plan_type', () => usageQuery('dedicated'), /plan_type must be one of/],
    ['an unknown window_size', () => usageQuery('shared', { window_size: 'HOURLY' }), /window_size must be one of/],
    ['a start_time without offset', () => usageQuery('shared', { start_time: '2026-05-11T00:00:00' }), /start_time/],
    ['an end_time before start_time', () => usageQuery('shared', { end_time: iso(START_MS - HOUR_MS) }), /after start_time/],
    ['model_names for private', () => usageQuery('private', { model_names: 'DeepSeek-R1' }), /^Filter 'model_names' is not valid for plan_type 'private'\.$/],
    ['deployment_slugs for shared', () => usageQuery('shared', { deployment_slugs: 'x' }), /deployment_slugs/],
    ['include_all_statuses for training', () => usageQuery('training', { include_all_statuses: 'true' }), /include_all_statuses/],
    ['a comma-separated list', () => usageQuery('private', { deployment_slugs: 'a,b' }), /one value per key/],
    ['an unknown parameter', () => usageQuery('private', { deployment_slug: 'a' }), /Unknown query parameter/],
    ['a workspace_id that is not a UUID', () => usageQuery('private', { workspace_id: 'main' }), /workspace_id/],
  ])('answers 400 {detail} for %s', async (_what, query, text) => {
    const { status, body } = await get(fake, query());
    expect(status).toBe(400);
    expect((body as { detail: string }).detail).toMatch(text);
  });

  it('answers 404 on another path', async () => {
    const { status, body } = await get(fake, usageQuery('shared'), `Bearer ${TOKEN}`, '/v1/usage');
    expect(status).toBe(404);
    expect(body).toEqual({ detail: 'Not found.' });
  });

  it('narrows the data with repeated-key list filters', async () => {
    const all = (await get(fake, usageQuery('private'))).body as WireEnvelope;
    const [prod, staging] = all.items;
    const bySlug = (await get(fake, usageQuery('private', { deployment_slugs: ['whisper-v3-staging'] }))).body as WireEnvelope;
    expect(bySlug.items).toEqual([staging]);
    const prodUuid = prod?.source.slice(-36) ?? '';
    const byIds = (await get(fake, usageQuery('private', { deployment_ids: [prodUuid, 'ffffffff-ffff-4fff-8fff-ffffffffffff'] }))).body as WireEnvelope;
    expect(byIds.items).toEqual([prod]);
    const both = (await get(fake, usageQuery('private', { deployment_slugs: ['whisper-v3-staging', 'llama3p1-70b-prod'] }))).body as WireEnvelope;
    expect(both).toEqual(all);
  });

  it('serves another workspace and non-default statuses only when asked', async () => {
    const seed = 5;
    const workspace = '11111111-2222-4333-8444-555555555555';
    const other = await startSimplismartFake({
      apiKey: TOKEN,
      now: () => NOW_MS,
      scenario: {
        seed,
        resources: [
          simplismartResource(seed, 'private', 'main-ws', { hourlyMicros: 1_000_000 }),
          simplismartResource(seed, 'private', 'gone', { hourlyMicros: 500_000, meta: { status: 'DELETED' } }),
          simplismartResource(seed, 'private', 'team-ws', { hourlyMicros: 2_000_000, meta: { workspaceId: workspace } }),
        ],
      },
    });
    try {
      const names = async (extra: Record<string, string>) =>
        ((await get(other, usageQuery('private', extra))).body as WireEnvelope).items.map((item) => item.source.slice(0, -37));
      expect(await names({})).toEqual(['main-ws']);
      expect(await names({ include_all_statuses: 'true' })).toEqual(['gone', 'main-ws']);
      expect(await names({ workspace_id: workspace })).toEqual(['team-ws']);
      const range = { startMs: START_MS, endMs: START_MS + DAY_MS };
      expect(other.truthMicros(range)).toBe(24_000_000);
      expect(other.truthMicros(range, { includeAllStatuses: true })).toBe(36_000_000);
      expect(other.truthMicros(range, { workspaceId: workspace })).toBe(48_000_000);
    } finally {
      await other.stop();
    }
  });

  // Speed is measured by `npm run bench`, never asserted here: a wall-clock bound fails on a busy machine.
  it('is deterministic for a month-long range', async () => {
    const twin = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, scenario: defaultSimplismartScenario() });
    try {
      const monthStartMs = Date.UTC(2026, 3, 14);
      const a = await get(fake, usageQuery('shared', {}, monthStartMs));
      const b = await get(twin, usageQuery('shared', {}, monthStartMs));
      expect(a.body).toEqual(b.body);
    } finally {
      await twin.stop();
    }
  });
});
