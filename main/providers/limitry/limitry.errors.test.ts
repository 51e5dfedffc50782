/**
 * Limitry's own error cases: its {error} bodies and fixtures, retry_after in the body, the
 * summary fallback, failing fast across its three calls, and schema drift. The error matrix every
 * provider shares (each kind, reset, hang, abort, HTML, truncated JSON, key redaction) is the
 * contract suite's, test/contract/providerContract.ts.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import error400Fixture from '../../../test/fixtures/providers/limitry-error-400.json';
import error401Fixture from '../../../test/fixtures/providers/limitry-error-401.json';
import { startLimitryFake, type LimitryFake } from './limitry.fake';
import type { Fault } from '../fake/harness';
import { ProviderError, type ProviderErrorKind } from '../../core/errors';
import type { TimeRange } from '../../core/report';
import { createHttpClient, type HttpClient } from '../http';
import { limitryAdapter } from './limitry';

const KEY = 'lmtry_sk_live_TOPSECRET_abcdef123456';
const NOW = Date.UTC(2026, 2, 10, 14, 37, 12, 345);
const RANGE: TimeRange = { startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 4) };

const http = createHttpClient({ timeoutMs: 5_000 });
let fake: LimitryFake;

// A fresh fake per test: a sibling request cancelled by one test can never take the next test's fault.
beforeEach(async () => {
  fake = await startLimitryFake({ apiKey: KEY, now: () => NOW });
});
afterEach(async () => {
  await fake.stop();
});
afterAll(async () => {
  await http.close();
});

/** Every error any test here saw, for the secret check at the end. */
const seen: ProviderError[] = [];

async function failure(options: { apiKey?: string; client?: HttpClient } = {}): Promise<ProviderError> {
  const settings = limitryAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl });
  try {
    await limitryAdapter.fetchUsage(RANGE, { http: options.client ?? http, apiKey: options.apiKey ?? KEY, settings, nowMs: NOW });
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    seen.push(error as ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected fetchUsage to fail');
}

function inject(fault: Fault, path = '/usage/timeseries'): void {
  fake.server.inject(fault, { path });
}

describe('limitryAdapter errors', () => {
  it('reports a wrong key as auth with the provider explanation', async () => {
    const error = await failure({ apiKey: 'lmtry_sk_wrong_key_000000' });
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toBe('Limitry rejected the API key (401): Invalid or missing API key');
  });

  it('reports a missing key as auth', async () => {
    expect(await failure({ apiKey: '' })).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('reports the 401 fixture body as auth', async () => {
    inject({ type: 'status', status: 401, body: error401Fixture }, '/usage/summary');
    const error = await failure();
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('Invalid or missing API key');
  });

  it('reports 403 as auth', async () => {
    inject({ type: 'status', status: 403, body: { error: 'API key lacks access to this project' } });
    const error = await failure();
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.message).toBe('Limitry refused access with this API key (403): API key lacks access to this project');
  });

  it('reports the 400 fixture body as bad_request', async () => {
    inject({ type: 'status', status: 400, body: error400Fixture }, '/usage/breakdown');
    const error = await failure();
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(error.message).toBe('Limitry rejected the request (400): Invalid request');
  });

  it('reports 422 as bad_request', async () => {
    inject({ type: 'status', status: 422, body: { error: 'Range too long' } });
    expect(await failure()).toMatchObject({ kind: 'bad_request', status: 422 });
  });

  it('reports a non-404 summary failure as an error instead of falling back', async () => {
    inject({ type: 'status', status: 400, body: { error: 'Invalid request: startDate is required' } }, '/usage/summary');
    expect(await failure()).toMatchObject({ kind: 'bad_request', status: 400 });
  });

  it('reads the wait of a 429 from the Retry-After header', async () => {
    inject({ type: 'status', status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '42' } });
    const error = await failure();
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 42_000 });
    expect(error.message).toBe('Limitry is rate limiting requests (429); retry in 42 s: Too many requests');
  });

  it('reads the wait of a 429 from a retry_after body field', async () => {
    inject({ type: 'status', status: 429, body: { error: 'Too many requests', retry_after: 7 } });
    expect(await failure()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7_000 });
  });

  it('reports a 429 without a wait as rate_limited with no retryAfterMs', async () => {
    inject({ type: 'status', status: 429, body: { error: 'Too many requests' } });
    const error = await failure();
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('reports a 503 with Retry-After as server with the wait', async () => {
    inject({ type: 'status', status: 503, body: { error: 'Maintenance' }, headers: { 'retry-after': '120' } });
    expect(await failure()).toMatchObject({ kind: 'server', retryAfterMs: 120_000 });
  });

  it('reports an HTML 502 from a proxy as server without the page', async () => {
    inject({ type: 'html', status: 502 });
    const error = await failure();
    expect(error.kind).toBe('server');
    expect(error.message).toBe('Limitry had a server error (502)');
  });

  it('survives an error object where a string is expected', async () => {
    inject({ type: 'status', status: 400, body: { error: { code: 'bad', message: 'nested' } } });
    const error = await failure();
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('Limitry rejected the request (400)');
  });

  it('fails fast with the first error, cancelling a call that still hangs', async () => {
    const patient = createHttpClient({ timeoutMs: 15_000 });
    try {
      inject({ type: 'hang' }, '/usage/timeseries');
      inject({ type: 'status', status: 401, body: error401Fixture }, '/usage/summary');
      const started = Date.now();
      const error = await failure({ client: patient });
      expect(error).toMatchObject({ kind: 'auth', status: 401, aborted: false });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await patient.close();
    }
  });

  it('reports an empty 200 answer as bad_response', async () => {
    inject({ type: 'empty', status: 200 });
    expect((await failure()).kind).toBe('bad_response');
  });

  it.each([
    [
      '/usage/summary',
      (body: Record<string, unknown>) => ({ ...body, totalCostCents: undefined, totalCost: 1 }),
      'Limitry sent a usage summary Burnrate does not understand: totalCostCents: ',
    ],
    [
      '/usage/breakdown',
      (body: { data: Array<Record<string, unknown>> }) => ({ data: body.data.map((row) => ({ ...row, totalCostCents: 'n/a' })) }),
      'Limitry sent a usage breakdown Burnrate does not understand: data[0].totalCostCents: expected an amount in cents',
    ],
    [
      '/usage/timeseries',
      (body: { data: Array<Record<string, unknown>> }) => ({ data: body.data.map((row, i) => (i === 1 ? { ...row, timestamp: '2026-03-01 01:00' } : row)) }),
      'Limitry sent a usage timeseries Burnrate does not understand: data[1].timestamp: expected an ISO-8601 date-time',
    ],
    [
      '/usage/timeseries',
      () => ({ items: [] }),
      'Limitry sent a usage timeseries Burnrate does not understand: data: ',
    ],
    [
      '/usage/breakdown',
      (body: { data: Array<Record<string, unknown>> }) => ({ data: body.data.map((row) => ({ ...row, totalEvents: -3 })) }),
      'Limitry sent a usage breakdown Burnrate does not understand: data[0].totalEvents: ',
    ],
  ] as const)('reports schema drift in %s as bad_response naming the field', async (path, transform, message) => {
    inject({ type: 'drift', transform: transform as (body: unknown) => unknown }, path);
    const error = await failure();
    expect(error.kind).toBe('bad_response');
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('never puts the API key into a message, even when Limitry echoes it', async () => {
    inject({ type: 'status', status: 400, body: { error: `Key ${KEY} is not valid for project prj_1` } });
    const error = await failure();
    expect(error.message).toBe('Limitry rejected the request (400): Key [redacted] is not valid for project prj_1');
    inject({ type: 'status', status: 401, body: { error: `Bearer ${KEY}` } });
    expect((await failure()).message).toBe('Limitry rejected the API key (401): Bearer [redacted]');
  });

  it('keeps the API key out of every error seen above and out of the report', async () => {
    const kinds = new Set<ProviderErrorKind>(seen.map((error) => error.kind));
    expect([...kinds].sort()).toEqual(['auth', 'bad_request', 'bad_response', 'rate_limited', 'server']);
    for (const error of seen) {
      expect(error.message).not.toContain(KEY);
      expect(String(error)).not.toContain(KEY);
      expect(JSON.stringify(error)).not.toContain(KEY);
      expect(inspect(error, { depth: 6 })).not.toContain(KEY);
    }
    const settings = limitryAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl });
    const report = await limitryAdapter.fetchUsage(RANGE, { http, apiKey: KEY, settings, nowMs: NOW });
    expect(JSON.stringify(report)).not.toContain(KEY);
    expect(JSON.stringify(report)).not.toContain('TOPSECRET');
  });
});
