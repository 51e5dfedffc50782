/**
 * `GET /api/history?from=&to=[&workspace=]` of `burnrate serve`: each connection's cost buckets from
 * the spend database, hourly (finer buckets summed into their hour; a provider that reports whole
 * days keeps its daily buckets: no hours are invented), for charts and for `burnrate` connections.
 * The query is validated here, with errors that name the parameter (README "Team server").
 */
import type { HistoryDocument } from '../../preload/api';
import { microsToUnits } from '../core/money';
import { redact } from '../core/redact';
import { DAY_MS, HOUR_MS, type ResourceBucket } from '../core/report';
import type { BurnrateConfig } from './config';

/** The longest range one request may ask for. */
export const HISTORY_MAX_DAYS = 93;
/** The range when `from` is not given: this long before `to`. */
export const HISTORY_DEFAULT_DAYS = 7;

/** A valid history query: `[fromMs, toMs)`, optionally one workspace. */
export interface HistoryQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly workspaceId: string | undefined;
}

/** A query parameter that is wrong, and why (the server answers 400 with both). */
export interface HistoryQueryProblem {
  readonly error: string;
  readonly parameter: string;
}

/** The stored buckets of the config's connections, by `<workspace>/<connection>` (SpendDb.historyBuckets). */
export type StoredHistory = ReadonlyMap<string, { readonly unit: 'usd' | 'credits' | null; readonly buckets: readonly ResourceBucket[] }>;

const PARAMETERS = new Set(['from', 'to', 'workspace', 'token']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The caller's text as a 400 may quote it: secrets redacted first, THEN cut (a cut key would survive as a fragment). */
function quoted(value: string, max: number, secrets: readonly string[]): string {
  const clean = redact(value, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function instant(name: string, value: string, secrets: readonly string[]): number | HistoryQueryProblem {
  const ms = DATE.test(value) || DATE_TIME.test(value) ? Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  const shown = quoted(value, 40, secrets);
  return { parameter: name, error: `${name} must be an ISO-8601 date or date-time with a time zone, such as 2026-11-01 or 2026-11-01T00:00:00Z; got "${shown}"` };
}

/**
 * Validates the query of a history request: `from` and `to` are ISO-8601 dates (UTC midnight) or
 * date-times with a zone; `to` defaults to now, `from` to {@link HISTORY_DEFAULT_DAYS} days before
 * `to`; at most {@link HISTORY_MAX_DAYS} days; `workspace` must be one the server runs. Text of the
 * caller's quoted in a problem has `secrets` (the server's keys and tokens) redacted before it is cut.
 * @example parseHistoryQuery(new URLSearchParams('from=2026-11-01&to=2026-11-02'), now, ['prod']) //=> { fromMs, toMs, workspaceId: undefined }
 */
export function parseHistoryQuery(
  params: URLSearchParams,
  nowMs: number,
  workspaceIds: readonly string[],
  secrets: readonly string[] = [],
): HistoryQuery | HistoryQueryProblem {
  for (const name of new Set(params.keys())) {
    if (!PARAMETERS.has(name)) return { parameter: quoted(name, 40, secrets), error: `unknown parameter "${quoted(name, 40, secrets)}": /api/history takes from, to and workspace` };
    if (params.getAll(name).length > 1) return { parameter: name, error: `${name} is given more than once` };
  }
  const toText = params.get('to');
  const fromText = params.get('from');
  const toMs = toText === null ? nowMs : instant('to', toText, secrets);
  if (typeof toMs !== 'number') return toMs;
  const fromMs = fromText === null ? toMs - HISTORY_DEFAULT_DAYS * DAY_MS : instant('from', fromText, secrets);
  if (typeof fromMs !== 'number') return fromMs;
  if (fromMs >= toMs) return { parameter: 'from', error: `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})` };
  if (toMs - fromMs > HISTORY_MAX_DAYS * DAY_MS) {
    return { parameter: 'from', error: `from and to are ${Math.ceil((toMs - fromMs) / DAY_MS)} days apart; ask for at most ${HISTORY_MAX_DAYS} days at a time` };
  }
  const workspaceId = params.get('workspace') ?? undefined;
  if (workspaceId !== undefined && !workspaceIds.includes(workspaceId)) {
    return { parameter: 'workspace', error: `no workspace "${quoted(workspaceId, 64, secrets)}" on this server (it serves ${workspaceIds.join(', ') || 'none'})` };
  }
  return { fromMs, toMs, workspaceId };
}

/** Finer buckets summed into their hour; hourly and longer ones kept. Sorted. */
function hourly(buckets: readonly ResourceBucket[]): Array<{ startMs: number; endMs: number; costMicros: number }> {
  const bySlot = new Map<number, { startMs: number; endMs: number; costMicros: number }>();
  for (const bucket of buckets) {
    const short = bucket.durationMs < HOUR_MS;
    const startMs = short ? Math.floor(bucket.startMs / HOUR_MS) * HOUR_MS : bucket.startMs;
    const endMs = short ? startMs + HOUR_MS : bucket.startMs + bucket.durationMs;
    const slot = bySlot.get(startMs);
    if (slot === undefined) bySlot.set(startMs, { startMs, endMs, costMicros: bucket.costMicros });
    else slot.costMicros += bucket.costMicros;
  }
  return [...bySlot.values()].sort((a, b) => a.startMs - b.startMs);
}

/** The HistoryDocument of a query, over the config's workspaces and connections (in config order). */
export function buildHistoryDocument(config: BurnrateConfig, query: HistoryQuery, stored: StoredHistory, nowMs: number): HistoryDocument {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    from: iso(query.fromMs),
    to: iso(query.toMs),
    generatedAt: iso(nowMs),
    workspaces: config.workspaces
      .filter((w) => query.workspaceId === undefined || w.workspace.id === query.workspaceId)
      .map((w) => ({
        id: w.workspace.id,
        name: w.workspace.name,
        connections: w.connections.map((c) => {
          const entry = stored.get(`${w.workspace.id}/${c.id}`);
          const unit = entry?.unit ?? null;
          return {
            id: c.id,
            provider: c.provider,
            unit,
            buckets: hourly(entry?.buckets ?? []).map((b) => ({
              start: iso(b.startMs),
              end: iso(b.endMs),
              spentUsd: unit === 'credits' ? null : microsToUnits(b.costMicros),
              spentCredits: unit === 'credits' ? microsToUnits(b.costMicros) : null,
            })),
          };
        }),
      })),
  };
}
