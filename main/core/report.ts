/**
 * The normalized usage report: what every provider adapter returns for one connection and one
 * time range. All money is integer micro-units of `unit`; all times are epoch milliseconds (UTC).
 */
import type { BurnRate } from './burnRate';
import type { Projection } from './projection';

/** A half-open interval `[startMs, endMs)` in epoch milliseconds. */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** Money unit of a report: US dollars, or provider credits with no known dollar rate (Civis). */
export type ReportUnit = 'usd' | 'credits';

/** One time bucket of cost. Buckets in a report are sorted, non-overlapping and aligned to `granularityMs`. */
export interface CostBucket {
  /** Bucket start (UTC epoch ms). */
  readonly startMs: number;
  /** Bucket length in ms (3_600_000 for hourly, 86_400_000 for daily). */
  readonly durationMs: number;
  /** Cost in micro-units of the report's unit. */
  readonly costMicros: number;
}

/** What a resource did, where the API says so. Every field is optional: absent = not reported. */
export interface Activity {
  readonly requests?: number;
  readonly minutes?: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly gpuHours?: number;
  readonly events?: number;
  /** Quantity in the provider's own unit (e.g. TensorOne `gb_hours`), with that unit. */
  readonly quantity?: { readonly amount: number; readonly unit: string };
}

/** Kinds of billable resource shown in the breakdown. */
export type ResourceKind =
  | 'deployment'
  | 'model'
  | 'cluster'
  | 'training_job'
  | 'plan_type'
  | 'service'
  | 'other';

/** A time bucket of one resource: cost plus request count where known (drives the idle-GPU rule). */
export interface ResourceBucket {
  readonly startMs: number;
  readonly durationMs: number;
  readonly costMicros: number;
  readonly requests?: number;
}

/** One line of the per-resource breakdown. */
export interface ResourceUsage {
  /** Stable id within the connection (provider's id, slug, or model name). */
  readonly id: string;
  /** Name to show. */
  readonly name: string;
  readonly kind: ResourceKind;
  /** Cost over the report's range, micro-units of the report's unit. */
  readonly costMicros: number;
  readonly activity: Activity;
  /** True for dedicated capacity billed by time whether used or not (GPU deployments, clusters). */
  readonly dedicated: boolean;
  /** Grouping label from the provider (Baseten section, Simplismart plan type, TensorOne resource type). */
  readonly group?: string;
  /** The provider reports the resource as deleted (it still bills for the range). */
  readonly deleted?: boolean;
  /** Per-bucket cost/requests where the API gives it (Baseten: daily). Sorted ascending. */
  readonly series?: readonly ResourceBucket[];
}

/** A provider's own projection (TensorOne `projections`). */
export interface ProviderProjection {
  readonly projectedMicros: number;
  readonly confidence: number | null;
  readonly trend: string | null;
}

/** A provider's own alert (TensorOne `alerts[]`). */
export interface ProviderAlert {
  readonly type: string;
  readonly severity: string;
  readonly message: string;
  readonly thresholdMicros?: number;
  readonly currentMicros?: number;
}

/** Rate-limit state read from response headers. */
export interface RateLimitState {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the window resets (epoch ms). */
  readonly resetAtMs?: number;
}

/** Provider-specific facts worth showing beside the numbers. */
export interface ProviderExtras {
  readonly providerProjection?: ProviderProjection;
  readonly providerAlerts?: readonly ProviderAlert[];
  /** Civis: credit hard limit of the organization, in whole credits. */
  readonly creditHardLimit?: number;
  /** Civis: credits consumed in the range, in micro-credits (present whatever the unit). */
  readonly creditsMicros?: number;
  /** Baseten: credits applied against the bill in the range, micro-USD. */
  readonly creditsUsedMicros?: number;
  /** Civis: records matched in the range (`/usage/matching`, no cost), in total and per task. */
  readonly matchingRecords?: { readonly total: number; readonly byTask: Readonly<Record<string, number>> };
  readonly rateLimit?: RateLimitState;
  /**
   * Simplismart: plan types the API refused (400/422) while others answered. Their usage is not in
   * the total; each is asked again once a day (`nextCheckMs`).
   */
  readonly refusedPlanTypes?: readonly RefusedPlanType[];
  /**
   * The pace a team Burnrate server computed for the whole range (a `burnrate` connection): the
   * roll-up uses it as is instead of computing burn rate and projection from the buckets, so the
   * connection shows the server's numbers exactly.
   */
  readonly serverPace?: ServerPace;
}

/** A plan type Simplismart refused, kept out of the report until it answers again. */
export interface RefusedPlanType {
  readonly planType: string;
  /** Since when it is refused (epoch ms). */
  readonly sinceMs: number;
  /** When Burnrate asks for it again (epoch ms). */
  readonly nextCheckMs: number;
  /** What Simplismart said (redacted). */
  readonly message: string;
}

/** Burn rate and projection as a team server reported them (integer micros; the rate may be fractional). */
export interface ServerPace {
  readonly burnRate: BurnRate;
  readonly projection: Projection;
}

/** One normalized report for one connection and one range. */
export interface UsageReport {
  /** Id of the provider that reported (main/providers/registry.ts lists them; core needs no list). */
  readonly provider: string;
  readonly range: TimeRange;
  readonly unit: ReportUnit;
  /** Authoritative total for the range, micro-units of `unit` (from the API's own total where it has one). */
  readonly totalMicros: number;
  /** Finest bucket size the API gives (ms). */
  readonly granularityMs: number;
  /** Cost buckets, sorted ascending, aligned to `granularityMs`; empty buckets may be omitted. */
  readonly buckets: readonly CostBucket[];
  /** Per-resource breakdown, most expensive first. */
  readonly resources: readonly ResourceUsage[];
  /** Latest instant the provider's data covers (epoch ms), or null when the range holds no data yet. */
  readonly dataThroughMs: number | null;
  readonly extras: ProviderExtras;
  /** Plain-language notes for people ("No usdPerCredit set: showing credits, not in money totals"). */
  readonly notes: readonly string[];
  /**
   * True when `totalMicros` holds an estimated share: the provider answers in whole UTC days and a
   * boundary day lies only partly inside the range (a non-UTC period). A note says how it was counted.
   */
  readonly estimated?: boolean;
}

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a (UTC) day. */
export const DAY_MS = 86_400_000;

/**
 * The order of `UsageReport.resources`: most expensive first, ties by name, then id, compared by
 * code unit (the same on every machine, unlike a locale-aware compare).
 * @example [b, a].sort(byCostThenName) // $5 "a" before $5 "b" before $1 "c"
 */
export function byCostThenName(a: ResourceUsage, b: ResourceUsage): number {
  return b.costMicros - a.costMicros || compareText(a.name, b.name) || compareText(a.id, b.id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
