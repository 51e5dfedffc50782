/**
 * Spend export rows (`burnrate export`, `GET /api/export.csv`): one row per connection and cost
 * bucket, in integer micro-USD. Pure.
 *
 * The rows of a connection add up to exactly the total its status shows (`spentUsd`): when a
 * provider's own total differs from the sum of its buckets (a total above its time series, an
 * "Other" line), the difference gets one more row over the report's range, marked
 * `unallocated`, instead of silently disagreeing with `status`.
 */
import type { TimeRange, UsageReport } from './report';

/** One connection's report to export. */
export interface ExportInput {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly provider: string;
  /** The range the rows are for (the workspace's current period by default). */
  readonly range: TimeRange;
  /** The report counted for that range, or null when there is none. */
  readonly report: UsageReport | null;
  /** The report is the last good one (the latest refresh failed or has not run yet). */
  readonly stale: boolean;
}

/** One exported row. Money in integer micro-USD, instants epoch ms, `[startMs, endMs)`. */
export interface ExportRow {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly provider: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly costMicros: number;
  readonly stale: boolean;
  /** Empty for a bucket; `unallocated` for the row that reconciles the provider's total. */
  readonly note: '' | 'unallocated';
}

const overlaps = (a: TimeRange, b: TimeRange): boolean => a.endMs > b.startMs && a.startMs < b.endMs;

/**
 * Rows of the USD reports that count for their range (credits-only reports and connections
 * without data have no dollar rows), oldest bucket first per connection.
 * @example exportRows([{ ..., report: { totalMicros: 3_000_000, buckets: [{ costMicros: 1_000_000, ... }, { costMicros: 2_000_000, ... }] } }]).length //=> 2
 */
export function exportRows(inputs: readonly ExportInput[]): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const input of inputs) {
    const report = input.report;
    if (!report || report.unit !== 'usd' || !overlaps(report.range, input.range)) continue;
    const base = { workspaceId: input.workspaceId, connectionId: input.connectionId, provider: input.provider, stale: input.stale };
    let sum = 0;
    for (const bucket of [...report.buckets].sort((a, b) => a.startMs - b.startMs)) {
      if (bucket.costMicros === 0) continue;
      rows.push({ ...base, startMs: bucket.startMs, endMs: bucket.startMs + bucket.durationMs, costMicros: bucket.costMicros, note: '' });
      sum += bucket.costMicros;
    }
    const rest = report.totalMicros - sum;
    if (rest !== 0) {
      const endMs = Math.max(report.range.startMs, Math.min(report.range.endMs, report.dataThroughMs ?? report.range.endMs));
      rows.push({ ...base, startMs: report.range.startMs, endMs: endMs > report.range.startMs ? endMs : report.range.endMs, costMicros: rest, note: 'unallocated' });
    }
  }
  return rows;
}

/**
 * Exact decimal dollars from micro-USD, six decimals, no float rounding.
 * @example microsToDecimal(-1_500_001) //=> '-1.500001'
 */
export function microsToDecimal(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** CSV columns of the export, in order. */
export const EXPORT_COLUMNS = ['workspace_id', 'connection_id', 'provider', 'start', 'end', 'cost_usd', 'stale', 'note'] as const;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The rows as CSV (RFC 4180, CRLF-free: one `\n` per line), with a header row; instants ISO-8601 UTC.
 * @example exportCsv([]) //=> 'workspace_id,connection_id,provider,start,end,cost_usd,stale,note\n'
 */
export function exportCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [row.workspaceId, row.connectionId, row.provider, new Date(row.startMs).toISOString(), new Date(row.endMs).toISOString(), microsToDecimal(row.costMicros), String(row.stale), row.note]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The rows as JSON objects with the CSV's column names (`cost_usd` a number with 6 decimals). */
export function exportJson(rows: readonly ExportRow[]): string {
  return `${JSON.stringify(
    rows.map((row) => ({
      workspace_id: row.workspaceId,
      connection_id: row.connectionId,
      provider: row.provider,
      start: new Date(row.startMs).toISOString(),
      end: new Date(row.endMs).toISOString(),
      cost_usd: Number(microsToDecimal(row.costMicros)),
      stale: row.stale,
      note: row.note,
    })),
    null,
    2,
  )}\n`;
}
