/**
 * Incremental refresh, the pure part: which range to fetch (the open tail or the whole period) and
 * how a stored head `[period start, tail start)` and a freshly fetched tail `[tail start, end)` are
 * joined into the report of the whole range, exactly as one fetch of the whole range reports it.
 *
 * The head is fetched once (at the first refresh of a period, once a day, after a config change,
 * and when the provider revised data older than its revision window); every other refresh fetches
 * only the tail. The tail starts at a UTC midnight at least `revisionWindowMs` before the fetch
 * that fixed it, so a revision inside the window is always inside the tail and is picked up.
 * UTC midnights are bucket boundaries of every provider (hourly and daily buckets, date-only
 * queries), so no bucket straddles the join; one that would (weekly windows) is added up.
 */
import { appendPacked, fieldsWithoutSeries, packedSeriesOf, withPackedSeries } from './compactSeries';
import { sumMicros } from './money';
import { byCostThenName, DAY_MS, type Activity, type CostBucket, type ResourceBucket, type ResourceUsage, type UsageReport } from './report';

/** How far back providers revise published data unless their adapter says otherwise: 48 hours. */
export const DEFAULT_REVISION_WINDOW_MS = 48 * 3_600_000;

/** The whole period is refetched at least this often (a day), whatever the tails said. */
export const FULL_REFETCH_MS = DAY_MS;

/** What the poller remembers of the last whole-period fetch of a connection. */
export interface StoredHead {
  /** The period it belongs to. */
  readonly periodKey: string;
  /** The tail starts here (a UTC midnight); the head covers `[period start, tailStartMs)`. */
  readonly tailStartMs: number;
  /** When the head was fetched (epoch ms). */
  readonly fetchedAtMs: number;
  /** The head's report; null when the tail covers the whole period (a young period). */
  readonly report: UsageReport | null;
}

/** Input of {@link planRefresh}. */
export interface RefreshPlanInput {
  readonly nowMs: number;
  /** The range the refresh must report (the period so far). */
  readonly range: { readonly startMs: number; readonly endMs: number };
  readonly periodKey: string;
  /** How far back the provider revises its data (ms). */
  readonly revisionWindowMs: number;
  /** The head kept from the last whole-period fetch, if any. */
  readonly head: StoredHead | undefined;
  /** Force a whole-period fetch (the tails showed a revision older than the window). */
  readonly forceFull?: boolean;
}

/** What to fetch: `full` fetches head and tail anew, `tail` only the tail (the head is reused). */
export interface RefreshPlan {
  readonly kind: 'full' | 'tail';
  /** Start of the tail (end of the head). Equal to the range start when there is no head. */
  readonly tailStartMs: number;
  /** Why a whole-period fetch (for logs). */
  readonly reason?: string;
}

/** The UTC midnight at or before `ms`. */
export function utcMidnightBefore(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Decides between a tail fetch and a whole-period fetch.
 * @example planRefresh({ nowMs, range, periodKey: '2026-03', revisionWindowMs: 48 * 3_600_000, head: undefined }).kind //=> 'full'
 */
export function planRefresh(input: RefreshPlanInput): RefreshPlan {
  const { head, range } = input;
  const reason =
    input.forceFull === true
      ? 'revision older than the window'
      : head === undefined
        ? 'no stored head'
        : head.periodKey !== input.periodKey
          ? 'new period'
          : input.nowMs - head.fetchedAtMs >= FULL_REFETCH_MS || input.nowMs < head.fetchedAtMs
            ? 'daily refetch'
            : head.tailStartMs > range.endMs
              ? 'tail starts after the range'
              : undefined;
  if (reason === undefined && head !== undefined) return { kind: 'tail', tailStartMs: head.tailStartMs };
  const tailStartMs = Math.min(range.endMs, Math.max(range.startMs, utcMidnightBefore(input.nowMs - input.revisionWindowMs)));
  return { kind: 'full', tailStartMs, ...(reason === undefined ? {} : { reason }) };
}

/**
 * True when `tail` changed a bucket that ended before `sinceMs` (older than the revision window)
 * compared with `before` (the last report of the same range start): the provider revises further
 * back than assumed, so the head may be stale too.
 */
export function revisedBefore(before: UsageReport, tail: UsageReport, sinceMs: number): boolean {
  const old = new Map<number, number>();
  for (const bucket of before.buckets) old.set(bucket.startMs, bucket.costMicros);
  for (const bucket of tail.buckets) {
    if (bucket.startMs + bucket.durationMs > sinceMs) break;
    const previous = old.get(bucket.startMs);
    if (previous !== undefined && previous !== bucket.costMicros) return true;
  }
  return false;
}

/**
 * The report of `[head.range.startMs, tail.range.endMs)` from the reports of its two halves:
 * totals, buckets, per-resource costs, activity and series added up; names, flags, rate limits
 * and the data horizon from the newer tail. Exact in integer micro-units.
 * Throws when the halves do not meet or disagree on provider or unit (a programming error).
 */
export function joinReports(head: UsageReport, tail: UsageReport): UsageReport {
  if (head.range.endMs !== tail.range.startMs) throw new Error(`joinReports: the head ends at ${head.range.endMs}, the tail starts at ${tail.range.startMs}`);
  if (head.provider !== tail.provider || head.unit !== tail.unit) throw new Error('joinReports: the halves are of different providers or units');
  const resources = new Map<string, ResourceUsage>();
  for (const resource of head.resources) resources.set(resource.id, resource);
  for (const resource of tail.resources) {
    const before = resources.get(resource.id);
    resources.set(resource.id, before === undefined ? resource : joinResources(before, resource));
  }
  const notes = [...new Set([...head.notes, ...tail.notes])];
  const extras = { ...head.extras, ...tail.extras };
  const added = (pick: (e: UsageReport['extras']) => number | undefined): number | undefined => {
    const a = pick(head.extras);
    const b = pick(tail.extras);
    return a === undefined ? b : b === undefined ? a : sumMicros([a, b]);
  };
  const creditsMicros = added((e) => e.creditsMicros);
  const creditsUsedMicros = added((e) => e.creditsUsedMicros);
  const matching = joinMatching(head.extras.matchingRecords, tail.extras.matchingRecords);
  return {
    provider: tail.provider,
    range: { startMs: head.range.startMs, endMs: tail.range.endMs },
    unit: tail.unit,
    totalMicros: sumMicros([head.totalMicros, tail.totalMicros]),
    granularityMs: tail.granularityMs,
    buckets: joinBuckets(head.buckets, tail.buckets),
    resources: [...resources.values()].sort(byCostThenName),
    dataThroughMs: tail.dataThroughMs ?? head.dataThroughMs,
    extras: {
      ...extras,
      ...(creditsMicros === undefined ? {} : { creditsMicros }),
      ...(creditsUsedMicros === undefined ? {} : { creditsUsedMicros }),
      ...(matching === undefined ? {} : { matchingRecords: matching }),
    },
    notes,
    ...(head.estimated === true || tail.estimated === true ? { estimated: true } : {}),
  };
}

function joinBuckets<B extends CostBucket | ResourceBucket>(head: readonly B[], tail: readonly B[]): B[] {
  if (head.length === 0) return [...tail];
  if (tail.length === 0) return [...head];
  const last = head[head.length - 1]!;
  const first = tail[0]!;
  if (last.startMs < first.startMs) return [...head, ...tail];
  // A bucket straddling the join (weekly windows): one bucket, its two parts added up.
  const byStart = new Map<number, B>();
  for (const bucket of [...head, ...tail]) {
    const before = byStart.get(bucket.startMs);
    byStart.set(bucket.startMs, before === undefined ? bucket : addBuckets(before, bucket));
  }
  return [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
}

function addBuckets<B extends CostBucket | ResourceBucket>(a: B, b: B): B {
  const requestsA = (a as ResourceBucket).requests;
  const requestsB = (b as ResourceBucket).requests;
  const requests = requestsA === undefined ? requestsB : requestsB === undefined ? requestsA : requestsA + requestsB;
  return { ...a, durationMs: Math.max(a.durationMs, b.durationMs), costMicros: sumMicros([a.costMicros, b.costMicros]), ...(requests === undefined ? {} : { requests }) };
}

function joinResources(head: ResourceUsage, tail: ResourceUsage): ResourceUsage {
  const headPacked = packedSeriesOf(head);
  const packed = headPacked === undefined ? undefined : tail.series === undefined ? headPacked : appendPacked(headPacked, tail.series);
  if (packed !== undefined) {
    // The stored head's series stays packed (main/core/compactSeries.ts): the tail is appended to it.
    const fields = { ...fieldsWithoutSeries(head), ...fieldsWithoutSeries(tail), costMicros: sumMicros([head.costMicros, tail.costMicros]), activity: joinActivity(head.activity, tail.activity) };
    return withPackedSeries(fields, packed);
  }
  const series = head.series === undefined ? tail.series : tail.series === undefined ? head.series : joinBuckets(head.series, tail.series);
  return {
    ...head,
    ...tail,
    costMicros: sumMicros([head.costMicros, tail.costMicros]),
    activity: joinActivity(head.activity, tail.activity),
    ...(series === undefined ? {} : { series }),
  };
}

const COUNTS = ['requests', 'minutes', 'inputTokens', 'outputTokens', 'gpuHours', 'events'] as const;

function joinActivity(a: Activity, b: Activity): Activity {
  const out: { -readonly [K in keyof Activity]: Activity[K] } = {};
  for (const key of COUNTS) {
    const x = a[key];
    const y = b[key];
    if (x !== undefined || y !== undefined) out[key] = (x ?? 0) + (y ?? 0);
  }
  if (a.quantity !== undefined && b.quantity !== undefined && a.quantity.unit === b.quantity.unit) {
    // Quantities come in units with at most 6 decimals (micro-units): add without float residue.
    out.quantity = { amount: Math.round((a.quantity.amount + b.quantity.amount) * 1e6) / 1e6, unit: a.quantity.unit };
  } else if (a.quantity !== undefined || b.quantity !== undefined) {
    out.quantity = (b.quantity ?? a.quantity)!;
  }
  return out;
}

function joinMatching(
  a: UsageReport['extras']['matchingRecords'],
  b: UsageReport['extras']['matchingRecords'],
): UsageReport['extras']['matchingRecords'] {
  if (a === undefined || b === undefined) return b ?? a;
  const byTask: Record<string, number> = { ...a.byTask };
  for (const [task, count] of Object.entries(b.byTask)) byTask[task] = (byTask[task] ?? 0) + count;
  return { total: a.total + b.total, byTask };
}
