/**
 * When to refresh a connection next: a pure function of what the poller knows (CodexBar's pure
 * refresh policy). Time and randomness are parameters; the poller owns the timer.
 *
 * Order of decisions:
 * 1. Mode interval. Popover open → fast (a person is looking: wins over everything else).
 *    Else system idle/locked → slow (nobody can act; the poller refreshes on unlock anyway).
 *    Else near a threshold → fast (a missed crossing costs money; one small call a minute costs
 *    little battery, so this wins over battery). Else on battery → slow. Else the base interval.
 *    Fast never slows a base that is already faster; slow never speeds up a base that is slower.
 * 2. Failures: "equal jitter" exponential backoff. ceiling = min(max(30 min, interval),
 *    interval × 2^failures); delay = ceiling/2 + random × ceiling/2 (so within [ceiling/2, ceiling]),
 *    rounded down to whole ms, and never below the mode interval — so a failing connection is
 *    never polled faster than a healthy one, and failing connections spread out instead of
 *    retrying in lockstep.
 * 3. Floors: never less than the provider's Retry-After, never less than the adapter's minRefreshMs.
 * 4. Rate-limit headers (X-RateLimit-Remaining / -Reset of the last answer): the reads left are
 *    spread evenly until the window resets, keeping {@link RATE_LIMIT_RESERVE} for retries and
 *    "refresh now": delay ≥ (reset − now) / (remaining − reserve); with no read to spare, wait for
 *    the reset. A reset in the past or no headers change nothing.
 * 4b. Request budget: outside the fast modes (popover open, near a threshold), a connection whose
 *    refresh takes `requestsPerRefresh` > 1 requests makes at most {@link REQUESTS_PER_DAY} of them
 *    a day in regular refreshes, so it stays within {@link REQUEST_BUDGET_PER_DAY} a day with its
 *    daily whole-period fetch and hourly secondary calls. One request a refresh at the default
 *    5 minutes (288 a day) is within the budget and changes nothing.
 * 5. Ceiling: never more than {@link MAX_DELAY_MS} (24 h). A longer wait (a Retry-After of years) is
 *    a state to show ("rate-limited until …"), not a timer to arm: Node's timers overflow past
 *    2^31 - 1 ms (24.8 days) and then fire after 1 ms, which made a hostile Retry-After a request storm.
 */

/** Requests a connection may make in a day at default settings (issue 11). */
export const REQUEST_BUDGET_PER_DAY = 300;
/**
 * Requests a day for the regular refreshes of a connection that needs several per refresh: the
 * budget less what its daily whole-period fetch, the previous period and hourly secondary calls
 * take. A connection with one request a refresh is not slowed (288 a day at the default 5 minutes).
 */
export const REQUESTS_PER_DAY = 264;

/** Reads of a rate-limit window kept back for retries and manual refreshes. */
export const RATE_LIMIT_RESERVE = 2;

/** The default interval between refreshes: 5 minutes. */
export const DEFAULT_REFRESH_INTERVAL_MS = 5 * 60_000;
/** The interval while the popover is open or a workspace is near a threshold: 1 minute. */
export const FAST_REFRESH_INTERVAL_MS = 60_000;
/** The interval on battery or while the system is idle or locked: 30 minutes. */
export const SLOW_REFRESH_INTERVAL_MS = 30 * 60_000;
/** Failure backoff grows to at most this (or the mode interval, if that is longer): 30 minutes. */
export const MAX_BACKOFF_MS = 30 * 60_000;

/** No computed delay (interval, backoff, Retry-After, retry wait) is ever longer than this: 24 hours. */
export const MAX_DELAY_MS = 24 * 60 * 60_000;

/**
 * Makes any computed delay safe to hand to a timer: whole ms in [0, {@link MAX_DELAY_MS}];
 * NaN and negative values become 0, Infinity and anything longer become the cap.
 * @example capDelayMs(2_147_484_000_000) //=> 86_400_000
 */
export function capDelayMs(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(Math.ceil(ms), MAX_DELAY_MS);
}

/** What the poller knows about one connection when it schedules the next refresh. */
export interface RefreshInput {
  /** The configured interval (ms); default {@link DEFAULT_REFRESH_INTERVAL_MS}. Non-positive = default. */
  readonly baseIntervalMs?: number;
  /** The adapter's floor (ms): never refresh faster than this. */
  readonly minRefreshMs: number;
  /** A workspace of this connection is within 10 % below a threshold (see isNearThreshold). */
  readonly nearThreshold: boolean;
  /** The popover is open: a person is looking. */
  readonly popoverOpen: boolean;
  readonly onBattery: boolean;
  /** The system is idle or the screen is locked. */
  readonly systemIdle: boolean;
  /** Failed refreshes in a row (0 after a success). */
  readonly consecutiveFailures: number;
  /** How long the provider asked us to wait (ms), from the last failure. */
  readonly retryAfterMs?: number;
  /** Jitter source in [0, 1) (Math.random() in production; fixed in tests). Clamped into [0, 1]; NaN = 0. */
  readonly random: number;
  /** The provider's rate-limit state from its last answer's headers, with the current instant. */
  readonly rateLimit?: { readonly remaining?: number; readonly resetAtMs?: number; readonly nowMs: number };
  /** HTTP requests the connection's last regular refresh took (the request budget); default 1. */
  readonly requestsPerRefresh?: number;
}

/** When to refresh next, and why (for logs and the diagnostics view). */
export interface RefreshDecision {
  /** Whole milliseconds from now, never more than {@link MAX_DELAY_MS}. */
  readonly delayMs: number;
  /** E.g. "popover open: 1 min; backoff after 2 failures: 3 min 12 s; Retry-After: 5 min". */
  readonly reason: string;
}

/**
 * Decides the delay before the next refresh of a connection.
 * @example nextRefresh({ minRefreshMs: 0, nearThreshold: false, popoverOpen: false, onBattery: false,
 *   systemIdle: false, consecutiveFailures: 0, random: 0 }) //=> { delayMs: 300_000, reason: 'default interval: 5 min' }
 */
export function nextRefresh(input: RefreshInput): RefreshDecision {
  const base = input.baseIntervalMs !== undefined && input.baseIntervalMs > 0 ? input.baseIntervalMs : DEFAULT_REFRESH_INTERVAL_MS;
  const mode = modeInterval(input, base);
  const reasons = [`${mode.why}: ${formatDuration(mode.intervalMs)}`];
  let delayMs = mode.intervalMs;

  const failures = Number.isFinite(input.consecutiveFailures) ? Math.max(0, Math.floor(input.consecutiveFailures)) : 0;
  if (failures > 0) {
    const capMs = Math.max(MAX_BACKOFF_MS, mode.intervalMs);
    // 2^failures overflows nothing here: the exponent is capped long before doubles lose integers.
    const ceilingMs = Math.min(capMs, mode.intervalMs * 2 ** Math.min(failures, 40));
    const random = Number.isFinite(input.random) ? Math.min(Math.max(input.random, 0), 1) : 0;
    delayMs = Math.max(mode.intervalMs, Math.floor(ceilingMs / 2 + random * (ceilingMs / 2)));
    reasons.push(`backoff after ${failures} failure${failures === 1 ? '' : 's'}: ${formatDuration(delayMs)}`);
  }

  if (input.retryAfterMs !== undefined && Number.isFinite(input.retryAfterMs) && input.retryAfterMs > delayMs) {
    delayMs = Math.ceil(input.retryAfterMs);
    reasons.push(`Retry-After: ${formatDuration(delayMs)}`);
  }
  const limit = input.rateLimit;
  if (limit?.remaining !== undefined && limit.resetAtMs !== undefined && limit.resetAtMs > limit.nowMs) {
    const untilResetMs = limit.resetAtMs - limit.nowMs;
    const spare = limit.remaining - RATE_LIMIT_RESERVE;
    const spreadMs = spare > 0 ? Math.ceil(untilResetMs / spare) : untilResetMs;
    if (spreadMs > delayMs) {
      delayMs = spreadMs;
      reasons.push(`rate limit (${limit.remaining} reads left): ${formatDuration(delayMs)}`);
    }
  }
  const requests = input.requestsPerRefresh ?? 1;
  const fastMode = input.popoverOpen || (input.nearThreshold && !input.systemIdle);
  if (!fastMode && Number.isFinite(requests) && requests > 1) {
    const budgetMs = Math.ceil((requests * 86_400_000) / REQUESTS_PER_DAY);
    if (budgetMs > delayMs) {
      delayMs = budgetMs;
      reasons.push(`request budget (${requests} requests a refresh, ${REQUEST_BUDGET_PER_DAY} a day): ${formatDuration(delayMs)}`);
    }
  }
  if (Number.isFinite(input.minRefreshMs) && input.minRefreshMs > delayMs) {
    delayMs = Math.ceil(input.minRefreshMs);
    reasons.push(`provider minimum: ${formatDuration(delayMs)}`);
  }
  if (delayMs > MAX_DELAY_MS) {
    delayMs = MAX_DELAY_MS;
    reasons.push(`capped at ${formatDuration(delayMs)}`);
  }
  return { delayMs, reason: reasons.join('; ') };
}

function modeInterval(input: RefreshInput, base: number): { intervalMs: number; why: string } {
  const fast = Math.min(base, FAST_REFRESH_INTERVAL_MS);
  const slow = Math.max(base, SLOW_REFRESH_INTERVAL_MS);
  if (input.popoverOpen) return { intervalMs: fast, why: 'popover open' };
  if (input.systemIdle) return { intervalMs: slow, why: 'system idle or locked' };
  if (input.nearThreshold) return { intervalMs: fast, why: 'near a budget threshold' };
  if (input.onBattery) return { intervalMs: slow, why: 'on battery' };
  return { intervalMs: base, why: base === DEFAULT_REFRESH_INTERVAL_MS ? 'default interval' : 'configured interval' };
}

/**
 * Short human duration.
 * @example formatDuration(192_000) //=> '3 min 12 s'
 */
function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
