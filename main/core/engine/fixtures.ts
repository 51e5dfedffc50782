/**
 * Builders of bucket lists and reports for the spend-engine tests (main/core may not import
 * test/, so these live here). Pure and deterministic; not used by production code.
 */
import { HOUR_MS, type CostBucket, type UsageReport } from '../report';

/**
 * Consecutive buckets of `granularityMs` from `startMs`, one per cost (0 costs included).
 * @example bucketsFrom(0, [5, 7])[1] //=> { startMs: 3_600_000, durationMs: 3_600_000, costMicros: 7 }
 */
export function bucketsFrom(startMs: number, costsMicros: readonly number[], granularityMs = HOUR_MS): CostBucket[] {
  return costsMicros.map((costMicros, index) => ({ startMs: startMs + index * granularityMs, durationMs: granularityMs, costMicros }));
}

/**
 * Buckets over `[startMs, endMs)` whose cost is `costAt(bucketStartMs, index)`.
 * @example bucketsBetween(0, 7_200_000, () => 1).length //=> 2
 */
export function bucketsBetween(
  startMs: number,
  endMs: number,
  costAt: (bucketStartMs: number, index: number) => number,
  granularityMs = HOUR_MS,
): CostBucket[] {
  const buckets: CostBucket[] = [];
  for (let at = startMs, index = 0; at < endMs; at += granularityMs, index += 1) {
    buckets.push({ startMs: at, durationMs: granularityMs, costMicros: costAt(at, index) });
  }
  return buckets;
}

/**
 * A USD report over `range` whose total is the sum of its buckets unless given.
 * @example usdReport({ range: { startMs: 0, endMs: 10 }, buckets: [] }).unit //=> 'usd'
 */
export function usdReport(fields: Partial<UsageReport> & Pick<UsageReport, 'range' | 'buckets'>): UsageReport {
  const lastBucket = fields.buckets.at(-1);
  return {
    provider: 'limitry',
    unit: 'usd',
    totalMicros: fields.buckets.reduce((sum, bucket) => sum + bucket.costMicros, 0),
    granularityMs: HOUR_MS,
    resources: [],
    dataThroughMs: lastBucket ? lastBucket.startMs + lastBucket.durationMs : null,
    extras: {},
    notes: [],
    ...fields,
  };
}
