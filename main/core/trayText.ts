/**
 * The tray's text: live spend and pace of the selected workspace (or of all workspaces), short
 * enough for a menu bar, plus a longer tooltip. Pure formatting of a StatusDocument.
 */
import type { AppSnapshot, WorkspaceStatus } from '../../preload/api';
import { formatUsdShort } from './money';

/** Title and tooltip for the tray. */
export function trayText(snapshot: AppSnapshot): { title: string; tooltip: string } {
  const { status, selectedWorkspaceId } = snapshot;
  const demo = status.demo ? ' (demo data)' : '';
  const selected = status.workspaces.find((w) => w.id === selectedWorkspaceId);
  if (status.workspaces.length === 0) return { title: '', tooltip: `Burnrate: no workspaces configured${demo}` };
  const spent = selected ? selected.spentUsd : (status.all?.spentUsd ?? sum(status.workspaces, (w) => w.spentUsd));
  const rate = selected
    ? selected.burnRateUsdPerHour
    : (status.all?.burnRateUsdPerHour ?? sum(status.workspaces, (w) => w.burnRateUsdPerHour));
  const trouble = (selected ? [selected] : status.workspaces).some((w) => w.connections.some((c) => c.status === 'error'));
  const over = (selected ? [selected] : status.workspaces).some((w) => (w.budget?.usedPercent ?? 0) >= 100);
  const mark = over ? '⚠ ' : trouble ? '! ' : '';
  const title = `${mark}${formatUsdShort(spent)} · ${formatUsdShort(rate)}/h`;
  const lines = (selected ? [selected] : status.workspaces).map((w) => workspaceLine(w));
  return { title, tooltip: [`Burnrate${demo}`, ...lines].join('\n') };
}

function workspaceLine(w: WorkspaceStatus): string {
  const budget = w.budget ? ` · ${Math.round(w.budget.usedPercent)}% of ${formatUsdShort(w.budget.amountUsd)}` : '';
  return `${w.name}: ${formatUsdShort(w.spentUsd)} spent · ${formatUsdShort(w.burnRateUsdPerHour)}/h · ~${formatUsdShort(w.projectedUsd)} projected${budget}`;
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
