/**
 * Issue 9, item 7: a negative amount is accepted only where the vendor documents credits or
 * refunds (Baseten's `credits_used`, shown as credits), and anywhere else it is a `bad_response`
 * naming the field, instead of silently lowering the total. Real HTTP against each provider's
 * loopback fake, the answer changed on the wire by a `drift` fault.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isProviderError } from '../core/errors';
import type { TimeRange, UsageReport } from '../core/report';
import { createHttpClient } from './http';
import { PROVIDERS } from './registry';
import type { ProviderAdapter, ProviderEntry, ProviderFake } from './types';

const NOW_MS = Date.UTC(2026, 2, 12, 15, 30);
const RANGE: TimeRange = { startMs: Date.UTC(2026, 2, 5), endMs: Date.UTC(2026, 2, 12) };
const http = createHttpClient({ timeoutMs: 10_000 });
const running: ProviderFake[] = [];

afterAll(async () => {
  await http.close();
  await Promise.all(running.map((fake) => fake.stop()));
});

type Json = Record<string, unknown> & Array<unknown>;
const obj = (value: unknown): Json => value as Json;

function entry(id: string): ProviderEntry {
  const found = PROVIDERS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no provider ${id}`);
  return found as ProviderEntry;
}

async function fetchWith(id: string, path: string, transform: (body: unknown) => unknown): Promise<UsageReport> {
  const provider = entry(id);
  const apiKey = `${provider.fake.keyPrefix}negative_money_key_0123456789`;
  const fake = await provider.fake.start({ apiKey, now: () => NOW_MS });
  running.push(fake);
  fake.server.inject({ type: 'drift', transform }, { path, times: 100 });
  const adapter = provider.adapter as ProviderAdapter<unknown>;
  return adapter.fetchUsage(RANGE, {
    http,
    apiKey,
    nowMs: NOW_MS,
    settings: adapter.settingsSchema.parse({ baseUrl: fake.baseUrl, ...provider.fake.settings, ...provider.demo.settings }),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return { kind: error.kind, message: error.message };
}

/** Where each provider carries a usage amount, and how to make it negative. */
const CASES: ReadonlyArray<{ id: string; path: string; field: string; transform: (body: unknown) => unknown }> = [
  {
    id: 'baseten',
    path: '/v1/billing/usage_summary',
    field: 'dedicated_usage.breakdown[0].daily[0].subtotal',
    transform: (body) => {
      const daily = obj(obj(obj(obj(body).dedicated_usage).breakdown)[0]).daily;
      obj(obj(daily)[0]).subtotal = '-5.00';
      return body;
    },
  },
  {
    id: 'simplismart',
    path: '/v1/analytics/usage-stats',
    field: 'items[0].points[0].cost',
    transform: (body) => {
      const items = obj(obj(body).items);
      if (items.length > 0) obj(obj(obj(items[0]).points)[0]).cost = '-1.25';
      return body;
    },
  },
  {
    id: 'tensorone',
    path: '/v2/billing/usage',
    field: 'breakdown[0].usage.cost',
    transform: (body) => {
      obj(obj(obj(obj(body).breakdown)[0]).usage).cost = -12.5;
      return body;
    },
  },
  {
    id: 'limitry',
    path: '/usage/summary',
    field: 'totalCostCents',
    transform: (body) => ({ ...obj(body), totalCostCents: -250 }),
  },
  {
    id: 'civis',
    path: '/usage/llm',
    field: '[0].credits',
    transform: (body) => {
      obj(obj(body)[0]).credits = -2.5;
      return body;
    },
  },
];

describe('negative money where no credit or refund is documented', () => {
  it.each(CASES)('$id: a negative $field is a bad_response naming the field', async ({ id, path, field, transform }) => {
    const failure = await failureOf(fetchWith(id, path, transform));
    expect(failure.kind).toBe('bad_response');
    expect(failure.message).toContain(field);
    expect(failure.message).toContain('negative');
  });
});

describe('negative money where the vendor documents credits (Baseten credits_used)', () => {
  it('accepts a negative credits_used as a credit: shown as credits (creditsUsedMicros), spend stays gross', async () => {
    const plain = await fetchWith('baseten', '/v1/billing/usage_summary', (body) => body);
    const report = await fetchWith('baseten', '/v1/billing/usage_summary', (body) => {
      const section = obj(obj(body).dedicated_usage);
      section.credits_used = '-4.50';
      section.subtotal = -4.5 + Number(section.total);
      return body;
    });
    expect(report.totalMicros).toBe(plain.totalMicros);
    expect(report.extras.creditsUsedMicros).toBe((plain.extras.creditsUsedMicros ?? 0) + 4_500_000);
    expect(report.notes.some((note) => note.includes('of credits in this range'))).toBe(true);
  });
});
