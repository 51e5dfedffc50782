/**
 * Zod schemas of the raw Civis Platform answers (Swagger 2.0 spec in civis-python,
 * `src/civis/resources/civis_api_spec.json`). Wire names are camelCase, although the Python docs
 * show snake_case. Unknown extra fields are ignored; a missing field Burnrate uses is an error.
 */
import { z } from 'zod';
import { array, count as fastCount, FAIL, instant, int, isRecord, nonEmptyString, nonNegativeNumber, object, string, withFastPath } from '../fastParse';
import { fastMoneyMicros, isoInstantMs, moneyMicros } from '../schema';

const id = z.number().int();
const count = z.number().int().nonnegative();

/**
 * One row of `GET /usage/llm` (`UsageLLMUsage`): the LLM usage of one run.
 * `credits` is a float in Civis credits (not dollars), parsed exactly to integer micro-credits.
 * `runTime` is in seconds. The spec marks `runId`, `jobId` and `userId` required too; Burnrate does
 * not use them, so they are not demanded here (a rename of an unused field must not blank the tray).
 */
export const llmUsageRowSchema = z.object({
  id,
  organizationId: id,
  runCreatedAt: isoInstantMs,
  runTime: z.number().nonnegative(),
  credits: moneyMicros,
  inputTokens: count,
  outputTokens: count,
  modelId: z.string().min(1),
});

/** Parsed {@link llmUsageRowSchema}: `credits` in micro-credits, `runCreatedAt` in epoch ms. */
export type LlmUsageRow = z.output<typeof llmUsageRowSchema>;

/** `GET /usage/llm`: an unpaged array of rows (pages only if X-Pagination-* headers say so). Fast path: ../fastParse.ts. */
export const llmUsageListSchema = withFastPath(z.array(llmUsageRowSchema), array(fastLlmUsageRow));

/** {@link llmUsageRowSchema} checked by hand (tens of thousands of rows a month); every field is required. */
function fastLlmUsageRow(value: unknown): LlmUsageRow | typeof FAIL {
  if (!isRecord(value)) return FAIL;
  const id = int(value.id);
  const organizationId = int(value.organizationId);
  const runCreatedAt = instant(value.runCreatedAt);
  const runTime = nonNegativeNumber(value.runTime);
  const credits = fastMoneyMicros(value.credits);
  const inputTokens = fastCount(value.inputTokens);
  const outputTokens = fastCount(value.outputTokens);
  const modelId = nonEmptyString(value.modelId);
  if (
    id === FAIL ||
    organizationId === FAIL ||
    runCreatedAt === FAIL ||
    runTime === FAIL ||
    credits === FAIL ||
    inputTokens === FAIL ||
    outputTokens === FAIL ||
    modelId === FAIL
  ) {
    return FAIL;
  }
  return { id, organizationId, runCreatedAt, runTime, credits, inputTokens, outputTokens, modelId };
}

/** `GET /usage/llm/organization/{org_id}/summary` (`UsageLLMOrgUsageSummary`), credits in micro-credits. */
export const llmOrgSummarySchema = z.object({
  credits: moneyMicros,
  organizationId: id,
});

/** One row of `GET /usage/matching` (`UsageMatchingStats`): records matched by one run. No cost field exists. */
export const matchingUsageRowSchema = z.object({
  runId: id,
  organizationId: id,
  runCreatedAt: isoInstantMs,
  runTime: z.number().nonnegative(),
  numRecords: count,
  task: z.string(),
});

/** `GET /usage/matching`. Fast path: ../fastParse.ts. */
export const matchingUsageListSchema = withFastPath(
  z.array(matchingUsageRowSchema),
  array(
    object({ runId: int, organizationId: int, runCreatedAt: instant, runTime: nonNegativeNumber, numRecords: fastCount, task: string }),
  ),
);

/**
 * One entry of `GET /usage_limits/llm` (`UsageLimitLLM`). `hardLimit` is in whole credits
 * (1000, 10000, 50000 or 100000 in the spec; any non-negative number is accepted).
 */
export const usageLimitLlmSchema = z.object({
  id,
  organizationId: id,
  hardLimit: z.number().nonnegative(),
  updatedAt: isoInstantMs.optional(),
});

/** Parsed {@link usageLimitLlmSchema}. */
export type UsageLimitLlm = z.output<typeof usageLimitLlmSchema>;

/** `GET /usage_limits/llm`. */
export const usageLimitLlmListSchema = z.array(usageLimitLlmSchema);

/**
 * The Civis error envelope: `{"error": "not_found", "errorDescription": "…", "code": 404}`.
 * Some errors (a 502 from the edge) come with an empty body instead.
 */
export const civisErrorSchema = z.object({
  error: z.string(),
  errorDescription: z.string().optional(),
  code: z.number().int().optional(),
});

/**
 * Reads the people-readable part of a Civis error body for the shared HTTP client:
 * `errorDescription`, else the snake_case `error` code.
 * @example civisErrorDetail({ error: 'not_found', errorDescription: 'Not found.', code: 404 }) //=> 'Not found.'
 */
export function civisErrorDetail(body: unknown): string | undefined {
  const parsed = civisErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const description = parsed.data.errorDescription?.trim();
  return description ? description : parsed.data.error;
}
