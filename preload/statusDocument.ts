/**
 * The status document, part of the contract (preload/api.ts re-exports it): `StatusDocument` is at
 * once the payload of `burnrate status --json`, of `GET /api/status` and of the snapshot the tray
 * popover renders: one shape everywhere. Types only.
 */

/** Error kinds shown to people: a provider failure, or a configuration problem found before any request. */
export type StatusErrorKind = 'auth' | 'rate_limited' | 'bad_request' | 'server' | 'network' | 'bad_response' | 'config';

/** One line of a connection's or workspace's breakdown. Money in USD (major units, 6 decimals). */
export interface ResourceStatus {
  readonly id: string;
  readonly name: string;
  /** deployment | model | cluster | training_job | plan_type | service | other */
  readonly kind: string;
  readonly spentUsd: number;
  /** True for dedicated capacity billed by time whether used or not (GPU deployments, clusters). Connection-level lists. */
  readonly dedicated?: boolean;
  /** Requests this period, where the provider reports them (connection-level lists). */
  readonly requests?: number;
  /** Connection the resource belongs to (present in workspace-level lists). */
  readonly connectionId?: string;
}

/** One connection's state. */
export interface ConnectionStatus {
  readonly id: string;
  /** baseten | civis | limitry | simplismart | tensorone */
  readonly provider: string;
  /** Display name of the provider. */
  readonly providerName?: string;
  /** `ok` when the last refresh succeeded; `error` otherwise (then `error` says why). */
  readonly status: 'ok' | 'error';
  /** True when the numbers are the last good values from an earlier refresh, not from the latest one. */
  readonly stale?: boolean;
  /** Spend this period in USD; null when unknown or when the connection reports credits only. */
  readonly spentUsd: number | null;
  /** Credits this period (Civis); null for providers that bill in dollars. */
  readonly spentCredits: number | null;
  /** This connection's burn rate (USD per hour); null when unknown or credits-only. */
  readonly burnRateUsdPerHour?: number | null;
  /** This connection's projected period total (USD); null when unknown or credits-only. */
  readonly projectedUsd?: number | null;
  /** Latest instant the provider's data covers (ISO-8601 UTC). */
  readonly dataThrough: string | null;
  /** When the numbers were fetched (ISO-8601 UTC). */
  readonly fetchedAt: string | null;
  readonly topResources: readonly ResourceStatus[];
  readonly error: { readonly kind: StatusErrorKind; readonly message: string } | null;
  /** Plain-language notes ("reports credits: set usdPerCredit to include it in money totals"). */
  readonly notes?: readonly string[];
  /**
   * How the burn rate was computed: trimmed-mean | mean (complete series), sparse-points (only the
   * hours a sparse series reports, gaps not counted as zero), period-average (the total over the
   * elapsed period), no-data. Null without a counted report.
   */
  readonly burnRateMethod?: string | null;
  /** How this connection's projection was computed (see WorkspaceStatus.projectionMethod); null without one. */
  readonly projectionMethod?: string | null;
  /** This connection's 80 % projection range (USD); null without a projection. */
  readonly projectedLowUsd?: number | null;
  readonly projectedHighUsd?: number | null;
  /** True when `spentUsd` includes an estimated share (a UTC day only partly inside the period). */
  readonly spentIsEstimate?: boolean;
  /** Baseten: credits applied against the bill this period (USD), beside the gross `spentUsd`. */
  readonly creditsUsd?: number;
  /** Civis: the organization's LLM credit limit, and the credits used this period against it. */
  readonly creditLimit?: { readonly usedCredits: number; readonly limitCredits: number; readonly usedPercent: number };
  /** Civis: matching records this period from /usage/matching (no cost), by task (IDR, CDM). */
  readonly matchingRecords?: { readonly total: number; readonly byTask: Readonly<Record<string, number>> };
  /** The provider's own projection (TensorOne `projections`), beside Burnrate's. */
  readonly providerProjection?: { readonly projectedUsd: number; readonly confidence: number | null; readonly trend: string | null };
  /** The provider's own alerts (TensorOne `alerts[]`). Money fields only for budget alerts. */
  readonly providerAlerts?: readonly {
    readonly type: string;
    readonly severity: string;
    readonly message: string;
    readonly thresholdUsd?: number;
    readonly currentUsd?: number;
  }[];
  /** Rate-limit state from the provider's response headers (X-RateLimit-*); it slows polling when low. */
  readonly rateLimit?: { readonly limit: number | null; readonly remaining: number | null; readonly resetAt: string | null };
  /**
   * Simplismart: plan types the API refused (400/422) while the others answered. Their usage is NOT
   * in `spentUsd`; each is asked for again once a day (`nextCheck`, ISO-8601 UTC). Absent when none.
   */
  readonly refusedPlanTypes?: readonly {
    readonly planType: string;
    readonly since: string;
    readonly nextCheck: string;
    readonly message: string;
  }[];
}

/** Which connections a workspace's money total holds. */
export interface CoverageStatus {
  /** Connections whose spend is in `spentUsd` (a stale one counts, marked `stale`). */
  readonly connectionsOk: number;
  readonly connectionsTotal: number;
  /** Connections left out of `spentUsd` (failed without data, other period, credits only), with the reason. */
  readonly excluded: readonly { readonly id: string; readonly reason: string }[];
}

/** Budget state of a workspace. */
export interface BudgetStatus {
  readonly amountUsd: number;
  /** day | week | month */
  readonly period?: string;
  readonly usedPercent: number;
  readonly projectedPercent: number;
  /** When the budget will be crossed at the current pace (ISO-8601 UTC), or null. */
  readonly crossesAt: string | null;
  /** Probability (0..1) of ending the period over budget, when the projection range allows it. */
  readonly overBudgetProbability?: number | null;
  readonly thresholdsPercent?: readonly number[];
}

/** One workspace's state. */
export interface WorkspaceStatus {
  readonly id: string;
  readonly name: string;
  readonly currency: 'USD';
  /** The current period; `timeZone` is the workspace's IANA zone, in which it starts at midnight. */
  readonly period: { readonly start: string; readonly end: string; readonly timeZone?: string };
  /** Actual reported spend this period (USD connections only). */
  readonly spentUsd: number;
  /** Estimated spend now: reported + burn rate × time since the data ends. Always an estimate. */
  readonly nowcastUsd: number;
  readonly burnRateUsdPerHour: number;
  readonly projectedUsd: number;
  readonly projectedLowUsd: number;
  readonly projectedHighUsd: number;
  /** run-rate | day-of-week | previous-period | blend | sparse-points | period-average */
  readonly projectionMethod: string;
  readonly projectionConfidence?: number;
  readonly budget: BudgetStatus | null;
  readonly connections: readonly ConnectionStatus[];
  /** The workspace's most expensive resources across connections. */
  readonly topResources?: readonly ResourceStatus[];
  /** Hourly spend of the last 48 complete hours (USD), oldest first, for the sparkline. */
  readonly hourlySpendUsd?: readonly { readonly start: string; readonly spentUsd: number }[];
  /**
   * Which connections `spentUsd` holds. `connectionsOk < connectionsTotal` means a partial total:
   * every surface marks the headline then.
   */
  readonly coverage: CoverageStatus;
  /**
   * Spend per local day of the current period (USD), oldest first, from its first day through
   * today, with the share of each provider (`byProvider`, keyed by provider id), for the period chart.
   */
  readonly dailySpendUsd?: readonly { readonly start: string; readonly spentUsd: number; readonly byProvider: Readonly<Record<string, number>> }[];
  /** Every resource of the period (USD connections), most expensive first, with `connectionId`, `dedicated` and `requests` where reported. */
  readonly resources?: readonly ResourceStatus[];
  /**
   * Past periods from the spend database, newest first (at most 12), each with its spend against
   * the budget. `budgetUsd` is the workspace's budget as set now (null without one); `usedPercent`
   * is spend ÷ that budget; `connections` counts the connections with stored spend in the period.
   */
  readonly history?: readonly PastPeriodStatus[];
  /**
   * This period so far vs. the previous period at the same point (the same time elapsed since its
   * start, up to where every compared connection's data reaches), over the connections that have
   * both; null when none has a previous period. `changePercent` is +12 for 12 % more.
   */
  readonly comparison?: PeriodComparisonStatus | null;
}

/** One past period of {@link WorkspaceStatus.history}. */
export interface PastPeriodStatus {
  readonly start: string;
  readonly end: string;
  readonly spentUsd: number;
  readonly budgetUsd: number | null;
  readonly usedPercent: number | null;
  readonly connections: number;
}

/** {@link WorkspaceStatus.comparison}: money in USD, `elapsedHours` from the period start. */
export interface PeriodComparisonStatus {
  readonly currentUsd: number;
  readonly previousUsd: number;
  /** Percent change; null when the previous period had no spend by then. */
  readonly changePercent: number | null;
  readonly elapsedHours: number;
}

/** The whole state: `burnrate status --json`, `GET /api/status`, and the popover snapshot. */
export interface StatusDocument {
  /** ISO-8601 UTC. */
  readonly generatedAt: string;
  /** Present and true when the numbers are demo data from the built-in fakes. */
  readonly demo?: boolean;
  readonly workspaces: readonly WorkspaceStatus[];
  /** The "all workspaces" roll-up. */
  readonly all?: { readonly spentUsd: number; readonly burnRateUsdPerHour: number; readonly projectedUsd: number };
}

/**
 * `GET /api/history?from=&to=[&workspace=]` of a team server: cost buckets per connection from the
 * spend database, for charts and for `burnrate` connections (README "Team server").
 */
export interface HistoryDocument {
  /** ISO-8601 UTC: the range asked for, `[from, to)`; a bucket belongs to it when it starts inside. */
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly workspaces: readonly {
    readonly id: string;
    readonly name: string;
    readonly connections: readonly HistoryConnection[];
  }[];
}

/** One connection's buckets in a {@link HistoryDocument}. */
export interface HistoryConnection {
  readonly id: string;
  readonly provider: string;
  /** `usd`, `credits` (Civis without a dollar rate), or null when nothing is stored yet. */
  readonly unit: 'usd' | 'credits' | null;
  /**
   * Oldest first. Hourly (finer buckets are summed into their hour); a provider that reports whole
   * days (Baseten) gives daily buckets. Exactly one of `spentUsd` / `spentCredits` is a number.
   */
  readonly buckets: readonly { readonly start: string; readonly end: string; readonly spentUsd: number | null; readonly spentCredits: number | null }[];
}
