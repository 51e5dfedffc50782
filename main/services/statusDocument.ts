/**
 * Maps the engine's roll-up (integer micros, epoch ms) to the StatusDocument contract
 * (`status --json`, `GET /api/status`, the popover): USD as numbers rounded to 6 decimals,
 * percentages to 2 decimals, instants as ISO-8601 UTC. Every message is redacted once more.
 */
import type { ConnectionStatus, ResourceStatus, StatusDocument, StatusErrorKind, WorkspaceStatus } from '../../preload/api';
import { microsToUnits } from '../core/money';
import { redact } from '../core/redact';
import type { AllWorkspacesSpend, WorkspaceSpend } from '../core/spend';
import { adapterFor } from '../providers/registry';
import type { ConnectionConfig, WorkspaceConfig } from './config';
import type { StoredReport } from './snapshotStore';

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
  readonly workspaces: ReadonlyArray<{ readonly config: WorkspaceConfig; readonly spend: WorkspaceSpend; readonly states: readonly ConnectionRuntimeState[] }>;
  readonly all: (spends: WorkspaceSpend[]) => AllWorkspacesSpend;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const usd = (micros: number): number => microsToUnits(Math.round(micros));
const percent = (value: number): number => Math.round(value * 100) / 100;
/** Hours of hourly spend sent for the sparkline. */
const SPARKLINE_HOURS = 48;

/** Builds the document. */
export function buildStatusDocument(input: StatusInput): StatusDocument {
  const clean = (text: string) => redact(text, input.secrets);
  const workspaces: WorkspaceStatus[] = input.workspaces.map(({ config, spend, states }) => {
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
        ...(notes.length > 0 ? { notes } : {}),
      };
    });
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
    };
  });
  const all = input.all(input.workspaces.map((w) => w.spend));
  return {
    generatedAt: new Date(input.nowMs).toISOString(),
    ...(input.demo ? { demo: true } : {}),
    workspaces,
    all: { spentUsd: usd(all.spentMicros), burnRateUsdPerHour: usd(all.microsPerHour), projectedUsd: usd(all.projectedMicros) },
  };
}
