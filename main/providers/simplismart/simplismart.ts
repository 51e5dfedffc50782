// Endpoint: GET <baseUrl><path> (default https://api.app.simplismart.ai/v1/analytics/usage-stats), one call per enabled plan type.
// Auth: `Authorization: Bearer <Playground (PG) token>`; tokens expire, and a 401 saying so is reported as "expired".
// Limits: none published; the SDK allows 300 s per call, so refresh at most every 5 min, at most 3 calls at once.
import { ProviderError } from '../../core/errors';
import { MoneyParseError } from '../../core/money';
import { type TimeRange, type UsageReport } from '../../core/report';
import { mapWithLimit } from '../mapWithLimit';
import type { ProviderAdapter, ProviderContext } from '../types';
import { buildReport } from './simplismart.report';
import { fetchPlanType } from './simplismart.request';
import { SETTINGS_FIELDS, settingsSchema, type SimplismartSettings } from './simplismart.settings';

export { sourceName } from './simplismart.report';
export { usageUrl } from './simplismart.request';
export type { SimplismartSettings } from './simplismart.settings';

// Up to six plan-type calls per refresh; three at once keeps a slow API (SDK timeout 300 s) from
// being hit by a burst while still finishing in about two round trips.
const MAX_CONCURRENT_CALLS = 3;

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
