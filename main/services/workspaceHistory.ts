/**
 * A workspace's time dimension for the status document: its past periods from the spend
 * database, and this period vs. the same point of the last one from the reports in memory.
 */
import { pastPeriods, samePointLastPeriod, type PastPeriod, type PeriodComparison } from '../core/history';
import type { WorkspaceSpend } from '../core/spendTypes';
import { workspacePeriodSpec } from '../core/workspace';
import type { Logger } from './ports';
import type { RuntimeStore } from './spendStore';
import { previousPeriodOf, type WorkspaceRuntime } from './workspaceState';

/** Past periods shown at most (a year of months). */
export const HISTORY_PERIODS = 12;

/** One stored total of the database, keyed `<workspace>/<connection>`. */
export interface StoredTotalRow {
  readonly key: string;
  readonly periodKey: string;
  readonly totalMicros: number;
}

/** What {@link workspaceHistory} finds. */
export interface WorkspaceHistory {
  readonly history: readonly PastPeriod[];
  readonly comparison: PeriodComparison | null;
}

/** The history and comparison of `ws` at `nowMs`, from `rows` (the stored totals of its connections, or of the whole config). */
export function workspaceHistory(ws: WorkspaceRuntime, spend: WorkspaceSpend, nowMs: number, rows: readonly StoredTotalRow[]): WorkspaceHistory {
  const workspace = ws.config.workspace;
  const prefix = `${workspace.id}/`;
  const spec = workspacePeriodSpec(workspace);
  const history = pastPeriods({
    totals: rows.filter((row) => row.key.startsWith(prefix)).map((row) => ({ connectionId: row.key.slice(prefix.length), periodKey: row.periodKey, totalMicros: row.totalMicros })),
    current: spend.period,
    timeZone: spend.timeZone,
    period: spec.period,
    cycleStartDay: spend.period.cycleStartDay,
    budgetMicros: workspace.budget?.amountMicros ?? null,
    limit: HISTORY_PERIODS,
  });
  const previous = previousPeriodOf(ws, nowMs);
  const connections = ws.states.flatMap((state) => {
    const line = spend.connections.find((c) => c.connectionId === state.connection.id);
    const current = state.current?.report;
    if (line?.status !== 'ok' || line.unit !== 'usd' || !current) return [];
    const before = state.previous?.report;
    const fits = before !== undefined && state.previous?.periodKey === previous.key;
    return [{ current, previous: fits ? before : null }];
  });
  return { history, comparison: samePointLastPeriod({ current: spend.period, previous, nowMs, connections }) };
}

/**
 * {@link workspaceHistory} per workspace, made again only when the workspace's summary or its own
 * stored totals changed (a refresh of one connection, or a save touching its rows): the
 * comparison walks this period's and the last one's series, which a `watch` round must not do for
 * every workspace at every connection's refresh. The summary is made again each minute, and so is this.
 */
export class HistoryMemo {
  private readonly last = new WeakMap<WorkspaceRuntime, { readonly spend: WorkspaceSpend; readonly rows: readonly StoredTotalRow[]; readonly history: WorkspaceHistory }>();
  private grouped: { readonly rows: readonly StoredTotalRow[]; readonly byWorkspace: Map<string, StoredTotalRow[]> } | undefined;

  /** The history of `ws` (see {@link workspaceHistory}); `rows` are every stored total of the config. */
  of(ws: WorkspaceRuntime, spend: WorkspaceSpend, nowMs: number, rows: readonly StoredTotalRow[]): WorkspaceHistory {
    const own = this.rowsOf(ws.config.workspace.id, rows);
    const last = this.last.get(ws);
    if (last && last.spend === spend && sameRows(last.rows, own)) return last.history;
    const history = workspaceHistory(ws, spend, nowMs, own);
    this.last.set(ws, { spend, rows: own, history });
    return history;
  }

  /** The rows of one workspace, grouped once per set of rows. */
  private rowsOf(workspaceId: string, rows: readonly StoredTotalRow[]): readonly StoredTotalRow[] {
    if (this.grouped?.rows !== rows) {
      const byWorkspace = new Map<string, StoredTotalRow[]>();
      for (const row of rows) {
        const id = row.key.slice(0, row.key.indexOf('/'));
        const list = byWorkspace.get(id);
        if (list) list.push(row);
        else byWorkspace.set(id, [row]);
      }
      this.grouped = { rows, byWorkspace };
    }
    return this.grouped.byWorkspace.get(workspaceId) ?? [];
  }
}

const sameRows = (a: readonly StoredTotalRow[], b: readonly StoredTotalRow[]): boolean =>
  a.length === b.length && a.every((row, i) => row.key === b[i]!.key && row.periodKey === b[i]!.periodKey && row.totalMicros === b[i]!.totalMicros);

/**
 * The stored totals of the store (the history), read again only after a save: the query scans
 * the buckets, and past periods change only when a refresh saved something.
 */
export class StoredTotals {
  private cached: readonly StoredTotalRow[] | undefined;

  constructor(
    private readonly store: RuntimeStore | undefined,
    private readonly logger: Logger,
  ) {}

  /** The next {@link rows} reads the store again. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** Every stored total (empty without a store, or when the read fails: logged). */
  rows(): readonly StoredTotalRow[] {
    if (this.cached === undefined) {
      let rows: readonly StoredTotalRow[] = [];
      try {
        rows = this.store?.periodTotals?.() ?? [];
      } catch (error) {
        this.logger.warn('Could not read the spend history.', { message: (error as Error).message });
      }
      this.cached = rows;
    }
    return this.cached;
  }
}
