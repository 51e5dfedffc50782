/**
 * TensorOne's own error cases: its error envelope and validation reasons, the billing scope, its
 * read limit, range checks and schema drift. The error matrix every provider shares (each kind,
 * reset, hang, abort, HTML, truncated JSON, key redaction) is the contract suite's,
 * test/contract/providerContract.ts.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTensorOneFake, type TensorOneFake } from './tensorone.fake';
import { ProviderError, type ProviderErrorKind } from '../../core/errors';
import type { TimeRange } from '../../core/report';
import { createHttpClient, type HttpClient } from '../http';
import type { ProviderContext } from '../types';
import { tensoroneAdapter, tensoroneErrorDetail, type TensorOneSettings } from './tensorone';

const KEY = 'tpo_live_ERRORS_0a1b2c3d4e5f6789';
const SCOPELESS_KEY = 'tpo_live_NOBILLING_99887766554433';
const NOW = Date.UTC(2026, 4, 14, 15, 37, 12);
const RANGE: TimeRange = { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 4, 8) };
const http = createHttpClient({ timeoutMs: 5_000 });
const fakes: TensorOneFake[] = [];
let fake: TensorOneFake;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;
}

function context(
  target: TensorOneFake,
  overrides: { apiKey?: string; client?: HttpClient; signal?: AbortSignal } = {},
): ProviderContext<TensorOneSettings> {
  return {
    http: overrides.client ?? http,
    apiKey: overrides.apiKey ?? KEY,
    settings: tensoroneAdapter.settingsSchema.parse({ baseUrl: target.baseUrl }),
    nowMs: NOW,
    ...(overrides.signal ? { signal: overrides.signal } : {}),
  };
}

async function failure(ctx: ProviderContext<TensorOneSettings>, range: TimeRange = RANGE): Promise<ProviderError> {
  let caught: unknown;
  try {
    await tensoroneAdapter.fetchUsage(range, ctx);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProviderError);
  return caught as ProviderError;
}

function withSummary(fields: Record<string, unknown>): (body: unknown) => unknown {
  return (body) => {
    const answer = body as { summary: Record<string, unknown> };
    return { ...answer, summary: { ...answer.summary, ...fields } };
  };
}

beforeAll(async () => {
  fake = await startTensorOneFake({ apiKey: KEY, now: () => NOW, scopelessKeys: [SCOPELESS_KEY] });
  fakes.push(fake);
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await Promise.all(fakes.map((each) => each.stop()));
});

describe('tensoroneAdapter errors', () => {
  it('reports a wrong API key as auth with TensorOne explanation', async () => {
    const error = await failure(context(fake, { apiKey: 'tpo_live_WRONG_KEY_1234567890' }));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe('TensorOne rejected the API key (401): Invalid or missing API key');
  });

  it('reports a key without the billing scope as auth and names the missing permission', async () => {
    const error = await failure(context(fake, { apiKey: SCOPELESS_KEY }));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/^TensorOne refused access with this API key \(403\): /);
    expect(error.message).toMatch(/billing:read/);
    expect(error.message).toMatch(/read key with the billing scope/);
  });

  it('reads the wait of a 429 from the Retry-After header the API sends', async () => {
    const limited = await startTensorOneFake({ apiKey: KEY, now: () => NOW, readLimit: 1 });
    fakes.push(limited);
    await tensoroneAdapter.fetchUsage(RANGE, context(limited));
    const error = await failure(context(limited));
    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
    // 15:37:12 → the hourly window resets at 16:00:00.
    expect(error.retryAfterMs).toBe(1_368_000);
    expect(error.message).toBe('TensorOne is rate limiting requests (429); retry in 1368 s: API rate limit exceeded');
    expect(error.transient).toBe(true);
  });

  it('reads the wait of a 429 from details.retry_after when there is no header', async () => {
    fake.server.inject({ type: 'status', status: 429, body: fixture('tensorone-error-429.json') });
    const error = await failure(context(fake));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(1_800_000);
  });

  it('reports a validation error as bad_request with the reason', async () => {
    fake.server.inject({ type: 'status', status: 400, body: fixture('tensorone-error-400.json') });
    const error = await failure(context(fake));
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'TensorOne rejected the request (400): Request validation failed: startDate and endDate are required when timeRange is custom',
    );
  });

  it('reports a range the API refuses as bad_request', async () => {
    const error = await failure(context(fake), { startMs: Date.UTC(2025, 0, 1), endMs: Date.UTC(2026, 4, 1) });
    expect(error.kind).toBe('bad_request');
    expect(error.message).toMatch(/at most 366 days/);
  });

  it('refuses an empty range without sending a request', async () => {
    const before = fake.server.requests.length;
    const error = await failure(context(fake), { startMs: RANGE.startMs, endMs: RANGE.startMs });
    expect(error.kind).toBe('bad_request');
    expect(fake.server.requests.length).toBe(before);
  });

  it('names the missing field when the answer drifts from the schema', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const { totalCost: _dropped, ...summary } = (body as { summary: Record<string, unknown> }).summary;
        return { ...(body as object), summary };
      },
    });
    const error = await failure(context(fake));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/^TensorOne sent a usage answer Burnrate does not understand: summary\.totalCost: /);
  });

  it('names the field when a cost is not a number', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const answer = body as { breakdown: Array<{ usage: Record<string, unknown> }> };
        answer.breakdown[1]!.usage.cost = 'twelve dollars';
        return answer;
      },
    });
    const error = await failure(context(fake));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/breakdown\[1\]\.usage\.cost: expected an amount/);
  });

  it('refuses costs in another currency than USD', async () => {
    fake.server.inject({
      type: 'drift',
      transform: (body) => {
        const answer = body as { summary: Record<string, unknown> };
        return { ...answer, summary: { ...answer.summary, currency: 'EUR' } };
      },
    });
    const error = await failure(context(fake));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe('TensorOne reported costs in EUR although Burnrate asked for USD; the totals cannot be used');
  });

  it('shows an answer for other days than it asked for as sent, and says so', async () => {
    fake.server.inject({ type: 'drift', transform: () => fixture('tensorone-usage-normal.json') });
    const report = await tensoroneAdapter.fetchUsage(RANGE, context(fake));
    expect(report.totalMicros).toBe(152_060_000);
    expect(report.notes[0]).toBe('TensorOne answered for 2024-03-01 to 2024-03-03 instead of the requested 2026-05-01 to 2026-05-07; its totals are shown as sent.');
  });

  it('never shows the API key in its own error cases (scopeless key, read limit, drifting fields), even when echoed', async () => {
    const limited = await startTensorOneFake({ apiKey: KEY, now: () => NOW, readLimit: 0 });
    fakes.push(limited);
    const echo = { error: 'VALIDATION_ERROR', message: `Key ${KEY} is malformed`, code: 400 };
    const cases: Array<[ProviderErrorKind, () => Promise<ProviderError>]> = [
      ['auth', () => failure(context(fake, { apiKey: `${KEY}x` }))],
      ['auth', () => failure(context(fake, { apiKey: SCOPELESS_KEY }))],
      ['rate_limited', () => failure(context(limited))],
      ['bad_request', () => (fake.server.inject({ type: 'status', status: 400, body: echo }), failure(context(fake)))],
      ['bad_response', () => (fake.server.inject({ type: 'drift', transform: () => ({ echoed: KEY }) }), failure(context(fake)))],
      ['bad_response', () => (fake.server.inject({ type: 'drift', transform: withSummary({ totalCost: KEY }) }), failure(context(fake)))],
      ['bad_response', () => (fake.server.inject({ type: 'drift', transform: withSummary({ currency: KEY }) }), failure(context(fake)))],
      [
        'bad_response',
        () => (fake.server.inject({ type: 'drift', transform: (body) => ({ ...(body as object), period: { startDate: KEY, endDate: KEY } }) }), failure(context(fake))),
      ],
    ];
    for (const [kind, run] of cases) {
      const error = await run();
      expect(error.kind).toBe(kind);
      for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 8 })]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(SCOPELESS_KEY);
      }
    }
    fake.server.inject({ type: 'status', status: 400, body: echo });
    expect((await failure(context(fake))).message).toContain('[redacted]');

    const report = await tensoroneAdapter.fetchUsage(RANGE, context(fake));
    expect(JSON.stringify(report)).not.toContain(KEY);
  });
});

describe('tensoroneErrorDetail', () => {
  it('joins the message and the validation reason', () => {
    expect(tensoroneErrorDetail(fixture('tensorone-error-400.json'))).toBe(
      'Request validation failed: startDate and endDate are required when timeRange is custom',
    );
  });

  it('falls back to the common fields for a body of another shape', () => {
    expect(tensoroneErrorDetail({ detail: 'upstream timeout', message: 42 })).toBe('upstream timeout');
    expect(tensoroneErrorDetail('<html>')).toBeUndefined();
  });
});
