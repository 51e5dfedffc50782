/**
 * The running engine, shared by the tray app and the headless CLI. A thin composition of three
 * parts, plus persistence and the public API:
 * - the {@link ConnectionPoller} (./poller.ts) fetches each connection on its own schedule, with
 *   retries, and keeps the last good report (stale, never zero);
 * - after each refresh the workspace is observed ({@link observeWorkspace}, pure, main/core) and
 *   the alert rules decide ({@link evaluateAlerts}, pure);
 * - the {@link Outbox} (./outbox.ts) shows the notifications decided, only once they are saved.
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
import { zoneFor } from '../core/zones';
import type { ExportInput } from '../core/export';
import type { AppSnapshot, StatusDocument } from '../../preload/api';
import { emptyAlertState, evaluateAlerts, forgetOtherWorkspaces, parseAlertState, replaceWorkspaceEntries, type AlertNotification, type AlertState } from '../core/alerts';
import { observeWorkspace, summarizeObserved } from '../core/observation';
import { summarizeAll, type WorkspaceSpend } from '../core/spend';
import type { HttpClient } from '../providers/http';
import type { BurnrateConfig } from './config';
import { Outbox } from './outbox';
import { ConnectionPoller, type RefreshOptions } from './poller';
import { systemTimers, type ActivityState, type Clock, type Logger, type Notifier, type SpendService, type Timers } from './ports';
import type { SnapshotData } from './snapshotStore';
import type { RuntimeStore } from './spendStore';
import { KeptDocument } from './keptDocument';
import { buildStatusDocument, WorkspaceSections } from './statusDocument';
import { HistoryMemo, StoredTotals } from './workspaceHistory';
import { createWorkspaceStates, isNear, periodOf, reportedSpentMicros, type ConnectionState, type WorkspaceRuntime } from './workspaceState';

/** Options of {@link Runtime}. */
export interface RuntimeOptions {
  readonly config: BurnrateConfig;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  /** Persists snapshots and alert state; without it nothing survives a restart. */
  readonly store?: RuntimeStore;
  /** Sends alert notifications; without it the alert rules are not evaluated. */
  readonly notifier?: Notifier;
  /** Called once for every notification, after the first attempt to show it. */
  readonly onNotification?: (notification: AlertNotification, delivered: boolean) => void;
  /**
   * Asked before each delivery attempt (the person's preferences): `hold` keeps the notification in
   * the outbox for a later attempt (pause, quiet hours), `drop` removes it unshown (rule switched
   * off). Default: show everything.
   */
  readonly notificationGate?: (notification: AlertNotification) => 'show' | 'hold' | 'drop';
  /** Called after every connection refresh (CLI watch prints a line). */
  readonly onRefresh?: (connectionKey: string, ok: boolean) => void;
  /** The numbers come from the built-in fakes. */
  readonly demo?: boolean;
  /** Timers of the schedule and of retry waits; fake ones in tests, driven with the fake clock. */
  readonly timers?: Timers;
  /** Fetch only the open tail where the provider allows it (default true; see ConnectionPoller). */
  readonly incremental?: boolean;
  /** Whole-period fetches at once outside deadline rounds (see ConnectionPoller); `watch` sets 1. */
  readonly heavyFetchesAtOnce?: number;
}

/** Summaries are remade at least this often for unchanged inputs (burn rate and nowcast move with time). */
const SUMMARY_RESOLUTION_MS = 60_000;

/** The engine. Create, then `start()` (poll forever) or `refreshAll()` (one round). */
export class Runtime implements SpendService {
  private readonly workspaces: WorkspaceRuntime[];
  private readonly states: ConnectionState[];
  private readonly poller: ConnectionPoller;
  private readonly outbox: Outbox;
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();
  private alertState: AlertState = emptyAlertState();
  /** The last summary of each workspace and the inputs it was made from (see `summarize`). */
  private readonly summaries = new Map<WorkspaceRuntime, { minute: number; inputs: readonly unknown[]; spend: WorkspaceSpend }>();
  private selectedWorkspaceId: string | null = null;
  private persistPending = false;
  private readonly storedTotals: StoredTotals;
  /** The latest status document made, kept in the store for the next start (`serve` shows it at once). */
  private readonly kept = new KeptDocument();
  /** Each workspace's history and document section, made again only when their inputs change (linear watch rounds). */
  private readonly histories = new HistoryMemo();
  private readonly sections = new WorkspaceSections();

  constructor(private readonly options: RuntimeOptions) {
    this.workspaces = createWorkspaceStates(options.config);
    this.storedTotals = new StoredTotals(options.store, options.logger);
    this.states = this.workspaces.flatMap((ws) => ws.states);
    this.poller = new ConnectionPoller(this.states, {
      http: options.http,
      clock: options.clock,
      logger: options.logger,
      timers: options.timers ?? systemTimers,
      random: options.random ?? Math.random,
      baseIntervalMs: options.config.refreshIntervalMs,
      secrets: options.config.secrets,
      onRefreshing: () => this.emit(),
      onRefreshed: (state) => this.afterRefresh(state),
      ...(options.incremental === undefined ? {} : { incremental: options.incremental }),
      ...(options.heavyFetchesAtOnce === undefined ? {} : { heavyFetchesAtOnce: options.heavyFetchesAtOnce }),
    });
    this.outbox = new Outbox({
      notifier: options.notifier,
      clock: options.clock,
      logger: options.logger,
      saveDecision: () => this.persistIfPending(),
      onChange: () => this.persistSoon(),
      ...(options.onNotification ? { onNotification: options.onNotification } : {}),
      ...(options.notificationGate ? { gate: options.notificationGate } : {}),
      ...(options.store?.claim ? { claim: (n: AlertNotification) => options.store!.claim!(n) } : {}),
      ...(options.store?.settle ? { settle: (n: AlertNotification, outcome: 'delivered' | 'dropped' | 'released') => options.store!.settle!(n, outcome) } : {}),
    });
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
    this.outbox.restore(data.outbox.filter((notification) => workspaceIds.has(notification.workspaceId)));
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

  /** Saves now; `final` (at stop) also keeps the latest status document whenever it was last kept. */
  private persist(final = false): void {
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
      store.save({ version: 1, connections, alerts: this.alertState, outbox: this.outbox.pending });
      this.storedTotals.invalidate();
      this.kept.save(store, this.options.clock.now(), final);
      // Saved, the previous period's per-resource series stay in the database: only its totals are read (projection, comparison).
      for (const state of this.states) if (state.previous) state.previous = store.releasePreviousSeries?.(state.key, state.previous) ?? state.previous;
    } catch (error) {
      this.options.logger.error(`Could not save the snapshot file ${store.file}.`, { code: (error as NodeJS.ErrnoException).code });
    }
  }

  /**
   * Starts polling: shows notifications left in the outbox, refreshes every connection now (with
   * `maxAgeMs`: those whose stored data is older; the others at their next scheduled time), then
   * each on its own schedule. Resolves after the first round (not waiting for notifications).
   */
  async start(options: Pick<RefreshOptions, 'maxAgeMs'> = {}): Promise<void> {
    this.poller.start();
    this.emit();
    if (this.outbox.pending.length > 0) void this.outbox.flush();
    await this.refreshAll(options);
  }

  /**
   * Stops timers and cancels requests in flight, then saves. Does not wait for a notification
   * being shown: one the notifier has not accepted yet stays in the outbox for the next start.
   */
  async stop(): Promise<void> {
    await this.poller.stop();
    this.persist(true);
  }

  /** Refreshes every connection once (in parallel); resolves when all have finished and are saved. */
  async refreshAll(options: RefreshOptions = {}): Promise<void> {
    await this.poller.refreshAll(options);
    this.persistIfPending();
  }

  /**
   * Refresh now (tray menu, popover button): coalesces with refreshes in flight and skips
   * connections whose provider asked to wait (Retry-After). Explicit intent, so it does not wait
   * for the regular interval or the adapter's `minRefreshMs`.
   */
  refreshNow(): Promise<void> {
    return this.poller.refreshNow();
  }

  /**
   * Resolves once nothing is in flight (no refresh, no evaluation, no notification being shown)
   * and everything is saved. For tests driving a fake clock and for orderly shutdowns.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      const flushing = this.outbox.settled;
      await Promise.allSettled([...this.poller.inFlight(), flushing]);
      if (flushing === this.outbox.settled && this.poller.inFlight().length === 0) break;
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
    this.poller.setActivity(patch);
  }

  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current status document (numbers as of now). */
  status(): StatusDocument {
    const nowMs = this.options.clock.now();
    return this.kept.made(
      buildStatusDocument({
        nowMs,
        demo: this.options.demo ?? false,
        secrets: this.options.config.secrets,
        workspaces: this.workspaces.map((ws) => {
          const spend = this.summarize(ws, nowMs);
          return { config: ws.config, spend, states: ws.states, history: this.histories.of(ws, spend, nowMs, this.storedTotals.rows()) };
        }),
        all: (spendList) => summarizeAll(spendList),
        sections: this.sections,
      }),
    );
  }

  /** The snapshot for the popover and tray. */
  snapshot(): AppSnapshot {
    return {
      status: this.status(),
      selectedWorkspaceId: this.selectedWorkspaceId,
      refreshing: this.poller.refreshing,
      fromCache: this.states.some((s) => s.fromCache),
    };
  }

  /**
   * Each connection's report for its workspace's current period, exactly as `status()` counts it
   * (last good values included, marked stale): the input of `burnrate export`.
   */
  periodReports(): ExportInput[] {
    const nowMs = this.options.clock.now();
    return this.workspaces.flatMap((ws) => {
      const period = periodOf(ws, nowMs);
      return ws.states.map((s) => ({
        workspaceId: ws.config.workspace.id,
        connectionId: s.connection.id,
        provider: s.connection.provider,
        range: { startMs: period.startMs, endMs: period.endMs },
        report: s.current?.report ?? null,
        stale: s.error !== undefined || s.fromCache,
      }));
    });
  }

  /**
   * One summary per change: a workspace is summarized again only when one of its inputs changed
   * (a report, an error, cached vs fresh) or the minute turned (burn rate and nowcast move with
   * time). The tray, popover, status document, metrics and `watch` line all read this one, so a
   * watch round costs linear time in the number of connections, not connections × workspaces.
   */
  private summarize(ws: WorkspaceRuntime, nowMs: number): WorkspaceSpend {
    const minute = Math.floor(nowMs / SUMMARY_RESOLUTION_MS);
    const inputs = ws.states.flatMap((s) => [s.current, s.previous, s.error, s.fromCache]);
    const cached = this.summaries.get(ws);
    if (cached && cached.minute === minute && cached.inputs.length === inputs.length && cached.inputs.every((value, i) => value === inputs[i])) return cached.spend;
    const spend = summarizeObserved(ws.config.workspace, ws.states, nowMs);
    this.summaries.set(ws, { minute, inputs, spend });
    return spend;
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

  /** After each refresh: roll up, decide alerts, save (decision and outbox together), tell, reschedule, notify. */
  private afterRefresh(state: ConnectionState): void {
    const ws = state.workspace;
    const nowMs = this.options.clock.now();
    const wasNear = isNear(ws);
    ws.spentMicros = reportedSpentMicros(ws, nowMs);
    const stopped = this.poller.stopped;
    // A refresh cut short by stop() observed nothing: no alert decisions on it. Nor before every
    // connection of the workspace has answered once since start: a cached report says nothing
    // about whether its connection works now (it would end a failure episode that goes on).
    if (this.options.notifier && !stopped && ws.states.every((s) => s.reported)) this.evaluateWorkspace(ws, nowMs);
    this.persistSoon();
    this.options.onRefresh?.(state.key, state.error === undefined);
    this.emit();
    if (this.poller.running) {
      this.poller.schedule(state);
      // The workspace just came near a threshold: its other connections speed up too.
      if (!wasNear && isNear(ws)) for (const other of ws.states) if (other !== state && !other.inFlight) this.poller.schedule(other);
    }
    if (this.options.notifier && !stopped && this.outbox.pending.length > 0) void this.outbox.flush();
  }

  /** Decides the workspace's alerts (pure rules), puts new notifications into the outbox. Synchronous. */
  private evaluateWorkspace(ws: WorkspaceRuntime, nowMs: number): void {
    const workspace = ws.config.workspace;
    const observation = observeWorkspace({
      nowMs,
      workspace,
      period: periodOf(ws, nowMs),
      lastCompleteAtMs: ws.lastCompleteAtMs,
      connections: ws.states,
      refreshIntervalMs: (state) => this.poller.healthyIntervalMs(state),
    });
    if (observation.complete) ws.lastCompleteAtMs = nowMs;
    const zone = workspace.timeZone;
    const rules = {
      spikeFactor: this.options.config.alerts.spikeFactor,
      spikeMinMicros: this.options.config.alerts.spikeMinMicros,
      formatInstant: (ms: number) => DateTime.fromMillis(ms, { zone: zoneFor(zone) }).toFormat('LLL d, HH:mm ZZZZ'),
    };
    const store = this.options.store;
    if (store?.decide) {
      // Decided in the shared store, on the state every process left: once across processes, and
      // on disk before the outbox sees it.
      let decided: ReturnType<NonNullable<RuntimeStore['decide']>>;
      try {
        decided = store.decide(workspace.id, (stored) => evaluateAlerts(stored, observation, rules));
      } catch (error) {
        this.options.logger.error(`Could not decide the alerts of ${workspace.name}; trying again at the next refresh.`, { message: (error as Error).message });
        return;
      }
      this.alertState = replaceWorkspaceEntries(this.alertState, decided.state, workspace.id);
      this.outbox.add(decided.notifications);
      return;
    }
    const evaluation = evaluateAlerts(this.alertState, observation, rules);
    this.alertState = evaluation.state;
    // Outbox with the decision: the caller saves both in one write before anything is shown.
    this.outbox.add(evaluation.notifications);
  }
}
