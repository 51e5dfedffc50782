// The TensorOne fake's rendering of a usage answer from the scenario.
import { DAY_MS, HOUR_MS, hoursInRange, microsToDecimalString, type Scenario, type ScenarioResource } from '../fake/scenario';
import {
  TENSORONE_FAKE_RATES,
  TENSORONE_FAKE_RESOURCE_TYPES,
  type TensorOneFakeCurrency,
  type TensorOneFakeResourceType,
} from './tensorone.fake.wire';
import type { TensorOneFakeOptions } from './tensorone.fake';
import type { Granularity, UsageQuery } from './tensorone.fake.query';

/** Unit of each resource type. */
export const UNITS: Readonly<Record<TensorOneFakeResourceType, string>> = {
  clusters: 'gpu_hours',
  endpoints: 'gpu_hours',
  training: 'gpu_hours',
  'ai-services': 'requests',
  storage: 'gb_hours',
  bandwidth: 'gb',
};

/** Default price per unit (micro-USD) used to derive quantities from cost; `meta.unitPriceMicros` overrides. */
export const UNIT_PRICE_MICROS: Readonly<Record<TensorOneFakeResourceType, number>> = {
  clusters: 2_500_000,
  endpoints: 1_800_000,
  training: 3_000_000,
  'ai-services': 3_000,
  storage: 3_000,
  bandwidth: 80_000,
};

/** Leaves out points as the sparse-series option asks (TensorOne's series is sparse). */
export function sparsePoints<P extends { timestamp: string }>(points: P[], sparse: TensorOneFakeOptions['sparseSeries']): P[] {
  if (!sparse) return points;
  if (sparse === true) return points.slice(0, 1);
  return points.filter((point) => Math.floor(Date.parse(point.timestamp) / HOUR_MS) % sparse.everyHours === 0);
}

/** The running fake's options and clock. */
export interface FakeState {
  readonly options: TensorOneFakeOptions;
  readonly scenario: Scenario;
  readonly now: () => number;
  readonly lagMs: number;
  /** Reads per rate-limit window start (ms). */
  readonly reads: Map<number, number>;
  requestCount: number;
}

/** A scenario resource's type (`meta.resourceType`). */
export function resourceTypeOf(resource: ScenarioResource): TensorOneFakeResourceType {
  const type = resource.meta?.resourceType ?? 'ai-services';
  if (!(TENSORONE_FAKE_RESOURCE_TYPES as readonly unknown[]).includes(type)) {
    throw new Error(`scenario resource ${resource.id} has unknown meta.resourceType ${String(type)}`);
  }
  return type as TensorOneFakeResourceType;
}

/** Start of the bucket of the given granularity holding an hour. */
export function bucketStart(hourStartMs: number, granularity: Granularity): number {
  switch (granularity) {
    case 'hourly':
      return hourStartMs;
    case 'daily':
      return Math.floor(hourStartMs / DAY_MS) * DAY_MS;
    case 'weekly': {
      // Weeks start on Monday (UTC); 1970-01-05 was a Monday.
      const mondayMs = 4 * DAY_MS;
      return Math.floor((hourStartMs - mondayMs) / (7 * DAY_MS)) * 7 * DAY_MS + mondayMs;
    }
    case 'monthly': {
      const date = new Date(hourStartMs);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
  }
}

interface Totals {
  costMicros: number;
  quantity: number;
  requests: number;
}

interface TypeAggregate extends Totals {
  readonly type: TensorOneFakeResourceType;
  readonly buckets: Map<number, { costMicros: number; quantity: number }>;
  readonly resources: Array<{ resource: ScenarioResource } & Totals>;
}

/** Renders the usage answer of a query from the scenario. */
export function renderUsage(state: FakeState, query: UsageQuery, nowMs: number): unknown {
  const periodStartMs = query.startDayMs;
  const periodEndMs = query.lastDayMs + DAY_MS;
  const availableMs = nowMs - state.lagMs;
  const aggregates = new Map<TensorOneFakeResourceType, TypeAggregate>();
  const regions = new Map<string, { costMicros: number; gpuHours: number; requests: number }>();

  for (const resource of state.scenario.resources) {
    const type = resourceTypeOf(resource);
    if (!query.types.has(type)) continue;
    const unit = UNITS[type];
    const priceMicros = Number(resource.meta?.unitPriceMicros ?? UNIT_PRICE_MICROS[type]);
    let aggregate = aggregates.get(type);
    if (!aggregate) {
      aggregate = { type, costMicros: 0, quantity: 0, requests: 0, buckets: new Map(), resources: [] };
      aggregates.set(type, aggregate);
    }
    const own: { resource: ScenarioResource } & Totals = { resource, costMicros: 0, quantity: 0, requests: 0 };
    for (const { hourStartMs, usage } of hoursInRange(state.scenario, resource, periodStartMs, periodEndMs, availableMs)) {
      const quantity = unit === 'requests' ? usage.requests : usage.costMicros / priceMicros;
      own.costMicros += usage.costMicros;
      own.quantity += quantity;
      own.requests += usage.requests;
      const start = bucketStart(hourStartMs, query.granularity);
      const bucket = aggregate.buckets.get(start) ?? { costMicros: 0, quantity: 0 };
      bucket.costMicros += usage.costMicros;
      bucket.quantity += quantity;
      aggregate.buckets.set(start, bucket);
    }
    aggregate.costMicros += own.costMicros;
    aggregate.quantity += own.quantity;
    aggregate.requests += own.requests;
    aggregate.resources.push(own);
    const regionName = String(resource.meta?.region ?? 'us-east-1');
    const region = regions.get(regionName) ?? { costMicros: 0, gpuHours: 0, requests: 0 };
    region.costMicros += own.costMicros;
    if (unit === 'gpu_hours') region.gpuHours += own.quantity;
    if (unit === 'requests') region.requests += own.requests;
    regions.set(regionName, region);
  }

  const money = (micros: number): number | undefined => (query.includeCosts ? renderMoney(micros, query.currency) : undefined);
  const used = [...aggregates.values()].filter((a) => a.costMicros !== 0 || a.quantity !== 0);
  const totalMicros = used.reduce((sum, a) => sum + a.costMicros, 0);
  const percentage = (micros: number): number => (totalMicros === 0 ? 0 : Math.round((micros / totalMicros) * 1000) / 10);
  const sumOf = (unit: string): number => used.filter((a) => UNITS[a.type] === unit).reduce((sum, a) => sum + a.quantity, 0);

  const breakdown = used
    .sort((a, b) => b.costMicros - a.costMicros)
    .map((aggregate) => {
      const points = [...aggregate.buckets.entries()]
        .sort(([a], [b]) => b - a)
        .map(([start, bucket]) => ({
          timestamp: isoInstant(start),
          value: round3(bucket.quantity),
          cost: money(bucket.costMicros),
        }));
      const listsResources = aggregate.type !== 'storage' && aggregate.type !== 'bandwidth';
      const topResources = listsResources
        ? aggregate.resources
            .filter((r) => r.costMicros > 0)
            .sort((a, b) => b.costMicros - a.costMicros || a.resource.id.localeCompare(b.resource.id))
            .slice(0, state.options.topResourcesLimit ?? 5)
            .map((r) => ({ resourceId: r.resource.id, name: r.resource.name, usage: round3(r.quantity), cost: money(r.costMicros) }))
        : [];
      return {
        resourceType: aggregate.type,
        usage: {
          quantity: round3(aggregate.quantity),
          unit: UNITS[aggregate.type],
          cost: money(aggregate.costMicros),
          percentage: percentage(aggregate.costMicros),
        },
        timeSeries: sparsePoints(points, state.options.sparseSeries),
        topResources,
      };
    });

  const regional = [...regions.entries()]
    .filter(([, region]) => region.costMicros !== 0)
    .sort(([, a], [, b]) => b.costMicros - a.costMicros)
    .map(([name, region]) => ({
      region: name,
      usage: { totalCost: money(region.costMicros), gpuHours: round3(region.gpuHours), apiRequests: region.requests },
      cost: money(region.costMicros),
      percentage: percentage(region.costMicros),
    }));

  const daysInPeriod = Math.round((periodEndMs - periodStartMs) / DAY_MS);
  const elapsedMs = Math.min(Math.max(availableMs - periodStartMs, 0), periodEndMs - periodStartMs);
  const body: Record<string, unknown> = {
    period: {
      startDate: isoDate(periodStartMs),
      endDate: isoDate(query.lastDayMs),
      billingCycle: query.billingCycle,
      daysInPeriod,
      daysElapsed: Math.ceil(elapsedMs / DAY_MS),
    },
    summary: {
      totalCost: money(totalMicros),
      totalGpuHours: round3(sumOf('gpu_hours')),
      totalApiRequests: Math.round(sumOf('requests')),
      totalStorageGB: round3(sumOf('gb_hours')),
      totalBandwidthGB: round3(sumOf('gb')),
      currency: query.currency,
    },
    breakdown,
    regional,
  };
  if (query.includeProjections) {
    const scale = elapsedMs > 0 ? (periodEndMs - periodStartMs) / elapsedMs : 0;
    body.projections = {
      projectedCost: money(Math.round(totalMicros * scale)),
      projectedUsage: {
        gpuHours: round3(sumOf('gpu_hours') * scale),
        apiRequests: Math.round(sumOf('requests') * scale),
        storageGB: round3(sumOf('gb_hours') * scale),
      },
      confidence: Math.round((0.5 + (0.45 * elapsedMs) / (periodEndMs - periodStartMs)) * 100) / 100,
      trend: 'stable',
    };
  }
  body.alerts = state.options.alerts ?? [];
  return body;
}

/** Micro-USD → a JSON number in the requested currency (exact for USD; JPY in whole yen). */
export function renderMoney(micros: number, currency: TensorOneFakeCurrency): number {
  if (currency === 'USD') return Number(microsToDecimalString(micros));
  const converted = micros * TENSORONE_FAKE_RATES[currency];
  const rounded = currency === 'JPY' ? Math.round(converted / 1_000_000) * 1_000_000 : Math.round(converted / 10_000) * 10_000;
  return Number(microsToDecimalString(rounded));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** YYYY-MM-DD of an instant, UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO-8601 instant with Z. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
