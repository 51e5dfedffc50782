/**
 * One regular fetch of a connection's period for the poller: with incremental refresh
 * (main/core/incremental.ts) the stored head joined to a fresh tail, or head and tail anew; else
 * one whole-period fetch. Counts the requests of the regular part for the request budget.
 */
import { compactReport } from '../core/compactSeries';
import { joinReports, planRefresh, revisedBefore } from '../core/incremental';
import type { TimeRange, UsageReport } from '../core/report';
import type { HttpClient } from '../providers/http';
import type { FetchGate } from './fetchGate';
import type { Logger } from './ports';
import type { ConnectionState } from './workspaceState';

/** What a fetch of a connection gets. */
type FetchContext = Parameters<ConnectionState['adapter']['fetchUsage']>[1];

/** How {@link fetchPeriod} behaves. */
export interface FetchOptions {
  /** Fetch only the open tail where the adapter allows it (false: the whole period every time). */
  readonly incremental: boolean;
  readonly logger: Logger;
  /** Whole-period fetches (the head, or the period when not incremental) wait their turn here (main/services/fetchGate.ts). */
  readonly heavy?: FetchGate;
}

/**
 * The report of the period so far: with incremental refresh, the stored head joined to a fresh
 * tail (main/core/incremental.ts), the head fetched anew when the plan says so; else one fetch.
 */
export async function fetchPeriod(
  state: ConnectionState,
  range: TimeRange,
  periodKey: string,
  context: FetchContext,
  options: FetchOptions,
): Promise<UsageReport> {
  const { adapter } = state;
  const windowMs = adapter.incremental?.revisionWindowMs;
  if (!options.incremental || windowMs === undefined) return heavy(options, context, () => counted(state, context, (ctx) => adapter.fetchUsage(range, ctx)));
  const { partSettings, finish } = adapter.incremental ?? {};
  if (partSettings !== undefined && finish !== undefined) {
    const report = await fetchParts(state, range, periodKey, { ...context, settings: partSettings(context.settings) }, windowMs, options);
    return finish(report, context.settings);
  }
  return fetchParts(state, range, periodKey, context, windowMs, options);
}

/** {@link fetchPeriod}'s incremental part: the stored head joined to a fresh tail, or both anew. */
async function fetchParts(state: ConnectionState, range: TimeRange, periodKey: string, context: FetchContext, windowMs: number, options: FetchOptions): Promise<UsageReport> {
  const { adapter } = state;
  const nowMs = context.nowMs;
  const plan = planRefresh({ nowMs, range, periodKey, revisionWindowMs: windowMs, head: state.head, forceFull: state.forceFull });
  const head = state.head;
  if (plan.kind === 'tail' && head !== undefined) {
    const tail = await counted(state, context, (ctx) => adapter.fetchUsage({ startMs: plan.tailStartMs, endMs: range.endMs }, ctx));
    // Compared with the previous tail as fetched (the same start; before any `finish`).
    const before = state.lastTail;
    if (before !== undefined && before.range.startMs === tail.range.startMs && revisedBefore(before, tail, nowMs - windowMs)) {
      // The provider changed data older than its revision window: the head may be stale too.
      options.logger.info(`${state.key}: data older than the revision window changed; refetching the whole period.`);
      state.forceFull = true;
      return fetchParts(state, range, periodKey, context, windowMs, options);
    }
    state.lastTail = tail;
    return head.report === null ? tail : joinReports(head.report, tail);
  }
  const headRange = { startMs: range.startMs, endMs: plan.tailStartMs };
  const tailRange = { startMs: plan.tailStartMs, endMs: range.endMs };
  // One after the other: a failing or rate-limited provider gets one request per attempt, not two.
  const headReport = headRange.endMs > headRange.startMs ? await heavy(options, context, () => adapter.fetchUsage(headRange, context)) : null;
  const tail = await counted(state, context, (ctx) => adapter.fetchUsage(tailRange, ctx));
  // Kept until the next whole-period fetch: its per-resource series packed (main/core/compactSeries.ts).
  const storedHead = headReport === null ? null : compactReport(headReport);
  state.head = { periodKey, tailStartMs: plan.tailStartMs, fetchedAtMs: nowMs, report: storedHead };
  state.forceFull = false;
  state.lastTail = tail;
  return storedHead === null ? tail : joinReports(storedHead, tail);
}

/** `task` through the options' gate for heavy fetches, if any. */
function heavy<T>(options: FetchOptions, context: FetchContext, task: () => Promise<T>): Promise<T> {
  return options.heavy === undefined ? task() : options.heavy.run(context.signal, task);
}

/**
 * Runs one fetch of the connection's regular refresh through a client that counts its requests,
 * and keeps the count for the request budget (main/core/refreshPolicy.ts).
 */
async function counted(state: ConnectionState, context: FetchContext, fetch: (context: FetchContext) => Promise<UsageReport>): Promise<UsageReport> {
  let requests = 0;
  const inner = context.http;
  const http: HttpClient = {
    getJson: (options) => {
      requests += 1;
      return inner.getJson(options);
    },
    close: () => inner.close(),
  };
  const report = await fetch({ ...context, http });
  state.requestsPerRefresh = Math.max(1, requests);
  return report;
}
