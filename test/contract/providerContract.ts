/**
 * The provider contract: what every registered provider must do, run against its own loopback
 * fake with the real undici client. `describeProviderContract(entry)` registers one describe block
 * named after the provider id; test/contract/providers.test.ts runs it for every registry entry,
 * so a provider is fully tested the moment it is registered, and one taken out of the registry
 * takes its tests with it.
 *
 * Covered: every ProviderError kind (401, 403, 400, 404, 429 with Retry-After, 5xx, an HTML page,
 * truncated JSON, a reset connection, a hang past the timeout), the caller's abort, the API key
 * kept out of every error and report, exact totals against the fake's truth, and a settings form
 * whose keys are exactly the settings schema's keys. What is particular to one provider (its
 * error bodies, quirks, mapping) stays in that provider's own tests beside its adapter.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../../main/core/errors';
import type { TimeRange, UsageReport } from '../../main/core/report';
import type { Fault } from '../../main/providers/fake/harness';
import { createHttpClient, type HttpClient } from '../../main/providers/http';
import type { ProviderContext, ProviderEntry, ProviderFake } from '../../main/providers/types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The fakes' frozen clock: a Thursday afternoon, 23 minutes into the hour. */
export const CONTRACT_NOW_MS = Date.UTC(2026, 4, 14, 14, 23, 17);
/** A complete week before "now": several days of usage from every fake. */
export const CONTRACT_RANGE: TimeRange = { startMs: Date.UTC(2026, 4, 7), endMs: Date.UTC(2026, 4, 14) };
/** The client timeout of the hang case: short, since the fake never answers anyway. */
const HANG_TIMEOUT_MS = 400;

/** The forms a key could leak in: itself and its Basic-auth encodings (Civis sends `key:`). */
function leakForms(key: string): string[] {
  return [key, Buffer.from(`${key}:`).toString('base64'), Buffer.from(key).toString('base64')];
}

/** The keys of a settings schema: a strict object, possibly wrapped in a pipe, refinement or default. */
export function schemaKeys(schema: z.ZodType): string[] {
  let current: unknown = schema;
  for (let depth = 0; depth < 10 && current; depth += 1) {
    const candidate = current as { shape?: Record<string, unknown>; _zod?: { def?: { type?: string; in?: unknown; innerType?: unknown; schema?: unknown } } };
    if (candidate.shape && typeof candidate.shape === 'object') return Object.keys(candidate.shape).sort();
    const def = candidate._zod?.def;
    current = def?.in ?? def?.innerType ?? def?.schema;
  }
  throw new Error('the settings schema is not an object schema');
}

/** Registers the contract suite of one provider entry (one describe block named after its id). */
export function describeProviderContract(entry: ProviderEntry): void {
  describe(`provider contract: ${entry.id}`, () => {
    const apiKey = `${entry.fake.keyPrefix}contract_${randomBytes(12).toString('hex')}`;
    const http = createHttpClient({ timeoutMs: 10_000 });
    const impatient = createHttpClient({ timeoutMs: HANG_TIMEOUT_MS });
    /** Every error and report the suite saw, for the key check at the end. */
    const seen: Array<ProviderError | UsageReport> = [];
    let fake: ProviderFake;

    beforeAll(async () => {
      fake = await entry.fake.start({ apiKey, now: () => CONTRACT_NOW_MS });
    });
    afterEach(() => fake.server.clearFaults());
    afterAll(async () => {
      await Promise.all([http.close(), impatient.close()]);
      await fake?.stop();
    });

    function context(options: { apiKey?: string; client?: HttpClient; signal?: AbortSignal } = {}): ProviderContext<unknown> {
      return {
        http: options.client ?? http,
        apiKey: options.apiKey ?? apiKey,
        settings: entry.adapter.settingsSchema.parse({ baseUrl: fake.baseUrl, ...entry.fake.settings }),
        nowMs: CONTRACT_NOW_MS,
        ...(options.signal ? { signal: options.signal } : {}),
      };
    }

    async function fetchReport(): Promise<UsageReport> {
      const report = await entry.adapter.fetchUsage(CONTRACT_RANGE, context());
      seen.push(report);
      return report;
    }

    /** Runs a fetch that must fail; returns its ProviderError. */
    async function failure(options: Parameters<typeof context>[0] = {}): Promise<ProviderError> {
      let outcome: unknown;
      try {
        outcome = await entry.adapter.fetchUsage(CONTRACT_RANGE, context(options));
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(ProviderError);
        seen.push(error as ProviderError);
        return error as ProviderError;
      }
      throw new Error(`expected the ${entry.id} fetch to fail, got ${JSON.stringify(outcome).slice(0, 200)}`);
    }

    /** Injects a fault into every request (an adapter may make several) and fetches. */
    async function failureWith(fault: Fault, options: Parameters<typeof context>[0] = {}): Promise<ProviderError> {
      fake.server.inject(fault, { times: Infinity });
      return failure(options);
    }

    it(`${entry.id}: the entry names its own adapter and has a display name`, () => {
      expect(entry.adapter.id).toBe(entry.id);
      expect(entry.displayName).toBe(entry.adapter.displayName);
      expect(entry.displayName.trim()).not.toBe('');
      expect(entry.adapter.minRefreshMs).toBeGreaterThan(0);
    });

    it(`${entry.id}: the settings form has exactly the keys of the settings schema`, () => {
      const formKeys = entry.settings.map((field) => field.key).sort();
      expect(new Set(formKeys).size, 'a key appears twice in the form').toBe(formKeys.length);
      expect(formKeys).toEqual(schemaKeys(entry.adapter.settingsSchema));
      expect(entry.settings.find((field) => field.key === 'baseUrl')).toMatchObject({ kind: 'url', required: false });
    });

    it(`${entry.id}: reports the fake's truth exactly, to the micro-unit`, async () => {
      const report = await fetchReport();
      const truth = fake.truthMicros(CONTRACT_RANGE);
      expect(truth, 'the fake has usage in the contract range').toBeGreaterThan(0);
      expect(report.provider).toBe(entry.id);
      expect(report.range).toEqual(CONTRACT_RANGE);
      expect(Number.isSafeInteger(report.totalMicros)).toBe(true);
      expect(report.totalMicros).toBe(truth);
      for (const bucket of report.buckets) {
        expect(Number.isSafeInteger(bucket.costMicros)).toBe(true);
        expect(bucket.startMs).toBeGreaterThanOrEqual(CONTRACT_RANGE.startMs - DAY_MS);
        expect(bucket.startMs).toBeLessThan(CONTRACT_RANGE.endMs);
      }
    });

    it(`${entry.id}: reports a key the fake does not know as auth`, async () => {
      const error = await failure({ apiKey: `${apiKey}_revoked` });
      expect(error.kind).toBe('auth');
    });

    it.each<[string, Fault, ProviderErrorKind, number | undefined]>([
      ['401', { type: 'status', status: 401 }, 'auth', 401],
      ['403', { type: 'status', status: 403 }, 'auth', 403],
      ['400', { type: 'status', status: 400 }, 'bad_request', 400],
      ['404', { type: 'status', status: 404 }, 'bad_request', 404],
      ['500', { type: 'status', status: 500 }, 'server', 500],
      ['502 with an empty body', { type: 'empty', status: 502 }, 'server', 502],
      ['503', { type: 'status', status: 503 }, 'server', 503],
    ])(`${entry.id}: reports HTTP %s as its kind`, async (_name, fault, kind, status) => {
      const error = await failureWith(fault);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.aborted).toBe(false);
    });

    it(`${entry.id}: reports 429 as rate_limited with the wait from Retry-After`, async () => {
      const error = await failureWith({ type: 'status', status: 429, headers: { 'retry-after': '37' } });
      expect(error.kind).toBe('rate_limited');
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBe(37_000);
    });

    it(`${entry.id}: reports an HTML page as bad_response without its text`, async () => {
      const error = await failureWith({ type: 'html' });
      expect(error.kind).toBe('bad_response');
      expect(error.message).not.toMatch(/Maintenance|<html|<h1/i);
    });

    it(`${entry.id}: reports truncated JSON as bad_response`, async () => {
      const error = await failureWith({ type: 'truncated' });
      expect(error.kind).toBe('bad_response');
    });

    it(`${entry.id}: reports a reset connection as network`, async () => {
      const error = await failureWith({ type: 'reset' });
      expect(error.kind).toBe('network');
    });

    it(`${entry.id}: reports a hanging API as network after the client timeout`, async () => {
      const error = await failureWith({ type: 'hang' }, { client: impatient });
      expect(error.kind).toBe('network');
      expect(error.aborted).toBe(false);
    });

    it(`${entry.id}: stops when the caller aborts, and says it was the caller`, async () => {
      fake.server.inject({ type: 'hang' }, { times: Infinity });
      const controller = new AbortController();
      const before = fake.server.requests.length;
      const pending = failure({ signal: controller.signal });
      // Abort once the request is at the fake (hanging there), not after a guessed delay.
      await fake.server.whenRequests(before + 1);
      controller.abort();
      const error = await pending;
      expect(error.aborted).toBe(true);
      expect(error.kind).toBe('network');
    });

    it(`${entry.id}: keeps the API key out of every error, even when the API echoes it`, async () => {
      const [, basic, plain] = leakForms(apiKey);
      const echo = `Key ${apiKey} (${basic}, ${plain}) is not allowed`;
      const body = { error: echo, message: echo, detail: echo, errorDescription: echo, error_description: echo, code: echo };
      const kinds = new Set<ProviderErrorKind>();
      for (const status of [400, 401, 403, 404, 429, 500, 503]) {
        const error = await failureWith({ type: 'status', status, body, headers: { 'retry-after': '1' } });
        fake.server.clearFaults();
        kinds.add(error.kind);
        for (const form of [error.message, String(error), JSON.stringify(error)]) {
          for (const secret of leakForms(apiKey)) expect(form, `HTTP ${status}`).not.toContain(secret);
        }
      }
      expect([...kinds].sort()).toEqual(['auth', 'bad_request', 'rate_limited', 'server']);
    });

    it(`${entry.id}: never shows the key in any error or report the suite saw`, async () => {
      await fetchReport();
      expect(seen.length).toBeGreaterThan(10);
      for (const item of seen) {
        const forms = item instanceof ProviderError ? [item.message, String(item), JSON.stringify(item), String(item.cause ?? '')] : [JSON.stringify(item)];
        for (const form of forms) for (const secret of leakForms(apiKey)) expect(form).not.toContain(secret);
      }
    });
  });
}
