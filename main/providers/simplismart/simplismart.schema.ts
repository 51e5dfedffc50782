/**
 * Zod schemas of Simplismart's usage-stats answers (PROVIDERS.md §1): the current envelope
 * `{total_cost, currency, items[]}` and the older bare `items[]`, plus the `{detail}` error body.
 * Money stays an exact {@link Decimal} here: the adapter sums exactly and rounds once to micros.
 * Unknown extra fields are ignored (zod's default object strips them).
 */
import { z } from 'zod';
import { MoneyParseError, parseDecimal, type Decimal } from '../../core/money';
import { DAY_MS, HOUR_MS } from '../../core/report';
import { array, converted, count, FAIL, instant, isRecord, nonEmptyString, nullish, object, string, withFastPath } from '../fastParse';
import { isoInstantMs, NEGATIVE_AMOUNT_MESSAGE } from '../schema';

/** Simplismart's compute plan types; one usage call covers exactly one. */
export const SIMPLISMART_PLAN_TYPES = ['shared', 'private', 'byoc', 'reserved', 'training', 'compilation'] as const;

/** One Simplismart plan type. */
export type SimplismartPlanType = (typeof SIMPLISMART_PLAN_TYPES)[number];

/** The `window_size` values the API accepts (validated by the SDK before sending). */
export const SIMPLISMART_WINDOW_SIZES = ['MINUTE', '15MIN', '30MIN', 'HOUR', '3HOUR', '6HOUR', '12HOUR', 'DAY', 'WEEK'] as const;

/** One `window_size` value. */
export type SimplismartWindowSize = (typeof SIMPLISMART_WINDOW_SIZES)[number];

/** Length of each `window_size` bucket (ms): the adapter's buckets and the fake's windows. */
export const SIMPLISMART_WINDOW_MS: Readonly<Record<SimplismartWindowSize, number>> = {
  MINUTE: 60_000,
  '15MIN': 15 * 60_000,
  '30MIN': 30 * 60_000,
  HOUR: HOUR_MS,
  '3HOUR': 3 * HOUR_MS,
  '6HOUR': 6 * HOUR_MS,
  '12HOUR': 12 * HOUR_MS,
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
};

/**
 * A decimal amount sent as a string with float artefacts ("8.00000000000004") or a JSON number,
 * parsed exactly (no rounding yet).
 */
export const decimalAmount = z.union([z.string(), z.number()]).transform((value, ctx): Decimal => {
  try {
    return parseDecimal(value);
  } catch (error) {
    if (!(error instanceof MoneyParseError)) throw error;
    // The value itself stays out of the message: a field could hold anything, even an echoed key.
    const got = typeof value === 'number' ? String(value) : `text of ${value.length} characters`;
    ctx.addIssue({ code: 'custom', message: `expected a decimal amount, got ${got}` });
    return z.NEVER;
  }
});

/**
 * A {@link decimalAmount} that must not be negative: Simplismart documents no credits or refunds in
 * usage-stats, so a negative cost, usage or total is a `bad_response` naming the field.
 */
export const nonNegativeDecimal = decimalAmount.refine((amount) => amount.coefficient >= 0n, {
  message: NEGATIVE_AMOUNT_MESSAGE,
});

/** A currency code, normalised to upper case ("usd" → "USD"). */
export const currencyCode = z
  .string()
  .trim()
  .min(1, 'expected a currency code')
  .transform((code) => code.toUpperCase());

/** One time point of an item. `timestamp` is the bucket start (epoch ms). */
export const usagePointSchema = z.object({
  timestamp: isoInstantMs,
  usage: nonNegativeDecimal.nullish(),
  cost: nonNegativeDecimal,
  event_count: z.number().int().nonnegative().nullish(),
});

/** One item: usage of one `source` (deployment, model, job…) on one billing meter (`event_name`). */
export const usageItemSchema = z.object({
  feature_id: z.string().nullish(),
  event_name: z.string(),
  source: z.string().min(1, 'expected a non-empty source'),
  total_usage: nonNegativeDecimal,
  total_cost: nonNegativeDecimal,
  currency: currencyCode,
  unit_price: z.object({ amount: nonNegativeDecimal, currency: currencyCode }).nullish(),
  event_count: z.number().int().nonnegative().nullish(),
  points: z.array(usagePointSchema).nullish(),
});

// The fast path of the answers (../fastParse.ts): the same leaves, checked by hand.
const fastNonNegativeDecimal = converted(
  (value) => typeof value === 'string' || typeof value === 'number',
  (value) => parseDecimal(value),
  (amount) => amount.coefficient >= 0n,
);
const fastCurrencyCode = (value: unknown): string | typeof FAIL => {
  if (typeof value !== 'string') return FAIL;
  const code = value.trim();
  return code.length >= 1 ? code.toUpperCase() : FAIL;
};
const fastPointAnyShape = object({ timestamp: instant, usage: nullish(fastNonNegativeDecimal), cost: fastNonNegativeDecimal, event_count: nullish(count) });
/** A point with every field present and not null (what Simplismart sends), checked by hand; else the general check. */
function fastPoint(value: unknown): SimplismartUsagePoint | typeof FAIL {
  if (!isRecord(value)) return FAIL;
  const { timestamp: t, usage: u, cost: c, event_count: e } = value;
  if (u === undefined || u === null || e === undefined || e === null) return fastPointAnyShape(value) as SimplismartUsagePoint | typeof FAIL;
  const timestamp = instant(t);
  const usage = fastNonNegativeDecimal(u);
  const cost = fastNonNegativeDecimal(c);
  const event_count = count(e);
  if (timestamp === FAIL || usage === FAIL || cost === FAIL || event_count === FAIL) return FAIL;
  return { timestamp, usage, cost, event_count };
}
const fastItem = object({
  feature_id: nullish(string),
  event_name: string,
  source: nonEmptyString,
  total_usage: fastNonNegativeDecimal,
  total_cost: fastNonNegativeDecimal,
  currency: fastCurrencyCode,
  unit_price: nullish(object({ amount: fastNonNegativeDecimal, currency: fastCurrencyCode })),
  event_count: nullish(count),
  points: nullish(array(fastPoint)),
});

/** The current answer shape: `{total_cost, currency, items[]}`; `total_cost` is the authoritative total. */
export const usageEnvelopeSchema = withFastPath(
  z.object({
    total_cost: nonNegativeDecimal,
    currency: currencyCode,
    items: z.array(usageItemSchema),
  }),
  object({ total_cost: fastNonNegativeDecimal, currency: fastCurrencyCode, items: array(fastItem) }),
);

/** The older answer shape: a bare array of items (the total is their sum). */
export const usageListSchema = withFastPath(z.array(usageItemSchema), array(fastItem));

/** An error body: FastAPI/DRF style `{detail}`, a string or a list of validation errors. */
export const errorBodySchema = z.object({
  detail: z.union([z.string(), z.array(z.object({ msg: z.string() }).loose())]),
});

/** A parsed item. */
export type SimplismartUsageItem = z.output<typeof usageItemSchema>;
/** A parsed point. */
export type SimplismartUsagePoint = z.output<typeof usagePointSchema>;
