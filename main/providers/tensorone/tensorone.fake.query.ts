// The TensorOne fake's query parsing: presets, custom dates, granularity, currency.
import { DAY_MS } from '../fake/scenario';
import {
  TENSORONE_FAKE_RATES,
  TENSORONE_FAKE_RESOURCE_TYPES,
  type TensorOneFakeCurrency,
  type TensorOneFakeResourceType,
} from './tensorone.fake.wire';

/** `timeRange` values the API accepts. */
export const TIME_RANGES = ['current_month', 'last_month', 'current_quarter', 'last_quarter', 'current_year', 'custom'] as const;
/** `granularity` values the API accepts. */
export const GRANULARITIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
/** One `granularity` value. */
export type Granularity = (typeof GRANULARITIES)[number];
/** Longest custom range, in days. */
export const MAX_RANGE_DAYS = 366;

/** A parsed, valid usage query. */
export interface UsageQuery {
  readonly startDayMs: number;
  /** Inclusive last day. */
  readonly lastDayMs: number;
  readonly billingCycle: string;
  readonly granularity: Granularity;
  readonly currency: TensorOneFakeCurrency;
  readonly includeProjections: boolean;
  readonly includeCosts: boolean;
  readonly types: ReadonlySet<TensorOneFakeResourceType>;
}

/** Why a query was refused: status and error body. */
export interface QueryProblem {
  readonly field: string;
  readonly reason: string;
}

/** Parses and validates the query string as the API does. */
export function parseQuery(query: URLSearchParams, nowMs: number, accountCurrency: TensorOneFakeCurrency): UsageQuery | QueryProblem {
  const timeRange = query.get('timeRange') ?? 'current_month';
  if (!(TIME_RANGES as readonly string[]).includes(timeRange)) {
    return { field: 'timeRange', reason: `timeRange must be one of ${TIME_RANGES.join(', ')}` };
  }
  let startDayMs: number;
  let lastDayMs: number;
  let billingCycle: string;
  if (timeRange === 'custom') {
    const startText = query.get('startDate');
    const endText = query.get('endDate');
    if (!startText || !endText) {
      return { field: startText ? 'endDate' : 'startDate', reason: 'startDate and endDate are required when timeRange is custom' };
    }
    const start = parseDate(startText);
    if (start === undefined) return { field: 'startDate', reason: 'startDate must be a date in the format YYYY-MM-DD' };
    const end = parseDate(endText);
    if (end === undefined) return { field: 'endDate', reason: 'endDate must be a date in the format YYYY-MM-DD' };
    if (end < start) return { field: 'endDate', reason: 'endDate must not be before startDate' };
    if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      return { field: 'endDate', reason: `a custom range may span at most ${MAX_RANGE_DAYS} days` };
    }
    [startDayMs, lastDayMs, billingCycle] = [start, end, 'custom'];
  } else {
    [startDayMs, lastDayMs, billingCycle] = presetPeriod(timeRange, nowMs);
  }

  const granularity = query.get('granularity') ?? 'daily';
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) {
    return { field: 'granularity', reason: `granularity must be one of ${GRANULARITIES.join(', ')}` };
  }
  const currency = query.get('currency') ?? accountCurrency;
  if (!Object.hasOwn(TENSORONE_FAKE_RATES, currency)) {
    return { field: 'currency', reason: `currency must be one of ${Object.keys(TENSORONE_FAKE_RATES).join(', ')}` };
  }
  const includeProjections = booleanParam(query, 'includeProjections', false);
  if (includeProjections === undefined) return { field: 'includeProjections', reason: 'includeProjections must be true or false' };
  const includeCosts = booleanParam(query, 'includeCosts', true);
  if (includeCosts === undefined) return { field: 'includeCosts', reason: 'includeCosts must be true or false' };

  // The contract encodes the array with brackets (the vendor's curl); a bare key is a client bug.
  if (query.has('resourceType')) {
    return { field: 'resourceType', reason: 'resourceType is an array: send it as resourceType[]=…' };
  }
  const requested = query.getAll('resourceType[]');
  for (const type of requested) {
    if (!(TENSORONE_FAKE_RESOURCE_TYPES as readonly string[]).includes(type)) {
      return { field: 'resourceType', reason: `resourceType must be one of ${TENSORONE_FAKE_RESOURCE_TYPES.join(', ')}` };
    }
  }
  const types = new Set<TensorOneFakeResourceType>(
    requested.length > 0 ? (requested as TensorOneFakeResourceType[]) : TENSORONE_FAKE_RESOURCE_TYPES,
  );
  return {
    startDayMs,
    lastDayMs,
    billingCycle,
    granularity: granularity as Granularity,
    currency: currency as TensorOneFakeCurrency,
    includeProjections,
    includeCosts,
    types,
  };
}

/** Epoch ms of a YYYY-MM-DD date (UTC), or undefined. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

/** A true/false query parameter; undefined when malformed. */
export function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean | undefined {
  const value = query.get(name);
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** [first day, last day (inclusive), billingCycle] of a preset, in UTC. */
export function presetPeriod(timeRange: string, nowMs: number): [number, number, string] {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarter = Math.floor(month / 3) * 3;
  switch (timeRange) {
    case 'last_month':
      return [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1) - DAY_MS, 'monthly'];
    case 'current_quarter':
      return [Date.UTC(year, quarter, 1), Date.UTC(year, quarter + 3, 1) - DAY_MS, 'quarterly'];
    case 'last_quarter':
      return [Date.UTC(year, quarter - 3, 1), Date.UTC(year, quarter, 1) - DAY_MS, 'quarterly'];
    case 'current_year':
      return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1) - DAY_MS, 'yearly'];
    default:
      return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1) - DAY_MS, 'monthly'];
  }
}
