/**
 * The alert rules as a pure state machine. The caller (the alert service) keeps one
 * {@link AlertState}, feeds it one {@link AlertObservation} per workspace per refresh round, persists
 * the returned state atomically, then shows the returned notifications. Because every decision
 * lives in the persisted state, a restart never repeats an alert and never loses one.
 *
 * Rules (each fires once per crossing or episode, re-arms as documented, never on a failed fetch):
 * - threshold: actual spend reached N % of the budget on two consecutive complete observations.
 * - forecast:  the projection exceeds the budget (opt-in, gated on confidence and ≥ 24 h of data in the period).
 * - spike:     the last complete hour cost more than k × the trailing median hour.
 * - idle:      a dedicated resource billed for 24 h without a single request.
 * - connection: a connection fails with a bad key, or keeps failing for 3 refresh intervals.
 *
 * State keys are `<workspace>|<subject>|<scope>`, e.g. `research|threshold:90|month:2026-11`,
 * `research|forecast|month:2026-11`, `research|spike|hour:2026-11-05T13`,
 * `research|idle:baseten-main/llama-70b|episode`, `research|connection:baseten-main|episode`.
 * Ids inside keys escape `%`, `|` and `/` as `%25`, `%7C`, `%2F`. An absent entry means "armed,
 * nothing pending"; entries are removed when a rule re-arms, so the state stays small.
 *
 * Files: this one is the contract (observation, options, {@link evaluateAlerts}); the rules live in
 * budgetAlerts.ts (threshold, forecast) and activityAlerts.ts (spike, idle, connection); the
 * persisted state, its keys and its validation in alertState.ts (re-exported here).
 */
import { applyConnectionRule, applyIdleRule, applySpikeRule, SPIKE_RETENTION_MS } from './activityAlerts';
import { applyForecastRule, applyThresholdRule, normaliseThresholds, reachesPercent } from './budgetAlerts';
import {
  connectionPartOf,
  escapeKeyPart,
  thresholdSubject,
  type AlertEntry,
  type AlertRule,
  type AlertSeverity,
  type AlertState,
} from './alertState';
import type { ProviderErrorKind } from './errors';
import { DAY_MS } from './report';

export {
  ALERT_RULES,
  ALERT_STATE_VERSION,
  alertKey,
  emptyAlertState,
  escapeKeyPart,
  forgetOtherWorkspaces,
  parseAlertState,
  replaceWorkspaceEntries,
  type AlertEntry,
  type AlertRule,
  type AlertSeverity,
  type AlertState,
  type ParsedAlertState,
} from './alertState';

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
  /**
   * Hours of reported data in the period (period start to the spend's data-through instant). The
   * forecast rule waits for {@link FORECAST_MIN_DATA_HOURS}; absent = not known, the rule waits too.
   */
  readonly periodDataHours?: number;
}

/** A forecast alert needs at least this many hours of data in the period (a few hours say little about a month). */
export const FORECAST_MIN_DATA_HOURS = 24;

/** Default of {@link AlertOptions.minForecastConfidence}. */
export const DEFAULT_MIN_FORECAST_CONFIDENCE = 0.5;

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
  minForecastConfidence: DEFAULT_MIN_FORECAST_CONFIDENCE,
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

/**
 * Applies every rule to one observation of one workspace. Pure: returns a new state (the input is
 * not modified) and the notifications to show, in rule order threshold, forecast, spike, idle,
 * connection. Entries of other workspaces are left untouched.
 * @example evaluateAlerts(emptyAlertState(), observation).notifications //=> []
 */
export function evaluateAlerts(state: AlertState, observation: AlertObservation, options: AlertOptions = {}): AlertEvaluation {
  const config: Required<AlertOptions> = { ...DEFAULT_ALERT_OPTIONS, ...definedOnly(options) };
  const run: AlertRun = { observation, config, entries: { ...state.entries }, notifications: [] };
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

/** One evaluation in progress: the rule modules change `entries` and add `notifications`. */
export interface AlertRun {
  readonly observation: AlertObservation;
  readonly config: Required<AlertOptions>;
  readonly entries: Record<string, AlertEntry>;
  readonly notifications: AlertNotification[];
}

/** Drops this workspace's entries that can no longer matter: past periods, removed thresholds, old spikes, removed connections. */
function pruneWorkspace(run: AlertRun): void {
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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function definedOnly(options: AlertOptions): Partial<AlertOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<AlertOptions>;
}
