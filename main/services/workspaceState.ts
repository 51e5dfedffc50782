/**
 * The mutable per-connection and per-workspace state the engine keeps between refreshes, and the
 * small questions asked of it (current period, spend so far, near a threshold). Shared by the
 * poller (which fills it) and the Runtime (which persists, observes and shows it).
 */
import { isNearThreshold } from '../core/alerts';
import type { StoredHead } from '../core/incremental';
import type { UsageReport } from '../core/report';
import { currentPeriod, type PeriodWindow } from '../core/periods';
import { workspacePeriodSpec } from '../core/workspace';
import { adapterFor } from '../providers/registry';
import type { ProviderAdapter } from '../providers/types';
import type { BurnrateConfig, ConnectionConfig, WorkspaceConfig } from './config';
import type { ConnectionRuntimeState } from './statusDocument';

/** One connection: its last reports and errors, and its place in the poller's schedule. */
export interface ConnectionState extends ConnectionRuntimeState {
  /** `<workspaceId>/<connectionId>`: the snapshot store's key and the log prefix. */
  readonly key: string;
  readonly workspace: WorkspaceRuntime;
  readonly connection: ConnectionConfig;
  readonly adapter: ProviderAdapter<unknown>;
  /** When the previous period was last asked for (epoch ms); it is retried hourly at most. */
  previousAttemptAtMs: number | undefined;
  consecutiveFailures: number;
  /** The provider asked to wait until then (Retry-After, epoch ms). */
  retryAfterUntilMs: number | undefined;
  retryAfterMs: number | undefined;
  inFlight: Promise<void> | undefined;
  timer: unknown;
  nextAtMs: number | undefined;
  /** A refresh (good or failed) has finished since this Runtime started. */
  reported: boolean;
  /** The adapter's memory of this connection between fetches (`ProviderContext.memory`). */
  readonly memory: Map<string, unknown>;
  /**
   * The head of the current period from the last whole-period fetch (incremental refresh): kept in
   * memory only, so a restart or a config change (new states) refetches the whole period once.
   */
  head: StoredHead | undefined;
  /** The last tail showed a revision older than the revision window: refetch the whole period. */
  forceFull: boolean;
  /** The last tail as fetched: a newer one that changed its hours older than the revision window forces a whole-period fetch. */
  lastTail: UsageReport | undefined;
  /** HTTP requests of the last regular refresh (its tail): the refresh policy's request budget. */
  requestsPerRefresh: number | undefined;
}

/** One workspace and what the engine remembers about it between refreshes. */
export interface WorkspaceRuntime {
  readonly config: WorkspaceConfig;
  readonly states: readonly ConnectionState[];
  /** `nowMs` of the last complete observation (a closed round); undefined since start. */
  lastCompleteAtMs: number | undefined;
  /** The current period (recomputed once it has ended) and, once asked for, the one before it. */
  period: PeriodWindow | undefined;
  previousPeriod: PeriodWindow | undefined;
  /** Reported spend of the current period as of the last refresh (drives near-threshold polling). */
  spentMicros: number | undefined;
}

/** Fresh state (nothing fetched yet) for every workspace and connection of the configuration. */
export function createWorkspaceStates(config: BurnrateConfig): WorkspaceRuntime[] {
  return config.workspaces.map((workspaceConfig) => {
    const states: ConnectionState[] = [];
    const ws: WorkspaceRuntime = { config: workspaceConfig, states, lastCompleteAtMs: undefined, period: undefined, previousPeriod: undefined, spentMicros: undefined };
    for (const connection of workspaceConfig.connections) {
      states.push({
        key: `${workspaceConfig.workspace.id}/${connection.id}`,
        workspace: ws,
        connection,
        adapter: adapterFor(connection.provider),
        current: undefined,
        previous: undefined,
        fromCache: false,
        fetchedAtMs: undefined,
        error: undefined,
        failingSinceMs: undefined,
        previousAttemptAtMs: undefined,
        consecutiveFailures: 0,
        retryAfterUntilMs: undefined,
        retryAfterMs: undefined,
        inFlight: undefined,
        timer: undefined,
        nextAtMs: undefined,
        reported: false,
        memory: new Map(),
        head: undefined,
        forceFull: false,
        requestsPerRefresh: undefined,
        lastTail: undefined,
      });
    }
    return ws;
  });
}

/** The workspace's period at `nowMs` (cached: computing one costs a time-zone lookup). */
export function periodOf(ws: WorkspaceRuntime, nowMs: number): PeriodWindow {
  const cached = ws.period;
  if (cached !== undefined && cached.startMs <= nowMs && nowMs < cached.endMs) return cached;
  const spec = workspacePeriodSpec(ws.config.workspace);
  const period = currentPeriod(nowMs, ws.config.workspace.timeZone, spec.period, spec.cycleStartDay);
  ws.period = period;
  ws.previousPeriod = undefined;
  return period;
}

/** The period before the one at `nowMs`. */
export function previousPeriodOf(ws: WorkspaceRuntime, nowMs: number): PeriodWindow {
  const period = periodOf(ws, nowMs);
  if (ws.previousPeriod === undefined) {
    const spec = workspacePeriodSpec(ws.config.workspace);
    ws.previousPeriod = currentPeriod(period.startMs - 1, ws.config.workspace.timeZone, spec.period, spec.cycleStartDay);
  }
  return ws.previousPeriod;
}

/** Reported spend of the current period: the last good USD reports fetched for it (stale ones count: stale, not zero). */
export function reportedSpentMicros(ws: WorkspaceRuntime, nowMs: number): number {
  const period = periodOf(ws, nowMs);
  let total = 0;
  for (const s of ws.states) if (s.current?.periodKey === period.key && s.current.report.unit === 'usd') total += s.current.report.totalMicros;
  return total;
}

/** The workspace's last known spend is within 10 % below one of its budget thresholds. */
export function isNear(ws: WorkspaceRuntime): boolean {
  const budget = ws.config.workspace.budget;
  return budget !== null && ws.spentMicros !== undefined && isNearThreshold(ws.spentMicros, budget.amountMicros, budget.thresholdsPercent);
}
