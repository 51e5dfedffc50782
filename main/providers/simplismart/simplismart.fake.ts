/**
 * A loopback fake of Simplismart's usage-stats API (PROVIDERS.md §0/§1), built on FakeServer.
 * It enforces the decided wire contract (Bearer token, path, query parameters and their formats,
 * filters valid only for some plan types) and answers realistic, deterministic usage for any
 * range from a Scenario, in either answer shape, with float artefacts in the money strings.
 * The truth stays exact: every money string is the scenario's micros plus an artefact below
 * 5e-13 in magnitude that rounds away, so `truthMicros` is what an exact client must report.
 */
import { FakeServer, queryInstant, type FakeReply, type FakeRequest } from '../fake/harness';
import { DAY_MS, HOUR_MS, hoursInRange, noise, type HourUsage, type Scenario, type ScenarioResource } from '../fake/scenario';

/** The six plan types (one call covers one). */
export const FAKE_PLAN_TYPES = ['shared', 'private', 'byoc', 'reserved', 'training', 'compilation'] as const;
type PlanType = (typeof FAKE_PLAN_TYPES)[number];

/** The nine window sizes and their length (ms). */
const WINDOWS: Readonly<Record<string, number>> = {
  MINUTE: 60_000,
  '15MIN': 15 * 60_000,
  '30MIN': 30 * 60_000,
  HOUR: HOUR_MS,
  '3HOUR': 3 * HOUR_MS,
  '6HOUR': 6 * HOUR_MS,
  '12HOUR': 12 * HOUR_MS,
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
};

/** List filters, the plan types that accept them, and the resource field they match. */
const LIST_FILTERS: ReadonlyArray<{ param: string; planTypes: readonly PlanType[]; matches: 'uuid' | 'slug' }> = [
  { param: 'deployment_ids', planTypes: ['private', 'byoc'], matches: 'uuid' },
  { param: 'deployment_slugs', planTypes: ['private', 'byoc'], matches: 'slug' },
  { param: 'model_names', planTypes: ['shared'], matches: 'slug' },
  { param: 'training_job_ids', planTypes: ['training'], matches: 'uuid' },
  { param: 'training_job_names', planTypes: ['training'], matches: 'slug' },
  { param: 'model_repo_ids', planTypes: ['compilation'], matches: 'uuid' },
  { param: 'model_repo_names', planTypes: ['compilation'], matches: 'slug' },
];
const INCLUDE_ALL_STATUSES_PLAN_TYPES: readonly PlanType[] = ['shared', 'private', 'byoc', 'compilation'];
/** Statuses counted unless `include_all_statuses=true` (SEED-0). */
const DEFAULT_STATUSES = ['SUCCESS', 'STOPPED'];
const SINGLE_PARAMS = ['plan_type', 'start_time', 'end_time', 'window_size', 'workspace_id', 'include_all_statuses'];
const KNOWN_PARAMS = new Set([...SINGLE_PARAMS, ...LIST_FILTERS.map((filter) => filter.param)]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The default path of the usage endpoint (PROVIDERS.md §0). */
export const SIMPLISMART_FAKE_PATH = '/v1/analytics/usage-stats';
/** The workspace used when a request names none (resources without `meta.workspaceId` live here). */
export const SIMPLISMART_FAKE_DEFAULT_WORKSPACE = '0b6f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';

/** The `detail` texts of the fake's 401 answers (the fixture's `{detail}` shape). */
export const SIMPLISMART_FAKE_AUTH_DETAILS = {
  missing: 'Authentication credentials were not provided.',
  invalid: 'Invalid token.',
  expired: 'Token has expired.',
} as const;

/** Options of {@link startSimplismartFake}: the token, the data, and the provider-specific knobs. */
export interface SimplismartFakeOptions {
  /** The one valid PG token (sent as `Authorization: Bearer <token>`). */
  apiKey: string;
  /** Usage to serve. Each resource carries `meta.planType` (one of the six); see {@link defaultSimplismartScenario}. */
  scenario?: Scenario;
  /** The fake's clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Data lag: usage is recorded through `now() - lagMs` (default 0; the current hour is partial). */
  lagMs?: number;
  /** Tokens that were valid once and now get 401 "Token has expired." */
  expiredKeys?: readonly string[];
  /** `envelope` (default): `{total_cost, currency, items[]}`; `bare`: the older bare `items[]`. */
  shape?: 'envelope' | 'bare';
  /** Float artefacts in money strings ("2.00000000000001", "1.99999999999999"). Default true. */
  artefacts?: boolean;
  /** Endpoint path (default {@link SIMPLISMART_FAKE_PATH}). */
  path?: string;
  /**
   * `window` (default): points aggregated to `window_size` (sub-hour windows still get hourly
   * points, the finest the scenario has). `hour`: always hourly points, whatever was asked
   * (the vendor doc asked for DAY and showed hourly points).
   */
  pointSpacing?: 'window' | 'hour';
  /** Emit points whose cost, usage and event count are all zero (default true). */
  emitEmptyPoints?: boolean;
  /** Currency code written into answers (default "usd"). */
  currency?: string;
  /** The organisation's default workspace (default {@link SIMPLISMART_FAKE_DEFAULT_WORKSPACE}). */
  defaultWorkspaceId?: string;
}

/** Narrows what {@link SimplismartFake.truthMicros} counts, like the request parameters do. */
export interface SimplismartTruthQuery {
  /** Default: all six. */
  readonly planTypes?: readonly string[];
  /** Default: the default workspace. */
  readonly workspaceId?: string;
  /** Default false: DELETED/FAILED resources are not counted where the flag is supported. */
  readonly includeAllStatuses?: boolean;
}

/** A running Simplismart fake. Inject faults through `server.inject(...)`. */
export interface SimplismartFake {
  readonly server: FakeServer;
  readonly baseUrl: string;
  /** Exact truth in micro-USD for a range, as the fake would report it (all plan types, default workspace). */
  truthMicros(range: { startMs: number; endMs: number }, query?: SimplismartTruthQuery): number;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Scenario.

function fakeUuid(seed: number, key: string): string {
  let hex = '';
  for (let index = 0; hex.length < 32; index += 1) {
    hex += Math.floor(noise(seed, `uuid:${key}`, index) * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  }
  // Version 4, RFC variant, so it looks like the real thing.
  const chars = hex.slice(0, 32).split('');
  chars[12] = '4';
  chars[16] = '89ab'[parseInt(chars[16] ?? '0', 16) % 4] ?? '8';
  const h = chars.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Builds a scenario resource in Simplismart's terms: source `<slug>_<uuid>`, with the plan type,
 * slug, uuid and meter in `meta`. Optional `meta.status` (default SUCCESS) and `meta.workspaceId`.
 */
export function simplismartResource(
  seed: number,
  planType: PlanType,
  slug: string,
  fields: Omit<ScenarioResource, 'id' | 'name' | 'meta'> & { meta?: ScenarioResource['meta'] },
): ScenarioResource {
  const uuid = fakeUuid(seed, `${planType}:${slug}`);
  const { meta, ...rest } = fields;
  return { ...rest, id: `${slug}_${uuid}`, name: slug, meta: { planType, slug, uuid, ...meta } };
}

/**
 * A realistic Simplismart organisation: two shared models, a busy private deployment, an idle
 * private deployment (dedicated GPU with zero requests), a fine-tuning job and a compilation job.
 * BYOC and reserved are unused (their calls answer no items).
 */
export function defaultSimplismartScenario(seed = 42): Scenario {
  return {
    seed,
    resources: [
      simplismartResource(seed, 'shared', 'DeepSeek-R1', {
        hourlyMicros: 1_850_000,
        requestsPerHour: 1_400,
        shape: 'diurnal',
        meta: { eventName: 'llm-tokens' },
      }),
      simplismartResource(seed, 'shared', 'Llama-3.1-8B-Instruct', {
        hourlyMicros: 240_000,
        requestsPerHour: 600,
        shape: 'bursty',
        meta: { eventName: 'llm-tokens' },
      }),
      simplismartResource(seed, 'private', 'llama3p1-70b-prod', {
        hourlyMicros: 4_320_000,
        requestsPerHour: 2_200,
        shape: 'flat',
        meta: { eventName: 'gpu-minutes-h100' },
      }),
      simplismartResource(seed, 'private', 'whisper-v3-staging', {
        hourlyMicros: 1_150_000,
        requestsPerHour: 0,
        shape: 'flat',
        meta: { eventName: 'gpu-minutes-l40s' },
      }),
      simplismartResource(seed, 'training', 'ft-mistral-7b-support', {
        hourlyMicros: 2_600_000,
        requestsPerHour: 0,
        shape: 'bursty',
        meta: { eventName: 'gpu-minutes-training' },
      }),
      simplismartResource(seed, 'compilation', 'qwen2p5-32b', {
        hourlyMicros: 90_000,
        requestsPerHour: 0,
        shape: 'bursty',
        meta: { eventName: 'compilation-minutes' },
      }),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering.

const SCALE = 14; // digits after the point in rendered money: micros (6) + artefacts (8 more)
const MICRO_TO_SCALED = 10n ** BigInt(SCALE - 6);

/** Renders an integer count of 1e-14 units as a plain decimal string. */
function renderScaled(value: bigint, scale = SCALE): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(scale);
  const whole = abs / unit;
  const frac = (abs % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A point's cost in 1e-14 units: the exact micros plus, optionally, a float artefact (|a| < 50e-14). */
function scaledCost(micros: number, seed: number, key: string, index: number, artefacts: boolean): bigint {
  const exact = BigInt(micros) * MICRO_TO_SCALED;
  if (!artefacts || micros <= 0) return exact;
  const pick = noise(seed, `${key}#artefact`, index);
  if (pick < 0.4) return exact; // many costs print cleanly
  const size = BigInt(1 + Math.floor(noise(seed, `${key}#size`, index) * 49));
  return pick < 0.75 ? exact + size : exact - size; // "2.00000000000001" or "1.99999999999999"
}

function planOf(resource: ScenarioResource): string | undefined {
  const planType = resource.meta?.planType;
  return typeof planType === 'string' ? planType : undefined;
}

function metaText(resource: ScenarioResource, key: string): string | undefined {
  const value = resource.meta?.[key];
  return typeof value === 'string' ? value : undefined;
}

function meterOf(resource: ScenarioResource, planType: string): string {
  return metaText(resource, 'eventName') ?? (planType === 'shared' ? 'llm-tokens' : `gpu-minutes-${planType}`);
}

/** Usage quantity of an hour in the meter's unit: tokens for token meters, billed minutes otherwise. */
function quantityOf(meter: string, usage: HourUsage): number {
  return /token/i.test(meter) ? usage.inputTokens + usage.outputTokens : usage.minutes;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Start of the `window_size` bucket holding `hourStartMs`; weeks start on Monday 00:00 UTC. */
function windowStart(hourStartMs: number, windowMs: number): number {
  if (windowMs <= HOUR_MS) return hourStartMs;
  // 1970-01-05 was a Monday: weekly windows are anchored there, shorter ones at the epoch.
  const anchor = windowMs === 7 * DAY_MS ? 4 * DAY_MS : 0;
  return anchor + Math.floor((hourStartMs - anchor) / windowMs) * windowMs;
}

function featureId(seed: number, key: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let text = '';
  for (let index = 0; index < 26; index += 1) text += alphabet[Math.floor(noise(seed, `feat:${key}`, index) * 32)];
  return `feat_${text}`;
}

interface RenderOptions {
  readonly scenario: Scenario;
  readonly availableThroughMs: number;
  readonly artefacts: boolean;
  readonly hourlyPoints: boolean;
  readonly emitEmptyPoints: boolean;
  readonly currency: string;
}

interface RenderedItem {
  readonly totalScaled: bigint;
  readonly body: Record<string, unknown>;
}

function renderItem(
  resource: ScenarioResource,
  planType: string,
  startMs: number,
  endMs: number,
  windowMs: number,
  options: RenderOptions,
): RenderedItem | undefined {
  const { scenario } = options;
  const meter = meterOf(resource, planType);
  const hours = hoursInRange(scenario, resource, startMs, endMs, options.availableThroughMs);
  const buckets = new Map<number, { costMicros: number; quantity: number; events: number }>();
  for (const { hourStartMs, usage } of hours) {
    const start = options.hourlyPoints ? hourStartMs : windowStart(hourStartMs, windowMs);
    const bucket = buckets.get(start) ?? { costMicros: 0, quantity: 0, events: 0 };
    bucket.costMicros += usage.costMicros;
    bucket.quantity += quantityOf(meter, usage);
    bucket.events += usage.requests;
    buckets.set(start, bucket);
  }
  let totalScaled = 0n;
  let totalQuantity = 0;
  let totalEvents = 0;
  const points: Array<Record<string, unknown>> = [];
  for (const [timestampMs, bucket] of buckets) {
    totalQuantity += bucket.quantity;
    totalEvents += bucket.events;
    if (bucket.costMicros === 0 && bucket.quantity === 0 && bucket.events === 0 && !options.emitEmptyPoints) continue;
    const cost = scaledCost(bucket.costMicros, scenario.seed, resource.id, Math.floor(timestampMs / HOUR_MS), options.artefacts);
    totalScaled += cost;
    points.push({
      timestamp: isoSeconds(timestampMs),
      usage: String(bucket.quantity),
      cost: renderScaled(cost),
      computed_commitment_utilized_amount: '0',
      computed_overage_amount: '0',
      computed_true_up_amount: '0',
      event_count: bucket.events,
    });
  }
  // A resource with nothing at all in the range is not listed.
  if (totalScaled === 0n && totalQuantity === 0 && totalEvents === 0) return undefined;
  const unitPrice =
    totalQuantity > 0
      ? // cost / usage to 15 decimals, like the vendor's "0.066666666666667"
        renderScaled((totalScaled * 10n ** 15n) / (BigInt(totalQuantity) * 10n ** BigInt(SCALE)), 15)
      : undefined;
  return {
    totalScaled,
    body: {
      feature_id: featureId(scenario.seed, `${resource.id}:${meter}`),
      event_name: meter,
      source: resource.id,
      total_usage: String(totalQuantity),
      total_cost: renderScaled(totalScaled),
      currency: options.currency,
      ...(unitPrice === undefined ? {} : { unit_price: { amount: unitPrice, currency: options.currency } }),
      event_count: totalEvents,
      points,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The server.

function detail(status: number, text: string): FakeReply {
  return { status, body: { detail: text } };
}

function resourceWorkspace(resource: ScenarioResource, defaultWorkspaceId: string): string {
  return metaText(resource, 'workspaceId') ?? defaultWorkspaceId;
}

function statusCounts(resource: ScenarioResource, planType: string, includeAll: boolean): boolean {
  if (includeAll || !INCLUDE_ALL_STATUSES_PLAN_TYPES.includes(planType as PlanType)) return true;
  return DEFAULT_STATUSES.includes(metaText(resource, 'status') ?? 'SUCCESS');
}

/** Starts the fake on a free loopback port. */
export async function startSimplismartFake(options: SimplismartFakeOptions): Promise<SimplismartFake> {
  const scenario = options.scenario ?? defaultSimplismartScenario();
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 0;
  const expired = new Set(options.expiredKeys ?? []);
  const path = options.path ?? SIMPLISMART_FAKE_PATH;
  const defaultWorkspaceId = options.defaultWorkspaceId ?? SIMPLISMART_FAKE_DEFAULT_WORKSPACE;
  const shape = options.shape ?? 'envelope';
  const currency = options.currency ?? 'usd';

  const selected = (planType: string, workspaceId: string, includeAll: boolean): ScenarioResource[] =>
    scenario.resources.filter(
      (resource) =>
        planOf(resource) === planType &&
        resourceWorkspace(resource, defaultWorkspaceId) === workspaceId &&
        statusCounts(resource, planType, includeAll),
    );

  const handler = (request: FakeRequest): FakeReply => {
    if (request.path !== path) return detail(404, 'Not found.');
    if (request.method !== 'GET') return detail(405, `Method "${request.method}" not allowed.`);

    const authorization = request.headers.authorization;
    if (!authorization) return detail(401, SIMPLISMART_FAKE_AUTH_DETAILS.missing);
    const match = /^Bearer (\S+)$/.exec(authorization);
    const token = match?.[1];
    if (token !== undefined && expired.has(token)) return detail(401, SIMPLISMART_FAKE_AUTH_DETAILS.expired);
    if (token !== options.apiKey) return detail(401, SIMPLISMART_FAKE_AUTH_DETAILS.invalid);

    const query = request.query;
    for (const name of new Set(query.keys())) {
      if (!KNOWN_PARAMS.has(name)) return detail(400, `Unknown query parameter '${name}'.`);
      if (SINGLE_PARAMS.includes(name) && query.getAll(name).length > 1) {
        return detail(400, `Query parameter '${name}' may be given only once.`);
      }
    }
    const planType = query.get('plan_type');
    if (!planType) return detail(400, "Query parameter 'plan_type' is required.");
    if (!(FAKE_PLAN_TYPES as readonly string[]).includes(planType)) {
      return detail(400, `plan_type must be one of ${FAKE_PLAN_TYPES.join(', ')}.`);
    }
    const windowSize = query.get('window_size');
    if (!windowSize) return detail(400, "Query parameter 'window_size' is required.");
    const windowMs = WINDOWS[windowSize];
    if (windowMs === undefined) return detail(400, `window_size must be one of ${Object.keys(WINDOWS).join(', ')}.`);
    const startMs = queryInstant(query, 'start_time');
    const endMs = queryInstant(query, 'end_time');
    if (startMs === undefined) return detail(400, 'start_time must be an ISO-8601 date-time with a UTC offset.');
    if (endMs === undefined) return detail(400, 'end_time must be an ISO-8601 date-time with a UTC offset.');
    if (endMs <= startMs) return detail(400, 'end_time must be after start_time.');

    const workspaceId = query.get('workspace_id') ?? defaultWorkspaceId;
    if (!GUID.test(workspaceId)) return detail(400, 'workspace_id must be a UUID.');

    const includeAllText = query.get('include_all_statuses');
    if (includeAllText !== null) {
      if (includeAllText !== 'true' && includeAllText !== 'false') {
        return detail(400, 'include_all_statuses must be true or false.');
      }
      if (!INCLUDE_ALL_STATUSES_PLAN_TYPES.includes(planType as PlanType)) {
        return detail(400, `Filter 'include_all_statuses' is not valid for plan_type '${planType}'.`);
      }
    }
    const includeAll = includeAllText === 'true';

    let resources = selected(planType, workspaceId, includeAll);
    for (const filter of LIST_FILTERS) {
      const values = query.getAll(filter.param);
      if (values.length === 0) continue;
      if (!filter.planTypes.includes(planType as PlanType)) {
        return detail(400, `Filter '${filter.param}' is not valid for plan_type '${planType}'.`);
      }
      if (values.some((value) => value.trim() === '' || value.includes(','))) {
        return detail(400, `Filter '${filter.param}' takes one value per key: ${filter.param}=a&${filter.param}=b.`);
      }
      resources = resources.filter((resource) => values.includes(metaText(resource, filter.matches) ?? ''));
    }

    const renderOptions: RenderOptions = {
      scenario,
      availableThroughMs: now() - lagMs,
      artefacts: options.artefacts ?? true,
      hourlyPoints: options.pointSpacing === 'hour',
      emitEmptyPoints: options.emitEmptyPoints ?? true,
      currency,
    };
    const items = resources
      .slice()
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((resource) => renderItem(resource, planType, startMs, endMs, windowMs, renderOptions))
      .filter((item): item is RenderedItem => item !== undefined);
    const bodies = items.map((item) => item.body);
    if (shape === 'bare') return { status: 200, body: bodies };
    const totalScaled = items.reduce((sum, item) => sum + item.totalScaled, 0n);
    return { status: 200, body: { total_cost: renderScaled(totalScaled), currency, items: bodies } };
  };

  const server = new FakeServer(handler, { now });
  const baseUrl = await server.start();
  return {
    server,
    baseUrl,
    truthMicros(range, query = {}) {
      const planTypes = query.planTypes ?? FAKE_PLAN_TYPES;
      const workspaceId = query.workspaceId ?? defaultWorkspaceId;
      const availableThroughMs = now() - lagMs;
      let total = 0;
      for (const planType of planTypes) {
        for (const resource of selected(planType, workspaceId, query.includeAllStatuses ?? false)) {
          for (const { usage } of hoursInRange(scenario, resource, range.startMs, range.endMs, availableThroughMs)) {
            total += usage.costMicros;
          }
        }
      }
      return total;
    },
    stop: () => server.stop(),
  };
}
