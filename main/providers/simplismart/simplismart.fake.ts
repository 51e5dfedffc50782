/**
 * A loopback fake of Simplismart's usage-stats API (PROVIDERS.md §0/§1), built on FakeServer.
 * It enforces the decided wire contract (Bearer token, path, query parameters and their formats,
 * filters valid only for some plan types) and answers realistic, deterministic usage for any
 * range from a Scenario, in either answer shape, with float artefacts in the money strings.
 * The truth stays exact: every money string is the scenario's micros plus an artefact below
 * 5e-13 in magnitude that rounds away, so `truthMicros` is what an exact client must report.
 */
import { FakeServer, queryInstant, type FakeReply, type FakeRequest } from '../fake/harness';
import { hoursInRange, type Scenario, type ScenarioResource } from '../fake/scenario';
import { defaultSimplismartScenario, FAKE_PLAN_TYPES, type PlanType } from './simplismart.fake.scenario';
import { SIMPLISMART_WINDOW_MS, type SimplismartWindowSize } from './simplismart.schema';
import { renderItem, planOf, metaText, renderScaled, type RenderedItem, type RenderOptions } from './simplismart.fake.render';

export { FAKE_PLAN_TYPES, defaultSimplismartScenario, simplismartResource } from './simplismart.fake.scenario';

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
  /** Plan types this organisation may not query: their calls answer 400 `{detail}` (a plan not enabled). */
  refusedPlanTypes?: readonly string[];
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
  const refused = new Set(options.refusedPlanTypes ?? []);
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
    if (refused.has(planType)) return detail(400, `plan_type '${planType}' is not enabled for this organization.`);
    const windowSize = query.get('window_size');
    if (!windowSize) return detail(400, "Query parameter 'window_size' is required.");
    const windowMs = Object.hasOwn(SIMPLISMART_WINDOW_MS, windowSize) ? SIMPLISMART_WINDOW_MS[windowSize as SimplismartWindowSize] : undefined;
    if (windowMs === undefined) return detail(400, `window_size must be one of ${Object.keys(SIMPLISMART_WINDOW_MS).join(', ')}.`);
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
