// Requests of the Civis adapter: usage rows (paged if Civis pages) and the credit limit.
import { HOUR_MS, type RateLimitState, type TimeRange } from '../../core/report';
import { isResponseTooLarge, type HttpJsonResponse } from '../http';
import { readRateLimit } from '../rateLimit';
import { joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderContext } from '../types';
import {
  civisErrorDetail,
  columnsOfRows,
  llmUsageColumns,
  llmUsageListSchema,
  type LlmUsageColumns,
  matchingUsageListSchema,
  usageLimitLlmListSchema,
  type UsageLimitLlm,
} from './civis.schema';
import { CivisRowFold } from './civis.fold';
import { CIVIS_MAX_PAGES, type CivisSettings } from './civis.settings';

const PROVIDER = 'Civis';

/** What reading `/usage/llm` returned. */
export interface UsageFetch {
  /** The rows, folded into hourly and per-model sums as each answer arrived. */
  readonly fold: CivisRowFold;
  /** Pages Civis said it has (1 when unpaged). */
  readonly totalPages: number;
  readonly pagesRead: number;
  readonly rateLimit: RateLimitState | undefined;
  /** Date windows the range was read in (1 unless a busy range had to be narrowed). */
  readonly windows: number;
}

/** The credit-limit call: its value, or why it failed. */
export type LimitOutcome = { readonly ok: true; readonly value: UsageLimitLlm | undefined } | { readonly ok: false; readonly error: unknown };

/** A fetch with no rows (empty range). */
export function emptyFetch(range: TimeRange, orgId: number): UsageFetch {
  return { fold: new CivisRowFold(range, orgId), totalPages: 1, pagesRead: 0, rateLimit: undefined, windows: 0 };
}

function get(ctx: ProviderContext<CivisSettings>, url: URL, maxBytes?: number): Promise<HttpJsonResponse> {
  return ctx.http.getJson({
    ...(maxBytes === undefined ? {} : { maxBytes }),
    provider: PROVIDER,
    url,
    headers: { authorization: `Basic ${Buffer.from(`${ctx.apiKey}:`).toString('base64')}` },
    signal: ctx.signal,
    secrets: [ctx.apiKey],
    errorDetail: civisErrorDetail,
  });
}

/**
 * Largest answer one `/usage/llm` request may bring (bytes), well under the client's 20 MiB safety
 * cap: a busier window is split in two and asked again, so no answer ever reaches the cap.
 */
export const CIVIS_WINDOW_MAX_BYTES = 4 * 1024 * 1024;
/** Shortest window `/usage/llm` is split into; an hour over the budget is a `bad_response`. */
const MIN_WINDOW_MS = HOUR_MS;
/** Memory key: the window length that last fitted the budget, so later refreshes start there. */
const WINDOW_MEMORY_KEY = 'civis:llmWindowMs';

/**
 * Reads the usage rows of the range. `/usage/llm` is unpaged, so a busy month is asked for in
 * narrower date windows: the whole range first (or the window length that fitted last time), each
 * window over {@link CIVIS_WINDOW_MAX_BYTES} split in halves on hour boundaries.
 */
export async function fetchUsageRows(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<UsageFetch> {
  const remembered = ctx.memory?.get(WINDOW_MEMORY_KEY);
  const windowMs = typeof remembered === 'number' && remembered >= MIN_WINDOW_MS ? remembered : range.endMs - range.startMs;
  const pending: TimeRange[] = [];
  for (let startMs = range.startMs; startMs < range.endMs; startMs += windowMs) {
    pending.push({ startMs, endMs: Math.min(range.endMs, startMs + windowMs) });
  }
  // Each window's rows are folded in and dropped before the next window is read.
  const fold = new CivisRowFold(range, ctx.settings.orgId);
  let totalPages = 0;
  let pagesRead = 0;
  let rateLimit: RateLimitState | undefined;
  let narrowestMs = windowMs;
  let windows = 0;
  while (pending.length > 0) {
    const window = pending.shift()!;
    let part: WindowFetch;
    try {
      part = await fetchWindowRows(window, ctx, fold);
    } catch (error) {
      const spanMs = window.endMs - window.startMs;
      if (!isResponseTooLarge(error) || spanMs <= MIN_WINDOW_MS) throw error;
      // Split on an hour boundary, so the halves (and the remembered length) stay whole hours.
      const middleMs = window.startMs + Math.max(MIN_WINDOW_MS, Math.floor(spanMs / 2 / MIN_WINDOW_MS) * MIN_WINDOW_MS);
      pending.unshift({ startMs: window.startMs, endMs: middleMs }, { startMs: middleMs, endMs: window.endMs });
      narrowestMs = Math.min(narrowestMs, middleMs - window.startMs);
      continue;
    }
    windows += 1;
    // Pages are per window: the note about unread pages looks at the worst window.
    totalPages = Math.max(totalPages, part.totalPages);
    pagesRead = Math.max(pagesRead, part.pagesRead);
    rateLimit = part.rateLimit ?? rateLimit;
  }
  if (narrowestMs < range.endMs - range.startMs) ctx.memory?.set(WINDOW_MEMORY_KEY, narrowestMs);
  return { fold, totalPages, pagesRead, rateLimit, windows };
}

/** One window read into the fold. */
type WindowFetch = Omit<UsageFetch, 'fold' | 'windows'>;

/**
 * One date window of `/usage/llm` folded into `fold`, following X-Pagination-* pages should Civis
 * ever send them. A window over the byte budget fails before any of its rows is folded in.
 */
async function fetchWindowRows(range: TimeRange, ctx: ProviderContext<CivisSettings>, fold: CivisRowFold): Promise<WindowFetch> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage/llm');
  url.searchParams.set('org_id', String(ctx.settings.orgId));
  // Both bounds always (Civis defaults to month-to-date only when both are missing); UTC with `Z`.
  url.searchParams.set('start_date', isoInstant(range.startMs));
  url.searchParams.set('end_date', isoInstant(range.endMs));

  const first = await get(ctx, url, CIVIS_WINDOW_MAX_BYTES);
  fold.add(usageColumns(first.body, ctx, 'list of LLM usage'));
  // The spec declares no paging for /usage/llm, but other Civis lists page with page_num and
  // X-Pagination-* headers; should this one ever do so, read on (the client stops at an empty page).
  const totalPages = readCount(first.headers['x-pagination-total-pages']) ?? 1;
  let last = first;
  let pagesRead = 1;
  for (let page = 2; page <= Math.min(totalPages, CIVIS_MAX_PAGES); page += 1) {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page_num', String(page));
    last = await get(ctx, pageUrl, CIVIS_WINDOW_MAX_BYTES);
    const pageRows = usageColumns(last.body, ctx, `list of LLM usage (page ${page})`);
    pagesRead = page;
    if (pageRows.rows.length === 0) break;
    fold.add(pageRows);
  }
  return { totalPages, pagesRead, rateLimit: readRateLimit(last.headers) };
}

/** One `/usage/llm` answer checked into columns (civis.schema.ts); where the fast check is not sure, zod decides and names the bad field. */
function usageColumns(body: unknown, ctx: ProviderContext<CivisSettings>, what: string): LlmUsageColumns {
  return llmUsageColumns(body) ?? columnsOfRows(parseAnswer(llmUsageListSchema, body, PROVIDER, what, [ctx.apiKey]));
}

/** Records matched in the range (`/usage/matching`, no cost), in total and per task. */
export interface MatchingCounts {
  readonly total: number;
  readonly byTask: Readonly<Record<string, number>>;
}

/** The matching call: its counts, or why it failed. */
export type MatchingOutcome = { readonly ok: true; readonly value: MatchingCounts } | { readonly ok: false; readonly error: unknown };

/**
 * Reads `/usage/matching` for the range (PROVIDERS.md §0: record counts, no cost) and counts the
 * records of the runs created in `[start, end)`, per task (IDR, CDM).
 */
export async function fetchMatchingCounts(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<MatchingCounts> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage/matching');
  url.searchParams.set('org_id', String(ctx.settings.orgId));
  url.searchParams.set('start_date', isoInstant(range.startMs));
  url.searchParams.set('end_date', isoInstant(range.endMs));
  const response = await get(ctx, url, CIVIS_WINDOW_MAX_BYTES);
  const rows = parseAnswer(matchingUsageListSchema, response.body, PROVIDER, 'list of matching usage', [ctx.apiKey]);
  const byTask: Record<string, number> = {};
  const seen = new Set<number>();
  let total = 0;
  for (const row of rows) {
    if (row.runCreatedAt < range.startMs || row.runCreatedAt >= range.endMs || seen.has(row.runId)) continue;
    seen.add(row.runId);
    total += row.numRecords;
    byTask[row.task] = (byTask[row.task] ?? 0) + row.numRecords;
  }
  return { total, byTask };
}

/** Reads the organisation's LLM credit limit. */
export async function fetchCreditLimit(ctx: ProviderContext<CivisSettings>): Promise<UsageLimitLlm | undefined> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage_limits/llm');
  url.searchParams.set('organization_id', String(ctx.settings.orgId));
  const response = await get(ctx, url);
  const limits = parseAnswer(usageLimitLlmListSchema, response.body, PROVIDER, 'credit limit list', [ctx.apiKey]);
  // The filter is by query, but the answer is an array: take the entry of this org, the newest if several.
  let chosen: UsageLimitLlm | undefined;
  for (const limit of limits) {
    if (limit.organizationId !== ctx.settings.orgId) continue;
    if (!chosen || (limit.updatedAt ?? 0) > (chosen.updatedAt ?? 0) || ((limit.updatedAt ?? 0) === (chosen.updatedAt ?? 0) && limit.id > chosen.id)) {
      chosen = limit;
    }
  }
  return chosen;
}

function readCount(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  const value = Number(header);
  return Number.isSafeInteger(value) ? value : undefined;
}
