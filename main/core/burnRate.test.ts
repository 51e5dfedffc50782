import { describe, expect, it } from 'vitest';
import { burnRate, burnRateOfReport, trimmedMean, workspaceBurnRate, type BurnRateInput } from './burnRate';
import { bucketsFrom, usdReport } from './engine/fixtures';
import { DAY_MS, HOUR_MS as H } from './report';

const T0 = Date.UTC(2026, 3, 1);
const hourly = (costs: number[], fields: Partial<BurnRateInput> = {}): BurnRateInput => ({
  buckets: bucketsFrom(T0, costs),
  granularityMs: H,
  coverageStartMs: T0,
  dataThroughMs: T0 + costs.length * H,
  nowMs: T0 + costs.length * H,
  ...fields,
});
const constant = (value: number, hours: number): number[] => new Array<number>(hours).fill(value);

describe('burnRate', () => {
  it.each<[string, BurnRateInput, number]>([
    ['equals the true rate of a constant series', hourly(constant(1_500_000, 12)), 1_500_000],
    ['ignores the partial current bucket', hourly([...constant(1_500_000, 11), 400_000], { dataThroughMs: T0 + 11.4 * H, nowMs: T0 + 11.4 * H }), 1_500_000],
    [
      'ignores the partial latest bucket of a provider lagging three hours',
      hourly([...constant(2_000_000, 9), 300_000], { dataThroughMs: T0 + 10 * H, nowMs: T0 + 13 * H }),
      2_000_000,
    ],
    ['drops a single spike hour', hourly([...constant(2_000_000, 8), 100_000_000, 2_000_000, 2_000_000, 2_000_000]), 2_000_000],
    ['follows a ramp from the middle of its window', hourly(Array.from({ length: 12 }, (_, i) => (i + 1) * 100_000)), 850_000],
    ['is zero on an idle series of explicit zero buckets', hourly(constant(0, 12)), 0],
    [
      'counts omitted buckets inside the window as zero',
      { ...hourly([]), buckets: bucketsFrom(T0, constant(1_200_000, 12)).filter((_, i) => i !== 6 && i !== 9), dataThroughMs: T0 + 12 * H, nowMs: T0 + 12 * H },
      900_000,
    ],
    [
      'divides daily buckets by 24',
      { buckets: bucketsFrom(T0, constant(24_000_000, 10), DAY_MS), granularityMs: DAY_MS, coverageStartMs: T0, dataThroughMs: T0 + 10 * DAY_MS, nowMs: T0 + 10 * DAY_MS + 2 * H },
      1_000_000,
    ],
    [
      'keeps the fraction of a daily bucket that is not a multiple of 24',
      { buckets: bucketsFrom(T0, constant(1_000_000, 10), DAY_MS), granularityMs: DAY_MS, coverageStartMs: T0, dataThroughMs: T0 + 10 * DAY_MS, nowMs: T0 + 10 * DAY_MS },
      1_000_000 / 24,
    ],
    [
      'reads quarter-hour buckets per hour',
      { buckets: bucketsFrom(T0, constant(250_000, 40), 15 * 60_000), granularityMs: 15 * 60_000, coverageStartMs: T0, dataThroughMs: T0 + 10 * H, nowMs: T0 + 10 * H },
      1_000_000,
    ],
  ])('%s', (_label, input, expected) => {
    expect(burnRate(input).microsPerHour).toBe(expected);
  });

  it.each<[string, BurnRateInput, number]>([
    ['the partial current bucket', hourly([...constant(1_500_000, 11), 400_000], { dataThroughMs: T0 + 11.4 * H, nowMs: T0 + 11.4 * H }), T0 + 11 * H],
    ['the latest bucket of a lagging provider', hourly([...constant(2_000_000, 9), 300_000], { dataThroughMs: T0 + 10 * H, nowMs: T0 + 13 * H }), T0 + 9 * H],
    ['the hours after a lagging provider’s data', hourly(constant(2_000_000, 10), { dataThroughMs: T0 + 10 * H, nowMs: T0 + 20 * H }), T0 + 9 * H],
  ])('ends its window before %s', (_label, input, windowEndMs) => {
    expect(burnRate(input).windowEndMs).toBe(windowEndMs);
  });

  it('is not pulled down by a partial bucket even with a short window', () => {
    const input = hourly([...constant(1_500_000, 5), 400_000], { dataThroughMs: T0 + 5.4 * H, nowMs: T0 + 5.4 * H, windowSlots: 2 });
    expect(burnRate(input)).toMatchObject({ microsPerHour: 1_500_000, method: 'mean' });
  });

  it('reports the window and the sample it used', () => {
    expect(burnRate(hourly(constant(1_500_000, 12)))).toEqual({
      microsPerHour: 1_500_000,
      method: 'trimmed-mean',
      sampleHours: 6,
      windowStartMs: T0 + 5 * H,
      windowEndMs: T0 + 11 * H,
    });
  });

  it('uses a week of complete days for daily buckets', () => {
    const rate = burnRate({ buckets: bucketsFrom(T0, constant(24_000_000, 10), DAY_MS), granularityMs: DAY_MS, coverageStartMs: T0, dataThroughMs: T0 + 10 * DAY_MS, nowMs: T0 + 10 * DAY_MS });
    expect([rate.sampleHours, rate.windowStartMs, rate.windowEndMs]).toEqual([168, T0 + 2 * DAY_MS, T0 + 9 * DAY_MS]);
  });

  it('falls back to a plain mean with fewer than three complete hours', () => {
    const rate = burnRate(hourly([3_000_000, 5_000_000, 1_000_000], { dataThroughMs: T0 + 2.5 * H, nowMs: T0 + 2.5 * H }));
    expect(rate).toMatchObject({ microsPerHour: 4_000_000, method: 'mean', sampleHours: 2 });
  });

  it.each<[string, BurnRateInput]>([
    ['without data', { ...hourly([]), dataThroughMs: null }],
    ['in the first hour of a period', hourly([700_000], { dataThroughMs: T0 + 0.7 * H, nowMs: T0 + 0.7 * H })],
  ])("returns 0 with method 'no-data' %s", (_label, input) => {
    expect(burnRate(input)).toMatchObject({ microsPerHour: 0, method: 'no-data', sampleHours: 0 });
  });

  it("reads the previous period's hours at the start of a new one", () => {
    const previous = usdReport({ range: { startMs: T0 - 24 * H, endMs: T0 }, buckets: bucketsFrom(T0 - 24 * H, constant(3_000_000, 24)) });
    const current = usdReport({ range: { startMs: T0, endMs: T0 + 30 * DAY_MS }, buckets: bucketsFrom(T0, [1_000_000]), dataThroughMs: T0 + H / 3 });
    expect(burnRateOfReport(current, T0 + H / 3).method).toBe('no-data');
    expect(burnRateOfReport(current, T0 + H / 3, previous).microsPerHour).toBe(3_000_000);
  });
});

describe('trimmedMean', () => {
  it.each([
    [[1, 2, 3, 100], 1, 2.5],
    [[4, 4, 4], 0, 4],
    [[5], 1, 0],
  ])('of %j trimming %i is %d', (values, trim, expected) => {
    expect(trimmedMean(values, trim)).toBe(expected);
  });
});

describe('workspaceBurnRate', () => {
  const range = { startMs: T0, endMs: T0 + 30 * DAY_MS };
  const now = T0 + 12 * H;
  const a = usdReport({ range, buckets: bucketsFrom(T0, constant(1_000_000, 12)) });
  const b = usdReport({ range, buckets: bucketsFrom(T0, constant(2_500_000, 12)) });
  const credits = { ...usdReport({ range, buckets: bucketsFrom(T0, constant(7_000_000, 12)) }), unit: 'credits' as const };

  it('sums the rates of USD reports and leaves credits out', () => {
    const rate = workspaceBurnRate([a, b, credits], now);
    expect(rate.microsPerHour).toBe(3_500_000);
    expect(rate.method).toBe('trimmed-mean');
    expect(rate.parts.map((part) => part?.microsPerHour ?? null)).toEqual([1_000_000, 2_500_000, null]);
  });

  it("is 'no-data' when no report has complete data", () => {
    const empty = usdReport({ range, buckets: [] });
    expect(workspaceBurnRate([empty, credits], now)).toMatchObject({ microsPerHour: 0, method: 'no-data' });
  });
});
