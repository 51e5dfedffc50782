/**
 * The roll-up's shapes: what `summarizeWorkspace` (main/core/spend.ts) takes and returns for
 * one workspace, and the "all workspaces" line.
 * spend.ts re-exports every type, so callers import from './spend'. Amounts in integer micro-units, instants in epoch ms.
 */
import type { BurnRate, WorkspaceBurnRate } from './burnRate';
import type { BudgetForecast } from './forecast';
import type { Nowcast } from './nowcast';
import type { PeriodWindow } from './periods';
import type { Projection } from './projection';
import type { CostBucket, ReportUnit, ResourceKind, UsageReport } from './report';
import type { Budget, BudgetPeriod, Workspace } from './workspace';

/** One connection's data as the poller holds it. */
export interface ConnectionInput {
  readonly connectionId: string;
  readonly provider: string;
  /** The provider's display name ("TensorOne"), from its adapter; the id is used when absent. */
  readonly providerName?: string;
  /** Last good report for the current period, or null when none has arrived yet. */
  readonly report: UsageReport | null;
  /** Last good report for the previous period (history for rates and projections). */
  readonly previousReport?: UsageReport | null;
  /** True when the latest refresh failed and `report` is older than it should be. */
  readonly stale: boolean;
}

/** Input of {@link summarizeWorkspace}. */
export interface SummarizeInput {
  readonly workspace: Workspace;
  /** The current instant (epoch ms). */
  readonly nowMs: number;
  /** The workspace's connections (others are ignored by the caller, not here). */
  readonly connections: readonly ConnectionInput[];
}


/** One line of a "top resources" list. */
export interface ResourceLine {
  readonly connectionId: string;
  readonly provider: string;
  readonly id: string;
  readonly name: string;
  readonly kind: ResourceKind;
  /** Cost in the period so far, integer micros of `unit`. */
  readonly costMicros: number;
  readonly unit: ReportUnit;
  readonly dedicated: boolean;
  /** Requests in the period so far, where the provider reports them. */
  readonly requests?: number;
}

/** Whether a connection's report counts for the current period. */
export type ConnectionStatus = 'ok' | 'no-data' | 'other-period';

/** One connection's line of the roll-up. */
export interface ConnectionSpend {
  readonly connectionId: string;
  readonly provider: string;
  readonly stale: boolean;
  /** 'ok': a current-period report; 'no-data': none yet; 'other-period': only a report from another period. */
  readonly status: ConnectionStatus;
  /** Unit of the counted report, or null when none counts. */
  readonly unit: ReportUnit | null;
  /** Micro-USD this connection adds to the workspace total (0 for credits or without a report). */
  readonly spentMicros: number;
  /** Micro-credits spent in the period when the report is in credits, else null. */
  readonly creditsMicros: number | null;
  /** Why this connection adds nothing to the money total, for people; null when it counts. */
  readonly excludedReason: string | null;
  /** Latest instant the report covers (epoch ms), or null. */
  readonly dataThroughMs: number | null;
  /** Burn rate in micros of `unit` per hour, or null without a counted report. */
  readonly burnRate: BurnRate | null;
  /** Period-end projection in micros of `unit`, or null without a counted report. */
  readonly projection: Projection | null;
  /** The connection's most expensive resources in the period (at most {@link TOP_RESOURCES}). */
  readonly topResources: readonly ResourceLine[];
  /** Remarks on how this connection's figures were computed (a pace from a sparse series…). */
  readonly notes: readonly string[];
}

/** How complete a workspace's money total is. */
export interface Coverage {
  /** Connections whose spend is in the money total (a stale one counts: stale, not zero). */
  readonly connectionsOk: number;
  readonly connectionsTotal: number;
  /** Connections the money total leaves out, with the reason in words. */
  readonly excluded: readonly { readonly id: string; readonly reason: string }[];
}

/** The workspace's period. */
export interface WorkspacePeriod extends PeriodWindow {
  readonly period: BudgetPeriod;
  /** Cycle start day actually used (after clamping; 1 for day periods). */
  readonly cycleStartDay: number;
}

/** Everything known about one workspace's spend at `nowMs`. All money integer micro-USD, instants epoch ms. */
export interface WorkspaceSpend {
  readonly workspaceId: string;
  readonly workspaceName: string;
  /** Zone the period is computed in (UTC when the workspace's zone is unknown, see `notes`). */
  readonly timeZone: string;
  readonly nowMs: number;
  readonly period: WorkspacePeriod;
  readonly budget: Budget | null;
  /** Reported spend in the period: sum of the USD connections' totals. */
  readonly spentMicros: number;
  /** Oldest `dataThroughMs` among the counted USD connections with data, or null. */
  readonly dataThroughMs: number | null;
  /** True when any connection is stale. */
  readonly stale: boolean;
  readonly connections: readonly ConnectionSpend[];
  /** Sum of the USD connections' burn rates, micro-USD per hour. */
  readonly burnRate: WorkspaceBurnRate;
  /** Estimated spend now (display only, never for threshold alerts). */
  readonly nowcast: Nowcast;
  /** Period-end projection of the USD connections combined. */
  readonly projection: Projection;
  /** Against the budget; null without a budget. */
  readonly forecast: BudgetForecast | null;
  /** The workspace's most expensive USD resources (at most {@link TOP_RESOURCES}). */
  readonly topResources: readonly ResourceLine[];
  /**
   * Combined COMPLETE hourly buckets of the USD connections with hourly granularity, dense
   * (missing hours = 0; sparse series are left out), oldest first, at most {@link HOURLY_SERIES_MAX_HOURS}; it ends where the
   * least advanced of those connections stops being complete, so every hour in it is final.
   */
  readonly hourlySeries: readonly CostBucket[];
  /** Plain-language remarks (unknown time zone, connections without data). */
  readonly notes: readonly string[];
  /** Which connections the money total holds (see {@link Coverage}). */
  readonly coverage: Coverage;
  /** Hours from the period start to `dataThroughMs` (0 without data): forecast alerts wait for 24. */
  readonly periodDataHours: number;
}

/** The "all workspaces" line. */
export interface AllWorkspacesSpend {
  /** Sum of the workspaces' period spend, micro-USD (periods may differ between workspaces). */
  readonly spentMicros: number;
  /** Sum of the workspaces' burn rates, micro-USD per hour. */
  readonly microsPerHour: number;
  /** Sum of the workspaces' projected period totals, micro-USD. */
  readonly projectedMicros: number;
}
