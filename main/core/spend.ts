/**
 * The roll-up: everything the tray, popover, CLI and alert rules show about one workspace, from
 * the last good report of each of its connections. Pure: the caller passes the clock.
 *
 * Money rules: only 'usd' reports add up into `spentMicros`, rates, projections and the forecast;
 * a 'credits' report (Civis without a dollar rate) is kept on its connection line with the reason.
 * A report of another period (the last good one from before a period rollover, or from before the
 * workspace's period, cycle start day or time zone changed) is never counted for this period: only
 * a report whose range starts at this period's start and ends inside it counts. Otherwise the
 * connection shows status 'other-period', no value, until this period's first report arrives.
 * `coverage` says how many connections the money total holds and which it leaves out, and why.
 * A stale connection (its last refresh failed) still counts with its last good report: stale, not
 * zero.
 */
import { burnRateOfReport, workspaceBurnRate, type BurnRate } from './burnRate';
import { completeCutoffMs, denseSlots, seriesOfReports, type CostSeries } from './engine/series';
import { budgetForecast, type BudgetForecast } from './forecast';
import { nowcast, type Nowcast } from './nowcast';
import { clampCycleStartDay, currentPeriod, type PeriodWindow } from './periods';
import { combineProjections, projectPeriod, type Projection } from './projection';
import { HOUR_MS, type CostBucket, type UsageReport } from './report';
import type { AllWorkspacesSpend, ConnectionInput, ConnectionSpend, ConnectionStatus, Coverage, ResourceLine, SummarizeInput, WorkspacePeriod, WorkspaceSpend } from './spendTypes';
import { isValidTimeZone, workspacePeriodSpec } from './workspace';

export type { AllWorkspacesSpend, ConnectionInput, ConnectionSpend, ConnectionStatus, Coverage, ResourceLine, SummarizeInput, WorkspacePeriod, WorkspaceSpend } from './spendTypes';

/** How many resources the "top" lists keep. */
export const TOP_RESOURCES = 5;
/** How many hours `hourlySeries` keeps at most (one week). */
export const HOURLY_SERIES_MAX_HOURS = 168;

/** Notes on a connection's pace when it is not read from a complete series. */
function paceNotes(name: string, rate: BurnRate): string[] {
  if (rate.method === 'sparse-points') {
    return [`${name}'s time series leaves hours out: the burn rate and projection use the hours it reports, not zeros for the missing ones (method sparse-points).`];
  }
  if (rate.method === 'period-average') {
    return [`${name}'s time series has too few points for a recent pace: the burn rate and projection use the period's average pace from its total (method period-average).`];
  }
  return [];
}

function topResourcesOf(connectionId: string, provider: string, report: UsageReport): ResourceLine[] {
  return [...report.resources]
    .sort((a, b) => b.costMicros - a.costMicros)
    .slice(0, TOP_RESOURCES)
    .map((resource) => ({
      connectionId,
      provider,
      id: resource.id,
      name: resource.name,
      kind: resource.kind,
      costMicros: resource.costMicros,
      unit: report.unit,
      dedicated: resource.dedicated,
      ...(resource.activity.requests === undefined ? {} : { requests: resource.activity.requests }),
    }));
}

/** The report was fetched for this very period (not for one before a rollover or a settings change). */
function samePeriod(report: UsageReport, period: PeriodWindow): boolean {
  return report.range.startMs === period.startMs && report.range.endMs > period.startMs && report.range.endMs <= period.endMs;
}

interface CountedConnection {
  readonly input: ConnectionInput;
  readonly report: UsageReport;
  /** The previous period's report used as history (null when none fits). */
  readonly previous: UsageReport | null;
  readonly series: CostSeries;
  readonly rate: BurnRate;
  readonly projection: Projection;
  /** What the report's spend is known through, clamped into the period (epoch ms). */
  readonly fromMs: number;
}

/**
 * Rolls a workspace's connections up into its spend, rate, nowcast, projection and forecast.
 * @example summarizeWorkspace({ workspace, nowMs, connections }).spentMicros //=> 1_247_830_000
 */
export function summarizeWorkspace(input: SummarizeInput): WorkspaceSpend {
  const { workspace, nowMs } = input;
  const notes: string[] = [];
  let timeZone = workspace.timeZone;
  if (!isValidTimeZone(timeZone)) {
    notes.push(`Time zone "${String(timeZone).slice(0, 60)}" is unknown; periods use UTC.`);
    timeZone = 'UTC';
  }
  const spec = workspacePeriodSpec(workspace);
  const window = currentPeriod(nowMs, timeZone, spec.period, spec.cycleStartDay);
  const period: WorkspacePeriod = { ...window, period: spec.period, cycleStartDay: clampCycleStartDay(spec.period, spec.cycleStartDay) };

  const connections: ConnectionSpend[] = [];
  const counted: CountedConnection[] = [];
  for (const connection of input.connections) {
    const { connectionId, provider, report, stale } = connection;
    const name = connection.providerName ?? provider;
    const base = { connectionId, provider, stale };
    if (report === null || !samePeriod(report, window)) {
      const status: ConnectionStatus = report === null ? 'no-data' : 'other-period';
      const excludedReason =
        report === null ? 'No data has arrived from this connection yet.' : "The last report is from another period; waiting for this period's data.";
      notes.push(`${name} (${connectionId}): ${excludedReason}`);
      connections.push({
        ...base,
        status,
        unit: null,
        spentMicros: 0,
        creditsMicros: null,
        excludedReason,
        dataThroughMs: null,
        burnRate: null,
        projection: null,
        topResources: [],
        notes: [],
      });
      continue;
    }
    // History only when it is the period just before this one (not one of an older period setting).
    const previous = connection.previousReport && connection.previousReport.range.endMs === window.startMs ? connection.previousReport : null;
    const series = seriesOfReports(report, previous);
    // A team server's pace is carried as is (a `burnrate` connection): its numbers, not a recomputation.
    const serverPace = report.extras.serverPace;
    const rate = serverPace?.burnRate ?? burnRateOfReport(report, nowMs, previous);
    const projection = serverPace?.projection ?? projectPeriod({
      period: window,
      nowMs,
      timeZone,
      spentMicros: report.totalMicros,
      series,
      rate,
      previous: previous ? { totalMicros: previous.totalMicros, startMs: previous.range.startMs, throughMs: Math.min(previous.range.endMs, nowMs) } : null,
    });
    const fromMs = Math.min(window.endMs, Math.max(window.startMs, series.dataThroughMs ?? window.startMs));
    const usd = report.unit === 'usd';
    connections.push({
      ...base,
      status: 'ok',
      unit: report.unit,
      spentMicros: usd ? report.totalMicros : 0,
      creditsMicros: usd ? null : report.totalMicros,
      excludedReason: usd ? null : `${name} reports credits with no dollar rate set: shown separately, not added to money totals.`,
      dataThroughMs: report.dataThroughMs,
      burnRate: rate,
      projection,
      topResources: topResourcesOf(connectionId, provider, report),
      notes: paceNotes(name, rate),
    });
    if (usd) counted.push({ input: connection, report, previous, series, rate, projection, fromMs });
  }

  let spentMicros = 0;
  for (const entry of counted) spentMicros += entry.report.totalMicros;
  if (!Number.isSafeInteger(spentMicros)) throw new RangeError('Workspace spend is too large to track exactly.');

  const burnRate = workspaceBurnRate(
    counted.map((entry) => ({ report: entry.report, previous: entry.previous, rate: entry.rate })),
    nowMs,
  );

  // Each connection extrapolates from its own data-through instant: sum of the per-connection nowcasts.
  let estimatedMicros = 0;
  let sinceMs = nowMs;
  for (const entry of counted) {
    const part = nowcast(entry.report.totalMicros, entry.rate.microsPerHour, entry.series.dataThroughMs === null ? null : entry.fromMs, nowMs);
    estimatedMicros += part.estimatedMicros;
    sinceMs = Math.min(sinceMs, part.sinceMs);
  }
  const workspaceNowcast: Nowcast = { estimatedMicros, isEstimate: true, sinceMs };

  const projection = combineProjections(counted.map((entry) => entry.projection));

  let forecast: BudgetForecast | null = null;
  const budget = workspace.budget;
  if (budget && budget.amountMicros > 0) {
    forecast = budgetForecast({
      budgetMicros: budget.amountMicros,
      spentMicros,
      spentThroughMs: paceAnchorMs(counted),
      microsPerHour: burnRate.microsPerHour,
      period: window,
      projection,
      ...maxPaceOf(counted),
    });
  }

  const withData = counted.filter((entry) => entry.report.dataThroughMs !== null).map((entry) => entry.report.dataThroughMs ?? 0);
  const dataThroughMs = withData.length > 0 ? Math.min(...withData) : null;
  const coverage: Coverage = {
    connectionsOk: connections.filter((line) => line.status === 'ok' && line.unit === 'usd').length,
    connectionsTotal: connections.length,
    excluded: connections
      .filter((line) => !(line.status === 'ok' && line.unit === 'usd'))
      .map((line) => ({ id: line.connectionId, reason: line.excludedReason ?? 'Not counted in the money total.' })),
  };
  const topResources = counted
    .flatMap((entry) => entry.report.resources.map((resource) => ({ resource, entry })))
    .sort((a, b) => b.resource.costMicros - a.resource.costMicros)
    .slice(0, TOP_RESOURCES)
    .map(({ resource, entry }) => ({
      connectionId: entry.input.connectionId,
      provider: entry.input.provider,
      id: resource.id,
      name: resource.name,
      kind: resource.kind,
      costMicros: resource.costMicros,
      unit: 'usd' as const,
      dedicated: resource.dedicated,
    }));

  return {
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    timeZone,
    nowMs,
    period,
    budget,
    spentMicros,
    dataThroughMs,
    stale: input.connections.some((connection) => connection.stale),
    connections,
    burnRate,
    nowcast: workspaceNowcast,
    projection,
    forecast,
    topResources,
    hourlySeries: combinedHourlySeries(counted, nowMs),
    notes,
    coverage,
    periodDataHours: dataThroughMs === null ? 0 : Math.max(0, (Math.min(dataThroughMs, window.endMs) - window.startMs) / HOUR_MS),
  };
}

/**
 * The fastest pace seen in the data: per connection the busiest bucket of its series (history
 * included) or its burn rate, whichever is higher, summed. Empty when a connection has no buckets
 * (then nothing bounds the pace, and a forecast's probability is never 0).
 */
function maxPaceOf(counted: readonly CountedConnection[]): { maxMicrosPerHour?: number } {
  let total = 0;
  for (const entry of counted) {
    if (entry.series.buckets.length === 0) return {};
    let most = entry.rate.microsPerHour;
    for (const bucket of entry.series.buckets) most = Math.max(most, bucket.costMicros / (bucket.durationMs / HOUR_MS));
    total += most;
  }
  return { maxMicrosPerHour: total };
}

/**
 * The instant the workspace's summed spend is effectively known through: the rate-weighted mean of
 * the connections' data-through instants. With S(t) = Σ (spent_i + r_i·(t − d_i)), this is the d
 * for which S(t) = spent + R·(t − d), exact once t is past every d_i.
 */
function paceAnchorMs(counted: readonly CountedConnection[]): number | null {
  const known = counted.filter((entry) => entry.series.dataThroughMs !== null);
  if (known.length === 0) return null;
  let rateSum = 0;
  let weighted = 0;
  for (const entry of known) {
    rateSum += entry.rate.microsPerHour;
    weighted += entry.rate.microsPerHour * entry.fromMs;
  }
  return rateSum > 0 ? Math.round(weighted / rateSum) : Math.max(...known.map((entry) => entry.fromMs));
}

function combinedHourlySeries(counted: readonly CountedConnection[], nowMs: number): CostBucket[] {
  const hourly = counted
    // A sparse series' missing hours are unknown, not zero: it would show false quiet hours and spikes.
    .filter((entry) => entry.report.granularityMs === HOUR_MS && !entry.series.sparse)
    .map((entry) => ({ series: entry.series, cutoffMs: completeCutoffMs(entry.series, nowMs) }))
    .filter((entry): entry is { series: CostSeries; cutoffMs: number } => entry.cutoffMs !== null);
  if (hourly.length === 0) return [];
  const endMs = Math.min(...hourly.map((entry) => entry.cutoffMs));
  const startMs = Math.max(endMs - HOURLY_SERIES_MAX_HOURS * HOUR_MS, ...hourly.map((entry) => entry.series.coverageStartMs));
  const firstMs = Math.ceil(startMs / HOUR_MS) * HOUR_MS;
  const hours = Math.max(0, Math.floor((endMs - firstMs) / HOUR_MS));
  const totals = new Array<number>(hours).fill(0);
  for (const entry of hourly) {
    const dense = denseSlots(entry.series, firstMs, endMs);
    const offset = Math.round((dense.startMs - firstMs) / HOUR_MS);
    dense.costsMicros.forEach((costMicros, index) => {
      const slot = offset + index;
      if (slot >= 0 && slot < hours) totals[slot] = (totals[slot] ?? 0) + costMicros;
    });
  }
  return totals.map((costMicros, index) => ({ startMs: firstMs + index * HOUR_MS, durationMs: HOUR_MS, costMicros }));
}

/**
 * The "all workspaces" roll-up: plain sums of the workspaces' period spend, burn rate and projection.
 * Assumes each connection belongs to one workspace (a shared connection counts once per workspace).
 * @example summarizeAll([a, b]).spentMicros //=> a.spentMicros + b.spentMicros
 */
export function summarizeAll(workspaces: readonly WorkspaceSpend[]): AllWorkspacesSpend {
  let spentMicros = 0;
  let microsPerHour = 0;
  let projectedMicros = 0;
  for (const workspace of workspaces) {
    spentMicros += workspace.spentMicros;
    microsPerHour += workspace.burnRate.microsPerHour;
    projectedMicros += workspace.projection.projectedMicros;
  }
  return { spentMicros, microsPerHour, projectedMicros };
}
