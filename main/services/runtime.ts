/**
 * The running engine, shared by the tray app and the headless CLI: polls every connection on its
 * own schedule, keeps the last good report (stale, never zero), persists snapshots and alert
 * state, evaluates the alert rules after each refresh and sends their notifications, and builds
 * the StatusDocument everything displays.
 *
 * Scheduling follows the pure refresh policy (main/core/refreshPolicy.ts); one refresh is in
 * flight per connection at a time and `refreshNow` coalesces with it.
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
import { currentPeriod, previousPeriod } from '../core/periods';
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
  /** Called for every notification (after the attempt to show it). */
  readonly onNotification?: (notification: AlertNotification, delivered: boolean) => void;
  /** Called after every connection refresh (CLI watch prints a line). */
  readonly onRefresh?: (connectionKey: string, ok: boolean) => void;
  /** The numbers come from the built-in fakes. */
  readonly demo?: boolean;
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
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The engine. Create, then `start()` (poll forever) or `refreshAll()` (one round). */
export class Runtime implements SpendService {
  private readonly states: ConnectionState[] = [];
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly stopController = new AbortController();
  private alertState: AlertState = emptyAlertState();
  private outbox: AlertNotification[] = [];
  /** Notifications already reported through onNotification (retries are not printed twice). */
  private readonly announced = new Set<string>();
  private activity: ActivityState = { onBattery: false, systemIdle: false, popoverOpen: false };
  private selectedWorkspaceId: string | null = null;
  private running = false;
  private refreshingCount = 0;
  private lastStatus: StatusDocument | undefined;
  private lastSpend = new Map<string, WorkspaceSpend>();

  constructor(private readonly options: RuntimeOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    for (const workspace of options.config.workspaces) {
      for (const connection of workspace.connections) {
        this.states.push({
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
        });
      }
    }
    if (options.config.workspaces.length > 0) this.selectedWorkspaceId = null;
    this.loadCache();
  }

  /** Cache first: last-known reports and alert state from the snapshot store. */
  private loadCache(): void {
    const store = this.options.store;
    if (!store) return;
    const data = store.load();
    const parsed = parseAlertState(data.alerts ?? emptyAlertState());
    if (parsed.reason && data.alerts !== null) this.options.logger.warn(`Alert state reset: ${parsed.reason}`);
    this.alertState = forgetOtherWorkspaces(parsed.state, this.options.config.workspaces.map((w) => w.workspace.id));
    this.outbox = [...data.outbox];
    for (const state of this.states) {
      const cached = data.connections[state.key];
      // An edited connection (other provider, URL or filters) must not show the old numbers.
      if (!cached || cached.fingerprint !== state.connection.fingerprint) continue;
      state.current = cached.current;
      state.previous = cached.previous;
      state.fromCache = cached.current !== undefined;
      state.fetchedAtMs = cached.current?.fetchedAtMs;
    }
  }

  private persist(): void {
    const store = this.options.store;
    if (!store) return;
    const connections: Record<string, SnapshotData['connections'][string]> = {};
    for (const state of this.states) {
      if (!state.current && !state.previous) continue;
      connections[state.key] = {
        fingerprint: state.connection.fingerprint,
        ...(state.current ? { current: state.current } : {}),
        ...(state.previous ? { previous: state.previous } : {}),
      };
    }
    try {
      store.save({ version: 1, connections, alerts: this.alertState, outbox: this.outbox });
    } catch (error) {
      this.options.logger.error(`Could not save the snapshot file ${store.file}.`, { code: (error as NodeJS.ErrnoException).code });
    }
  }

  /** Starts polling: every connection now, then on its own schedule. Resolves after the first round. */
  async start(): Promise<void> {
    this.running = true;
    this.emit();
    await this.flushOutbox();
    await this.refreshAll();
  }

  /** Stops timers and cancels requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopController.abort();
    for (const state of this.states) {
      if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
      state.timer = undefined;
    }
    await Promise.allSettled(this.states.map((s) => s.inFlight));
    this.persist();
  }

  /** Refreshes every connection once (in parallel); resolves when all have finished. */
  async refreshAll(options: RefreshOptions = {}): Promise<void> {
    await Promise.all(this.states.map((state) => this.refreshConnection(state, options)));
  }

  /** Refresh now (tray menu, popover button): coalesces with refreshes in flight, honours Retry-After. */
  async refreshNow(): Promise<void> {
    const nowMs = this.options.clock.now();
    await Promise.all(
      this.states
        .filter((state) => state.inFlight || state.retryAfterUntilMs === undefined || state.retryAfterUntilMs <= nowMs)
        .map((state) => this.refreshConnection(state, {})),
    );
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
    if (this.running && JSON.stringify(before) !== JSON.stringify(this.activity)) {
      // A person opened the popover or came back: bring sooner refreshes forward.
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
    const spends = new Map<string, WorkspaceSpend>();
    const document = buildStatusDocument({
      nowMs,
      demo: this.options.demo ?? false,
      secrets: this.options.config.secrets,
      workspaces: this.options.config.workspaces.map((workspace) => {
        const states = this.states.filter((s) => s.workspace === workspace);
        const spend = summarizeWorkspace({
          workspace: workspace.workspace,
          nowMs,
          connections: states.map((s) => ({
            connectionId: s.connection.id,
            provider: s.connection.provider,
            report: s.current?.report ?? null,
            previousReport: s.previous?.report ?? null,
            stale: s.error !== undefined || s.fromCache,
          })),
        });
        spends.set(workspace.workspace.id, spend);
        return { config: workspace, spend, states };
      }),
      all: (spendList) => summarizeAll(spendList),
    });
    this.lastSpend = spends;
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

  private refreshConnection(state: ConnectionState, options: RefreshOptions): Promise<void> {
    if (state.inFlight) return state.inFlight;
    if (state.timer !== undefined) {
      this.timers.clearTimeout(state.timer);
      state.timer = undefined;
    }
    this.refreshingCount += 1;
    if (this.refreshingCount === 1) this.emit();
    state.inFlight = this.fetchConnection(state, options)
      .catch((error: unknown) => {
        // fetchConnection turns every provider failure into state; this is a bug guard.
        this.options.logger.error(`Refreshing ${state.key} failed unexpectedly.`, { message: (error as Error).message });
      })
      .then(async () => {
        state.inFlight = undefined;
        this.refreshingCount -= 1;
        this.persist();
        this.options.onRefresh?.(state.key, state.error === undefined);
        if (this.options.notifier) await this.evaluateWorkspace(state.workspace);
        this.emit();
        if (this.running) this.schedule(state);
      });
    return state.inFlight;
  }

  private async fetchConnection(state: ConnectionState, options: RefreshOptions): Promise<void> {
    const { connection, adapter } = state;
    const workspace = state.workspace.workspace;
    const nowMs = this.options.clock.now();
    if (connection.keyProblem || connection.apiKey === undefined) {
      this.fail(state, 'config', `${connection.name}: ${connection.keyProblem ?? 'no API key'}`, undefined, nowMs);
      return;
    }
    const spec = workspacePeriodSpec(workspace);
    const period = currentPeriod(nowMs, workspace.timeZone, spec.period, spec.cycleStartDay);
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
        await sleep(retryAfterMs ?? backoffMs * (1 + this.random()), signal);
        if (signal.aborted) {
          this.fail(state, error.kind, error.message, retryAfterMs, nowMs);
          return;
        }
      }
    }

    // History for the projection (previous period's pace, day-of-week profile): once per period.
    const previous = previousPeriod(nowMs, workspace.timeZone, spec.period, spec.cycleStartDay);
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

  private fail(state: ConnectionState, kind: StatusErrorKind, message: string, retryAfterMs: number | undefined, nowMs: number): void {
    state.error = { kind, message: redact(message, this.options.config.secrets), atMs: nowMs };
    state.failingSinceMs ??= nowMs;
    state.consecutiveFailures += 1;
    state.retryAfterMs = retryAfterMs;
    state.retryAfterUntilMs = retryAfterMs === undefined ? undefined : nowMs + retryAfterMs;
    this.options.logger.info(`${state.key}: ${state.error.message}`, { kind });
  }

  /** Interval the policy would use now for a connection (for the connection-trouble rule and scheduling). */
  private decide(state: ConnectionState): { delayMs: number; reason: string } {
    const spend = this.lastSpend.get(state.workspace.workspace.id);
    const budget = state.workspace.workspace.budget;
    const nearThreshold = budget !== null && spend !== undefined && isNearThreshold(spend.spentMicros, budget.amountMicros, budget.thresholdsPercent);
    return nextRefresh({
      baseIntervalMs: this.options.config.refreshIntervalMs,
      minRefreshMs: state.adapter.minRefreshMs,
      nearThreshold,
      popoverOpen: this.activity.popoverOpen,
      onBattery: this.activity.onBattery,
      systemIdle: this.activity.systemIdle,
      consecutiveFailures: state.consecutiveFailures,
      ...(state.retryAfterMs === undefined ? {} : { retryAfterMs: state.retryAfterMs }),
      random: this.random(),
    });
  }

  private schedule(state: ConnectionState): void {
    if (!this.running) return;
    const nowMs = this.options.clock.now();
    const { delayMs } = this.decide(state);
    const lastMs = state.error?.atMs ?? state.fetchedAtMs ?? nowMs;
    const atMs = Math.max(nowMs, lastMs + delayMs);
    if (state.timer !== undefined && state.nextAtMs !== undefined && state.nextAtMs <= atMs) return;
    if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
    state.nextAtMs = atMs;
    state.timer = this.timers.setTimeout(() => {
      state.timer = undefined;
      void this.refreshConnection(state, {});
    }, atMs - nowMs);
  }

  private async evaluateWorkspace(workspace: WorkspaceConfig): Promise<void> {
    this.status();
    const spend = this.lastSpend.get(workspace.workspace.id);
    if (!spend) return;
    const states = this.states.filter((s) => s.workspace === workspace);
    const nowMs = this.options.clock.now();
    const complete = states.every((s) => s.error === undefined && !s.fromCache && s.current !== undefined);
    const zone = workspace.workspace.timeZone;
    const observation: AlertObservation = {
      nowMs,
      workspaceId: workspace.workspace.id,
      workspaceName: workspace.workspace.name,
      period: { key: spend.period.key, startMs: spend.period.startMs, endMs: spend.period.endMs, label: `this ${spend.period.period}` },
      budgetMicros: workspace.workspace.budget?.amountMicros ?? null,
      thresholdsPercent: workspace.workspace.budget?.thresholdsPercent ?? [],
      actualSpentMicros: complete ? spend.spentMicros : null,
      complete,
      forecastAlerts: workspace.workspace.forecastAlerts,
      forecast: spend.forecast
        ? { projectedMicros: spend.projection.projectedMicros, confidence: spend.projection.confidence, crossesAtMs: spend.forecast.crossesAtMs }
        : null,
      hourlySeries: spend.hourlySeries.map((b) => ({ startMs: b.startMs, costMicros: b.costMicros })),
      resources: states.flatMap((s) =>
        (s.current?.report.unit === 'usd' ? s.current.report.resources : []).map((r) => ({
          connectionId: s.connection.id,
          resourceId: r.id,
          name: r.name,
          dedicated: r.dedicated,
          ...(r.series ? { series: r.series } : {}),
        })),
      ),
      connections: states.map((s) => ({
        connectionId: s.connection.id,
        providerName: s.connection.name,
        ok: s.error === undefined,
        ...(s.error ? { errorKind: s.error.kind, errorMessage: s.error.message } : {}),
        ...(s.failingSinceMs === undefined ? {} : { failingSinceMs: s.failingSinceMs }),
        refreshIntervalMs: this.decide({ ...s, consecutiveFailures: 0, retryAfterMs: undefined }).delayMs,
      })),
    };
    const evaluation = evaluateAlerts(this.alertState, observation, {
      spikeFactor: this.options.config.alerts.spikeFactor,
      spikeMinMicros: this.options.config.alerts.spikeMinMicros,
      formatInstant: (ms) => DateTime.fromMillis(ms, { zone }).toFormat("LLL d, HH:mm ZZZZ"),
    });
    this.alertState = evaluation.state;
    if (evaluation.notifications.length > 0) {
      // Outbox first: once the decision is on disk, a crash before the OS shows it cannot lose it.
      this.outbox.push(...evaluation.notifications);
    }
    this.persist();
    await this.flushOutbox();
  }

  private async flushOutbox(): Promise<void> {
    const notifier = this.options.notifier;
    if (!notifier || this.outbox.length === 0) return;
    const pending = this.outbox;
    const kept: AlertNotification[] = [];
    const nowMs = this.options.clock.now();
    for (const notification of pending) {
      let delivered = false;
      try {
        await notifier.notify({ title: notification.title, body: notification.body, severity: notification.severity });
        delivered = true;
      } catch (error) {
        this.options.logger.warn(`Notification not shown: ${(error as Error).message}`);
        // Keep it for the next attempt for a day; an OS without a notification daemon must not grow the file forever.
        if (nowMs - notification.atMs < 24 * 60 * 60_000) kept.push(notification);
      }
      if (!this.announced.has(notification.key)) {
        this.announced.add(notification.key);
        this.options.onNotification?.(notification, delivered);
      }
    }
    this.outbox = kept;
    this.persist();
  }

  /** Latest status document built (undefined before the first `status()`). */
  get latestStatus(): StatusDocument | undefined {
    return this.lastStatus;
  }
}
