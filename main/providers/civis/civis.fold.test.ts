/**
 * The Civis row fold (civis.fold.ts) against the plainest statement of its rule, written here with a
 * Set: rows are read answer by answer and in order, a run id counts the first time it is read
 * (foreign and out-of-range rows included), only the organization's runs inside [start, end) are
 * summed, each in its UTC hour and model. Generated answers draw ids from a small pool, so repeats
 * within an answer and across answers are common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, type TimeRange } from '../../core/report';
import { CivisRowFold, mergeSorted, sortedHas } from './civis.fold';
import { columnsOfRows, type LlmUsageRow } from './civis.schema';

const ORG = 7;
const RANGE: TimeRange = { startMs: Date.UTC(2026, 3, 1, 5, 30), endMs: Date.UTC(2026, 3, 2, 3) };

/** The fold's observable sums, as plain data. */
function sumsOf(fold: CivisRowFold): unknown {
  return {
    totalCredits: fold.totalCredits,
    latestRunMs: fold.latestRunMs,
    foreignRows: fold.foreignRows,
    hours: [...fold.hours],
    models: [...fold.models.entries()].map(([id, m]) => [id, { ...m, hours: [...m.hours] }]),
  };
}

/** The rule, the plain way: a Set of ids read so far. */
function reference(answers: readonly (readonly LlmUsageRow[])[]): unknown {
  const seen = new Set<number>();
  const firstHourMs = Math.floor(RANGE.startMs / HOUR_MS) * HOUR_MS;
  const count = Math.ceil((RANGE.endMs - firstHourMs) / HOUR_MS);
  const hours = new Array<number>(count).fill(Number.NaN);
  const models = new Map<string, { creditsMicros: number; runs: number; inputTokens: number; outputTokens: number; runSeconds: number; hours: number[] }>();
  let totalCredits = 0;
  let latestRunMs: number | undefined;
  let foreignRows = 0;
  for (const rows of answers) {
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      if (row.organizationId !== ORG) {
        foreignRows += 1;
        continue;
      }
      if (row.runCreatedAt < RANGE.startMs || row.runCreatedAt >= RANGE.endMs) continue;
      const hour = Math.floor((row.runCreatedAt - firstHourMs) / HOUR_MS);
      totalCredits += row.credits;
      hours[hour] = (Number.isNaN(hours[hour]!) ? 0 : hours[hour]!) + row.credits;
      let model = models.get(row.modelId);
      if (!model) {
        model = { creditsMicros: 0, runs: 0, inputTokens: 0, outputTokens: 0, runSeconds: 0, hours: new Array<number>(count).fill(Number.NaN) };
        models.set(row.modelId, model);
      }
      model.creditsMicros += row.credits;
      model.runs += 1;
      model.inputTokens += row.inputTokens;
      model.outputTokens += row.outputTokens;
      model.runSeconds += row.runTime;
      model.hours[hour] = (Number.isNaN(model.hours[hour]!) ? 0 : model.hours[hour]!) + row.credits;
      if (latestRunMs === undefined || row.runCreatedAt > latestRunMs) latestRunMs = row.runCreatedAt;
    }
  }
  return { totalCredits, latestRunMs, foreignRows, hours, models: [...models.entries()] };
}

const row: fc.Arbitrary<LlmUsageRow> = fc.record({
  // A small pool (and -0 beside 0), so that the same run comes again, in one answer or a later one.
  id: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-0), fc.integer({ min: 2 ** 40, max: 2 ** 40 + 3 })),
  organizationId: fc.constantFrom(ORG, ORG, ORG, 8),
  runCreatedAt: fc.integer({ min: RANGE.startMs - 2 * HOUR_MS, max: RANGE.endMs + HOUR_MS }),
  runTime: fc.double({ min: 0, max: 1e4, noNaN: true }),
  credits: fc.integer({ min: 0, max: 5_000_000 }),
  inputTokens: fc.nat(100_000),
  outputTokens: fc.nat(100_000),
  modelId: fc.constantFrom('claude', 'gpt-4o', 'llama'),
});

describe('CivisRowFold', () => {
  it('sums what the plain rule sums, answer after answer, a repeated run counted as first read', () => {
    let repeats = 0;
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 30 }), { maxLength: 6 }), (answers) => {
        const fold = new CivisRowFold(RANGE, ORG);
        for (const rows of answers) fold.add(columnsOfRows(rows));
        expect(sumsOf(fold)).toStrictEqual(reference(answers));
        const ids = answers.flat().map((r) => r.id);
        if (new Set(ids).size < ids.length) repeats += 1;
      }),
      { numRuns: 500 },
    );
    // The generator did make repeated runs (else the rule under test went unexercised).
    expect(repeats).toBeGreaterThan(100);
  });

  it('counts a repeated run with the fields it was first read with', () => {
    const at = RANGE.startMs + HOUR_MS;
    const first: LlmUsageRow = { id: 5, organizationId: ORG, runCreatedAt: at, runTime: 1, credits: 100, inputTokens: 1, outputTokens: 1, modelId: 'claude' };
    const fold = new CivisRowFold(RANGE, ORG);
    fold.add(columnsOfRows([first, { ...first, credits: 900 }]));
    fold.add(columnsOfRows([{ ...first, credits: 7000 }, { ...first, id: 6, credits: 1 }]));
    expect(fold.totalCredits).toBe(101);
    expect(fold.models.get('claude')?.runs).toBe(2);
  });
});

describe('sorted id helpers', () => {
  it('merge keeps each id once, in order, and finds every id merged', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), { maxLength: 6 }), (batches) => {
        let seen: Float64Array = new Float64Array(0);
        for (const batch of batches) seen = mergeSorted(seen, Float64Array.from(batch).sort());
        const expected = [...new Set(batches.flat())].sort((a, b) => a - b);
        expect([...seen]).toEqual(expected);
        for (let id = -52; id <= 52; id += 1) expect(sortedHas(seen, id)).toBe(expected.includes(id));
      }),
    );
  });
});
