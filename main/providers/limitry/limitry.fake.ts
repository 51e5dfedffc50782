/**
 * A loopback fake of Limitry's usage API (PROVIDERS.md §0 and §4), built on FakeServer.
 * It enforces the wire contract (Bearer auth, required camelCase query parameters with ISO-8601
 * date-times, snake_case `groupBy` values, `{"error": "<text>"}` bodies) and answers realistic
 * data for any range from a deterministic Scenario, with cost in cents (`totalCostCents`,
 * fractional where the micros are not whole cents). Base URL carries `/v1`, like the real one.
 */
import { FakeServer, type FakeReply, type FakeRequest } from '../fake/harness';
import {
  DAY_MS,
  HOUR_MS,
  hoursInRange,
  truthMicros as scenarioTruthMicros,
  type HourUsage,
  type Scenario,
  type ScenarioResource,
} from '../fake/scenario';
import { defaultLimitryScenario } from './limitry.fake.scenario';

export { defaultLimitryScenario };

/** Options of {@link startLimitryFake}. */
export interface LimitryFakeOptions {
  /** The one key the fake accepts, as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Usage to serve (default {@link defaultLimitryScenario}). */
  scenario?: Scenario;
  /** The fake's clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** How far behind `now` recorded usage lags (ms). Default 0: the current hour is partial. */
  lagMs?: number;
  /** `/usage/summary` answers 404 `{"error": "Not found"}` (its path is inferred in PROVIDERS.md). */
  summaryMissing?: boolean;
  /**
   * `/usage/timeseries` also answers zero rows for buckets without usage, up to the recorded
   * data (default false: only buckets with usage, since Limitry does not say it emits empty ones).
   */
  emitEmptyBuckets?: boolean;
}

/** A running Limitry fake. */
export interface LimitryFake {
  readonly server: FakeServer;
  /** Base URL including `/v1`, e.g. http://127.0.0.1:41234/v1. */
  readonly baseUrl: string;
  /** Exact truth in micro-units for a range, as the fake would report it */
  truthMicros(range: { startMs: number; endMs: number }): number;
  stop(): Promise<void>;
}

/** Breakdown dimensions (`groupBy` values, snake_case) and the scenario `meta` key each reads. */
const GROUP_BY_META: Readonly<Record<string, string>> = {
  model: 'model',
  customer_id: 'customerId',
  event_type: 'eventType',
  provider: 'provider',
};

/** Filters every usage endpoint accepts, by query name, and the scenario `meta` key each matches. */
const FILTER_META: Readonly<Record<string, string>> = {
  customerId: 'customerId',
  eventType: 'eventType',
  model: 'model',
};

const INTERVALS = ['hour', 'day', 'week'] as const;
type Interval = (typeof INTERVALS)[number];

const ENDPOINTS = {
  '/v1/usage/summary': { extra: [] },
  '/v1/usage/breakdown': { extra: ['groupBy'] },
  '/v1/usage/timeseries': { extra: ['interval'] },
} as const satisfies Record<string, { extra: readonly string[] }>;
type EndpointPath = keyof typeof ENDPOINTS;

// Strict RFC 3339 date-time: Limitry documents `format: date-time` with `Z` examples.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Starts the fake on a free loopback port. */
export async function startLimitryFake(options: LimitryFakeOptions): Promise<LimitryFake> {
  const scenario = options.scenario ?? defaultLimitryScenario();
  const lagMs = options.lagMs ?? 0;
  const server = new FakeServer((request) => handle(request), options.now ? { now: options.now } : {});
  const availableThroughMs = (): number => server.now() - lagMs;

  function handle(request: FakeRequest): FakeReply {
    if (!(request.path in ENDPOINTS)) return fail(404, 'Not found');
    const path = request.path as EndpointPath;
    if (path === '/v1/usage/summary' && options.summaryMissing) return fail(404, 'Not found');
    if (request.method !== 'GET') return fail(405, 'Method not allowed');
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) return fail(401, 'Invalid or missing API key');

    const allowed = new Set<string>(['startDate', 'endDate', ...Object.keys(FILTER_META), ...ENDPOINTS[path].extra]);
    for (const name of new Set(request.query.keys())) {
      if (!allowed.has(name)) return invalid(`unknown query parameter "${name}"`);
      if (request.query.getAll(name).length > 1) return invalid(`${name} must be given once`);
    }
    const startMs = dateTimeParam(request.query, 'startDate');
    if (typeof startMs === 'string') return invalid(startMs);
    const endMs = dateTimeParam(request.query, 'endDate');
    if (typeof endMs === 'string') return invalid(endMs);
    if (endMs < startMs) return invalid('endDate must not be before startDate');

    const resources = scenario.resources.filter((resource) =>
      Object.entries(FILTER_META).every(([name, key]) => {
        const wanted = request.query.get(name);
        return wanted === null || metaText(resource, key) === wanted;
      }),
    );
    const usageOf = (resource: ScenarioResource) =>
      hoursInRange(scenario, resource, startMs, endMs, availableThroughMs());

    switch (path) {
      case '/v1/usage/summary': {
        const total = new Totals();
        for (const resource of resources) for (const { usage } of usageOf(resource)) total.add(usage);
        return { status: 200, body: total.render() };
      }
      case '/v1/usage/breakdown': {
        const groupBy = request.query.get('groupBy');
        const metaKey = groupBy === null ? undefined : GROUP_BY_META[groupBy];
        if (metaKey === undefined) {
          return invalid(`groupBy must be one of ${Object.keys(GROUP_BY_META).join(', ')}`);
        }
        const groups = new Map<string | null, Totals>();
        for (const resource of resources) {
          const dimension = metaText(resource, metaKey);
          const total = groups.get(dimension) ?? new Totals();
          for (const { usage } of usageOf(resource)) total.add(usage);
          groups.set(dimension, total);
        }
        const data = [...groups]
          // Like an SQL GROUP BY: a dimension with no events in the range has no row.
          .filter(([, total]) => total.events > 0 || total.costMicros !== 0)
          .sort(([, a], [, b]) => b.costMicros - a.costMicros)
          .map(([dimension, total]) => ({ dimension, ...total.render() }));
        return { status: 200, body: { data } };
      }
      case '/v1/usage/timeseries': {
        const interval = request.query.get('interval');
        if (!INTERVALS.includes(interval as Interval)) return invalid(`interval must be one of ${INTERVALS.join(', ')}`);
        const bucketOf = bucketStart(interval as Interval);
        const buckets = new Map<number, Totals>();
        if (options.emitEmptyBuckets) {
          const stopMs = Math.min(endMs, availableThroughMs());
          for (let hourMs = Math.floor(startMs / HOUR_MS) * HOUR_MS; hourMs < stopMs; hourMs += HOUR_MS) {
            if (!buckets.has(bucketOf(hourMs))) buckets.set(bucketOf(hourMs), new Totals());
          }
        }
        for (const resource of resources) {
          for (const { hourStartMs, usage } of usageOf(resource)) {
            const key = bucketOf(hourStartMs);
            const total = buckets.get(key) ?? new Totals();
            total.add(usage);
            buckets.set(key, total);
          }
        }
        const data = [...buckets]
          .filter(([, total]) => options.emitEmptyBuckets || total.events > 0 || total.costMicros !== 0)
          .sort(([a], [b]) => a - b)
          .map(([startMs, total]) => ({ timestamp: isoSeconds(startMs), ...total.render() }));
        return { status: 200, body: { data } };
      }
    }
  }

  const root = await server.start();
  return {
    server,
    baseUrl: `${root}/v1`,
    truthMicros: (range) => scenarioTruthMicros(scenario, range.startMs, range.endMs, availableThroughMs()),
    stop: () => server.stop(),
  };
}

/** Running totals of one summary, breakdown row or timeseries bucket. */
class Totals {
  events = 0;
  inputTokens = 0;
  outputTokens = 0;
  costMicros = 0;

  add(usage: HourUsage): void {
    this.events += usage.requests;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.costMicros += usage.costMicros;
  }

  /** The metric block on the wire. */
  render() {
    return {
      totalEvents: this.events,
      totalTokens: this.inputTokens + this.outputTokens,
      totalInputTokens: this.inputTokens,
      totalOutputTokens: this.outputTokens,
      // Micros are integers below 2^53 and cents have at most 4 decimals here, so the division
      // is the double nearest the exact decimal and JSON prints that decimal back (634.5, 0.1234).
      totalCostCents: this.costMicros / 10_000,
    };
  }
}

function fail(status: number, error: string): FakeReply {
  return { status, body: { error } };
}

function invalid(reason: string): FakeReply {
  return fail(400, `Invalid request: ${reason}`);
}

/** Epoch ms of a required ISO-8601 date-time parameter, or the reason it is unusable. */
function dateTimeParam(query: URLSearchParams, name: string): number | string {
  const value = query.get(name);
  if (value === null || value === '') return `${name} is required`;
  const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) return `${name} must be an ISO 8601 date-time such as 2024-01-01T00:00:00Z`;
  return ms;
}

/** A scenario resource's `meta[key]` as the API's dimension text; null when absent. */
function metaText(resource: ScenarioResource, key: string): string | null {
  const value = resource.meta?.[key];
  return value === undefined || value === null ? null : String(value);
}

/** Bucket start for an hour: the hour, its UTC day, or its ISO week (Monday 00:00 UTC). */
function bucketStart(interval: Interval): (hourStartMs: number) => number {
  switch (interval) {
    case 'hour':
      return (ms) => ms;
    case 'day':
      return (ms) => Math.floor(ms / DAY_MS) * DAY_MS;
    case 'week':
      return (ms) => {
        const dayMs = Math.floor(ms / DAY_MS) * DAY_MS;
        const mondayOffset = (new Date(dayMs).getUTCDay() + 6) % 7;
        return dayMs - mondayOffset * DAY_MS;
      };
  }
}

/** `2026-03-01T00:00:00Z`, as in the vendor's examples. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
