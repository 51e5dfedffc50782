/**
 * Per-resource series kept compactly in memory. A month of hourly buckets for 50 resources is
 * ~37,000 bucket objects per connection (about 70 bytes each with their boxed numbers); the
 * engine keeps this month's report, the stored head of the incremental refresh and the previous
 * period for every connection, yet only a few readers ever look at the per-resource hours (the
 * idle rule, the spend database's writer, the incremental join, Civis's credit conversion).
 *
 * {@link compactReport} packs each long series into one `Float64Array` (8–32 bytes a bucket) and
 * gives the resource a `series` getter that unpacks a fresh, equal array on every read: readers see
 * exactly the array they saw before (same buckets, same fields, `requests` only where it was set),
 * and nothing caches the objects. A series that cannot be packed exactly (a field that is not a
 * number, an extra field, `requests: undefined`) stays as it is.
 */
import type { ResourceBucket, ResourceUsage, UsageReport } from './report';

/** Series shorter than this stay plain arrays (packing saves little and costs a getter). */
export const MIN_PACKED_BUCKETS = 16;

/**
 * A packed series: `n` buckets of `lanes` numbers each, in the order start, cost, then the
 * duration (only when durations vary, else `durationMs`) and requests (only when some bucket has
 * them; NaN where a bucket has none).
 */
export interface Packed {
  readonly n: number;
  readonly lanes: number;
  /** The one duration of every bucket, or null when durations vary (then a lane holds them). */
  readonly durationMs: number | null;
  readonly hasRequests: boolean;
  /** The buckets' numbers, in order; a series with a tail appended shares its head's chunks. */
  readonly chunks: readonly Float64Array[];
}

/** The packed form of each compact resource (the getter reads it through `this`). */
const packedOf = new WeakMap<object, Packed>();

/** Packs `series`, or undefined when it is short or not exactly representable. */
export function packSeries(series: readonly ResourceBucket[]): Packed | undefined {
  const n = series.length;
  if (n < MIN_PACKED_BUCKETS) return undefined;
  const firstDuration = series[0]!.durationMs;
  let sameDuration = true;
  let hasRequests = false;
  for (const bucket of series) {
    if (!plainBucket(bucket)) return undefined;
    if (!Object.is(bucket.durationMs, firstDuration)) sameDuration = false;
    if (bucket.requests !== undefined) hasRequests = true;
  }
  const lanes = 2 + (sameDuration ? 0 : 1) + (hasRequests ? 1 : 0);
  const data = new Float64Array(n * lanes);
  for (let i = 0, at = 0; i < n; i += 1) {
    const bucket = series[i]!;
    data[at++] = bucket.startMs;
    data[at++] = bucket.costMicros;
    if (!sameDuration) data[at++] = bucket.durationMs;
    if (hasRequests) data[at++] = bucket.requests ?? Number.NaN;
  }
  return { n, lanes, durationMs: sameDuration ? firstDuration : null, hasRequests, chunks: [data] };
}

/** Own keys exactly startMs, durationMs, costMicros and optionally requests, all numbers (requests not NaN: NaN marks "none"). */
function plainBucket(bucket: ResourceBucket): boolean {
  if (typeof bucket.startMs !== 'number' || typeof bucket.durationMs !== 'number' || typeof bucket.costMicros !== 'number') return false;
  // Counted with for-in, not Object.keys (an array per bucket: 9 MB of garbage per whole-period
  // refresh of the heavy month). for-in also counts inherited enumerable keys; the prototype must be
  // Object.prototype, which has none unless something added one, and then nothing is packed.
  let keys = 0;
  for (const _key in bucket) keys += 1;
  if (!Object.prototype.hasOwnProperty.call(bucket, 'requests')) return keys === 3 && Object.getPrototypeOf(bucket) === Object.prototype;
  return keys === 4 && typeof bucket.requests === 'number' && !Number.isNaN(bucket.requests) && Object.getPrototypeOf(bucket) === Object.prototype;
}

/** The buckets of a packed series, as new plain objects (fields in the order start, duration, cost, requests). */
export function unpackSeries(packed: Packed): ResourceBucket[] {
  const { n, lanes, durationMs, hasRequests, chunks } = packed;
  const series = new Array<ResourceBucket>(n);
  let i = 0;
  for (const data of chunks) {
    for (let at = 0; at < data.length; at += lanes, i += 1) {
      const startMs = data[at]!;
      const costMicros = data[at + 1]!;
      const duration = durationMs ?? data[at + 2]!;
      const requests = hasRequests ? data[at + lanes - 1]! : Number.NaN;
      series[i] = Number.isNaN(requests) ? { startMs, durationMs: duration, costMicros } : { startMs, durationMs: duration, costMicros, requests };
    }
  }
  return series;
}

/** The getter every compact resource shares: a fresh array of its buckets. */
function readPacked(this: object): ResourceBucket[] {
  const packed = packedOf.get(this);
  if (packed === undefined) throw new Error('compactSeries: a packed series getter was moved to another object');
  return unpackSeries(packed);
}

/** `resource` without its series in memory as objects: `series` is an enumerable getter over `packed`. */
function withPacked(resource: ResourceUsage, packed: Packed): ResourceUsage {
  const compact = fieldsWithoutSeries(resource) as ResourceUsage;
  Object.defineProperty(compact, 'series', { enumerable: true, configurable: true, get: readPacked });
  packedOf.set(compact, packed);
  return compact;
}

/** A copy of the resource's own fields but `series`, in their order, without reading `series` (a getter would unpack or load it). */
export function fieldsWithoutSeries(resource: ResourceUsage | Omit<ResourceUsage, 'series'>): Omit<ResourceUsage, 'series'> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(resource)) if (key !== 'series') out[key] = (resource as unknown as Record<string, unknown>)[key];
  return out as unknown as Omit<ResourceUsage, 'series'>;
}

/** Whether the resource's series is packed (reading it unpacks a new array). */
export function isPacked(resource: ResourceUsage): boolean {
  return packedOf.has(resource);
}

/** The resource with its series packed, or itself when it has none to pack (short, not exact, already packed, or not a plain value). */
export function compactResource(resource: ResourceUsage): ResourceUsage {
  if (packedOf.has(resource)) return resource;
  const descriptor = Object.getOwnPropertyDescriptor(resource, 'series');
  // A getter (e.g. a series read from the database on first use) is left alone: reading it here would load it.
  if (descriptor === undefined || !('value' in descriptor) || descriptor.value === undefined) return resource;
  const packed = packSeries(descriptor.value as readonly ResourceBucket[]);
  return packed === undefined ? resource : withPacked(resource, packed);
}

/** `report` with its long per-resource series packed ({@link compactResource}); the same object when nothing changed. */
export function compactReport(report: UsageReport): UsageReport {
  let changed = false;
  const resources = report.resources.map((resource) => {
    const compact = compactResource(resource);
    if (compact !== resource) changed = true;
    return compact;
  });
  return changed ? { ...report, resources } : report;
}

/** The packed series of a compact resource, if it is one. */
export function packedSeriesOf(resource: ResourceUsage): Packed | undefined {
  return packedOf.get(resource);
}

/**
 * `packed` followed by `tail`, without unpacking or copying it (a new chunk), when every tail bucket starts after the
 * packed series' last one and packs the same way (the same constant duration, requests on both or
 * neither); else undefined (the caller joins arrays).
 */
export function appendPacked(packed: Packed, tail: readonly ResourceBucket[]): Packed | undefined {
  if (tail.length === 0) return packed;
  const last = packed.chunks[packed.chunks.length - 1]!;
  const lastStart = last[last.length - packed.lanes]!;
  if (!(tail[0]!.startMs > lastStart)) return undefined;
  for (let i = 0; i < tail.length; i += 1) {
    const bucket = tail[i]!;
    if (!plainBucket(bucket) || (i > 0 && !(bucket.startMs > tail[i - 1]!.startMs))) return undefined;
    if (packed.durationMs !== null && !Object.is(bucket.durationMs, packed.durationMs)) return undefined;
    if (!packed.hasRequests && bucket.requests !== undefined) return undefined;
  }
  const { lanes } = packed;
  const varying = packed.durationMs === null;
  const data = new Float64Array(tail.length * lanes);
  let at = 0;
  for (const bucket of tail) {
    data[at++] = bucket.startMs;
    data[at++] = bucket.costMicros;
    if (varying) data[at++] = bucket.durationMs;
    if (packed.hasRequests) data[at++] = bucket.requests ?? Number.NaN;
  }
  return { ...packed, n: packed.n + tail.length, chunks: [...packed.chunks, data] };
}

/** `resource` (its own series dropped) with the packed series `packed`. */
export function withPackedSeries(resource: Omit<ResourceUsage, 'series'> | ResourceUsage, packed: Packed): ResourceUsage {
  return withPacked(resource as ResourceUsage, packed);
}

/** The costs of a resource's series in order, read from the packed numbers without unpacking; undefined without a series. */
export function seriesCosts(resource: ResourceUsage): number[] | undefined {
  const packed = packedOf.get(resource);
  if (packed === undefined) return resource.series?.map((b) => b.costMicros);
  const costs = new Array<number>(packed.n);
  let i = 0;
  for (const data of packed.chunks) for (let at = 1; at < data.length; at += packed.lanes) costs[i++] = data[at]!;
  return costs;
}

/**
 * A packed resource with `costMicros` and its series' costs replaced by `costs` (one per bucket, in
 * order), still packed; undefined when the resource is not packed (the caller maps its array).
 */
export function withPackedCosts(resource: ResourceUsage, costMicros: number, costs: readonly number[]): ResourceUsage | undefined {
  const packed = packedOf.get(resource);
  if (packed === undefined) return undefined;
  let i = 0;
  const chunks = packed.chunks.map((data) => {
    const copy = new Float64Array(data);
    for (let at = 1; at < copy.length; at += packed.lanes) copy[at] = costs[i++] ?? 0;
    return copy;
  });
  return withPacked({ ...fieldsWithoutSeries(resource), costMicros } as ResourceUsage, { ...packed, chunks });
}
