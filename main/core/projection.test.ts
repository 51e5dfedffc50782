import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { bucketsBetween, bucketsFrom } from './engine/fixtures';
import type { CostSeries } from './engine/series';
import { completeCutoffMs } from './engine/series';
import { combineProjections, dayOfWeekProfile, PROJECTION_TUNING, projectPeriod, RANGE_Z, rateVariability, type Projection, type ProjectionInput } from './projection';
import { DAY_MS, HOUR_MS as H } from './report';

const APRIL = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 4, 1) }; // 720 h
const MAY = { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 5, 1) }; // 744 h
const JUNE = { startMs: Date.UTC(2026, 5, 1), endMs: Date.UTC(2026, 6, 1) }; // 720 h, June 1 is a Monday

/** An hourly input whose data runs through `throughMs` (the last bucket is partial when it is not on the hour). */
function hourlyInput(period: { startMs: number; endMs: number }, throughMs: number, costAt: (startMs: number, index: number) => number, historyStartMs = period.startMs): ProjectionInput {
  const whole = bucketsBetween(historyStartMs, Math.floor(throughMs / H) * H, costAt);
  const partialMs = throughMs % H;
  const buckets = partialMs === 0 ? whole : [...whole, { startMs: throughMs - partialMs, durationMs: H, costMicros: Math.floor((costAt(throughMs - partialMs, whole.length) * partialMs) / H) }];
  const spentMicros = buckets.filter((bucket) => bucket.startMs >= period.startMs).reduce((sum, bucket) => sum + bucket.costMicros, 0);
  const series: CostSeries = { buckets, granularityMs: H, coverageStartMs: historyStartMs, dataThroughMs: throughMs };
  return { period, nowMs: throughMs, timeZone: 'UTC', spentMicros, series };
}

const weekdayShape = (startMs: number): number => {
  const day = new Date(startMs).getUTCDay();
  return day === 0 || day === 6 ? 500_000 : 2_000_000;
};

describe('projectPeriod', () => {
  it('projects a constant series exactly, with a range that does not collapse on a multi-day horizon', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 240.5 * H, () => 1_000_000);
    expect(input.spentMicros).toBe(240_500_000);
    const projection = projectPeriod(input);
    expect(projection).toMatchObject({ projectedMicros: 720_000_000, method: 'run-rate' });
    expect(projection.confidence).toBeGreaterThan(0.5);
    expect(projection.confidence).toBeLessThan(PROJECTION_TUNING.maxConfidence);
    // 479.5 h left: the level may still drift, 10 % per √day, integrated over the horizon.
    const drift = (PROJECTION_TUNING.driftPerRootDay * 479.5 * 1_000_000 * Math.sqrt(479.5)) / Math.sqrt(72);
    expect(projection.highMicros).toBe(Math.round(720_000_000 + RANGE_Z * drift));
    expect(projection.lowMicros).toBe(Math.round(720_000_000 - RANGE_Z * drift));
    expect((projection.highMicros - projection.lowMicros) / projection.projectedMicros).toBeGreaterThan(0.1);
  });

  it('gives a day budget full confidence from a day of steady data (a week is not needed for a day)', () => {
    const day = { startMs: Date.UTC(2026, 3, 10), endMs: Date.UTC(2026, 3, 11) };
    // Yesterday and this morning at $1/h: 34 complete hours of history for a 24-hour period.
    const input = hourlyInput(day, day.startMs + 10 * H, () => 1_000_000, day.startMs - DAY_MS);
    const projection = projectPeriod(input);
    expect(projection.projectedMicros).toBe(24_000_000);
    expect(projection.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('projects a ramp from its recent rate, with a range that admits the change', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 240 * H, (_, i) => 1_000_000 + 10_000 * i);
    const projection = projectPeriod(input);
    // Spent: Σ (1 000 000 + 10 000·i), i < 240. 480 h remain, so the pace window is its 72 h maximum:
    // complete hours 167–238, 12 trimmed at each end, mean of hours 179–226 = 3 025 000/h.
    expect(input.spentMicros).toBe(526_800_000);
    expect(projection.projectedMicros).toBe(526_800_000 + 3_025_000 * 480);
    expect(projection.method).toBe('run-rate');
    expect(projection.lowMicros).toBeLessThan(projection.projectedMicros);
    expect(projection.highMicros).toBeGreaterThan(projection.projectedMicros);
    expect(projection.lowMicros).toBeGreaterThanOrEqual(input.spentMicros);
    expect(projection.confidence).toBeLessThan(1);
  });

  it('keeps a past spike in the spend but not in the pace', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 240 * H, (_, i) => (i === 100 ? 50_000_000 : 1_000_000));
    const projection = projectPeriod(input);
    expect(projection.projectedMicros).toBe(289_000_000 + 480 * 1_000_000);
    expect(projection.highMicros).toBeGreaterThan(projection.projectedMicros);
  });

  it('projects nothing more for an idle series', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 240 * H, () => 0);
    expect(projectPeriod(input)).toEqual({ projectedMicros: 0, lowMicros: 0, highMicros: 0, method: 'run-rate', confidence: PROJECTION_TUNING.maxConfidence });
  });

  it('gives the spend so far with zero confidence in the first hour without history', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 20 * 60_000, () => 900_000);
    expect(input.spentMicros).toBe(300_000);
    expect(projectPeriod(input)).toEqual({ projectedMicros: 300_000, lowMicros: 300_000, highMicros: 300_000, method: 'run-rate', confidence: 0 });
  });

  it("uses the previous period's pace on day one instead of an absurd run rate", () => {
    const input = hourlyInput(MAY, MAY.startMs + 5 * H, () => 10_000_000);
    const projection = projectPeriod({ ...input, previous: { totalMicros: 720_000_000, startMs: APRIL.startMs, throughMs: APRIL.endMs } });
    // 50 M spent + 1 M/h (April's pace) × 739 remaining hours; the 10 M/h run rate would say 7 440 M.
    expect(projection.projectedMicros).toBe(789_000_000);
    expect(projection.method).toBe('previous-period');
    // Another period's pace: at most 0.6, less for the width of a 739-hour horizon.
    expect(projection.confidence).toBeGreaterThan(0.3);
    expect(projection.confidence).toBeLessThan(0.6);
  });

  it('switches from the previous pace to the run rate after three days of data', () => {
    const previous = { totalMicros: 720_000_000, startMs: APRIL.startMs, throughMs: APRIL.endMs };
    const before = projectPeriod({ ...hourlyInput(MAY, MAY.startMs + 71 * H, () => 2_000_000), previous });
    const after = projectPeriod({ ...hourlyInput(MAY, MAY.startMs + 72 * H, () => 2_000_000), previous });
    expect(before).toMatchObject({ method: 'previous-period', projectedMicros: 142_000_000 + 673 * 1_000_000 });
    expect(after).toMatchObject({ method: 'run-rate', projectedMicros: 744 * 2_000_000 });
  });

  it('shortens the early phase to a tenth of a day period', () => {
    const day = { startMs: APRIL.startMs, endMs: APRIL.startMs + DAY_MS };
    const previous = { totalMicros: 24_000_000, startMs: day.startMs - DAY_MS, throughMs: day.startMs };
    const history = (startMs: number): number => (startMs < day.startMs ? 1_000_000 : 3_000_000);
    expect(projectPeriod({ ...hourlyInput(day, day.startMs + 2 * H, history, day.startMs - DAY_MS), previous }).method).toBe('previous-period');
    expect(projectPeriod({ ...hourlyInput(day, day.startMs + 3 * H, history, day.startMs - DAY_MS), previous }).method).toBe('run-rate');
  });

  it('blends the run rate with a day-of-week profile once three weeks of history exist', () => {
    const input = hourlyInput(JUNE, JUNE.startMs + 9 * DAY_MS, weekdayShape, MAY.startMs);
    // June 1–9: 7 weekdays at 48 M and 2 weekend days at 12 M. Remaining June 10–30: 15 weekdays, 6 weekend days.
    expect(input.spentMicros).toBe(360_000_000);
    // Pace: the last 72 complete hours (Sat 23:00 – Tue 22:00: 25 weekend and 47 weekday hours),
    // 12 trimmed at each end: 13 × 0.5 M + 35 × 2 M over 48 = 1.59375 M/h over 504 h.
    const runRate = 1_593_750 * 504;
    const profile = 15 * 48_000_000 + 6 * 12_000_000;
    const projection = projectPeriod(input);
    expect(projection).toMatchObject({ projectedMicros: 360_000_000 + (runRate + profile) / 2, method: 'blend' });
    expect(projection.lowMicros).toBeLessThan(projection.projectedMicros);
    expect(projection.highMicros).toBeGreaterThan(projection.projectedMicros);
  });

  it('uses the day-of-week profile alone early in a period that has history', () => {
    const input = hourlyInput(JUNE, JUNE.startMs + DAY_MS, weekdayShape, MAY.startMs);
    const projection = projectPeriod({ ...input, previous: { totalMicros: 1, startMs: MAY.startMs, throughMs: MAY.endMs } });
    // June 1 (Mon) spent 48 M; June 2–30 holds 21 weekdays and 8 weekend days.
    expect(projection).toMatchObject({ method: 'day-of-week', projectedMicros: 48_000_000 + 21 * 48_000_000 + 8 * 12_000_000 });
  });

  it('does not build a profile from less than three weeks', () => {
    const input = hourlyInput(JUNE, JUNE.startMs + 9 * DAY_MS, weekdayShape, JUNE.startMs - 11 * DAY_MS);
    expect(projectPeriod(input).method).toBe('run-rate');
  });

  it('projects daily buckets exactly', () => {
    const now = APRIL.startMs + 10.5 * DAY_MS;
    const buckets = [...bucketsFrom(APRIL.startMs, new Array<number>(10).fill(24_000_000), DAY_MS), { startMs: APRIL.startMs + 10 * DAY_MS, durationMs: DAY_MS, costMicros: 12_000_000 }];
    const projection = projectPeriod({
      period: APRIL,
      nowMs: now,
      timeZone: 'UTC',
      spentMicros: 252_000_000,
      series: { buckets, granularityMs: DAY_MS, coverageStartMs: APRIL.startMs, dataThroughMs: now },
    });
    expect(projection).toMatchObject({ projectedMicros: 720_000_000, method: 'run-rate' });
    expect(projection.confidence).toBeLessThan(PROJECTION_TUNING.maxConfidence);
    expect(projection.lowMicros).toBeLessThan(720_000_000);
    expect(projection.highMicros).toBeGreaterThan(720_000_000);
  });

  it('projects from dataThrough, not from now, when the provider lags', () => {
    const input = hourlyInput(APRIL, APRIL.startMs + 240 * H, () => 1_000_000);
    expect(projectPeriod({ ...input, nowMs: APRIL.startMs + 243 * H }).projectedMicros).toBe(720_000_000);
  });

  it('sets the range from the spread of daily rates as documented', () => {
    const period = { startMs: APRIL.startMs, endMs: APRIL.startMs + 10 * DAY_MS };
    const input = hourlyInput(period, period.startMs + 4 * DAY_MS + H / 2, (startMs) => (Math.floor((startMs - period.startMs) / DAY_MS) % 2 === 0 ? 1_000_000 : 3_000_000));
    const projection = projectPeriod(input);
    const remainingHours = 143.5;
    const sd = Math.sqrt(4 / 3) * 1_000_000; // daily rates 3, 1, 3, 1 M/h
    // Pace: the last 36 complete hours (a quarter of 143.5), 6 trimmed at each end: 6 × 1 M + 18 × 3 M over 24.
    const remaining = 2_500_000 * remainingHours;
    const drift = (PROJECTION_TUNING.driftPerRootDay * remaining * Math.sqrt(remainingHours)) / Math.sqrt(72);
    const spread = RANGE_Z * Math.sqrt(sd ** 2 * (remainingHours * 24 + remainingHours ** 2 / 4) + drift ** 2);
    const projected = 192_500_000 + remaining;
    expect(input.spentMicros).toBe(192_500_000); // 4 whole days + half an hour at 1 M/h
    expect(projection.projectedMicros).toBe(projected);
    expect(projection.highMicros).toBe(Math.round(projected + spread));
    expect(projection.lowMicros).toBe(Math.round(projected - spread));
    expect(projection.confidence).toBeCloseTo(96 / 168 / (1 + spread / projected), 8); // low/high are whole micros
  });
});

describe('dayOfWeekProfile', () => {
  it('uses local weekday-hours across a daylight-saving change', () => {
    const zone = 'America/New_York';
    const start = Date.UTC(2026, 1, 16, 5); // Mon 2026-02-16 00:00 in New York
    const end = Date.UTC(2026, 2, 16, 4); // Mon 2026-03-16 00:00 in New York, after the change on 03-08
    const officeHours = (startMs: number): number => {
      const local = DateTime.fromMillis(startMs, { zone });
      return local.weekday <= 5 && local.hour >= 9 && local.hour < 17 ? 5_000_000 : 0;
    };
    const series: CostSeries = { buckets: bucketsBetween(start, end + H, officeHours), granularityMs: H, coverageStartMs: start, dataThroughMs: end + H };
    const profile = dayOfWeekProfile(series, completeCutoffMs(series, end + H) ?? 0, zone);
    expect(profile?.slice(8, 18)).toEqual([0, 5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000, 0]);
    expect(profile?.slice(5 * 24, 7 * 24).every((value) => value === 0)).toBe(true);
  });

  it.each(['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'UTC'])(
    'matches a per-hour lookup of the local weekday-hour in %s across its offset changes',
    (zone) => {
      // Six weeks over the March/April changes (Lord Howe moves by 30 min, St. John's is at -3:30/-2:30).
      const start = Date.UTC(2026, 1, 26);
      const end = Date.UTC(2026, 3, 9);
      const cost = (startMs: number): number => ((startMs / H) * 7919) % 1000;
      const series: CostSeries = { buckets: bucketsBetween(start, end, cost), granularityMs: H, coverageStartMs: start, dataThroughMs: end };
      const sums = new Array<number>(168).fill(0);
      const hours = new Array<number>(168).fill(0);
      for (let t = start; t < end; t += H) {
        const local = DateTime.fromMillis(t, { zone });
        const slot = (local.weekday - 1) * 24 + local.hour;
        sums[slot]! += cost(t);
        hours[slot]! += 1;
      }
      const profile = dayOfWeekProfile(series, end, zone)!;
      expect(profile.map((v) => Math.round(v * 1000))).toEqual(sums.map((sum, slot) => Math.round((sum / hours[slot]!) * 1000)));
    },
  );

  it('is null with less than three weeks of complete data', () => {
    const series: CostSeries = { buckets: bucketsBetween(0, 20 * DAY_MS, () => 1), granularityMs: H, coverageStartMs: 0, dataThroughMs: 20 * DAY_MS };
    expect(dayOfWeekProfile(series, 20 * DAY_MS, 'UTC')).toBeNull();
  });
});

describe('rateVariability', () => {
  it.each<[string, number, { sd: number; blockHours: number; blocks: number } | null]>([
    ['uses weekly blocks from three weeks of data', 22 * 24, { sd: 0, blockHours: 168, blocks: 3 }],
    ['uses daily blocks from three days', 80, { sd: 0, blockHours: 24, blocks: 3 }],
    ['uses six-hour blocks from eighteen hours', 20, { sd: 0, blockHours: 6, blocks: 3 }],
    ['uses hours from two hours', 2, { sd: 0, blockHours: 1, blocks: 2 }],
    ['gives up with one hour', 1, null],
  ])('%s', (_label, hours, expected) => {
    const series: CostSeries = { buckets: bucketsBetween(0, hours * H, () => 1_000_000), granularityMs: H, coverageStartMs: 0, dataThroughMs: hours * H };
    const result = rateVariability(series, hours * H);
    expect(result && { sd: result.sdMicrosPerHour, blockHours: result.blockHours, blocks: result.blocks }).toEqual(expected);
  });
});

describe('combineProjections', () => {
  const a: Projection = { projectedMicros: 100, lowMicros: 90, highMicros: 110, method: 'run-rate', confidence: 1 };
  const b: Projection = { projectedMicros: 200, lowMicros: 170, highMicros: 240, method: 'run-rate', confidence: 0.5 };

  it('adds projections and widens the range by the root sum of squares', () => {
    const combined = combineProjections([a, b]);
    expect(combined).toMatchObject({ projectedMicros: 300, lowMicros: 300 - 32, highMicros: 300 + 41, method: 'run-rate' });
    expect(combined.confidence).toBeCloseTo(2 / 3, 12);
  });

  it("calls mixed methods a 'blend'", () => {
    expect(combineProjections([a, { ...b, method: 'previous-period' }]).method).toBe('blend');
  });

  it('is zero with zero confidence without parts', () => {
    expect(combineProjections([])).toEqual({ projectedMicros: 0, lowMicros: 0, highMicros: 0, method: 'run-rate', confidence: 0 });
  });
});
