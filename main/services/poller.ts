/**
 * The connection poller: fetches every connection on its own schedule, with retries, and keeps the
 * last good report (stale, never zero).
 *
 * Scheduling follows the pure refresh policy (main/core/refreshPolicy.ts): every connection has
 * its own timer, set after each of its refreshes to `last refresh + nextRefresh(...)` (base
 * interval, fast while the popover is open or its workspace is near a threshold, slow on battery
 * or while the system is idle, exponential backoff with jitter after failures, never sooner than
 * Retry-After or the adapter's `minRefreshMs`). One refresh is in flight per connection at a time;
 * `refreshNow` and `refreshAll` coalesce with it. Activity changes and a workspace coming near a
 * threshold only ever bring timers forward; a slower mode applies from the next refresh on.
 *
 * What happens after a refresh (roll-up, alerts, saving, rescheduling) is the owner's business:
 * the poller calls `onRefreshed` and the owner calls {@link ConnectionPoller.schedule}.
 */
import type { StatusErrorKind } from '../../preload/api';
import { compactReport } from '../core/compactSeries';
import { isProviderError } from '../core/errors';
import { redact } from '../core/redact';
import { capDelayMs, MAX_DELAY_MS, nextRefresh } from '../core/refreshPolicy';
import type { UsageReport } from '../core/report';
import type { HttpClient } from '../providers/http';
import { FetchGate } from './fetchGate';
import { fetchPeriod } from './incrementalFetch';
import type { ActivityState, Clock, Logger, Timers } from './ports';
import { isNear, periodOf, previousPeriodOf, type ConnectionState } from './workspaceState';

/** How one refresh round behaves (CLI status: retries and a deadline). */
export interface RefreshOptions {
  /** Attempts per connection for transient failures (rate_limited, server, network). Default 1. */
  readonly attempts?: number;
  /** Longest Retry-After worth waiting for (ms); longer ones end the retries. Default: no limit. */
  readonly maxRetryAfterMs?: number;
  /** Aborts every request of the round (an overall deadline). */
  readonly signal?: AbortSignal;
  /**
   * Connections whose stored report of the current period was fetched less than this long ago
   * (and that were not failing) are not fetched again: their stored report counts as fresh
   * (`burnrate status` answering from the spend database). Default: every connection is fetched.
   */
  readonly maxAgeMs?: number;
}

/** The rate-limit headers of the connection's last fresh answer, for the refresh policy. */
function rateLimitOf(state: ConnectionState, nowMs: number): { rateLimit?: { remaining?: number; resetAtMs?: number; nowMs: number } } {
  const limit = state.current?.report.extras.rateLimit;
  if (!limit || state.fromCache) return {};
  return {
    rateLimit: {
      ...(limit.remaining === undefined ? {} : { remaining: limit.remaining }),
      ...(limit.resetAtMs === undefined ? {} : { resetAtMs: limit.resetAtMs }),
      nowMs,
    },
  };
}

/** How long a failed previous-period fetch waits before it is tried again. */
const PREVIOUS_RETRY_MS = 60 * 60_000;

/** Options of {@link ConnectionPoller}. */
export interface PollerOptions {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: Timers;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
  /** Default refresh interval (ms) before the policy adjusts it. */
  readonly baseIntervalMs: number;
  /** Secrets redacted from every stored error message. */
  readonly secrets: readonly string[];
  /** The first refresh of a batch started (nothing was in flight). */
  readonly onRefreshing: () => void;
  /** A refresh finished (good or failed; `state` holds the outcome). */
  readonly onRefreshed: (state: ConnectionState) => void;
  /**
   * Fetch only the open tail of the period where the adapter allows it (default true); false
   * refetches the whole period at every refresh (the benchmark's naive baseline).
   */
  readonly incremental?: boolean;
  /**
   * Whole-period fetches (a month of hourly data: the head of the period, the previous period) in
   * flight at once across all connections, in rounds without a deadline (main/services/fetchGate.ts).
   * `burnrate watch` sets 1, for memory. Default: no limit.
   */
  readonly heavyFetchesAtOnce?: number;
}

/** Polls the given connections. Create, `start()`, then `stop()`. */
export class ConnectionPoller {
  private readonly stopController = new AbortController();
  private activityState: ActivityState = { onBattery: false, systemIdle: false, popoverOpen: false };
  private isRunning = false;
  private refreshingCount = 0;
  /** Whole-period fetches of all connections, limited outside deadline rounds (options.heavyFetchesAtOnce). */
  private readonly heavyGate: FetchGate | undefined;

  constructor(
    private readonly states: readonly ConnectionState[],
    private readonly options: PollerOptions,
  ) {
    this.heavyGate = options.heavyFetchesAtOnce === undefined ? undefined : new FetchGate(options.heavyFetchesAtOnce);
  }

  /** Timers are set from now on (after each refresh and on activity changes). */
  start(): void {
    this.isRunning = true;
  }

  /** Polling (between `start()` and `stop()`). */
  get running(): boolean {
    return this.isRunning;
  }

  /** `stop()` was called: requests were cancelled and what they return is no observation. */
  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** A refresh is in flight. */
  get refreshing(): boolean {
    return this.refreshingCount > 0;
  }

  /** Refreshes in flight (to wait for). */
  inFlight(): Promise<void>[] {
    return this.states.map((s) => s.inFlight).filter((p) => p !== undefined);
  }

  /** Stops timers and cancels requests in flight; resolves once they have all settled. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.stopController.abort();
    for (const state of this.states) {
      if (state.timer !== undefined) this.options.timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.nextAtMs = undefined;
    }
    await Promise.allSettled(this.states.map((s) => s.inFlight));
  }

  /** Refreshes every connection once (in parallel); resolves when all have finished. */
  async refreshAll(options: RefreshOptions = {}): Promise<void> {
    const nowMs = this.options.clock.now();
    const due = this.states.filter((state) => {
      const maxAgeMs = options.maxAgeMs;
      if (maxAgeMs === undefined || state.current === undefined || state.failingSinceMs !== undefined) return true;
      const fresh = state.current.periodKey === periodOf(state.workspace, nowMs).key && nowMs - state.current.fetchedAtMs < maxAgeMs;
      // Fresh enough from the database: shown as current data, not as a stale cache, and (when
      // polling) refreshed at its next scheduled time instead of now.
      if (fresh) {
        state.fromCache = false;
        this.schedule(state);
      }
      return !fresh;
    });
    await Promise.all(due.map((state) => this.refresh(state, options)));
  }

  /**
   * Refresh now (explicit intent): coalesces with refreshes in flight and skips connections whose
   * provider asked to wait (Retry-After); does not wait for the interval or `minRefreshMs`.
   */
  async refreshNow(): Promise<void> {
    const nowMs = this.options.clock.now();
    await Promise.all(
      this.states
        .filter((state) => state.inFlight || state.retryAfterUntilMs === undefined || state.retryAfterUntilMs <= nowMs)
        .map((state) => this.refresh(state, {})),
    );
  }

  /** Battery, idle and popover: a change brings sooner refreshes forward (slower modes apply from the next refresh). */
  setActivity(patch: Partial<ActivityState>): void {
    const before = this.activityState;
    this.activityState = { ...before, ...patch };
    const after = this.activityState;
    const changed = before.onBattery !== after.onBattery || before.systemIdle !== after.systemIdle || before.popoverOpen !== after.popoverOpen;
    if (this.isRunning && changed) for (const state of this.states) if (!state.inFlight) this.schedule(state);
  }

  /** Refreshes one connection, or joins the refresh in flight. */
  refresh(state: ConnectionState, options: RefreshOptions): Promise<void> {
    if (state.inFlight) return state.inFlight;
    if (state.timer !== undefined) {
      this.options.timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.nextAtMs = undefined;
    }
    this.refreshingCount += 1;
    if (this.refreshingCount === 1) this.options.onRefreshing();
    state.inFlight = this.fetchConnection(state, options)
      .catch((error: unknown) => {
        // fetchConnection turns every provider failure into state; this is a bug guard.
        this.options.logger.error(`Refreshing ${state.key} failed unexpectedly.`, { message: (error as Error).message });
      })
      .then(() => {
        state.inFlight = undefined;
        state.reported = true;
        this.refreshingCount -= 1;
        this.options.onRefreshed(state);
      })
      .catch((error: unknown) => {
        this.options.logger.error(`Evaluating ${state.key} failed unexpectedly.`, { message: (error as Error).message });
      });
    return state.inFlight;
  }

  /** Sets the connection's timer to its last refresh + the policy's delay; an earlier timer already set is kept. */
  schedule(state: ConnectionState): void {
    if (!this.isRunning) return;
    const { timers, clock } = this.options;
    const nowMs = clock.now();
    const delayMs = this.delayMs(state);
    const lastMs = state.error?.atMs ?? state.fetchedAtMs ?? nowMs;
    const atMs = Math.min(Math.max(nowMs, lastMs + delayMs), nowMs + MAX_DELAY_MS);
    if (state.timer !== undefined && state.nextAtMs !== undefined && state.nextAtMs <= atMs) return;
    if (state.timer !== undefined) timers.clearTimeout(state.timer);
    state.nextAtMs = atMs;
    state.timer = timers.setTimeout(() => {
      state.timer = undefined;
      state.nextAtMs = undefined;
      void this.refresh(state, {});
    }, atMs - nowMs);
  }

  /** The connection's refresh interval without backoff or jitter (the connection-trouble rule's unit). */
  healthyIntervalMs(state: ConnectionState): number {
    return this.delayMs(state, true);
  }

  /** Delay before the next refresh of a connection. `healthy` asks for the interval without backoff. */
  private delayMs(state: ConnectionState, healthy = false): number {
    return nextRefresh({
      baseIntervalMs: this.options.baseIntervalMs,
      minRefreshMs: state.adapter.minRefreshMs,
      nearThreshold: isNear(state.workspace),
      popoverOpen: this.activityState.popoverOpen,
      onBattery: this.activityState.onBattery,
      systemIdle: this.activityState.systemIdle,
      consecutiveFailures: healthy ? 0 : state.consecutiveFailures,
      ...(healthy || state.retryAfterMs === undefined ? {} : { retryAfterMs: state.retryAfterMs }),
      random: healthy ? 0 : this.options.random(),
      ...rateLimitOf(state, this.options.clock.now()),
      ...(state.requestsPerRefresh === undefined ? {} : { requestsPerRefresh: state.requestsPerRefresh }),
    }).delayMs;
  }

  private async fetchConnection(state: ConnectionState, options: RefreshOptions): Promise<void> {
    const { connection, adapter } = state;
    const { clock } = this.options;
    const ws = state.workspace;
    const nowMs = clock.now();
    if (connection.keyProblem || connection.apiKey === undefined) {
      this.fail(state, 'config', `${connection.name}: ${connection.keyProblem ?? 'no API key'}`, undefined, nowMs);
      return;
    }
    const period = periodOf(ws, nowMs);
    const range = { startMs: period.startMs, endMs: Math.min(period.endMs, Math.max(nowMs, period.startMs + 60_000)) };
    const stopSignal = this.stopController.signal;
    const signal = options.signal ? AbortSignal.any([options.signal, stopSignal]) : stopSignal;
    const attempts = Math.max(1, options.attempts ?? 1);
    const context = { http: this.options.http, apiKey: connection.apiKey, settings: connection.settings, signal, nowMs, memory: state.memory };
    // With a limit (watch), the schedule's rounds fetch whole periods one at a time, for memory;
    // a round with a deadline (`status`, `export`) fetches them all at once, to meet it.
    const gate = options.signal === undefined ? this.heavyGate : undefined;

    for (let attempt = 1; ; attempt += 1) {
      try {
        const report = await fetchPeriod(state, range, period.key, context, { incremental: this.options.incremental !== false, logger: this.options.logger, ...(gate ? { heavy: gate } : {}) });
        state.current = { periodKey: period.key, fetchedAtMs: clock.now(), report: compactReport(report) };
        state.fetchedAtMs = state.current.fetchedAtMs;
        state.fromCache = false;
        state.error = undefined;
        state.failingSinceMs = undefined;
        state.consecutiveFailures = 0;
        state.retryAfterMs = undefined;
        state.retryAfterUntilMs = undefined;
        break;
      } catch (error) {
        const deadline = options.signal?.aborted ?? false;
        if (!isProviderError(error)) {
          this.fail(state, 'bad_response', `${adapter.displayName} failed unexpectedly: ${(error as Error).message}`, undefined, nowMs);
          return;
        }
        if (deadline || (error.aborted && !stopSignal.aborted)) {
          this.fail(state, 'network', `${adapter.displayName} did not answer before the deadline`, undefined, nowMs);
          return;
        }
        if (stopSignal.aborted) return;
        const retryAfterMs = error.retryAfterMs;
        const canRetry =
          error.transient &&
          attempt < attempts &&
          (retryAfterMs === undefined || retryAfterMs <= (options.maxRetryAfterMs ?? Number.POSITIVE_INFINITY));
        if (!canRetry) {
          this.fail(state, error.kind, error.message, retryAfterMs, nowMs);
          return;
        }
        // Retry-After when given, else exponential backoff with jitter: 0.5–1 s, 1–2 s, …
        const backoffMs = 500 * 2 ** (attempt - 1);
        await this.sleep(capDelayMs(retryAfterMs ?? backoffMs * (1 + this.options.random())), signal);
        if (signal.aborted) {
          if (stopSignal.aborted) return;
          this.fail(state, error.kind, error.message, retryAfterMs, nowMs);
          return;
        }
      }
    }

    // History for the projection (previous period's pace, day-of-week profile): once per period.
    const previous = previousPeriodOf(ws, nowMs);
    const needsPrevious = state.previous?.periodKey !== previous.key;
    const mayTry = state.previousAttemptAtMs === undefined || nowMs - state.previousAttemptAtMs >= PREVIOUS_RETRY_MS;
    if (needsPrevious && mayTry && !signal.aborted) {
      state.previousAttemptAtMs = nowMs;
      try {
        const fetchPrevious = (): Promise<UsageReport> => adapter.fetchUsage({ startMs: previous.startMs, endMs: previous.endMs }, { ...context, nowMs: clock.now() });
        const report = gate ? await gate.run(signal, fetchPrevious) : await fetchPrevious();
        state.previous = { periodKey: previous.key, fetchedAtMs: clock.now(), report: compactReport(report) };
      } catch (error) {
        this.options.logger.info(`${state.key}: the previous period could not be fetched; projections use this period only.`, {
          kind: isProviderError(error) ? error.kind : 'unknown',
        });
      }
    }
  }

  /** Waits on the poller's timers (fake in tests), cut short by `signal`. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        this.options.timers.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.options.timers.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private fail(state: ConnectionState, kind: StatusErrorKind, message: string, retryAfterMs: number | undefined, nowMs: number): void {
    // A wait longer than any timer Burnrate arms is a state to show, not a timer: the next try is
    // MAX_DELAY_MS away (refreshPolicy), and the message says until when the provider refuses.
    const until =
      retryAfterMs !== undefined && retryAfterMs > MAX_DELAY_MS
        ? `; rate-limited until ${isoOrFar(nowMs + retryAfterMs)}, next try at ${isoOrFar(nowMs + MAX_DELAY_MS)}`
        : '';
    state.error = { kind, message: redact(`${message}${until}`, this.options.secrets), atMs: nowMs };
    state.failingSinceMs ??= nowMs;
    state.consecutiveFailures += 1;
    state.retryAfterMs = retryAfterMs;
    state.retryAfterUntilMs = retryAfterMs === undefined ? undefined : nowMs + retryAfterMs;
    this.options.logger.info(`${state.key}: ${state.error.message}`, { kind });
  }
}

/** An instant as ISO-8601 UTC; one past what a Date holds reads as "a far future date". */
function isoOrFar(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'a far future date' : date.toISOString();
}
