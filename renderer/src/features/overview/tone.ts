/**
 * Tones of the tab badges and budget bars. Apart from summary.ts so the popover's first chunk
 * (tabs) does not carry the summaries, which come with the panel's chunk.
 */
import type { BudgetStatus, ConnectionStatus, WorkspaceStatus } from '../../../../preload/api';

/** Health of a workspace's connections, for the tab badges. */
export function connectionHealth(connections: readonly ConnectionStatus[]): 'ok' | 'stale' | 'error' {
  if (connections.some((c) => c.status === 'error')) return 'error';
  if (connections.some((c) => c.stale)) return 'stale';
  return 'ok';
}

/** Budget tone from the projected percentage: fine, watch, or over. */
export function budgetTone(budget: Pick<BudgetStatus, 'usedPercent' | 'projectedPercent'>): 'ok' | 'warn' | 'over' {
  if (budget.usedPercent >= 100 || budget.projectedPercent >= 100) return 'over';
  if (budget.projectedPercent >= 90) return 'warn';
  return 'ok';
}

/** The flag of a workspace's tab: a failing connection or a budget over pace is danger, stale values or a near budget a warning. */
export function tabFlag(workspace: Pick<WorkspaceStatus, 'connections' | 'budget'>): { readonly flag: 'danger' | 'warn' | null; readonly text: string } {
  const health = connectionHealth(workspace.connections);
  const tone = workspace.budget ? budgetTone(workspace.budget) : 'ok';
  const flag = health === 'error' || tone === 'over' ? 'danger' : health === 'stale' || tone === 'warn' ? 'warn' : null;
  const text = health === 'error' ? 'a connection failed' : tone === 'over' ? 'over budget pace' : health === 'stale' ? 'stale values' : tone === 'warn' ? 'near budget' : '';
  return { flag, text };
}
