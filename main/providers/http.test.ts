import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { FakeServer } from './fake/harness';
import { ProviderError } from '../core/errors';
import { createHttpClient, readRetryAfterMs } from './http';

const SECRET = 'sk_live_TOPSECRET_1234567890';

const fake = new FakeServer((request) => {
  if (request.path === '/big') return { status: 200, body: { data: 'x'.repeat(200_000) } };
  // The key straddles the 200-character cut of a detail (issue 10: 14 characters of it leaked).
  if (request.path === '/echo-key-at-cut') return { status: 400, body: { detail: `${'x'.repeat(186)} ${SECRET} tail` } };
  if (request.path === '/echo-key-encoded') {
    return { status: 401, body: { detail: `got ${Buffer.from(`${SECRET}:`).toString('base64').replace(/=+$/, '')} and ${encodeURIComponent(`${SECRET}/`)}` } };
  }
  if (request.path === '/echo-key') return { status: 400, body: { detail: `bad key ${SECRET} given` } };
  return { status: 200, body: { ok: true, path: request.path, auth: request.headers.authorization ?? null } };
});
// Generous: on a busy machine a loopback answer can take seconds. The timeout test sets its own.
const http = createHttpClient({ timeoutMs: 30_000, maxResponseBytes: 100_000 });

beforeAll(async () => {
  await fake.start();
});
afterEach(() => fake.clearFaults());
afterAll(async () => {
  await http.close();
  await fake.stop();
});

async function failure(path = '/x', extra: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ProviderError> {
  try {
    await http.getJson({
      provider: 'Acme',
      url: new URL(path, fake.baseUrl),
      headers: { authorization: `Bearer ${SECRET}` },
      secrets: [SECRET],
      ...extra,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect(String((error as Error).message)).not.toContain(SECRET);
    return error as ProviderError;
  }
  throw new Error('expected the request to fail');
}

describe('createHttpClient', () => {
  it('returns parsed JSON and lower-case headers for a 2xx answer', async () => {
    const response = await http.getJson({ provider: 'Acme', url: new URL('/hello', fake.baseUrl), headers: { authorization: 'Bearer k' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, path: '/hello', auth: 'Bearer k' });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('decodes gzip answers', async () => {
    const response = await http.getJson({ provider: 'Acme', url: new URL('/big', fake.baseUrl), timeoutMs: 5_000 }).catch((e: unknown) => e);
    // 200 kB is over this client's 100 kB limit: the limit applies after decompression.
    expect(response).toBeInstanceOf(ProviderError);
    expect((response as ProviderError).kind).toBe('bad_response');
    const roomy = createHttpClient({ maxResponseBytes: 1_000_000 });
    const ok = await roomy.getJson({ provider: 'Acme', url: new URL('/big', fake.baseUrl) });
    await roomy.close();
    expect((ok.body as { data: string }).data).toHaveLength(200_000);
    expect(fake.requests.at(-1)?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it.each([
    [401, 'auth', /Acme rejected the API key \(401\)/],
    [403, 'auth', /Acme refused access with this API key \(403\)/],
    [400, 'bad_request', /Acme rejected the request \(400\)/],
    [404, 'bad_request', /\(404\)/],
    [422, 'bad_request', /\(422\)/],
    [500, 'server', /Acme had a server error \(500\)/],
    [503, 'server', /\(503\)/],
    [429, 'rate_limited', /Acme is rate limiting requests \(429\)/],
  ] as const)('maps status %i to kind %s', async (status, kind, message) => {
    fake.inject({ type: 'status', status, body: { error: 'nope' } });
    const error = await failure();
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });

  it('includes the provider explanation from the error body', async () => {
    fake.inject({ type: 'status', status: 401, body: { detail: 'Authentication credentials were not provided or have expired.' } });
    expect((await failure()).message).toBe(
      'Acme rejected the API key (401): Authentication credentials were not provided or have expired.',
    );
  });

  it('reads Retry-After from the header, in seconds', async () => {
    fake.inject({ type: 'status', status: 429, body: {}, headers: { 'retry-after': '12' } });
    const error = await failure();
    expect(error.retryAfterMs).toBe(12_000);
    expect(error.message).toContain('retry in 12 s');
  });

  it('reads retry_after and details.retry_after from the JSON body', async () => {
    fake.inject({ type: 'status', status: 429, body: { error: 'Rate limit exceeded.', retry_after: 37 } });
    expect((await failure()).retryAfterMs).toBe(37_000);
    fake.inject({ type: 'status', status: 429, body: { error: 'RATE_LIMIT_EXCEEDED', details: { retry_after: 1800 } } });
    expect((await failure()).retryAfterMs).toBe(1_800_000);
  });

  it('reports an HTML page on 200 as bad_response without the body', async () => {
    fake.inject({ type: 'html' });
    const error = await failure();
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe('Acme answered with text/html instead of JSON (200)');
    expect(error.message).not.toMatch(/Maintenance/);
  });

  it('classifies an HTML 502 and an empty 502 by status', async () => {
    fake.inject({ type: 'html', status: 502 });
    expect((await failure()).kind).toBe('server');
    fake.inject({ type: 'empty', status: 502 });
    const error = await failure();
    expect(error.kind).toBe('server');
    expect(error.message).toBe('Acme had a server error (502)');
  });

  it('turns a connection reset into a network error when it happens again on a fresh connection', async () => {
    fake.inject({ type: 'reset' }, { times: 2 });
    const before = fake.requests.length;
    const error = await failure();
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^Could not reach Acme at 127\.0\.0\.1:\d+: the connection was (reset|closed unexpectedly)$/);
    // Sent twice, not more: one retry, then the reset is the provider's.
    expect(fake.requests.length - before).toBe(2);
  });

  it('sends a GET once more when the connection is reset before any answer (a kept-alive connection closed under it)', async () => {
    fake.inject({ type: 'reset' });
    const before = fake.requests.length;
    const answer = await http.getJson({ provider: 'Acme', url: new URL('/after-reset', fake.baseUrl) });
    expect(answer.body).toMatchObject({ ok: true, path: '/after-reset' });
    expect(fake.requests.length - before).toBe(2);
  });

  it('times out a hanging provider as a network error', async () => {
    fake.inject({ type: 'hang' });
    // The answer never comes: only the client's own timeout can end this (no wall-clock bound here).
    const error = await failure('/x', { timeoutMs: 300 });
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/did not answer within/);
  });

  it('honours the caller AbortSignal and says it was cancelled', async () => {
    fake.inject({ type: 'hang' });
    const controller = new AbortController();
    // Abort once the request has reached the fake (the event meant), not after some milliseconds.
    const reached = fake.whenRequests(fake.requests.length + 1);
    const failing = failure('/x', { signal: controller.signal, timeoutMs: 10_000 });
    await reached;
    controller.abort();
    const error = await failing;
    expect(error.kind).toBe('network');
    expect(error.aborted).toBe(true);
  });

  it('reports connection refused as network', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await http
      .getJson({ provider: 'Acme', url: new URL(`http://127.0.0.1:${port}/x`) })
      .then(() => { throw new Error("expected failure"); }, (e: unknown) => e as ProviderError);
    expect(error.kind).toBe('network');
    expect(error.message).toContain('connection refused');
  });

  it('never puts the key into a message, even when the provider echoes it', async () => {
    const error = await failure('/echo-key');
    expect(error.message).toBe('Acme rejected the request (400): bad key [redacted] given');
  });

  it('redacts before cutting the detail to 200 characters, so no part of a key straddling the cut survives', async () => {
    const error = await failure('/echo-key-at-cut');
    for (let i = 0; i + 4 <= SECRET.length; i += 1) expect(error.message).not.toContain(SECRET.slice(i, i + 4));
    expect(error.message).toMatch(/x{186} \[redacted\] t…$/);
  });

  it('redacts unpadded base64 and URL-encoded forms of the key', async () => {
    const error = await failure('/echo-key-encoded');
    expect(error.message).toBe('Acme rejected the API key (401): got [redacted] and [redacted]%2F');
  });
});

describe('readRetryAfterMs', () => {
  it('reads an HTTP date relative to the server Date header', () => {
    expect(
      readRetryAfterMs({ 'retry-after': 'Wed, 21 Oct 2026 07:28:30 GMT', date: 'Wed, 21 Oct 2026 07:28:00 GMT' }, undefined),
    ).toBe(30_000);
  });

  it('reads an HTTP date without a server Date header against the clock it is given, never its own', () => {
    const retryAfter = { 'retry-after': 'Wed, 21 Oct 2026 07:28:30 GMT' };
    expect(readRetryAfterMs(retryAfter, undefined, Date.UTC(2026, 9, 21, 7, 28, 0))).toBe(30_000);
    expect(readRetryAfterMs(retryAfter, undefined, Date.UTC(2026, 9, 21, 7, 29, 0))).toBe(0);
    expect(readRetryAfterMs(retryAfter, undefined)).toBeUndefined();
  });

  it('returns undefined when nothing says how long to wait', () => {
    expect(readRetryAfterMs({}, { error: 'x' })).toBeUndefined();
    expect(readRetryAfterMs({ 'retry-after': 'soon' }, undefined)).toBeUndefined();
  });
});
