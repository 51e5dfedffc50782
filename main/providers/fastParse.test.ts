/**
 * Every fast path registered with withFastPath (./fastParse.ts) against its zod schema: on the
 * recorded answers of test/fixtures/providers and on generated mutations of them (a value anywhere
 * replaced by another JSON value, an odd amount or instant, or removed), the fast path either
 * returns exactly zod's output or passes (FAIL) so that zod decides and names the field. It never
 * accepts what zod refuses.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { usageSummarySchema as basetenUsageSchema } from './baseten/baseten.schema';
import { columnsOfRows, llmUsageColumns, llmUsageListSchema, matchingUsageListSchema, type LlmUsageColumns } from './civis/civis.schema';
import { FAIL, fastPathOf } from './fastParse';
import { limitryTimeseriesSchema } from './limitry/limitry.schema';
import { usageEnvelopeSchema, usageListSchema } from './simplismart/simplismart.schema';
import { usageAnswerSchema as tensorOneUsageSchema } from './tensorone/tensorone.schema';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../test/fixtures/providers/${name}`, import.meta.url), 'utf8')) as unknown;

/** Registered fast paths and answers of their shape. */
const FAST_CASES: ReadonlyArray<{ readonly name: string; readonly schema: z.ZodType; readonly answers: readonly unknown[] }> = [
  { name: 'Civis /usage/llm', schema: llmUsageListSchema, answers: [fixture('civis-llm-usage-list.json'), fixture('civis-llm-usage-empty.json')] },
  { name: 'Civis /usage/matching', schema: matchingUsageListSchema, answers: [fixture('civis-matching-usage-list.json')] },
  { name: 'Simplismart envelope', schema: usageEnvelopeSchema, answers: [fixture('simplismart-usage-normal.json'), fixture('simplismart-usage-empty.json')] },
  { name: 'Simplismart bare list', schema: usageListSchema, answers: [fixture('simplismart-usage-legacy-list.json')] },
  {
    name: 'Baseten usage summary',
    schema: basetenUsageSchema,
    answers: [fixture('baseten-usage-normal.json'), fixture('baseten-usage-with-credits.json'), fixture('baseten-usage-empty.json'), fixture('baseten-usage-zero.json')],
  },
  { name: 'Limitry timeseries', schema: limitryTimeseriesSchema, answers: [fixture('limitry-timeseries-day.json'), fixture('limitry-timeseries-empty.json')] },
  {
    name: 'TensorOne usage',
    schema: tensorOneUsageSchema,
    answers: [fixture('tensorone-usage-normal.json'), fixture('tensorone-usage-sparse-series.json'), fixture('tensorone-usage-empty.json')],
  },
];

/** Values a mutation puts in: any JSON, and the near-misses of amounts, counts, instants and codes. */
const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    undefined, null, '', ' ', -1, -0, 0, 0.5, 1.5, 2 ** 53, -(2 ** 53), 1e21, 1e-7, '1e-7', '-0', '-0.00', '  12.5 ', '+3', '.5', '5.', '.', 'abc',
    '-0.0000001', '12345678901234567890', '9'.repeat(41), '1'.repeat(65), ' usd ', 'USD', '2026-02-30T00:00:00Z', '2026-03-01T24:00:00Z',
    '2026-03-01T10:00:00+02:00', '2026-03-01T10:00:00', '0099-01-01T00:00:00Z', '2026-03-01', [], {},
  ),
);

type Step = { readonly pick: number; readonly value: unknown; readonly remove: boolean; readonly depth: number };

/** `body` with one value replaced (or removed) at a path chosen by `step.pick`, `step.depth` levels down at most. */
function mutate(body: unknown, step: Step): unknown {
  const copy = structuredClone(body) as unknown;
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let node: unknown = copy;
  let pick = step.pick;
  for (let level = 0; level < step.depth; level += 1) {
    if (typeof node !== 'object' || node === null) break;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    key = keys[pick % keys.length]!;
    pick = Math.floor(pick / keys.length) + level;
    parent = node as Record<string, unknown>;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return step.value;
  if (step.remove && !Array.isArray(parent)) delete parent[key as string];
  else (parent as Record<string | number, unknown>)[key] = step.value;
  return copy;
}

/**
 * Over 3,000 mutations of `answers` (up to `depth` levels down): `check` either declines
 * (undefined: zod decides) or accepts only what zod accepts, `same` holding its output to zod's.
 * Both outcomes must occur, else one side went untested.
 */
function agreesWithZodOnMutations<S extends z.ZodType, T>(
  answers: readonly unknown[],
  schema: S,
  depth: number,
  check: (body: unknown) => T | undefined,
  same: (accepted: T, zodOutput: z.output<S>) => void,
): void {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...answers),
      fc.array(fc.record({ pick: fc.nat(), value: replacement, remove: fc.boolean(), depth: fc.integer({ min: 1, max: depth }) }), { minLength: 1, maxLength: 3 }),
      (answer, steps) => {
        const body = steps.reduce(mutate, answer);
        const out = check(body);
        const result = schema.safeParse(body);
        if (out === undefined) {
          refused += 1;
          return;
        }
        accepted += 1;
        expect(result.success).toBe(true);
        same(out, result.data as z.output<S>);
      },
    ),
    { numRuns: 3_000 },
  );
  expect(accepted).toBeGreaterThan(0);
  expect(refused).toBeGreaterThan(0);
}

describe.each(FAST_CASES)('fast path of $name == zod', ({ schema, answers }) => {
  const fast = fastPathOf(schema)!;

  it('is registered and accepts the recorded answers with exactly zod’s output', () => {
    expect(fast).toBeDefined();
    for (const answer of answers) {
      const parsed = fast(answer);
      expect(parsed).not.toBe(FAIL);
      expect(parsed).toStrictEqual(schema.parse(answer));
    }
  });

  it('on mutated answers returns zod’s output or lets zod decide, never accepting what zod refuses', () => {
    agreesWithZodOnMutations(answers, schema, 6, (body) => {
      const parsed = fast(body);
      return parsed === FAIL ? undefined : parsed;
    }, (parsed, zodOutput) => expect(parsed).toStrictEqual(zodOutput));
  });
});

/** Columns as plain data: each row's unconverted fields, and the converted ones by index. */
function columnsData(columns: LlmUsageColumns): unknown {
  return {
    rows: columns.rows.map(({ id, organizationId, runTime, inputTokens, outputTokens, modelId }) => ({ id, organizationId, runTime, inputTokens, outputTokens, modelId })),
    runCreatedAt: [...columns.runCreatedAt],
    credits: [...columns.credits],
  };
}

describe('Civis /usage/llm in columns (llmUsageColumns) == zod', () => {
  const answers = [fixture('civis-llm-usage-list.json'), fixture('civis-llm-usage-empty.json')];

  it('reads the recorded answers as zod does', () => {
    for (const answer of answers) {
      const columns = llmUsageColumns(answer);
      expect(columns).toBeDefined();
      expect(columnsData(columns!)).toStrictEqual(columnsData(columnsOfRows(llmUsageListSchema.parse(answer))));
    }
    expect(llmUsageColumns(answers[0])!.rows.length).toBeGreaterThan(0);
  });

  it('on mutated answers gives zod’s rows or lets zod decide, never accepting what zod refuses', () => {
    agreesWithZodOnMutations(answers, llmUsageListSchema, 4, llmUsageColumns, (columns, rows) =>
      expect(columnsData(columns)).toStrictEqual(columnsData(columnsOfRows(rows))),
    );
  });
});
