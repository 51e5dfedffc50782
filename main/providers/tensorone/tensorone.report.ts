// Mapping of TensorOne's usage answer into a report: totals from `summary`, buckets from `timeSeries`.
import { ProviderError } from '../../core/errors';
import { sumMicros } from '../../core/money';
import {
  byCostThenName,
  DAY_MS,
  HOUR_MS,
  type Activity,
  type ResourceBucket,
  type ResourceKind,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import { boundaryDayNote } from '../utcDays';
import { isoDate } from '../timestamps';
import { type TensorOneBreakdown, type TensorOneResourceType, type TensorOneUsageAnswer } from './tensorone.schema';
import { extrasOf } from './tensorone.extras';

const PROVIDER = 'TensorOne';

interface TypeInfo {
  readonly kind: ResourceKind;
  readonly dedicated: boolean;
  /** Lower-case label for "Other <label>". */
  readonly label: string;
}

const TYPE_INFO: Readonly<Record<TensorOneResourceType, TypeInfo>> = {
  clusters: { kind: 'cluster', dedicated: true, label: 'GPU clusters' },
  endpoints: { kind: 'deployment', dedicated: true, label: 'endpoints' },
  training: { kind: 'training_job', dedicated: false, label: 'training jobs' },
  'ai-services': { kind: 'service', dedicated: false, label: 'AI services' },
  storage: { kind: 'other', dedicated: false, label: 'storage' },
  bandwidth: { kind: 'other', dedicated: false, label: 'bandwidth' },
};

function typeInfo(resourceType: string): TypeInfo {
  return (TYPE_INFO as Readonly<Record<string, TypeInfo | undefined>>)[resourceType] ?? {
    kind: 'other',
    dedicated: false,
    label: resourceType,
  };
}

/** What mapping one answer needs besides the answer. */
export interface MapContext {
  readonly range: TimeRange;
  readonly nowMs: number;
  readonly startDayMs: number;
  readonly lastDayMs: number;
  /** The range starts or ends inside a UTC day: the whole-day total is an estimate of it. */
  readonly partial: boolean;
  readonly resourceTypes: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

/** One de-duplicated point of a type's series, with the part of its cost inside the range. */
interface SeriesPoint {
  readonly startMs: number;
  readonly costMicros: number;
  readonly value: number | undefined;
  readonly insideMicros: number;
  readonly insideValue: number | undefined;
  readonly overlapsRange: boolean;
}

interface TypeSeries {
  readonly breakdown: TensorOneBreakdown;
  /** Sorted ascending. */
  readonly points: readonly SeriesPoint[];
  /** The series adds up to the type's `usage.cost` (the vendor's own example does not). */
  readonly complete: boolean;
}

/** Maps TensorOne's answer into a report: totals from `summary`, buckets from `timeSeries`. */
export function mapUsage(answer: TensorOneUsageAnswer, ctx: MapContext): UsageReport {
  const { range, nowMs } = ctx;
  const currency = answer.summary.currency.trim().toUpperCase();
  if (currency !== 'USD') {
    // Name the currency only when it looks like an ISO code: never echo arbitrary answer text.
    const which = /^[A-Z]{3}$/.test(currency) ? currency : 'another currency';
    throw new ProviderError(
      'bad_response',
      `${PROVIDER} reported costs in ${which} although Burnrate asked for USD; the totals cannot be used`,
    );
  }
  const periodNote = periodMismatch(answer, ctx);

  const granularityMs = detectGranularityMs(answer.breakdown);
  // The days asked for are the report's: every point in them counts whole (PROVIDERS.md §0: totals
  // from the summary, never trimmed with the sparse timeSeries).
  const daysRange = { startMs: ctx.startDayMs, endMs: ctx.lastDayMs + DAY_MS };
  const series = answer.breakdown.map((breakdown) => typeSeries(breakdown, granularityMs, daysRange, nowMs));
  const totalMicros = answer.summary.totalCost;

  const bucketMap = new Map<number, number>();
  let latestUsageEndMs: number | undefined;
  for (const s of series) {
    for (const point of s.points) {
      if (!point.overlapsRange) continue;
      bucketMap.set(point.startMs, (bucketMap.get(point.startMs) ?? 0) + point.insideMicros);
      const used = point.insideMicros !== 0 || (point.insideValue ?? 0) !== 0;
      if (used) latestUsageEndMs = Math.max(latestUsageEndMs ?? -Infinity, point.startMs + granularityMs);
    }
  }
  const buckets = [...bucketMap.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, costMicros]) => ({ startMs, durationMs: granularityMs, costMicros }));

  const capMs = Math.min(nowMs, daysRange.endMs);
  let dataThroughMs: number | null = null;
  if (latestUsageEndMs !== undefined) dataThroughMs = Math.min(latestUsageEndMs, capMs);
  // Cost with no series point in the range (a sparse series): there is usage, but not when.
  else if (totalMicros !== 0) dataThroughMs = capMs;

  const notes: string[] = periodNote ? [periodNote] : [];
  const resources = mapResources(answer, series, granularityMs, notes);

  const incomplete = series.filter((s) => !s.complete && s.breakdown.usage.cost !== 0);
  if (ctx.partial) notes.push(boundaryDayNote(PROVIDER, { firstDayMs: ctx.startDayMs, lastDayMs: ctx.lastDayMs, partial: true }));
  if (incomplete.length > 0) {
    const types = incomplete.map((s) => s.breakdown.resourceType).join(', ');
    notes.push(`${PROVIDER} sent only part of the time series for ${types}: the chart shows the hours it sent, the total (from its summary) is complete.`);
  }
  const todayStartMs = floorToDay(nowMs);
  if (range.startMs < todayStartMs + DAY_MS && range.endMs > todayStartMs) {
    notes.push(`Today's ${PROVIDER} figures are provisional: usage is refreshed hourly and billing is finalised daily.`);
  }
  if (ctx.resourceTypes.length > 0) {
    notes.push(`Only these ${PROVIDER} resource types are tracked: ${ctx.resourceTypes.join(', ')}.`);
  }

  return {
    provider: 'tensorone',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit: 'usd',
    totalMicros,
    granularityMs,
    buckets,
    resources,
    dataThroughMs,
    extras: extrasOf(answer, ctx.headers),
    notes,
    ...(ctx.partial && !periodNote ? { estimated: true } : {}),
  };
}

/** No UTC day of the range has its majority in it yet: nothing to ask for. */
export function emptyReport(range: TimeRange): UsageReport {
  return {
    provider: 'tensorone',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit: 'usd',
    totalMicros: 0,
    granularityMs: HOUR_MS,
    buckets: [],
    resources: [],
    dataThroughMs: null,
    extras: {},
    notes: [`${PROVIDER} reports whole UTC days; the first UTC day of this period lies mostly in the previous one and counts there.`],
  };
}

/**
 * Says so when the answer covers other days than asked (a billing period clamped to the account's
 * start, a server that ignored `timeRange=custom`). The answer's own totals are still the authority:
 * failing here would blank the connection for good, so the difference becomes a note.
 */
function periodMismatch(answer: TensorOneUsageAnswer, ctx: MapContext): string | undefined {
  const { startDate, endDate } = answer.period;
  // The API may stop the period at today instead of echoing a future endDate; both are fine.
  const earliestEndMs = Math.min(ctx.lastDayMs, floorToDay(ctx.nowMs));
  if (startDate === ctx.startDayMs && endDate <= ctx.lastDayMs && endDate >= earliestEndMs) return undefined;
  return `${PROVIDER} answered for ${isoDate(startDate)} to ${isoDate(endDate)} instead of the requested ${isoDate(ctx.startDayMs)} to ${isoDate(ctx.lastDayMs)}; its totals are shown as sent.`;
}

/**
 * Bucket size of the answer. Hourly is what Burnrate asks for; an answer whose distinct points
 * all sit on UTC midnights, a whole number of days apart, is daily (the fixtures, older servers).
 * A single midnight point is ambiguous and read as the hourly series that was requested.
 */
function detectGranularityMs(breakdown: readonly TensorOneBreakdown[]): number {
  const stamps = [...new Set(breakdown.flatMap((b) => b.timeSeries.map((p) => p.timestamp)))];
  return stamps.length >= 2 && stamps.every((ms) => ms % DAY_MS === 0) ? DAY_MS : HOUR_MS;
}

function typeSeries(breakdown: TensorOneBreakdown, granularityMs: number, range: TimeRange, nowMs: number): TypeSeries {
  // The series arrives newest-first and may repeat a timestamp: keep the first answer per bucket.
  const byStart = new Map<number, { costMicros: number; value: number | undefined }>();
  for (const point of breakdown.timeSeries) {
    const startMs = Math.floor(point.timestamp / granularityMs) * granularityMs;
    if (!byStart.has(startMs)) byStart.set(startMs, { costMicros: point.cost, value: point.value });
  }
  const points = [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, { costMicros, value }]): SeriesPoint => {
      const share = insideShare(startMs, granularityMs, range, nowMs);
      return {
        startMs,
        costMicros,
        value,
        insideMicros: share >= 1 ? costMicros : share <= 0 ? 0 : Math.floor(costMicros * share),
        insideValue: value === undefined || share >= 1 ? value : share <= 0 ? 0 : value * share,
        overlapsRange: share > 0,
      };
    });
  const complete = sumMicros(points.map((p) => p.costMicros)) === breakdown.usage.cost;
  return { breakdown, points, complete };
}

/**
 * The share of a bucket's recorded cost that falls inside the range. A bucket still filling
 * (it contains `nowMs`) has recorded cost only up to now, so its share is measured against that.
 */
function insideShare(startMs: number, durationMs: number, range: TimeRange, nowMs: number): number {
  const recordedEndMs = nowMs > startMs && nowMs < startMs + durationMs ? nowMs : startMs + durationMs;
  const insideMs = Math.min(recordedEndMs, range.endMs) - Math.max(startMs, range.startMs);
  if (insideMs <= 0) return 0;
  return insideMs / (recordedEndMs - startMs);
}

function mapResources(
  answer: TensorOneUsageAnswer,
  series: readonly TypeSeries[],
  granularityMs: number,
  notes: string[],
): ResourceUsage[] {
  const resources: ResourceUsage[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (id: string, type: string): string => {
    const chosen = usedIds.has(id) ? `${type}:${id}` : id;
    usedIds.add(chosen);
    return chosen;
  };

  for (const { breakdown, points, complete } of series) {
    const type = breakdown.resourceType;
    const info = typeInfo(type);
    const unit = breakdown.usage.unit;
    const seen = new Set<string>();
    const tops = breakdown.topResources.filter((top) => {
      if (seen.has(top.resourceId)) return false;
      seen.add(top.resourceId);
      return true;
    });
    const remainderMicros = breakdown.usage.cost - sumMicros(tops.map((top) => top.cost));
    // The type's series belongs to one resource only when that resource is the whole type.
    const typeBuckets = complete ? resourceBuckets(points, granularityMs, unit) : undefined;
    const soleTop = tops.length === 1 && remainderMicros === 0;

    for (const top of tops) {
      resources.push({
        id: uniqueId(top.resourceId, type),
        name: top.name?.trim() || top.resourceId,
        kind: info.kind,
        costMicros: top.cost,
        activity: activityOf(unit, top.usage),
        dedicated: info.dedicated,
        group: type,
        ...(soleTop && typeBuckets ? { series: typeBuckets } : {}),
      });
    }
    if (remainderMicros > 0) {
      resources.push({
        id: uniqueId(`other-${type}`, type),
        name: `Other ${info.label}`,
        kind: info.kind,
        costMicros: remainderMicros,
        activity: activityOf(unit, remainderQuantity(breakdown.usage.quantity, tops)),
        dedicated: info.dedicated,
        group: type,
        ...(tops.length === 0 && typeBuckets ? { series: typeBuckets } : {}),
      });
    } else if (remainderMicros < 0) {
      notes.push(`${PROVIDER}'s top ${info.label} add up to more than its ${type} total; the listed costs are shown as sent.`);
    }
  }

  const unattributedMicros = answer.summary.totalCost - sumMicros(answer.breakdown.map((b) => b.usage.cost));
  if (unattributedMicros > 0) {
    resources.push({
      id: uniqueId('other-charges', 'other'),
      name: `Other ${PROVIDER} charges`,
      kind: 'other',
      costMicros: unattributedMicros,
      activity: {},
      dedicated: false,
    });
  } else if (unattributedMicros < 0) {
    notes.push(`${PROVIDER}'s per-type costs add up to more than its total; the total is the one ${PROVIDER} reports.`);
  }

  return resources.sort(byCostThenName);
}

function resourceBuckets(points: readonly SeriesPoint[], granularityMs: number, unit: string | undefined): ResourceBucket[] {
  return points
    .filter((point) => point.overlapsRange)
    .map((point) => ({
      startMs: point.startMs,
      durationMs: granularityMs,
      costMicros: point.insideMicros,
      ...(unit === 'requests' && point.insideValue !== undefined ? { requests: Math.floor(point.insideValue) } : {}),
    }));
}

function remainderQuantity(total: number | undefined, tops: TensorOneBreakdown['topResources']): number | undefined {
  if (total === undefined) return undefined;
  let listed = 0;
  for (const top of tops) {
    if (top.usage === undefined) return undefined;
    listed += top.usage;
  }
  // Quantities are floats on the wire (26.5 gpu_hours); drop the artefacts of the subtraction.
  const remainder = Math.round((total - listed) * 1e6) / 1e6;
  return remainder > 0 ? remainder : undefined;
}

/** Maps a quantity in the breakdown's unit to the activity field people read. */
function activityOf(unit: string | undefined, amount: number | undefined): Activity {
  if (amount === undefined || unit === undefined) return {};
  switch (unit) {
    case 'gpu_hours':
      return { gpuHours: amount };
    case 'requests':
      return { requests: amount };
    default:
      // storage is gb_hours (not GB, despite summary.totalStorageGB), bandwidth is gb.
      return { quantity: { amount, unit } };
  }
}

function floorToDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
