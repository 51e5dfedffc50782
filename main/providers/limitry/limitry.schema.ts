/**
 * Zod schemas of Limitry's raw usage answers (PROVIDERS.md §4). Every answer carries the same
 * metric block; cost is `totalCostCents`, a JSON number of US cents that may be fractional.
 * Parsing renames the wire fields to Burnrate's unit-bearing names (`costMicros`, `events`…);
 * issue paths still name the wire fields, so a failure says which field drifted.
 */
import { z } from 'zod';
import { array, FAIL, instant, isRecord, nonNegativeNumber, object, withFastPath } from '../fastParse';
import { centsMicros, fastCentsMicros, isoInstantMs } from '../schema';

/** A count (events, tokens): a finite, non-negative JSON number. */
const count = z.number().nonnegative();

/**
 * The metric block shared by summary, breakdown rows and timeseries rows. Only the cost is
 * required: it is what Burnrate tracks; the counts are shown when present.
 */
const metricFields = {
  totalEvents: count.optional(),
  totalInputTokens: count.optional(),
  totalOutputTokens: count.optional(),
  totalCostCents: centsMicros,
};

/** Parsed metric block: cost in integer micro-USD, counts where the answer gave them. */
export interface LimitryMetrics {
  readonly costMicros: number;
  readonly events: number | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

function toMetrics(raw: {
  totalEvents?: number | undefined;
  totalInputTokens?: number | undefined;
  totalOutputTokens?: number | undefined;
  totalCostCents: number;
}): LimitryMetrics {
  return {
    costMicros: raw.totalCostCents,
    events: raw.totalEvents,
    inputTokens: raw.totalInputTokens,
    outputTokens: raw.totalOutputTokens,
  };
}

/** `GET /usage/summary`: the metric block at the top level (`UsageSummary`). */
export const limitrySummarySchema = z.object(metricFields).transform(toMetrics);

/** One `GET /usage/breakdown` row; `dimension` is null (or absent) for events without a model. */
export const limitryBreakdownRowSchema = z
  .object({ dimension: z.string().nullable().optional(), ...metricFields })
  .transform((row) => ({ dimension: row.dimension ?? null, ...toMetrics(row) }));

/** `GET /usage/breakdown`: `{ data: [{ dimension, …metric block }] }` (`UsageBreakdownResponse`). */
export const limitryBreakdownSchema = z.object({ data: z.array(limitryBreakdownRowSchema) });

/** One `GET /usage/timeseries` row: `timestamp` is the bucket start (ISO-8601 with `Z`), as epoch ms. */
export const limitryTimeseriesRowSchema = z
  .object({ timestamp: isoInstantMs, ...metricFields })
  .transform((row) => ({ startMs: row.timestamp, ...toMetrics(row) }));

/** `GET /usage/timeseries`: `{ data: [{ timestamp, …metric block }] }` (`UsageTimeseriesResponse`). Fast path: ../fastParse.ts. */
export const limitryTimeseriesSchema = withFastPath(z.object({ data: z.array(limitryTimeseriesRowSchema) }), object({ data: array(fastTimeseriesRow) }));

/** An optional count of the metric block: absent is undefined; present, a non-negative number. */
function fastOptionalCount(row: Record<string, unknown>, key: string): number | undefined | typeof FAIL {
  if (!(key in row)) return undefined;
  return nonNegativeNumber(row[key]);
}

/** {@link limitryTimeseriesRowSchema} checked by hand. */
function fastTimeseriesRow(value: unknown): LimitryTimeseriesRow | typeof FAIL {
  if (!isRecord(value)) return FAIL;
  const startMs = instant(value.timestamp);
  const costMicros = fastCentsMicros(value.totalCostCents);
  const events = fastOptionalCount(value, 'totalEvents');
  const inputTokens = fastOptionalCount(value, 'totalInputTokens');
  const outputTokens = fastOptionalCount(value, 'totalOutputTokens');
  if (startMs === FAIL || costMicros === FAIL || events === FAIL || inputTokens === FAIL || outputTokens === FAIL) return FAIL;
  return { startMs, costMicros, events, inputTokens, outputTokens };
}

/** Limitry's error body (`ErrorResponse`): `{"error": "<text>"}`, a string, not an object. */
export const limitryErrorBodySchema = z.object({ error: z.string() });

/** A parsed usage summary. */
export type LimitrySummary = z.output<typeof limitrySummarySchema>;
/** A parsed breakdown row. */
export type LimitryBreakdownRow = z.output<typeof limitryBreakdownRowSchema>;
/** A parsed timeseries row. */
export type LimitryTimeseriesRow = z.output<typeof limitryTimeseriesRowSchema>;
