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
import {
  DAY_MS,
  HOUR_MS,
  hoursInRange,
  microsToDecimalString,
  truthMicros as scenarioTruthMicros,
  type Scenario,
  type ScenarioResource,
} from '../fake/scenario';

/** The path the fake serves. */
export const TENSORONE_FAKE_USAGE_PATH = '/v2/billing/usage';

/** Resource types TensorOne bills; a scenario resource names its type in `meta.resourceType`. */
export const TENSORONE_FAKE_RESOURCE_TYPES = ['clusters', 'endpoints', 'training', 'ai-services', 'storage', 'bandwidth'] as const;
export type TensorOneFakeResourceType = (typeof TENSORONE_FAKE_RESOURCE_TYPES)[number];

/** Currencies the API accepts, with the fixed fake rate (units per USD). JPY has no minor unit. */
export const TENSORONE_FAKE_RATES = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 151.37, CAD: 1.36, AUD: 1.52 } as const;
export type TensorOneFakeCurrency = keyof typeof TENSORONE_FAKE_RATES;

/** An alert exactly as the wire carries it. */
export interface TensorOneWireAlert {
  readonly type: string;
  readonly severity: string;
  readonly message: string;
  readonly threshold?: number;
  readonly currentValue?: number;
}

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

export interface TensorOneFake {
  readonly server: FakeServer;
  readonly baseUrl: string;
  /** Exact truth in micro-USD for a range, as the fake would report it (all resource types). */
  truthMicros(range: { startMs: number; endMs: number }): number;
  stop(): Promise<void>;
}

const UNITS: Readonly<Record<TensorOneFakeResourceType, string>> = {
  clusters: 'gpu_hours',
  endpoints: 'gpu_hours',
  training: 'gpu_hours',
  'ai-services': 'requests',
  storage: 'gb_hours',
  bandwidth: 'gb',
};

/** Default price per unit (micro-USD) used to derive quantities from cost; `meta.unitPriceMicros` overrides. */
const UNIT_PRICE_MICROS: Readonly<Record<TensorOneFakeResourceType, number>> = {
  clusters: 2_500_000,
  endpoints: 1_800_000,
  training: 3_000_000,
  'ai-services': 3_000,
  storage: 3_000,
  bandwidth: 80_000,
};

const TIME_RANGES = ['current_month', 'last_month', 'current_quarter', 'last_quarter', 'current_year', 'custom'] as const;
const GRANULARITIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
type Granularity = (typeof GRANULARITIES)[number];
const MAX_RANGE_DAYS = 366;

/**
 * A realistic TensorOne account: two GPU clusters (one of them idle but billed), a serverless
 * endpoint, an AI service, storage and egress, spread over three regions.
 */
export function defaultTensorOneScenario(seed = 1): Scenario {
  const resources: ScenarioResource[] = [
    {
      id: 'cluster-gpu-a100-001',
      name: 'GPU Cluster A100-001',
      hourlyMicros: 10_000_000,
      requestsPerHour: 1_200,
      shape: 'flat',
      meta: { resourceType: 'clusters', region: 'us-east-1' },
    },
    {
      id: 'cluster-gpu-h100-002',
      name: 'GPU Cluster H100-002',
      hourlyMicros: 7_960_000,
      requestsPerHour: 0,
      shape: 'flat',
      meta: { resourceType: 'clusters', region: 'us-west-2' },
    },
    {
      id: 'ep-llama3-70b',
      name: 'Llama 3 70B endpoint',
      hourlyMicros: 3_600_000,
      requestsPerHour: 900,
      shape: 'diurnal',
      meta: { resourceType: 'endpoints', region: 'us-east-1' },
    },
    {
      id: 'text-to-image',
      name: 'Text-to-Image Generation',
      hourlyMicros: 450_000,
      requestsPerHour: 150,
      shape: 'weekday',
      meta: { resourceType: 'ai-services', region: 'eu-west-1' },
    },
    {
      id: 'vol-datasets',
      name: 'Datasets volume',
      hourlyMicros: 150_000,
      shape: 'flat',
      meta: { resourceType: 'storage', region: 'us-east-1' },
    },
    {
      id: 'egress',
      name: 'Data transfer',
      hourlyMicros: 240_000,
      shape: 'bursty',
      meta: { resourceType: 'bandwidth', region: 'us-east-1' },
    },
  ];
  return { seed, resources };
}

/** Starts the fake on a free loopback port. */
function sparsePoints<P extends { timestamp: string }>(points: P[], sparse: TensorOneFakeOptions['sparseSeries']): P[] {
  if (!sparse) return points;
  if (sparse === true) return points.slice(0, 1);
  return points.filter((point) => Math.floor(Date.parse(point.timestamp) / HOUR_MS) % sparse.everyHours === 0);
}

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

interface FakeState {
  readonly options: TensorOneFakeOptions;
  readonly scenario: Scenario;
  readonly now: () => number;
  readonly lagMs: number;
  /** Reads per rate-limit window start (ms). */
  readonly reads: Map<number, number>;
  requestCount: number;
}

function resourceTypeOf(resource: ScenarioResource): TensorOneFakeResourceType {
  const type = resource.meta?.resourceType ?? 'ai-services';
  if (!(TENSORONE_FAKE_RESOURCE_TYPES as readonly unknown[]).includes(type)) {
    throw new Error(`scenario resource ${resource.id} has unknown meta.resourceType ${String(type)}`);
  }
  return type as TensorOneFakeResourceType;
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

interface UsageQuery {
  readonly startDayMs: number;
  /** Inclusive last day. */
  readonly lastDayMs: number;
  readonly billingCycle: string;
  readonly granularity: Granularity;
  readonly currency: TensorOneFakeCurrency;
  readonly includeProjections: boolean;
  readonly includeCosts: boolean;
  readonly types: ReadonlySet<TensorOneFakeResourceType>;
}

interface QueryProblem {
  readonly field: string;
  readonly reason: string;
}

function parseQuery(query: URLSearchParams, nowMs: number, accountCurrency: TensorOneFakeCurrency): UsageQuery | QueryProblem {
  const timeRange = query.get('timeRange') ?? 'current_month';
  if (!(TIME_RANGES as readonly string[]).includes(timeRange)) {
    return { field: 'timeRange', reason: `timeRange must be one of ${TIME_RANGES.join(', ')}` };
  }
  let startDayMs: number;
  let lastDayMs: number;
  let billingCycle: string;
  if (timeRange === 'custom') {
    const startText = query.get('startDate');
    const endText = query.get('endDate');
    if (!startText || !endText) {
      return { field: startText ? 'endDate' : 'startDate', reason: 'startDate and endDate are required when timeRange is custom' };
    }
    const start = parseDate(startText);
    if (start === undefined) return { field: 'startDate', reason: 'startDate must be a date in the format YYYY-MM-DD' };
    const end = parseDate(endText);
    if (end === undefined) return { field: 'endDate', reason: 'endDate must be a date in the format YYYY-MM-DD' };
    if (end < start) return { field: 'endDate', reason: 'endDate must not be before startDate' };
    if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      return { field: 'endDate', reason: `a custom range may span at most ${MAX_RANGE_DAYS} days` };
    }
    [startDayMs, lastDayMs, billingCycle] = [start, end, 'custom'];
  } else {
    [startDayMs, lastDayMs, billingCycle] = presetPeriod(timeRange, nowMs);
  }

  const granularity = query.get('granularity') ?? 'daily';
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) {
    return { field: 'granularity', reason: `granularity must be one of ${GRANULARITIES.join(', ')}` };
  }
  const currency = query.get('currency') ?? accountCurrency;
  if (!Object.hasOwn(TENSORONE_FAKE_RATES, currency)) {
    return { field: 'currency', reason: `currency must be one of ${Object.keys(TENSORONE_FAKE_RATES).join(', ')}` };
  }
  const includeProjections = booleanParam(query, 'includeProjections', false);
  if (includeProjections === undefined) return { field: 'includeProjections', reason: 'includeProjections must be true or false' };
  const includeCosts = booleanParam(query, 'includeCosts', true);
  if (includeCosts === undefined) return { field: 'includeCosts', reason: 'includeCosts must be true or false' };

  // The contract encodes the array with brackets (the vendor's curl); a bare key is a client bug.
  if (query.has('resourceType')) {
    return { field: 'resourceType', reason: 'resourceType is an array: send it as resourceType[]=…' };
  }
  const requested = query.getAll('resourceType[]');
  for (const type of requested) {
    if (!(TENSORONE_FAKE_RESOURCE_TYPES as readonly string[]).includes(type)) {
      return { field: 'resourceType', reason: `resourceType must be one of ${TENSORONE_FAKE_RESOURCE_TYPES.join(', ')}` };
    }
  }
  const types = new Set<TensorOneFakeResourceType>(
    requested.length > 0 ? (requested as TensorOneFakeResourceType[]) : TENSORONE_FAKE_RESOURCE_TYPES,
  );
  return {
    startDayMs,
    lastDayMs,
    billingCycle,
    granularity: granularity as Granularity,
    currency: currency as TensorOneFakeCurrency,
    includeProjections,
    includeCosts,
    types,
  };
}

function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean | undefined {
  const value = query.get(name);
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** [first day, last day (inclusive), billingCycle] of a preset, in UTC. */
function presetPeriod(timeRange: string, nowMs: number): [number, number, string] {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarter = Math.floor(month / 3) * 3;
  switch (timeRange) {
    case 'last_month':
      return [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1) - DAY_MS, 'monthly'];
    case 'current_quarter':
      return [Date.UTC(year, quarter, 1), Date.UTC(year, quarter + 3, 1) - DAY_MS, 'quarterly'];
    case 'last_quarter':
      return [Date.UTC(year, quarter - 3, 1), Date.UTC(year, quarter, 1) - DAY_MS, 'quarterly'];
    case 'current_year':
      return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1) - DAY_MS, 'yearly'];
    default:
      return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1) - DAY_MS, 'monthly'];
  }
}

function bucketStart(hourStartMs: number, granularity: Granularity): number {
  switch (granularity) {
    case 'hourly':
      return hourStartMs;
    case 'daily':
      return Math.floor(hourStartMs / DAY_MS) * DAY_MS;
    case 'weekly': {
      // Weeks start on Monday (UTC); 1970-01-05 was a Monday.
      const mondayMs = 4 * DAY_MS;
      return Math.floor((hourStartMs - mondayMs) / (7 * DAY_MS)) * 7 * DAY_MS + mondayMs;
    }
    case 'monthly': {
      const date = new Date(hourStartMs);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
  }
}

interface Totals {
  costMicros: number;
  quantity: number;
  requests: number;
}

interface TypeAggregate extends Totals {
  readonly type: TensorOneFakeResourceType;
  readonly buckets: Map<number, { costMicros: number; quantity: number }>;
  readonly resources: Array<{ resource: ScenarioResource } & Totals>;
}

function renderUsage(state: FakeState, query: UsageQuery, nowMs: number): unknown {
  const periodStartMs = query.startDayMs;
  const periodEndMs = query.lastDayMs + DAY_MS;
  const availableMs = nowMs - state.lagMs;
  const aggregates = new Map<TensorOneFakeResourceType, TypeAggregate>();
  const regions = new Map<string, { costMicros: number; gpuHours: number; requests: number }>();

  for (const resource of state.scenario.resources) {
    const type = resourceTypeOf(resource);
    if (!query.types.has(type)) continue;
    const unit = UNITS[type];
    const priceMicros = Number(resource.meta?.unitPriceMicros ?? UNIT_PRICE_MICROS[type]);
    let aggregate = aggregates.get(type);
    if (!aggregate) {
      aggregate = { type, costMicros: 0, quantity: 0, requests: 0, buckets: new Map(), resources: [] };
      aggregates.set(type, aggregate);
    }
    const own: { resource: ScenarioResource } & Totals = { resource, costMicros: 0, quantity: 0, requests: 0 };
    for (const { hourStartMs, usage } of hoursInRange(state.scenario, resource, periodStartMs, periodEndMs, availableMs)) {
      const quantity = unit === 'requests' ? usage.requests : usage.costMicros / priceMicros;
      own.costMicros += usage.costMicros;
      own.quantity += quantity;
      own.requests += usage.requests;
      const start = bucketStart(hourStartMs, query.granularity);
      const bucket = aggregate.buckets.get(start) ?? { costMicros: 0, quantity: 0 };
      bucket.costMicros += usage.costMicros;
      bucket.quantity += quantity;
      aggregate.buckets.set(start, bucket);
    }
    aggregate.costMicros += own.costMicros;
    aggregate.quantity += own.quantity;
    aggregate.requests += own.requests;
    aggregate.resources.push(own);
    const regionName = String(resource.meta?.region ?? 'us-east-1');
    const region = regions.get(regionName) ?? { costMicros: 0, gpuHours: 0, requests: 0 };
    region.costMicros += own.costMicros;
    if (unit === 'gpu_hours') region.gpuHours += own.quantity;
    if (unit === 'requests') region.requests += own.requests;
    regions.set(regionName, region);
  }

  const money = (micros: number): number | undefined => (query.includeCosts ? renderMoney(micros, query.currency) : undefined);
  const used = [...aggregates.values()].filter((a) => a.costMicros !== 0 || a.quantity !== 0);
  const totalMicros = used.reduce((sum, a) => sum + a.costMicros, 0);
  const percentage = (micros: number): number => (totalMicros === 0 ? 0 : Math.round((micros / totalMicros) * 1000) / 10);
  const sumOf = (unit: string): number => used.filter((a) => UNITS[a.type] === unit).reduce((sum, a) => sum + a.quantity, 0);

  const breakdown = used
    .sort((a, b) => b.costMicros - a.costMicros)
    .map((aggregate) => {
      const points = [...aggregate.buckets.entries()]
        .sort(([a], [b]) => b - a)
        .map(([start, bucket]) => ({
          timestamp: isoInstant(start),
          value: round3(bucket.quantity),
          cost: money(bucket.costMicros),
        }));
      const listsResources = aggregate.type !== 'storage' && aggregate.type !== 'bandwidth';
      const topResources = listsResources
        ? aggregate.resources
            .filter((r) => r.costMicros > 0)
            .sort((a, b) => b.costMicros - a.costMicros || a.resource.id.localeCompare(b.resource.id))
            .slice(0, state.options.topResourcesLimit ?? 5)
            .map((r) => ({ resourceId: r.resource.id, name: r.resource.name, usage: round3(r.quantity), cost: money(r.costMicros) }))
        : [];
      return {
        resourceType: aggregate.type,
        usage: {
          quantity: round3(aggregate.quantity),
          unit: UNITS[aggregate.type],
          cost: money(aggregate.costMicros),
          percentage: percentage(aggregate.costMicros),
        },
        timeSeries: sparsePoints(points, state.options.sparseSeries),
        topResources,
      };
    });

  const regional = [...regions.entries()]
    .filter(([, region]) => region.costMicros !== 0)
    .sort(([, a], [, b]) => b.costMicros - a.costMicros)
    .map(([name, region]) => ({
      region: name,
      usage: { totalCost: money(region.costMicros), gpuHours: round3(region.gpuHours), apiRequests: region.requests },
      cost: money(region.costMicros),
      percentage: percentage(region.costMicros),
    }));

  const daysInPeriod = Math.round((periodEndMs - periodStartMs) / DAY_MS);
  const elapsedMs = Math.min(Math.max(availableMs - periodStartMs, 0), periodEndMs - periodStartMs);
  const body: Record<string, unknown> = {
    period: {
      startDate: isoDate(periodStartMs),
      endDate: isoDate(query.lastDayMs),
      billingCycle: query.billingCycle,
      daysInPeriod,
      daysElapsed: Math.ceil(elapsedMs / DAY_MS),
    },
    summary: {
      totalCost: money(totalMicros),
      totalGpuHours: round3(sumOf('gpu_hours')),
      totalApiRequests: Math.round(sumOf('requests')),
      totalStorageGB: round3(sumOf('gb_hours')),
      totalBandwidthGB: round3(sumOf('gb')),
      currency: query.currency,
    },
    breakdown,
    regional,
  };
  if (query.includeProjections) {
    const scale = elapsedMs > 0 ? (periodEndMs - periodStartMs) / elapsedMs : 0;
    body.projections = {
      projectedCost: money(Math.round(totalMicros * scale)),
      projectedUsage: {
        gpuHours: round3(sumOf('gpu_hours') * scale),
        apiRequests: Math.round(sumOf('requests') * scale),
        storageGB: round3(sumOf('gb_hours') * scale),
      },
      confidence: Math.round((0.5 + (0.45 * elapsedMs) / (periodEndMs - periodStartMs)) * 100) / 100,
      trend: 'stable',
    };
  }
  body.alerts = state.options.alerts ?? [];
  return body;
}

/** Micro-USD → a JSON number in the requested currency (exact for USD; JPY in whole yen). */
function renderMoney(micros: number, currency: TensorOneFakeCurrency): number {
  if (currency === 'USD') return Number(microsToDecimalString(micros));
  const converted = micros * TENSORONE_FAKE_RATES[currency];
  const rounded = currency === 'JPY' ? Math.round(converted / 1_000_000) * 1_000_000 : Math.round(converted / 10_000) * 10_000;
  return Number(microsToDecimalString(rounded));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
