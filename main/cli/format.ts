/**
 * The human-readable table of `burnrate status` (without --json).
 */
import type { StatusDocument } from '../../preload/api';
import { formatUsd } from '../core/money';

/**
 * Formats dollars (major units, as in the status document) with cents and thousands separators;
 * the same formatter as the notifications, so both always agree.
 * @example usd(1247.83) //=> '$1,247.83'
 */
export function usd(value: number | null): string {
  return value === null ? '—' : formatUsd(Math.round(value * 1_000_000));
}

function pad(text: string, width: number, right = false): string {
  const gap = Math.max(0, width - [...text].length);
  return right ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => [...(row[col] ?? '')].length)));
  return rows.map((row) => row.map((cell, col) => pad(cell, widths[col]!, rightAligned.has(col))).join('  ').trimEnd()).join('\n');
}

/** True when connections exist but none has reported any spend yet (all failed, no cached data): totals are unknown, not zero. */
export function hasNoData(workspace: StatusDocument['workspaces'][number]): boolean {
  return workspace.connections.length > 0 && workspace.connections.every((c) => c.spentUsd === null && c.spentCredits === null);
}

/** Renders the status document as a compact table: one row per workspace, then its connections. */
export function formatStatusTable(status: StatusDocument): string {
  const lines: string[] = [];
  if (status.demo) lines.push('Demo data: numbers from the built-in fake providers, not real spend.', '');
  const rows: string[][] = [['WORKSPACE', 'SPENT', 'BURN/H', 'PROJECTED', 'BUDGET', 'STATUS']];
  for (const w of status.workspaces) {
    const failing = w.connections.filter((c) => c.status === 'error').length;
    // Nothing known is not $0.00: the JSON keeps its numbers, people get a dash.
    const known = !hasNoData(w);
    const budget = w.budget ? (known ? `${w.budget.usedPercent.toFixed(1)}% of ${usd(w.budget.amountUsd)}` : `? of ${usd(w.budget.amountUsd)}`) : 'no budget';
    rows.push([
      w.name,
      known ? usd(w.spentUsd) : '—',
      known ? usd(w.burnRateUsdPerHour) : '—',
      known ? `${usd(w.projectedUsd)} (${w.projectionMethod})` : '—',
      budget,
      failing > 0 ? `${failing} failing` : 'ok',
    ]);
  }
  lines.push(table(rows, new Set([1, 2, 3])));
  for (const w of status.workspaces) {
    lines.push('', `${w.name} (${w.id}), period ${w.period.start.slice(0, 10)} to ${w.period.end.slice(0, 10)}:`);
    const connectionRows: string[][] = [['  CONNECTION', 'PROVIDER', 'STATUS', 'SPENT', 'DATA THROUGH', 'DETAIL']];
    for (const c of w.connections) {
      const spent = c.spentUsd !== null ? usd(c.spentUsd) : c.spentCredits !== null ? `${c.spentCredits.toFixed(2)} credits` : '—';
      const status = c.status === 'error' ? (c.stale ? 'error (stale)' : 'error') : c.stale ? 'ok (cached)' : 'ok';
      const detail = c.error ? `${c.error.kind}: ${c.error.message}` : (c.topResources[0] ? `top: ${c.topResources[0].name} ${usd(c.topResources[0].spentUsd)}` : '');
      connectionRows.push([`  ${c.id}`, c.provider, status, spent, c.dataThrough ? `${c.dataThrough.slice(0, 16).replace('T', ' ')} UTC` : '—', detail]);
    }
    lines.push(table(connectionRows, new Set([3])));
    if (w.budget?.crossesAt) lines.push(`  At this pace the budget is crossed at ${w.budget.crossesAt.slice(0, 16).replace('T', ' ')} UTC.`);
  }
  return `${lines.join('\n')}\n`;
}
