/**
 * What one tab shows, derived from the status document: a single workspace, or the roll-up of
 * all of them. Pure functions: no formatting here (that is format.ts), only selection and sums.
 */
import type { BudgetStatus, ConnectionStatus, PastPeriodStatus, PeriodComparisonStatus, ResourceStatus, StatusDocument, WorkspaceStatus } from '../../../../preload/api';
import { lastResult } from '../../lastResult';

/** A resource with the names needed to say where it runs. */
export interface ResourceLine extends ResourceStatus {
  /** Display name of the connection's provider, when known. */
  readonly providerName?: string;
  /** Workspace name, in the all-workspaces view only. */
  readonly workspaceName?: string;
}

/** A connection with its workspace (named in the all-workspaces view only). */
export interface ConnectionLine {
  readonly connection: ConnectionStatus;
  readonly workspaceId: string;
  readonly workspaceName?: string;
}

/** A connection left out of the money total, and why. */
export interface ExcludedConnection {
  readonly id: string;
  /** Display name ("TensorOne sandbox"), for people. */
  readonly name: string;
  readonly reason: string;
}

/** How much of a total is known: connections counted in the money total vs all connections. */
export interface Coverage {
  readonly connectionsOk: number;
  readonly connectionsTotal: number;
  readonly excluded: readonly ExcludedConnection[];
}

/**
 * Which connections a workspace's money total leaves out. Uses the document's own `coverage`
 * when the server sends it; otherwise derives it: a connection without dollars (failed with no
 * last good value, or credits only) is missing from the total.
 */
export function workspaceCoverage(workspace: WorkspaceStatus): Coverage {
  const nameOf = (id: string): string => {
    const connection = workspace.connections.find((c) => c.id === id);
    if (!connection) return id;
    const provider = connection.providerName ?? connection.provider;
    return connection.id === connection.provider ? provider : `${provider} ${connection.id}`;
  };
  // Older servers (and cached snapshots) may not send it yet: derive it then.
  const fromDocument = workspace.coverage as WorkspaceStatus['coverage'] | undefined;
  if (fromDocument) {
    return {
      connectionsOk: fromDocument.connectionsOk,
      connectionsTotal: fromDocument.connectionsTotal,
      excluded: fromDocument.excluded.map((e) => ({ id: e.id, name: nameOf(e.id), reason: e.reason })),
    };
  }
  const excluded = workspace.connections
    .filter((c) => c.spentUsd === null)
    .map((c) => ({
      id: c.id,
      name: nameOf(c.id),
      reason: c.status === 'error' ? (c.error?.message ?? 'the connection failed') : c.spentCredits !== null ? 'reports credits only (no dollar rate set)' : 'no data yet',
    }));
  return { connectionsOk: workspace.connections.length - excluded.length, connectionsTotal: workspace.connections.length, excluded };
}

/** Everything one tab renders. Money in USD. */
export interface ViewSummary {
  readonly scope: 'workspace' | 'all';
  readonly id: string | null;
  readonly title: string;
  /** Billing period when there is exactly one (every workspace shares it), else null. */
  readonly period: WorkspaceStatus['period'] | null;
  /** Budget period word ("month"), when known. */
  readonly periodName: string | null;
  readonly spentUsd: number;
  /** Null when the roll-up cannot say (no workspaces). */
  readonly nowcastUsd: number | null;
  readonly burnRateUsdPerHour: number;
  readonly projectedUsd: number;
  readonly projectedLowUsd: number | null;
  readonly projectedHighUsd: number | null;
  readonly projectionMethod: string | null;
  readonly projectionConfidence: number | null;
  readonly budget: BudgetStatus | null;
  readonly hourly: readonly { readonly start: string; readonly spentUsd: number }[];
  /** Spend per day of the period with each provider's share (empty when unknown or when the workspaces' periods differ). */
  readonly daily: NonNullable<WorkspaceStatus['dailySpendUsd']>;
  /** Display names of the provider ids in this view. */
  readonly providerNames: Readonly<Record<string, string>>;
  readonly topResources: readonly ResourceLine[];
  /** Every resource of the view, most expensive first (the breakdown). */
  readonly resources: readonly ResourceLine[];
  /** Past periods, newest first (All: summed per period when every workspace shares the period). */
  readonly history: readonly PastPeriodStatus[];
  /** This period vs. the same point last period, when known. */
  readonly comparison: PeriodComparisonStatus | null;
  readonly connections: readonly ConnectionLine[];
  /** Which connections the money total leaves out. */
  readonly coverage: Coverage;
}

/** How many top resources a tab lists. */
export const TOP_RESOURCE_COUNT = 5;

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

function workspaceResources(workspace: WorkspaceStatus): ResourceLine[] {
  const providerOf = new Map(workspace.connections.map((c) => [c.id, c.providerName ?? c.provider]));
  // Older documents have no workspace-level list: fall back to the connections' own lists.
  const resources = workspace.topResources ?? workspace.connections.flatMap((c) => c.topResources.map((r) => ({ ...r, connectionId: r.connectionId ?? c.id })));
  return resources.map((r) => {
    const providerName = r.connectionId ? providerOf.get(r.connectionId) : undefined;
    return providerName ? { ...r, providerName } : { ...r };
  });
}

/** Every resource of a workspace (older documents: the top list only). */
function allWorkspaceResources(workspace: WorkspaceStatus): ResourceLine[] {
  if (!workspace.resources) return workspaceResources(workspace);
  const providerOf = new Map(workspace.connections.map((c) => [c.id, c.providerName ?? c.provider]));
  return workspace.resources.map((r) => {
    const providerName = r.connectionId ? providerOf.get(r.connectionId) : undefined;
    return providerName ? { ...r, providerName } : { ...r };
  });
}

/** Past periods summed per period start across workspaces (budgets summed only when every one has one). */
export function sumHistory(workspaces: readonly WorkspaceStatus[]): PastPeriodStatus[] {
  const byStart = new Map<string, { entry: PastPeriodStatus; count: number; budgets: number }>();
  for (const w of workspaces) {
    for (const p of w.history ?? []) {
      const known = byStart.get(p.start);
      if (!known) byStart.set(p.start, { entry: p, count: 1, budgets: p.budgetUsd === null ? 0 : 1 });
      else {
        const budgetUsd = known.entry.budgetUsd !== null && p.budgetUsd !== null ? known.entry.budgetUsd + p.budgetUsd : null;
        known.entry = { ...known.entry, spentUsd: known.entry.spentUsd + p.spentUsd, budgetUsd, connections: known.entry.connections + p.connections, usedPercent: null };
        known.count += 1;
        known.budgets += p.budgetUsd === null ? 0 : 1;
      }
    }
  }
  return [...byStart.values()]
    .map(({ entry, budgets }) => {
      const budgetUsd = budgets === workspaces.length ? entry.budgetUsd : null;
      return { ...entry, budgetUsd, usedPercent: budgetUsd ? Math.round((entry.spentUsd / budgetUsd) * 10_000) / 100 : null };
    })
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
}

/** The workspaces' comparisons added up (null unless every workspace has one). */
export function sumComparison(workspaces: readonly WorkspaceStatus[]): PeriodComparisonStatus | null {
  const all = workspaces.map((w) => w.comparison ?? null);
  if (all.length === 0 || all.some((c) => c === null)) return null;
  const list = all as PeriodComparisonStatus[];
  const currentUsd = sum(list.map((c) => c.currentUsd));
  const previousUsd = sum(list.map((c) => c.previousUsd));
  return {
    currentUsd,
    previousUsd,
    changePercent: previousUsd > 0 ? Math.round(((currentUsd - previousUsd) / previousUsd) * 1000) / 10 : null,
    elapsedHours: Math.min(...list.map((c) => c.elapsedHours)),
  };
}

function byCostDescending(a: ResourceLine, b: ResourceLine): number {
  return b.spentUsd - a.spentUsd;
}

/**
 * The parts of a summary derived from sub-objects of the document, each kept while those
 * sub-objects are the same (lastResult.ts): an update in which only the headline moved derives
 * them again neither in work nor in identity. One set for the workspace tab, one for All.
 */
const workspaceParts = {
  providerNames: lastResult<Record<string, string>>(),
  topResources: lastResult<ResourceLine[]>(),
  resources: lastResult<ResourceLine[]>(),
  connections: lastResult<ConnectionLine[]>(),
  coverage: lastResult<Coverage>(),
};
const allParts = {
  hourly: lastResult<{ start: string; spentUsd: number }[]>(),
  daily: lastResult<NonNullable<WorkspaceStatus['dailySpendUsd']>>(),
  providerNames: lastResult<Record<string, string>>(),
  topResources: lastResult<ResourceLine[]>(),
  resources: lastResult<ResourceLine[]>(),
  history: lastResult<PastPeriodStatus[]>(),
  comparison: lastResult<PeriodComparisonStatus | null>(),
  connections: lastResult<ConnectionLine[]>(),
  coverage: lastResult<Coverage>(),
};

/** The summary of one workspace. */
export function workspaceSummary(workspace: WorkspaceStatus): ViewSummary {
  const w = workspace;
  return {
    scope: 'workspace',
    id: workspace.id,
    title: workspace.name,
    period: workspace.period,
    periodName: workspace.budget?.period ?? null,
    spentUsd: workspace.spentUsd,
    nowcastUsd: workspace.nowcastUsd,
    burnRateUsdPerHour: workspace.burnRateUsdPerHour,
    projectedUsd: workspace.projectedUsd,
    projectedLowUsd: workspace.projectedLowUsd,
    projectedHighUsd: workspace.projectedHighUsd,
    projectionMethod: workspace.projectionMethod,
    projectionConfidence: workspace.projectionConfidence ?? null,
    budget: workspace.budget,
    hourly: workspace.hourlySpendUsd ?? [],
    daily: workspace.dailySpendUsd ?? [],
    providerNames: workspaceParts.providerNames([w.connections], () => providerNamesOf([w])),
    topResources: workspaceParts.topResources([w.topResources, w.connections], () => workspaceResources(w).sort(byCostDescending).slice(0, TOP_RESOURCE_COUNT)),
    resources: workspaceParts.resources([w.resources, w.topResources, w.connections], () => allWorkspaceResources(w).sort(byCostDescending)),
    history: workspace.history ?? [],
    comparison: workspace.comparison ?? null,
    connections: workspaceParts.connections([w.connections, w.id], () => w.connections.map((connection) => ({ connection, workspaceId: w.id }))),
    coverage: workspaceParts.coverage([w.coverage, w.connections], () => workspaceCoverage(w)),
  };
}

/**
 * Hourly spend summed per hour across workspaces, oldest first. Only hours every workspace with
 * hourly data reports are kept: providers' data ends at different times, and a sum over some of
 * the workspaces would show a false dip at the edges.
 */
export function sumHourly(workspaces: readonly WorkspaceStatus[]): { start: string; spentUsd: number }[] {
  const series = workspaces.map((w) => w.hourlySpendUsd ?? []).filter((hours) => hours.length > 0);
  const byStart = new Map<number, { start: string; spentUsd: number; count: number }>();
  for (const hours of series) {
    for (const hour of hours) {
      const key = Date.parse(hour.start);
      const bucket = byStart.get(key);
      if (bucket) {
        bucket.spentUsd += hour.spentUsd;
        bucket.count += 1;
      } else byStart.set(key, { start: hour.start, spentUsd: hour.spentUsd, count: 1 });
    }
  }
  return [...byStart.entries()]
    .filter(([, bucket]) => bucket.count === series.length)
    .sort(([a], [b]) => a - b)
    .map(([, { start, spentUsd }]) => ({ start, spentUsd }));
}

/** Provider id → display name, from the connections. */
function providerNamesOf(workspaces: readonly WorkspaceStatus[]): Record<string, string> {
  return Object.fromEntries(workspaces.flatMap((w) => w.connections.map((c) => [c.provider, c.providerName ?? c.provider])));
}

/** Daily spend summed per day and provider across workspaces that share one period. */
export function sumDaily(workspaces: readonly WorkspaceStatus[]): NonNullable<WorkspaceStatus['dailySpendUsd']> {
  const byStart = new Map<number, { start: string; spentUsd: number; byProvider: Record<string, number> }>();
  for (const workspace of workspaces) {
    for (const day of workspace.dailySpendUsd ?? []) {
      const key = Date.parse(day.start);
      const entry = byStart.get(key) ?? { start: day.start, spentUsd: 0, byProvider: {} };
      entry.spentUsd += day.spentUsd;
      for (const [provider, usd] of Object.entries(day.byProvider)) entry.byProvider[provider] = (entry.byProvider[provider] ?? 0) + usd;
      byStart.set(key, entry);
    }
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([, day]) => day);
}

/** The roll-up of every workspace ("All"). Uses the document's own `all` totals when present. */
export function allSummary(status: StatusDocument): ViewSummary {
  const workspaces = status.workspaces;
  const first = workspaces[0];
  const samePeriod = first !== undefined && workspaces.every((w) => w.period.start === first.period.start && w.period.end === first.period.end);
  const periodNames = new Set(workspaces.map((w) => w.budget?.period).filter((p): p is string => !!p));
  const multiWorkspace = workspaces.length > 1;
  // The inputs of each derived part: the sub-objects it reads, per workspace (see allParts).
  const each = (pick: (w: WorkspaceStatus) => unknown): unknown[] => workspaces.map(pick);
  const resourceInputs = workspaces.flatMap((w) => [w.resources, w.topResources, w.connections, w.name]);
  return {
    scope: 'all',
    id: null,
    title: 'All workspaces',
    period: samePeriod && first ? first.period : null,
    periodName: samePeriod && periodNames.size === 1 ? [...periodNames][0]! : null,
    spentUsd: status.all?.spentUsd ?? sum(workspaces.map((w) => w.spentUsd)),
    nowcastUsd: workspaces.length > 0 ? sum(workspaces.map((w) => w.nowcastUsd)) : null,
    burnRateUsdPerHour: status.all?.burnRateUsdPerHour ?? sum(workspaces.map((w) => w.burnRateUsdPerHour)),
    projectedUsd: status.all?.projectedUsd ?? sum(workspaces.map((w) => w.projectedUsd)),
    // Summed bounds: every workspace at its low (high) end together, a conservative envelope.
    projectedLowUsd: workspaces.length > 0 ? sum(workspaces.map((w) => w.projectedLowUsd)) : null,
    projectedHighUsd: workspaces.length > 0 ? sum(workspaces.map((w) => w.projectedHighUsd)) : null,
    projectionMethod: null,
    projectionConfidence: null,
    budget: null,
    hourly: allParts.hourly(each((w) => w.hourlySpendUsd), () => sumHourly(workspaces)),
    daily: samePeriod ? allParts.daily(each((w) => w.dailySpendUsd), () => sumDaily(workspaces)) : [],
    providerNames: allParts.providerNames(each((w) => w.connections), () => providerNamesOf(workspaces)),
    topResources: allParts.topResources(resourceInputs, () =>
      workspaces
        .flatMap((w) => workspaceResources(w).map((r) => ({ ...r, workspaceName: w.name })))
        .sort(byCostDescending)
        .slice(0, TOP_RESOURCE_COUNT),
    ),
    resources: allParts.resources(resourceInputs, () => workspaces.flatMap((w) => allWorkspaceResources(w).map((r) => ({ ...r, workspaceName: w.name }))).sort(byCostDescending)),
    history: samePeriod ? allParts.history(each((w) => w.history), () => sumHistory(workspaces)) : [],
    comparison: samePeriod ? allParts.comparison(each((w) => w.comparison), () => sumComparison(workspaces)) : null,
    connections: allParts.connections(
      workspaces.flatMap((w) => [w.connections, w.id, w.name]),
      () => workspaces.flatMap((w) => w.connections.map((connection) => ({ connection, workspaceId: w.id, ...(multiWorkspace ? { workspaceName: w.name } : {}) }))),
    ),
    coverage: allParts.coverage(
      workspaces.flatMap((w) => [w.coverage, w.connections]),
      () =>
        workspaces.map(workspaceCoverage).reduce<Coverage>(
          (total, c) => ({ connectionsOk: total.connectionsOk + c.connectionsOk, connectionsTotal: total.connectionsTotal + c.connectionsTotal, excluded: [...total.excluded, ...c.excluded] }),
          { connectionsOk: 0, connectionsTotal: 0, excluded: [] },
        ),
    ),
  };
}

export { budgetTone, connectionHealth } from './tone';
