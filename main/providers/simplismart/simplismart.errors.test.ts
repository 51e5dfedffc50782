/**
 * Simplismart's own error cases: its token messages (rejected vs expired), its {detail} and
 * FastAPI bodies, its per-plan-type calls and schema drift. The error matrix every provider shares
 * (each kind, reset, hang, abort, HTML, truncated JSON, key redaction) is the contract suite's,
 * test/contract/providerContract.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type ProviderErrorKind } from '../../core/errors';
import { startSimplismartFake, type SimplismartFake } from './simplismart.fake';
import { createHttpClient, type HttpClient } from '../http';
import { simplismartAdapter } from './simplismart';
import { contextFor, NOW_MS, settingsFor, TOKEN } from './testSupport';

/** Reads a provider fixture by file name. */
function fixture(name: string): unknown {
  const url = new URL(`../../../test/fixtures/providers/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

/** The envelope as the fake sends it, loosely typed for drift transforms. */
interface Wire {
  total_cost?: unknown;
  items: Array<Record<string, unknown> & { points: Array<Record<string, unknown>> }>;
}

const EXPIRED_TOKEN = 'pg_tok_SIMPLISMART_EXPIRED_55aa77cc';
const RANGE = { startMs: Date.UTC(2026, 4, 13), endMs: Date.UTC(2026, 4, 14) };
const http = createHttpClient({ timeoutMs: 5_000 });
let fake: SimplismartFake;

beforeAll(async () => {
  fake = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, expiredKeys: [EXPIRED_TOKEN] });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

async function failure(
  options: { apiKey?: string; raw?: Record<string, unknown>; client?: HttpClient; signal?: AbortSignal } = {},
): Promise<ProviderError> {
  const settings = settingsFor(fake.baseUrl, { planTypes: ['private'], ...options.raw });
  try {
    await simplismartAdapter.fetchUsage(
      RANGE,
      contextFor(options.client ?? http, settings, {
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected the fetch to fail');
}

function expectKind(error: ProviderError, kind: ProviderErrorKind, status?: number): void {
  expect(error.kind).toBe(kind);
  expect(error.status).toBe(status);
}

describe('Simplismart errors', () => {
  it('reports a wrong token as a rejected token, not an expired one', async () => {
    const error = await failure({ apiKey: 'pg_tok_WRONG_0000000000' });
    expectKind(error, 'auth', 401);
    expect(error.message).toBe(
      'Simplismart rejected the API token (401): check that it is the Playground (PG) token from Settings → API Key, not an inference key. Simplismart said: Invalid token.',
    );
  });

  it('reports an expired token as expired', async () => {
    const error = await failure({ apiKey: EXPIRED_TOKEN });
    expectKind(error, 'auth', 401);
    expect(error.message).toBe(
      'Simplismart says the API token has expired (401): create a new Playground (PG) token under Settings → API Key. Simplismart said: Token has expired.',
    );
  });

  it('reads the recorded 401 fixture ("not provided or have expired") as an expiry', async () => {
    fake.server.inject({ type: 'status', status: 401, body: fixture('simplismart-error-401.json') });
    const error = await failure();
    expectKind(error, 'auth', 401);
    expect(error.message).toMatch(/^Simplismart says the API token has expired \(401\)/);
    expect(error.message).toContain('Simplismart said: Authentication credentials were not provided or have expired.');
  });

  it('reports a 401 without a body as a rejected token', async () => {
    fake.server.inject({ type: 'empty', status: 401 });
    const error = await failure();
    expectKind(error, 'auth', 401);
    expect(error.message).toBe(
      'Simplismart rejected the API token (401): check that it is the Playground (PG) token from Settings → API Key, not an inference key.',
    );
  });

  it('reports 403 as auth', async () => {
    fake.server.inject({ type: 'status', status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    const error = await failure();
    expectKind(error, 'auth', 403);
    expect(error.message).toBe(
      'Simplismart refused access with this API key (403): You do not have permission to perform this action.',
    );
  });

  it('reports 429 with the wait from the Retry-After header', async () => {
    fake.server.inject({ type: 'status', status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '42' } });
    const error = await failure();
    expectKind(error, 'rate_limited', 429);
    expect(error.retryAfterMs).toBe(42_000);
    expect(error.message).toContain('retry in 42 s');
  });

  it('reports 429 with the wait from a JSON retry_after', async () => {
    fake.server.inject({ type: 'status', status: 429, body: { detail: 'Request was throttled.', retry_after: 7 } });
    const error = await failure();
    expectKind(error, 'rate_limited', 429);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('reports 400 {detail} as bad_request with the detail and the plan type', async () => {
    fake.server.inject({ type: 'status', status: 400, body: fixture('simplismart-error-400.json') });
    const error = await failure();
    expectKind(error, 'bad_request', 400);
    expect(error.message).toBe(
      "Simplismart rejected the request (400): Filter 'model_names' is not valid for plan_type 'private'. (plan type private)",
    );
  });

  it('reports a FastAPI validation list as bad_request with its messages', async () => {
    fake.server.inject({
      type: 'status',
      status: 422,
      body: { detail: [{ loc: ['query', 'window_size'], msg: 'Input should be HOUR or DAY', type: 'enum' }] },
    });
    const error = await failure();
    expectKind(error, 'bad_request', 422);
    expect(error.message).toBe('Simplismart rejected the request (422): Input should be HOUR or DAY (plan type private)');
  });

  it('reports a wrong path as bad_request from the real fake', async () => {
    const error = await failure({ raw: { path: '/v1/usage' } });
    expectKind(error, 'bad_request', 404);
    expect(error.message).toBe('Simplismart does not know this endpoint or resource (404): Not found. (plan type private)');
  });

  it.each([
    ['a missing item total', (body: Wire) => ({ ...body, items: body.items.map(({ total_cost: _, ...rest }) => rest) }), 'items[0].total_cost'],
    ['a missing envelope total', ({ total_cost: _, ...rest }: Wire) => rest, 'total_cost'],
    ['money that is not a number', (body: Wire) => ({ ...body, total_cost: 'twelve' }), 'total_cost: expected a decimal amount'],
    ['a point without a time zone', (body: Wire) => {
      const point = body.items[0]?.points[0];
      if (point) point.timestamp = '2026-05-13T00:00:00';
      return body;
    }, 'items[0].points[0].timestamp'],
    ['items that are not a list', (body: Wire) => ({ ...body, items: { a: 1 } }), 'items:'],
    ['a string instead of an object', () => 'ok', '(root)'],
  ])('reports schema drift (%s) as bad_response naming the field', async (_what, transform, field) => {
    fake.server.inject({ type: 'drift', transform: (body) => transform(body as Wire) });
    const error = await failure();
    expectKind(error, 'bad_response');
    expect(error.message).toMatch(/^Simplismart sent a private usage answer Burnrate does not understand: /);
    expect(error.message).toContain(field);
  });

  it('fails the whole fetch when one plan type fails, and starts no call after the failure', async () => {
    // Calls 2 and 3 wait at a gate in front of the real client until the first call has failed,
    // then succeed: a pool that kept going would start a fourth call when they finish.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const started: Array<Promise<unknown>> = [];
    const gated: HttpClient = {
      getJson: (options) => {
        const call = started.length === 0 ? http.getJson(options) : gate.then(() => http.getJson(options));
        started.push(call.catch(() => undefined));
        return call;
      },
      close: () => http.close(),
    };
    fake.server.inject({ type: 'status', status: 500, body: { detail: 'boom' } }, { times: 1 });
    const error = await failure({ client: gated, raw: { planTypes: ['shared', 'private', 'byoc', 'reserved', 'training', 'compilation'] } });
    expectKind(error, 'server', 500);
    expect(started).toHaveLength(3);
    open();
    await Promise.all(started);
    // A pool that ignored the failure would have launched the next call in the callbacks of the
    // two successes, which have all run once this turn of the event loop comes.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(3);
  });
});
