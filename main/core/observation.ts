/**
 * What the alert rules see of one workspace after a refresh: a pure function of the connections'
 * last reports and errors, the period and the time of the previous complete observation.
 *
 * An observation is *complete* only when it closes a round: every connection of the workspace has
 * refreshed successfully since the previous complete observation, with fresh data (not the
 * snapshot cache) of the current period. Only complete observations carry spend, forecast and
 * hourly series, the inputs of the threshold, forecast and spike rules; so a single connection's
 * glitch is never confirmed by a sibling's refresh.
 */
import type { StatusErrorKind } from '../../preload/api';
import type { AlertObservation } from './alerts';
import type { PeriodWindow } from './periods';
import type { UsageReport } from './report';
import { summarizeWorkspace, type WorkspaceSpend } from './spend';
import type { Workspace } from './workspace';

/** A report with the period it belongs to and when it was fetched (epoch ms). */
export interface PeriodReport {
  readonly periodKey: string;
  readonly fetchedAtMs: number;
  readonly report: UsageReport;
}

/** What is known about one connection of the workspace at the time of the observation. */
export interface ObservedConnection {
  readonly connection: { readonly id: string; readonly provider: string; readonly name: string };
  /** The provider's adapter: its display name ("TensorOne") is the one people read. */
  readonly adapter?: { readonly displayName: string };
  /** Last good report (of this or an earlier period), if any. */
  readonly current: PeriodReport | undefined;
  /** Last good report of the previous period (pace history for the projection). */
  readonly previous: PeriodReport | undefined;
  /** `current` came from the snapshot cache; no refresh has succeeded since start. */
  readonly fromCache: boolean;
  /** The latest refresh failed (undefined after a success). */
  readonly error: { readonly kind: StatusErrorKind; readonly message: string } | undefined;
  /** Start of the current failure episode (epoch ms), across restarts. */
  readonly failingSinceMs: number | undefined;
}

/** Input of {@link observeWorkspace}. */
export interface WorkspaceObservationInput<C extends ObservedConnection = ObservedConnection> {
  readonly nowMs: number;
  readonly workspace: Workspace;
  /** The workspace's budget period containing `nowMs`. */
  readonly period: PeriodWindow;
  /** `nowMs` of the previous complete observation; undefined when there was none. */
  readonly lastCompleteAtMs: number | undefined;
  readonly connections: readonly C[];
  /** A connection's healthy refresh interval (ms, no backoff): the connection-trouble rule's unit. */
  readonly refreshIntervalMs: (connection: C) => number;
}

/**
 * The roll-up of a workspace's last good reports (stale ones count: stale, not zero).
 *
 * @example summarizeObserved(workspace, connections, nowMs).spentMicros //=> 2_260_000_000
 */
export function summarizeObserved(workspace: Workspace, connections: readonly ObservedConnection[], nowMs: number): WorkspaceSpend {
  return summarizeWorkspace({
    workspace,
    nowMs,
    connections: connections.map((s) => ({
      connectionId: s.connection.id,
      provider: s.connection.provider,
      ...(s.adapter ? { providerName: s.adapter.displayName } : {}),
      report: s.current?.report ?? null,
      previousReport: s.previous?.report ?? null,
      stale: s.error !== undefined || s.fromCache,
    })),
  });
}

/**
 * Builds the alert rules' observation of a workspace. `observation.complete` tells whether it
 * closes a round; the caller keeps `nowMs` as the next `lastCompleteAtMs` when it does.
 *
 * @example observeWorkspace({ nowMs, workspace, period, lastCompleteAtMs: undefined, connections, refreshIntervalMs: () => 300_000 }).complete //=> true
 */
export function observeWorkspace<C extends ObservedConnection>(input: WorkspaceObservationInput<C>): AlertObservation {
  const { nowMs, workspace, period, lastCompleteAtMs, connections } = input;
  const complete = connections.every(
    (s) =>
      s.error === undefined &&
      !s.fromCache &&
      s.current !== undefined &&
      s.current.periodKey === period.key &&
      (lastCompleteAtMs === undefined || s.current.fetchedAtMs > lastCompleteAtMs),
  );
  // The rules that read spend, projection and hours (threshold, forecast, spike) only look at
  // complete observations; the full roll-up is computed for those only.
  const spend = complete ? summarizeObserved(workspace, connections, nowMs) : undefined;
  return {
    nowMs,
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    period: { key: period.key, startMs: period.startMs, endMs: period.endMs },
    budgetMicros: workspace.budget?.amountMicros ?? null,
    thresholdsPercent: workspace.budget?.thresholdsPercent ?? [],
    actualSpentMicros: spend ? spend.spentMicros : null,
    complete,
    forecastAlerts: workspace.forecastAlerts,
    forecast: spend?.forecast
      ? {
          projectedMicros: spend.projection.projectedMicros,
          confidence: spend.projection.confidence,
          crossesAtMs: spend.forecast.crossesAtMs,
          periodDataHours: spend.periodDataHours,
        }
      : null,
    hourlySeries: (spend?.hourlySeries ?? []).map((b) => ({ startMs: b.startMs, costMicros: b.costMicros })),
    // Only fresh reports speak for resources: a cached one says nothing about the last 24 hours.
    resources: connections
      .filter((s) => s.error === undefined && !s.fromCache)
      .flatMap((s) =>
        (s.current?.report.unit === 'usd' ? s.current.report.resources : []).map((r) => {
          // Only the idle rule reads a series, of dedicated resources: the others' (packed, main/core/compactSeries.ts) are not unpacked.
          const series = r.dedicated ? r.series : undefined;
          return { connectionId: s.connection.id, resourceId: r.id, name: r.name, dedicated: r.dedicated, ...(series ? { series } : {}) };
        }),
      ),
    connections: connections.map((s) => ({
      connectionId: s.connection.id,
      providerName: s.connection.name,
      ok: s.error === undefined,
      ...(s.error ? { errorKind: s.error.kind, errorMessage: s.error.message } : {}),
      ...(s.failingSinceMs === undefined ? {} : { failingSinceMs: s.failingSinceMs }),
      refreshIntervalMs: input.refreshIntervalMs(s),
    })),
  };
}
