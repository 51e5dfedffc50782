/**
 * Tones of the tab badges and budget bars. Apart from summary.ts so the popover's first chunk
 * (tabs) does not carry the summaries, which come with the panel's chunk.
 */
import type { BudgetStatus, ConnectionStatus } from '../../../../preload/api';

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
