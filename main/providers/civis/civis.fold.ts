// Civis usage rows folded into hourly and per-model sums as each answer arrives (civis.request.ts
// reads the answers, civis.report.ts maps the sums to a report).
import { ProviderError } from '../../core/errors';
import { MoneyParseError } from '../../core/money';
import { HOUR_MS, type TimeRange } from '../../core/report';
import type { LlmUsageRow } from './civis.schema';

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
  private readonly seen = new Set<number>();
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
  add(rows: readonly LlmUsageRow[]): void {
    try {
      this.addRows(rows);
    } catch (error) {
      if (error instanceof MoneyParseError) {
        throw new ProviderError('bad_response', 'Civis sent credit amounts too large to track exactly', { cause: error });
      }
      throw error;
    }
  }

  private addRows(rows: readonly LlmUsageRow[]): void {
    const { range, slots, hours, models } = this;
    for (const row of rows) {
      // Pages can overlap when rows arrive between page reads: a run counts once.
      if (this.seen.has(row.id)) continue;
      this.seen.add(row.id);
      if (row.organizationId !== this.orgId) {
        this.foreignRows += 1;
        continue;
      }
      // Civis does not say whether end_date is inclusive or which field it filters on: keep [start, end) by runCreatedAt.
      if (row.runCreatedAt < range.startMs || row.runCreatedAt >= range.endMs) continue;
      const hour = Math.floor(row.runCreatedAt / HOUR_MS) - slots.firstHourMs / HOUR_MS;
      this.totalCredits = sum(this.totalCredits, row.credits);
      hours[hour] = sum(Number.isNaN(hours[hour]!) ? 0 : hours[hour]!, row.credits);
      let model = models.get(row.modelId);
      if (!model) {
        model = { creditsMicros: 0, runs: 0, inputTokens: 0, outputTokens: 0, runSeconds: 0, hours: new Float64Array(slots.count).fill(Number.NaN) };
        models.set(row.modelId, model);
      }
      model.creditsMicros = sum(model.creditsMicros, row.credits);
      model.runs += 1;
      model.inputTokens += row.inputTokens;
      model.outputTokens += row.outputTokens;
      model.runSeconds += row.runTime;
      model.hours[hour] = sum(Number.isNaN(model.hours[hour]!) ? 0 : model.hours[hour]!, row.credits);
      if (this.latestRunMs === undefined || row.runCreatedAt > this.latestRunMs) this.latestRunMs = row.runCreatedAt;
    }
  }
}

