/**
 * The 30-day replay's scenario (March 2026, UTC) and the notifications it must produce, computed
 * from the scenario data alone (provider truth, injected hours, fault windows), not from the
 * runtime. The model below restates the rules in their simplest form over the runtime's
 * documented schedule: with a 1-hour base interval and a start at midnight every connection is
 * refreshed on the hour (backoff is capped at the interval, Retry-After is shorter, restarts
 * happen on the hour, and no workspace is ever within 10 % below a threshold at a refresh, so
 * nothing switches to fast polling; the test checks that premise at the fakes).
 *
 * Two workspaces:
 * - research (monthly $10,000; 50/80/100 %): Baseten (an H100 deployment, and an idle A10G
 *   "staging" deployment that serves a few requests on Mar 10), Civis (credits at $0.50),
 *   TensorOne (a cluster, and training hours of $4,700 on Mar 4 12:00 and $4,000 on Mar 12 15:00).
 * - prod (weekly $1,000; 100 %): Limitry (a model, and batch hours of $1,200 on Wednesdays
 *   Mar 4, 11 and 25 at 14:00) and Simplismart (daily windows; a $1,200 fine-tuning hour on
 *   Mar 18 11:00).
 * Faults: TensorOne rejects the key (401) Mar 18 05:30–08:30; Limitry answers 503 Mar 18
 * 09:30–15:30 (across prod's crossing that week); Civis answers 503 Mar 22 07:30–13:30.
 */
import { hourUsage, truthMicros, type Scenario, type ScenarioResource } from '../../main/providers/fake/scenario';
import { simplismartResource } from '../../main/providers/simplismart/simplismart.fake';
import { basetenDeployment, DAY_MS, HOUR_MS, limitryModel, MINUTE_MS, tensorOneResource } from './world';

export const REPLAY_START_MS = Date.UTC(2026, 2, 1);
export const REPLAY_END_MS = Date.UTC(2026, 2, 31);
/** The replay's base refresh interval. */
export const INTERVAL_MS = HOUR_MS;

const at = (day: number, hour: number, minute = 0): number => Date.UTC(2026, 2, day, hour, minute);
const usd = (amount: number): number => Math.round(amount * 1e6);

export type WorkspaceId = 'research' | 'prod';
export type ConnectionId = 'baseten' | 'civis' | 'tensorone' | 'limitry' | 'simplismart';

/** A fault window: the fake answers `status` to every request in [fromMs, toMs). */
export interface FaultWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly status: 401 | 503;
}

/** One connection of the replay, as the model sees it. */
export interface ReplayConnection {
  readonly id: ConnectionId;
  readonly workspace: WorkspaceId;
  readonly scenario: Scenario;
  /** How far the provider's recorded usage trails the clock. */
  readonly lagMs: number;
  /** US dollars per unit of the scenario's micros (Civis: credits at $0.50). */
  readonly usdPerUnit: number;
  /** Reports hourly buckets (feeds the spike rule); Baseten and daily Simplismart do not. */
  readonly hourly: boolean;
  readonly faults: readonly FaultWindow[];
}

const onlyAt =
  (id: string, hours: ReadonlyMap<number, number>) =>
  (resource: ScenarioResource, hourStartMs: number) =>
    resource.id === id ? { costMicros: hours.get(hourStartMs) ?? 0 } : undefined;

/** Training hours of the research workspace (TensorOne), in USD. */
export const RESEARCH_TRAINING_HOURS: ReadonlyMap<number, number> = new Map([
  [at(4, 12), usd(4_700)],
  [at(12, 15), usd(4_000)],
]);
/** Batch hours of the prod workspace on Limitry, in USD. */
export const PROD_BATCH_HOURS: ReadonlyMap<number, number> = new Map([
  [at(4, 14), usd(1_200)],
  [at(11, 14), usd(1_200)],
  [at(25, 14), usd(1_200)],
]);
/** The fine-tuning hour of the prod workspace on Simplismart (daily windows: no spike). */
export const PROD_FINE_TUNING_HOURS: ReadonlyMap<number, number> = new Map([[at(18, 11), usd(1_200)]]);
/** Hours in which the idle staging deployment served requests. */
export const STAGING_REQUEST_HOURS: readonly number[] = [at(10, 9), at(10, 10)];

export const STAGING_ID = 'w7e3r1a';

export const CONNECTIONS: readonly ReplayConnection[] = [
  {
    id: 'baseten',
    workspace: 'research',
    lagMs: 30 * MINUTE_MS,
    usdPerUnit: 1,
    hourly: false,
    faults: [],
    scenario: {
      seed: 11,
      resources: [basetenDeployment('q8w2k9z', 'production-v3', 2, 1_000), basetenDeployment(STAGING_ID, 'staging', 1, 0, { meta: { section: 'dedicated', kind: 'MODEL_DEPLOYMENT', is_deleted: false, instance_type: 'A10G:1x', model_name: 'whisper', environment_name: 'staging' } })],
      override: (resource, hourStartMs) => (resource.id === STAGING_ID && STAGING_REQUEST_HOURS.includes(hourStartMs) ? { requests: 50 } : undefined),
    },
  },
  {
    id: 'civis',
    workspace: 'research',
    lagMs: 0,
    usdPerUnit: 0.5,
    hourly: true,
    faults: [{ fromMs: at(22, 7, 30), toMs: at(22, 13, 30), status: 503 }],
    scenario: { seed: 12, resources: [{ id: 'sonnet', name: 'anthropic.claude-3-5-sonnet', hourlyMicros: 4_000_000, requestsPerHour: 30, shape: 'flat', meta: { modelId: 'anthropic.claude-3-5-sonnet' } }] },
  },
  {
    id: 'tensorone',
    workspace: 'research',
    lagMs: HOUR_MS,
    usdPerUnit: 1,
    hourly: true,
    faults: [{ fromMs: at(18, 5, 30), toMs: at(18, 8, 30), status: 401 }],
    scenario: {
      seed: 13,
      resources: [tensorOneResource('cluster-a100', 'clusters', 2), tensorOneResource('sft-run', 'training', 0)],
      override: onlyAt('sft-run', RESEARCH_TRAINING_HOURS),
    },
  },
  {
    id: 'limitry',
    workspace: 'prod',
    lagMs: 0,
    usdPerUnit: 1,
    hourly: true,
    faults: [{ fromMs: at(18, 9, 30), toMs: at(18, 15, 30), status: 503 }],
    scenario: { seed: 14, resources: [limitryModel('gpt-4o', 1), limitryModel('batch-embed', 0)], override: onlyAt('batch-embed', PROD_BATCH_HOURS) },
  },
  {
    id: 'simplismart',
    workspace: 'prod',
    lagMs: 10 * MINUTE_MS,
    usdPerUnit: 1,
    hourly: false,
    faults: [],
    scenario: {
      seed: 15,
      resources: [
        simplismartResource(15, 'shared', 'Llama-3.1-8B-Instruct', { hourlyMicros: usd(1), requestsPerHour: 600, shape: 'flat', meta: { eventName: 'llm-tokens' } }),
        simplismartResource(15, 'training', 'ft-support-batch', { hourlyMicros: 0, shape: 'flat', meta: { eventName: 'gpu-minutes-training' } }),
      ],
      override: (resource, hourStartMs) => (resource.name === 'ft-support-batch' ? { costMicros: PROD_FINE_TUNING_HOURS.get(hourStartMs) ?? 0 } : undefined),
    },
  },
];

/** The workspaces: budget and the periods the replay touches. */
export const WORKSPACES: Readonly<Record<WorkspaceId, { budgetMicros: number; thresholds: readonly number[]; periods: ReadonlyArray<{ key: string; startMs: number; endMs: number }> }>> = {
  research: { budgetMicros: usd(10_000), thresholds: [50, 80, 100], periods: [{ key: 'month:2026-03-01@UTC', startMs: at(1, 0), endMs: Date.UTC(2026, 3, 1) }] },
  prod: {
    budgetMicros: usd(1_000),
    thresholds: [100],
    // Weeks start on Monday: Feb 23, Mar 2, 9, 16, 23, 30.
    periods: [Date.UTC(2026, 1, 23), at(2, 0), at(9, 0), at(16, 0), at(23, 0), at(30, 0)].map((startMs) => ({
      key: `week:${new Date(startMs).toISOString().slice(0, 10)}@UTC`,
      startMs,
      endMs: startMs + 7 * DAY_MS,
    })),
  },
};

/** The runtime's restarts: a clean one (stop, new Runtime) and a crash right after a notification was decided. */
export const CLEAN_RESTART_MS = at(13, 0);
/** The notifier hangs from here; the process "crashes" at the next decision and restarts. */
export const CRASH_HANG_FROM_MS = at(25, 15, 30);
export const CRASH_AT_MS = at(25, 16);

/** A notification the replay must produce. */
export interface ExpectedNotification {
  readonly workspace: WorkspaceId;
  /** `workspace subject scope`, as alertId() prints it. */
  readonly id: string;
  /** The refresh at which the rule decides it (epoch ms). */
  readonly atMs: number;
}

/** Reported spend (micro-USD) of a connection for [periodStart, t) as its provider answers at t. */
export function reportedMicros(connection: ReplayConnection, periodStartMs: number, nowMs: number): number {
  return Math.round(truthMicros(connection.scenario, periodStartMs, nowMs, nowMs - connection.lagMs) * connection.usdPerUnit);
}

const polls: number[] = [];
for (let t = REPLAY_START_MS; t <= REPLAY_END_MS; t += INTERVAL_MS) polls.push(t);

const failing = (connection: ReplayConnection, t: number): FaultWindow | undefined => connection.faults.find((f) => t >= f.fromMs && t < f.toMs);
const connectionsOf = (workspace: WorkspaceId): ReplayConnection[] => CONNECTIONS.filter((c) => c.workspace === workspace);
const complete = (workspace: WorkspaceId, t: number): boolean => connectionsOf(workspace).every((c) => failing(c, t) === undefined);

/**
 * Threshold rule: per period, the second complete refresh at or above the threshold (spend only
 * grows, so the first refresh at or above it is the first one after the crossing); only the
 * highest of the thresholds confirmed at the same refresh notifies.
 */
function thresholdNotifications(workspace: WorkspaceId): ExpectedNotification[] {
  const { budgetMicros, thresholds, periods } = WORKSPACES[workspace];
  const result: ExpectedNotification[] = [];
  for (const period of periods) {
    const confirmedAt = new Map<number, number[]>();
    const streaks = new Map<number, number>();
    for (const t of polls) {
      if (t < period.startMs || t >= period.endMs || !complete(workspace, t)) continue;
      const spent = connectionsOf(workspace).reduce((sum, c) => sum + reportedMicros(c, period.startMs, t), 0);
      for (const percent of thresholds) {
        if (spent * 100 < budgetMicros * percent || streaks.get(percent) === 2) continue;
        const streak = (streaks.get(percent) ?? 0) + 1;
        streaks.set(percent, streak);
        if (streak === 2) confirmedAt.set(t, [...(confirmedAt.get(t) ?? []), percent]);
      }
    }
    for (const [fireMs, percents] of confirmedAt) {
      result.push({ workspace, id: `${workspace} threshold:${Math.max(...percents)} ${period.key}`, atMs: fireMs });
    }
  }
  return result;
}

/**
 * Spike rule: an injected hour H is judged once it is the workspace's last complete hour: every
 * hourly connection has data through H + 2 h (the newest reported bucket counts as incomplete).
 */
function spikeNotifications(workspace: WorkspaceId, hours: Iterable<number>): ExpectedNotification[] {
  const lagMs = Math.max(...connectionsOf(workspace).filter((c) => c.hourly).map((c) => c.lagMs));
  return [...hours].map((hourMs) => ({
    workspace,
    id: `${workspace} spike hour:${new Date(hourMs).toISOString().slice(0, 13)}`,
    atMs: polls.find((t) => t - lagMs >= hourMs + 2 * HOUR_MS && complete(workspace, t)) as number,
  }));
}

/**
 * Idle rule for the staging deployment (daily buckets): idle at a refresh when no day bucket
 * overlapping the last 24 h shows requests and a whole day of the period is behind; busy (episode
 * over) once a request is visible in a day bucket overlapping the last 24 h.
 */
function idleNotifications(): ExpectedNotification[] {
  const baseten = CONNECTIONS.find((c) => c.id === 'baseten') as ReplayConnection;
  const staging = baseten.scenario.resources.find((r) => r.id === STAGING_ID) as ScenarioResource;
  const periodStartMs = WORKSPACES.research.periods[0]!.startMs;
  const result: ExpectedNotification[] = [];
  let inEpisode = false;
  for (const t of polls) {
    const visibleThroughMs = t - baseten.lagMs;
    const busy = STAGING_REQUEST_HOURS.some((hourMs) => {
      const dayMs = Math.floor(hourMs / DAY_MS) * DAY_MS;
      const requests = hourUsage(baseten.scenario, staging, hourMs).requests;
      return hourMs < visibleThroughMs && requests > 0 && dayMs + 2 * DAY_MS > t;
    });
    if (busy) inEpisode = false;
    else if (!inEpisode && t >= periodStartMs + DAY_MS) {
      inEpisode = true;
      result.push({ workspace: 'research', id: `research idle:baseten/${STAGING_ID} episode`, atMs: t });
    }
  }
  return result;
}

/** Connection rule: a rejected key at its first failed refresh; other failures once failing longer than 3 intervals. */
function connectionNotifications(): ExpectedNotification[] {
  return CONNECTIONS.flatMap((connection) =>
    connection.faults.flatMap((fault) => {
      const failed = polls.filter((t) => t >= fault.fromMs && t < fault.toMs);
      const first = failed[0] as number;
      const atMs = fault.status === 401 ? first : failed.find((t) => t - first > 3 * INTERVAL_MS);
      return atMs === undefined ? [] : [{ workspace: connection.workspace, id: `${connection.workspace} connection:${connection.id} episode`, atMs }];
    }),
  );
}

/**
 * Every notification of the replay, ordered by decision time and, within one decision, in the
 * rules' order (threshold, forecast, spike, idle, connection). Forecast alerts are off.
 */
export function expectedNotifications(): ExpectedNotification[] {
  const rank = (id: string): number => ['threshold', 'forecast', 'spike', 'idle', 'connection'].findIndex((rule) => id.split(' ')[1]!.startsWith(rule));
  return [
    ...thresholdNotifications('research'),
    ...thresholdNotifications('prod'),
    ...spikeNotifications('research', RESEARCH_TRAINING_HOURS.keys()),
    ...spikeNotifications('prod', PROD_BATCH_HOURS.keys()),
    ...idleNotifications(),
    ...connectionNotifications(),
  ].sort((a, b) => a.atMs - b.atMs || a.workspace.localeCompare(b.workspace) || rank(a.id) - rank(b.id));
}
