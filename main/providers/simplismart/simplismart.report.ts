// Mapping of the Simplismart answers into one report: bucketing, resources, notes.
import {
  addDecimal,
  apportionMicros,
  decimalToMicros,
  decimalToNumber,
  isZeroDecimal,
  negateDecimal,
  sumDecimals,
  ZERO_DECIMAL as ZERO,
  type Decimal,
} from '../../core/money';
import {
  byCostThenName,
  DAY_MS,
  HOUR_MS,
  type CostBucket,
  type ResourceBucket,
  type ResourceKind,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import { MIN_PACKED_BUCKETS, withPackedSeries, type Packed } from '../../core/compactSeries';
import { SIMPLISMART_WINDOW_MS, type SimplismartPlanType, type SimplismartUsageItem, type SimplismartUsagePoint, type SimplismartWindowSize } from './simplismart.schema';
import type { PlanAnswer } from './simplismart.request';
import { LIST_FILTERS, type SimplismartSettings } from './simplismart.settings';

const UUID_SUFFIX = /^(.+)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Display name of a source: the slug of `<deployment-slug>_<uuid>`, else the source itself.
 * @example sourceName('llama3p1-8b_3f1c2a9e-7b4d-4e0a-9c1e-2d5f6a7b8c9d') //=> 'llama3p1-8b'
 */
export function sourceName(source: string): string {
  return UUID_SUFFIX.exec(source)?.[1] ?? source;
}

const KIND_BY_PLAN: Readonly<Record<SimplismartPlanType, ResourceKind>> = {
  shared: 'model',
  private: 'deployment',
  byoc: 'deployment',
  reserved: 'deployment',
  training: 'training_job',
  compilation: 'other',
};

// Private, BYOC and reserved capacity is billed by GPU time whether it serves requests or not.
const DEDICATED_PLANS: readonly SimplismartPlanType[] = ['private', 'byoc', 'reserved'];

/** A point kept for the report, with its plan type and source. */
export interface KeptPoint {
  readonly timestampMs: number;
  readonly cost: Decimal;
  readonly hasUsage: boolean;
  /** The point's `event_count` (requests served), when Simplismart sent it. */
  readonly events: number | undefined;
}

interface SourceGroup {
  readonly source: string;
  readonly items: SimplismartUsageItem[];
  cost: Decimal;
  readonly points: KeptPoint[];
}

/** Bucketing of point timestamps: floors to the hour when points are at most an hour apart. */
export interface Bucketing {
  readonly granularityMs: number;
  bucketStart(timestampMs: number): number;
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

export function chooseBucketing(timestamps: readonly number[], windowSize: SimplismartWindowSize): Bucketing {
  const distinct = [...new Set(timestamps)].sort((a, b) => a - b);
  const windowMs = SIMPLISMART_WINDOW_MS[windowSize];
  // The spacing is the largest step every point sits on, so hours without usage (gaps) do not
  // make hourly points look coarser.
  let spacingMs = 0;
  for (let index = 1; index < distinct.length; index += 1) {
    spacingMs = greatestCommonDivisor(spacingMs, (distinct[index] as number) - (distinct[index - 1] as number));
  }
  // One point or none: fall back to what was asked for (hourly at the finest).
  if (spacingMs === 0) spacingMs = Math.max(HOUR_MS, windowMs);
  // Coarse points on the requested grid with whole windows missing: still that window.
  else if (windowMs > HOUR_MS && spacingMs % windowMs === 0) spacingMs = windowMs;
  if (spacingMs <= HOUR_MS) {
    return { granularityMs: HOUR_MS, bucketStart: (ms) => Math.floor(ms / HOUR_MS) * HOUR_MS };
  }
  // Coarser points (the API may ignore window_size): the observed spacing, anchored at the first point.
  const anchorMs = distinct[0] ?? 0;
  return {
    granularityMs: spacingMs,
    bucketStart: (ms) => anchorMs + Math.floor((ms - anchorMs) / spacingMs) * spacingMs,
  };
}

function describeDuration(ms: number): string {
  if (ms % DAY_MS === 0) return ms === DAY_MS ? '1 day' : `${ms / DAY_MS} days`;
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? '1 hour' : `${ms / HOUR_MS} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/**
 * Sums points into buckets. A bucket's `requests` is the sum of its points' `event_count` when every
 * point carries one (so the idle rule can see a dedicated deployment serving nothing), else absent.
 */
export function bucketSeries(points: readonly KeptPoint[], bucketing: Bucketing): ResourceBucket[] {
  return bucketPerPoint(points, bucketing) ?? sumIntoBuckets(points, bucketing);
}

/**
 * {@link bucketSeries} when every point starts a later bucket than the one before (a source's
 * hourly points, one an hour, in order: Simplismart's usual answer): one bucket per point, nothing
 * to add up or sort. Undefined when two points share a bucket or come out of order.
 */
function bucketPerPoint(points: readonly KeptPoint[], bucketing: Bucketing): ResourceBucket[] | undefined {
  const series = new Array<ResourceBucket>(points.length);
  let lastStartMs = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < points.length; index += 1) {
    const point = points[index]!;
    const startMs = bucketing.bucketStart(point.timestampMs);
    if (!(startMs > lastStartMs)) return undefined;
    lastStartMs = startMs;
    const costMicros = decimalToMicros(point.cost, 'points[].cost');
    series[index] = point.events === undefined ? { startMs, durationMs: bucketing.granularityMs, costMicros } : { startMs, durationMs: bucketing.granularityMs, costMicros, requests: point.events };
  }
  return series;
}

/**
 * A source's series packed at once (../../core/compactSeries.ts) when it is one bucket per point
 * and long enough to pack: exactly what packing {@link bucketSeries}'s buckets would give, without
 * an object per bucket first. Undefined otherwise (then {@link bucketSeries}).
 */
export function packedPerPoint(points: readonly KeptPoint[], bucketing: Bucketing): Packed | undefined {
  const n = points.length;
  if (n < MIN_PACKED_BUCKETS) return undefined;
  let hasRequests = false;
  for (let i = 0; i < n && !hasRequests; i += 1) hasRequests = points[i]!.events !== undefined;
  const lanes = hasRequests ? 3 : 2;
  const data = new Float64Array(n * lanes);
  let lastStartMs = Number.NEGATIVE_INFINITY;
  for (let i = 0, at = 0; i < n; i += 1) {
    const point = points[i]!;
    const startMs = bucketing.bucketStart(point.timestampMs);
    if (!(startMs > lastStartMs)) return undefined;
    lastStartMs = startMs;
    data[at++] = startMs;
    data[at++] = decimalToMicros(point.cost, 'points[].cost');
    // NaN marks a bucket without requests, as packSeries writes it.
    if (hasRequests) data[at++] = point.events ?? Number.NaN;
  }
  return { n, lanes, durationMs: bucketing.granularityMs, hasRequests, chunks: [data] };
}

/** {@link bucketSeries} in general: points summed per bucket (exactly), buckets in order. */
export function sumIntoBuckets(points: readonly KeptPoint[], bucketing: Bucketing): ResourceBucket[] {
  const byStart = new Map<number, { cost: Decimal; requests: number | undefined }>();
  for (let i = 0; i < points.length; i += 1) {
    const point = points[i]!;
    const start = bucketing.bucketStart(point.timestampMs);
    const bucket = byStart.get(start);
    if (bucket === undefined) {
      byStart.set(start, { cost: point.cost, requests: point.events });
    } else {
      bucket.cost = addDecimal(bucket.cost, point.cost);
      bucket.requests = bucket.requests === undefined || point.events === undefined ? undefined : bucket.requests + point.events;
    }
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, { cost, requests }]) => ({
      startMs,
      durationMs: bucketing.granularityMs,
      costMicros: decimalToMicros(cost, 'points[].cost'),
      ...(requests === undefined ? {} : { requests }),
    }));
}

/** Activity of a source: events from `event_count`, quantity from `total_usage` in the meter's unit. */
function activityOf(items: readonly SimplismartUsageItem[]): ResourceUsage['activity'] {
  const counts = items.map((item) => item.event_count).filter((count): count is number => typeof count === 'number');
  const meters = new Set(items.map((item) => item.event_name));
  const [meter] = meters;
  const events = counts.reduce((sum, count) => sum + count, 0);
  return {
    // `event_count` counts the requests a source served: it is both its events and its requests.
    ...(counts.length > 0 ? { events, requests: events } : {}),
    // A quantity has one unit: with several meters on one source there is no single quantity.
    ...(meters.size === 1 && meter !== undefined
      ? { quantity: { amount: decimalToNumber(sumDecimals(items.map((item) => item.total_usage))), unit: meter } }
      : {}),
  };
}

/** An item's points when it has none. */
const NO_POINTS: readonly SimplismartUsagePoint[] = [];

/** Sums the plan-type answers into one report. */
export function buildReport(
  range: TimeRange,
  nowMs: number,
  settings: SimplismartSettings,
  answers: readonly PlanAnswer[],
): UsageReport {
  const notes: string[] = [];

  // Points at or after end_time are outside [start, end) (the API may treat end_time as inclusive).
  let droppedLateUsage = false;
  const timestamps: number[] = [];
  // Indexed loops over the points (thousands per answer), not for-of: an iterator result per
  // point was 17 MB of garbage per whole-period refresh of the heavy month.
  for (const answer of answers) {
    for (const item of answer.items) {
      const points = item.points ?? NO_POINTS;
      for (let i = 0; i < points.length; i += 1) {
        const timestamp = points[i]!.timestamp;
        if (timestamp < range.endMs) timestamps.push(timestamp);
      }
    }
  }
  const bucketing = chooseBucketing(timestamps, settings.windowSize);
  const windowMs = SIMPLISMART_WINDOW_MS[settings.windowSize];
  if (bucketing.granularityMs > HOUR_MS && bucketing.granularityMs !== windowMs && timestamps.length > 1) {
    notes.push(
      `Simplismart sent points every ${describeDuration(bucketing.granularityMs)} although ${settings.windowSize} windows were asked for; the chart uses that spacing.`,
    );
  }

  const resources: ResourceUsage[] = [];
  const allPoints: KeptPoint[] = [];
  const usedIds = new Set<string>();
  let totalMicros = 0;
  let anyCostWithoutPoints = false;

  for (const answer of answers) {
    const { planType } = answer;
    const groups = new Map<string, SourceGroup>();
    let droppedCost = ZERO;
    for (const item of answer.items) {
      let group = groups.get(item.source);
      if (!group) {
        group = { source: item.source, items: [], cost: ZERO, points: [] };
        groups.set(item.source, group);
      }
      group.items.push(item);
      let itemCost = item.total_cost;
      const points = item.points ?? NO_POINTS;
      for (let i = 0; i < points.length; i += 1) {
        const point = points[i]!;
        const hasUsage = !isZeroDecimal(point.cost) || !isZeroDecimal(point.usage) || (point.event_count ?? 0) > 0;
        if (point.timestamp >= range.endMs) {
          if (hasUsage) droppedLateUsage = true;
          itemCost = addDecimal(itemCost, negateDecimal(point.cost));
          droppedCost = addDecimal(droppedCost, point.cost);
          continue;
        }
        const kept: KeptPoint = { timestampMs: point.timestamp, cost: point.cost, hasUsage, events: point.event_count ?? undefined };
        group.points.push(kept);
        allPoints.push(kept);
      }
      if (points.length === 0 && !isZeroDecimal(item.total_cost)) anyCostWithoutPoints = true;
      group.cost = addDecimal(group.cost, itemCost);
    }

    const groupList = [...groups.values()];
    const groupMicros = apportionMicros(groupList.map((group) => group.cost));
    const itemsMicros = groupMicros.reduce((sum, micros) => sum + micros, 0);
    const planTotalMicros =
      answer.totalCost === undefined
        ? itemsMicros
        : decimalToMicros(addDecimal(answer.totalCost, negateDecimal(droppedCost)), 'total_cost');
    totalMicros += planTotalMicros;

    groupList.forEach((group, index) => {
      const id = usedIds.has(group.source) ? `${planType}:${group.source}` : group.source;
      usedIds.add(id);
      const fields = {
        id,
        name: sourceName(group.source),
        kind: KIND_BY_PLAN[planType],
        costMicros: groupMicros[index] as number,
        activity: activityOf(group.items),
        dedicated: DEDICATED_PLANS.includes(planType),
        group: planType,
      };
      // An hourly source's month goes straight into its packed form (what the engine keeps anyway).
      const packed = packedPerPoint(group.points, bucketing);
      if (packed !== undefined) {
        resources.push(withPackedSeries(fields, packed));
        return;
      }
      const series = bucketSeries(group.points, bucketing);
      resources.push({ ...fields, ...(series.length > 0 ? { series } : {}) });
    });

    const unattributedMicros = planTotalMicros - itemsMicros;
    if (unattributedMicros > 0) {
      resources.push({
        id: `other:${planType}`,
        name: `Other ${planType} usage`,
        kind: 'other',
        costMicros: unattributedMicros,
        activity: {},
        dedicated: false,
        group: planType,
      });
    } else if (unattributedMicros < 0) {
      notes.push(
        `Simplismart's ${planType} total is lower than the sum of its items; Burnrate shows the total it reported.`,
      );
    }
  }

  if (droppedLateUsage) {
    notes.push('Simplismart returned usage from after the end of the range; Burnrate left it out.');
  }

  const buckets: CostBucket[] = bucketSeries(allPoints, bucketing).map(({ startMs, durationMs, costMicros }) => ({
    startMs,
    durationMs,
    costMicros,
  }));

  const capMs = Math.min(nowMs, range.endMs);
  let latestUsageEndMs: number | null = null;
  for (let i = 0; i < allPoints.length; i += 1) {
    const point = allPoints[i]!;
    if (!point.hasUsage) continue;
    const endMs = bucketing.bucketStart(point.timestampMs) + bucketing.granularityMs;
    if (latestUsageEndMs === null || endMs > latestUsageEndMs) latestUsageEndMs = endMs;
  }
  // Cost without any time points still proves data for the range, up to now.
  if (latestUsageEndMs === null && (anyCostWithoutPoints || totalMicros !== 0)) latestUsageEndMs = capMs;
  const dataThroughMs = latestUsageEndMs === null ? null : Math.min(latestUsageEndMs, capMs);

  for (const filter of LIST_FILTERS) {
    if (settings[filter.key].length === 0) continue;
    const unfiltered = settings.planTypes.filter((planType) => !filter.planTypes.includes(planType));
    if (unfiltered.length > 0) {
      notes.push(`${filter.label} narrow only ${filter.planTypes.join(' and ')} usage; ${unfiltered.join(', ')} usage is not filtered.`);
    }
  }

  resources.sort(byCostThenName);

  return {
    provider: 'simplismart',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit: 'usd',
    totalMicros,
    granularityMs: bucketing.granularityMs,
    buckets,
    resources,
    dataThroughMs,
    extras: {},
    notes,
  };
}
