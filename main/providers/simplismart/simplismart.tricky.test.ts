import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, type UsageReport } from '../../core/report';
import { ProviderError } from '../../core/errors';
import { startSimplismartFake, type SimplismartFake } from './simplismart.fake';
import { createHttpClient } from '../http';
import { apportionMicros } from '../../core/money';
import { simplismartAdapter, sourceName } from './simplismart';
import { contextFor, NOW_MS, settingsFor, TOKEN } from './testSupport';

// Answers written by hand, in the wire shapes of the fixtures, for the cases in TRICKY_CASES.md.
const http = createHttpClient({ timeoutMs: 5_000 });
let fake: SimplismartFake;
const RANGE = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
const H = (hour: number, minute = 0) => new Date(RANGE.startMs + hour * HOUR_MS + minute * 60_000).toISOString().replace('.000Z', 'Z');

beforeAll(async () => {
  fake = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

interface Point {
  timestamp: string;
  cost: string;
  usage?: string;
  event_count?: number;
}

function item(source: string, totalCost: string, points?: Point[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'gpu-minutes-h100',
    source,
    total_usage: '60',
    total_cost: totalCost,
    currency: 'usd',
    ...(points ? { points: points.map((point) => ({ usage: '1', event_count: 1, ...point })) } : {}),
    ...extra,
  };
}

/** Serves `body` as the answer of the one enabled plan type, after the real fake's contract checks. */
async function fetchOne(body: unknown, raw: Record<string, unknown> = {}, planType = 'private'): Promise<UsageReport> {
  fake.server.inject({ type: 'drift', transform: () => body });
  return simplismartAdapter.fetchUsage(RANGE, contextFor(http, settingsFor(fake.baseUrl, { planTypes: [planType], ...raw })));
}

async function failure(body: unknown, planType = 'private'): Promise<ProviderError> {
  try {
    await fetchOne(body, {}, planType);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected the fetch to fail');
}

describe('Simplismart tricky cases', () => {
  it('parses float-artefact strings exactly and rounds once (the doc example 120 × 0.066666666666667)', async () => {
    const report = await fetchOne({
      total_cost: '8.00000000000004',
      currency: 'usd',
      items: [
        item('llama3p1-8b_3f1c2a9e-7b4d-4e0a-9c1e-2d5f6a7b8c9d', '8.00000000000004', [
          { timestamp: H(16), cost: '7.466666666666704' },
          { timestamp: H(17), cost: '0.533333333333336' },
        ], { total_usage: '120', unit_price: { amount: '0.066666666666667', currency: 'usd' } }),
      ],
    });
    expect(report.totalMicros).toBe(8_000_000);
    expect(report.resources[0]?.costMicros).toBe(8_000_000);
    expect(report.buckets.map((bucket) => bucket.costMicros)).toEqual([7_466_667, 533_333]);
  });

  it('totals a bare list from the exact item sum, rounded once, and keeps resources adding up', async () => {
    // Each item is half a micro-dollar: rounding each first would give 2, truncating 0; exactly it is 1.
    const report = await fetchOne([item('a_run', '0.0000005'), item('b_run', '0.0000005')]);
    expect(report.totalMicros).toBe(1);
    expect(report.resources.map((resource) => resource.costMicros).sort()).toEqual([0, 1]);
  });

  it('reads currency case-insensitively and refuses anything but USD', async () => {
    const upper = await fetchOne({ total_cost: '1.5', currency: 'USD', items: [item('x', '1.5', undefined, { currency: 'Usd' })] });
    expect(upper.totalMicros).toBe(1_500_000);
    const error = await failure({ total_cost: '1.5', currency: 'eur', items: [item('x', '1.5', undefined, { currency: 'eur' })] });
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe('Simplismart reported private usage in EUR (currency); Burnrate tracks Simplismart in USD only');
    const itemError = await failure([item('x', '1.5', undefined, { unit_price: { amount: '1', currency: 'inr' } })]);
    expect(itemError.message).toContain('in INR (items[0].unit_price.currency)');
  });

  it('accepts items without feature_id, event_count, unit_price and points', async () => {
    const report = await fetchOne({ total_cost: '3.25', currency: 'usd', items: [item('solo_job', '3.25')] });
    expect(report.totalMicros).toBe(3_250_000);
    expect(report.buckets).toEqual([]);
    expect(report.resources[0]).toMatchObject({ name: 'solo_job', activity: { quantity: { amount: 60, unit: 'gpu-minutes-h100' } } });
    expect(report.resources[0]?.activity.events).toBeUndefined();
    expect(report.resources[0]?.series).toBeUndefined();
    // Cost without time points still proves data for the range.
    expect(report.dataThroughMs).toBe(RANGE.endMs);
  });

  it('folds sub-hour and off-the-hour points into hourly buckets', async () => {
    const report = await fetchOne({
      total_cost: '1',
      currency: 'usd',
      items: [
        item('x', '1', [
          { timestamp: H(3, 0), cost: '0.1' },
          { timestamp: H(3, 15), cost: '0.2' },
          { timestamp: H(3, 45), cost: '0.3' },
          { timestamp: H(5, 30), cost: '0.4' },
        ]),
      ],
    }, { windowSize: '15MIN' });
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets).toEqual([
      { startMs: RANGE.startMs + 3 * HOUR_MS, durationMs: HOUR_MS, costMicros: 600_000 },
      { startMs: RANGE.startMs + 5 * HOUR_MS, durationMs: HOUR_MS, costMicros: 400_000 },
    ]);
    expect(report.dataThroughMs).toBe(RANGE.startMs + 6 * HOUR_MS);
  });

  it('reads hourly points with empty hours left out as hourly, without a note', async () => {
    const report = await fetchOne({
      total_cost: '3',
      currency: 'usd',
      items: [item('x', '3', [{ timestamp: H(1), cost: '1' }, { timestamp: H(3), cost: '1' }, { timestamp: H(6), cost: '1' }])],
    });
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets.map((bucket) => bucket.startMs)).toEqual([1, 3, 6].map((hour) => RANGE.startMs + hour * HOUR_MS));
    expect(report.notes).toEqual([]);
  });

  it('keeps daily buckets for a DAY window when whole days are missing', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 4, n)).toISOString();
    const body = { total_cost: '2', currency: 'usd', items: [item('x', '2', [{ timestamp: day(1), cost: '1' }, { timestamp: day(5), cost: '1' }])] };
    fake.server.inject({ type: 'drift', transform: () => body });
    const report = await simplismartAdapter.fetchUsage(
      { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 4, 8) },
      contextFor(http, settingsFor(fake.baseUrl, { planTypes: ['private'], windowSize: 'DAY' })),
    );
    expect(report.granularityMs).toBe(24 * HOUR_MS);
    expect(report.buckets.map((bucket) => bucket.durationMs)).toEqual([24 * HOUR_MS, 24 * HOUR_MS]);
    expect(report.dataThroughMs).toBe(Date.UTC(2026, 4, 6));
    expect(report.notes).toEqual([]);
  });

  it('merges points of several items in one bucket and sorts buckets ascending', async () => {
    const report = await fetchOne({
      total_cost: '3',
      currency: 'usd',
      items: [
        item('b_deploy', '2', [{ timestamp: H(9), cost: '1' }, { timestamp: H(8), cost: '1' }]),
        item('a_deploy', '1', [{ timestamp: H(8), cost: '1' }]),
      ],
    });
    expect(report.buckets).toEqual([
      { startMs: RANGE.startMs + 8 * HOUR_MS, durationMs: HOUR_MS, costMicros: 2_000_000 },
      { startMs: RANGE.startMs + 9 * HOUR_MS, durationMs: HOUR_MS, costMicros: 1_000_000 },
    ]);
    expect(report.resources[0]?.series?.map((bucket) => bucket.startMs)).toEqual([RANGE.startMs + 8 * HOUR_MS, RANGE.startMs + 9 * HOUR_MS]);
  });

  it('sums several meters of one source into one resource without a single quantity', async () => {
    const source = 'llama3p1-70b-prod_ca21701d-1d2a-4b7f-a48f-65312838880c';
    const report = await fetchOne({
      total_cost: '5',
      currency: 'usd',
      items: [
        item(source, '3', undefined, { event_count: 10 }),
        item(source, '2', undefined, { event_name: 'storage-gb-hours', event_count: 5 }),
      ],
    });
    expect(report.resources).toHaveLength(1);
    expect(report.resources[0]).toMatchObject({ id: source, name: 'llama3p1-70b-prod', costMicros: 5_000_000, activity: { events: 15 } });
    expect(report.resources[0]?.activity.quantity).toBeUndefined();
  });

  it('adds an "Other" resource for cost the envelope total holds beyond its items', async () => {
    const report = await fetchOne({ total_cost: '10.5', currency: 'usd', items: [item('x', '10')] });
    expect(report.totalMicros).toBe(10_500_000);
    expect(report.resources.map(({ id, name, costMicros, kind }) => ({ id, name, costMicros, kind }))).toEqual([
      { id: 'x', name: 'x', costMicros: 10_000_000, kind: 'deployment' },
      { id: 'other:private', name: 'Other private usage', costMicros: 500_000, kind: 'other' },
    ]);
  });

  it('keeps the envelope total and says so when the items add up to more', async () => {
    const report = await fetchOne({ total_cost: '9', currency: 'usd', items: [item('x', '10')] });
    expect(report.totalMicros).toBe(9_000_000);
    expect(report.notes).toEqual([
      "Simplismart's private total is lower than the sum of its items; Burnrate shows the total it reported.",
    ]);
  });

  it('leaves out points at or after the end of the range, from buckets and totals', async () => {
    const report = await fetchOne({
      total_cost: '3',
      currency: 'usd',
      items: [item('x', '3', [{ timestamp: H(23), cost: '1' }, { timestamp: H(24), cost: '2' }])],
    });
    expect(report.totalMicros).toBe(1_000_000);
    expect(report.resources[0]?.costMicros).toBe(1_000_000);
    expect(report.buckets.map((bucket) => bucket.startMs)).toEqual([RANGE.startMs + 23 * HOUR_MS]);
    expect(report.dataThroughMs).toBe(RANGE.endMs);
    expect(report.notes).toEqual(['Simplismart returned usage from after the end of the range; Burnrate left it out.']);
  });

  it('does not count zero points as data when judging how fresh the data is', async () => {
    const report = await fetchOne({
      total_cost: '1',
      currency: 'usd',
      items: [item('x', '1', [{ timestamp: H(4), cost: '1' }, { timestamp: H(5), cost: '0', usage: '0', event_count: 0 }])],
    });
    expect(report.dataThroughMs).toBe(RANGE.startMs + 5 * HOUR_MS);
    expect(report.buckets).toHaveLength(2);
  });

  it('caps data-through at now', async () => {
    const report = await simplismartAdapter.fetchUsage(
      { startMs: Date.UTC(2026, 4, 14), endMs: Date.UTC(2026, 4, 15) },
      contextFor(http, settingsFor(fake.baseUrl, { planTypes: ['private'] })),
    );
    expect(report.dataThroughMs).toBe(NOW_MS);
  });

  it('maps plan types to kinds and dedicated capacity', async () => {
    const expectations = [
      ['shared', 'model', false],
      ['byoc', 'deployment', true],
      ['reserved', 'deployment', true],
      ['training', 'training_job', false],
      ['compilation', 'other', false],
    ] as const;
    for (const [planType, kind, dedicated] of expectations) {
      const report = await fetchOne({ total_cost: '1', currency: 'usd', items: [item('thing', '1')] }, {}, planType);
      expect(report.resources[0], planType).toMatchObject({ kind, dedicated, group: planType });
    }
  });

  it('names sources by their slug and keeps other sources whole', () => {
    expect(sourceName('llama3p1-8b_3f1c2a9e-7b4d-4e0a-9c1e-2d5f6a7b8c9d')).toBe('llama3p1-8b');
    expect(sourceName('my_model_v2_3F1C2A9E-7B4D-4E0A-9C1E-2D5F6A7B8C9D')).toBe('my_model_v2');
    expect(sourceName('DeepSeek-R1')).toBe('DeepSeek-R1');
    expect(sourceName('job_42')).toBe('job_42');
  });

  it('apportions resource costs so they add up to the once-rounded total', () => {
    const d = (text: string) => ({ coefficient: BigInt(text.replace('.', '')), exponent: -(text.split('.')[1]?.length ?? 0) });
    expect(apportionMicros([d('0.0000004'), d('0.0000004'), d('0.0000004')])).toEqual([1, 0, 0]);
    expect(apportionMicros([d('1.99999999999999'), d('2.00000000000001')])).toEqual([2_000_000, 2_000_000]);
    expect(apportionMicros([d('-0.0000015'), d('0.0000030')])).toEqual([-1, 3]);
    expect(apportionMicros([])).toEqual([]);
  });

  it('gives the same source under two plan types two distinct ids', async () => {
    const range = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
    const body = { total_cost: '1', currency: 'usd', items: [item('shared-thing', '1')] };
    fake.server.inject({ type: 'drift', transform: () => body }, { times: 2 });
    const report = await simplismartAdapter.fetchUsage(
      range,
      contextFor(http, settingsFor(fake.baseUrl, { planTypes: ['private', 'byoc'] })),
    );
    expect(report.totalMicros).toBe(2_000_000);
    expect(report.resources.map((resource) => resource.id).sort()).toEqual(['byoc:shared-thing', 'shared-thing']);
  });
});
