/**
 * Zod schemas of Baseten's raw answers: `UsageSummaryV1` from `GET /v1/billing/usage_summary`
 * (OpenAPI in shared/seeds 002) and the `{error, retry_after}` error body.
 * Money fields are US dollars as a JSON number or a decimal string; they come out as integer
 * micro-USD. Dates come out as the epoch ms of their UTC midnight. Unknown keys are dropped.
 */
import { z } from 'zod';
import { array, count as fastCount, FAIL, type Fast, nonEmptyString, nullish, object, string, withDefault, withFastPath } from '../fastParse';
import { fastMoneyMicros, fastSignedMoneyMicros, fastUtcDateMs, moneyMicros, signedMoneyMicros, utcDateMs } from '../schema';

/** A non-negative integer count (minutes, requests, tokens). */
const count = z.number().int().nonnegative();

/**
 * A list the API may leave out; missing (or null) reads as empty. The OpenAPI marks `breakdown`
 * and `daily` optional, so an answer without them is valid and means "nothing itemised".
 */
function optionalList<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((list): Array<z.output<T>> => list ?? []);
}

/** Chain of a chainlet. The rendered docs add `chainlet_id`/`chainlet_name`: ignored. */
export const chainMetadataSchema = z.object({
  chain_id: z.string(),
  chain_name: z.string().nullish(),
  chain_deployment_id: z.string(),
});

/**
 * `BillableResourceV1`. `kind` is documented as MODEL_DEPLOYMENT | TRAINING_JOB | CHAINLET; it is
 * read as any non-empty string so a new kind does not blank the bill (the section decides how a
 * resource is shown). `model_name`/`environment_name` are often missing.
 */
export const billableResourceSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().nullish(),
  model_name: z.string().nullish(),
  is_deleted: z.boolean(),
  instance_type: z.string().nullish(),
  environment_name: z.string().nullish(),
  chain_metadata: chainMetadataSchema.nullish(),
});

/** `DailyDedicatedUsageV1`: one UTC day of a dedicated deployment or chainlet. */
export const dailyDedicatedSchema = z.object({
  date: utcDateMs,
  subtotal: moneyMicros,
  minutes: count,
  inference_requests: count,
});

/** `DailyTrainingUsageV1`: one UTC day of a training job (no requests). */
export const dailyTrainingSchema = z.object({
  date: utcDateMs,
  subtotal: moneyMicros,
  minutes: count,
});

/** `DailyModelApiUsageV1`: one UTC day of a Model API (tokens, no minutes). */
export const dailyModelApiSchema = z.object({
  date: utcDateMs,
  subtotal: moneyMicros,
  input_tokens: count,
  output_tokens: count,
  cached_input_tokens: count,
});

/** `DedicatedItemV1`. `subtotal` is the resource's cost before credits (it adds up to the section `total`). */
export const dedicatedItemSchema = z.object({
  billable_resource: billableResourceSchema,
  subtotal: moneyMicros,
  minutes: count,
  inference_requests: count,
  daily: optionalList(dailyDedicatedSchema),
});

/** `TrainingItemV1` (no `inference_requests`). */
export const trainingItemSchema = z.object({
  billable_resource: billableResourceSchema,
  subtotal: moneyMicros,
  minutes: count,
  daily: optionalList(dailyTrainingSchema),
});

/** `ModelApiItemV1`: one model of the shared Model APIs, keyed by `model_name`. */
export const modelApiItemSchema = z.object({
  model_name: z.string().min(1),
  model_family: z.string().nullish(),
  subtotal: moneyMicros,
  input_tokens: count,
  output_tokens: count,
  cached_input_tokens: count,
  daily: optionalList(dailyModelApiSchema),
});

/**
 * Money every section carries: `total` is gross, `subtotal` is after `credits_used`. Baseten
 * documents credits here ("Credits applied in dollars"), so `credits_used` may carry either sign (a
 * credit is a credit: its size is kept, as a positive amount of credit) and the net `subtotal` may go
 * below zero when credits exceed the usage. Every other Baseten amount (`total`, item and daily
 * `subtotal`) is usage and must not be negative.
 */
const sectionMoney = {
  subtotal: signedMoneyMicros,
  credits_used: signedMoneyMicros.transform((micros) => Math.abs(micros)),
  total: moneyMicros,
};

/** `DedicatedUsageV1`. */
export const dedicatedUsageSchema = z.object({
  ...sectionMoney,
  minutes: count,
  breakdown: optionalList(dedicatedItemSchema),
});

/** `TrainingUsageV1`. */
export const trainingUsageSchema = z.object({
  ...sectionMoney,
  minutes: count,
  breakdown: optionalList(trainingItemSchema),
});

/** `ModelApisUsageV1` (no `minutes`). */
export const modelApisUsageSchema = z.object({
  ...sectionMoney,
  breakdown: optionalList(modelApiItemSchema),
});

/** `UsageSummaryV1`: each section may be null or missing (product not used in the range). */
// The fast path of the usage summary (../fastParse.ts): the same shape, checked by hand.
/** `optionalList(item)`: a list, null or absent, always a list out. */
const fastList = <T>(item: Fast<T>) => withDefault((v: unknown): T[] | typeof FAIL => (v === null ? [] : array(item)(v)), (): T[] => []);
const fastBoolean: Fast<boolean> = (v) => (typeof v === 'boolean' ? v : FAIL);
const fastResource = object({
  id: nonEmptyString,
  kind: nonEmptyString,
  name: nullish(string),
  model_name: nullish(string),
  is_deleted: fastBoolean,
  instance_type: nullish(string),
  environment_name: nullish(string),
  chain_metadata: nullish(object({ chain_id: string, chain_name: nullish(string), chain_deployment_id: string })),
});
const fastSectionMoney = {
  subtotal: fastSignedMoneyMicros,
  credits_used: (v: unknown): number | typeof FAIL => {
    const micros = fastSignedMoneyMicros(v);
    return micros === FAIL ? FAIL : Math.abs(micros);
  },
  total: fastMoneyMicros,
};
const fastUsageSummary = object({
  dedicated_usage: nullish(
    object({
      ...fastSectionMoney,
      minutes: fastCount,
      breakdown: fastList(
        object({
          billable_resource: fastResource,
          subtotal: fastMoneyMicros,
          minutes: fastCount,
          inference_requests: fastCount,
          daily: fastList(object({ date: fastUtcDateMs, subtotal: fastMoneyMicros, minutes: fastCount, inference_requests: fastCount })),
        }),
      ),
    }),
  ),
  training_usage: nullish(
    object({
      ...fastSectionMoney,
      minutes: fastCount,
      breakdown: fastList(
        object({
          billable_resource: fastResource,
          subtotal: fastMoneyMicros,
          minutes: fastCount,
          daily: fastList(object({ date: fastUtcDateMs, subtotal: fastMoneyMicros, minutes: fastCount })),
        }),
      ),
    }),
  ),
  model_apis_usage: nullish(
    object({
      ...fastSectionMoney,
      breakdown: fastList(
        object({
          model_name: nonEmptyString,
          model_family: nullish(string),
          subtotal: fastMoneyMicros,
          input_tokens: fastCount,
          output_tokens: fastCount,
          cached_input_tokens: fastCount,
          daily: fastList(
            object({ date: fastUtcDateMs, subtotal: fastMoneyMicros, input_tokens: fastCount, output_tokens: fastCount, cached_input_tokens: fastCount }),
          ),
        }),
      ),
    }),
  ),
});

export const usageSummarySchema = withFastPath(z.object({
  dedicated_usage: dedicatedUsageSchema.nullish(),
  training_usage: trainingUsageSchema.nullish(),
  model_apis_usage: modelApisUsageSchema.nullish(),
}), fastUsageSummary);

/** Baseten's error body, as documented for 429: `{"error": "<text>", "retry_after": <seconds>}`. */
export const errorBodySchema = z.object({
  error: z.string(),
  retry_after: z.number().nonnegative().optional(),
});

/** A parsed usage summary. */
export type UsageSummary = z.output<typeof usageSummarySchema>;
/** A parsed billable resource. */
export type BillableResource = z.output<typeof billableResourceSchema>;
