/**
 * The alert observation the spend-database tests decide on: one workspace, complete, 60 % into a
 * $100 budget for March 2026 with one threshold at 50 %, so evaluating it crosses that threshold
 * (pending first, then notified on the next observation). Used in one process
 * (main/services/spendDb.test.ts, spendStore.test.ts) and across processes (spendDbWorker.ts).
 */
import type { AlertObservation } from '../../main/core/alerts';

/** A threshold-crossing observation of workspace `lab` (or `overrides.workspaceId`) at `nowMs`. */
export function crossingObservation(nowMs: number, overrides: Partial<AlertObservation> = {}): AlertObservation {
  return {
    nowMs,
    workspaceId: 'lab',
    workspaceName: 'Lab',
    period: { key: 'month:2026-03', startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 3, 1) },
    budgetMicros: 100_000_000,
    thresholdsPercent: [50],
    actualSpentMicros: 60_000_000,
    complete: true,
    forecastAlerts: false,
    forecast: null,
    hourlySeries: [],
    resources: [],
    connections: [],
    ...overrides,
  };
}
