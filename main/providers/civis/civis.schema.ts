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

/** The fields of a row that the check leaves as they came (numbers and strings): a raw checked row and a parsed one both have them. */
export type LlmUsageRowFields = Pick<LlmUsageRow, 'id' | 'organizationId' | 'runTime' | 'inputTokens' | 'outputTokens' | 'modelId'>;

/**
 * One `/usage/llm` answer, checked, in columns: the rows as they came (every field checked as
 * {@link llmUsageRowSchema} checks it) and the two fields the check converts, `runCreatedAt` (epoch
 * ms) and `credits` (micro-credits), by row index. No object per row: a busy window is 20,000 rows.
 */
export interface LlmUsageColumns {
  readonly rows: readonly LlmUsageRowFields[];
  readonly runCreatedAt: Float64Array;
  readonly credits: Float64Array;
}

/** Where {@link checkLlmUsageRow} leaves a row's converted fields (one object, reused). */
interface Converted {
  runCreatedAt: number;
  credits: number;
}

/** The checks of {@link llmUsageRowSchema} by hand, every field required; the converted fields go to `out`. False: let zod decide. */
function checkLlmUsageRow(value: unknown, out: Converted): value is LlmUsageRowFields {
  if (!isRecord(value)) return false;
  const runCreatedAt = instant(value.runCreatedAt);
  const credits = fastMoneyMicros(value.credits);
  if (
    int(value.id) === FAIL ||
    int(value.organizationId) === FAIL ||
    runCreatedAt === FAIL ||
    nonNegativeNumber(value.runTime) === FAIL ||
    credits === FAIL ||
    fastCount(value.inputTokens) === FAIL ||
    fastCount(value.outputTokens) === FAIL ||
    nonEmptyString(value.modelId) === FAIL
  ) {
    return false;
  }
  out.runCreatedAt = runCreatedAt;
  out.credits = credits;
  return true;
}

const converted: Converted = { runCreatedAt: 0, credits: 0 };

/** {@link llmUsageRowSchema} checked by hand (tens of thousands of rows a month); every field is required. */
function fastLlmUsageRow(value: unknown): LlmUsageRow | typeof FAIL {
  if (!checkLlmUsageRow(value, converted)) return FAIL;
  // int, count, nonNegativeNumber and nonEmptyString hand back the value they accept.
  const { id, organizationId, runTime, inputTokens, outputTokens, modelId } = value;
  return { id, organizationId, runCreatedAt: converted.runCreatedAt, runTime, credits: converted.credits, inputTokens, outputTokens, modelId };
}

/**
 * The fast path of {@link llmUsageListSchema} in columns ({@link LlmUsageColumns}); undefined when
 * any row is not accepted for certain (then `parseAnswer` and zod decide, and
 * {@link columnsOfRows} turns their rows into columns).
 */
export function llmUsageColumns(body: unknown): LlmUsageColumns | undefined {
  if (!Array.isArray(body)) return undefined;
  const runCreatedAt = new Float64Array(body.length);
  const credits = new Float64Array(body.length);
  for (let i = 0; i < body.length; i += 1) {
    if (!checkLlmUsageRow(body[i], converted)) return undefined;
    runCreatedAt[i] = converted.runCreatedAt;
    credits[i] = converted.credits;
  }
  return { rows: body as LlmUsageRowFields[], runCreatedAt, credits };
}

/** Parsed rows as {@link LlmUsageColumns}. */
export function columnsOfRows(rows: readonly LlmUsageRow[]): LlmUsageColumns {
  const runCreatedAt = new Float64Array(rows.length);
  const credits = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    runCreatedAt[i] = rows[i]!.runCreatedAt;
    credits[i] = rows[i]!.credits;
  }
  return { rows, runCreatedAt, credits };
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
