/**
 * The alert rules' persisted memory: one entry per (workspace, subject, scope), its key, and the
 * validation of a state loaded from disk. Plain JSON; see main/core/alerts.ts for the rules.
 */
import type { AlertObservation } from './alerts';

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

/** What {@link parseAlertState} returns: a usable state, and why parts were dropped (null when none were). */
export interface ParsedAlertState {
  readonly state: AlertState;
  readonly reason: string | null;
}

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
 * `state` with the entries of `workspaceId` taken from `decided` (the others kept): a workspace's
 * decision made on the shared store, merged into an engine's state of every workspace.
 * @example replaceWorkspaceEntries(mine, stored, 'research') // research|… from stored, the rest from mine
 */
export function replaceWorkspaceEntries(state: AlertState, decided: AlertState, workspaceId: string): AlertState {
  const entries: Record<string, AlertEntry> = {};
  for (const [key, entry] of Object.entries(state.entries)) if (entry.workspaceId !== workspaceId) entries[key] = entry;
  for (const [key, entry] of Object.entries(decided.entries)) if (entry.workspaceId === workspaceId) entries[key] = entry;
  return { ...state, entries };
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

export function makeEntry(
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

export function thresholdSubject(percent: number): string {
  return `threshold:${percent}`;
}

/** The escaped connection id inside an `idle:<conn>/<res>` or `connection:<conn>` subject. */
export function connectionPartOf(subject: string): string {
  const afterColon = subject.slice(subject.indexOf(':') + 1);
  return afterColon.split('/')[0] ?? '';
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

