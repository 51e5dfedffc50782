/**
 * Loopback fake of TensorOne's `GET /v2/billing/usage` (docs/providers/PROVIDERS.md §0 and §2),
 * answering in the wire shapes of test/fixtures/providers/tensorone-*.json for any range, from a
 * deterministic Scenario. It enforces the contract: `Authorization: Bearer <key>` (401/403
 * envelopes), `timeRange=custom` with `startDate`/`endDate` as YYYY-MM-DD (endDate inclusive,
 * 400 VALIDATION_ERROR otherwise), `currency` (other currencies are converted at fixed fake
 * rates), `granularity`, `includeProjections`, `includeCosts`, `resourceType[]`, and the
 * X-RateLimit-* headers with an optional read limit (429 RATE_LIMIT_EXCEEDED).
 * Used by provider tests, the CLI's demo mode and end-to-end tests: keep it fast and deterministic.
 */
import { FakeServer, type FakeReply, type FakeRequest } from '../fake/harness';
import { truthMicros as scenarioTruthMicros, type Scenario } from '../fake/scenario';
import { TENSORONE_FAKE_USAGE_PATH, type TensorOneFakeCurrency, type TensorOneWireAlert } from './tensorone.fake.wire';
import { parseQuery } from './tensorone.fake.query';
import { renderUsage, resourceTypeOf, type FakeState } from './tensorone.fake.render';
import { defaultTensorOneScenario } from './tensorone.fake.scenario';

export { defaultTensorOneScenario };

export {
  TENSORONE_FAKE_RATES,
  TENSORONE_FAKE_RESOURCE_TYPES,
  TENSORONE_FAKE_USAGE_PATH,
  type TensorOneFakeCurrency,
  type TensorOneFakeResourceType,
  type TensorOneWireAlert,
} from './tensorone.fake.wire';

/** Options of {@link startTensorOneFake}: the key, the data, and the provider-specific knobs. */
export interface TensorOneFakeOptions {
  /** The one valid key (with the billing scope). */
  apiKey: string;
  /** Default: {@link defaultTensorOneScenario}. Resources carry `meta.resourceType`. */
  scenario?: Scenario;
  /** The fake's clock (epoch ms). Default: Date.now. */
  now?: () => number;
  /** How far recorded usage trails the clock (ms). Default 0. */
  lagMs?: number;
  /** Keys that authenticate but lack the `billing` scope: 403 FORBIDDEN with permission details. */
  scopelessKeys?: readonly string[];
  /**
   * A sparse timeSeries: `true` sends only the newest point of each series, like the vendor's
   * example; `{ everyHours: n }` sends only the points whose UTC hour index is a multiple of n
   * (newest first). Default: complete series. Totals are complete either way.
   */
  sparseSeries?: boolean | { readonly everyHours: number };
  /** Reads allowed per window; counted down in X-RateLimit-Remaining, then 429. Default: no limit enforced (headers show 1000). */
  readLimit?: number;
  /** Rate-limit window (seconds). Default 3600. */
  rateLimitWindowSeconds?: number;
  /** Emitted as `alerts[]`. Default: an empty array. */
  alerts?: readonly TensorOneWireAlert[];
  /** Currency used when a request sends none: the account's currency. Default EUR, so relying on the default gives wrong dollars. */
  accountCurrency?: TensorOneFakeCurrency;
  /** How many `topResources` each breakdown lists (storage and bandwidth list none, like the vendor). Default 5. */
  topResourcesLimit?: number;
}

/** A running TensorOne fake. Inject faults through `server.inject(...)`. */
export interface TensorOneFake {
  readonly server: FakeServer;
  readonly baseUrl: string;
  /** Exact truth in micro-USD for a range, as the fake would report it (all resource types). */
  truthMicros(range: { startMs: number; endMs: number }): number;
  stop(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startTensorOneFake(options: TensorOneFakeOptions): Promise<TensorOneFake> {
  const scenario = options.scenario ?? defaultTensorOneScenario();
  for (const resource of scenario.resources) resourceTypeOf(resource);
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 0;
  const state: FakeState = { options, scenario, now, lagMs, reads: new Map(), requestCount: 0 };
  const server = new FakeServer((request) => handle(state, request), { now });
  const baseUrl = await server.start();
  return {
    server,
    baseUrl,
    truthMicros: (range) => scenarioTruthMicros(scenario, range.startMs, range.endMs, now() - lagMs),
    stop: () => server.stop(),
  };
}


function handle(state: FakeState, request: FakeRequest): FakeReply {
  const nowMs = state.now();
  state.requestCount += 1;
  const windowMs = (state.options.rateLimitWindowSeconds ?? 3600) * 1000;
  const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
  const used = (state.reads.get(windowStartMs) ?? 0) + 1;
  state.reads.set(windowStartMs, used);
  const limit = state.options.readLimit ?? 1000;
  const resetMs = windowStartMs + windowMs;
  const rateHeaders: Record<string, string> = {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - used)),
    'x-ratelimit-reset': String(Math.floor(resetMs / 1000)),
    'x-ratelimit-window': String(windowMs / 1000),
  };
  const error = (status: number, code: string, message: string, details?: Record<string, unknown>, extra = {}): FakeReply => ({
    status,
    headers: { ...rateHeaders, ...extra },
    body: {
      error: code,
      message,
      code: status,
      ...(details ? { details } : {}),
      request_id: `req_${state.requestCount.toString(16).padStart(16, '0')}`,
      timestamp: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  });

  const authorization = request.headers.authorization;
  const key = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
  const scopeless = key !== undefined && (state.options.scopelessKeys ?? []).includes(key);
  if (key !== state.options.apiKey && !scopeless) return error(401, 'UNAUTHORIZED', 'Invalid or missing API key');
  if (scopeless) {
    return error(403, 'FORBIDDEN', 'Insufficient permissions for this operation', {
      required_permissions: ['billing:read'],
      current_permissions: ['clusters:read', 'endpoints:read'],
    });
  }
  if (state.options.readLimit !== undefined && used > state.options.readLimit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((resetMs - nowMs) / 1000));
    return error(
      429,
      'RATE_LIMIT_EXCEEDED',
      'API rate limit exceeded',
      {
        limit,
        remaining: 0,
        reset_at: new Date(resetMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        retry_after: retryAfterSeconds,
      },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
  if (request.path !== TENSORONE_FAKE_USAGE_PATH) {
    return error(404, 'RESOURCE_NOT_FOUND', 'The requested resource does not exist');
  }
  if (request.method !== 'GET') return error(405, 'METHOD_NOT_ALLOWED', 'Only GET is supported on this endpoint');

  const parsed = parseQuery(request.query, nowMs, state.options.accountCurrency ?? 'EUR');
  if ('field' in parsed) {
    return error(400, 'VALIDATION_ERROR', 'Request validation failed', { field: parsed.field, reason: parsed.reason });
  }
  return { status: 200, headers: rateHeaders, body: renderUsage(state, parsed, nowMs) };
}
