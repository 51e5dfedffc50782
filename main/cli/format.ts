/**
 * The human-readable output of `burnrate status` (without --json): local times with their zone,
 * periods as "Nov 1 – Nov 30", a totals row, and a STATUS column that names the risk.
 */
import { DateTime } from 'luxon';
import { zoneFor } from '../core/zones';
import { localZone } from '../services/systemZones';
import type { StatusDocument, WorkspaceStatus } from '../../preload/api';
import { formatUsd } from '../core/money';
import { plain, visibleLength, type Paint, type Style } from './color';

/**
 * Formats dollars (major units, as in the status document) with cents and thousands separators;
 * the same formatter as the notifications, so both always agree.
 * @example usd(1247.83) //=> '$1,247.83'
 */
export function usd(value: number | null): string {
  return value === null ? '—' : formatUsd(Math.round(value * 1_000_000));
}

/** A cell: text and an optional style (applied after padding, so columns line up). */
type Cell = string | { readonly text: string; readonly style?: Style | readonly Style[] };

function table(rows: readonly Cell[][], rightAligned: ReadonlySet<number>, paint: Paint): string {
  const text = (cell: Cell | undefined) => (cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text);
  // A loop, not Math.max(...rows): spreading many rows overflows the call stack.
  const widths = rows[0]!.map((_, col) => rows.reduce((widest, row) => Math.max(widest, visibleLength(text(row[col]))), 0));
  return rows
    .map((row) =>
      row
        .map((cell, col) => {
          const value = text(cell);
          const gap = ' '.repeat(Math.max(0, widths[col]! - visibleLength(value)));
          const painted = typeof cell === 'string' || !cell.style ? value : paint(cell.style, value);
          return rightAligned.has(col) ? gap + painted : painted + gap;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** True when connections exist but none has reported any spend yet (all failed, no cached data): totals are unknown, not zero. */
export function hasNoData(workspace: StatusDocument['workspaces'][number]): boolean {
  return workspace.connections.length > 0 && workspace.connections.every((c) => c.spentUsd === null && c.spentCredits === null);
}

/**
 * A local date and time with the zone, e.g. "Nov 26 14:05 CET" (the system's zone unless given).
 * @example localTime('2026-11-26T13:05:00Z', 'Europe/Berlin') //=> 'Nov 26 14:05 GMT+1'
 */
export function localTime(iso: string, zone?: string): string {
  const time = DateTime.fromISO(iso, { zone: zone === undefined ? localZone() : zoneFor(zone) });
  return time.toFormat('LLL d HH:mm ZZZZ');
}

/**
 * A period, end exclusive, in the workspace's zone: {Nov 1, Dec 1} reads "Nov 1 – Nov 30".
 * @example periodText({ start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z', timeZone: 'UTC' }) //=> 'Nov 1 – Nov 30'
 */
export function periodText(period: WorkspaceStatus['period']): string {
  const zone = zoneFor(period.timeZone ?? 'UTC');
  const start = DateTime.fromISO(period.start, { zone });
  const last = DateTime.fromISO(period.end, { zone }).minus({ milliseconds: 1 });
  const from = start.toFormat('LLL d');
  const to = last.toFormat(start.year === last.year ? 'LLL d' : 'LLL d yyyy');
  return from === to ? from : `${from} – ${to}`;
}

/**
 * A duration ahead, for people.
 * @example durationText(3 * 3_600_000 + 40 * 60_000) //=> '3 h 40 min'
 */
export function durationText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 > 0 ? `${days} days ${hours % 24} h` : `${days} days`;
}

/** The risk of a workspace in words, with its tone: "over pace · crosses in 3 h 40 min". */
export function riskText(workspace: WorkspaceStatus, nowIso: string): { text: string; style: Style } {
  const failing = workspace.connections.filter((c) => c.status === 'error').length;
  const failingText = failing > 0 ? `${failing} failing` : null;
  const parts: string[] = [];
  let style: Style = 'green';
  const budget = workspace.budget;
  if (hasNoData(workspace)) {
    parts.push(failingText ?? 'no data yet');
    return { text: parts.join(' · '), style: 'red' };
  }
  if (budget) {
    const over = Math.round(workspace.spentUsd * 1e6) >= Math.round(budget.amountUsd * 1e6);
    if (over) {
      parts.push('over budget');
      style = 'red';
    } else if (budget.crossesAt) {
      parts.push(`over pace · crosses in ${durationText(Date.parse(budget.crossesAt) - Date.parse(nowIso))}`);
      style = 'red';
    } else if (budget.projectedPercent >= 100) {
      parts.push('over pace');
      style = 'red';
    } else if (budget.projectedPercent >= 90) {
      parts.push('near budget');
      style = 'yellow';
    }
  }
  if (failingText) {
    parts.push(failingText);
    if (style === 'green') style = 'yellow';
  }
  return { text: parts.length > 0 ? parts.join(' · ') : 'ok', style };
}

/** Renders the status document as tables: one row per workspace and a total, then each workspace's connections. */
export function formatStatusTable(status: StatusDocument, paint: Paint = plain): string {
  const lines: string[] = [];
  if (status.demo) lines.push(paint('yellow', 'Demo data: numbers from the built-in fake providers, not real spend.'), '');
  const header = ['WORKSPACE', 'SPENT', 'BURN/H', 'PROJECTED', 'BUDGET USED', 'STATUS'].map((text) => ({ text, style: 'bold' as const }));
  const rows: Cell[][] = [header];
  for (const w of status.workspaces) {
    // Nothing known is not $0.00: the JSON keeps its numbers, people get a dash.
    const known = !hasNoData(w);
    const budget = w.budget ? (known ? `${w.budget.usedPercent.toFixed(1)}% of ${usd(w.budget.amountUsd)}` : `? of ${usd(w.budget.amountUsd)}`) : 'no budget';
    const risk = riskText(w, status.generatedAt);
    const partial = w.coverage.connectionsOk < w.coverage.connectionsTotal ? ` (partial ${w.coverage.connectionsOk}/${w.coverage.connectionsTotal})` : '';
    rows.push([w.name, known ? `${usd(w.spentUsd)}${partial}` : '—', known ? usd(w.burnRateUsdPerHour) : '—', known ? `${usd(w.projectedUsd)} (${w.projectionMethod})` : '—', budget, { text: risk.text, style: risk.style }]);
  }
  if (status.workspaces.length > 0) {
    const known = status.workspaces.filter((w) => !hasNoData(w));
    const sum = (pick: (w: WorkspaceStatus) => number) => known.reduce((total, w) => total + Math.round(pick(w) * 1e6), 0) / 1e6;
    const partial = known.length < status.workspaces.length;
    // Nothing known is not $0.00 here either.
    const total = (pick: (w: WorkspaceStatus) => number) => (known.length === 0 ? '—' : usd(sum(pick)));
    rows.push([
      { text: 'TOTAL', style: 'bold' },
      { text: total((w) => w.spentUsd), style: 'bold' },
      total((w) => w.burnRateUsdPerHour),
      total((w) => w.projectedUsd),
      '',
      partial ? 'partial: a workspace has no data' : '',
    ]);
  }
  lines.push(table(rows, new Set([1, 2, 3]), paint));
  for (const w of status.workspaces) {
    lines.push('', `${paint('bold', w.name)} (${w.id}), ${periodText(w.period)}:`);
    const connectionRows: Cell[][] = [['  CONNECTION', 'PROVIDER', 'STATUS', 'SPENT', 'DATA THROUGH', 'DETAIL'].map((text) => ({ text, style: 'dim' as const }))];
    for (const c of w.connections) {
      const spent = c.spentUsd !== null ? usd(c.spentUsd) : c.spentCredits !== null ? `${c.spentCredits.toFixed(2)} credits` : '—';
      const state = c.status === 'error' ? (c.stale ? 'error (stale)' : 'error') : c.stale ? 'ok (cached)' : 'ok';
      const detail = c.error ? `${c.error.kind}: ${c.error.message}` : c.topResources[0] ? `top: ${c.topResources[0].name} ${usd(c.topResources[0].spentUsd)}` : '';
      connectionRows.push([
        `  ${c.id}`,
        c.providerName ?? c.provider,
        { text: state, style: c.status === 'error' ? 'red' : c.stale ? 'yellow' : 'green' },
        spent,
        c.dataThrough ? localTime(c.dataThrough) : '—',
        c.error ? { text: detail, style: 'red' } : detail,
      ]);
    }
    lines.push(table(connectionRows, new Set([3]), paint));
    for (const excluded of w.coverage.excluded) lines.push(paint('yellow', `  Not in the total: ${excluded.id}: ${excluded.reason}`));
    if (w.budget?.crossesAt) {
      lines.push(paint('red', `  At this pace the budget is crossed in ${durationText(Date.parse(w.budget.crossesAt) - Date.parse(status.generatedAt))}, at ${localTime(w.budget.crossesAt)}.`));
    }
  }
  return `${lines.join('\n')}\n`;
}
