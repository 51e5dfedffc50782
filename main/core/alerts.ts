/**
 * The alert rules as a pure state machine. The caller (the alert service) keeps one
 * {@link AlertState}, feeds it one {@link AlertObservation} per workspace per refresh round, persists
 * the returned state atomically, then shows the returned notifications. Because every decision
 * lives in the persisted state, a restart never repeats an alert and never loses one.
 *
 * Rules (each fires once per crossing or episode, re-arms as documented, never on a failed fetch):
 * - threshold: actual spend reached N % of the budget on two consecutive complete observations.
 * - forecast:  the projection exceeds the budget (opt-in, gated on confidence).
 * - spike:     the last complete hour cost more than k × the trailing median hour.
 * - idle:      a dedicated resource billed for 24 h without a single request.
 * - connection: a connection fails with a bad key, or keeps failing for 3 refresh intervals.
 *
 * State keys are `<workspace>|<subject>|<scope>`, e.g. `research|threshold:90|month:2026-11`,
 * `research|forecast|month:2026-11`, `research|spike|hour:2026-11-05T13`,
 * `research|idle:baseten-main/llama-70b|episode`, `research|connection:baseten-main|episode`.
 * Ids inside keys escape `%`, `|` and `/` as `%25`, `%7C`, `%2F`. An absent entry means "armed,
 * nothing pending"; entries are removed when a rule re-arms, so the state stays small.
 */
import type { ProviderErrorKind } from './errors';
import { formatUsd } from './money';
import { DAY_MS, HOUR_MS } from './report';

/** Version of the persisted {@link AlertState} shape; bump it with a migration in parseAlertState. */
export const ALERT_STATE_VERSION = 1;

/** The alert rules. */
export type AlertRule = 'threshold' | 'forecast' | 'spike' | 'idle' | 'connection';

/** Every rule, for schemas and exhaustive tests. */
export const ALERT_RULES: readonly AlertRule[] = ['threshold', 'forecast', 'spike', 'idle', 'connection'];

/** How loud a notification is: `critical` only for spend at or over the whole budget. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/**
 * What the state remembers about one (workspace, subject, scope). Plain JSON: no undefined fields.
 */
export interface AlertEntry {
  readonly workspaceId: string;
  readonly rule: AlertRule;
  /**
   * What the entry is about: `threshold:<percent>`, `forecast`, `spike`,
   * `idle:<connectionId>/<resourceId>` or `connection:<connectionId>` (ids escaped as in the key).
   */
  readonly subject: string;
  /** The period key (`month:2026-11`) for threshold and forecast, `hour:<UTC hour>` for spike, `episode` otherwise. */
  readonly scope: string;
  /** True once the notification of this crossing/episode was sent (or silently superseded). */
  readonly fired: boolean;
  /**
   * Consecutive complete observations on the other side of a threshold: at/above it while armed,
   * below it while fired. 0 for every other rule.
   */
  readonly streak: number;
  /** Connection: when the failure episode began. Spike: start of the hour. Otherwise null. */
  readonly sinceMs: number | null;
  /** When the notification was sent (epoch ms), null while pending. */
  readonly firedAtMs: number | null;
  /** `nowMs` of the observation that last changed this entry. */
  readonly updatedAtMs: number;
}

/** The persisted alert memory of every workspace. Plain JSON, safe to `JSON.stringify`. */
export interface AlertState {
  readonly version: 1;
  /** Entries by key `<workspace>|<subject>|<scope>`, see the module comment. */
  readonly entries: Readonly<Record<string, AlertEntry>>;
}

/** The budget period the observation belongs to. */
export interface AlertPeriod {
  /** Stable id of the period, e.g. `month:2026-11`; a new key re-arms threshold and forecast alerts. */
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
  /**
   * How the period reads in a sentence ("this month"). Defaults from the key prefix:
   * month → "this month", week → "this week", day → "today", quarter, year, else "this period".
   */
  readonly label?: string;
}

/** A projection of the period's spend. */
export interface AlertForecast {
  /** Projected spend at the end of the period, micro-USD. */
  readonly projectedMicros: number;
  /** 0…1; null when unknown (then the forecast never alerts). */
  readonly confidence: number | null;
  /** When spend is projected to reach the budget (epoch ms), null when not known. */
  readonly crossesAtMs: number | null;
}

/** One complete hour of the workspace's spend. */
export interface HourlyCost {
  readonly startMs: number;
  readonly costMicros: number;
}

/** One bucket of a resource's series (hourly or daily). `requests` absent = not reported. */
export interface ResourceSeriesBucket {
  readonly startMs: number;
  readonly durationMs: number;
  readonly costMicros: number;
  readonly requests?: number;
}

/** A resource of the workspace, as the last report of its connection described it. */
export interface ResourceObservation {
  readonly connectionId: string;
  readonly resourceId: string;
  readonly name: string;
  /** Dedicated capacity billed by time (GPU deployments, clusters): the only kind the idle rule watches. */
  readonly dedicated: boolean;
  /** Sorted ascending; absent when the provider gives no per-bucket breakdown. */
  readonly series?: readonly ResourceSeriesBucket[];
}

/** Why a connection failed: a provider error kind, or `config` (missing key, invalid settings). */
export type ConnectionErrorKind = ProviderErrorKind | 'config';

/** One connection of the workspace and the outcome of its last refresh. */
export interface ConnectionObservation {
  readonly connectionId: string;
  /** Shown in notifications ("Baseten"). */
  readonly providerName: string;
  /** The last refresh succeeded. */
  readonly ok: boolean;
  readonly errorKind?: ConnectionErrorKind;
  /** People-readable and already free of secrets and raw bodies (ProviderError messages are). */
  readonly errorMessage?: string;
  /** When the connection started failing; when absent the state remembers the first failing observation. */
  readonly failingSinceMs?: number;
  /** The connection's normal refresh interval (ms). */
  readonly refreshIntervalMs: number;
}

/** Everything the rules look at for one workspace in one refresh round. */
export interface AlertObservation {
  /** "Now" (epoch ms). Observations of a workspace should come with increasing `nowMs`. */
  readonly nowMs: number;
  readonly workspaceId: string;
  /** Shown in notifications ("Research"). */
  readonly workspaceName: string;
  readonly period: AlertPeriod;
  /** Budget of the period, micro-USD; null = no budget (threshold and forecast rules are off). */
  readonly budgetMicros: number | null;
  /** Thresholds in percent of the budget (e.g. [50, 90, 100]); non-positive or non-finite ones are ignored. */
  readonly thresholdsPercent: readonly number[];
  /** Actual reported spend of the period so far, micro-USD — never a nowcast; null when not trustworthy. */
  readonly actualSpentMicros: number | null;
  /** Every connection of the workspace refreshed OK in this round; a failed fetch makes it false. */
  readonly complete: boolean;
  /** The workspace opted in to forecast alerts. */
  readonly forecastAlerts: boolean;
  readonly forecast: AlertForecast | null;
  /** Complete hourly buckets of the workspace, ascending. Hours missing between buckets count as $0. */
  readonly hourlySeries: readonly HourlyCost[];
  readonly resources: readonly ResourceObservation[];
  readonly connections: readonly ConnectionObservation[];
}

/** A native notification to show. `title` and `body` are final human text. */
export interface AlertNotification {
  /** The state key of the crossing/episode; stable, usable as the notification's tag. */
  readonly key: string;
  readonly workspaceId: string;
  readonly rule: AlertRule;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly body: string;
  /** `nowMs` of the observation that fired it. */
  readonly atMs: number;
}

/** Tunables of the rules; every field has a default in {@link DEFAULT_ALERT_OPTIONS}. */
export interface AlertOptions {
  /** Consecutive complete observations needed to confirm a threshold crossing or a recovery. Default 2. */
  readonly confirmObservations?: number;
  /** Minimum forecast confidence (0…1) to alert. Default 0.5. */
  readonly minForecastConfidence?: number;
  /** A spike costs more than this many times the trailing median hour. Default 3. */
  readonly spikeFactor?: number;
  /** Hours of trailing history the median uses. Default 24. */
  readonly spikeWindowHours?: number;
  /** Hours of history needed before the spike rule speaks. Default 6. */
  readonly spikeMinHistoryHours?: number;
  /** A spike hour must cost at least this much, micro-USD. Default 5_000_000 ($5). */
  readonly spikeMinMicros?: number;
  /** Window of the idle rule (ms). Default 24 h. */
  readonly idleWindowMs?: number;
  /** Non-auth failures alert once failing longer than this many refresh intervals. Default 3. */
  readonly connectionGraceIntervals?: number;
  /** Renders an instant for notification text. Default: UTC, "Nov 24, 14:00 UTC". */
  readonly formatInstant?: (ms: number) => string;
}

/** The defaults of {@link AlertOptions}. */
export const DEFAULT_ALERT_OPTIONS: Required<AlertOptions> = {
  confirmObservations: 2,
  minForecastConfidence: 0.5,
  spikeFactor: 3,
  spikeWindowHours: 24,
  spikeMinHistoryHours: 6,
  spikeMinMicros: 5_000_000,
  idleWindowMs: DAY_MS,
  connectionGraceIntervals: 3,
  formatInstant: formatUtcInstant,
};

/** What {@link evaluateAlerts} returns: the state to persist, then the notifications to show. */
export interface AlertEvaluation {
  readonly state: AlertState;
  readonly notifications: readonly AlertNotification[];
}

/** What {@link parseAlertState} returns: a usable state, and why parts were dropped (null when none were). */
export interface ParsedAlertState {
  readonly state: AlertState;
  readonly reason: string | null;
}

/** Spike entries older than this are forgotten; hours older than this are never evaluated. */
const SPIKE_RETENTION_MS = 2 * DAY_MS;
/** Connection error messages are cut to this length in notifications. */
const MAX_ERROR_MESSAGE_CHARS = 240;

/** A state with no entries. */
export function emptyAlertState(): AlertState {
  return { version: 1, entries: {} };
}

/**
 * Escapes an id for use inside a state key.
 * @example escapeKeyPart('a|b/c') //=> 'a%7Cb%2Fc'
 */
export function escapeKeyPart(part: string): string {
  return part.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll('/', '%2F');
}

/**
 * The state key of an entry.
 * @example alertKey('research', 'threshold:90', 'month:2026-11') //=> 'research|threshold:90|month:2026-11'
 */
export function alertKey(workspaceId: string, subject: string, scope: string): string {
  return `${escapeKeyPart(workspaceId)}|${subject}|${escapeKeyPart(scope)}`;
}

/**
 * Applies every rule to one observation of one workspace. Pure: returns a new state (the input is
 * not modified) and the notifications to show, in rule order threshold, forecast, spike, idle,
 * connection. Entries of other workspaces are left untouched.
 * @example evaluateAlerts(emptyAlertState(), observation).notifications //=> []
 */
export function evaluateAlerts(state: AlertState, observation: AlertObservation, options: AlertOptions = {}): AlertEvaluation {
  const config: Required<AlertOptions> = { ...DEFAULT_ALERT_OPTIONS, ...definedOnly(options) };
  const run: Run = { observation, config, entries: { ...state.entries }, notifications: [] };
  pruneWorkspace(run);
  applyThresholdRule(run);
  applyForecastRule(run);
  applySpikeRule(run);
  applyIdleRule(run);
  applyConnectionRule(run);
  const sorted: Record<string, AlertEntry> = {};
  for (const key of Object.keys(run.entries).sort()) sorted[key] = run.entries[key] as AlertEntry;
  return { state: { version: 1, entries: sorted }, notifications: run.notifications };
}

/**
 * Removes the entries of workspaces that no longer exist.
 * @example forgetOtherWorkspaces(state, ['research']) // keeps only research|… entries
 */
export function forgetOtherWorkspaces(state: AlertState, workspaceIds: Iterable<string>): AlertState {
  const keep = new Set(workspaceIds);
  const entries: Record<string, AlertEntry> = {};
  for (const [key, entry] of Object.entries(state.entries)) if (keep.has(entry.workspaceId)) entries[key] = entry;
  return { version: 1, entries };
}

/**
 * True when some threshold is not yet reached but spend is within `marginPercent` points below it
 * (`threshold − margin ≤ used % < threshold`). Exact integer arithmetic. False without a budget.
 * @example isNearThreshold(1_700_000_000, 2_000_000_000, [90]) //=> true (85 %)
 */
export function isNearThreshold(
  spentMicros: number | null,
  budgetMicros: number | null,
  thresholdsPercent: readonly number[],
  marginPercent = 10,
): boolean {
  if (spentMicros === null || budgetMicros === null || !(budgetMicros > 0)) return false;
  return normaliseThresholds(thresholdsPercent).some(
    (percent) => reachesPercent(spentMicros, budgetMicros, percent - marginPercent) && !reachesPercent(spentMicros, budgetMicros, percent),
  );
}

/**
 * Validates a loaded state (from disk: untrusted). Garbage (wrong type, unknown version, no entries
 * object) gives an empty state; individual malformed entries are dropped. `reason` says what was
 * dropped and why, or is null when everything was kept.
 * @example parseAlertState('nonsense') //=> { state: { version: 1, entries: {} }, reason: 'alert state is not an object' }
 */
export function parseAlertState(value: unknown): ParsedAlertState {
  if (!isRecord(value)) return { state: emptyAlertState(), reason: 'alert state is not an object' };
  if (value.version !== ALERT_STATE_VERSION) {
    return { state: emptyAlertState(), reason: `alert state has unsupported version ${describeValue(value.version)}` };
  }
  if (!isRecord(value.entries)) return { state: emptyAlertState(), reason: 'alert state has no entries object' };
  const entries: Record<string, AlertEntry> = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(value.entries)) {
    const problem = entryProblem(key, raw);
    if (problem === null) entries[key] = copyEntry(raw as AlertEntry);
    else problems.push(`${key.slice(0, 80)}: ${problem}`);
  }
  const reason = problems.length === 0 ? null : `dropped ${problems.length} invalid alert entr${problems.length === 1 ? 'y' : 'ies'} (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''})`;
  return { state: { version: 1, entries }, reason };
}

/**
 * The default instant format of notification text, in UTC (core has no time zone).
 * @example formatUtcInstant(Date.UTC(2026, 10, 24, 14, 0)) //=> 'Nov 24, 14:00 UTC'
 */
export function formatUtcInstant(ms: number): string {
  const date = new Date(ms);
  const month = MONTHS[date.getUTCMonth()] ?? '?';
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${month} ${date.getUTCDate()}, ${hours}:${minutes} UTC`;
}

// ---------------------------------------------------------------------------------------------
// Rules

interface Run {
  readonly observation: AlertObservation;
  readonly config: Required<AlertOptions>;
  readonly entries: Record<string, AlertEntry>;
  readonly notifications: AlertNotification[];
}

/** Drops this workspace's entries that can no longer matter: past periods, removed thresholds, old spikes, removed connections. */
function pruneWorkspace(run: Run): void {
  const { observation } = run;
  const thresholdSubjects = new Set(normaliseThresholds(observation.thresholdsPercent).map(thresholdSubject));
  const connectionIds = new Set(observation.connections.map((connection) => escapeKeyPart(connection.connectionId)));
  for (const [key, entry] of Object.entries(run.entries)) {
    if (entry.workspaceId !== observation.workspaceId) continue;
    const stale =
      ((entry.rule === 'threshold' || entry.rule === 'forecast') && entry.scope !== observation.period.key) ||
      (entry.rule === 'threshold' && !thresholdSubjects.has(entry.subject)) ||
      (entry.rule === 'spike' && (entry.sinceMs ?? 0) < observation.nowMs - SPIKE_RETENTION_MS) ||
      ((entry.rule === 'idle' || entry.rule === 'connection') && !connectionIds.has(connectionPartOf(entry.subject)));
    if (stale) delete run.entries[key];
  }
}

/**
 * Threshold rule. Armed → fired after `confirmObservations` consecutive complete observations at or
 * above the threshold; fired → armed after as many consecutive complete observations below it, or on
 * a new period. An incomplete observation (failed fetch, spend null) neither counts nor breaks a
 * streak, and an observation not newer than the entry's last change is ignored (same round twice).
 * When several thresholds are confirmed at once, only the highest notifies.
 */
function applyThresholdRule(run: Run): void {
  const { observation, config, entries } = run;
  const spent = observation.actualSpentMicros;
  const budget = observation.budgetMicros;
  if (!observation.complete || spent === null || budget === null || !(budget > 0)) return;
  const confirmed: number[] = [];
  for (const percent of normaliseThresholds(observation.thresholdsPercent)) {
    const key = alertKey(observation.workspaceId, thresholdSubject(percent), observation.period.key);
    const entry = entries[key];
    if (entry !== undefined && observation.nowMs <= entry.updatedAtMs) continue;
    const above = reachesPercent(spent, budget, percent);
    if (entry === undefined || !entry.fired) {
      if (!above) {
        delete entries[key];
        continue;
      }
      const streak = (entry?.streak ?? 0) + 1;
      const fired = streak >= config.confirmObservations;
      entries[key] = makeEntry(observation, 'threshold', thresholdSubject(percent), observation.period.key, {
        fired,
        streak: fired ? 0 : streak,
        firedAtMs: fired ? observation.nowMs : null,
      });
      if (fired) confirmed.push(percent);
    } else if (above) {
      entries[key] = { ...entry, streak: 0, updatedAtMs: observation.nowMs };
    } else if (entry.streak + 1 >= config.confirmObservations) {
      delete entries[key];
    } else {
      entries[key] = { ...entry, streak: entry.streak + 1, updatedAtMs: observation.nowMs };
    }
  }
  const highest = confirmed.at(-1);
  if (highest === undefined) return;
  run.notifications.push({
    key: alertKey(observation.workspaceId, thresholdSubject(highest), observation.period.key),
    workspaceId: observation.workspaceId,
    rule: 'threshold',
    severity: highest >= 100 ? 'critical' : 'warning',
    title: `${observation.workspaceName} passed ${highest}% of its ${formatUsd(budget, { wholeDollars: true })} budget`,
    body: `${formatUsd(spent)} spent of ${formatUsd(budget)} ${periodLabel(observation.period)}`,
    atMs: observation.nowMs,
  });
}

/**
 * Forecast rule. Fires once per risk episode when the projection exceeds the budget with enough
 * confidence on a complete observation. The episode ends when a complete observation projects at or
 * below the budget, or with the period. Silent once actual spend reached the budget (the threshold
 * rule speaks then): a fired threshold ≥ 100 % in this period, or spend ≥ budget now.
 */
function applyForecastRule(run: Run): void {
  const { observation, config, entries } = run;
  const forecast = observation.forecast;
  const budget = observation.budgetMicros;
  if (!observation.complete || forecast === null || budget === null || !(budget > 0)) return;
  const key = alertKey(observation.workspaceId, 'forecast', observation.period.key);
  if (forecast.projectedMicros <= budget) {
    delete entries[key];
    return;
  }
  if (entries[key] !== undefined || !observation.forecastAlerts) return;
  if (forecast.confidence === null || !(forecast.confidence >= config.minForecastConfidence)) return;
  if (budgetAlreadyReached(run, budget)) return;
  entries[key] = makeEntry(observation, 'forecast', 'forecast', observation.period.key, { fired: true, firedAtMs: observation.nowMs });
  const label = periodLabel(observation.period);
  const crossing = forecast.crossesAtMs === null ? '' : `; it reaches ${formatUsd(budget)} around ${config.formatInstant(forecast.crossesAtMs)}`;
  run.notifications.push({
    key,
    workspaceId: observation.workspaceId,
    rule: 'forecast',
    severity: 'warning',
    title: `${observation.workspaceName} is on track to exceed its ${formatUsd(budget, { wholeDollars: true })} budget`,
    body: `Projected ${formatUsd(forecast.projectedMicros)} by the end of ${label}${crossing} (confidence ${Math.round(forecast.confidence * 100)}%)`,
    atMs: observation.nowMs,
  });
}

function budgetAlreadyReached(run: Run, budget: number): boolean {
  const { observation } = run;
  if (observation.actualSpentMicros !== null && observation.actualSpentMicros >= budget) return true;
  return Object.values(run.entries).some(
    (entry) =>
      entry.workspaceId === observation.workspaceId &&
      entry.rule === 'threshold' &&
      entry.fired &&
      entry.scope === observation.period.key &&
      Number(entry.subject.slice('threshold:'.length)) >= 100,
  );
}

/**
 * Spike rule. The last complete hour (ending at or before now, at most 2 days old) is a spike when
 * it costs more than `spikeFactor` × the median of up to `spikeWindowHours` previous hours and at
 * least `spikeMinMicros`. History starts at the first bucket given; hours missing after it count as
 * $0 (providers omit empty buckets). Needs `spikeMinHistoryHours` of history. Once per hour.
 */
function applySpikeRule(run: Run): void {
  const { observation, entries } = run;
  if (!observation.complete) return;
  const hours = observation.hourlySeries.filter((bucket) => bucket.startMs + HOUR_MS <= observation.nowMs);
  const first = hours[0];
  const last = hours.at(-1);
  if (first === undefined || last === undefined) return;
  const costByStart = new Map<number, number>();
  for (const bucket of hours) costByStart.set(bucket.startMs, (costByStart.get(bucket.startMs) ?? 0) + bucket.costMicros);
  // Every complete hour since the last one judged is judged once, so an hour that completed during
  // an outage (or between two refreshes more than an hour apart) is not skipped. Without a cursor
  // (first start, or nothing judged for two days) only the newest hour is, so old spikes stay quiet.
  const cursorKey = alertKey(observation.workspaceId, 'spike', 'cursor');
  const cursorMs = entries[cursorKey]?.sinceMs ?? null;
  const fromMs = Math.max(observation.nowMs - SPIKE_RETENTION_MS, cursorMs === null ? last.startMs : cursorMs + HOUR_MS);
  for (const startMs of costByStart.keys()) {
    if (startMs >= fromMs) judgeSpikeHour(run, startMs, first.startMs, costByStart);
  }
  if (cursorMs === null || last.startMs > cursorMs) {
    entries[cursorKey] = makeEntry(observation, 'spike', 'spike', 'cursor', { fired: false, sinceMs: last.startMs });
  }
}

/** Judges one complete hour against the trailing median of the hours before it. */
function judgeSpikeHour(run: Run, hourStartMs: number, firstStartMs: number, costByStart: ReadonlyMap<number, number>): void {
  const { observation, config, entries } = run;
  const scope = `hour:${utcHourLabel(hourStartMs)}`;
  const key = alertKey(observation.workspaceId, 'spike', scope);
  if (entries[key] !== undefined) return;
  const hourCost = costByStart.get(hourStartMs) ?? 0;
  const historyStartMs = Math.max(firstStartMs, hourStartMs - config.spikeWindowHours * HOUR_MS);
  const history: number[] = [];
  for (let startMs = hourStartMs - HOUR_MS; startMs >= historyStartMs; startMs -= HOUR_MS) history.push(costByStart.get(startMs) ?? 0);
  if (history.length < config.spikeMinHistoryHours || hourCost < config.spikeMinMicros) return;
  const median = medianOf(history);
  if (!(hourCost > config.spikeFactor * median)) return;
  entries[key] = makeEntry(observation, 'spike', 'spike', scope, {
    fired: true,
    firedAtMs: observation.nowMs,
    sinceMs: hourStartMs,
  });
  const ratio = median > 0 ? `, ${(hourCost / median).toFixed(1)}× the median ${formatUsd(median)}` : `; the median was ${formatUsd(0)}`;
  run.notifications.push({
    key,
    workspaceId: observation.workspaceId,
    rule: 'spike',
    severity: 'warning',
    title: `${observation.workspaceName} spend spiked: ${formatUsd(hourCost)} in one hour`,
    body: `The hour from ${config.formatInstant(hourStartMs)} cost ${formatUsd(hourCost)}${ratio} of the previous ${history.length} hours`,
    atMs: observation.nowMs,
  });
}

/**
 * Idle rule, per dedicated resource of a connection whose last refresh succeeded. See
 * {@link idleVerdict} for the window. Fires once per idle episode; the episode ends when requests
 * are seen again or the resource stops costing money.
 */
function applyIdleRule(run: Run): void {
  const { observation, config, entries } = run;
  const okConnections = new Map(observation.connections.filter((c) => c.ok).map((c) => [c.connectionId, c]));
  for (const resource of observation.resources) {
    const connection = okConnections.get(resource.connectionId);
    if (!resource.dedicated || connection === undefined || resource.series === undefined) continue;
    const subject = `idle:${escapeKeyPart(resource.connectionId)}/${escapeKeyPart(resource.resourceId)}`;
    const key = alertKey(observation.workspaceId, subject, 'episode');
    const verdict = idleVerdict(resource.series, observation.nowMs - config.idleWindowMs, observation.nowMs);
    if (verdict.kind === 'busy' || verdict.kind === 'stopped') {
      delete entries[key];
      continue;
    }
    if (verdict.kind === 'unknown' || entries[key] !== undefined) continue;
    entries[key] = makeEntry(observation, 'idle', subject, 'episode', { fired: true, firedAtMs: observation.nowMs });
    run.notifications.push({
      key,
      workspaceId: observation.workspaceId,
      rule: 'idle',
      severity: 'warning',
      title: `Idle GPU: ${resource.name} (${connection.providerName})`,
      body: `${resource.name} billed ${formatUsd(verdict.costMicros)} since ${config.formatInstant(verdict.sinceMs)} without a single request`,
      atMs: observation.nowMs,
    });
  }
}

/** What a resource's series says about the window `[windowStartMs, nowMs)`. */
type IdleVerdict =
  | { readonly kind: 'idle'; readonly costMicros: number; readonly sinceMs: number }
  | { readonly kind: 'busy' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'unknown' };

/**
 * A bucket counts for the window when it overlaps it and either has ended by `nowMs` or lies
 * mostly (≥ half its length) inside it — so at 01:00 yesterday's daily bucket counts and today's
 * hour-old one does not; at 23:00 both do. Idle = the counted buckets reach back to the window start,
 * all report `requests` = 0, and cost more than 0. Requests > 0 in ANY overlapping bucket mean busy
 * (never cry idle when a request may have happened in the window).
 */
function idleVerdict(series: readonly ResourceSeriesBucket[], windowStartMs: number, nowMs: number): IdleVerdict {
  const overlapping = series.filter((b) => b.startMs < nowMs && b.startMs + b.durationMs > windowStartMs && b.durationMs > 0);
  if (overlapping.some((b) => (b.requests ?? 0) > 0)) return { kind: 'busy' };
  const counted = overlapping.filter((b) => {
    const endMs = b.startMs + b.durationMs;
    const overlapMs = Math.min(endMs, nowMs) - Math.max(b.startMs, windowStartMs);
    return endMs <= nowMs || overlapMs * 2 >= b.durationMs;
  });
  if (counted.length === 0 || counted.some((b) => b.requests === undefined)) return { kind: 'unknown' };
  let costMicros = 0;
  for (const bucket of counted) costMicros += bucket.costMicros;
  if (!(costMicros > 0)) return { kind: 'stopped' };
  const sinceMs = Math.min(...counted.map((b) => b.startMs));
  if (sinceMs > windowStartMs) return { kind: 'unknown' };
  return { kind: 'idle', costMicros, sinceMs };
}

/**
 * Connection rule. `auth` alerts at once; every other kind once the connection has been failing
 * longer than `connectionGraceIntervals` × its refresh interval. Once per failure episode; a success
 * ends the episode. The failure start is `failingSinceMs`, else the first failing observation seen.
 */
function applyConnectionRule(run: Run): void {
  const { observation, config, entries } = run;
  for (const connection of observation.connections) {
    const subject = `connection:${escapeKeyPart(connection.connectionId)}`;
    const key = alertKey(observation.workspaceId, subject, 'episode');
    const entry = entries[key];
    if (connection.ok) {
      delete entries[key];
      continue;
    }
    if (entry?.fired === true) continue;
    const sinceMs = connection.failingSinceMs ?? entry?.sinceMs ?? observation.nowMs;
    const due =
      connection.errorKind === 'auth' || observation.nowMs - sinceMs > config.connectionGraceIntervals * connection.refreshIntervalMs;
    if (!due) {
      if (entry?.sinceMs !== sinceMs) entries[key] = makeEntry(observation, 'connection', subject, 'episode', { sinceMs });
      continue;
    }
    entries[key] = makeEntry(observation, 'connection', subject, 'episode', { fired: true, firedAtMs: observation.nowMs, sinceMs });
    const message = truncate(connection.errorMessage?.trim() || describeErrorKind(connection.errorKind), MAX_ERROR_MESSAGE_CHARS);
    const advice = connection.errorKind === 'auth' ? ' Check the API key in Settings.' : '';
    run.notifications.push({
      key,
      workspaceId: observation.workspaceId,
      rule: 'connection',
      severity: 'warning',
      title: `Can't refresh ${connection.providerName} (${observation.workspaceName})`,
      body: `${withFinalStop(message)} Failing since ${config.formatInstant(sinceMs)}.${advice}`,
      atMs: observation.nowMs,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const PERIOD_LABELS: Readonly<Record<string, string>> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  quarter: 'this quarter',
  year: 'this year',
};

function periodLabel(period: AlertPeriod): string {
  return period.label ?? PERIOD_LABELS[period.key.split(':')[0] ?? ''] ?? 'this period';
}

function makeEntry(
  observation: AlertObservation,
  rule: AlertRule,
  subject: string,
  scope: string,
  fields: { fired?: boolean; streak?: number; sinceMs?: number | null; firedAtMs?: number | null },
): AlertEntry {
  return {
    workspaceId: observation.workspaceId,
    rule,
    subject,
    scope,
    fired: fields.fired ?? false,
    streak: fields.streak ?? 0,
    sinceMs: fields.sinceMs ?? null,
    firedAtMs: fields.firedAtMs ?? null,
    updatedAtMs: observation.nowMs,
  };
}

function thresholdSubject(percent: number): string {
  return `threshold:${percent}`;
}

/** Valid thresholds, rounded to 1/1000 %, deduplicated, ascending. */
function normaliseThresholds(thresholdsPercent: readonly number[]): number[] {
  const valid = thresholdsPercent.filter((p) => Number.isFinite(p) && p > 0 && p < 1e9).map((p) => Math.round(p * 1000) / 1000);
  return [...new Set(valid)].sort((a, b) => a - b);
}

/** `spent ≥ percent % of budget`, exactly (BigInt, percent in thousandths). */
function reachesPercent(spentMicros: number, budgetMicros: number, percent: number): boolean {
  return BigInt(Math.round(spentMicros)) * 100_000n >= BigInt(Math.round(percent * 1000)) * BigInt(Math.round(budgetMicros));
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** `2026-11-05T13` for the UTC hour containing `ms`. */
function utcHourLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

/** The escaped connection id inside an `idle:<conn>/<res>` or `connection:<conn>` subject. */
function connectionPartOf(subject: string): string {
  const afterColon = subject.slice(subject.indexOf(':') + 1);
  return afterColon.split('/')[0] ?? '';
}

function describeErrorKind(kind: ConnectionErrorKind | undefined): string {
  switch (kind) {
    case 'auth':
      return 'The provider rejected the API key';
    case 'rate_limited':
      return 'The provider is rate-limiting requests';
    case 'bad_request':
      return 'The provider refused the request';
    case 'server':
      return 'The provider is having server trouble';
    case 'network':
      return 'The provider cannot be reached';
    case 'bad_response':
      return 'The provider sent an answer Burnrate cannot read';
    case 'config':
      return 'The connection settings are incomplete';
    default:
      return 'The last refresh failed';
  }
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function withFinalStop(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function definedOnly(options: AlertOptions): Partial<AlertOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<AlertOptions>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value).slice(0, 20) : value === null ? 'null' : typeof value;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNullableFiniteNumber(value: unknown): value is number | null {
  return value === null || isFiniteNumber(value);
}

/** Why a loaded entry is unusable, or null when it is well-formed and stored under its own key. */
function entryProblem(key: string, raw: unknown): string | null {
  if (!isRecord(raw)) return 'not an object';
  if (typeof raw.workspaceId !== 'string' || raw.workspaceId === '') return 'workspaceId is missing';
  if (typeof raw.rule !== 'string' || !(ALERT_RULES as readonly string[]).includes(raw.rule)) return 'rule is unknown';
  if (typeof raw.subject !== 'string' || !(raw.subject === raw.rule || raw.subject.startsWith(`${raw.rule}:`))) {
    return 'subject does not match the rule';
  }
  if (typeof raw.scope !== 'string') return 'scope is missing';
  if (typeof raw.fired !== 'boolean') return 'fired is not a boolean';
  if (!Number.isSafeInteger(raw.streak) || (raw.streak as number) < 0) return 'streak is not a count';
  if (!isNullableFiniteNumber(raw.sinceMs)) return 'sinceMs is not a time';
  if (!isNullableFiniteNumber(raw.firedAtMs)) return 'firedAtMs is not a time';
  if (!isFiniteNumber(raw.updatedAtMs)) return 'updatedAtMs is not a time';
  if (alertKey(raw.workspaceId, raw.subject, raw.scope) !== key) return 'key does not match the entry';
  return null;
}

function copyEntry(entry: AlertEntry): AlertEntry {
  return {
    workspaceId: entry.workspaceId,
    rule: entry.rule,
    subject: entry.subject,
    scope: entry.scope,
    fired: entry.fired,
    streak: entry.streak,
    sinceMs: entry.sinceMs,
    firedAtMs: entry.firedAtMs,
    updatedAtMs: entry.updatedAtMs,
  };
}
