/**
 * Nowcast: an estimate of what has been spent by now, for display only.
 *
 * Providers report with a lag, so the last reported total is behind the truth. The nowcast adds the
 * burn rate over the unreported time: `spent + rate × (nowMs − dataThroughMs)`. It is an ESTIMATE
 * and is labelled so (`isEstimate: true`). It is never used for threshold alerts: those fire only
 * on reported spend, so a wrong rate can never raise (or hide) a "budget crossed" alert.
 */
import { HOUR_MS } from './report';

/** An estimated spend at `nowMs`. */
export interface Nowcast {
  /** Reported spend plus the extrapolated unreported part, integer micros. */
  readonly estimatedMicros: number;
  /** Always true: this number is a guess and must be shown as one. */
  readonly isEstimate: true;
  /** Instant the extrapolation starts from (epoch ms): `dataThroughMs`, or `nowMs` when there is nothing to extrapolate. */
  readonly sinceMs: number;
}

/**
 * Estimates spend at `nowMs` from the last reported spend and the burn rate. Adds nothing when
 * `dataThroughMs` is null (no data yet) or not before `nowMs`, or when the rate is not positive.
 * The extra is rounded once to whole micros.
 * @example nowcast(10_000_000, 2_000_000, 0, 5_400_000) //=> { estimatedMicros: 13_000_000, isEstimate: true, sinceMs: 0 }
 */
export function nowcast(spentMicros: number, microsPerHour: number, dataThroughMs: number | null, nowMs: number): Nowcast {
  if (dataThroughMs === null || dataThroughMs >= nowMs) {
    return { estimatedMicros: spentMicros, isEstimate: true, sinceMs: dataThroughMs === null ? nowMs : Math.min(dataThroughMs, nowMs) };
  }
  const extraMicros = microsPerHour > 0 && Number.isFinite(microsPerHour) ? Math.round((microsPerHour * (nowMs - dataThroughMs)) / HOUR_MS) : 0;
  return { estimatedMicros: spentMicros + extraMicros, isEstimate: true, sinceMs: dataThroughMs };
}
