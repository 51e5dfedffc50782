/**
 * The tray's text: live spend and pace of the selected workspace (or of all workspaces), short
 * enough for a menu bar, plus a longer tooltip, and the icon state. Pure formatting of a
 * StatusDocument.
 */
import type { AppSnapshot, TrayTitleFormat, WorkspaceStatus } from '../../preload/api';
import { formatUsdShort } from './money';

/** Marks demo numbers in the menu-bar title, so they are never mistaken for real spend. */
export const DEMO_MARKER = 'DEMO';

/**
 * Title and tooltip for the tray, the title in the chosen format:
 * `spend-pace` "$1,248 · $12.40/h", `spend` "$1,248", `pace` "$12.40/h", `projected` "→ $2,496",
 * `budget-percent` "62%" (of the budget; spend when there is none), `icon-only` "".
 * Demo data puts {@link DEMO_MARKER} first ("DEMO $1,248 · $12.40/h"; "DEMO" alone when icon-only).
 * An exhausted budget is marked "⚠ ", a failing connection "! ". Before any connection has
 * answered (none fetched, none failed) the value is "…" rather than a misleading "$0.00".
 * @example trayText(snapshot, 'spend').title //=> '$1,248'
 */
export function trayText(snapshot: AppSnapshot, format: TrayTitleFormat = 'spend-pace'): { title: string; tooltip: string } {
  const { status, selectedWorkspaceId } = snapshot;
  const demo = status.demo ? ' (demo data)' : '';
  const selected = status.workspaces.find((w) => w.id === selectedWorkspaceId);
  if (status.workspaces.length === 0) return { title: status.demo ? DEMO_MARKER : '', tooltip: `Burnrate: no workspaces configured${demo}` };
  const shown = selected ? [selected] : status.workspaces;
  const spent = selected ? selected.spentUsd : (status.all?.spentUsd ?? sum(status.workspaces, (w) => w.spentUsd));
  const rate = selected
    ? selected.burnRateUsdPerHour
    : (status.all?.burnRateUsdPerHour ?? sum(status.workspaces, (w) => w.burnRateUsdPerHour));
  const projected = selected ? selected.projectedUsd : (status.all?.projectedUsd ?? sum(status.workspaces, (w) => w.projectedUsd));
  const trouble = shown.some((w) => w.connections.some((c) => c.status === 'error'));
  const over = shown.some((w) => (w.budget?.usedPercent ?? 0) >= 100);
  const mark = over ? '⚠ ' : trouble ? '! ' : '';
  const budgeted = shown.filter((w) => w.budget !== null && w.budget.amountUsd > 0);
  const budgetPercent = budgeted.length > 0 ? (sum(budgeted, (w) => w.spentUsd) / sum(budgeted, (w) => w.budget?.amountUsd ?? 0)) * 100 : null;
  // A partial total (connections left out of it) reads "≥$X": the real spend is at least that.
  const partial = shown.some((w) => w.coverage.connectionsOk < w.coverage.connectionsTotal);
  const spentText = `${partial ? '≥' : ''}${formatUsdShort(spent)}`;
  // Before the first answer (nothing fetched, nothing failed) there is no number to show yet.
  const loading = shown.every((w) => w.coverage.connectionsOk === 0 && w.connections.every((c) => c.fetchedAt === null && c.status === 'ok'));
  const value = ((): string => {
    if (loading) return format === 'icon-only' ? '' : '…';
    switch (format) {
      case 'spend':
        return spentText;
      case 'pace':
        return `${formatUsdShort(rate)}/h`;
      case 'projected':
        return `→ ${formatUsdShort(projected)}`;
      case 'budget-percent':
        return budgetPercent === null ? spentText : `${Math.round(budgetPercent)}%`;
      case 'icon-only':
        return '';
      case 'spend-pace':
        return `${spentText} · ${formatUsdShort(rate)}/h`;
    }
  })();
  const title = format === 'icon-only' ? (status.demo ? DEMO_MARKER : '') : `${status.demo ? `${DEMO_MARKER} ` : ''}${mark}${value}`;
  const lines = shown.map((w) => workspaceLine(w));
  return { title, tooltip: [`Burnrate${demo}`, ...lines].join('\n') };
}

/** What the tray icon shows, most urgent first: over budget, a threshold reached, stale or failing data, or normal. */
export type TrayIconState = 'over' | 'warning' | 'stale' | 'normal';

/**
 * The icon state of the selected workspace (or of all): `over` when a budget is used up,
 * `warning` at or above its lowest threshold, `stale` when a connection failed or shows cached
 * numbers (or the configuration is broken), else `normal`.
 * @example trayIconState(snapshotAt62PercentWithThresholds50) //=> 'warning'
 */
export function trayIconState(snapshot: AppSnapshot): TrayIconState {
  const { status, selectedWorkspaceId } = snapshot;
  const selected = status.workspaces.find((w) => w.id === selectedWorkspaceId);
  const shown = selected ? [selected] : status.workspaces;
  if (shown.some((w) => (w.budget?.usedPercent ?? 0) >= 100)) return 'over';
  const warning = shown.some((w) => {
    const thresholds = w.budget?.thresholdsPercent ?? [];
    return w.budget !== null && thresholds.length > 0 && w.budget.usedPercent >= Math.min(...thresholds);
  });
  if (warning) return 'warning';
  if (snapshot.setup?.mode === 'invalid') return 'stale';
  if (shown.some((w) => w.connections.some((c) => c.status === 'error' || c.stale === true))) return 'stale';
  return 'normal';
}

function workspaceLine(w: WorkspaceStatus): string {
  const budget = w.budget ? ` · ${Math.round(w.budget.usedPercent)}% of ${formatUsdShort(w.budget.amountUsd)}` : '';
  const partial =
    w.coverage.connectionsOk < w.coverage.connectionsTotal
      ? ` (partial: ${w.coverage.connectionsOk} of ${w.coverage.connectionsTotal} connections)`
      : '';
  return `${w.name}: ${formatUsdShort(w.spentUsd)} spent${partial} · ${formatUsdShort(w.burnRateUsdPerHour)}/h · ~${formatUsdShort(w.projectedUsd)} projected${budget}`;
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
