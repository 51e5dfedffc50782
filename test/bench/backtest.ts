/**
 * `npm run backtest`: how good are the projection, its 80 % interval and the forecast alert?
 *
 * For each series (synthetic shapes plus series replayed from the fakes' scenarios), two months of
 * hourly spend are generated: March 2026 (the previous period, history) and April 2026 (the period
 * forecast). From a cut point every 6 hours of April, the engine sees what a provider would have
 * reported by then (the past hours only, a lagging provider 3 hours less, a sparse series only some
 * of its hours but the exact total) and projects April's total through the same code the app uses
 * (`summarizeWorkspace`). Scored against the true April total:
 * - MAPE: mean |projected − truth| / truth;
 * - coverage: share of cut points whose 80 % interval [low, high] holds the truth (target 75–85 %);
 * - forecast alerts, with budgets at 92 % and 108 % of the truth: a false alarm is an alert (the
 *   app's rule: projection over budget, confidence ≥ 0.5, ≥ 24 h of data, budget not yet reached)
 *   for a period that ends under budget; a miss is a cut point of a period that ends over budget,
 *   with ≥ 24 h of data and the budget not yet reached, without that alert.
 * Prints a table and writes bench/backtest.json. Deterministic (seeded).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MIN_FORECAST_CONFIDENCE, FORECAST_MIN_DATA_HOURS } from '../../main/core/alerts';
import { HOUR_MS, type CostBucket, type UsageReport } from '../../main/core/report';
import { summarizeWorkspace } from '../../main/core/spend';
import type { Workspace } from '../../main/core/workspace';
import { hourUsage, type Scenario } from '../../main/providers/fake/scenario';
import { defaultTensorOneScenario } from '../../main/providers/tensorone/tensorone.fake';

const PREVIOUS_START_MS = Date.UTC(2026, 2, 1);
const PERIOD_START_MS = Date.UTC(2026, 3, 1);
const PERIOD_END_MS = Date.UTC(2026, 4, 1);
const HOURS = (PERIOD_END_MS - PREVIOUS_START_MS) / HOUR_MS;
const CUT_STEP_HOURS = 6;
const USD = 1_000_000;

/** A generated history: hourly cost from March 1 on, and how a provider reports it. */
export interface BacktestSeries {
  readonly name: string;
  readonly group: string;
  /** Cost of each hour from 2026-03-01T00:00Z (micro-USD). */
  readonly hourly: readonly number[];
  /** Hours the provider's data trails the clock. */
  readonly lagHours: number;
  /** Hours the provider lists in its series (the rest is only in its total); undefined = all. */
  readonly present?: (hourIndex: number) => boolean;
}

/** Mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const STEP_AT_HOUR = (Date.UTC(2026, 3, 12) - PREVIOUS_START_MS) / HOUR_MS;

function synthetic(name: string, seed: number, level: (hour: number, random: () => number) => number, extra: Partial<BacktestSeries> = {}): BacktestSeries {
  const random = prng(seed);
  const hourly = Array.from({ length: HOURS }, (_, hour) => Math.max(0, Math.round(level(hour, random) * USD)));
  return { name: `${name}#${seed}`, group: name, hourly, lagHours: 0, ...extra };
}

const noisy = (sigma: number) => (random: () => number) => Math.exp(sigma * gaussian(random) - (sigma * sigma) / 2);

function weekdayFactor(hour: number): number {
  const date = new Date(PREVIOUS_START_MS + hour * HOUR_MS);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  const daytime = date.getUTCHours() >= 8 && date.getUTCHours() < 20;
  return (weekend ? 0.3 : 1) * (daytime ? 1.5 : 0.5);
}

function replayed(name: string, scenario: Scenario): BacktestSeries {
  const hourly = Array.from({ length: HOURS }, (_, hour) => {
    const startMs = PREVIOUS_START_MS + hour * HOUR_MS;
    return scenario.resources.reduce((sum, resource) => sum + hourUsage(scenario, resource, startMs).costMicros, 0);
  });
  return { name, group: name, hourly, lagHours: 0 };
}

/** Every series of the suite. */
export function backtestSuite(seeds: readonly number[] = [1, 2, 3, 4]): BacktestSeries[] {
  const suite: BacktestSeries[] = [];
  for (const seed of seeds) {
    suite.push(
      synthetic('constant', seed, () => 4),
      synthetic('weekday-weekend', seed, (hour, random) => 4 * weekdayFactor(hour) * noisy(0.15)(random)),
      synthetic('ramp', seed, (hour, random) => (2 + (4 * hour) / HOURS) * noisy(0.15)(random)),
      synthetic('step-up', seed, (hour, random) => (hour < STEP_AT_HOUR ? 2 : 8) * noisy(0.15)(random)),
      synthetic('step-down', seed, (hour, random) => (hour < STEP_AT_HOUR ? 8 : 2) * noisy(0.15)(random)),
      synthetic('spikes', seed, (_, random) => (random() < 0.01 ? 80 : 4)),
      synthetic('noisy-lognormal', seed, (_, random) => 4 * noisy(0.8)(random)),
      synthetic('lag-3h', seed, (_, random) => 4 * noisy(0.3)(random), { lagHours: 3 }),
      synthetic('sparse', seed, (_, random) => 4 * noisy(0.15)(random), {
        present: (hour) => prng(seed * 7919 + hour)() < 0.25,
      }),
    );
  }
  suite.push(replayed('replay-tensorone', defaultTensorOneScenario(1)), replayed('replay-tensorone-2', defaultTensorOneScenario(2)));
  return suite;
}

function report(series: BacktestSeries, startMs: number, endMs: number, throughMs: number): UsageReport {
  const buckets: CostBucket[] = [];
  let totalMicros = 0;
  for (let startHour = (startMs - PREVIOUS_START_MS) / HOUR_MS; PREVIOUS_START_MS + startHour * HOUR_MS < throughMs; startHour += 1) {
    const costMicros = series.hourly[startHour] ?? 0;
    totalMicros += costMicros;
    if (!series.present || series.present(startHour)) {
      buckets.push({ startMs: PREVIOUS_START_MS + startHour * HOUR_MS, durationMs: HOUR_MS, costMicros });
    }
  }
  return {
    provider: 'limitry',
    range: { startMs, endMs },
    unit: 'usd',
    totalMicros,
    granularityMs: HOUR_MS,
    buckets,
    resources: [],
    dataThroughMs: throughMs > startMs ? throughMs : null,
    extras: {},
    notes: [],
  };
}

/** One cut point's outcome. */
interface CutResult {
  readonly absoluteError: number;
  readonly covered: boolean;
  readonly alerts: readonly { readonly over: boolean; readonly alerted: boolean; readonly eligible: boolean }[];
  readonly probabilityExtreme: boolean;
}

const BUDGET_FACTORS = [0.92, 1.08];

function evaluateCut(series: BacktestSeries, nowMs: number, truthMicros: number, previous: UsageReport): CutResult {
  const throughMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS - series.lagHours * HOUR_MS;
  const current = report(series, PERIOD_START_MS, nowMs, Math.max(PERIOD_START_MS, throughMs));
  const alerts = BUDGET_FACTORS.map((factor) => {
    const budgetMicros = Math.round(truthMicros * factor);
    const workspace: Workspace = {
      id: 'w',
      name: 'w',
      timeZone: 'UTC',
      currency: 'USD',
      budget: { amountMicros: budgetMicros, period: 'month', thresholdsPercent: [100] },
      period: 'month',
      forecastAlerts: true,
      connectionIds: ['c'],
    };
    const spend = summarizeWorkspace({
      workspace,
      nowMs,
      connections: [{ connectionId: 'c', provider: 'limitry', providerName: 'Backtest', report: current, previousReport: previous, stale: false }],
    });
    const projection = spend.projection;
    const forecast = spend.forecast;
    const dataHours = (Math.max(PERIOD_START_MS, throughMs) - PERIOD_START_MS) / HOUR_MS;
    const reached = spend.spentMicros >= budgetMicros;
    const eligible = !reached && dataHours >= FORECAST_MIN_DATA_HOURS;
    const alerted = eligible && projection.projectedMicros > budgetMicros && projection.confidence >= DEFAULT_MIN_FORECAST_CONFIDENCE;
    const probability = forecast?.overBudgetProbability ?? null;
    return {
      over: truthMicros > budgetMicros,
      alerted,
      eligible,
      // Certainty that turned out wrong: 0 % for a period that ended over budget, 100 % before the budget was reached.
      extreme: !reached && probability !== null && ((probability <= 0 && truthMicros > budgetMicros) || probability >= 1),
      projection,
    };
  });
  const projection = alerts[0]?.projection;
  if (!projection) throw new Error('no projection');
  return {
    absoluteError: Math.abs(projection.projectedMicros - truthMicros) / truthMicros,
    covered: projection.lowMicros <= truthMicros && truthMicros <= projection.highMicros,
    alerts,
    probabilityExtreme: alerts.some((alert) => alert.extreme),
  };
}

/** Scores of one group of series (or of the whole suite). */
export interface BacktestRow {
  readonly series: string;
  readonly cuts: number;
  /** Mean absolute percentage error of the projected period total, in percent. */
  readonly mapePercent: number;
  /** Share of cut points whose 80 % interval holds the truth, in percent. */
  readonly coverage80Percent: number;
  readonly alerts: number;
  /** Alerts for periods that ended under budget, in percent of alerts. */
  readonly falseAlarmPercent: number;
  /** Eligible cut points of over-budget periods without an alert, in percent. */
  readonly missPercent: number;
  /** Cut points showing 100 % before the budget was reached, or 0 % for a period that ended over budget. */
  readonly extremeProbabilities: number;
}

function score(name: string, results: readonly CutResult[]): BacktestRow {
  const cuts = results.length;
  const alerts = results.flatMap((result) => result.alerts);
  const raised = alerts.filter((alert) => alert.alerted);
  const overEligible = alerts.filter((alert) => alert.over && alert.eligible);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    series: name,
    cuts,
    mapePercent: round((100 * results.reduce((sum, result) => sum + result.absoluteError, 0)) / Math.max(1, cuts)),
    coverage80Percent: round((100 * results.filter((result) => result.covered).length) / Math.max(1, cuts)),
    alerts: raised.length,
    falseAlarmPercent: round((100 * raised.filter((alert) => !alert.over).length) / Math.max(1, raised.length)),
    missPercent: round((100 * overEligible.filter((alert) => !alert.alerted).length) / Math.max(1, overEligible.length)),
    extremeProbabilities: results.filter((result) => result.probabilityExtreme).length,
  };
}

/** Runs the suite: one row per series group plus a last row "all". */
export function runBacktest(suite: readonly BacktestSeries[] = backtestSuite()): BacktestRow[] {
  const byGroup = new Map<string, CutResult[]>();
  for (const series of suite) {
    const previous = report(series, PREVIOUS_START_MS, PERIOD_START_MS, PERIOD_START_MS);
    const first = (PERIOD_START_MS - PREVIOUS_START_MS) / HOUR_MS;
    const truthMicros = series.hourly.slice(first).reduce((a, b) => a + b, 0);
    const results = byGroup.get(series.group) ?? [];
    for (let nowMs = PERIOD_START_MS + CUT_STEP_HOURS * HOUR_MS; nowMs < PERIOD_END_MS; nowMs += CUT_STEP_HOURS * HOUR_MS) {
      results.push(evaluateCut(series, nowMs, truthMicros, previous));
    }
    byGroup.set(series.group, results);
  }
  const rows = [...byGroup.entries()].map(([group, results]) => score(group, results));
  rows.push(score('all', [...byGroup.values()].flat()));
  return rows;
}

/** The table as text. */
export function formatTable(rows: readonly BacktestRow[]): string {
  const header = ['series', 'cuts', 'MAPE %', '80% cover %', 'alerts', 'false alarm %', 'miss %', 'wrong 0/100 %'];
  const lines = rows.map((row) => [
    row.series,
    String(row.cuts),
    row.mapePercent.toFixed(1),
    row.coverage80Percent.toFixed(1),
    String(row.alerts),
    row.falseAlarmPercent.toFixed(1),
    row.missPercent.toFixed(1),
    String(row.extremeProbabilities),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const format = (cells: readonly string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  return [format(header), `|${widths.map((width, column) => (column === 0 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`, ...lines.map(format)].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const rows = runBacktest();
  console.log(formatTable(rows));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'backtest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ generatedBy: 'npm run backtest', periods: 'April 2026 (UTC), history March 2026', cutEveryHours: CUT_STEP_HOURS, budgetsOfTruth: BUDGET_FACTORS, rows }, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}
