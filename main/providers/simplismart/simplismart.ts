// Endpoint: GET <baseUrl><path> (default https://api.app.simplismart.ai/v1/analytics/usage-stats), one call per enabled plan type.
// Auth: `Authorization: Bearer <Playground (PG) token>`; tokens expire, and a 401 saying so is reported as "expired".
// Limits: none published; the SDK allows 300 s per call, so refresh at most every 5 min, at most 3 calls at once.
import { ProviderError } from '../../core/errors';
import { DEFAULT_REVISION_WINDOW_MS } from '../../core/incremental';
import { MoneyParseError } from '../../core/money';
import { type TimeRange, type UsageReport } from '../../core/report';
import { mapWithLimit } from '../mapWithLimit';
import type { ProviderAdapter, ProviderContext } from '../types';
import { buildReport } from './simplismart.report';
import { fetchPlanType, type PlanAnswer } from './simplismart.request';
import { isRefusal, planTypesToAsk, refusalNote, refusedForReport, rememberedRefusals, rememberRefusals } from './simplismart.refusals';
import type { SimplismartPlanType } from './simplismart.schema';
import { SETTINGS_FIELDS, settingsSchema, type SimplismartSettings } from './simplismart.settings';

export { sourceName } from './simplismart.report';
export { usageUrl } from './simplismart.request';
export type { SimplismartSettings } from './simplismart.settings';

// Up to six plan-type calls per refresh; three at once keeps a slow API (SDK timeout 300 s) from
// being hit by a burst while still finishing in about two round trips.
const MAX_CONCURRENT_CALLS = 3;

/** One plan type's call: its answer, or the refusal that leaves it out. */
interface PlanOutcome {
  readonly planType: SimplismartPlanType;
  readonly answer?: PlanAnswer;
  readonly refused?: ProviderError;
}

/**
 * The Simplismart adapter: one usage-stats call per enabled plan type, summed into one report. A plan
 * type refused with 400/422 is left out (noted, in `extras.refusedPlanTypes`) while the others count,
 * and asked for again once a day.
 */
export const simplismartAdapter: ProviderAdapter<SimplismartSettings> = {
  id: 'simplismart',
  displayName: 'Simplismart',
  settings: SETTINGS_FIELDS,
  settingsSchema,
  minRefreshMs: 5 * 60_000,
  // Usage windows may be revised while deployments report late: the default 48 h window.
  incremental: { revisionWindowMs: DEFAULT_REVISION_WINDOW_MS },
  async fetchUsage(range: TimeRange, ctx: ProviderContext<SimplismartSettings>): Promise<UsageReport> {
    const enabled = ctx.settings.planTypes;
    const remembered = rememberedRefusals(ctx);
    const outcomes = await mapWithLimit(planTypesToAsk(enabled, remembered, ctx.nowMs), MAX_CONCURRENT_CALLS, (planType) =>
      fetchPlanType(planType, range, ctx).then(
        (answer): PlanOutcome => ({ planType, answer }),
        (error: unknown): PlanOutcome => {
          if (isRefusal(error)) return { planType, refused: error };
          throw error;
        },
      ),
    );
    // Remember what was refused (kept since its first refusal), forget what answered or was disabled.
    const refusals = new Map([...remembered].filter(([planType]) => enabled.includes(planType)));
    const answers: PlanAnswer[] = [];
    for (const outcome of outcomes) {
      if (outcome.answer) {
        answers.push(outcome.answer);
        refusals.delete(outcome.planType);
      } else if (outcome.refused) {
        refusals.set(outcome.planType, {
          sinceMs: remembered.get(outcome.planType)?.sinceMs ?? ctx.nowMs,
          checkedAtMs: ctx.nowMs,
          message: outcome.refused.message,
        });
      }
    }
    rememberRefusals(ctx, refusals);
    // Nothing answered: the refusal is the connection's error.
    const firstRefusal = outcomes.find((outcome) => outcome.refused)?.refused;
    if (answers.length === 0 && firstRefusal) throw firstRefusal;
    try {
      const report = buildReport(range, ctx.nowMs, ctx.settings, answers);
      const refused = refusedForReport(enabled, refusals);
      if (refused.length === 0) return report;
      return { ...report, extras: { ...report.extras, refusedPlanTypes: refused }, notes: [...refused.map(refusalNote), ...report.notes] };
    } catch (error) {
      // Amounts that parse but cannot be tracked exactly (beyond 2^53 micro-USD) are a bad answer,
      // not an exception of another type: adapters throw only ProviderError (found by fuzzing).
      if (error instanceof MoneyParseError) throw new ProviderError('bad_response', `Simplismart sent an amount too large to track exactly (${error.message.split(':')[0]})`, { cause: error });
      throw error;
    }
  },
};
