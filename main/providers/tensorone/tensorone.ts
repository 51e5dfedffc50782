// Endpoint: GET {baseUrl}/v2/billing/usage?timeRange=custom&startDate=YYYY-MM-DD&endDate=YYYY-MM-DD (inclusive)&granularity=hourly&currency=USD&includeProjections=true
// Auth: `Authorization: Bearer <key>`; a read key with the `billing` scope (without it: 403 FORBIDDEN).
// Limits: plan read limits 100 / 1,000 / 10,000 per hour (X-RateLimit-*, 429 + Retry-After up to ~1800 s); usage refreshed hourly, billing finalised daily.
import { DEFAULT_REVISION_WINDOW_MS } from '../../core/incremental';
import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import { type TimeRange, type UsageReport } from '../../core/report';
import { defaultErrorDetail, type HttpGetOptions } from '../http';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { utcDaysOfRange } from '../utcDays';
import { isoDate } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import { errorBodySchema, TENSORONE_RESOURCE_TYPES, usageAnswerSchema, type TensorOneUsageAnswer } from './tensorone.schema';
import { emptyReport, mapUsage } from './tensorone.report';

const PROVIDER = 'TensorOne';

/** Default API base URL (PROVIDERS.md §0). */
export const TENSORONE_DEFAULT_BASE_URL = 'https://api.tensorone.ai';

/** Path of the usage endpoint under the base URL. */
export const TENSORONE_USAGE_PATH = '/v2/billing/usage';

/**
 * Connection settings of a TensorOne connection (besides the API key).
 * `resourceTypes` narrows the answer to those types (sent as `resourceType[]=…`); empty = all types.
 */
export const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(TENSORONE_DEFAULT_BASE_URL),
  resourceTypes: z
    .array(
      z.enum(TENSORONE_RESOURCE_TYPES, {
        error: () => `must be one of ${TENSORONE_RESOURCE_TYPES.join(', ')}`,
      }),
    )
    .default([])
    .refine((types) => new Set(types).size === types.length, { message: 'lists the same resource type twice' }),
});

/** Parsed settings of a TensorOne connection. */
export type TensorOneSettings = z.output<typeof settingsSchema>;

/** Free tier allows 100 reads per hour; one fetch = one read, so 12 per hour leaves room for retries. */
const MIN_REFRESH_MS = 5 * 60_000;

/** The TensorOne adapter: one request per fetch, totals from `summary`, hourly buckets from `timeSeries`. */
export const tensoroneAdapter: ProviderAdapter<TensorOneSettings> = {
  id: 'tensorone',
  displayName: 'TensorOne',
  settings: [
    baseUrlField(TENSORONE_DEFAULT_BASE_URL, 'Change only to reach a proxy or a regional TensorOne API.'),
    {
      key: 'resourceTypes',
      label: 'Resource types',
      kind: 'multi-select',
      required: false,
      options: TENSORONE_RESOURCE_TYPES,
      defaultValue: [],
      help: 'Leave empty to track every resource type. The API key needs the billing scope.',
    },
  ] satisfies SettingField[],
  settingsSchema,
  minRefreshMs: MIN_REFRESH_MS,
  // Usage is refreshed hourly and finalized daily (PROVIDERS.md §2): the default 48 h window covers it.
  incremental: { revisionWindowMs: DEFAULT_REVISION_WINDOW_MS },
  fetchUsage,
};

async function fetchUsage(range: TimeRange, ctx: ProviderContext<TensorOneSettings>): Promise<UsageReport> {
  if (!Number.isFinite(range.startMs) || !Number.isFinite(range.endMs) || range.endMs <= range.startMs) {
    throw new ProviderError('bad_request', `${PROVIDER}: the requested time range is empty or invalid`);
  }
  // Whole UTC days only: a boundary day goes whole to the period holding most of its hours (utcDays.ts).
  // endDate is inclusive on the wire.
  const days = utcDaysOfRange(range, ctx.nowMs);
  if (days === null) return emptyReport(range);
  const { firstDayMs: startDayMs, lastDayMs } = days;
  const url = usageUrl(ctx.settings, startDayMs, lastDayMs);
  const request: HttpGetOptions = {
    provider: PROVIDER,
    url,
    headers: { authorization: `Bearer ${ctx.apiKey}` },
    secrets: [ctx.apiKey],
    errorDetail: tensoroneErrorDetail,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const response = await ctx.http.getJson(request);
  const answer = parseUsageAnswer(response.body, ctx.apiKey);
  return mapUsage(answer, {
    range,
    nowMs: ctx.nowMs,
    startDayMs,
    lastDayMs,
    partial: days.partial,
    resourceTypes: ctx.settings.resourceTypes,
    headers: response.headers,
  });
}

/** Validates the answer; the shared parser redacts the key from its message and keeps no zod cause. */
function parseUsageAnswer(body: unknown, apiKey: string): TensorOneUsageAnswer {
  return parseAnswer(usageAnswerSchema, body, PROVIDER, 'usage answer', [apiKey]);
}

/** Builds the request URL exactly as PROVIDERS.md §0 decides (brackets for the array, per the vendor's curl). */
function usageUrl(settings: TensorOneSettings, startDayMs: number, lastDayMs: number): URL {
  const url = joinUrl(settings.baseUrl, TENSORONE_USAGE_PATH);
  url.searchParams.set('timeRange', 'custom');
  url.searchParams.set('startDate', isoDate(startDayMs));
  url.searchParams.set('endDate', isoDate(lastDayMs));
  url.searchParams.set('granularity', 'hourly');
  // The account's currency may not be USD; the API converts every cost when asked.
  url.searchParams.set('currency', 'USD');
  url.searchParams.set('includeProjections', 'true');
  for (const type of settings.resourceTypes) url.searchParams.append('resourceType[]', type);
  return url;
}

/**
 * Pulls TensorOne's short explanation out of its error envelope: `message`, the validation
 * `details.reason`, and the permissions a 403 says are missing.
 * @example tensoroneErrorDetail({ error: 'UNAUTHORIZED', message: 'Invalid or missing API key' }) //=> 'Invalid or missing API key'
 */
export function tensoroneErrorDetail(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return defaultErrorDetail(body);
  const { message, error, details } = parsed.data;
  let text = message?.trim() || error?.trim();
  if (!text) return undefined;
  if (details?.reason) text += `: ${details.reason}`;
  const required = details?.required_permissions ?? [];
  if (required.length > 0) text += ` (the key needs ${required.join(', ')}: use a read key with the billing scope)`;
  return text;
}
