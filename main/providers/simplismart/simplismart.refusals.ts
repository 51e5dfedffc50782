// One refused plan type must not blank the connection: the plan types that answered are kept, the
// refused one is remembered (per connection, in memory) and asked for again once a day.
import { isProviderError, type ProviderError } from '../../core/errors';
import { DAY_MS, type RefusedPlanType } from '../../core/report';
import type { ProviderContext } from '../types';
import type { SimplismartPlanType } from './simplismart.schema';

/** How long a refused plan type is left alone before it is asked for again. */
export const REFUSAL_RECHECK_MS = DAY_MS;

const MEMORY_KEY = 'simplismart:refusedPlanTypes';

/** A refusal as remembered: since when, when last asked, and what Simplismart said. */
export interface Refusal {
  readonly sinceMs: number;
  readonly checkedAtMs: number;
  readonly message: string;
}

/** The refusals remembered for this connection (empty without memory). */
export function rememberedRefusals(ctx: ProviderContext<unknown>): ReadonlyMap<SimplismartPlanType, Refusal> {
  const value = ctx.memory?.get(MEMORY_KEY);
  return value instanceof Map ? (value as ReadonlyMap<SimplismartPlanType, Refusal>) : new Map();
}

/** Keeps the refusals for the next fetch. */
export function rememberRefusals(ctx: ProviderContext<unknown>, refusals: ReadonlyMap<SimplismartPlanType, Refusal>): void {
  ctx.memory?.set(MEMORY_KEY, refusals);
}

/**
 * The enabled plan types to ask now: all but those refused less than a day ago. When every enabled
 * plan type is within its day, all are asked (there is nothing else to show).
 * @example planTypesToAsk(['shared', 'reserved'], new Map([['reserved', { checkedAtMs: now - 1, … }]]), now) //=> ['shared']
 */
export function planTypesToAsk(
  enabled: readonly SimplismartPlanType[],
  refusals: ReadonlyMap<SimplismartPlanType, Refusal>,
  nowMs: number,
): SimplismartPlanType[] {
  const due = enabled.filter((planType) => {
    const refusal = refusals.get(planType);
    return refusal === undefined || nowMs - refusal.checkedAtMs >= REFUSAL_RECHECK_MS;
  });
  return due.length > 0 ? due : [...enabled];
}

/**
 * A plan-type call that Simplismart refused on its merits (400 or 422): the other plan types can
 * still answer. 401/403/404, 429 and 5xx concern the whole connection and fail the fetch.
 */
export function isRefusal(error: unknown): error is ProviderError {
  return isProviderError(error) && error.kind === 'bad_request' && (error.status === 400 || error.status === 422);
}

/** The refused plan types as the report carries them, in the order they are enabled. */
export function refusedForReport(
  enabled: readonly SimplismartPlanType[],
  refusals: ReadonlyMap<SimplismartPlanType, Refusal>,
): RefusedPlanType[] {
  return enabled.flatMap((planType) => {
    const refusal = refusals.get(planType);
    return refusal === undefined
      ? []
      : [{ planType, sinceMs: refusal.sinceMs, nextCheckMs: refusal.checkedAtMs + REFUSAL_RECHECK_MS, message: refusal.message }];
  });
}

/** The note that says a plan type is left out, and when it is asked again. */
export function refusalNote(refused: RefusedPlanType): string {
  return (
    `Simplismart refused the ${refused.planType} plan type (${refused.message}); its usage is not in this total. ` +
    `The other plan types are shown; Burnrate asks for ${refused.planType} again once a day (next: ${new Date(refused.nextCheckMs).toISOString()}).`
  );
}
