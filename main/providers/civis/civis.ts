// Endpoint: GET {baseUrl}/usage/llm?org_id&start_date&end_date (one row per run, in credits; narrower date windows when an
// answer would pass 4 MiB) + GET /usage_limits/llm?organization_id + GET /usage/matching?org_id&start_date&end_date (record counts).
// Auth: HTTP Basic with the API key as user name and an empty password, `Authorization: Basic base64("<key>:")`, as civis-python sends it.
// Limits: numbers unpublished; a 429 always carries Retry-After; rows appear as runs are recorded, so refresh at most every 5 minutes.
import { type TimeRange, type UsageReport } from '../../core/report';
import type { ProviderAdapter, ProviderContext } from '../types';
import { DEFAULT_REVISION_WINDOW_MS } from '../../core/incremental';
import { buildReport, creditsReportInUnit } from './civis.report';
import { emptyFetch, fetchCreditLimit, fetchMatchingCounts, fetchUsageRows, type LimitOutcome, type MatchingOutcome } from './civis.request';
import { settingFields, settingsSchema, type CivisSettings } from './civis.settings';

/** The credit limit and the matching counts are secondary calls: asked for at most this often. */
export const CIVIS_SECONDARY_EVERY_MS = 60 * 60_000;

/**
 * A secondary call's answer: asked for anew unless this connection asked for it (with the same
 * range start, `key`) less than {@link CIVIS_SECONDARY_EVERY_MS} ago (the adapter's memory across
 * the poller's tail refreshes). Failures are not remembered.
 */
async function secondary<T>(ctx: ProviderContext<CivisSettings>, name: string, key: number, call: () => Promise<T>): Promise<T> {
  const remembered = ctx.memory?.get(name) as { readonly key: number; readonly atMs: number; readonly value: T } | undefined;
  if (remembered !== undefined && remembered.key === key && ctx.nowMs >= remembered.atMs && ctx.nowMs - remembered.atMs < CIVIS_SECONDARY_EVERY_MS) return remembered.value;
  const value = await call();
  ctx.memory?.set(name, { key, atMs: ctx.nowMs, value });
  return value;
}

export { CIVIS_DEFAULT_BASE_URL, CIVIS_MAX_PAGES, type CivisSettings } from './civis.settings';

/**
 * The Civis Platform adapter: LLM usage in credits per run, bucketed into UTC hours by `runCreatedAt`,
 * one resource per `modelId`, converted to US dollars when the connection has a `usdPerCredit` rate.
 * The total is the exact sum of the runs' credits in micro-credits, multiplied once by the rate and
 * rounded once; buckets, resources and series are split from it so they add up to it exactly.
 */
export const civisAdapter: ProviderAdapter<CivisSettings> = {
  id: 'civis',
  displayName: 'Civis',
  settings: settingFields,
  settingsSchema,
  minRefreshMs: 5 * 60_000,
  // Rows are keyed by run creation and appear as runs are recorded: the default 48 h window. The
  // parts are fetched in credits and converted once joined, so the rounding is the whole range's.
  incremental: {
    revisionWindowMs: DEFAULT_REVISION_WINDOW_MS,
    partSettings: ({ usdPerCredit: _rate, ...settings }) => settings,
    finish: creditsReportInUnit,
  },
  async fetchUsage(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<UsageReport> {
    if (!(range.endMs > range.startMs)) return buildReport(range, ctx, emptyFetch(range, ctx.settings.orgId), { ok: true, value: undefined });
    // The credit limit is secondary: fetch it beside the rows and never let it fail the report (auth aside).
    const limit = secondary(ctx, 'civis:creditLimit', 0, () => fetchCreditLimit(ctx)).then(
      (value): LimitOutcome => ({ ok: true, value }),
      (error: unknown): LimitOutcome => ({ ok: false, error }),
    );
    // Matching record counts (no cost, PROVIDERS.md §0) are secondary in the same way.
    const matching = secondary(ctx, 'civis:matching', range.startMs, () => fetchMatchingCounts(range, ctx)).then(
      (value): MatchingOutcome => ({ ok: true, value }),
      (error: unknown): MatchingOutcome => ({ ok: false, error }),
    );
    const usage = await fetchUsageRows(range, ctx);
    return buildReport(range, ctx, usage, await limit, await matching);
  },
};
