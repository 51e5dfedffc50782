/**
 * Civis's own error cases: its {error, errorDescription, code} envelope, the organization check,
 * the credit limit call that may fail alone, and schema drift. The error matrix every provider
 * shares (each kind, reset, hang, abort, HTML, truncated JSON, key redaction) is the contract
 * suite's, test/contract/providerContract.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { civisErrorBody, startCivisFake, type CivisFake } from './civis.fake';
import type { Fault, FaultOptions } from '../fake/harness';
import { ProviderError } from '../../core/errors';
import type { TimeRange } from '../../core/report';
import { createHttpClient } from '../http';
import type { ProviderContext } from '../types';
import { civisAdapter, type CivisSettings } from './civis';

const SECRET = 'civ_live_SECRET_9f8e7d6c5b4a3210';
const SECRET_FORMS = [SECRET, Buffer.from(`${SECRET}:`).toString('base64'), Buffer.from(SECRET).toString('base64')];
const NOW = Date.UTC(2026, 3, 15, 12, 30);
const WEEK: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 8) };

let fake: CivisFake;
const http = createHttpClient({ timeoutMs: 5_000 });
const impatient = createHttpClient({ timeoutMs: 300 });

beforeAll(async () => {
  fake = await startCivisFake({ apiKey: SECRET, now: () => NOW });
});
afterEach(() => fake.server.clearFaults());
afterAll(async () => {
  await http.close();
  await impatient.close();
  await fake.stop();
});

function context(
  settings: Record<string, unknown> = {},
  extra: Partial<ProviderContext<CivisSettings>> = {},
): ProviderContext<CivisSettings> {
  return {
    http,
    apiKey: SECRET,
    nowMs: NOW,
    settings: civisAdapter.settingsSchema.parse({ orgId: 7, baseUrl: fake.baseUrl, ...settings }),
    ...extra,
  };
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;
}

/** Runs a fetch that must fail, checks it failed with a ProviderError free of the key, and returns it. */
async function failure(ctx: ProviderContext<CivisSettings> = context()): Promise<ProviderError> {
  const outcome = await civisAdapter.fetchUsage(WEEK, ctx).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ProviderError);
  expectNoSecret(outcome as ProviderError);
  return outcome as ProviderError;
}

function expectNoSecret(error: ProviderError): void {
  const cause = error.cause instanceof Error ? `${error.cause.name} ${error.cause.message}` : String(error.cause);
  for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? '', cause]) {
    for (const form of SECRET_FORMS) expect(text).not.toContain(form);
  }
}

const usageOnly: FaultOptions = { path: '/usage/llm' };

describe('civisAdapter errors', () => {
  it('reports a wrong key as auth (401) with Civis own explanation', async () => {
    const error = await failure({ ...context(), apiKey: 'civ_live_wrong_key_000' });
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe('Civis rejected the API key (401): Invalid or expired API key.');
  });

  it('reads errorDescription from the 401 fixture', async () => {
    fake.server.inject({ type: 'status', status: 401, body: fixture('civis-error-401.json') }, usageOnly);
    const error = await failure();
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/Invalid or expired API key\.$/);
  });

  it('reports an organization the key cannot see as auth (403)', async () => {
    const error = await failure(context({ orgId: 8 }));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(403);
    expect(error.message).toBe('Civis refused access with this API key (403): You do not have access to this organization.');
  });

  it('reports 429 as rate_limited with the wait from Retry-After', async () => {
    fake.server.inject(
      { type: 'status', status: 429, body: civisErrorBody(429, 'too_many_requests', 'Rate limit exceeded.'), headers: { 'retry-after': '30' } },
      usageOnly,
    );
    const error = await failure();
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.transient).toBe(true);
    expect(error.message).toBe('Civis is rate limiting requests (429); retry in 30 s: Rate limit exceeded.');
  });

  it('reports 400 as bad_request with the errorDescription', async () => {
    fake.server.inject({ type: 'status', status: 400, body: civisErrorBody(400, 'bad_request', 'end_date is invalid.') }, usageOnly);
    const error = await failure();
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('Civis rejected the request (400): end_date is invalid.');
  });

  it('reports the 404 fixture as bad_request', async () => {
    fake.server.inject({ type: 'status', status: 404, body: fixture('civis-error-404.json') }, usageOnly);
    const error = await failure();
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('Civis does not know this endpoint or resource (404): The requested resource could not be found.');
  });

  it('reports a base URL without the Civis API as bad_request', async () => {
    const error = await failure(context({ baseUrl: `${fake.baseUrl}/nowhere` }));
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(404);
  });

  it.each([
    ['a row without credits', (rows: Array<Record<string, unknown>>) => rows.map(({ credits: _credits, ...row }) => row), /\[0\]\.credits/],
    ['credits that are not a number', (rows: Array<Record<string, unknown>>) => rows.map((row) => ({ ...row, credits: 'lots' })), /\[0\]\.credits: expected an amount/],
    [
      'snake_case rows',
      (rows: Array<Record<string, unknown>>) => rows.map(({ runCreatedAt, ...row }) => ({ ...row, run_created_at: runCreatedAt })),
      /\[0\]\.runCreatedAt/,
    ],
    ['a run time without a zone', (rows: Array<Record<string, unknown>>) => rows.map((row) => ({ ...row, runCreatedAt: '2026-04-01 10:00:00' })), /\[0\]\.runCreatedAt: expected an ISO-8601/],
    ['a null modelId', (rows: Array<Record<string, unknown>>) => rows.map((row) => ({ ...row, modelId: null })), /\[0\]\.modelId/],
    ['an object instead of the list', () => ({ data: [] }), /\(root\)/],
  ])('reports %s as bad_response naming the field', async (_name, transform, field) => {
    fake.server.inject({ type: 'drift', transform: transform as (body: unknown) => unknown }, usageOnly);
    const error = await failure();
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/^Civis sent a list of LLM usage Burnrate does not understand: /);
    expect(error.message).toMatch(field);
  });

  it('reports a credit sum too large to track exactly as bad_response', async () => {
    fake.server.inject(
      { type: 'drift', transform: (body) => (body as Array<Record<string, unknown>>).map((row) => ({ ...row, credits: 8_000_000_000 })) },
      usageOnly,
    );
    const error = await failure();
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe('Civis sent credit amounts too large to track exactly');
  });
});

describe('civisAdapter when only the credit limit fails', () => {
  const limitsOnly: FaultOptions = { path: '/usage_limits/llm' };

  it.each<[string, Fault]>([
    ['a server error', { type: 'status', status: 500, body: civisErrorBody(500, 'internal_server_error', 'Limits are down.') }],
    ['an empty 502', { type: 'empty', status: 502 }],
    ['a reset', { type: 'reset' }],
    ['schema drift', { type: 'drift', transform: () => [{ id: 3, organizationId: 7, hardLimit: 'unlimited' }] }],
  ])('still reports usage after %s and notes the missing limit', async (_name, fault) => {
    // Until cleared: a reset is sent once more by the client, and must fail again to be a failure.
    fake.server.inject(fault, { ...limitsOnly, times: Infinity });
    const report = await civisAdapter.fetchUsage(WEEK, context());
    expect(report.totalMicros).toBe(fake.truthMicros(WEEK));
    expect(report.extras).not.toHaveProperty('creditHardLimit');
    const note = report.notes.find((text) => text.startsWith('The Civis credit limit could not be read'));
    expect(note).toBeDefined();
    for (const form of SECRET_FORMS) expect(note).not.toContain(form);
  });

  it('names the drifting field in the note', async () => {
    fake.server.inject({ type: 'drift', transform: () => [{ id: 3, organizationId: 7, hardLimit: 'unlimited' }] }, limitsOnly);
    const report = await civisAdapter.fetchUsage(WEEK, context());
    expect(report.notes.join(' ')).toMatch(/\[0\]\.hardLimit/);
  });

  it('still reports usage when the limit call hangs past the timeout', async () => {
    fake.server.inject({ type: 'hang' }, limitsOnly);
    const report = await civisAdapter.fetchUsage(WEEK, { ...context(), http: impatient });
    expect(report.totalMicros).toBe(fake.truthMicros(WEEK));
    expect(report.notes.join(' ')).toMatch(/credit limit could not be read \(Civis did not answer within/);
  });

  it('fails the whole fetch when the limit call is refused for the key', async () => {
    fake.server.inject({ type: 'status', status: 401, body: fixture('civis-error-401.json') }, limitsOnly);
    const error = await failure();
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
  });
});

describe('civisAdapter keeps the API key secret', () => {
  const echo = `Key ${SECRET} (${SECRET_FORMS[1]}) is not allowed for ${SECRET_FORMS[2]}`;

  it('keeps the key out of errors built from Civis envelopes and drifting rows, even when Civis echoes it', async () => {
    const faults: Array<[Fault, ProviderContext<CivisSettings>?]> = [
      [{ type: 'status', status: 400, body: civisErrorBody(400, 'bad_request', echo) }],
      [{ type: 'status', status: 401, body: civisErrorBody(401, 'unauthorized', echo) }],
      [{ type: 'status', status: 403, body: civisErrorBody(403, 'forbidden', echo) }],
      [{ type: 'status', status: 429, body: civisErrorBody(429, 'too_many_requests', echo), headers: { 'retry-after': '1' } }],
      [{ type: 'drift', transform: (body) => (body as Array<Record<string, unknown>>).map((row) => ({ ...row, credits: SECRET })) }],
      [{ type: 'drift', transform: (body) => (body as Array<Record<string, unknown>>).map((row) => ({ ...row, runCreatedAt: `${SECRET} UTC` })) }],
    ];
    const kinds = new Set<string>();
    for (const [fault, ctx] of faults) {
      fake.server.inject(fault, usageOnly);
      const error = await failure(ctx);
      kinds.add(error.kind);
    }
    const wrongKey = await failure({ ...context(), apiKey: `${SECRET}_revoked` });
    for (const form of [wrongKey.message, String(wrongKey), JSON.stringify(wrongKey)]) expect(form).not.toContain(SECRET);
    kinds.add(wrongKey.kind);
    expect([...kinds].sort()).toEqual(['auth', 'bad_request', 'bad_response', 'rate_limited']);
  });

  it('keeps the key out of the report and its notes', async () => {
    fake.server.inject({ type: 'status', status: 500, body: civisErrorBody(500, 'internal_server_error', echo) }, { path: '/usage_limits/llm' });
    const report = await civisAdapter.fetchUsage(WEEK, context({ usdPerCredit: 0.02 }));
    const text = JSON.stringify(report);
    expect(report.notes.some((note) => note.includes('[redacted]'))).toBe(true);
    for (const form of SECRET_FORMS) expect(text).not.toContain(form);
  });
});
