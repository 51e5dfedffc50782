/**
 * Projection: what a period will have cost by its end, with a range and a confidence.
 *
 * `projected = spent so far + expected cost of the rest of the period`, where the rest runs from
 * `dataThroughMs` (what the spend is known through) to the period end, and its expected cost comes
 * from one of four methods:
 * - 'run-rate': burn rate (engine: trimmed mean of recent complete buckets) × remaining hours.
 * - 'day-of-week': sum of an hour-of-week profile over the remaining hours. The profile is the mean
 *   cost of each of the 168 local (workspace time zone) weekday-hours over all complete history,
 *   built only when the complete history covers at least 3 weeks (so every weekday-hour has ≥ 3
 *   samples). Daily buckets spread evenly over their 24 hours.
 * - 'previous-period': the previous period's average pace (total / hours it covered) × remaining.
 * - 'blend': ½ run-rate + ½ day-of-week (the run rate knows the current level, the profile knows
 *   that nights and weekends are cheaper).
 * Early in a period (data covering less than min(3 days, 10 % of the period)) the run rate rests
 * on a few hours and can be absurd (one busy first hour × 720 hours), so the projection uses the
 * profile when there is one, else the previous period's pace when known, else the run rate.
 * Later it uses 'blend' when there is a profile, else 'run-rate'.
 *
 * Range (`lowMicros`..`highMicros`): an 80 % prediction interval (10th–90th percentile) from the
 * observed variability. The complete data is cut, backwards from the cutoff, into blocks of the
 * longest length among 1 week, 1 day, 6 hours, 1 hour that gives ≥ 3 blocks (≥ 2 for the shortest;
 * at most 14 blocks, only lengths that are whole multiples of the bucket size); `sd` is the sample
 * standard deviation of the blocks' rates (micros per hour). For H remaining hours, B hours per
 * block and n blocks, the spread of the remaining cost is `sd × √(H·B + H²/n)`: block-to-block
 * noise over H/B future blocks plus the uncertainty of the mean rate itself. low/high are the
 * projection ∓ 1.2816 × that spread, low never below the spend so far. A constant series gives
 * sd = 0, so low = projected = high. Without 2 blocks of data the range is empty (low = high).
 *
 * Confidence (0..1) = amount × method factor / (1 + relative half-width of the range), where amount
 * = min(1, hours of complete data / 168) (the previous period's hours count for 'previous-period'),
 * the method factor is 0.6 for 'previous-period' (another period's pace) and 1 otherwise, and the
 * relative half-width counts as 1 when the range could not be estimated. 0 when nothing is known.
 */
import type { Zone } from 'luxon';
import { zoneFor } from './zones';
import { burnRate, trimmedMean, type BurnRate } from './burnRate';
import { DAY_MS, HOUR_MS } from './report';
import { completeCutoffMs, denseSlots, presentSlots, type CostSeries } from './engine/series';

/** Which method produced a projection (see the module documentation). */
export type ProjectionMethod = 'run-rate' | 'day-of-week' | 'previous-period' | 'blend' | 'sparse-points' | 'period-average';

/** A period-end projection with its range. All amounts integer micros. */
export interface Projection {
  /** Expected total of the period. */
  readonly projectedMicros: number;
  /** 10th percentile of the period total (never below the spend so far). */
  readonly lowMicros: number;
  /** 90th percentile of the period total. */
  readonly highMicros: number;
  readonly method: ProjectionMethod;
  /** 0 (a guess) .. 1 (plenty of steady data). */
  readonly confidence: number;
}

/** The previous period's spend and how much of it the total covers. */
export interface PreviousPeriodPace {
  /** The previous period's total, integer micros. */
  readonly totalMicros: number;
  /** Start of the previous period (epoch ms). */
  readonly startMs: number;
  /** Instant its total is known through (epoch ms), normally its end. */
  readonly throughMs: number;
}

/** Input of {@link projectPeriod}. */
export interface ProjectionInput {
  /** The period to project, `[startMs, endMs)` epoch ms. */
  readonly period: { readonly startMs: number; readonly endMs: number };
  /** The current instant (epoch ms). */
  readonly nowMs: number;
  /** IANA zone whose local weekdays and hours the day-of-week profile uses. */
  readonly timeZone: string;
  /** Reported spend in the period so far (the report's authoritative total), integer micros. */
  readonly spentMicros: number;
  /** Buckets of history and of the current period (see `seriesOfReports`); its `dataThroughMs` dates `spentMicros`. */
  readonly series: CostSeries;
  /** The run rate to use; computed from `series` with `burnRate` when omitted. */
  readonly rate?: BurnRate;
  /** The previous period's pace, for the early-period fallback. */
  readonly previous?: PreviousPeriodPace | null;
}

/** z of the 90th percentile of a normal distribution: low/high are projection ∓ RANGE_Z·σ. */
export const RANGE_Z = 1.2815515655446004;

const EARLY_MAX_MS = 3 * DAY_MS;
const EARLY_SHARE = 0.1;
const PROFILE_MIN_HISTORY_MS = 21 * DAY_MS;
const FULL_CONFIDENCE_HOURS = 168;
const PREVIOUS_PERIOD_CONFIDENCE = 0.6;
const BLOCK_HOURS = [168, 24, 6, 1] as const;
const MAX_BLOCKS = 14;

/** Offsets only change on quarter hours (UTC), so they are memoized per quarter-hour slot. */
const OFFSET_SLOT_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();
/** Per zone and UTC day: the offset when the day starts and ends with the same one, else null (a transition day). */
const dayOffsetCache = new Map<string, Map<number, number | null>>();
const OFFSET_CACHE_LIMIT = 200_000;

/** The zone's memo in `caches`, started afresh when it has grown past OFFSET_CACHE_LIMIT entries. */
function zoneCache<T>(caches: Map<string, Map<number, T>>, zone: Zone): Map<number, T> {
  let cache = caches.get(zone.name);
  if (!cache || cache.size > OFFSET_CACHE_LIMIT) {
    cache = new Map();
    caches.set(zone.name, cache);
  }
  return cache;
}

/** The zone's offset at an instant, memoized per quarter-hour slot. */
function slotOffset(zone: Zone, instantMs: number): number {
  const cache = zoneCache(offsetCache, zone);
  const slot = Math.floor(instantMs / OFFSET_SLOT_MS);
  let offset = cache.get(slot);
  if (offset === undefined) {
    offset = zone.offset(slot * OFFSET_SLOT_MS);
    cache.set(slot, offset);
  }
  return offset;
}

/**
 * The zone's UTC offset (minutes) at an instant. A zone answers through Intl or a TZif search, which costs
 * microseconds per call; a month of hourly buckets asks thousands of times per status document,
 * and a process starting cold paid for each (tens of ms of a warm `status`). So a UTC day whose
 * start and end have the same offset is taken as one offset throughout (no zone's current rules
 * have two changes that cancel out within one day); only days with a change are looked up per quarter hour.
 */
function offsetMinutes(zone: Zone, instantMs: number): number {
  const days = zoneCache(dayOffsetCache, zone);
  const day = Math.floor(instantMs / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const startOffset = slotOffset(zone, day * DAY_MS);
    offset = startOffset === slotOffset(zone, (day + 1) * DAY_MS) ? startOffset : null;
    days.set(day, offset);
  }
  return offset ?? slotOffset(zone, instantMs);
}

/** Local weekday-hour slot (0 = Monday 00:00 … 167 = Sunday 23:00) of an instant. */
function weekHourSlot(zone: Zone, instantMs: number): number {
  const localHours = Math.floor((instantMs + offsetMinutes(zone, instantMs) * 60_000) / HOUR_MS);
  const day = Math.floor(localHours / 24);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  return (((day + 3) % 7) + 7) % 7 * 24 + (localHours - day * 24);
}

/**
 * Mean cost per hour (micros) of each local weekday-hour over the complete data, or null when the
 * complete data covers less than 3 weeks.
 * @example dayOfWeekProfile(fourWeeksOfFlatHours, cutoffMs, 'UTC')?.[0] //=> 1_000_000
 */
export function dayOfWeekProfile(series: CostSeries, cutoffMs: number, timeZone: string): number[] | null {
  const dense = denseSlots(series, series.coverageStartMs, cutoffMs);
  if (dense.costsMicros.length * dense.stepMs < PROFILE_MIN_HISTORY_MS) return null;
  const zone = zoneFor(timeZone);
  const sums = new Array<number>(168).fill(0);
  const hours = new Array<number>(168).fill(0);
  const pieceMs = Math.min(dense.stepMs, HOUR_MS);
  const pieces = Math.max(1, Math.round(dense.stepMs / pieceMs));
  dense.costsMicros.forEach((costMicros, index) => {
    for (let piece = 0; piece < pieces; piece += 1) {
      const slot = weekHourSlot(zone, dense.startMs + index * dense.stepMs + piece * pieceMs);
      sums[slot] = (sums[slot] ?? 0) + costMicros / pieces;
      hours[slot] = (hours[slot] ?? 0) + pieceMs / HOUR_MS;
    }
  });
  const totalMicros = sums.reduce((a, b) => a + b, 0);
  const totalHours = hours.reduce((a, b) => a + b, 0);
  return sums.map((sum, slot) => {
    const slotHours = hours[slot] ?? 0;
    return slotHours > 0 ? sum / slotHours : totalMicros / totalHours;
  });
}

/** Expected cost (micros, unrounded) of `[fromMs, toMs)` under an hour-of-week profile. */
function profileCost(profile: readonly number[], zone: Zone, fromMs: number, toMs: number): number {
  let total = 0;
  let timeMs = fromMs;
  while (timeMs < toMs) {
    const nextMs = Math.min(Math.floor(timeMs / HOUR_MS) * HOUR_MS + HOUR_MS, toMs);
    total += (profile[weekHourSlot(zone, timeMs)] ?? 0) * ((nextMs - timeMs) / HOUR_MS);
    timeMs = nextMs;
  }
  return total;
}

/** Observed block-to-block variability of the rate. */
export interface RateVariability {
  /** Sample standard deviation of the blocks' rates, micros per hour. */
  readonly sdMicrosPerHour: number;
  /** Block length in hours. */
  readonly blockHours: number;
  /** Number of blocks. */
  readonly blocks: number;
}

/**
 * Block-rate variability of the complete data before `cutoffMs` (see the module docs), or null
 * when there are fewer than 2 blocks.
 * @example rateVariability(flatSeries, cutoffMs) //=> { sdMicrosPerHour: 0, blockHours: 24, blocks: 5 }
 */
export function rateVariability(series: CostSeries, cutoffMs: number): RateVariability | null {
  const dense = denseSlots(series, series.coverageStartMs, cutoffMs);
  const count = dense.costsMicros.length;
  const totalMs = count * dense.stepMs;
  let lengths = BLOCK_HOURS.map((h) => h * HOUR_MS).filter((blockMs) => blockMs >= dense.stepMs && blockMs % dense.stepMs === 0);
  if (lengths.length === 0) lengths = [dense.stepMs];
  const smallest = lengths[lengths.length - 1] ?? dense.stepMs;
  const blockMs = lengths.find((length) => Math.floor(totalMs / length) >= 3) ?? (Math.floor(totalMs / smallest) >= 2 ? smallest : null);
  if (blockMs === null) return null;
  const blocks = Math.min(MAX_BLOCKS, Math.floor(totalMs / blockMs));
  const slotsPerBlock = blockMs / dense.stepMs;
  const blockHours = blockMs / HOUR_MS;
  const rates: number[] = [];
  for (let block = 0; block < blocks; block += 1) {
    const end = count - block * slotsPerBlock;
    let sum = 0;
    for (let slot = end - slotsPerBlock; slot < end; slot += 1) sum += dense.costsMicros[slot] ?? 0;
    rates.push(sum / blockHours);
  }
  const mean = rates.reduce((a, b) => a + b, 0) / blocks;
  const variance = rates.reduce((acc, rate) => acc + (rate - mean) ** 2, 0) / (blocks - 1);
  return { sdMicrosPerHour: Math.sqrt(variance), blockHours, blocks };
}

/** The previous period's pace in micros per hour, or null when it covers no time. */
function previousPace(previous: PreviousPeriodPace | null | undefined): number | null {
  if (!previous) return null;
  const hours = (previous.throughMs - previous.startMs) / HOUR_MS;
  return hours > 0 ? previous.totalMicros / hours : null;
}

/**
 * The knobs of the projection and its interval. Chosen with `npm run backtest` (bench/backtest.json,
 * README "How the forecast works"); change them only with a new backtest run.
 */
export const PROJECTION_TUNING = {
  /** The pace the rest of the period is projected with is a trimmed mean over this share of the remaining hours… */
  paceWindowShare: 0.25,
  /** …but over at least this many hours (the burn rate's own window)… */
  paceWindowMinHours: 6,
  /** …and at most this many (older data is another level). */
  paceWindowMaxHours: 72,
  /** Relative drift of the pace per √day (a random walk of the level): keeps the interval honest on long horizons. */
  driftPerRootDay: 0.09,
  /** Weight of the run rate in 'blend' (the rest is the day-of-week profile). */
  blendRunRateWeight: 0.5,
  /** The highest confidence ever reported: a projection is never certain. */
  maxConfidence: 0.95,
} as const;

/** Variability of a sparse series: its present buckets' rates, each a block of one bucket. */
function sparseVariability(series: CostSeries, cutoffMs: number): RateVariability | null {
  const present = presentSlots(series, cutoffMs - 14 * DAY_MS, cutoffMs);
  if (present.length < 2) return null;
  const blockHours = series.granularityMs / HOUR_MS;
  const rates = present.map((bucket) => bucket.costMicros / blockHours);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((acc, rate) => acc + (rate - mean) ** 2, 0) / (rates.length - 1);
  return { sdMicrosPerHour: Math.sqrt(variance), blockHours, blocks: rates.length };
}

/**
 * The pace the rest of the period is projected with (micros per hour): a trimmed mean over the last
 * `clamp(share × remaining hours, 6 h, 72 h)` of complete data, so a short horizon follows the latest
 * level and a long one is not thrown by a noisy afternoon. Daily series keep the burn rate's week.
 */
function projectionPace(series: CostSeries, nowMs: number, remainingHours: number, rate: BurnRate): number {
  if (series.sparse || series.granularityMs >= DAY_MS || rate.method === 'no-data') return rate.microsPerHour;
  const { paceWindowShare, paceWindowMinHours, paceWindowMaxHours } = PROJECTION_TUNING;
  const hours = Math.min(paceWindowMaxHours, Math.max(paceWindowMinHours, remainingHours * paceWindowShare));
  const slots = Math.max(1, Math.round((hours * HOUR_MS) / series.granularityMs));
  const cutoffMs = completeCutoffMs(series, nowMs);
  if (cutoffMs === null) return rate.microsPerHour;
  const dense = denseSlots(series, cutoffMs - slots * series.granularityMs, cutoffMs);
  const count = dense.costsMicros.length;
  if (count === 0) return rate.microsPerHour;
  const trim = count >= 3 ? Math.max(1, Math.floor(count / 6)) : 0;
  return trimmedMean(dense.costsMicros, trim) / (series.granularityMs / HOUR_MS);
}

/**
 * Projects the period total (see the module documentation for methods, range and confidence).
 * @example projectPeriod({ period: { startMs: 0, endMs: 720 * 3_600_000 }, nowMs: 360 * 3_600_000, timeZone: 'UTC', spentMicros: 360_000_000, series: flatMillionPerHour }).projectedMicros //=> 720_000_000
 */
export function projectPeriod(input: ProjectionInput): Projection {
  const { period, series, spentMicros } = input;
  const periodMs = period.endMs - period.startMs;
  const fromMs = Math.min(period.endMs, Math.max(period.startMs, series.dataThroughMs ?? period.startMs));
  const remainingHours = (period.endMs - fromMs) / HOUR_MS;
  const cutoffMs = completeCutoffMs(series, input.nowMs);
  const rate = input.rate ?? burnRate({ ...series, nowMs: input.nowMs });
  const rateUsable = rate.method !== 'no-data';
  const sparse = series.sparse === true;
  // A sparse series has no hours to build a weekday profile from: a gap is not a quiet hour.
  const profile = cutoffMs === null || sparse ? null : dayOfWeekProfile(series, cutoffMs, input.timeZone);
  const pace = previousPace(input.previous);
  const early = fromMs - period.startMs < Math.min(EARLY_MAX_MS, EARLY_SHARE * periodMs);

  const runRateMicros = projectionPace(series, input.nowMs, remainingHours, rate) * remainingHours;
  const profileMicros = profile ? profileCost(profile, zoneFor(input.timeZone), fromMs, period.endMs) : 0;
  let method: ProjectionMethod;
  let remainingMicros: number;
  if (early && profile) {
    method = 'day-of-week';
    remainingMicros = profileMicros;
  } else if (pace !== null && (early || !rateUsable)) {
    method = 'previous-period';
    remainingMicros = pace * remainingHours;
  } else if (profile) {
    method = 'blend';
    remainingMicros = PROJECTION_TUNING.blendRunRateWeight * runRateMicros + (1 - PROJECTION_TUNING.blendRunRateWeight) * profileMicros;
  } else {
    method = rate.method === 'sparse-points' || rate.method === 'period-average' ? rate.method : 'run-rate';
    remainingMicros = runRateMicros;
  }
  const projectedMicros = spentMicros + Math.round(remainingMicros);

  const variability = cutoffMs === null ? null : sparse ? sparseVariability(series, cutoffMs) : rateVariability(series, cutoffMs);
  let lowMicros = projectedMicros;
  let highMicros = projectedMicros;
  if (remainingHours > 0) {
    const noiseSquared = variability
      ? variability.sdMicrosPerHour ** 2 * (remainingHours * variability.blockHours + (remainingHours * remainingHours) / variability.blocks)
      : 0;
    // The level itself wanders (steps, ramps, a new deployment): a random walk of the pace with
    // driftPerRootDay relative sd per √day, integrated over the remaining hours (H^1.5 / √72).
    const drift = (PROJECTION_TUNING.driftPerRootDay * Math.max(0, remainingMicros) * Math.sqrt(remainingHours)) / Math.sqrt(72);
    const spreadMicros = Math.sqrt(noiseSquared + drift * drift);
    lowMicros = Math.max(spentMicros, Math.round(projectedMicros - RANGE_Z * spreadMicros));
    highMicros = Math.round(projectedMicros + RANGE_Z * spreadMicros);
  }

  const knowsSomething = rateUsable || profile !== null || pace !== null;
  let confidence = 0;
  if (knowsSomething) {
    const complete = cutoffMs === null ? null : denseSlots(series, series.coverageStartMs, cutoffMs);
    let dataHours = complete ? (complete.costsMicros.length * complete.stepMs) / HOUR_MS : 0;
    if (method === 'previous-period' && input.previous) dataHours = Math.max(dataHours, (input.previous.throughMs - input.previous.startMs) / HOUR_MS);
    // A week of data is enough for any period; a shorter period (a day budget) needs one period's worth,
    // or day budgets could never reach the 0.5 that forecast alerts require.
    const fullHours = Math.max(1, Math.min(FULL_CONFIDENCE_HOURS, (input.period.endMs - input.period.startMs) / HOUR_MS));
    const amount = Math.min(1, dataHours / fullHours);
    const relativeHalfWidth = variability || remainingHours === 0 ? (highMicros - lowMicros) / 2 / Math.max(projectedMicros, 1) : 1;
    const methodFactor = method === 'previous-period' ? PREVIOUS_PERIOD_CONFIDENCE : 1;
    confidence = Math.min(PROJECTION_TUNING.maxConfidence, (amount * methodFactor) / (1 + relativeHalfWidth));
  }
  return { projectedMicros, lowMicros, highMicros, method, confidence };
}

/**
 * Combines per-connection projections into a workspace projection: totals add; the range widens
 * by the root sum of squares of the parts' half-widths (connections treated as independent; low
 * stays at or above the sum of the lows' floors); method is the parts' common method, else 'blend';
 * confidence is the projection-weighted mean of the parts' (plain mean when all project 0).
 * No parts gives 0 with confidence 0.
 * @example combineProjections([a, b]).projectedMicros //=> a.projectedMicros + b.projectedMicros
 */
export function combineProjections(parts: readonly Projection[]): Projection {
  if (parts.length === 0) return { projectedMicros: 0, lowMicros: 0, highMicros: 0, method: 'run-rate', confidence: 0 };
  let projectedMicros = 0;
  let lowSquares = 0;
  let highSquares = 0;
  let weighted = 0;
  let plain = 0;
  for (const part of parts) {
    projectedMicros += part.projectedMicros;
    lowSquares += (part.projectedMicros - part.lowMicros) ** 2;
    highSquares += (part.highMicros - part.projectedMicros) ** 2;
    weighted += part.confidence * Math.max(0, part.projectedMicros);
    plain += part.confidence;
  }
  const weight = parts.reduce((acc, part) => acc + Math.max(0, part.projectedMicros), 0);
  const first = parts[0]?.method ?? 'run-rate';
  return {
    projectedMicros,
    lowMicros: projectedMicros - Math.round(Math.sqrt(lowSquares)),
    highMicros: projectedMicros + Math.round(Math.sqrt(highSquares)),
    method: parts.every((part) => part.method === first) ? first : 'blend',
    confidence: weight > 0 ? weighted / weight : plain / parts.length,
  };
}
