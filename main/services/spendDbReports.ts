/**
 * Connections and their cost history in the spend database (main/services/spendDb.ts): one row per
 * connection, one per fetch (metadata and the report's non-bucket facts), and its buckets at the
 * provider's finest granularity, per resource. A report is rebuilt from them on load; on save only
 * what changed since this process last read or wrote it is written (a refresh costs a few rows).
 */
import type { StatementSync } from 'node:sqlite';
import type { ResourceBucket, ResourceUsage, UsageReport } from '../core/report';
import type { StoredReport } from './snapshotStore';
import { fieldsWithoutSeries } from '../core/compactSeries';
import { lazySeries, seriesInMemory } from './spendDbLazy';
import { resourceKey, TOTAL_ID, writeBuckets } from './spendDbWrite';
import type { SpendDbSession } from './spendDbSession';

/** What the database keeps about one connection. */
export interface StoredConnection {
  readonly provider: string;
  /** The connection settings' fingerprint: cached data of an edited connection is not shown. */
  readonly fingerprint: string;
  readonly current?: StoredReport;
  readonly previous?: StoredReport;
  readonly failingSinceMs?: number;
}

/** A resource as stored in a fetch's header: its series lives in the buckets table. */
type HeaderResource = Omit<ResourceUsage, 'series'> & { readonly seriesStored?: true };

interface FetchHeader {
  readonly resources: readonly HeaderResource[];
  readonly extras: UsageReport['extras'];
  readonly notes: readonly string[];
}

interface FetchRow {
  readonly slot: 'current' | 'previous';
  readonly period_key: string;
  readonly range_start_ms: number;
  readonly range_end_ms: number;
  readonly fetched_at_ms: number;
  readonly unit: 'usd' | 'credits';
  readonly total_micros: number;
  readonly granularity_ms: number;
  readonly data_through_ms: number | null;
  readonly header: string;
}

/** A bucket row as an array: resource_id, start_ms, duration_ms, cost_micros, requests. */
type BucketRow = readonly [string, number, number, number, number | null];

/**
 * Every row of `statement` as an array. A warm start reads tens of thousands of buckets, and
 * node:sqlite makes array rows several times faster than objects (`setReturnArrays`, where
 * this Node has it; else the objects' values, in the SELECT's column order).
 */
function allAsArrays(statement: StatementSync, ...params: Array<string | number>): unknown[][] {
  const arrays = statement as StatementSync & { setReturnArrays?: (enabled: boolean) => void };
  if (typeof arrays.setReturnArrays !== 'function') return statement.all(...params).map((row) => Object.values(row));
  arrays.setReturnArrays(true);
  return statement.all(...params) as unknown as unknown[][];
}

/** `resource_id` of a connection's total buckets; resources get `r:<id>` ({@link resourceKey}). */
const TOTAL = TOTAL_ID;

/** The connection, fetch and bucket tables of one {@link SpendDbSession}. */
export class ReportTables {
  /** What was last written per (namespace, key): unchanged reports are not written again. */
  private readonly written = new Map<string, StoredConnection>();
  /** Reports whose per-resource series stay in the database (see releasePreviousSeries). */
  private readonly released = new WeakSet<StoredReport>();

  constructor(private readonly session: SpendDbSession) {}

  private statement(sql: string): StatementSync {
    return this.session.statement(sql);
  }

  /** Every stored connection of `namespace`, keyed `<workspace>/<connection>`, with its reports rebuilt from the buckets. */
  loadConnections(namespace: string): Record<string, StoredConnection> {
    const result: Record<string, StoredConnection> = {};
    const rows = this.statement('SELECT id, key, provider, fingerprint, failing_since_ms FROM connections WHERE namespace = ?').all(namespace) as Array<{
      id: number;
      key: string;
      provider: string;
      fingerprint: string;
      failing_since_ms: number | null;
    }>;
    for (const row of rows) {
      const fetches = this.statement('SELECT * FROM fetches WHERE connection_id = ?').all(row.id) as unknown as FetchRow[];
      let current: StoredReport | undefined;
      let previous: StoredReport | undefined;
      for (const fetch of fetches) {
        const stored = this.readReport(row.id, row.provider, fetch);
        this.released.add(stored);
        if (fetch.slot === 'current') current = stored;
        else previous = stored;
      }
      const entry: StoredConnection = {
        provider: row.provider,
        fingerprint: row.fingerprint,
        ...(current ? { current } : {}),
        ...(previous ? { previous } : {}),
        ...(row.failing_since_ms === null ? {} : { failingSinceMs: row.failing_since_ms }),
      };
      result[row.key] = entry;
      this.written.set(`${namespace}\0${row.key}`, { ...entry });
    }
    return result;
  }

  /**
   * Rebuilds one fetch's report. Its total buckets are read now; the per-resource series (most of
   * the rows: tens of thousands on a busy month) are read on first use, all of the fetch's at
   * once ({@link lazySeries}). A start that only shows the stored numbers never reads them: the
   * summaries need the totals, the per-resource costs (in the fetch's header) and the series
   * of fresh reports only.
   */
  private readReport(connectionId: number, provider: string, fetch: FetchRow): StoredReport {
    const header = JSON.parse(fetch.header) as FetchHeader;
    const totals = allAsArrays(
      this.statement('SELECT start_ms, duration_ms, cost_micros FROM buckets WHERE connection_id = ? AND period_key = ? AND resource_id = ? ORDER BY start_ms'),
      connectionId,
      fetch.period_key,
      TOTAL,
    ) as unknown as Array<readonly [number, number, number]>;
    const buckets: ResourceBucket[] = totals.map(([startMs, durationMs, costMicros]) => ({ startMs, durationMs, costMicros }));
    let seriesByResource: Map<string, ResourceBucket[]> | undefined;
    const seriesOf = (resourceId: string): ResourceBucket[] => {
      seriesByResource ??= this.resourceSeries(connectionId, fetch.period_key);
      return seriesByResource.get(resourceKey(resourceId)) ?? [];
    };
    const resources: ResourceUsage[] = header.resources.map((resource) => {
      const { seriesStored, ...rest } = resource;
      return seriesStored ? lazySeries(rest, () => seriesOf(resource.id)) : rest;
    });
    const report: UsageReport = {
      provider,
      range: { startMs: fetch.range_start_ms, endMs: fetch.range_end_ms },
      unit: fetch.unit,
      totalMicros: fetch.total_micros,
      granularityMs: fetch.granularity_ms,
      buckets,
      resources,
      dataThroughMs: fetch.data_through_ms,
      extras: header.extras,
      notes: header.notes,
    };
    return { periodKey: fetch.period_key, fetchedAtMs: fetch.fetched_at_ms, report };
  }

  /** Every per-resource series of one stored period of a connection, by `r:<id>`, oldest first. */
  private resourceSeries(connectionId: number, periodKey: string): Map<string, ResourceBucket[]> {
    const rows = allAsArrays(
      this.statement('SELECT resource_id, start_ms, duration_ms, cost_micros, requests FROM buckets WHERE connection_id = ? AND period_key = ? AND resource_id > ? ORDER BY resource_id, start_ms'),
      connectionId,
      periodKey,
      TOTAL,
    ) as unknown as BucketRow[];
    const byResource = new Map<string, ResourceBucket[]>();
    let id: string | undefined;
    let list: ResourceBucket[] = [];
    for (const [resourceId, startMs, durationMs, costMicros, requests] of rows) {
      // Rows come ordered by resource: look the list up once per resource, not once per row.
      if (resourceId !== id) {
        id = resourceId;
        list = byResource.get(id) ?? [];
        byResource.set(id, list);
      }
      list.push(requests === null ? { startMs, durationMs, costMicros } : { startMs, durationMs, costMicros, requests });
    }
    return byResource;
  }

  /**
   * Saves connections of `namespace`: only what changed since this process last read or wrote it
   * (a report object is written once; reports are never mutated after they are made). Keys not
   * given are left alone, so a run over some workspaces never erases the others. One transaction.
   */
  saveConnections(namespace: string, entries: Readonly<Record<string, StoredConnection>>): void {
    const changed = Object.entries(entries).filter(([key, entry]) => {
      const before = this.written.get(`${namespace}\0${key}`);
      return (
        before === undefined ||
        before.fingerprint !== entry.fingerprint ||
        before.provider !== entry.provider ||
        before.current !== entry.current ||
        before.previous !== entry.previous ||
        before.failingSinceMs !== entry.failingSinceMs
      );
    });
    if (changed.length === 0) return;
    this.session.transaction(() => {
      for (const [key, entry] of changed) this.writeConnection(namespace, key, entry);
      // writeConnection diffs against `written`: it may only move on once the rows are committed.
      this.session.onCommit(() => {
        for (const [key, entry] of changed) this.written.set(`${namespace}\0${key}`, { ...entry });
      });
    });
  }

  /** Writes one connection (inside the caller's transaction), diffing against what this process last wrote. */
  writeConnection(namespace: string, key: string, entry: StoredConnection): void {
    const before = this.written.get(`${namespace}\0${key}`);
    const { id } = this.statement(
      `INSERT INTO connections (namespace, key, provider, fingerprint, failing_since_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET provider = excluded.provider, fingerprint = excluded.fingerprint, failing_since_ms = excluded.failing_since_ms
       RETURNING id`,
    ).get(namespace, key, entry.provider, entry.fingerprint, entry.failingSinceMs ?? null) as { id: number };
    if (before !== undefined && before.fingerprint !== entry.fingerprint) {
      // Another provider, URL or filter: the old history is not this connection's.
      this.statement('DELETE FROM buckets WHERE connection_id = ?').run(id);
      this.statement('DELETE FROM fetches WHERE connection_id = ?').run(id);
    }
    for (const slot of ['current', 'previous'] as const) {
      const stored = entry[slot];
      if (stored === undefined) {
        if (before?.[slot] !== undefined) this.statement('DELETE FROM fetches WHERE connection_id = ? AND slot = ?').run(id, slot);
      } else if (before?.[slot] !== stored || before.fingerprint !== entry.fingerprint) {
        const sameHistory = before !== undefined && before.fingerprint === entry.fingerprint;
        this.writeReport(id, slot, stored, sameHistory ? before[slot] : undefined);
      }
    }
  }

  /**
   * Writes one fetch: its metadata row, and its buckets. `before` is what this process last wrote
   * in that slot: when it is of the same period, only the differences are written.
   */
  private writeReport(connectionId: number, slot: 'current' | 'previous', stored: StoredReport, before: StoredReport | undefined): void {
    const { report } = stored;
    const header: FetchHeader = {
      resources: report.resources.map((resource) => {
        // Asked without reading it: a packed or stored series is a getter (main/core/compactSeries.ts).
        const series = Object.getOwnPropertyDescriptor(resource, 'series');
        const rest = fieldsWithoutSeries(resource);
        return series?.get === undefined && series?.value === undefined ? rest : { ...rest, seriesStored: true as const };
      }),
      extras: report.extras,
      notes: report.notes,
    };
    this.statement(
      `INSERT INTO fetches (connection_id, slot, period_key, range_start_ms, range_end_ms, fetched_at_ms, unit, total_micros, granularity_ms, data_through_ms, header)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, slot) DO UPDATE SET period_key = excluded.period_key, range_start_ms = excluded.range_start_ms,
         range_end_ms = excluded.range_end_ms, fetched_at_ms = excluded.fetched_at_ms, unit = excluded.unit, total_micros = excluded.total_micros,
         granularity_ms = excluded.granularity_ms, data_through_ms = excluded.data_through_ms, header = excluded.header`,
    ).run(
      connectionId,
      slot,
      stored.periodKey,
      report.range.startMs,
      report.range.endMs,
      stored.fetchedAtMs,
      report.unit,
      report.totalMicros,
      report.granularityMs,
      report.dataThroughMs,
      JSON.stringify(header),
    );
    // The buckets, series by series (main/services/spendDbWrite.ts): only the differences when
    // this process last wrote the same period here.
    writeBuckets(this.session, connectionId, stored.periodKey, stored.fetchedAtMs, report, before !== undefined && before.periodKey === stored.periodKey ? before.report : undefined);
  }

  /**
   * The previous-period report this process last wrote or read for a connection, with its
   * per-resource series left in the database (read on first use, {@link lazySeries}) instead of
   * held in memory; what this process wrote is set to it, so the next save sees it unchanged.
   * Undefined unless `stored` is what was last written there and it holds series in memory.
   */
  releasePreviousSeries(namespace: string, key: string, stored: StoredReport): StoredReport | undefined {
    const writtenKey = `${namespace}\0${key}`;
    const before = this.written.get(writtenKey);
    if (before?.previous !== stored || this.released.has(stored)) return undefined;
    this.released.add(stored);
    const row = this.statement('SELECT id FROM connections WHERE namespace = ? AND key = ?').get(namespace, key) as { id: number } | undefined;
    if (row === undefined || !stored.report.resources.some(seriesInMemory)) return undefined;
    let seriesByResource: Map<string, ResourceBucket[]> | undefined;
    const resources = stored.report.resources.map((resource) => {
      if (!seriesInMemory(resource)) return resource;
      return lazySeries(fieldsWithoutSeries(resource), () => (seriesByResource ??= this.resourceSeries(row.id, stored.periodKey)).get(resourceKey(resource.id)) ?? []);
    });
    const light: StoredReport = { ...stored, report: { ...stored.report, resources } };
    this.released.add(light);
    this.written.set(writtenKey, { ...before, previous: light });
    return light;
  }

  /** Sum of the stored total buckets of a connection in one period (micro-units), or null when it has none. */
  storedTotalMicros(namespace: string, key: string, periodKey: string): number | null {
    const row = this.statement(
      `SELECT SUM(b.cost_micros) AS total, COUNT(*) AS n FROM buckets b JOIN connections c ON c.id = b.connection_id
       WHERE c.namespace = ? AND c.key = ? AND b.period_key = ? AND b.resource_id = ''`,
    ).get(namespace, key, periodKey) as { total: number | null; n: number };
    return row.n === 0 ? null : row.total;
  }

  /**
   * Each connection's spend per stored period of `namespace` (micro-units): the fetched total where
   * a fetch of that period is kept (it includes what the buckets cannot place), else the sum of
   * its total buckets. `unit` is the connection's latest fetched unit (null without a fetch).
   */
  periodTotals(namespace: string): Array<{ readonly key: string; readonly periodKey: string; readonly totalMicros: number; readonly unit: 'usd' | 'credits' | null }> {
    // Index seeks, not a scan of every bucket row (most are per-resource): the periods of each
    // connection one after the other through the primary key, then each period's total buckets.
    const connections = this.statement(
      `SELECT c.id AS id, c.key AS key, (SELECT unit FROM fetches f WHERE f.connection_id = c.id ORDER BY fetched_at_ms DESC LIMIT 1) AS unit
       FROM connections c WHERE c.namespace = ?`,
    ).all(namespace) as unknown as Array<{ id: number; key: string; unit: 'usd' | 'credits' | null }>;
    const nextPeriod = this.statement('SELECT MIN(period_key) AS periodKey FROM buckets WHERE connection_id = ? AND period_key > ?');
    const periodTotal = this.statement(
      `SELECT COALESCE((SELECT total_micros FROM fetches f WHERE f.connection_id = ?1 AND f.period_key = ?2 ORDER BY fetched_at_ms DESC LIMIT 1), SUM(cost_micros)) AS totalMicros,
         COUNT(*) AS n FROM buckets WHERE connection_id = ?1 AND period_key = ?2 AND resource_id = ''`,
    );
    const result: Array<{ key: string; periodKey: string; totalMicros: number; unit: 'usd' | 'credits' | null }> = [];
    for (const { id, key, unit } of connections) {
      let periodKey = (nextPeriod.get(id, '') as { periodKey: string | null }).periodKey;
      while (periodKey !== null) {
        const { totalMicros, n } = periodTotal.get(id, periodKey) as { totalMicros: number; n: number };
        if (n > 0) result.push({ key, periodKey, totalMicros, unit });
        periodKey = (nextPeriod.get(id, periodKey) as { periodKey: string | null }).periodKey;
      }
    }
    return result;
  }

  /**
   * The stored total buckets of `namespace`'s connections that start in `[fromMs, toMs)`, by key
   * (`<workspace>/<connection>`), oldest first, with the connection's latest fetched unit. A bucket
   * stored under two periods (a provider's UTC day across a local period's start) comes once.
   */
  historyBuckets(namespace: string, fromMs: number, toMs: number): Map<string, { unit: 'usd' | 'credits' | null; buckets: ResourceBucket[] }> {
    const result = new Map<string, { unit: 'usd' | 'credits' | null; buckets: ResourceBucket[] }>();
    const units = this.statement(
      `SELECT c.key, f.unit FROM fetches f JOIN connections c ON c.id = f.connection_id WHERE c.namespace = ? ORDER BY c.key, f.fetched_at_ms`,
    ).all(namespace) as Array<{ key: string; unit: 'usd' | 'credits' }>;
    for (const row of units) result.set(row.key, { unit: row.unit, buckets: [] });
    const rows = this.statement(
      `SELECT c.key, b.start_ms, b.duration_ms, b.cost_micros FROM buckets b JOIN connections c ON c.id = b.connection_id
       WHERE c.namespace = ? AND b.resource_id = '' AND b.start_ms >= ? AND b.start_ms < ? ORDER BY c.key, b.start_ms, b.fetched_at_ms`,
    ).all(namespace, fromMs, toMs) as Array<{ key: string; start_ms: number; duration_ms: number; cost_micros: number }>;
    for (const row of rows) {
      let entry = result.get(row.key);
      if (entry === undefined) result.set(row.key, (entry = { unit: null, buckets: [] }));
      const bucket = { startMs: row.start_ms, durationMs: row.duration_ms, costMicros: row.cost_micros };
      // Ordered by fetch time: the later copy of the same bucket wins.
      if (entry.buckets.at(-1)?.startMs === row.start_ms) entry.buckets[entry.buckets.length - 1] = bucket;
      else entry.buckets.push(bucket);
    }
    return result;
  }

  /** Whether `namespace` has a connection stored under `key`. */
  has(namespace: string, key: string): boolean {
    return this.statement('SELECT 1 FROM connections WHERE namespace = ? AND key = ?').get(namespace, key) !== undefined;
  }
}
