// Requests of the Civis adapter: usage rows (paged if Civis pages) and the credit limit.
import { type RateLimitState, type TimeRange } from '../../core/report';
import type { HttpJsonResponse } from '../http';
import { readRateLimit } from '../rateLimit';
import { joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderContext } from '../types';
import {
  civisErrorDetail,
  llmUsageListSchema,
  usageLimitLlmListSchema,
  type LlmUsageRow,
  type UsageLimitLlm,
} from './civis.schema';
import { CIVIS_MAX_PAGES, type CivisSettings } from './civis.settings';

const PROVIDER = 'Civis';

/** What reading `/usage/llm` returned. */
export interface UsageFetch {
  readonly rows: readonly LlmUsageRow[];
  /** Pages Civis said it has (1 when unpaged). */
  readonly totalPages: number;
  readonly pagesRead: number;
  readonly rateLimit: RateLimitState | undefined;
}

/** The credit-limit call: its value, or why it failed. */
export type LimitOutcome = { readonly ok: true; readonly value: UsageLimitLlm | undefined } | { readonly ok: false; readonly error: unknown };

/** A fetch with no rows (empty range). */
export function emptyFetch(): UsageFetch {
  return { rows: [], totalPages: 1, pagesRead: 0, rateLimit: undefined };
}

function get(ctx: ProviderContext<CivisSettings>, url: URL): Promise<HttpJsonResponse> {
  return ctx.http.getJson({
    provider: PROVIDER,
    url,
    headers: { authorization: `Basic ${Buffer.from(`${ctx.apiKey}:`).toString('base64')}` },
    signal: ctx.signal,
    secrets: [ctx.apiKey],
    errorDetail: civisErrorDetail,
  });
}

/** Reads the usage rows of the range. */
export async function fetchUsageRows(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<UsageFetch> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage/llm');
  url.searchParams.set('org_id', String(ctx.settings.orgId));
  // Both bounds always (Civis defaults to month-to-date only when both are missing); UTC with `Z`.
  url.searchParams.set('start_date', isoInstant(range.startMs));
  url.searchParams.set('end_date', isoInstant(range.endMs));

  const first = await get(ctx, url);
  const rows: LlmUsageRow[] = [...parseAnswer(llmUsageListSchema, first.body, PROVIDER, 'list of LLM usage', [ctx.apiKey])];
  // The spec declares no paging for /usage/llm, but other Civis lists page with page_num and
  // X-Pagination-* headers; should this one ever do so, read on (the client stops at an empty page).
  const totalPages = readCount(first.headers['x-pagination-total-pages']) ?? 1;
  let last = first;
  let pagesRead = 1;
  for (let page = 2; page <= Math.min(totalPages, CIVIS_MAX_PAGES); page += 1) {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page_num', String(page));
    last = await get(ctx, pageUrl);
    const pageRows = parseAnswer(llmUsageListSchema, last.body, PROVIDER, `list of LLM usage (page ${page})`, [ctx.apiKey]);
    pagesRead = page;
    if (pageRows.length === 0) break;
    rows.push(...pageRows);
  }
  return { rows, totalPages, pagesRead, rateLimit: readRateLimit(last.headers) };
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
