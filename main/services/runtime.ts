/**
 * The running engine, shared by the tray app and the headless CLI: polls every connection on its
 * own schedule, keeps the last good report (stale, never zero), persists snapshots and alert
 * state, evaluates the alert rules after each refresh and sends their notifications, and builds
 * the StatusDocument everything displays.
 *
 * Scheduling follows the pure refresh policy (main/core/refreshPolicy.ts): every connection has
 * its own timer, set after each of its refreshes to `last refresh + nextRefresh(...)` (base
 * interval, fast while the popover is open or its workspace is near a threshold, slow on battery
 * or while the system is idle, exponential backoff with jitter after failures, never sooner than
 * Retry-After or the adapter's `minRefreshMs`). One refresh is in flight per connection at a time;
 * `refreshNow` and `refreshAll` coalesce with it. Activity changes and a workspace coming near a
 * threshold only ever bring timers forward; a slower mode applies from the next refresh on.
 *
 * Alerts. Every connection refresh evaluates its workspace, so auth trouble, idle GPUs and
 * connection trouble are noticed at once (after a start: once every connection of the workspace
 * has answered, good or bad; a cached report never stands in for a fresh answer). But an
 * evaluation is a *complete observation* — the only kind the threshold, forecast and spike rules
 * count — only when it closes a round: every connection of the workspace has refreshed
 * successfully since the previous complete observation, with fresh data of the current period.
 * So "two consecutive observations" before a threshold notification means two rounds in which
 * every connection reported anew, not two connections of one round reporting milliseconds apart;
 * a single connection's glitch is never confirmed by a sibling's refresh. A failed fetch makes the
 * observation incomplete: it neither confirms a crossing nor counts as a recovery, and while a
 * connection keeps failing its workspace's budget alerts wait (the connection alert speaks).
 * Connection trouble is judged at evaluations, so a non-auth failure alerts at the first refresh
 * of the workspace after 3 intervals have passed (with a single connection: its next retry).
 *
 * Persistence and the outbox. The decision (alert state) and the notifications it produced go to
 * the snapshot store in one atomic write before any is shown (writes are coalesced: connections
 * refreshed together are saved once, at the end of that event-loop turn, and always before a
 * notification is handed to the notifier); a notification leaves the outbox only
 * once the notifier accepted it (or after a day of failures). So a crash or restart never repeats a
 * decided alert and never loses one: a notification decided but not shown is shown at the next
 * start, once (at-least-once only if the process dies between the OS accepting it and the write).
 */
import { DateTime } from 'luxon';
import type { AppSnapshot, StatusDocument, StatusErrorKind } from '../../preload/api';
import {
  emptyAlertState,
  evaluateAlerts,
  forgetOtherWorkspaces,
  isNearThreshold,
  parseAlertState,
  type AlertNotification,
  type AlertObservation,
  type AlertState,
} from '../core/alerts';
import { isProviderError } from '../core/errors';
import { currentPeriod, type PeriodWindow } from '../core/periods';
import { redact } from '../core/redact';
import { nextRefresh } from '../core/refreshPolicy';
import { summarizeAll, summarizeWorkspace, type WorkspaceSpend } from '../core/spend';
import { workspacePeriodSpec } from '../core/workspace';
import type { HttpClient } from '../providers/http';
import { adapterFor } from '../providers/registry';
import type { ProviderAdapter } from '../providers/types';
import type { BurnrateConfig, ConnectionConfig, WorkspaceConfig } from './config';
import type { ActivityState, Clock, Logger, Notifier, SpendService } from './ports';
import type { SnapshotData, SnapshotStore } from './snapshotStore';
import { buildStatusDocument, type ConnectionRuntimeState } from './statusDocument';

/** Timer functions (real ones by default; tests pass fakes driven by a fake clock). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options of {@link Runtime}. */
export interface RuntimeOptions {
  readonly config: BurnrateConfig;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /** Persists snapshots and alert state; without it nothing survives a restart. */
  readonly store?: SnapshotStore;
  /** Sends alert notifications; without it the alert rules are not evaluated. */
  readonly notifier?: Notifier;
  /** Called once for every notification, after the first attempt to show it. */
  readonly onNotification?: (notification: AlertNotification, delivered: boolean) => void;
  /** Called after every connection refresh (CLI watch prints a line). */
  readonly onRefresh?: (connectionKey: string, ok: boolean) => void;
  /** The numbers come from the built-in fakes. */
  readonly demo?: boolean;
  /** Timers of the schedule and of retry waits; fake ones in tests, driven with the fake clock. */
  readonly timers?: Timers;
}

/** How one refresh round behaves (CLI status: retries and a deadline). */
export interface RefreshOptions {
  /** Attempts per connection for transient failures (rate_limited, server, network). Default 1. */
  readonly attempts?: number;
  /** Longest Retry-After worth waiting for (ms); longer ones end the retries. Default: no limit. */
  readonly maxRetryAfterMs?: number;
  /** Aborts every request of the round (an overall deadline). */
  readonly signal?: AbortSignal;
}

/** How long a failed previous-period fetch waits before it is tried again. */
const PREVIOUS_RETRY_MS = 60 * 60_000;
/** A notification the notifier keeps refusing is dropped from the outbox after this long. */
const OUTBOX_MAX_AGE_MS = 24 * 60 * 60_000;

interface ConnectionState extends ConnectionRuntimeState {
  readonly key: string;
  readonly workspace: WorkspaceConfig;
  readonly connection: ConnectionConfig;
  readonly adapter: ProviderAdapter<unknown>;
  previousAttemptAtMs: number | undefined;
  consecutiveFailures: number;
  retryAfterUntilMs: number | undefined;
  retryAfterMs: number | undefined;
  inFlight: Promise<void> | undefined;
  timer: unknown;
  nextAtMs: number | undefined;
  /** A refresh (good or failed) has finished since this Runtime started. */
  reported: boolean;
}

/** One workspace and what the runtime remembers about it between refreshes. */
interface WorkspaceRuntime {
  readonly config: WorkspaceConfig;
  readonly states: readonly ConnectionState[];
  /** `nowMs` of the last complete observation (a closed round); undefined since start. */
  lastCompleteAtMs: number | undefined;
  /** The current period (recomputed once it has ended) and, once asked for, the one before it. */
  period: PeriodWindow | undefined;
  previousPeriod: PeriodWindow | undefined;
  /** Reported spend of the current period as of the last refresh (drives near-threshold polling). */
  spentMicros: number | undefined;
}

/** The engine. Create, then `start()` (poll forever) or `refreshAll()` (one round). */
export class Runtime implements SpendService {
  private readonly states: ConnectionState[] = [];
  private readonly workspaces: WorkspaceRuntime[] = [];
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly stopController = new AbortController();
  private alertState: AlertState = emptyAlertState();
  /** Decided, persisted, not yet accepted by the notifier. */
  private outbox: AlertNotification[] = [];
  /** Deliveries run one after another; this is the tail of that chain. */
  private flushing: Promise<void> = Promise.resolve();
  /** Notifications already reported through onNotification (retries are not printed twice). */
  private readonly announced = new Set<string>();
  private activity: ActivityState = { onBattery: false, systemIdle: false, popoverOpen: false };
  private selectedWorkspaceId: string | null = null;
  private running = false;
  private refreshingCount = 0;
  private lastStatus: StatusDocument | undefined;
  private persistPending = false;

  constructor(private readonly options: RuntimeOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    for (const workspace of options.config.workspaces) {
      const states: ConnectionState[] = workspace.connections.map((connection) => ({
        key: `${workspace.workspace.id}/${connection.id}`,
        workspace,
        connection,
        adapter: adapterFor(connection.provider),
        current: undefined,
        previous: undefined,
        fromCache: false,
        fetchedAtMs: undefined,
        error: undefined,
        failingSinceMs: undefined,
        previousAttemptAtMs: undefined,
        consecutiveFailures: 0,
        retryAfterUntilMs: undefined,
        retryAfterMs: undefined,
        inFlight: undefined,
        timer: undefined,
        nextAtMs: undefined,
        reported: false,
      }));
      this.states.push(...states);
      this.workspaces.push({ config: workspace, states, lastCompleteAtMs: undefined, period: undefined, previousPeriod: undefined, spentMicros: undefined });
    }
    this.loadCache();
  }

  /** Cache first: last-known reports, alert state and undelivered notifications from the snapshot store. */
  private loadCache(): void {
    const store = this.options.store;
    if (!store) return;
    const data = store.load();
    const parsed = parseAlertState(data.alerts ?? emptyAlertState());
    if (parsed.reason && data.alerts !== null) this.options.logger.warn(`Alert state reset: ${parsed.reason}`);
    this.alertState = forgetOtherWorkspaces(parsed.state, this.options.config.workspaces.map((w) => w.workspace.id));
    const workspaceIds = new Set(this.options.config.workspaces.map((w) => w.workspace.id));
    this.outbox = data.outbox.filter((notification) => workspaceIds.has(notification.workspaceId));
    for (const state of this.states) {
      const cached = data.connections[state.key];
      // An edited connection (other provider, URL or filters) must not show the old numbers.
      if (!cached || cached.fingerprint !== state.connection.fingerprint) continue;
      state.current = cached.current;
      state.previous = cached.previous;
      state.fromCache = cached.current !== undefined;
      state.fetchedAtMs = cached.current?.fetchedAtMs;
      // The connection-trouble rule measures the episode from its first failure, across restarts.
      state.failingSinceMs = cached.failingSinceMs;
    }
  }

  /**
   * Saves at the end of this turn of the event loop: connections refreshed together are written
   * once. A delivery saves first (persistIfPending), so nothing is shown before its decision is
   * on disk; a crash before the write loses only a decision nobody saw, which is then made again.
   */
  private persistSoon(): void {
    if (!this.options.store || this.persistPending) return;
    this.persistPending = true;
    setImmediate(() => this.persistIfPending());
  }

  private persistIfPending(): void {
    if (this.persistPending) this.persist();
  }

  private persist(): void {
    this.persistPending = false;
    const store = this.options.store;
    if (!store) return;
    const connections: Record<string, SnapshotData['connections'][string]> = {};
    for (const state of this.states) {
      if (!state.current && !state.previous && state.failingSinceMs === undefined) continue;
      connections[state.key] = {
        fingerprint: state.connection.fingerprint,
        ...(state.current ? { current: state.current } : {}),
        ...(state.previous ? { previous: state.previous } : {}),
        ...(state.failingSinceMs === undefined ? {} : { failingSinceMs: state.failingSinceMs }),
      };
    }
    try {
      store.save({ version: 1, connections, alerts: this.alertState, outbox: this.outbox });
    } catch (error) {
      this.options.logger.error(`Could not save the snapshot file ${store.file}.`, { code: (error as NodeJS.ErrnoException).code });
    }
  }

  /**
   * Starts polling: shows notifications left in the outbox, refreshes every connection now, then
   * each on its own schedule. Resolves after the first round (not waiting for notifications).
   */
  async start(): Promise<void> {
    this.running = true;
    this.emit();
    if (this.outbox.length > 0) void this.flushOutbox();
    await this.refreshAll();
  }

  /**
   * Stops timers and cancels requests in flight, then saves. Does not wait for a notification
   * being shown: one the notifier has not accepted yet stays in the outbox for the next start.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopController.abort();
    for (const state of this.states) {
      if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.nextAtMs = undefined;
    }
    await Promise.allSettled(this.states.map((s) => s.inFlight));
    this.persist();
  }

  /** Refreshes every connection once (in parallel); resolves when all have finished and are saved. */
  async refreshAll(options: RefreshOptions = {}): Promise<void> {
    await Promise.all(this.states.map((state) => this.refreshConnection(state, options)));
    this.persistIfPending();
  }

  /**
   * Refresh now (tray menu, popover button): coalesces with refreshes in flight and skips
   * connections whose provider asked to wait (Retry-After). Explicit intent, so it does not wait
   * for the regular interval or the adapter's `minRefreshMs`.
   */
  async refreshNow(): Promise<void> {
    const nowMs = this.options.clock.now();
    await Promise.all(
      this.states
        .filter((state) => state.inFlight || state.retryAfterUntilMs === undefined || state.retryAfterUntilMs <= nowMs)
        .map((state) => this.refreshConnection(state, {})),
    );
  }

  /**
   * Resolves once nothing is in flight (no refresh, no evaluation, no notification being shown)
   * and everything is saved. For tests driving a fake clock and for orderly shutdowns.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const flushing = this.flushing;
      const inFlight = this.states.map((s) => s.inFlight).filter((p) => p !== undefined);
      await Promise.allSettled([...inFlight, flushing]);
      if (flushing === this.flushing && this.states.every((s) => s.inFlight === undefined)) break;
    }
    this.persistIfPending();
  }

  selectWorkspace(workspaceId: string | null): void {
    const known = workspaceId === null || this.options.config.workspaces.some((w) => w.workspace.id === workspaceId);
    if (!known) throw new Error(`Unknown workspace "${workspaceId}".`);
    this.selectedWorkspaceId = workspaceId;
    this.emit();
  }

  setActivity(patch: Partial<ActivityState>): void {
    const before = this.activity;
    this.activity = { ...before, ...patch };
    const changed =
      before.onBattery !== this.activity.onBattery || before.systemIdle !== this.activity.systemIdle || before.popoverOpen !== this.activity.popoverOpen;
    if (this.running && changed) {
      // A person opened the popover or came back: bring sooner refreshes forward (slower modes apply from the next refresh).
      for (const state of this.states) if (!state.inFlight) this.schedule(state);
    }
  }

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current status document (numbers as of now). */
  status(): StatusDocument {
    const nowMs = this.options.clock.now();
    const document = buildStatusDocument({
      nowMs,
      demo: this.options.demo ?? false,
      secrets: this.options.config.secrets,
      workspaces: this.workspaces.map((ws) => ({ config: ws.config, spend: this.summarize(ws, nowMs), states: ws.states })),
      all: (spendList) => summarizeAll(spendList),
    });
    this.lastStatus = document;
    return document;
  }

  /** The snapshot for the popover and tray. */
  snapshot(): AppSnapshot {
    return {
      status: this.status(),
      selectedWorkspaceId: this.selectedWorkspaceId,
      refreshing: this.refreshingCount > 0,
      fromCache: this.states.some((s) => s.fromCache),
    };
  }

  /** True when any connection's latest refresh failed. */
  hasFailures(): boolean {
    return this.states.some((s) => s.error !== undefined);
  }

  /** Latest status document built (undefined before the first `status()`). */
  get latestStatus(): StatusDocument | undefined {
    return this.lastStatus;
  }

  private summarize(ws: WorkspaceRuntime, nowMs: number): WorkspaceSpend {
    return summarizeWorkspace({
      workspace: ws.config.workspace,
      nowMs,
      connections: ws.states.map((s) => ({
        connectionId: s.connection.id,
        provider: s.connection.provider,
        report: s.current?.report ?? null,
        previousReport: s.previous?.report ?? null,
        stale: s.error !== undefined || s.fromCache,
      })),
    });
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.options.logger.error('A snapshot listener failed.', { message: (error as Error).message });
      }
    }
  }

  private workspaceOf(state: ConnectionState): WorkspaceRuntime {
    const ws = this.workspaces.find((w) => w.config === state.workspace);
    if (!ws) throw new Error(`No workspace for ${state.key}.`);
    return ws;
  }

  private refreshConnection(state: ConnectionState, options: RefreshOptions): Promise<void> {
    if (state.inFlight) return state.inFlight;
    if (state.timer !== undefined) {
      this.timers.clearTimeout(state.timer);
      state.timer = undefined;
      state.nextAtMs = undefined;
    }
    this.refreshingCount += 1;
    if (this.refreshingCount === 1) this.emit();
    state.inFlight = this.fetchConnection(state, options)
      .catch((error: unknown) => {
        // fetchConnection turns every provider failure into state; this is a bug guard.
        this.options.logger.error(`Refreshing ${state.key} failed unexpectedly.`, { message: (error as Error).message });
      })
      .then(() => {
        state.inFlight = undefined;
        state.reported = true;
        this.refreshingCount -= 1;
        this.afterRefresh(state);
      })
      .catch((error: unknown) => {
        this.options.logger.error(`Evaluating ${state.key} failed unexpectedly.`, { message: (error as Error).message });
      });
    return state.inFlight;
  }

  /** After each refresh: roll up, decide alerts, save (decision and outbox together), tell, reschedule, notify. */
  private afterRefresh(state: ConnectionState): void {
    const ws = this.workspaceOf(state);
    const nowMs = this.options.clock.now();
    const wasNear = this.isNear(ws);
    ws.spentMicros = this.spentMicros(ws, nowMs);
    const stopped = this.stopController.signal.aborted;
    // A refresh cut short by stop() observed nothing: no alert decisions on it. Nor before every
    // connection of the workspace has answered once since start: a cached report says nothing
    // about whether its connection works now (it would end a failure episode that goes on).
    if (this.options.notifier && !stopped && ws.states.every((s) => s.reported)) this.evaluateWorkspace(ws, nowMs);
    this.persistSoon();
    this.options.onRefresh?.(state.key, state.error === undefined);
    this.emit();
    if (this.running) {
      this.schedule(state);
      // The workspace just came near a threshold: its other connections speed up too.
      if (!wasNear && this.isNear(ws)) for (const other of ws.states) if (other !== state && !other.inFlight) this.schedule(other);
    }
    if (this.options.notifier && !stopped && this.outbox.length > 0) void this.flushOutbox();
  }

  private async fetchConnection(state: ConnectionState, options: RefreshOptions): Promise<void> {
    const { connection, adapter } = state;
    const ws = this.workspaceOf(state);
    const nowMs = this.options.clock.now();
    if (connection.keyProblem || connection.apiKey === undefined) {
      this.fail(state, 'config', `${connection.name}: ${connection.keyProblem ?? 'no API key'}`, undefined, nowMs);
      return;
    }
    const period = this.periodOf(ws, nowMs);
    const range = { startMs: period.startMs, endMs: Math.min(period.endMs, Math.max(nowMs, period.startMs + 60_000)) };
    const signal = options.signal ? AbortSignal.any([options.signal, this.stopController.signal]) : this.stopController.signal;
    const attempts = Math.max(1, options.attempts ?? 1);
    const context = { http: this.options.http, apiKey: connection.apiKey, settings: connection.settings, signal, nowMs };

    for (let attempt = 1; ; attempt += 1) {
      try {
        const report = await adapter.fetchUsage(range, context);
        state.current = { periodKey: period.key, fetchedAtMs: this.options.clock.now(), report };
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
        if (deadline || (error.aborted && !this.stopController.signal.aborted)) {
          this.fail(state, 'network', `${adapter.displayName} did not answer before the deadline`, undefined, nowMs);
          return;
        }
        if (this.stopController.signal.aborted) return;
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
        await this.sleep(retryAfterMs ?? backoffMs * (1 + this.random()), signal);
        if (signal.aborted) {
          if (this.stopController.signal.aborted) return;
          this.fail(state, error.kind, error.message, retryAfterMs, nowMs);
          return;
        }
      }
    }

    // History for the projection (previous period's pace, day-of-week profile): once per period.
    const previous = this.previousPeriodOf(ws, nowMs);
    const needsPrevious = state.previous?.periodKey !== previous.key;
    const mayTry = state.previousAttemptAtMs === undefined || nowMs - state.previousAttemptAtMs >= PREVIOUS_RETRY_MS;
    if (needsPrevious && mayTry && !signal.aborted) {
      state.previousAttemptAtMs = nowMs;
      try {
        const report = await adapter.fetchUsage({ startMs: previous.startMs, endMs: previous.endMs }, { ...context, nowMs: this.options.clock.now() });
        state.previous = { periodKey: previous.key, fetchedAtMs: this.options.clock.now(), report };
      } catch (error) {
        this.options.logger.info(`${state.key}: the previous period could not be fetched; projections use this period only.`, {
          kind: isProviderError(error) ? error.kind : 'unknown',
        });
      }
    }
  }

  /** Waits on the runtime's timers (fake in tests), cut short by `signal`. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        this.timers.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.timers.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private fail(state: ConnectionState, kind: StatusErrorKind, message: string, retryAfterMs: number | undefined, nowMs: number): void {
    state.error = { kind, message: redact(message, this.options.config.secrets), atMs: nowMs };
    state.failingSinceMs ??= nowMs;
    state.consecutiveFailures += 1;
    state.retryAfterMs = retryAfterMs;
    state.retryAfterUntilMs = retryAfterMs === undefined ? undefined : nowMs + retryAfterMs;
    this.options.logger.info(`${state.key}: ${state.error.message}`, { kind });
  }

  private isNear(ws: WorkspaceRuntime): boolean {
    const budget = ws.config.workspace.budget;
    return budget !== null && ws.spentMicros !== undefined && isNearThreshold(ws.spentMicros, budget.amountMicros, budget.thresholdsPercent);
  }

  /** The workspace's period at `nowMs` (cached: computing one costs a time-zone lookup). */
  private periodOf(ws: WorkspaceRuntime, nowMs: number): PeriodWindow {
    const cached = ws.period;
    if (cached !== undefined && cached.startMs <= nowMs && nowMs < cached.endMs) return cached;
    const spec = workspacePeriodSpec(ws.config.workspace);
    const period = currentPeriod(nowMs, ws.config.workspace.timeZone, spec.period, spec.cycleStartDay);
    ws.period = period;
    ws.previousPeriod = undefined;
    return period;
  }

  /** The period before the one at `nowMs`. */
  private previousPeriodOf(ws: WorkspaceRuntime, nowMs: number): PeriodWindow {
    const period = this.periodOf(ws, nowMs);
    if (ws.previousPeriod === undefined) {
      const spec = workspacePeriodSpec(ws.config.workspace);
      ws.previousPeriod = currentPeriod(period.startMs - 1, ws.config.workspace.timeZone, spec.period, spec.cycleStartDay);
    }
    return ws.previousPeriod;
  }

  /** Reported spend of the current period: the last good USD reports fetched for it (stale ones count: stale, not zero). */
  private spentMicros(ws: WorkspaceRuntime, nowMs: number): number {
    const period = this.periodOf(ws, nowMs);
    let total = 0;
    for (const s of ws.states) if (s.current?.periodKey === period.key && s.current.report.unit === 'usd') total += s.current.report.totalMicros;
    return total;
  }

  /** Delay before the next refresh of a connection. `healthy` asks for the interval without backoff (the connection-trouble rule's unit). */
  private decide(state: ConnectionState, healthy = false): number {
    return nextRefresh({
      baseIntervalMs: this.options.config.refreshIntervalMs,
      minRefreshMs: state.adapter.minRefreshMs,
      nearThreshold: this.isNear(this.workspaceOf(state)),
      popoverOpen: this.activity.popoverOpen,
      onBattery: this.activity.onBattery,
      systemIdle: this.activity.systemIdle,
      consecutiveFailures: healthy ? 0 : state.consecutiveFailures,
      ...(healthy || state.retryAfterMs === undefined ? {} : { retryAfterMs: state.retryAfterMs }),
      random: healthy ? 0 : this.random(),
    }).delayMs;
  }

  /** Sets the connection's timer to its last refresh + the policy's delay; an earlier timer already set is kept. */
  private schedule(state: ConnectionState): void {
    if (!this.running) return;
    const nowMs = this.options.clock.now();
    const delayMs = this.decide(state);
    const lastMs = state.error?.atMs ?? state.fetchedAtMs ?? nowMs;
    const atMs = Math.max(nowMs, lastMs + delayMs);
    if (state.timer !== undefined && state.nextAtMs !== undefined && state.nextAtMs <= atMs) return;
    if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
    state.nextAtMs = atMs;
    state.timer = this.timers.setTimeout(() => {
      state.timer = undefined;
      state.nextAtMs = undefined;
      void this.refreshConnection(state, {});
    }, atMs - nowMs);
  }

  /** Decides the workspace's alerts (pure rules), puts new notifications into the outbox. Synchronous. */
  private evaluateWorkspace(ws: WorkspaceRuntime, nowMs: number): void {
    const workspace = ws.config.workspace;
    const period = this.periodOf(ws, nowMs);
    const sinceLastComplete = ws.lastCompleteAtMs;
    const complete = ws.states.every(
      (s) =>
        s.error === undefined &&
        !s.fromCache &&
        s.current !== undefined &&
        s.current.periodKey === period.key &&
        (sinceLastComplete === undefined || s.current.fetchedAtMs > sinceLastComplete),
    );
    if (complete) ws.lastCompleteAtMs = nowMs;
    // The rules that read spend, projection and hours (threshold, forecast, spike) only look at
    // complete observations; the full roll-up is computed for those only.
    const spend = complete ? this.summarize(ws, nowMs) : undefined;
    const zone = workspace.timeZone;
    const observation: AlertObservation = {
      nowMs,
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      period: { key: period.key, startMs: period.startMs, endMs: period.endMs },
      budgetMicros: workspace.budget?.amountMicros ?? null,
      thresholdsPercent: workspace.budget?.thresholdsPercent ?? [],
      actualSpentMicros: spend ? spend.spentMicros : null,
      complete,
      forecastAlerts: workspace.forecastAlerts,
      forecast: spend?.forecast
        ? { projectedMicros: spend.projection.projectedMicros, confidence: spend.projection.confidence, crossesAtMs: spend.forecast.crossesAtMs }
        : null,
      hourlySeries: (spend?.hourlySeries ?? []).map((b) => ({ startMs: b.startMs, costMicros: b.costMicros })),
      // Only fresh reports speak for resources: a cached one says nothing about the last 24 hours.
      resources: ws.states
        .filter((s) => s.error === undefined && !s.fromCache)
        .flatMap((s) =>
          (s.current?.report.unit === 'usd' ? s.current.report.resources : []).map((r) => ({
            connectionId: s.connection.id,
            resourceId: r.id,
            name: r.name,
            dedicated: r.dedicated,
            ...(r.series ? { series: r.series } : {}),
          })),
        ),
      connections: ws.states.map((s) => ({
        connectionId: s.connection.id,
        providerName: s.connection.name,
        ok: s.error === undefined,
        ...(s.error ? { errorKind: s.error.kind, errorMessage: s.error.message } : {}),
        ...(s.failingSinceMs === undefined ? {} : { failingSinceMs: s.failingSinceMs }),
        refreshIntervalMs: this.decide(s, true),
      })),
    };
    const evaluation = evaluateAlerts(this.alertState, observation, {
      spikeFactor: this.options.config.alerts.spikeFactor,
      spikeMinMicros: this.options.config.alerts.spikeMinMicros,
      formatInstant: (ms) => DateTime.fromMillis(ms, { zone }).toFormat('LLL d, HH:mm ZZZZ'),
    });
    this.alertState = evaluation.state;
    // Outbox with the decision: the caller saves both in one write before anything is shown.
    this.outbox.push(...evaluation.notifications);
  }

  /** Shows the outbox's notifications, one delivery chain at a time (never the same one twice at once). */
  private flushOutbox(): Promise<void> {
    this.flushing = this.flushing.then(
      () => this.deliverOutbox(),
      () => this.deliverOutbox(),
    );
    return this.flushing;
  }

  private async deliverOutbox(): Promise<void> {
    const notifier = this.options.notifier;
    if (!notifier) return;
    for (const notification of [...this.outbox]) {
      if (!this.outbox.includes(notification)) continue;
      // The decision is on disk before anything is shown.
      this.persistIfPending();
      const identity = `${notification.key}@${notification.atMs}`;
      let delivered = false;
      try {
        await notifier.notify({ title: notification.title, body: notification.body, severity: notification.severity });
        delivered = true;
      } catch (error) {
        // Said once per notification: a machine without a notification service retries for a day.
        if (!this.announced.has(identity)) this.options.logger.warn(`Notification not shown (retried at each refresh for 24 h): ${(error as Error).message}`);
      }
      // Kept for the next attempt for a day; an OS without a notification daemon must not grow the file forever.
      if (delivered || this.options.clock.now() - notification.atMs >= OUTBOX_MAX_AGE_MS) {
        this.outbox = this.outbox.filter((n) => n !== notification);
        this.persistSoon();
      }
      if (!this.announced.has(identity)) {
        this.announced.add(identity);
        try {
          this.options.onNotification?.(notification, delivered);
        } catch (error) {
          this.options.logger.error('A notification listener failed.', { message: (error as Error).message });
        }
      }
    }
  }
}
