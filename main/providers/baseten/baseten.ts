// Endpoint: GET {baseUrl}/v1/billing/usage_summary?start_date=<ISO-8601 Z>&end_date=<ISO-8601 Z>, default base https://api.baseten.co.
// Auth: `Authorization: Api-Key <key>` (the scheme word is Api-Key, not Bearer: a Bearer header gets 401).
// Limits: at most 31 days per request and nothing before 2026-01-01 (split and clamped here); 100 requests/s per key, 429 + JSON `retry_after`.
import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import { formatUsd, sumMicros } from '../../core/money';
import {
  byCostThenName,
  DAY_MS,
  type Activity,
  type CostBucket,
  type ResourceBucket,
  type ResourceKind,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import { defaultErrorDetail } from '../http';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { boundaryDayNote, utcDaysOfRange } from '../utcDays';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import { errorBodySchema, usageSummarySchema, type BillableResource, type UsageSummary } from './baseten.schema';

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

/** The three products of the usage summary, in answer order. */
type SectionKey = 'dedicated' | 'training' | 'model_apis';

const SECTION_LABELS: Readonly<Record<SectionKey, string>> = {
  dedicated: 'Dedicated',
  training: 'Training',
  model_apis: 'Model APIs',
};

const SECTION_KINDS: Readonly<Record<SectionKey, ResourceKind>> = {
  dedicated: 'deployment',
  training: 'training_job',
  model_apis: 'model',
};

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

interface DayTally {
  costMicros: number;
  requests?: number;
}

interface ResourceTally {
  readonly id: string;
  readonly section: SectionKey;
  name: string;
  deleted: boolean | undefined;
  costMicros: number;
  requests: number;
  minutes: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  readonly days: Map<number, DayTally>;
}

interface SectionTally {
  seen: boolean;
  totalMicros: number;
  creditsMicros: number;
  itemsMicros: number;
}

/** A daily row, reduced to what aggregation needs. */
interface DayRow {
  readonly dateMs: number;
  readonly costMicros: number;
  readonly requests?: number;
  /** Minutes, tokens or requests recorded that day (usage even at $0). */
  readonly activity: number;
}

/** Name to show for a billable resource: "parent / name" where Baseten gives a parent. */
function resourceName(resource: BillableResource): string {
  const name = resource.name ?? undefined;
  const parent = resource.chain_metadata?.chain_name ?? resource.model_name ?? undefined;
  if (name && parent && parent !== name) return `${parent} / ${name}`;
  return name ?? parent ?? resource.id;
}

/** Aggregates the answers of all windows of one fetch. */
class UsageTally {
  readonly resources = new Map<string, ResourceTally>();
  readonly sections: Record<SectionKey, SectionTally> = {
    dedicated: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
    training: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
    model_apis: { seen: false, totalMicros: 0, creditsMicros: 0, itemsMicros: 0 },
  };
  /** End of the latest day (or window) holding usage, before capping. */
  latestUsageEndMs: number | null = null;
  /** Sum of the daily rows kept (one per resource and UTC day of its window). */
  rowsMicros = 0;
  /** Subtotals of items that came without daily rows (cannot be split by day). */
  unrowedMicros = 0;

  add(answer: UsageSummary, window: TimeRange): void {
    const dedicated = answer.dedicated_usage;
    if (dedicated) {
      const itemsMicros = dedicated.breakdown.map((item) => {
        const tally = this.resource('dedicated', item.billable_resource.id, resourceName(item.billable_resource));
        tally.deleted = item.billable_resource.is_deleted;
        tally.requests += item.inference_requests;
        tally.minutes += item.minutes;
        const rows = item.daily.map((day) => ({
          dateMs: day.date,
          costMicros: day.subtotal,
          requests: day.inference_requests,
          activity: day.minutes + day.inference_requests,
        }));
        this.addItem(tally, window, item.subtotal, item.minutes + item.inference_requests, rows);
        return item.subtotal;
      });
      this.addSection('dedicated', dedicated, itemsMicros, window);
    }
    const training = answer.training_usage;
    if (training) {
      const itemsMicros = training.breakdown.map((item) => {
        const tally = this.resource('training', item.billable_resource.id, resourceName(item.billable_resource));
        tally.deleted = item.billable_resource.is_deleted;
        tally.minutes += item.minutes;
        const rows = item.daily.map((day) => ({ dateMs: day.date, costMicros: day.subtotal, activity: day.minutes }));
        this.addItem(tally, window, item.subtotal, item.minutes, rows);
        return item.subtotal;
      });
      this.addSection('training', training, itemsMicros, window);
    }
    const modelApis = answer.model_apis_usage;
    if (modelApis) {
      const itemsMicros = modelApis.breakdown.map((item) => {
        const tally = this.resource('model_apis', item.model_name, item.model_name);
        tally.inputTokens += item.input_tokens;
        tally.outputTokens += item.output_tokens;
        tally.cachedInputTokens += item.cached_input_tokens;
        const rows = item.daily.map((day) => ({
          dateMs: day.date,
          costMicros: day.subtotal,
          activity: day.input_tokens + day.output_tokens + day.cached_input_tokens,
        }));
        const activity = item.input_tokens + item.output_tokens + item.cached_input_tokens;
        this.addItem(tally, window, item.subtotal, activity, rows);
        return item.subtotal;
      });
      this.addSection('model_apis', modelApis, itemsMicros, window);
    }
  }

  private resource(section: SectionKey, id: string, name: string): ResourceTally {
    const key = `${section}\u0000${id}`;
    let tally = this.resources.get(key);
    if (!tally) {
      tally = {
        id,
        section,
        name,
        deleted: undefined,
        costMicros: 0,
        requests: 0,
        minutes: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        days: new Map(),
      };
      this.resources.set(key, tally);
    }
    // Later windows win: a resource renamed or deleted during the range shows as it is now.
    tally.name = name;
    return tally;
  }

  private addItem(tally: ResourceTally, window: TimeRange, costMicros: number, activity: number, rows: readonly DayRow[]): void {
    tally.costMicros = sumMicros([tally.costMicros, costMicros]);
    let dailyUsage = false;
    if (rows.length === 0) this.unrowedMicros = sumMicros([this.unrowedMicros, costMicros]);
    for (const row of rows) {
      // Each UTC day belongs to one window (windows are cut on midnights). A row outside its window
      // (an inclusive end_date) or seen before is a duplicate: the first, owning window's row stands.
      const inWindow = row.dateMs + DAY_MS > window.startMs && row.dateMs < window.endMs;
      if (!inWindow || tally.days.has(row.dateMs)) continue;
      this.rowsMicros = sumMicros([this.rowsMicros, row.costMicros]);
      tally.days.set(row.dateMs, {
        costMicros: row.costMicros,
        ...(row.requests === undefined ? {} : { requests: row.requests }),
      });
      if (row.costMicros !== 0 || row.activity > 0) {
        dailyUsage = true;
        this.noteUsageUntil(row.dateMs + DAY_MS);
      }
    }
    // Usage without daily rows (daily[] is optional): all we know is that it falls in this window.
    if (!dailyUsage && (costMicros !== 0 || activity > 0)) this.noteUsageUntil(window.endMs);
  }

  private addSection(
    section: SectionKey,
    answer: { total: number; credits_used: number },
    itemsMicros: readonly number[],
    window: TimeRange,
  ): void {
    const tally = this.sections[section];
    tally.seen = true;
    tally.totalMicros = sumMicros([tally.totalMicros, answer.total]);
    tally.creditsMicros = sumMicros([tally.creditsMicros, answer.credits_used]);
    const windowItemsMicros = sumMicros(itemsMicros);
    tally.itemsMicros = sumMicros([tally.itemsMicros, windowItemsMicros]);
    if (answer.total !== windowItemsMicros) this.noteUsageUntil(window.endMs);
  }

  private noteUsageUntil(ms: number): void {
    this.latestUsageEndMs = this.latestUsageEndMs === null ? ms : Math.max(this.latestUsageEndMs, ms);
  }
}

function toResourceUsage(tally: ResourceTally): ResourceUsage {
  let activity: Activity;
  switch (tally.section) {
    case 'dedicated':
      activity = { requests: tally.requests, minutes: tally.minutes };
      break;
    case 'training':
      activity = { minutes: tally.minutes };
      break;
    case 'model_apis':
      activity = {
        inputTokens: tally.inputTokens,
        outputTokens: tally.outputTokens,
        ...(tally.cachedInputTokens > 0
          ? { quantity: { amount: tally.cachedInputTokens, unit: 'cached input tokens' } }
          : {}),
      };
      break;
  }
  const series: ResourceBucket[] = [...tally.days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, day]) => ({ startMs, durationMs: DAY_MS, ...day }));
  return {
    id: tally.id,
    name: tally.name,
    kind: SECTION_KINDS[tally.section],
    costMicros: tally.costMicros,
    activity,
    // Dedicated deployments and chainlets bill for every minute they are up, busy or idle.
    dedicated: tally.section === 'dedicated',
    group: SECTION_LABELS[tally.section],
    ...(tally.deleted === undefined ? {} : { deleted: tally.deleted }),
    series,
  };
}

function emptyReport(range: TimeRange, notes: string[]): UsageReport {
  return {
    provider: 'baseten',
    range,
    unit: 'usd',
    totalMicros: 0,
    granularityMs: DAY_MS,
    buckets: [],
    resources: [],
    dataThroughMs: null,
    extras: { creditsUsedMicros: 0 },
    notes,
  };
}

function buildReport(range: TimeRange, tally: UsageTally, nowMs: number, notes: string[]): UsageReport {
  const resources = [...tally.resources.values()].map(toResourceUsage);
  for (const section of Object.keys(SECTION_LABELS) as SectionKey[]) {
    const sectionTally = tally.sections[section];
    const remainderMicros = sectionTally.totalMicros - sectionTally.itemsMicros;
    const label = SECTION_LABELS[section];
    if (remainderMicros > 0) {
      resources.push({
        id: `${section}:unattributed`,
        name: `Other ${label} usage`,
        kind: 'other',
        costMicros: remainderMicros,
        activity: {},
        dedicated: false,
        group: label,
      });
    } else if (remainderMicros < 0) {
      notes.push(
        `Baseten's ${label} resources add up to ${formatUsd(-remainderMicros)} more than its total; Burnrate counts the daily rows.`,
      );
    }
  }
  resources.sort(byCostThenName);

  const bucketMicros = new Map<number, number>();
  for (const resource of tally.resources.values()) {
    for (const [startMs, day] of resource.days) {
      bucketMicros.set(startMs, sumMicros([bucketMicros.get(startMs) ?? 0, day.costMicros]));
    }
  }
  const buckets: CostBucket[] = [...bucketMicros.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, costMicros]) => ({ startMs, durationMs: DAY_MS, costMicros }));

  const sections = Object.values(tally.sections);
  // The total is the sum of the daily rows (one per resource and UTC day, each day in one window
  // only), plus what cannot be put on a day: items without rows and a section total above its
  // items. Never the windows' totals added up: a window whose end_date counts its end day would
  // count a shared day twice.
  const remaindersMicros = sumMicros(sections.map((section) => Math.max(0, section.totalMicros - section.itemsMicros)));
  const totalMicros = sumMicros([tally.rowsMicros, tally.unrowedMicros, remaindersMicros]);
  const creditsUsedMicros = sumMicros(sections.map((section) => section.creditsMicros));
  if (creditsUsedMicros !== 0) {
    notes.push(
      `Baseten applied ${formatUsd(creditsUsedMicros)} of credits in this range; spend is shown before credits ` +
        `(${formatUsd(totalMicros - creditsUsedMicros)} after credits).`,
    );
  }
  // `nowMs` is already capped at the end of the last day asked for (which may lie past a non-UTC range's end).
  const capMs = nowMs;
  return {
    provider: 'baseten',
    range,
    unit: 'usd',
    totalMicros,
    granularityMs: DAY_MS,
    buckets,
    resources,
    dataThroughMs: tally.latestUsageEndMs === null ? null : Math.min(tally.latestUsageEndMs, capMs),
    extras: { creditsUsedMicros },
    notes,
  };
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
  fetchUsage,
};
