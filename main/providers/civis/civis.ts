// Endpoint: GET {baseUrl}/usage/llm?org_id&start_date&end_date (one row per run, in credits) + GET /usage_limits/llm?organization_id.
// Auth: HTTP Basic with the API key as user name and an empty password, `Authorization: Basic base64("<key>:")`, as civis-python sends it.
// Limits: numbers unpublished; a 429 always carries Retry-After; rows appear as runs are recorded, so refresh at most every 5 minutes.
import { z } from 'zod';
import { isProviderError, ProviderError } from '../../core/errors';
import { type Decimal, MoneyParseError, microsToUnits, parseDecimal, roundScaled, toSafeMicros } from '../../core/money';
import {
  HOUR_MS,
  type CostBucket,
  type ProviderExtras,
  type RateLimitState,
  type ReportUnit,
  type ResourceBucket,
  type ResourceUsage,
  type TimeRange,
  type UsageReport,
} from '../../core/report';
import type { HttpJsonResponse } from '../http';
import { readRateLimit } from '../rateLimit';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import {
  civisErrorDetail,
  llmUsageListSchema,
  usageLimitLlmListSchema,
  type LlmUsageRow,
  type UsageLimitLlm,
} from './civis.schema';

const PROVIDER = 'Civis';

/** Default API host (civis-python `DEFAULT_API_ENDPOINT`). */
export const CIVIS_DEFAULT_BASE_URL = 'https://api.civisanalytics.com';

/** Most pages of `/usage/llm` read in one fetch, should Civis ever paginate it. */
export const CIVIS_MAX_PAGES = 100;

/** Highest accepted `usdPerCredit`: a guard against a typo (cents entered as dollars × 100…), not a Civis fact. */
const MAX_USD_PER_CREDIT = 10_000;

const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(CIVIS_DEFAULT_BASE_URL),
  orgId: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? 'orgId is required: the numeric id of your Civis organization (Civis does not reveal it through the API)'
          : 'orgId must be a number: the numeric id of your Civis organization',
    })
    .int({ error: 'orgId must be a whole number' })
    .positive({ error: 'orgId must be a positive organization id' }),
  usdPerCredit: z
    .number({ error: 'usdPerCredit must be a number of US dollars per Civis credit' })
    .positive({ error: 'usdPerCredit must be greater than 0 US dollars per credit' })
    .max(MAX_USD_PER_CREDIT, { error: `usdPerCredit must be at most ${MAX_USD_PER_CREDIT} US dollars per credit` })
    .optional(),
});

/**
 * Connection settings of a Civis connection, after parsing: `baseUrl` without trailing slash,
 * `orgId` (positive integer), and the optional `usdPerCredit` rate (US dollars per credit).
 */
export type CivisSettings = z.output<typeof settingsSchema>;

const settingFields: readonly SettingField[] = [
  {
    key: 'orgId',
    label: 'Organization ID',
    kind: 'integer',
    required: true,
    help: 'The numeric id of your Civis organization. The API does not reveal it; ask your Civis admin or read organizationId from a usage row.',
  },
  {
    key: 'usdPerCredit',
    label: 'US dollars per credit',
    kind: 'number',
    required: false,
    help: 'The rate from your Civis contract. Without it this connection shows credits and stays out of money totals.',
  },
  baseUrlField(CIVIS_DEFAULT_BASE_URL, 'Change only for a private Civis deployment.'),
];

/**
 * The Civis Platform adapter: LLM usage in credits per run, bucketed into UTC hours by `runCreatedAt`,
 * one resource per `modelId`, converted to US dollars when the connection has a `usdPerCredit` rate.
 * The total is the exact sum of the runs' credits in micro-credits, multiplied once by the rate and
 * rounded once; buckets, resources and series are split from it so they add up to it exactly.
 */
export const civisAdapter: ProviderAdapter<CivisSettings> = {
  id: 'civis',
  displayName: 'Civis',
  settings: settingFields,
  settingsSchema,
  minRefreshMs: 5 * 60_000,
  async fetchUsage(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<UsageReport> {
    if (!(range.endMs > range.startMs)) return buildReport(range, ctx, emptyFetch(), { ok: true, value: undefined });
    // The credit limit is secondary: fetch it beside the rows and never let it fail the report (auth aside).
    const limit = fetchCreditLimit(ctx).then(
      (value): LimitOutcome => ({ ok: true, value }),
      (error: unknown): LimitOutcome => ({ ok: false, error }),
    );
    const usage = await fetchUsageRows(range, ctx);
    return buildReport(range, ctx, usage, await limit);
  },
};

// ---------------------------------------------------------------------------------------------
// Requests

interface UsageFetch {
  readonly rows: readonly LlmUsageRow[];
  /** Pages Civis said it has (1 when unpaged). */
  readonly totalPages: number;
  readonly pagesRead: number;
  readonly rateLimit: RateLimitState | undefined;
}

type LimitOutcome = { readonly ok: true; readonly value: UsageLimitLlm | undefined } | { readonly ok: false; readonly error: unknown };

function emptyFetch(): UsageFetch {
  return { rows: [], totalPages: 1, pagesRead: 0, rateLimit: undefined };
}

function get(ctx: ProviderContext<CivisSettings>, url: URL): Promise<HttpJsonResponse> {
  return ctx.http.getJson({
    provider: PROVIDER,
    url,
    headers: { authorization: `Basic ${Buffer.from(`${ctx.apiKey}:`).toString('base64')}` },
    signal: ctx.signal,
    secrets: [ctx.apiKey],
    errorDetail: civisErrorDetail,
  });
}

async function fetchUsageRows(range: TimeRange, ctx: ProviderContext<CivisSettings>): Promise<UsageFetch> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage/llm');
  url.searchParams.set('org_id', String(ctx.settings.orgId));
  // Both bounds always (Civis defaults to month-to-date only when both are missing); UTC with `Z`.
  url.searchParams.set('start_date', isoInstant(range.startMs));
  url.searchParams.set('end_date', isoInstant(range.endMs));

  const first = await get(ctx, url);
  const rows: LlmUsageRow[] = [...parseAnswer(llmUsageListSchema, first.body, PROVIDER, 'list of LLM usage', [ctx.apiKey])];
  // The spec declares no paging for /usage/llm, but other Civis lists page with page_num and
  // X-Pagination-* headers; should this one ever do so, read on (the client stops at an empty page).
  const totalPages = readCount(first.headers['x-pagination-total-pages']) ?? 1;
  let last = first;
  let pagesRead = 1;
  for (let page = 2; page <= Math.min(totalPages, CIVIS_MAX_PAGES); page += 1) {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set('page_num', String(page));
    last = await get(ctx, pageUrl);
    const pageRows = parseAnswer(llmUsageListSchema, last.body, PROVIDER, `list of LLM usage (page ${page})`, [ctx.apiKey]);
    pagesRead = page;
    if (pageRows.length === 0) break;
    rows.push(...pageRows);
  }
  return { rows, totalPages, pagesRead, rateLimit: readRateLimit(last.headers) };
}

async function fetchCreditLimit(ctx: ProviderContext<CivisSettings>): Promise<UsageLimitLlm | undefined> {
  const url = joinUrl(ctx.settings.baseUrl, '/usage_limits/llm');
  url.searchParams.set('organization_id', String(ctx.settings.orgId));
  const response = await get(ctx, url);
  const limits = parseAnswer(usageLimitLlmListSchema, response.body, PROVIDER, 'credit limit list', [ctx.apiKey]);
  // The filter is by query, but the answer is an array: take the entry of this org, the newest if several.
  let chosen: UsageLimitLlm | undefined;
  for (const limit of limits) {
    if (limit.organizationId !== ctx.settings.orgId) continue;
    if (!chosen || (limit.updatedAt ?? 0) > (chosen.updatedAt ?? 0) || ((limit.updatedAt ?? 0) === (chosen.updatedAt ?? 0) && limit.id > chosen.id)) {
      chosen = limit;
    }
  }
  return chosen;
}

function readCount(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  const value = Number(header);
  return Number.isSafeInteger(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Mapping

interface ModelTotals {
  creditsMicros: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  runSeconds: number;
  readonly hours: Map<number, number>;
}

function add(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new MoneyParseError('Civis credits: amount is too large to track exactly');
  return sum;
}

function buildReport(
  range: TimeRange,
  ctx: ProviderContext<CivisSettings>,
  usage: UsageFetch,
  limit: LimitOutcome,
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

  try {
    return mapRows(range, ctx, usage, rate, creditHardLimit, notes);
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
  creditHardLimit: number | undefined,
  notes: string[],
): UsageReport {
  const orgId = ctx.settings.orgId;
  const seen = new Set<number>();
  const hours = new Map<number, number>();
  const models = new Map<string, ModelTotals>();
  let totalCredits = 0;
  let latestRunMs: number | undefined;
  let foreignRows = 0;

  for (const row of usage.rows) {
    // Pages can overlap when rows arrive between page reads: a run counts once.
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    if (row.organizationId !== orgId) {
      foreignRows += 1;
      continue;
    }
    // Civis does not say whether end_date is inclusive or which field it filters on: keep [start, end) by runCreatedAt.
    if (row.runCreatedAt < range.startMs || row.runCreatedAt >= range.endMs) continue;
    const hourMs = Math.floor(row.runCreatedAt / HOUR_MS) * HOUR_MS;
    totalCredits = add(totalCredits, row.credits);
    hours.set(hourMs, add(hours.get(hourMs) ?? 0, row.credits));
    let model = models.get(row.modelId);
    if (!model) {
      model = { creditsMicros: 0, runs: 0, inputTokens: 0, outputTokens: 0, runSeconds: 0, hours: new Map() };
      models.set(row.modelId, model);
    }
    model.creditsMicros = add(model.creditsMicros, row.credits);
    model.runs += 1;
    model.inputTokens += row.inputTokens;
    model.outputTokens += row.outputTokens;
    model.runSeconds += row.runTime;
    model.hours.set(hourMs, add(model.hours.get(hourMs) ?? 0, row.credits));
    if (latestRunMs === undefined || row.runCreatedAt > latestRunMs) latestRunMs = row.runCreatedAt;
  }

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

  const hourKeys = [...hours.keys()].sort((a, b) => a - b);
  const bucketCosts = convert.split(
    totalMicros,
    hourKeys.map((hourMs) => hours.get(hourMs) ?? 0),
  );
  const buckets: CostBucket[] = hourKeys.map((startMs, index) => ({
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
    const seriesKeys = [...model.hours.keys()].sort((a, b) => a - b);
    const seriesCosts = convert.split(
      costMicros,
      seriesKeys.map((hourMs) => model.hours.get(hourMs) ?? 0),
    );
    const series: ResourceBucket[] = seriesKeys.map((startMs, seriesIndex) => ({
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
interface Converter {
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
function rateConverter(rate: Decimal): Converter {
  const multiplier = rate.exponent >= 0 ? rate.coefficient * 10n ** BigInt(rate.exponent) : rate.coefficient;
  const scale = rate.exponent >= 0 ? 1n : 10n ** BigInt(-rate.exponent);
  return {
    total: (creditsMicros) =>
      toSafeMicros(roundScaled({ coefficient: BigInt(creditsMicros) * rate.coefficient, exponent: rate.exponent }, 0)),
    split(targetMicros, partsCreditsMicros) {
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
