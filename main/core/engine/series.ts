/**
 * Bucket-series helpers shared by the spend engine (burn rate, projection, roll-up): which buckets
 * are complete, and dense (zero-filled) views of a sparse bucket list.
 *
 * A provider's bucket list is sparse (empty buckets may be omitted: missing = 0) and its last
 * buckets are unreliable: the current bucket is still filling, and a lagging provider may report a
 * bucket as its latest with data while it is still partial, even when `dataThroughMs` equals the
 * bucket's end. The engine therefore only trusts COMPLETE buckets, defined in {@link completeCutoffMs}.
 */
import type { CostBucket, UsageReport } from '../report';

/** A bucket list with what is needed to read it: grid size, what it covers, how fresh it is. */
export interface CostSeries {
  /** Sorted, non-overlapping, aligned to `granularityMs`; missing buckets count as 0. */
  readonly buckets: readonly CostBucket[];
  /** Bucket length (ms): 3_600_000 hourly, 86_400_000 daily. */
  readonly granularityMs: number;
  /**
   * Start of the time the buckets speak for (epoch ms), usually the report's `range.startMs`.
   * Before it nothing is known, so it is never zero-filled.
   */
  readonly coverageStartMs: number;
  /** Latest instant the data covers (epoch ms), or null when there is no data yet. */
  readonly dataThroughMs: number | null;
  /**
   * The buckets do not add up to the report's total (TensorOne's sparse `timeSeries`, cost without
   * points): a missing bucket is then UNKNOWN, not zero. Rates use only the buckets that are there
   * (see {@link presentSlots}) and nothing is zero-filled for them.
   */
  readonly sparse?: boolean;
}

/** Grid anchor: buckets are aligned to `granularityMs`, counted from the first bucket (or the epoch). */
function gridAnchorMs(series: CostSeries): number {
  const first = series.buckets[0];
  if (first === undefined) return 0;
  const g = series.granularityMs;
  return ((first.startMs % g) + g) % g;
}

/**
 * Largest grid point at or before `timeMs`.
 * @example alignDownMs(5_400_000, 3_600_000) //=> 3_600_000
 */
export function alignDownMs(timeMs: number, granularityMs: number, anchorMs = 0): number {
  return anchorMs + Math.floor((timeMs - anchorMs) / granularityMs) * granularityMs;
}

/**
 * Smallest grid point at or after `timeMs`.
 * @example alignUpMs(5_400_000, 3_600_000) //=> 7_200_000
 */
export function alignUpMs(timeMs: number, granularityMs: number, anchorMs = 0): number {
  return anchorMs + Math.ceil((timeMs - anchorMs) / granularityMs) * granularityMs;
}

/**
 * The end (exclusive, epoch ms, on the bucket grid) of the complete data of a series, or null when
 * the series has no data (`dataThroughMs` null).
 *
 * A bucket is complete when it ends at or before `min(dataThroughMs, nowMs)` AND starts before the
 * latest bucket that holds data. "Holds data" means present in the list (an explicit zero bucket
 * counts: the provider reported it) with a start before `min(dataThroughMs, nowMs)` (future
 * placeholder buckets do not count). That latest bucket itself is never complete: it may still be
 * filling even when the provider says it has data through its end.
 * @example completeCutoffMs({ buckets: [{ startMs: 0, durationMs: 3_600_000, costMicros: 5 }, { startMs: 3_600_000, durationMs: 3_600_000, costMicros: 2 }], granularityMs: 3_600_000, coverageStartMs: 0, dataThroughMs: 7_200_000 }, 8_000_000) //=> 3_600_000
 */
export function completeCutoffMs(series: CostSeries, nowMs: number): number | null {
  if (series.dataThroughMs === null) return null;
  const limitMs = Math.min(series.dataThroughMs, nowMs);
  const anchorMs = gridAnchorMs(series);
  let cutoffMs = alignDownMs(limitMs, series.granularityMs, anchorMs);
  for (let index = series.buckets.length - 1; index >= 0; index -= 1) {
    const bucket = series.buckets[index];
    if (bucket !== undefined && bucket.startMs < limitMs) {
      cutoffMs = Math.min(cutoffMs, bucket.startMs);
      break;
    }
  }
  return cutoffMs;
}

/** A dense, zero-filled view of part of a series. */
export interface DenseSeries {
  /** Start of the first slot (epoch ms, on the grid). */
  readonly startMs: number;
  /** Slot length (ms), = the series' granularity. */
  readonly stepMs: number;
  /** Cost of each slot in micros; slot i covers [startMs + i·stepMs, startMs + (i+1)·stepMs). */
  readonly costsMicros: readonly number[];
}

/**
 * The grid slots of `series` that lie fully inside `[fromMs, toMs)`, missing buckets filled with 0.
 * Slots before the series' `coverageStartMs` are left out (unknown is not zero).
 * @example denseSlots({ buckets: [{ startMs: 3_600_000, durationMs: 3_600_000, costMicros: 7 }], granularityMs: 3_600_000, coverageStartMs: 0, dataThroughMs: 7_200_000 }, 0, 7_200_000).costsMicros //=> [0, 7]
 */
export function denseSlots(series: CostSeries, fromMs: number, toMs: number): DenseSeries {
  const stepMs = series.granularityMs;
  const anchorMs = gridAnchorMs(series);
  const startMs = alignUpMs(Math.max(fromMs, series.coverageStartMs), stepMs, anchorMs);
  const endMs = alignDownMs(toMs, stepMs, anchorMs);
  const count = Math.max(0, Math.round((endMs - startMs) / stepMs));
  const costsMicros = new Array<number>(count).fill(0);
  for (const bucket of series.buckets) {
    const slot = Math.floor((bucket.startMs - startMs) / stepMs);
    if (slot >= 0 && slot < count) costsMicros[slot] = (costsMicros[slot] ?? 0) + bucket.costMicros;
  }
  return { startMs, stepMs, costsMicros };
}

/**
 * The buckets of `series` that are present (listed by the provider, an explicit zero included) and
 * lie fully inside `[fromMs, toMs)` and after `coverageStartMs`, oldest first. For sparse series,
 * where a missing bucket is unknown rather than zero.
 * @example presentSlots({ buckets: [{ startMs: 3_600_000, durationMs: 3_600_000, costMicros: 7 }], granularityMs: 3_600_000, coverageStartMs: 0, dataThroughMs: 7_200_000 }, 0, 7_200_000) //=> [{ startMs: 3_600_000, durationMs: 3_600_000, costMicros: 7 }]
 */
export function presentSlots(series: CostSeries, fromMs: number, toMs: number): CostBucket[] {
  const lowMs = Math.max(fromMs, series.coverageStartMs);
  return series.buckets.filter((bucket) => bucket.startMs >= lowMs && bucket.startMs + series.granularityMs <= toMs);
}

/** Share of a report's total its buckets may miss and still count as a complete series (rounding, partial hours). */
const COMPLETE_TOLERANCE = 0.005;

/**
 * True when a report's buckets add up to its total (within 0.5 % or 1 cent): its gaps are hours of
 * zero spend. False for a sparse series (TensorOne's `timeSeries` leaves hours out; an item with cost
 * but no points), where a gap is an hour nobody reported.
 * @example seriesIsComplete({ ...report, totalMicros: 4_000_000, buckets: [{ startMs: 0, durationMs: 3_600_000, costMicros: 1_000_000 }] }) //=> false
 */
export function seriesIsComplete(report: UsageReport): boolean {
  // Every bucket counts: a provider answering in whole UTC days may list hours just outside the range.
  let sum = 0;
  for (const bucket of report.buckets) sum += bucket.costMicros;
  const missing = report.totalMicros - sum;
  return missing <= Math.max(10_000, Math.abs(report.totalMicros) * COMPLETE_TOLERANCE);
}

/**
 * One series for a connection: the previous period's buckets followed by the current period's,
 * so rates and profiles have history at the start of a period. Where both reports have a bucket
 * at the same start (a daily bucket straddling the period start), the current report's wins.
 * Freshness comes from the current report, or the previous one while the current has no data.
 * @example seriesOfReports(current, previous).coverageStartMs //=> previous.range.startMs
 */
export function seriesOfReports(current: UsageReport, previous?: UsageReport | null): CostSeries {
  const sparse = !seriesIsComplete(current);
  if (!previous || previous.granularityMs !== current.granularityMs || previous.range.startMs >= current.range.startMs) {
    return {
      buckets: current.buckets,
      granularityMs: current.granularityMs,
      coverageStartMs: current.range.startMs,
      dataThroughMs: current.dataThroughMs,
      ...(sparse ? { sparse } : {}),
    };
  }
  const firstCurrentMs = current.buckets[0]?.startMs ?? current.range.startMs;
  const earlier = previous.buckets.filter((bucket) => bucket.startMs < Math.min(firstCurrentMs, current.range.startMs));
  return {
    buckets: [...earlier, ...current.buckets],
    granularityMs: current.granularityMs,
    coverageStartMs: previous.range.startMs,
    dataThroughMs: current.dataThroughMs ?? previous.dataThroughMs,
    ...(sparse || !seriesIsComplete(previous) ? { sparse: true } : {}),
  };
}
