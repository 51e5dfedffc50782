/**
 * The alert rules about how a workspace behaves rather than what it spends against its budget:
 * spike (an hour far above the trailing median), idle (a dedicated resource billed without
 * requests) and connection (a bad key, or failures for 3 refresh intervals). Pure; they change
 * `run.entries` and add to `run.notifications` like the budget rules in main/core/alerts.ts.
 */
import type { AlertRun, ConnectionErrorKind, ResourceSeriesBucket } from './alerts';
import { alertKey, escapeKeyPart, makeEntry } from './alertState';
import { formatUsd } from './money';
import { DAY_MS, HOUR_MS } from './report';

/** Spike entries older than this are forgotten; hours older than this are never evaluated. */
export const SPIKE_RETENTION_MS = 2 * DAY_MS;

/** Connection error messages are cut to this length in notifications. */
const MAX_ERROR_MESSAGE_CHARS = 240;

/**
 * Spike rule. The last complete hour (ending at or before now, at most 2 days old) is a spike when
 * it costs more than `spikeFactor` × the median of up to `spikeWindowHours` previous hours and at
 * least `spikeMinMicros`. History starts at the first bucket given; hours missing after it count as
 * $0 (providers omit empty buckets). Needs `spikeMinHistoryHours` of history. Once per hour.
 */
export function applySpikeRule(run: AlertRun): void {
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
function judgeSpikeHour(run: AlertRun, hourStartMs: number, firstStartMs: number, costByStart: ReadonlyMap<number, number>): void {
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
export function applyIdleRule(run: AlertRun): void {
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
export function applyConnectionRule(run: AlertRun): void {
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
