/**
 * The bucket writer (spendDbWrite.ts): a refresh of the same period, diffed series by series
 * against what was written before, leaves exactly the rows that writing the new report from
 * scratch leaves, whatever changed (revised, added and vanished buckets and resources, packed
 * series, unsorted or repeated starts), and writes only the rows that changed.
 */
import fc from 'fast-check';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { compactReport } from '../core/compactSeries';
import { HOUR_MS, type ResourceBucket, type ResourceUsage, type UsageReport } from '../core/report';
import { writeBuckets, type BucketStatements } from './spendDbWrite';

function database(): BucketStatements & { rows(): unknown[]; changes(): number; close(): void } {
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE TABLE buckets (connection_id INTEGER NOT NULL, period_key TEXT NOT NULL, resource_id TEXT NOT NULL, start_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL, cost_micros INTEGER NOT NULL, requests INTEGER, input_tokens INTEGER, output_tokens INTEGER, fetched_at_ms INTEGER NOT NULL,
    PRIMARY KEY (connection_id, period_key, resource_id, start_ms)) STRICT, WITHOUT ROWID`);
  const statements = new Map<string, StatementSync>();
  return {
    statement: (sql) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!,
    // The content a reader sees (fetched_at_ms aside: an unchanged row keeps the time it was written).
    rows: () => db.prepare('SELECT connection_id, period_key, resource_id, start_ms, duration_ms, cost_micros, requests FROM buckets ORDER BY 1, 2, 3, 4').all(),
    changes: () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n,
    close: () => db.close(),
  };
}

const START = Date.UTC(2026, 2, 1);
const hourBucket = fc.record(
  { hour: fc.integer({ min: 0, max: 40 }), costMicros: fc.integer({ min: 0, max: 3 }), requests: fc.integer({ min: 0, max: 2 }) },
  { requiredKeys: ['hour', 'costMicros'] },
);
const seriesArb = fc.oneof(
  // Sorted, one bucket an hour (what adapters give)…
  fc.array(fc.boolean(), { maxLength: 40 }).chain((present) =>
    fc.tuple(fc.constant(present), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: present.length, maxLength: present.length }), fc.boolean()),
  ).map(([present, costs, withRequests]) =>
    present.flatMap((on, i): ResourceBucket[] => (on ? [{ startMs: START + i * HOUR_MS, durationMs: HOUR_MS, costMicros: costs[i]!, ...(withRequests ? { requests: costs[i]! % 2 } : {}) }] : [])),
  ),
  // …or in any order, starts repeated.
  fc.array(hourBucket, { maxLength: 20 }).map((list) => list.map((b): ResourceBucket => ({ startMs: START + b.hour * HOUR_MS, durationMs: HOUR_MS, costMicros: b.costMicros, ...(b.requests === undefined ? {} : { requests: b.requests }) }))),
);
const reportArb = fc
  .tuple(seriesArb, fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), series: fc.option(seriesArb, { nil: undefined }) }), { maxLength: 4, selector: (r) => r.id }), fc.boolean())
  .map(([buckets, resources, packed]): UsageReport => {
    const report: UsageReport = {
      provider: 'x',
      range: { startMs: START, endMs: START + 41 * HOUR_MS },
      unit: 'usd',
      totalMicros: 0,
      granularityMs: HOUR_MS,
      buckets,
      resources: resources.map((r): ResourceUsage => ({ id: r.id, name: r.id, kind: 'model', costMicros: 0, activity: {}, dedicated: false, ...(r.series ? { series: r.series } : {}) })),
      dataThroughMs: null,
      extras: {},
      notes: [],
    };
    return packed ? compactReport(report) : report;
  });

describe('writeBuckets', () => {
  it('leaves after a diffed refresh exactly what writing the new report from scratch leaves', () => {
    fc.assert(
      fc.property(fc.array(reportArb, { minLength: 1, maxLength: 4 }), (reports) => {
        const diffed = database();
        let before: UsageReport | undefined;
        reports.forEach((report, i) => {
          writeBuckets(diffed, 7, 'month:2026-03', 1_000 + i, report, before);
          before = report;
          const scratch = database();
          writeBuckets(scratch, 7, 'month:2026-03', 1_000 + i, report, undefined);
          expect(diffed.rows()).toEqual(scratch.rows());
          scratch.close();
        });
        diffed.close();
      }),
    );
  });

  it('writes nothing for an unchanged report, one row for one revised hour, one delete for a vanished one', () => {
    const db = database();
    const hours = Array.from({ length: 30 }, (_, i): ResourceBucket => ({ startMs: START + i * HOUR_MS, durationMs: HOUR_MS, costMicros: i, requests: 1 }));
    const report = (series: ResourceBucket[]): UsageReport =>
      compactReport({ provider: 'x', range: { startMs: START, endMs: START + 30 * HOUR_MS }, unit: 'usd', totalMicros: 0, granularityMs: HOUR_MS, buckets: [], resources: [{ id: 'a', name: 'a', kind: 'model', costMicros: 0, activity: {}, dedicated: false, series }], dataThroughMs: null, extras: {}, notes: [] });
    const first = report(hours);
    writeBuckets(db, 1, 'p', 1, first, undefined);
    let mark = db.changes();
    writeBuckets(db, 1, 'p', 2, report([...hours]), first);
    expect(db.changes() - mark).toBe(0);
    mark = db.changes();
    const revised = report(hours.map((b, i) => (i === 4 ? { ...b, requests: 0 } : b)));
    writeBuckets(db, 1, 'p', 3, revised, first);
    expect(db.changes() - mark).toBe(1);
    mark = db.changes();
    writeBuckets(db, 1, 'p', 4, report(hours.map((b, i) => (i === 4 ? { ...b, requests: 0 } : b)).slice(0, 29)), revised);
    expect(db.changes() - mark).toBe(1);
    expect(db.rows()).toHaveLength(29);
    db.close();
  });
});
