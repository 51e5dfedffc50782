/**
 * Maps the engine's roll-up (integer micros, epoch ms) to the StatusDocument contract
 * (`status --json`, `GET /api/status`, the popover): USD as numbers rounded to 6 decimals,
 * percentages to 2 decimals, instants as ISO-8601 UTC. Every message is redacted once more.
 */
import type { ConnectionStatus, ResourceStatus, StatusDocument, StatusErrorKind, WorkspaceStatus } from '../../preload/api';
import { dailySpend } from '../core/daily';
import { microsToUnits } from '../core/money';
import type { ProviderExtras } from '../core/report';
import { redact } from '../core/redact';
import type { AllWorkspacesSpend, WorkspaceSpend } from '../core/spend';
import { adapterFor } from '../providers/registry';
import type { ConnectionConfig, WorkspaceConfig } from './config';
import type { StoredReport } from './snapshotStore';
import type { WorkspaceHistory } from './workspaceHistory';

/** What the runtime knows about one connection. */
export interface ConnectionRuntimeState {
  readonly connection: ConnectionConfig;
  current: StoredReport | undefined;
  previous: StoredReport | undefined;
  /** `current` came from the snapshot cache and no refresh has succeeded since start. */
  fromCache: boolean;
  fetchedAtMs: number | undefined;
  /** The latest refresh failed (undefined after a success). */
  error: { kind: StatusErrorKind; message: string; atMs: number } | undefined;
  failingSinceMs: number | undefined;
}

/** Input of {@link buildStatusDocument}. */
export interface StatusInput {
  readonly nowMs: number;
  readonly demo: boolean;
  readonly secrets: readonly string[];
  readonly workspaces: ReadonlyArray<{
    readonly config: WorkspaceConfig;
    readonly spend: WorkspaceSpend;
    readonly states: readonly ConnectionRuntimeState[];
    /** Past periods and the same-point comparison (absent without a spend database). */
    readonly history?: WorkspaceHistory;
  }>;
  readonly all: (spends: WorkspaceSpend[]) => AllWorkspacesSpend;
  /** Workspace sections kept from earlier documents (see {@link WorkspaceSections}); without it every section is made anew. */
  readonly sections?: WorkspaceSections;
}

/** One workspace's input of {@link buildStatusDocument}. */
type WorkspaceInput = StatusInput['workspaces'][number];

/**
 * Each workspace's section of the status document, kept while its inputs are the same objects (its
 * summary, history, and its connections' reports, errors and fetch times): a refresh of one
 * connection makes one section again, not every workspace's, so a `watch` round costs time linear
 * in the number of connections. The summary is made again each minute (main/services/runtime.ts),
 * so no section is older than that. Sections are shared between documents: never change one.
 */
export class WorkspaceSections {
  private readonly last = new WeakMap<WorkspaceConfig, { readonly inputs: readonly unknown[]; readonly section: WorkspaceStatus }>();

  /** The section of `w`: the one kept if its inputs are unchanged, else `make()` (kept). */
  of(w: WorkspaceInput, make: () => WorkspaceStatus): WorkspaceStatus {
    const inputs = [w.spend, w.history, ...w.states.flatMap((s) => [s.current, s.error, s.fromCache, s.fetchedAtMs])];
    const kept = this.last.get(w.config);
    if (kept && kept.inputs.length === inputs.length && kept.inputs.every((value, i) => value === inputs[i])) return kept.section;
    const section = make();
    this.last.set(w.config, { inputs, section });
    return section;
  }
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const usd = (micros: number): number => microsToUnits(Math.round(micros));
const percent = (value: number): number => Math.round(value * 100) / 100;
/** Hours of hourly spend sent for the sparkline. */
const SPARKLINE_HOURS = 48;

/** The provider facts of a report the document shows beside the numbers (extras of a counted report only). */
function extrasStatus(
  extras: ProviderExtras | undefined,
  creditsMicros: number | null,
  clean: (text: string) => string,
): Partial<Pick<ConnectionStatus, 'creditsUsd' | 'creditLimit' | 'matchingRecords' | 'providerProjection' | 'providerAlerts' | 'rateLimit' | 'refusedPlanTypes'>> {
  if (!extras) return {};
  const out: {
    -readonly [K in keyof ReturnType<typeof extrasStatus>]: ReturnType<typeof extrasStatus>[K];
  } = {};
  if (extras.creditsUsedMicros !== undefined) out.creditsUsd = usd(extras.creditsUsedMicros);
  if (extras.creditHardLimit !== undefined && extras.creditHardLimit > 0) {
    const used = microsToUnits(Math.round(extras.creditsMicros ?? creditsMicros ?? 0));
    out.creditLimit = { usedCredits: used, limitCredits: extras.creditHardLimit, usedPercent: percent((used * 100) / extras.creditHardLimit) };
  }
  if (extras.matchingRecords) out.matchingRecords = { total: extras.matchingRecords.total, byTask: { ...extras.matchingRecords.byTask } };
  if (extras.providerProjection) {
    out.providerProjection = {
      projectedUsd: usd(extras.providerProjection.projectedMicros),
      confidence: extras.providerProjection.confidence,
      trend: extras.providerProjection.trend === null ? null : clean(extras.providerProjection.trend),
    };
  }
  if (extras.providerAlerts) {
    out.providerAlerts = extras.providerAlerts.map((alert) => ({
      type: clean(alert.type),
      severity: clean(alert.severity),
      message: clean(alert.message),
      ...(alert.thresholdMicros === undefined ? {} : { thresholdUsd: usd(alert.thresholdMicros) }),
      ...(alert.currentMicros === undefined ? {} : { currentUsd: usd(alert.currentMicros) }),
    }));
  }
  if (extras.rateLimit) {
    out.rateLimit = { limit: extras.rateLimit.limit ?? null, remaining: extras.rateLimit.remaining ?? null, resetAt: iso(extras.rateLimit.resetAtMs) };
  }
  if (extras.refusedPlanTypes && extras.refusedPlanTypes.length > 0) {
    out.refusedPlanTypes = extras.refusedPlanTypes.map((refused) => ({
      planType: clean(refused.planType),
      since: iso(refused.sinceMs)!,
      nextCheck: iso(refused.nextCheckMs)!,
      message: clean(refused.message),
    }));
  }
  return out;
}

/** The document's `history` and `comparison` fields. */
function historyStatus({ history, comparison }: WorkspaceHistory): Pick<WorkspaceStatus, 'history' | 'comparison'> {
  return {
    history: history.map((p) => ({
      start: iso(p.startMs)!,
      end: iso(p.endMs)!,
      spentUsd: usd(p.spentMicros),
      budgetUsd: p.budgetMicros === null ? null : usd(p.budgetMicros),
      usedPercent: p.budgetMicros ? percent((p.spentMicros * 100) / p.budgetMicros) : null,
      connections: p.connections,
    })),
    comparison: comparison
      ? {
          currentUsd: usd(comparison.currentMicros),
          previousUsd: usd(comparison.previousMicros),
          changePercent: comparison.changePercent,
          elapsedHours: Math.round((comparison.elapsedMs / 3_600_000) * 10) / 10,
        }
      : null,
  };
}

/** Builds the document. */
export function buildStatusDocument(input: StatusInput): StatusDocument {
  const clean = (text: string) => redact(text, input.secrets);
  const section = ({ config, spend, states, history }: WorkspaceInput): WorkspaceStatus => {
    // The USD reports the workspace's total counts (same rule as the roll-up: a current-period report).
    const counted = states.flatMap((state) => {
      const line = spend.connections.find((c) => c.connectionId === state.connection.id);
      const report = state.current?.report;
      return line?.status === 'ok' && line.unit === 'usd' && report ? [{ connectionId: state.connection.id, provider: state.connection.provider, report }] : [];
    });
    const connections: ConnectionStatus[] = states.map((state) => {
      const line = spend.connections.find((c) => c.connectionId === state.connection.id);
      const report = state.current?.report;
      const counted = line !== undefined && line.status === 'ok';
      const isUsd = counted && line.unit === 'usd';
      const hasData = report !== undefined;
      const notes = [...(report?.notes ?? []), ...(line?.excludedReason && hasData ? [line.excludedReason] : [])].map(clean);
      const topResources: ResourceStatus[] = (counted ? line.topResources : [])
        .filter((r) => r.unit === 'usd')
        .map((r) => ({
          id: r.id,
          name: r.name,
          kind: r.kind,
          spentUsd: usd(r.costMicros),
          dedicated: r.dedicated,
          ...(r.requests === undefined ? {} : { requests: r.requests }),
        }));
      const creditsMicros = counted ? (line.creditsMicros ?? report?.extras.creditsMicros ?? null) : null;
      const extras = counted && report ? report.extras : undefined;
      const lineNotes = (counted ? line.notes : []).map(clean);
      const allNotes = [...notes, ...lineNotes];
      return {
        id: state.connection.id,
        provider: state.connection.provider,
        providerName: adapterFor(state.connection.provider).displayName,
        status: state.error ? 'error' : 'ok',
        ...(state.error && hasData ? { stale: true } : state.fromCache ? { stale: true } : {}),
        spentUsd: isUsd ? usd(line.spentMicros) : null,
        spentCredits: creditsMicros === null ? null : usd(creditsMicros),
        burnRateUsdPerHour: isUsd && line.burnRate ? usd(line.burnRate.microsPerHour) : null,
        projectedUsd: isUsd && line.projection ? usd(line.projection.projectedMicros) : null,
        dataThrough: counted ? iso(line.dataThroughMs) : null,
        fetchedAt: iso(state.fetchedAtMs),
        topResources,
        error: state.error ? { kind: state.error.kind, message: clean(state.error.message) } : null,
        ...(allNotes.length > 0 ? { notes: allNotes } : {}),
        burnRateMethod: counted && line.burnRate ? line.burnRate.method : null,
        projectionMethod: counted && line.projection ? line.projection.method : null,
        projectedLowUsd: isUsd && line.projection ? usd(line.projection.lowMicros) : null,
        projectedHighUsd: isUsd && line.projection ? usd(line.projection.highMicros) : null,
        ...(counted && report?.estimated ? { spentIsEstimate: true } : {}),
        ...extrasStatus(extras, creditsMicros, clean),
      };
    });
    const coverage = {
      connectionsOk: spend.coverage.connectionsOk,
      connectionsTotal: spend.coverage.connectionsTotal,
      excluded: spend.coverage.excluded.map(({ id, reason }) => {
        const error = states.find((state) => state.connection.id === id)?.error;
        return { id, reason: clean(error ? `The last refresh failed (${error.kind}): ${error.message}` : reason) };
      }),
    };
    const budget = config.workspace.budget;
    const forecast = spend.forecast;
    return {
      id: config.workspace.id,
      name: config.workspace.name,
      currency: 'USD',
      period: { start: iso(spend.period.startMs)!, end: iso(spend.period.endMs)!, timeZone: spend.timeZone },
      spentUsd: usd(spend.spentMicros),
      nowcastUsd: usd(spend.nowcast.estimatedMicros),
      burnRateUsdPerHour: usd(spend.burnRate.microsPerHour),
      projectedUsd: usd(spend.projection.projectedMicros),
      projectedLowUsd: usd(spend.projection.lowMicros),
      projectedHighUsd: usd(spend.projection.highMicros),
      projectionMethod: spend.projection.method,
      projectionConfidence: percent(spend.projection.confidence),
      budget:
        budget && forecast
          ? {
              amountUsd: usd(budget.amountMicros),
              period: budget.period,
              usedPercent: percent(forecast.usedPercent),
              projectedPercent: percent(forecast.projectedPercent),
              crossesAt: iso(forecast.crossesAtMs),
              overBudgetProbability: forecast.overBudgetProbability === null ? null : percent(forecast.overBudgetProbability),
              thresholdsPercent: budget.thresholdsPercent,
            }
          : null,
      connections,
      topResources: spend.topResources
        .filter((r) => r.unit === 'usd')
        .map((r) => ({ id: r.id, name: r.name, kind: r.kind, spentUsd: usd(r.costMicros), connectionId: r.connectionId })),
      hourlySpendUsd: spend.hourlySeries.slice(-SPARKLINE_HOURS).map((b) => ({ start: iso(b.startMs)!, spentUsd: usd(b.costMicros) })),
      coverage,
      dailySpendUsd: dailySpend(counted, spend.period, spend.timeZone, input.nowMs).map((d) => ({
        start: iso(d.startMs)!,
        spentUsd: usd(d.totalMicros),
        byProvider: Object.fromEntries(Object.entries(d.byProvider).map(([provider, micros]) => [provider, usd(micros ?? 0)])),
      })),
      resources: counted
        .flatMap(({ connectionId, report }) =>
          report.resources.map((r) => ({
            id: r.id,
            name: r.name,
            kind: r.kind,
            spentUsd: usd(r.costMicros),
            connectionId,
            dedicated: r.dedicated,
            ...(r.activity.requests === undefined ? {} : { requests: r.activity.requests }),
          })),
        )
        // Ties by name in code-unit order: localeCompare would start ICU's collator (about 9 MB resident) for it.
        .sort((a, b) => b.spentUsd - a.spentUsd || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      ...(history ? historyStatus(history) : {}),
    };
  };
  const workspaces = input.workspaces.map((w) => (input.sections ? input.sections.of(w, () => section(w)) : section(w)));
  const all = input.all(input.workspaces.map((w) => w.spend));
  return {
    generatedAt: new Date(input.nowMs).toISOString(),
    ...(input.demo ? { demo: true } : {}),
    workspaces,
    all: { spentUsd: usd(all.spentMicros), burnRateUsdPerHour: usd(all.microsPerHour), projectedUsd: usd(all.projectedMicros) },
  };
}
