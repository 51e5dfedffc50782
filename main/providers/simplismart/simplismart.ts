// Endpoint: GET <baseUrl><path> (default https://api.app.simplismart.ai/v1/analytics/usage-stats), one call per enabled plan type.
// Auth: `Authorization: Bearer <Playground (PG) token>`; tokens expire, and a 401 saying so is reported as "expired".
// Limits: none published; the SDK allows 300 s per call, so refresh at most every 5 min, at most 3 calls at once.
import { z } from 'zod';
import { isProviderError, ProviderError } from '../../core/errors';
import {
  MoneyParseError,
  addDecimal,
  apportionMicros,
  decimalToMicros,
  decimalToNumber,
  isZeroDecimal,
  negateDecimal,
  sumDecimals,
  ZERO_DECIMAL as ZERO,
  type Decimal,
} from '../../core/money';
import {
  byCostThenName,
  DAY_MS,
  HOUR_MS,
  type CostBucket,
  type ResourceBucket,
  type ResourceKind,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import { cleanDetail, type HttpJsonResponse } from '../http';
import { mapWithLimit } from '../mapWithLimit';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import {
  errorBodySchema,
  SIMPLISMART_PLAN_TYPES,
  SIMPLISMART_WINDOW_SIZES,
  usageEnvelopeSchema,
  usageListSchema,
  type SimplismartPlanType,
  type SimplismartUsageItem,
  type SimplismartWindowSize,
} from './simplismart.schema';

const PROVIDER = 'Simplismart';
const DEFAULT_BASE_URL = 'https://api.app.simplismart.ai';
const DEFAULT_PATH = '/v1/analytics/usage-stats';
// Up to six plan-type calls per refresh; three at once keeps a slow API (SDK timeout 300 s) from
// being hit by a burst while still finishing in about two round trips.
const MAX_CONCURRENT_CALLS = 3;

/** Length of each `window_size` bucket (ms). */
const WINDOW_MS: Readonly<Record<SimplismartWindowSize, number>> = {
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

type ListFilterKey =
  | 'deploymentIds'
  | 'deploymentSlugs'
  | 'modelNames'
  | 'trainingJobIds'
  | 'trainingJobNames'
  | 'modelRepoIds'
  | 'modelRepoNames';

interface ListFilter {
  readonly key: ListFilterKey;
  readonly param: string;
  readonly label: string;
  readonly planTypes: readonly SimplismartPlanType[];
}

/** List filters and the plan types that accept them (SEED-0: anything else is rejected). */
const LIST_FILTERS: readonly ListFilter[] = [
  { key: 'deploymentIds', param: 'deployment_ids', label: 'Deployment ids', planTypes: ['private', 'byoc'] },
  { key: 'deploymentSlugs', param: 'deployment_slugs', label: 'Deployment slugs', planTypes: ['private', 'byoc'] },
  { key: 'modelNames', param: 'model_names', label: 'Model names', planTypes: ['shared'] },
  { key: 'trainingJobIds', param: 'training_job_ids', label: 'Training job ids', planTypes: ['training'] },
  { key: 'trainingJobNames', param: 'training_job_names', label: 'Training job names', planTypes: ['training'] },
  { key: 'modelRepoIds', param: 'model_repo_ids', label: 'Model repo ids', planTypes: ['compilation'] },
  { key: 'modelRepoNames', param: 'model_repo_names', label: 'Model repo names', planTypes: ['compilation'] },
];

/** `include_all_statuses` is not supported for training and reserved (SEED-0). */
const INCLUDE_ALL_STATUSES_PLAN_TYPES: readonly SimplismartPlanType[] = ['shared', 'private', 'byoc', 'compilation'];

const filterList = (key: ListFilterKey) =>
  z.array(z.string().trim().min(1, `${key} must not contain empty entries`), { error: `${key} must be a list of strings` }).default([]);

const settingsSchema = z
  .strictObject({
    baseUrl: baseUrlSetting(DEFAULT_BASE_URL),
    path: z
      .string({ error: 'path must be a string' })
      .trim()
      .regex(/^\/[^?#\s]*$/, 'path must start with "/" and carry no query string, e.g. /v1/analytics/usage-stats')
      .default(DEFAULT_PATH),
    planTypes: z
      .array(z.enum(SIMPLISMART_PLAN_TYPES, { error: `each plan type must be one of ${SIMPLISMART_PLAN_TYPES.join(', ')}` }), {
        error: 'planTypes must be a list of plan types',
      })
      .min(1, 'planTypes must enable at least one plan type')
      .default([...SIMPLISMART_PLAN_TYPES])
      .transform((planTypes) => [...new Set(planTypes)]),
    windowSize: z
      .enum(SIMPLISMART_WINDOW_SIZES, { error: `windowSize must be one of ${SIMPLISMART_WINDOW_SIZES.join(', ')}` })
      .default('HOUR'),
    // An empty form field means "the organisation's default workspace".
    workspaceId: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z.guid({ error: 'workspaceId must be a workspace UUID (Simplismart: Settings → Workspaces)' }).optional(),
    ),
    deploymentIds: filterList('deploymentIds'),
    deploymentSlugs: filterList('deploymentSlugs'),
    modelNames: filterList('modelNames'),
    trainingJobIds: filterList('trainingJobIds'),
    trainingJobNames: filterList('trainingJobNames'),
    modelRepoIds: filterList('modelRepoIds'),
    modelRepoNames: filterList('modelRepoNames'),
    // The settings form has no boolean field kind, so "true"/"false" text is accepted too.
    includeAllStatuses: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')], {
        error: 'includeAllStatuses must be true or false',
      })
      .default(false),
  })
  .superRefine((settings, ctx) => {
    const enabled = settings.planTypes;
    const check = (key: string, isSet: boolean, allowed: readonly SimplismartPlanType[]): void => {
      if (!isSet || allowed.some((planType) => enabled.includes(planType))) return;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message:
          `${key} only applies to plan type${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')}, ` +
          `and planTypes enables only ${enabled.join(', ')}: enable ${allowed.length > 1 ? 'one of them' : allowed[0]} or clear ${key}`,
      });
    };
    for (const filter of LIST_FILTERS) check(filter.key, settings[filter.key].length > 0, filter.planTypes);
    check('includeAllStatuses', settings.includeAllStatuses, INCLUDE_ALL_STATUSES_PLAN_TYPES);
  });

/** Parsed connection settings of a Simplismart connection. */
export type SimplismartSettings = z.output<typeof settingsSchema>;

const SETTINGS_FIELDS: readonly SettingField[] = [
  baseUrlField(DEFAULT_BASE_URL, 'The platform API, not the inference host api.simplismart.live.'),
  {
    key: 'path',
    label: 'Usage path',
    kind: 'text',
    required: false,
    defaultValue: DEFAULT_PATH,
    help: 'Simplismart does not publish this path; change it if the API moves.',
  },
  {
    key: 'planTypes',
    label: 'Plan types',
    kind: 'multi-select',
    required: false,
    options: SIMPLISMART_PLAN_TYPES,
    defaultValue: SIMPLISMART_PLAN_TYPES,
    help: 'One request per enabled plan type; the spend is their sum.',
  },
  {
    key: 'windowSize',
    label: 'Window size',
    kind: 'text',
    required: false,
    defaultValue: 'HOUR',
    help: `Bucket size asked for: ${SIMPLISMART_WINDOW_SIZES.join(', ')}.`,
  },
  {
    key: 'workspaceId',
    label: 'Workspace id',
    kind: 'text',
    required: false,
    help: 'Workspace UUID (Settings → Workspaces). Empty: the organisation default workspace.',
  },
  ...LIST_FILTERS.map(
    (filter): SettingField => ({
      key: filter.key,
      label: filter.label,
      kind: 'string-list',
      required: false,
      defaultValue: [],
      help: `Only for plan type${filter.planTypes.length > 1 ? 's' : ''} ${filter.planTypes.join(', ')}; other plan types are not filtered.`,
    }),
  ),
  {
    key: 'includeAllStatuses',
    label: 'Include all deployment statuses',
    kind: 'text',
    required: false,
    defaultValue: 'false',
    help: 'true counts deleted and failed deployments too (default: only SUCCESS and STOPPED). Not for training or reserved.',
  },
];

/** The Simplismart adapter: one usage-stats call per enabled plan type, summed into one report. */
export const simplismartAdapter: ProviderAdapter<SimplismartSettings> = {
  id: 'simplismart',
  displayName: 'Simplismart',
  settings: SETTINGS_FIELDS,
  settingsSchema,
  minRefreshMs: 5 * 60_000,
  async fetchUsage(range: TimeRange, ctx: ProviderContext<SimplismartSettings>): Promise<UsageReport> {
    const answers = await mapWithLimit(ctx.settings.planTypes, MAX_CONCURRENT_CALLS, (planType) =>
      fetchPlanType(planType, range, ctx),
    );
    try {
      return buildReport(range, ctx.nowMs, ctx.settings, answers);
    } catch (error) {
      // Amounts that parse but cannot be tracked exactly (beyond 2^53 micro-USD) are a bad answer,
      // not an exception of another type: adapters throw only ProviderError (found by fuzzing).
      if (error instanceof MoneyParseError) throw new ProviderError('bad_response', `Simplismart sent an amount too large to track exactly (${error.message.split(':')[0]})`, { cause: error });
      throw error;
    }
  },
};

/** What one plan-type call returned, parsed. `totalCost` is undefined for the bare-list shape. */
interface PlanAnswer {
  readonly planType: SimplismartPlanType;
  readonly items: readonly SimplismartUsageItem[];
  readonly totalCost: Decimal | undefined;
}

/**
 * Builds the request URL of one plan type: UTC bounds with `Z`, only the filters that plan type accepts.
 * @example usageUrl(settings, 'private', range).search //=> '?plan_type=private&start_time=2026-05-01T00%3A00%3A00Z&…'
 */
export function usageUrl(settings: SimplismartSettings, planType: SimplismartPlanType, range: TimeRange): URL {
  const url = joinUrl(settings.baseUrl, settings.path);
  const query = url.searchParams;
  query.set('plan_type', planType);
  query.set('start_time', isoInstant(range.startMs));
  query.set('end_time', isoInstant(range.endMs));
  query.set('window_size', settings.windowSize);
  if (settings.workspaceId) query.set('workspace_id', settings.workspaceId);
  for (const filter of LIST_FILTERS) {
    if (!filter.planTypes.includes(planType)) continue;
    // Repeated keys (deployment_slugs=a&deployment_slugs=b), per PROVIDERS.md §0.
    for (const value of settings[filter.key]) query.append(filter.param, value);
  }
  if (settings.includeAllStatuses && INCLUDE_ALL_STATUSES_PLAN_TYPES.includes(planType)) {
    query.set('include_all_statuses', 'true');
  }
  return url;
}

async function fetchPlanType(
  planType: SimplismartPlanType,
  range: TimeRange,
  ctx: ProviderContext<SimplismartSettings>,
): Promise<PlanAnswer> {
  let detail: string | undefined;
  let response: HttpJsonResponse;
  try {
    response = await ctx.http.getJson({
      provider: PROVIDER,
      url: usageUrl(ctx.settings, planType, range),
      headers: { authorization: `Bearer ${ctx.apiKey}` },
      signal: ctx.signal,
      secrets: [ctx.apiKey],
      errorDetail: (body) => {
        detail = errorDetailOf(body);
        return detail;
      },
    });
  } catch (error) {
    throw explainFailure(error, planType, detail, ctx.apiKey);
  }

  const what = `${planType} usage answer`;
  const body = response.body;
  let items: readonly SimplismartUsageItem[];
  let totalCost: Decimal | undefined;
  if (Array.isArray(body)) {
    items = parseAnswer(usageListSchema, body, PROVIDER, what, [ctx.apiKey]);
  } else {
    const envelope = parseAnswer(usageEnvelopeSchema, body, PROVIDER, what, [ctx.apiKey]);
    requireUsd(envelope.currency, planType, 'currency');
    items = envelope.items;
    totalCost = envelope.total_cost;
  }
  items.forEach((item, index) => {
    requireUsd(item.currency, planType, `items[${index}].currency`);
    if (item.unit_price) requireUsd(item.unit_price.currency, planType, `items[${index}].unit_price.currency`);
  });
  return { planType, items, totalCost };
}

function requireUsd(currency: string, planType: SimplismartPlanType, field: string): void {
  if (currency === 'USD') return;
  // Name the currency only when it looks like an ISO code: the field's text is not ours to repeat.
  const named = /^[A-Z]{3}$/.test(currency) ? currency : 'an unknown currency';
  throw new ProviderError(
    'bad_response',
    `Simplismart reported ${planType} usage in ${named} (${field}); Burnrate tracks Simplismart in USD only`,
  );
}

/** Reads Simplismart's `{detail}` (a string, or FastAPI's list of validation errors). */
function errorDetailOf(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const detail = parsed.data.detail;
  return typeof detail === 'string' ? detail : detail.map((entry) => entry.msg).join('; ');
}


/** Gives a failed call Simplismart's meaning: expired vs bad token, and which plan type a 400 was about. */
function explainFailure(
  error: unknown,
  planType: SimplismartPlanType,
  detail: string | undefined,
  apiKey: string,
): ProviderError {
  if (!isProviderError(error)) {
    return new ProviderError('network', `The request to Simplismart failed unexpectedly`, { cause: error });
  }
  const said = detail ? ` Simplismart said: ${cleanDetail(detail, [apiKey])}` : '';
  if (error.kind === 'auth' && error.status === 401) {
    // Keys have an expiry date and get 401 after it (SM-APIKEYS): tell that apart from a wrong token.
    const message =
      detail && /expire/i.test(detail)
        ? `Simplismart says the API token has expired (401): create a new Playground (PG) token under Settings → API Key.${said}`
        : `Simplismart rejected the API token (401): check that it is the Playground (PG) token from Settings → API Key, not an inference key.${said}`;
    return new ProviderError('auth', message, { status: 401, cause: error });
  }
  if (error.kind === 'bad_request') {
    return new ProviderError('bad_request', `${error.message} (plan type ${planType})`, {
      ...(error.status === undefined ? {} : { status: error.status }),
      cause: error,
    });
  }
  return error;
}

// ---------------------------------------------------------------------------------------------
// Mapping.

const UUID_SUFFIX = /^(.+)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Display name of a source: the slug of `<deployment-slug>_<uuid>`, else the source itself.
 * @example sourceName('llama3p1-8b_3f1c2a9e-7b4d-4e0a-9c1e-2d5f6a7b8c9d') //=> 'llama3p1-8b'
 */
export function sourceName(source: string): string {
  return UUID_SUFFIX.exec(source)?.[1] ?? source;
}

const KIND_BY_PLAN: Readonly<Record<SimplismartPlanType, ResourceKind>> = {
  shared: 'model',
  private: 'deployment',
  byoc: 'deployment',
  reserved: 'deployment',
  training: 'training_job',
  compilation: 'other',
};

// Private, BYOC and reserved capacity is billed by GPU time whether it serves requests or not.
const DEDICATED_PLANS: readonly SimplismartPlanType[] = ['private', 'byoc', 'reserved'];

/** A point kept for the report, with its plan type and source. */
interface KeptPoint {
  readonly timestampMs: number;
  readonly cost: Decimal;
  readonly hasUsage: boolean;
}

interface SourceGroup {
  readonly source: string;
  readonly items: SimplismartUsageItem[];
  cost: Decimal;
  readonly points: KeptPoint[];
}

/** Bucketing of point timestamps: floors to the hour when points are at most an hour apart. */
interface Bucketing {
  readonly granularityMs: number;
  bucketStart(timestampMs: number): number;
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

function chooseBucketing(timestamps: readonly number[], windowSize: SimplismartWindowSize): Bucketing {
  const distinct = [...new Set(timestamps)].sort((a, b) => a - b);
  const windowMs = WINDOW_MS[windowSize];
  // The spacing is the largest step every point sits on, so hours without usage (gaps) do not
  // make hourly points look coarser.
  let spacingMs = 0;
  for (let index = 1; index < distinct.length; index += 1) {
    spacingMs = greatestCommonDivisor(spacingMs, (distinct[index] as number) - (distinct[index - 1] as number));
  }
  // One point or none: fall back to what was asked for (hourly at the finest).
  if (spacingMs === 0) spacingMs = Math.max(HOUR_MS, windowMs);
  // Coarse points on the requested grid with whole windows missing: still that window.
  else if (windowMs > HOUR_MS && spacingMs % windowMs === 0) spacingMs = windowMs;
  if (spacingMs <= HOUR_MS) {
    return { granularityMs: HOUR_MS, bucketStart: (ms) => Math.floor(ms / HOUR_MS) * HOUR_MS };
  }
  // Coarser points (the API may ignore window_size): the observed spacing, anchored at the first point.
  const anchorMs = distinct[0] ?? 0;
  return {
    granularityMs: spacingMs,
    bucketStart: (ms) => anchorMs + Math.floor((ms - anchorMs) / spacingMs) * spacingMs,
  };
}

function describeDuration(ms: number): string {
  if (ms % DAY_MS === 0) return ms === DAY_MS ? '1 day' : `${ms / DAY_MS} days`;
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? '1 hour' : `${ms / HOUR_MS} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

function bucketSeries(points: readonly KeptPoint[], bucketing: Bucketing): ResourceBucket[] {
  const byStart = new Map<number, Decimal>();
  for (const point of points) {
    const start = bucketing.bucketStart(point.timestampMs);
    byStart.set(start, addDecimal(byStart.get(start) ?? ZERO, point.cost));
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, cost]) => ({
      startMs,
      durationMs: bucketing.granularityMs,
      costMicros: decimalToMicros(cost, 'points[].cost'),
    }));
}

/** Activity of a source: events from `event_count`, quantity from `total_usage` in the meter's unit. */
function activityOf(items: readonly SimplismartUsageItem[]): ResourceUsage['activity'] {
  const counts = items.map((item) => item.event_count).filter((count): count is number => typeof count === 'number');
  const meters = new Set(items.map((item) => item.event_name));
  const [meter] = meters;
  return {
    ...(counts.length > 0 ? { events: counts.reduce((sum, count) => sum + count, 0) } : {}),
    // A quantity has one unit: with several meters on one source there is no single quantity.
    ...(meters.size === 1 && meter !== undefined
      ? { quantity: { amount: decimalToNumber(sumDecimals(items.map((item) => item.total_usage))), unit: meter } }
      : {}),
  };
}

function buildReport(
  range: TimeRange,
  nowMs: number,
  settings: SimplismartSettings,
  answers: readonly PlanAnswer[],
): UsageReport {
  const notes: string[] = [];

  // Points at or after end_time are outside [start, end) (the API may treat end_time as inclusive).
  let droppedLateUsage = false;
  const timestamps: number[] = [];
  for (const answer of answers) {
    for (const item of answer.items) {
      for (const point of item.points ?? []) {
        if (point.timestamp < range.endMs) timestamps.push(point.timestamp);
      }
    }
  }
  const bucketing = chooseBucketing(timestamps, settings.windowSize);
  const windowMs = WINDOW_MS[settings.windowSize];
  if (bucketing.granularityMs > HOUR_MS && bucketing.granularityMs !== windowMs && timestamps.length > 1) {
    notes.push(
      `Simplismart sent points every ${describeDuration(bucketing.granularityMs)} although ${settings.windowSize} windows were asked for; the chart uses that spacing.`,
    );
  }

  const resources: ResourceUsage[] = [];
  const allPoints: KeptPoint[] = [];
  const usedIds = new Set<string>();
  let totalMicros = 0;
  let anyCostWithoutPoints = false;

  for (const answer of answers) {
    const { planType } = answer;
    const groups = new Map<string, SourceGroup>();
    let droppedCost = ZERO;
    for (const item of answer.items) {
      let group = groups.get(item.source);
      if (!group) {
        group = { source: item.source, items: [], cost: ZERO, points: [] };
        groups.set(item.source, group);
      }
      group.items.push(item);
      let itemCost = item.total_cost;
      for (const point of item.points ?? []) {
        const hasUsage = !isZeroDecimal(point.cost) || !isZeroDecimal(point.usage) || (point.event_count ?? 0) > 0;
        if (point.timestamp >= range.endMs) {
          if (hasUsage) droppedLateUsage = true;
          itemCost = addDecimal(itemCost, negateDecimal(point.cost));
          droppedCost = addDecimal(droppedCost, point.cost);
          continue;
        }
        const kept: KeptPoint = { timestampMs: point.timestamp, cost: point.cost, hasUsage };
        group.points.push(kept);
        allPoints.push(kept);
      }
      if ((item.points ?? []).length === 0 && !isZeroDecimal(item.total_cost)) anyCostWithoutPoints = true;
      group.cost = addDecimal(group.cost, itemCost);
    }

    const groupList = [...groups.values()];
    const groupMicros = apportionMicros(groupList.map((group) => group.cost));
    const itemsMicros = groupMicros.reduce((sum, micros) => sum + micros, 0);
    const planTotalMicros =
      answer.totalCost === undefined
        ? itemsMicros
        : decimalToMicros(addDecimal(answer.totalCost, negateDecimal(droppedCost)), 'total_cost');
    totalMicros += planTotalMicros;

    groupList.forEach((group, index) => {
      const id = usedIds.has(group.source) ? `${planType}:${group.source}` : group.source;
      usedIds.add(id);
      const series = bucketSeries(group.points, bucketing);
      resources.push({
        id,
        name: sourceName(group.source),
        kind: KIND_BY_PLAN[planType],
        costMicros: groupMicros[index] as number,
        activity: activityOf(group.items),
        dedicated: DEDICATED_PLANS.includes(planType),
        group: planType,
        ...(series.length > 0 ? { series } : {}),
      });
    });

    const unattributedMicros = planTotalMicros - itemsMicros;
    if (unattributedMicros > 0) {
      resources.push({
        id: `other:${planType}`,
        name: `Other ${planType} usage`,
        kind: 'other',
        costMicros: unattributedMicros,
        activity: {},
        dedicated: false,
        group: planType,
      });
    } else if (unattributedMicros < 0) {
      notes.push(
        `Simplismart's ${planType} total is lower than the sum of its items; Burnrate shows the total it reported.`,
      );
    }
  }

  if (droppedLateUsage) {
    notes.push('Simplismart returned usage from after the end of the range; Burnrate left it out.');
  }

  const buckets: CostBucket[] = bucketSeries(allPoints, bucketing).map(({ startMs, durationMs, costMicros }) => ({
    startMs,
    durationMs,
    costMicros,
  }));

  const capMs = Math.min(nowMs, range.endMs);
  let latestUsageEndMs: number | null = null;
  for (const point of allPoints) {
    if (!point.hasUsage) continue;
    const endMs = bucketing.bucketStart(point.timestampMs) + bucketing.granularityMs;
    if (latestUsageEndMs === null || endMs > latestUsageEndMs) latestUsageEndMs = endMs;
  }
  // Cost without any time points still proves data for the range, up to now.
  if (latestUsageEndMs === null && (anyCostWithoutPoints || totalMicros !== 0)) latestUsageEndMs = capMs;
  const dataThroughMs = latestUsageEndMs === null ? null : Math.min(latestUsageEndMs, capMs);

  for (const filter of LIST_FILTERS) {
    if (settings[filter.key].length === 0) continue;
    const unfiltered = settings.planTypes.filter((planType) => !filter.planTypes.includes(planType));
    if (unfiltered.length > 0) {
      notes.push(`${filter.label} narrow only ${filter.planTypes.join(' and ')} usage; ${unfiltered.join(', ')} usage is not filtered.`);
    }
  }

  resources.sort(byCostThenName);

  return {
    provider: 'simplismart',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit: 'usd',
    totalMicros,
    granularityMs: bucketing.granularityMs,
    buckets,
    resources,
    dataThroughMs,
    extras: {},
    notes,
  };
}
