// Civis usage rows folded into hourly and per-model sums as each answer arrives (civis.request.ts
// reads the answers, civis.report.ts maps the sums to a report).
import { ProviderError } from '../../core/errors';
import { MoneyParseError } from '../../core/money';
import { HOUR_MS, type TimeRange } from '../../core/report';
import type { LlmUsageColumns } from './civis.schema';

/** One model's sums. */
export interface ModelTotals {
  creditsMicros: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  runSeconds: number;
  /** Micro-credits per hour of the range (index: hours since the range's first hour), NaN: no run. */
  readonly hours: Float64Array;
}

/** Hours of the range, indexed from the hour holding its start: a run's hour is one array slot, not a map entry. */
export function hourSlots(range: TimeRange): { readonly firstHourMs: number; readonly count: number } {
  const firstHourMs = Math.floor(range.startMs / HOUR_MS) * HOUR_MS;
  return { firstHourMs, count: Math.max(0, Math.ceil((range.endMs - firstHourMs) / HOUR_MS)) };
}

/** `a + b`, exact or a MoneyParseError. */
function sum(a: number, b: number): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new MoneyParseError('Civis credits: amount is too large to track exactly');
  return total;
}

/**
 * The usage rows of a range folded as they arrive, one date window (or page) at a time: a run
 * counts once, in its UTC hour, for its model. Only the sums are kept; the rows of a window can be
 * dropped before the next is read (a busy month is tens of thousands of runs).
 */
export class CivisRowFold {
  /** Ids of every row folded so far (foreign and out-of-range ones too), sorted, each once. */
  private seen: Float64Array = new Float64Array(0);
  private readonly slots: { readonly firstHourMs: number; readonly count: number };
  /** Micro-credits per hour of the range (NaN: no run). */
  readonly hours: Float64Array;
  readonly models = new Map<string, ModelTotals>();
  totalCredits = 0;
  latestRunMs: number | undefined;
  foreignRows = 0;

  constructor(
    private readonly range: TimeRange,
    private readonly orgId: number,
  ) {
    this.slots = hourSlots(range);
    this.hours = new Float64Array(this.slots.count).fill(Number.NaN);
  }

  /** The first hour of the range (index 0 of the hour arrays). */
  get firstHourMs(): number {
    return this.slots.firstHourMs;
  }

  /** Adds one answer's rows; credit sums too large to track exactly are a `bad_response`. */
  add(answer: LlmUsageColumns): void {
    try {
      this.addRows(answer);
    } catch (error) {
      if (error instanceof MoneyParseError) {
        throw new ProviderError('bad_response', 'Civis sent credit amounts too large to track exactly', { cause: error });
      }
      throw error;
    }
  }

  private addRows(answer: LlmUsageColumns): void {
    const { range, slots, hours, models } = this;
    const { rows, runCreatedAt, credits } = answer;
    // Pages can overlap when rows arrive between page reads: a run counts once, as first read.
    // Ids are looked up in sorted arrays (the answer's own and those of earlier answers), not in a
    // Set: a month of runs grew a Set through a dozen copies of its table (13 MB of garbage a
    // refresh of the heavy month).
    const ids = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) ids[i] = rows[i]!.id;
    ids.sort();
    const repeated = repeatedIds(ids);
    const firstOfRepeated = new Set<number>();
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      if (sortedHas(this.seen, row.id)) continue;
      if (repeated !== undefined && repeated.has(row.id)) {
        if (firstOfRepeated.has(row.id)) continue;
        firstOfRepeated.add(row.id);
      }
      if (row.organizationId !== this.orgId) {
        this.foreignRows += 1;
        continue;
      }
      // Civis does not say whether end_date is inclusive or which field it filters on: keep [start, end) by runCreatedAt.
      const createdMs = runCreatedAt[i]!;
      if (createdMs < range.startMs || createdMs >= range.endMs) continue;
      const rowCredits = credits[i]!;
      const hour = Math.floor(createdMs / HOUR_MS) - slots.firstHourMs / HOUR_MS;
      this.totalCredits = sum(this.totalCredits, rowCredits);
      hours[hour] = sum(Number.isNaN(hours[hour]!) ? 0 : hours[hour]!, rowCredits);
      let model = models.get(row.modelId);
      if (!model) {
        model = { creditsMicros: 0, runs: 0, inputTokens: 0, outputTokens: 0, runSeconds: 0, hours: new Float64Array(slots.count).fill(Number.NaN) };
        models.set(row.modelId, model);
      }
      model.creditsMicros = sum(model.creditsMicros, rowCredits);
      model.runs += 1;
      model.inputTokens += row.inputTokens;
      model.outputTokens += row.outputTokens;
      model.runSeconds += row.runTime;
      model.hours[hour] = sum(Number.isNaN(model.hours[hour]!) ? 0 : model.hours[hour]!, rowCredits);
      if (this.latestRunMs === undefined || createdMs > this.latestRunMs) this.latestRunMs = createdMs;
    }
    this.seen = mergeSorted(this.seen, ids);
  }
}

/** The ids that occur more than once in sorted `ids`, or undefined when none does (the usual answer). */
function repeatedIds(ids: Float64Array): Set<number> | undefined {
  let repeated: Set<number> | undefined;
  for (let i = 1; i < ids.length; i += 1) {
    if (ids[i] === ids[i - 1]) (repeated ??= new Set()).add(ids[i]!);
  }
  return repeated;
}

/** Whether sorted `ids` holds `id` (binary search). */
export function sortedHas(ids: Float64Array, id: number): boolean {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = ids[middle]!;
    if (value < id) low = middle + 1;
    else if (value > id) high = middle - 1;
    else return true;
  }
  return false;
}

/** Sorted `a` and `b` merged into one sorted array with each id once (`a` holds each once already). */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (n === 0 || out[n - 1] !== next) out[n++] = next;
  }
  return n === out.length ? out : out.slice(0, n);
}
