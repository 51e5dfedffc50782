/**
 * Writes one fetch's buckets to the spend database (main/services/spendDbReports.ts): the total
 * buckets under resource id `''`, each resource's series under `r:<id>`. Series are written one at a
 * time, so a save holds at most one resource's buckets as objects (a packed series,
 * main/core/compactSeries.ts, is unpacked only while it is written), and a refresh of the same
 * period is diffed series by series against what this process last wrote, merging the two sorted
 * lists: only changed rows are written, rows no longer reported are deleted.
 */
import type { StatementSync } from 'node:sqlite';
import type { ResourceBucket, UsageReport } from '../core/report';

/** `resource_id` of a connection's total buckets; resources get `r:<id>`. */
export const TOTAL_ID = '';
/** The `resource_id` of a resource's series. */
export const resourceKey = (id: string): string => `r:${id}`;

/** One series of a report to write: its `resource_id` and a way to read its buckets (a packed series unpacks on read). */
interface SeriesSource {
  readonly resourceId: string;
  readonly read: () => readonly ResourceBucket[];
}

/** The series of a report in write order: the totals, then each resource with a series. */
function seriesOf(report: UsageReport): SeriesSource[] {
  const sources: SeriesSource[] = [{ resourceId: TOTAL_ID, read: () => report.buckets }];
  for (const resource of report.resources) {
    // Asked without reading it: a packed or stored series is a getter.
    const series = Object.getOwnPropertyDescriptor(resource, 'series');
    if (series?.get !== undefined || series?.value !== undefined) sources.push({ resourceId: resourceKey(resource.id), read: () => resource.series ?? [] });
  }
  return sources;
}

/**
 * The buckets of one series as the database keeps them: one per start, the last one given for a
 * start winning (as the upsert does), ordered by start.
 */
function byStart(buckets: readonly ResourceBucket[]): readonly ResourceBucket[] {
  let sorted = true;
  for (let i = 1; i < buckets.length; i += 1) {
    if (!(buckets[i]!.startMs > buckets[i - 1]!.startMs)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return buckets;
  const last = new Map<number, ResourceBucket>();
  for (const bucket of buckets) last.set(bucket.startMs, bucket);
  return [...last.values()].sort((a, b) => a.startMs - b.startMs);
}

/** What the writer needs of the session. */
export interface BucketStatements {
  statement(sql: string): StatementSync;
}

/**
 * Writes the buckets of `report` (period `periodKey`, fetched at `fetchedAtMs`) for a connection.
 * `before` is the report this process last wrote there for the same period, if any: then only the
 * differences are written; else the period's rows are replaced.
 */
export function writeBuckets(db: BucketStatements, connectionId: number, periodKey: string, fetchedAtMs: number, report: UsageReport, before: UsageReport | undefined): void {
  const upsert = db.statement(
    `INSERT INTO buckets (connection_id, period_key, resource_id, start_ms, duration_ms, cost_micros, requests, input_tokens, output_tokens, fetched_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
     ON CONFLICT (connection_id, period_key, resource_id, start_ms) DO UPDATE SET duration_ms = excluded.duration_ms,
       cost_micros = excluded.cost_micros, requests = excluded.requests, fetched_at_ms = excluded.fetched_at_ms`,
  );
  const write = (resourceId: string, bucket: ResourceBucket): void => {
    upsert.run(connectionId, periodKey, resourceId, bucket.startMs, bucket.durationMs, bucket.costMicros, bucket.requests ?? null, fetchedAtMs);
  };
  if (before === undefined) {
    // A period this process has not written: the fetch is the whole truth of it.
    db.statement('DELETE FROM buckets WHERE connection_id = ? AND period_key = ?').run(connectionId, periodKey);
    for (const source of seriesOf(report)) for (const bucket of byStart(source.read())) write(source.resourceId, bucket);
    return;
  }
  // The same period again (a refresh): only the buckets that changed are written, so a refresh
  // costs a few rows (the open hours, revisions), not the month.
  const remove = db.statement('DELETE FROM buckets WHERE connection_id = ? AND period_key = ? AND resource_id = ? AND start_ms = ?');
  const oldSources = new Map<string, SeriesSource>();
  for (const source of seriesOf(before)) oldSources.set(source.resourceId, source);
  const diff = (resourceId: string, next: readonly ResourceBucket[], old: readonly ResourceBucket[]): void => {
    let i = 0;
    let j = 0;
    while (i < next.length || j < old.length) {
      const a = next[i];
      const b = old[j];
      if (b === undefined || (a !== undefined && a.startMs < b.startMs)) {
        write(resourceId, a!);
        i += 1;
      } else if (a === undefined || b.startMs < a.startMs) {
        remove.run(connectionId, periodKey, resourceId, b.startMs);
        j += 1;
      } else {
        if (a.costMicros !== b.costMicros || a.durationMs !== b.durationMs || a.requests !== b.requests) write(resourceId, a);
        i += 1;
        j += 1;
      }
    }
  };
  for (const source of seriesOf(report)) {
    const old = oldSources.get(source.resourceId);
    oldSources.delete(source.resourceId);
    diff(source.resourceId, byStart(source.read()), old === undefined ? [] : byStart(old.read()));
  }
  // Series no longer reported at all: their rows go.
  for (const old of oldSources.values()) diff(old.resourceId, [], byStart(old.read()));
}
