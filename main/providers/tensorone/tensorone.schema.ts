/**
 * Zod schemas of TensorOne's raw answers (`GET /v2/billing/usage` and the error envelope), as in
 * docs/providers/PROVIDERS.md §2 and test/fixtures/providers/tensorone-*.json.
 * Unknown extra fields are ignored; a missing required field fails `parseAnswer` naming the field.
 * Money arrives as JSON numbers in major units of `summary.currency` and is parsed to exact micros.
 */
import { z } from 'zod';
import { array, instant, nonEmptyString, number, object, optional, string, viaZod, withDefault, withFastPath } from '../fastParse';
import { fastMoneyMicros, fastUtcDateMs, isoInstantMs, moneyMicros, utcDateMs } from '../schema';

/** The resource types TensorOne bills (the values of `resourceType[]` and `breakdown[].resourceType`). */
export const TENSORONE_RESOURCE_TYPES = ['clusters', 'endpoints', 'training', 'ai-services', 'storage', 'bandwidth'] as const;

/** One TensorOne resource type. */
export type TensorOneResourceType = (typeof TENSORONE_RESOURCE_TYPES)[number];

const count = z.number();

/** One point of a breakdown's `timeSeries` (sparse and newest-first on the wire). */
export const timeSeriesPointSchema = z.object({
  /** Bucket start, ISO UTC. */
  timestamp: isoInstantMs,
  /** Quantity in the breakdown's unit. */
  value: count.optional(),
  cost: moneyMicros,
});

/** One entry of a breakdown's `topResources` (may be empty; not necessarily every resource). */
export const topResourceSchema = z.object({
  resourceId: z.string().min(1),
  name: z.string().optional(),
  /** Quantity in the breakdown's unit. */
  usage: count.optional(),
  cost: moneyMicros,
});

/** One `breakdown[]` entry: usage of one resource type. */
export const breakdownSchema = z.object({
  // A type added by TensorOne later must not break the whole answer: it maps to kind 'other'.
  resourceType: z.string().min(1),
  usage: z.object({
    quantity: count.optional(),
    unit: z.string().optional(),
    cost: moneyMicros,
    /** Rounded to one decimal; never sums to exactly 100. */
    percentage: count.optional(),
  }),
  timeSeries: z.array(timeSeriesPointSchema).default([]),
  topResources: z.array(topResourceSchema).default([]),
});

/** `projections`, present only with `includeProjections=true`. */
export const projectionsSchema = z.object({
  projectedCost: moneyMicros,
  projectedUsage: z
    .object({ gpuHours: count.optional(), apiRequests: count.optional(), storageGB: count.optional() })
    .optional(),
  confidence: count.nullable().optional(),
  trend: z.string().nullable().optional(),
});

/** One `alerts[]` entry. `threshold`/`currentValue` are money for `budget_exceeded`, percentages for spikes. */
export const alertSchema = z.object({
  type: z.string(),
  severity: z.string(),
  message: z.string(),
  threshold: count.nullable().optional(),
  currentValue: count.nullable().optional(),
});

// The fast path of the answer (../fastParse.ts): the same shape, checked by hand.
const fastBreakdown = object({
  resourceType: nonEmptyString,
  usage: object({ quantity: optional(number), unit: optional(string), cost: fastMoneyMicros, percentage: optional(number) }),
  timeSeries: withDefault(array(object({ timestamp: instant, value: optional(number), cost: fastMoneyMicros })), () => []),
  topResources: withDefault(array(object({ resourceId: nonEmptyString, name: optional(string), usage: optional(number), cost: fastMoneyMicros })), () => []),
});
const fastUsageAnswer = object({
  period: object({ startDate: fastUtcDateMs, endDate: fastUtcDateMs, billingCycle: optional(string), daysInPeriod: optional(number), daysElapsed: optional(number) }),
  summary: object({
    totalCost: fastMoneyMicros,
    totalGpuHours: optional(number),
    totalApiRequests: optional(number),
    totalStorageGB: optional(number),
    totalBandwidthGB: optional(number),
    currency: nonEmptyString,
  }),
  breakdown: array(fastBreakdown),
  projections: optional(viaZod(projectionsSchema.nullable())),
  alerts: optional(viaZod(z.array(alertSchema).nullable())),
});

/** The answer of `GET /v2/billing/usage`. Fast path: ../fastParse.ts. */
export const usageAnswerSchema = withFastPath(z.object({
  period: z.object({
    startDate: utcDateMs,
    /** Inclusive. */
    endDate: utcDateMs,
    billingCycle: z.string().optional(),
    daysInPeriod: count.optional(),
    daysElapsed: count.optional(),
  }),
  summary: z.object({
    totalCost: moneyMicros,
    totalGpuHours: count.optional(),
    totalApiRequests: count.optional(),
    /** Despite the name, gb_hours (see the storage breakdown's unit). */
    totalStorageGB: count.optional(),
    totalBandwidthGB: count.optional(),
    currency: z.string().min(1),
  }),
  breakdown: z.array(breakdownSchema),
  projections: projectionsSchema.nullable().optional(),
  alerts: z.array(alertSchema).nullable().optional(),
}), fastUsageAnswer);

/** Parsed `GET /v2/billing/usage` answer (money already in micros, instants in epoch ms). */
export type TensorOneUsageAnswer = z.output<typeof usageAnswerSchema>;
/** Parsed `breakdown[]` entry. */
export type TensorOneBreakdown = z.output<typeof breakdownSchema>;

/**
 * TensorOne's error envelope: `{ error: "<CODE>", message, code, details?, request_id?, timestamp? }`.
 * Used only to pull a short explanation for people out of an error answer; never required.
 */
export const errorBodySchema = z.object({
  error: z.string().optional(),
  message: z.string().optional(),
  code: z.number().optional(),
  details: z
    .object({
      field: z.string().optional(),
      reason: z.string().optional(),
      required_permissions: z.array(z.string()).optional(),
      current_permissions: z.array(z.string()).optional(),
    })
    .nullable()
    .optional(),
});
