// Endpoint: GET {baseUrl}/v1/billing/usage_summary?start_date=<ISO-8601 Z>&end_date=<ISO-8601 Z>, default base https://api.baseten.co.
// Auth: `Authorization: Api-Key <key>` (the scheme word is Api-Key, not Bearer: a Bearer header gets 401).
// Limits: at most 31 days per request and nothing before 2026-01-01 (split and clamped here); 100 requests/s per key, 429 + JSON `retry_after`.
import { DEFAULT_REVISION_WINDOW_MS } from '../../core/incremental';
import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import { DAY_MS, type TimeRange, type UsageReport } from '../../core/report';
import { defaultErrorDetail } from '../http';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { boundaryDayNote, utcDaysOfRange } from '../utcDays';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import { errorBodySchema, usageSummarySchema, type UsageSummary } from './baseten.schema';
import { buildReport, emptyReport, UsageTally } from './baseten.report';

/** Baseten's management API base URL (PROVIDERS.md §0). */
export const BASETEN_DEFAULT_BASE_URL = 'https://api.baseten.co';

/** Path of the usage summary endpoint. */
export const BASETEN_USAGE_PATH = '/v1/billing/usage_summary';

/** Earliest instant the usage summary accepts: 2026-01-01T00:00:00Z (epoch ms). */
export const BASETEN_EARLIEST_MS = Date.UTC(2026, 0, 1);

/** Longest range one request may cover: 31 days (ms). */
export const BASETEN_MAX_WINDOW_MS = 31 * DAY_MS;

const PROVIDER = 'Baseten';

/** Note added when a range reaches before the first day Baseten reports. */
export const BASETEN_NO_DATA_BEFORE_NOTE = 'Baseten has no usage data before 2026-01-01';

const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(BASETEN_DEFAULT_BASE_URL),
});

/** Connection settings of a Baseten connection, defaults filled in (`baseUrl` without trailing slash). */
export type BasetenSettings = z.output<typeof settingsSchema>;

/**
 * Splits `[startMs, endMs)` into consecutive request windows of whole UTC days, at most 31 each,
 * that do not overlap: each UTC day (and each `daily[]` row) belongs to exactly one window, and a
 * row an answer sends for a day outside its window (an `end_date` that includes its end day) is
 * dropped. `startMs` is moved to its UTC midnight and `endMs` up to the next one.
 * @example basetenWindows(Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 2, 1)) //=> [Jan 1–Feb 1, Feb 1–Mar 1]
 */
export function basetenWindows(startMs: number, endMs: number): TimeRange[] {
  const windows: TimeRange[] = [];
  let cursorMs = Math.floor(startMs / DAY_MS) * DAY_MS;
  const lastMs = Math.ceil(endMs / DAY_MS) * DAY_MS;
  while (cursorMs < lastMs) {
    const windowEndMs = Math.min(lastMs, cursorMs + BASETEN_MAX_WINDOW_MS);
    windows.push({ startMs: cursorMs, endMs: windowEndMs });
    cursorMs = windowEndMs;
  }
  return windows;
}

/** Reads Baseten's `{"error": …}` explanation, else the common fields. */
function errorDetail(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : defaultErrorDetail(body);
}

/** Validates the answer; the shared parser redacts the key from its message and keeps no zod cause. */
function parseSummary(body: unknown, apiKey: string): UsageSummary {
  return parseAnswer(usageSummarySchema, body, PROVIDER, 'usage summary', [apiKey]);
}

async function fetchUsage(range: TimeRange, ctx: ProviderContext<BasetenSettings>): Promise<UsageReport> {
  if (!Number.isFinite(range.startMs) || !Number.isFinite(range.endMs)) {
    throw new ProviderError('bad_request', 'Burnrate asked Baseten for a time range that is not a pair of instants');
  }
  const notes: string[] = [];
  if (range.startMs < BASETEN_EARLIEST_MS) {
    notes.push(
      range.endMs <= BASETEN_EARLIEST_MS
        ? BASETEN_NO_DATA_BEFORE_NOTE
        : `${BASETEN_NO_DATA_BEFORE_NOTE}; this range is counted from then.`,
    );
  }
  // The API refuses anything before 2026-01-01; the future holds no usage, so the request ends at now.
  const startMs = Math.max(range.startMs, BASETEN_EARLIEST_MS);
  const endMs = Math.min(range.endMs, ctx.nowMs);
  if (startMs < range.endMs && startMs >= ctx.nowMs) {
    notes.push('This range has not started yet, so Baseten has no usage for it.');
  }
  // Daily rows are whole UTC days: a boundary day of a non-UTC period goes whole to the period
  // holding most of its hours (utcDays.ts), and the total is then labelled an estimate.
  const days = endMs > startMs ? utcDaysOfRange({ startMs, endMs: range.endMs }, ctx.nowMs) : null;
  // Whole days, but never asking past now (today's window ends at now).
  const windows = (days === null ? [] : basetenWindows(days.firstDayMs, days.lastDayMs + DAY_MS)).map((window) => ({
    startMs: window.startMs,
    endMs: Math.min(window.endMs, ctx.nowMs),
  }));
  if (windows.length === 0) return emptyReport(range, notes);
  if (days?.partial) notes.push(boundaryDayNote(PROVIDER, days));

  const tally = new UsageTally();
  const url = joinUrl(ctx.settings.baseUrl, BASETEN_USAGE_PATH);
  const lastWindow = windows.at(-1);
  // One window at a time: sequential calls stay far below the 100 requests/s limit and stop at the first failure.
  for (const window of windows) {
    url.searchParams.set('start_date', isoInstant(window.startMs));
    url.searchParams.set('end_date', isoInstant(window.endMs));
    const response = await ctx.http.getJson({
      provider: PROVIDER,
      url: new URL(url),
      headers: { authorization: `Api-Key ${ctx.apiKey}` },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      secrets: [ctx.apiKey],
      errorDetail,
    });
    tally.add(parseSummary(response.body, ctx.apiKey), window);
  }
  const report = buildReport(range, tally, Math.min(ctx.nowMs, lastWindow?.endMs ?? ctx.nowMs), notes);
  return days?.partial ? { ...report, estimated: true } : report;
}

const settings: readonly SettingField[] = [
  baseUrlField(BASETEN_DEFAULT_BASE_URL, 'Baseten management API. Change it only for a proxy or a test server.'),
];

/**
 * Baseten: dedicated deployments and chainlets, training jobs and Model APIs from the billing
 * usage summary. Spend is each section's gross `total`; `credits_used` goes to
 * `extras.creditsUsedMicros` and a note. Buckets and resource series are daily (UTC days).
 */
export const basetenAdapter: ProviderAdapter<BasetenSettings> = {
  id: 'baseten',
  displayName: 'Baseten',
  settings,
  settingsSchema,
  // Usage is reported per UTC day; polling faster than every 5 minutes shows nothing new.
  minRefreshMs: 5 * 60_000,
  // Baseten finalizes days after the fact (revision behaviour undocumented): the default 48 h window.
  incremental: { revisionWindowMs: DEFAULT_REVISION_WINDOW_MS },
  fetchUsage,
};
