// Mapping of Civis usage rows into a report, and the exact credits → US dollar conversion.
import { seriesCosts, withPackedCosts } from '../../core/compactSeries';
import { isProviderError, ProviderError } from '../../core/errors';
import { type Decimal, MoneyParseError, microsToUnits, parseDecimal, roundScaled, toSafeMicros } from '../../core/money';
import {
  HOUR_MS,
  type CostBucket,
  type ProviderExtras,
  type ReportUnit,
  type ResourceBucket,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import type { ProviderContext } from '../types';
import { CIVIS_MAX_PAGES, type CivisSettings } from './civis.settings';
import type { LimitOutcome, MatchingCounts, MatchingOutcome, UsageFetch } from './civis.request';

const PROVIDER = 'Civis';

/** The hour starts with a run, and their sums, in time order. */
function usedHours(hours: Float64Array, firstHourMs: number): { readonly starts: number[]; readonly sums: number[] } {
  const starts: number[] = [];
  const sums: number[] = [];
  for (let index = 0; index < hours.length; index += 1) {
    const sum = hours[index]!;
    if (Number.isNaN(sum)) continue;
    starts.push(firstHourMs + index * HOUR_MS);
    sums.push(sum);
  }
  return { starts, sums };
}

/** Builds the report from the rows, the credit limit and the matching record counts. */
export function buildReport(
  range: TimeRange,
  ctx: ProviderContext<CivisSettings>,
  usage: UsageFetch,
  limit: LimitOutcome,
  matching: MatchingOutcome = { ok: true, value: { total: 0, byTask: {} } },
): UsageReport {
  const notes: string[] = [];
  const rate = ctx.settings.usdPerCredit;
  if (rate === undefined) {
    notes.push(
      'Civis reports usage in credits. This connection shows credits and stays out of money totals until you set a USD-per-credit rate (the "usdPerCredit" setting of this connection).',
    );
  } else {
    notes.push(`Dollar amounts are Civis credits × $${String(rate)} per credit, the rate set for this connection.`);
  }

  let creditHardLimit: number | undefined;
  if (limit.ok) {
    creditHardLimit = limit.value?.hardLimit;
  } else {
    const error = limit.error;
    // A bad key or a cancelled fetch is not a "secondary" failure: the whole fetch fails.
    if (isProviderError(error) && (error.kind === 'auth' || error.aborted)) throw error;
    const why = isProviderError(error) ? error.message : 'an unexpected error';
    notes.push(`The Civis credit limit could not be read (${why}); usage is complete without it.`);
  }

  let matchingRecords: MatchingCounts | undefined;
  if (matching.ok) {
    matchingRecords = matching.value;
  } else {
    const error = matching.error;
    if (isProviderError(error) && (error.kind === 'auth' || error.aborted)) throw error;
    const why = isProviderError(error) ? error.message : 'an unexpected error';
    notes.push(`The Civis matching record counts could not be read (${why}); credits are complete without them.`);
  }
  if (usage.windows > 1) {
    notes.push(`Civis's usage for this range is too large for one answer; Burnrate read it in ${usage.windows} date windows.`);
  }

  try {
    return mapRows(range, ctx, usage, rate, { creditHardLimit, matchingRecords }, notes);
  } catch (error) {
    if (error instanceof MoneyParseError) {
      throw new ProviderError('bad_response', `${PROVIDER} sent credit amounts too large to track exactly`, { cause: error });
    }
    throw error;
  }
}

function mapRows(
  range: TimeRange,
  ctx: ProviderContext<CivisSettings>,
  usage: UsageFetch,
  rate: number | undefined,
  secondary: { readonly creditHardLimit: number | undefined; readonly matchingRecords: MatchingCounts | undefined },
  notes: string[],
): UsageReport {
  const { creditHardLimit, matchingRecords } = secondary;
  const orgId = ctx.settings.orgId;
  const { fold } = usage;
  const { hours, models, totalCredits, latestRunMs, foreignRows } = fold;
  const slots = { firstHourMs: fold.firstHourMs };

  if (foreignRows > 0) {
    notes.push(`Civis returned ${foreignRows} run(s) of other organizations; only organization ${orgId} is counted.`);
  }
  if (usage.totalPages > CIVIS_MAX_PAGES && usage.pagesRead >= CIVIS_MAX_PAGES) {
    notes.push(
      `Civis split this usage into ${usage.totalPages} pages; Burnrate read the first ${CIVIS_MAX_PAGES}, so the totals may be too low.`,
    );
  }

  const convert = rate === undefined ? identityConverter : rateConverter(parseDecimal(rate, 'usdPerCredit'));
  const totalMicros = convert.total(totalCredits);

  const used = usedHours(hours, slots.firstHourMs);
  const bucketCosts = convert.split(totalMicros, used.sums);
  const buckets: CostBucket[] = used.starts.map((startMs, index) => ({
    startMs,
    durationMs: HOUR_MS,
    costMicros: bucketCosts[index] ?? 0,
  }));

  const modelEntries = [...models.entries()].sort(
    ([idA, a], [idB, b]) => b.creditsMicros - a.creditsMicros || (idA < idB ? -1 : idA > idB ? 1 : 0),
  );
  const resourceCosts = convert.split(
    totalMicros,
    modelEntries.map(([, model]) => model.creditsMicros),
  );
  const resources: ResourceUsage[] = modelEntries.map(([modelId, model], index) => {
    const costMicros = resourceCosts[index] ?? 0;
    const modelHours = usedHours(model.hours, slots.firstHourMs);
    const seriesCosts = convert.split(costMicros, modelHours.sums);
    const series: ResourceBucket[] = modelHours.starts.map((startMs, seriesIndex) => ({
      startMs,
      durationMs: HOUR_MS,
      costMicros: seriesCosts[seriesIndex] ?? 0,
    }));
    return {
      id: modelId,
      name: modelId,
      kind: 'model',
      costMicros,
      activity: {
        events: model.runs,
        inputTokens: model.inputTokens,
        outputTokens: model.outputTokens,
        // runTime is whole seconds per run; minutes to two decimals are plenty for people.
        minutes: Math.round((model.runSeconds / 60) * 100) / 100,
        quantity: { amount: microsToUnits(model.creditsMicros), unit: 'credits' },
      },
      dedicated: false,
      group: 'LLM',
      series,
    };
  });
  // Rounding can only reorder resources whose credits tie; keep "most expensive first" on the final unit.
  resources.sort((a, b) => b.costMicros - a.costMicros);

  const dataThroughMs =
    latestRunMs === undefined
      ? null
      : Math.min(Math.floor(latestRunMs / HOUR_MS) * HOUR_MS + HOUR_MS, ctx.nowMs, range.endMs);

  const extras: ProviderExtras = {
    creditsMicros: totalCredits,
    ...(creditHardLimit === undefined ? {} : { creditHardLimit }),
    ...(usage.rateLimit === undefined ? {} : { rateLimit: usage.rateLimit }),
    ...(matchingRecords === undefined ? {} : { matchingRecords }),
  };
  const unit: ReportUnit = rate === undefined ? 'credits' : 'usd';
  return {
    provider: 'civis',
    range: { startMs: range.startMs, endMs: range.endMs },
    unit,
    totalMicros,
    granularityMs: HOUR_MS,
    buckets,
    resources,
    dataThroughMs,
    extras,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Credits → report unit, exactly

/** Converts micro-credits to the report's unit and splits a converted amount into parts that add up to it. */
export interface Converter {
  /** The converted amount, rounded once (half away from zero). */
  total(creditsMicros: number): number;
  /**
   * Splits `targetMicros` (the converted sum of `partsCreditsMicros`) into converted parts that add up to
   * it exactly: each part is its exact product rounded down, and the remaining micros go to the parts with
   * the largest dropped fractions (largest-remainder method), so no part is off by more than one micro.
   */
  split(targetMicros: number, partsCreditsMicros: readonly number[]): number[];
}

const identityConverter: Converter = {
  total: (creditsMicros) => creditsMicros,
  split: (_targetMicros, parts) => [...parts],
};

function floorDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n !== denominator < 0n ? quotient - 1n : quotient;
}

/**
 * micro-USD = micro-credits × rate, computed on exact decimals: the rate as typed (0.0137 stays 137×10⁻⁴).
 * @example rateConverter(parseDecimal(0.5)).total(1_250_000) //=> 625_000
 */
export function rateConverter(rate: Decimal, exactOnly = false): Converter {
  const multiplier = rate.exponent >= 0 ? rate.coefficient * 10n ** BigInt(rate.exponent) : rate.coefficient;
  const scale = rate.exponent >= 0 ? 1n : 10n ** BigInt(-rate.exponent);
  const numberMultiplier = Number(multiplier);
  const numberScale = Number(scale);
  const numbersExact = !exactOnly && Number.isSafeInteger(numberMultiplier) && Number.isSafeInteger(numberScale);
  return {
    total: (creditsMicros) =>
      toSafeMicros(roundScaled({ coefficient: BigInt(creditsMicros) * rate.coefficient, exponent: rate.exponent }, 0)),
    split(targetMicros, partsCreditsMicros) {
      // Every product a safe integer: the same arithmetic in doubles is exact (civis.split.test.ts).
      if (numbersExact) {
        const parts = splitInNumbers(targetMicros, partsCreditsMicros, numberMultiplier, numberScale);
        if (parts !== undefined) return parts;
      }
      const exact = partsCreditsMicros.map((credits) => BigInt(credits) * multiplier);
      const floors = exact.map((value) => floorDiv(value, scale));
      const remainders = exact.map((value, index) => value - (floors[index] ?? 0n) * scale);
      let missing = BigInt(targetMicros) - floors.reduce((sum, value) => sum + value, 0n);
      const order = remainders
        .map((remainder, index) => ({ remainder, index }))
        .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
      const parts = [...floors];
      // `missing` lies in [0, parts.length] by construction; the loop keeps the sum exact either way.
      for (let step = 0; missing !== 0n && order.length > 0; step += 1) {
        const index = order[step % order.length]!.index;
        const delta = missing > 0n ? 1n : -1n;
        parts[index] = (parts[index] ?? 0n) + delta;
        missing -= delta;
      }
      return parts.map((value) => toSafeMicros(value, 'Civis credits'));
    },
  };
}

/**
 * {@link rateConverter}'s split in doubles, when every product `credits × multiplier` and the target
 * are safe integers (then every step below is exact integer arithmetic); undefined otherwise.
 */
function splitInNumbers(targetMicros: number, partsCreditsMicros: readonly number[], multiplier: number, scale: number): number[] | undefined {
  let largest = 0;
  for (const credits of partsCreditsMicros) largest = Math.max(largest, Math.abs(credits));
  if (!(largest * Math.abs(multiplier) <= Number.MAX_SAFE_INTEGER) || !Number.isSafeInteger(targetMicros)) return undefined;
  const floors: number[] = [];
  const remainders: number[] = [];
  let missing = targetMicros;
  for (const credits of partsCreditsMicros) {
    const exact = credits * multiplier;
    let quotient = Math.floor(exact / scale);
    let remainder = exact - quotient * scale;
    // The division in doubles may be one off; the remainder puts it right (floor, toward -∞).
    if (remainder < 0) {
      quotient -= 1;
      remainder += scale;
    } else if (remainder >= scale) {
      quotient += 1;
      remainder -= scale;
    }
    floors.push(quotient);
    remainders.push(remainder);
    missing -= quotient;
  }
  if (!Number.isSafeInteger(missing)) return undefined;
  const order = remainders.map((remainder, index) => ({ remainder, index })).sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : b.remainder - a.remainder));
  for (let step = 0; missing !== 0 && order.length > 0; step += 1) {
    const index = order[step % order.length]!.index;
    const delta = missing > 0 ? 1 : -1;
    floors[index] = floors[index]! + delta;
    missing -= delta;
  }
  return floors.map((value) => (value === 0 ? 0 : value));
}

/** `bucket` with another cost; an object literal of Civis's bucket fields (no spread: tens of thousands a refresh). */
function withCost<B extends ResourceBucket>(bucket: B, costMicros: number): B {
  if (!('requests' in bucket)) return { startMs: bucket.startMs, durationMs: bucket.durationMs, costMicros } as B;
  return { ...bucket, costMicros };
}

/** The note of a report in credits (no rate set): replaced when a joined credits report is converted. */
const CREDITS_NOTE_START = 'Civis reports usage in credits.';

/**
 * A Civis report in credits (fetched without a rate) converted to the connection's unit exactly as
 * {@link buildReport} converts rows: the total from the exact micro-credits, multiplied once and
 * rounded once; buckets, resources and their series split from it by their credits (largest
 * remainder), so they add up to it. Incremental refresh fetches the head and the tail in credits,
 * joins them exactly, and converts the whole here: the same numbers as one fetch with the rate.
 * Without a rate the report is returned as it is.
 */
export function creditsReportInUnit(report: UsageReport, settings: CivisSettings): UsageReport {
  const rate = settings.usdPerCredit;
  if (rate === undefined || report.unit !== 'credits') return report;
  const convert = rateConverter(parseDecimal(rate, 'usdPerCredit'));
  const totalCredits = report.extras.creditsMicros ?? report.totalMicros;
  const totalMicros = convert.total(totalCredits);
  const bucketCosts = convert.split(totalMicros, report.buckets.map((b) => b.costMicros));
  const ordered = [...report.resources].sort((a, b) => b.costMicros - a.costMicros || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const resourceCosts = convert.split(totalMicros, ordered.map((r) => r.costMicros));
  const resources: ResourceUsage[] = ordered.map((resource, index) => {
    const costMicros = resourceCosts[index] ?? 0;
    // Read without unpacking a packed series (main/core/compactSeries.ts); a packed one stays packed.
    const credits = seriesCosts(resource);
    if (credits === undefined) return { ...resource, costMicros };
    const costs = convert.split(costMicros, credits);
    return withPackedCosts(resource, costMicros, costs) ?? { ...resource, costMicros, series: resource.series!.map((b, i) => withCost(b, costs[i] ?? 0)) };
  });
  resources.sort((a, b) => b.costMicros - a.costMicros);
  const notes = report.notes.map((note) =>
    note.startsWith(CREDITS_NOTE_START) ? `Dollar amounts are Civis credits × $${String(rate)} per credit, the rate set for this connection.` : note,
  );
  const unit: ReportUnit = 'usd';
  return {
    ...report,
    unit,
    totalMicros,
    buckets: report.buckets.map((b, i) => withCost(b, bucketCosts[i] ?? 0)),
    resources,
    notes,
  };
}
