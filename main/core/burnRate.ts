/**
 * Burn rate: what a connection (or a workspace) costs per hour right now, in micro-USD per hour.
 *
 * Method: a TRIMMED MEAN of the last complete buckets. The window is the 6 complete hours before
 * the cutoff for sub-daily buckets (24 slots of 15 minutes, 6 hourly slots) and the 7 complete days
 * for daily buckets (a whole week, so weekday/weekend swings cancel). The highest and the lowest
 * `max(1, floor(n / 6))` slots are dropped (none when fewer than 3 slots), the rest averaged and
 * divided by the slot length in hours. Why this and not the alternatives:
 * - a plain mean lets one spike hour inflate the rate by spike/6; trimming drops it entirely;
 * - a median also drops the spike, but lags further on a ramp and ignores recurring bursts that are
 *   part of the real cost; the trimmed mean keeps n − 2 of n slots;
 * - an EWMA only damps a spike and never equals the true rate right after one;
 * - on a constant series every variant returns the true rate exactly; on a linear ramp the trimmed
 *   mean equals the value at the window's middle (it lags by half the window, 3 hours).
 *
 * Only complete buckets are used (see `completeCutoffMs` in engine/series.ts): the partial current
 * bucket and the latest bucket of a lagging provider are ignored, and missing buckets inside the
 * window count as 0. The window never reaches before the series' coverage start: early in a period,
 * pass the previous period's buckets too (`seriesOfReports`) so the rate has history.
 *
 * A SPARSE series (its buckets do not add up to the report's total, see `seriesIsComplete`: TensorOne
 * leaves hours out of its `timeSeries`) is never zero-filled: a missing hour is unknown, not free.
 * Its rate is the same trimmed mean over the last `windowSlots` buckets that ARE present, complete
 * and at most 7 days old (method 'sparse-points'); with fewer than 3 such buckets it is the period's
 * average pace from the report's total, `total / hours from the range start to dataThroughMs`
 * (method 'period-average', {@link burnRateOfReport}). Either way rate × hours agrees with the total.
 *
 * `microsPerHour` is a rate, not an amount: it may be fractional (a daily bucket of 1 USD is
 * 41 666.67 micros per hour). Amounts derived from it are rounded once, where they are computed.
 */
import { DAY_MS, HOUR_MS, type UsageReport } from './report';
import { completeCutoffMs, denseSlots, presentSlots, seriesOfReports, type CostSeries } from './engine/series';

/**
 * How a rate was computed: 'trimmed-mean' / 'mean' over complete buckets; 'sparse-points' over the
 * buckets a sparse series has (gaps not counted as zero); 'period-average' from the report's total
 * over the elapsed period (a sparse series with too few points); 'no-data'.
 */
export type BurnRateMethod = 'trimmed-mean' | 'mean' | 'sparse-points' | 'period-average' | 'no-data';

/** How far back a sparse series is searched for present buckets. */
const SPARSE_LOOKBACK_MS = 7 * DAY_MS;
/** Fewest present buckets a sparse series needs for a 'sparse-points' rate. */
const SPARSE_MIN_POINTS = 3;

/** A burn rate and the evidence behind it. */
export interface BurnRate {
  /** Micro-USD (or micro-credits) per hour; 0 with method 'no-data'. May be fractional. */
  readonly microsPerHour: number;
  /** 'trimmed-mean' (≥ 3 slots), 'mean' (1–2 slots), 'no-data' (no complete bucket). */
  readonly method: BurnRateMethod;
  /** Hours of complete data the rate is computed from. */
  readonly sampleHours: number;
  /** Window used, `[windowStartMs, windowEndMs)` (epoch ms); empty at the cutoff for 'no-data'. */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
}

/** Input of {@link burnRate}: a series plus the current instant. */
export interface BurnRateInput extends CostSeries {
  /** The current instant (epoch ms). */
  readonly nowMs: number;
  /** Window length in slots; default 6 hours' worth below daily granularity, 7 slots at daily or above. */
  readonly windowSlots?: number;
}

/** Default window length in slots for a granularity. */
export function defaultWindowSlots(granularityMs: number): number {
  return granularityMs >= DAY_MS ? 7 : Math.max(1, Math.ceil((6 * HOUR_MS) / granularityMs));
}

/**
 * Mean after dropping the `trim` smallest and `trim` largest values.
 * @example trimmedMean([1, 2, 3, 100], 1) //=> 2.5
 */
export function trimmedMean(values: readonly number[], trim: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const kept = sorted.slice(trim, sorted.length - trim);
  if (kept.length === 0) return 0;
  let total = 0;
  for (const value of kept) total += value;
  return total / kept.length;
}

/**
 * The current burn rate of one series (see the module documentation for the method).
 * @example burnRate({ buckets: hourly(1_000_000, 12), granularityMs: 3_600_000, coverageStartMs: 0, dataThroughMs: 12 * 3_600_000, nowMs: 12 * 3_600_000 }).microsPerHour //=> 1_000_000
 */
export function burnRate(input: BurnRateInput): BurnRate {
  const cutoffMs = completeCutoffMs(input, input.nowMs);
  const empty = (atMs: number): BurnRate => ({ microsPerHour: 0, method: 'no-data', sampleHours: 0, windowStartMs: atMs, windowEndMs: atMs });
  if (cutoffMs === null) return empty(Math.min(input.dataThroughMs ?? input.nowMs, input.nowMs));
  const slots = input.windowSlots ?? defaultWindowSlots(input.granularityMs);
  if (input.sparse) {
    const present = presentSlots(input, cutoffMs - SPARSE_LOOKBACK_MS, cutoffMs).slice(-slots);
    if (present.length < SPARSE_MIN_POINTS) return empty(cutoffMs);
    const first = present[0] as { startMs: number };
    const slotHours = input.granularityMs / HOUR_MS;
    return {
      microsPerHour: trimmedMean(present.map((bucket) => bucket.costMicros), Math.max(1, Math.floor(present.length / 6))) / slotHours,
      method: 'sparse-points',
      sampleHours: present.length * slotHours,
      windowStartMs: first.startMs,
      windowEndMs: cutoffMs,
    };
  }
  const dense = denseSlots(input, cutoffMs - slots * input.granularityMs, cutoffMs);
  const count = dense.costsMicros.length;
  if (count === 0) return empty(cutoffMs);
  const trim = count >= 3 ? Math.max(1, Math.floor(count / 6)) : 0;
  const slotHours = input.granularityMs / HOUR_MS;
  return {
    microsPerHour: trimmedMean(dense.costsMicros, trim) / slotHours,
    method: trim > 0 ? 'trimmed-mean' : 'mean',
    sampleHours: count * slotHours,
    windowStartMs: dense.startMs,
    windowEndMs: dense.startMs + count * input.granularityMs,
  };
}

/**
 * Burn rate of one report, with the previous period's report as history when given.
 * @example burnRateOfReport(report, nowMs, previousReport).microsPerHour //=> 3_500_000
 */
export function burnRateOfReport(report: UsageReport, nowMs: number, previous?: UsageReport | null): BurnRate {
  const series = seriesOfReports(report, previous);
  const rate = burnRate({ ...series, nowMs });
  if (rate.method !== 'no-data' || !series.sparse) return rate;
  // Too few points to read a pace from: the total's own growth over the elapsed period.
  const throughMs = Math.min(report.dataThroughMs ?? nowMs, nowMs, report.range.endMs);
  const hours = (throughMs - report.range.startMs) / HOUR_MS;
  if (!(hours > 0) || report.totalMicros <= 0) return rate;
  return {
    microsPerHour: report.totalMicros / hours,
    method: 'period-average',
    sampleHours: hours,
    windowStartMs: report.range.startMs,
    windowEndMs: throughMs,
  };
}

/** Burn rate of a workspace: the sum over its USD reports, with the parts. */
export interface WorkspaceBurnRate extends BurnRate {
  /** Per-report rates, in input order; null for reports left out (credits). */
  readonly parts: readonly (BurnRate | null)[];
}

/** One report of a workspace, optionally with its previous-period report as history. */
export interface ReportWithHistory {
  readonly report: UsageReport;
  readonly previous?: UsageReport | null;
  /** The report's rate when it is known already (a team server's, `extras.serverPace`): used as is. */
  readonly rate?: BurnRate;
}

/**
 * Sum of the burn rates of a workspace's USD reports (credits reports are left out: they are not
 * money). `method` is 'no-data' when no report has usable data, else the parts' method when they all share
 * one, else 'mean'; `sampleHours` is the smallest sample among the usable parts and the
 * window spans all of theirs.
 * @example workspaceBurnRate([reportA, reportB], nowMs).microsPerHour //=> rateA + rateB
 */
export function workspaceBurnRate(reports: readonly (UsageReport | ReportWithHistory)[], nowMs: number): WorkspaceBurnRate {
  const parts = reports.map((entry) => {
    const { report, previous, rate } = 'report' in entry ? entry : { report: entry, previous: null, rate: undefined };
    return report.unit === 'usd' ? (rate ?? burnRateOfReport(report, nowMs, previous)) : null;
  });
  const usable = parts.filter((part): part is BurnRate => part !== null && part.method !== 'no-data');
  if (usable.length === 0) {
    return { microsPerHour: 0, method: 'no-data', sampleHours: 0, windowStartMs: nowMs, windowEndMs: nowMs, parts };
  }
  let microsPerHour = 0;
  for (const part of usable) microsPerHour += part.microsPerHour;
  const first = usable[0]?.method ?? 'mean';
  return {
    microsPerHour,
    method: usable.every((part) => part.method === first) ? first : 'mean',
    sampleHours: Math.min(...usable.map((part) => part.sampleHours)),
    windowStartMs: Math.min(...usable.map((part) => part.windowStartMs)),
    windowEndMs: Math.max(...usable.map((part) => part.windowEndMs)),
    parts,
  };
}
