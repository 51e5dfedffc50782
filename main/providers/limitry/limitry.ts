// Endpoint: GET {baseUrl}/usage/summary, /usage/breakdown?groupBy=model, /usage/timeseries?interval=hour; base https://api.limitry.com/v1 (path kept).
// Auth: `Authorization: Bearer <project API key>` (lmtry_sk_…); errors are `{"error": "<text>"}`; money is cents (`totalCostCents`, may be fractional).
// Limits: no published rate limit or max range; `startDate`/`endDate` required on every call; `/usage/summary` is inferred, so its 404 falls back to the breakdown sum.
import { DEFAULT_REVISION_WINDOW_MS } from '../../core/incremental';
import { z } from 'zod';
import { isProviderError, ProviderError } from '../../core/errors';
import { sumMicros } from '../../core/money';
import { byCostThenName, HOUR_MS, type CostBucket, type ResourceUsage, type TimeRange, type UsageReport } from '../../core/report';
import { defaultErrorDetail, type HttpGetOptions } from '../http';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import {
  limitryBreakdownSchema,
  limitryErrorBodySchema,
  limitrySummarySchema,
  limitryTimeseriesSchema,
  type LimitryBreakdownRow,
  type LimitryMetrics,
  type LimitrySummary,
  type LimitryTimeseriesRow,
} from './limitry.schema';

const PROVIDER = 'Limitry';

/** Default API base URL (Python SDK `ClientConfig`; some doc pages say `api.limitry.io/v1`). */
export const LIMITRY_DEFAULT_BASE_URL = 'https://api.limitry.com/v1';

/** Id and name of the breakdown row whose `dimension` is null (events with no model). */
export const LIMITRY_NO_MODEL_ID = '(none)';

/** Id of the resource that holds summary cost the per-model breakdown does not account for. */
export const LIMITRY_OTHER_ID = '(other)';

/** Schema of a Limitry connection's settings: only the base URL, which keeps its `/v1` path. */
const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(LIMITRY_DEFAULT_BASE_URL),
});

/** Parsed settings of a Limitry connection. */
export type LimitrySettings = z.output<typeof settingsSchema>;

const settings: readonly SettingField[] = [
  baseUrlField(LIMITRY_DEFAULT_BASE_URL, 'Include the /v1 path. Some Limitry pages give https://api.limitry.io/v1; use it if the default is refused.'),
];

/**
 * Limitry (LLM usage metering): spend per model from the project's own usage events.
 * Total from `/usage/summary` (or the breakdown sum when that path answers 404), hourly buckets
 * from `/usage/timeseries`, resources from `/usage/breakdown?groupBy=model`. Unit: USD.
 */
export const limitryAdapter: ProviderAdapter<LimitrySettings> = {
  id: 'limitry',
  displayName: 'Limitry',
  settings,
  settingsSchema,
  // No published rate limit; three calls per refresh, and events arrive as the customer's app
  // reports them, so once a minute is fresh enough without hammering the API.
  minRefreshMs: 60_000,
  // Events arrive late as the customer's app reports them: the default 48 h window.
  incremental: { revisionWindowMs: DEFAULT_REVISION_WINDOW_MS },
  fetchUsage: fetchLimitryUsage,
};

async function fetchLimitryUsage(range: TimeRange, ctx: ProviderContext<LimitrySettings>): Promise<UsageReport> {
  if (!isInstant(range.startMs) || !isInstant(range.endMs) || range.endMs <= range.startMs) {
    throw new ProviderError('bad_request', `Burnrate asked ${PROVIDER} for an empty or invalid time range`);
  }
  const dates = { startDate: isoInstant(range.startMs), endDate: isoInstant(range.endMs) };
  // The first failure cancels the other two calls, and fetchUsage returns only once all three have
  // settled: a failed fetch leaves no request behind to race the poller's next attempt.
  const siblings = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, siblings.signal]) : siblings.signal;
  let failure: { readonly error: unknown } | undefined;
  const guard = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      if (failure === undefined) {
        failure = { error };
        siblings.abort();
      }
      throw error;
    });

  const get = (path: string, query: Record<string, string>) => {
    const url = joinUrl(ctx.settings.baseUrl, path);
    // camelCase parameter names on the wire, snake_case enum values (PROVIDERS.md §4).
    for (const [name, value] of Object.entries({ ...query, ...dates })) url.searchParams.set(name, value);
    const options: HttpGetOptions = {
      provider: PROVIDER,
      url,
      headers: { authorization: `Bearer ${ctx.apiKey}` },
      secrets: [ctx.apiKey],
      errorDetail: limitryErrorDetail,
      signal,
    };
    return ctx.http.getJson(options);
  };

  const calls = [
    guard(
      get('/usage/summary', {}).then(
        (response) => parseAnswer(limitrySummarySchema, response.body, PROVIDER, 'usage summary', [ctx.apiKey]),
        (error: unknown) => {
          // The summary path is inferred from its siblings (PROVIDERS.md §4 Unknown 1): a 404 there
          // means "no such endpoint", and the breakdown's rows still add up to the total.
          if (isProviderError(error) && error.status === 404) return null;
          throw error;
        },
      ),
    ),
    guard(breakdownOf(range, ctx, () =>
      get('/usage/breakdown', { groupBy: 'model' }).then((response) =>
        parseAnswer(limitryBreakdownSchema, response.body, PROVIDER, 'usage breakdown', [ctx.apiKey]).data,
      ),
    )),
    guard(
      get('/usage/timeseries', { interval: 'hour' }).then((response) =>
        parseAnswer(limitryTimeseriesSchema, response.body, PROVIDER, 'usage timeseries', [ctx.apiKey]),
      ),
    ),
  ] as const;
  await Promise.allSettled(calls);
  if (failure !== undefined) throw failure.error;
  const [summary, breakdown, timeseries] = await Promise.all(calls);

  return mapLimitryReport(range, ctx.nowMs, summary, breakdown, timeseries.data);
}

/** The per-model breakdown is a secondary call: asked for at most this often for one range start. */
export const LIMITRY_BREAKDOWN_EVERY_MS = HOUR_MS;

const BREAKDOWN_MEMORY_KEY = 'limitry:breakdown';

interface RememberedBreakdown {
  readonly startMs: number;
  readonly atMs: number;
  readonly rows: readonly LimitryBreakdownRow[];
}

/**
 * The breakdown rows of `range`: asked for anew unless this connection asked for the same range
 * start less than {@link LIMITRY_BREAKDOWN_EVERY_MS} ago (its memory, across the poller's tail
 * refreshes). Reused rows lag the summary by at most that long; what they do not account for
 * shows as the "(other)" resource until the next breakdown.
 */
async function breakdownOf(
  range: TimeRange,
  ctx: ProviderContext<LimitrySettings>,
  fetchRows: () => Promise<readonly LimitryBreakdownRow[]>,
): Promise<readonly LimitryBreakdownRow[]> {
  const remembered = ctx.memory?.get(BREAKDOWN_MEMORY_KEY) as RememberedBreakdown | undefined;
  if (remembered !== undefined && remembered.startMs === range.startMs && ctx.nowMs >= remembered.atMs && ctx.nowMs - remembered.atMs < LIMITRY_BREAKDOWN_EVERY_MS) {
    return remembered.rows;
  }
  const rows = await fetchRows();
  ctx.memory?.set(BREAKDOWN_MEMORY_KEY, { startMs: range.startMs, atMs: ctx.nowMs, rows } satisfies RememberedBreakdown);
  return rows;
}

/**
 * Maps parsed Limitry answers to one report. `summary` is null when `/usage/summary` answered 404.
 * Pure: exported for tests of the mapping rules.
 */
export function mapLimitryReport(
  range: TimeRange,
  nowMs: number,
  summary: LimitrySummary | null,
  breakdownRows: readonly LimitryBreakdownRow[],
  timeseriesRows: readonly LimitryTimeseriesRow[],
): UsageReport {
  const notes: string[] = [];
  const models = modelResources(breakdownRows);
  const attributedMicros = sumMicros(models.map((resource) => resource.costMicros));

  let totalMicros: number;
  const resources: ResourceUsage[] = [...models];
  if (summary === null) {
    totalMicros = attributedMicros;
    notes.push(
      `${PROVIDER} has no usage summary at this address (404), so the total is the sum of its per-model breakdown.`,
    );
  } else {
    totalMicros = summary.costMicros;
    const remainderMicros = totalMicros - attributedMicros;
    if (remainderMicros > 0) {
      resources.push(otherResource(remainderMicros, summary, breakdownRows));
    } else if (remainderMicros < 0) {
      notes.push(
        `${PROVIDER}'s per-model breakdown adds up to more than its total for this range (usage probably arrived between the requests); the total is ${PROVIDER}'s own summary.`,
      );
    }
  }
  resources.sort(byCostThenName);

  const buckets = hourlyBuckets(range, timeseriesRows);
  return {
    provider: 'limitry',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit: 'usd',
    totalMicros,
    granularityMs: HOUR_MS,
    buckets: buckets.map(({ startMs, durationMs, costMicros }) => ({ startMs, durationMs, costMicros })),
    resources,
    dataThroughMs: dataThrough(buckets, Math.min(nowMs, range.endMs)),
    extras: {},
    notes,
  };
}

/** Breakdown rows as model resources; rows with the same dimension (null = "(none)") are merged. */
function modelResources(rows: readonly LimitryBreakdownRow[]): ResourceUsage[] {
  const byId = new Map<string, { costMicros: number[]; metrics: LimitryMetrics[] }>();
  for (const row of rows) {
    const id = row.dimension === null || row.dimension.trim() === '' ? LIMITRY_NO_MODEL_ID : row.dimension;
    const entry = byId.get(id) ?? { costMicros: [], metrics: [] };
    entry.costMicros.push(row.costMicros);
    entry.metrics.push(row);
    byId.set(id, entry);
  }
  return [...byId].map(([id, entry]) => ({
    id,
    name: id,
    kind: 'model',
    costMicros: sumMicros(entry.costMicros),
    activity: activityOf(entry.metrics),
    // Limitry meters per-call usage of models; nothing it reports is capacity billed by time.
    dedicated: false,
  }));
}

/** The part of the summary total that no breakdown row accounts for. */
function otherResource(
  remainderMicros: number,
  summary: LimitrySummary,
  rows: readonly LimitryBreakdownRow[],
): ResourceUsage {
  const remainder = (total: number | undefined, pick: (row: LimitryBreakdownRow) => number | undefined) => {
    if (total === undefined) return undefined;
    const listed = rows.reduce((sum, row) => sum + (pick(row) ?? 0), 0);
    return total > listed ? total - listed : undefined;
  };
  const events = remainder(summary.events, (row) => row.events);
  const inputTokens = remainder(summary.inputTokens, (row) => row.inputTokens);
  const outputTokens = remainder(summary.outputTokens, (row) => row.outputTokens);
  return {
    id: LIMITRY_OTHER_ID,
    name: `Other (not in ${PROVIDER}'s per-model breakdown)`,
    kind: 'other',
    costMicros: remainderMicros,
    activity: {
      ...(events === undefined ? {} : { events }),
      ...(inputTokens === undefined ? {} : { inputTokens }),
      ...(outputTokens === undefined ? {} : { outputTokens }),
    },
    dedicated: false,
  };
}

/** Sums the counts the rows reported; a count no row reported stays absent. */
function activityOf(metrics: readonly LimitryMetrics[]): ResourceUsage['activity'] {
  const total = (pick: (m: LimitryMetrics) => number | undefined): number | undefined => {
    const values = metrics.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0);
  };
  const events = total((m) => m.events);
  const inputTokens = total((m) => m.inputTokens);
  const outputTokens = total((m) => m.outputTokens);
  return {
    ...(events === undefined ? {} : { events }),
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}

interface HourBucket extends CostBucket {
  /** True when the hour recorded any event, token or cost. */
  readonly used: boolean;
}

/**
 * Timeseries rows as hourly buckets: sorted ascending, a repeated timestamp counted once (the
 * later row wins), timestamps inside an hour folded into that hour, rows outside the range dropped.
 */
function hourlyBuckets(range: TimeRange, rows: readonly LimitryTimeseriesRow[]): HourBucket[] {
  const byTimestamp = new Map<number, LimitryTimeseriesRow>();
  for (const row of rows) byTimestamp.set(row.startMs, row);

  const firstHourMs = Math.floor(range.startMs / HOUR_MS) * HOUR_MS;
  const byHour = new Map<number, { costMicros: number[]; used: boolean }>();
  for (const row of byTimestamp.values()) {
    const hourMs = Math.floor(row.startMs / HOUR_MS) * HOUR_MS;
    if (hourMs < firstHourMs || hourMs >= range.endMs) continue;
    const entry = byHour.get(hourMs) ?? { costMicros: [], used: false };
    entry.costMicros.push(row.costMicros);
    entry.used ||= hasUsage(row);
    byHour.set(hourMs, entry);
  }
  return [...byHour]
    .sort(([a], [b]) => a - b)
    .map(([startMs, entry]) => ({
      startMs,
      durationMs: HOUR_MS,
      costMicros: sumMicros(entry.costMicros),
      used: entry.used,
    }));
}

function hasUsage(metrics: LimitryMetrics): boolean {
  return metrics.costMicros !== 0 || (metrics.events ?? 0) > 0 || (metrics.inputTokens ?? 0) + (metrics.outputTokens ?? 0) > 0;
}

/** End of the latest bucket with any usage, capped at `capMs`; null when no bucket has usage. */
function dataThrough(buckets: readonly HourBucket[], capMs: number): number | null {
  for (let index = buckets.length - 1; index >= 0; index -= 1) {
    const bucket = buckets[index]!;
    if (bucket.used) return Math.min(bucket.startMs + bucket.durationMs, capMs);
  }
  return null;
}

/** True for an epoch-ms value a Date can hold (±8.64e15 ms). */
function isInstant(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** Limitry's `{"error": "<text>"}`, else the common fields of a gateway's error page. */
function limitryErrorDetail(body: unknown): string | undefined {
  const parsed = limitryErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : defaultErrorDetail(body);
}
