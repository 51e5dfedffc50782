import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, clampCycleStartDay, currentPeriod, periodFraction, previousPeriod } from './periods';
import type { BudgetPeriod } from './workspace';

const H = 3_600_000;
const utc = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h, min);

type Row = [label: string, nowMs: number, zone: string, period: BudgetPeriod, cycle: number | undefined, startMs: number, endMs: number, key: string];

describe('currentPeriod', () => {
  it.each<Row>([
    ['a UTC month on Jan 31', utc(2026, 1, 31, 23, 59), 'UTC', 'month', undefined, utc(2026, 1, 1), utc(2026, 2, 1), 'month:2026-01-01@UTC'],
    ['a UTC month from Feb 1 (28 days in 2026)', utc(2026, 2, 1), 'UTC', 'month', undefined, utc(2026, 2, 1), utc(2026, 3, 1), 'month:2026-02-01@UTC'],
    ['the leap February of 2028 (29 days)', utc(2028, 2, 29, 12), 'UTC', 'month', 1, utc(2028, 2, 1), utc(2028, 3, 1), 'month:2028-02-01@UTC'],
    ['a cycle starting on the 15th, seen on Jan 31', utc(2026, 1, 31, 12), 'UTC', 'month', 15, utc(2026, 1, 15), utc(2026, 2, 15), 'month:2026-01-15@UTC'],
    ['a cycle starting on the 15th, seen on Feb 14', utc(2026, 2, 14, 23), 'UTC', 'month', 15, utc(2026, 1, 15), utc(2026, 2, 15), 'month:2026-01-15@UTC'],
    ['a cycle starting on the 15th, seen on Feb 15', utc(2026, 2, 15), 'UTC', 'month', 15, utc(2026, 2, 15), utc(2026, 3, 15), 'month:2026-02-15@UTC'],
    ['a cycle on the 28th, seen on Feb 27', utc(2026, 2, 27, 12), 'UTC', 'month', 28, utc(2026, 1, 28), utc(2026, 2, 28), 'month:2026-01-28@UTC'],
    ['a cycle on the 28th, seen on Feb 28', utc(2026, 2, 28, 1), 'UTC', 'month', 28, utc(2026, 2, 28), utc(2026, 3, 28), 'month:2026-02-28@UTC'],
    ['a cycle on the 28th, seen on Mar 1', utc(2026, 3, 1), 'UTC', 'month', 28, utc(2026, 2, 28), utc(2026, 3, 28), 'month:2026-02-28@UTC'],
    ['a cycle on the 28th over leap day 2028', utc(2028, 2, 29, 12), 'UTC', 'month', 28, utc(2028, 2, 28), utc(2028, 3, 28), 'month:2028-02-28@UTC'],
    ['a cycle on the "31st", clamped to the 28th', utc(2026, 1, 30), 'UTC', 'month', 31, utc(2026, 1, 28), utc(2026, 2, 28), 'month:2026-01-28@UTC'],
    ['New York March, spanning the spring change (743 h)', utc(2026, 3, 20), 'America/New_York', 'month', undefined, utc(2026, 3, 1, 5), utc(2026, 4, 1, 4), 'month:2026-03-01@America/New_York'],
    ['New York November, spanning the fall change (721 h)', utc(2026, 11, 20), 'America/New_York', 'month', undefined, utc(2026, 11, 1, 4), utc(2026, 12, 1, 5), 'month:2026-11-01@America/New_York'],
    ['Berlin March, spanning the spring change', utc(2026, 3, 31, 12), 'Europe/Berlin', 'month', undefined, utc(2026, 2, 28, 23), utc(2026, 3, 31, 22), 'month:2026-03-01@Europe/Berlin'],
    ['Berlin: local Mar 31 late evening is still March', utc(2026, 3, 31, 21, 59), 'Europe/Berlin', 'month', undefined, utc(2026, 2, 28, 23), utc(2026, 3, 31, 22), 'month:2026-03-01@Europe/Berlin'],
    ['New York 2026-03-08, a 23-hour day', utc(2026, 3, 8, 17), 'America/New_York', 'day', undefined, utc(2026, 3, 8, 5), utc(2026, 3, 9, 4), 'day:2026-03-08@America/New_York'],
    ['New York 2026-11-01, a 25-hour day', utc(2026, 11, 1, 17), 'America/New_York', 'day', undefined, utc(2026, 11, 1, 4), utc(2026, 11, 2, 5), 'day:2026-11-01@America/New_York'],
    ['Berlin 2026-03-29, a 23-hour day', utc(2026, 3, 29, 12), 'Europe/Berlin', 'day', undefined, utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), 'day:2026-03-29@Europe/Berlin'],
    ['Berlin 2026-10-25, a 25-hour day', utc(2026, 10, 25, 12), 'Europe/Berlin', 'day', undefined, utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), 'day:2026-10-25@Europe/Berlin'],
    ['Santiago 2026-09-06, whose midnight does not exist', utc(2026, 9, 6, 15), 'America/Santiago', 'day', undefined, utc(2026, 9, 6, 4), utc(2026, 9, 7, 3), 'day:2026-09-06@America/Santiago'],
    ['a Monday week (default), seen on a Sunday', utc(2026, 3, 8, 12), 'UTC', 'week', undefined, utc(2026, 3, 2), utc(2026, 3, 9), 'week:2026-03-02@UTC'],
    ['a Sunday week, seen on that Sunday', utc(2026, 3, 8, 12), 'UTC', 'week', 7, utc(2026, 3, 8), utc(2026, 3, 15), 'week:2026-03-08@UTC'],
    ['a New York week holding the spring change (167 h)', utc(2026, 3, 5), 'America/New_York', 'week', 1, utc(2026, 3, 2, 5), utc(2026, 3, 9, 4), 'week:2026-03-02@America/New_York'],
    ['a zone name in odd case, keyed canonically', utc(2026, 5, 5), 'europe/berlin', 'day', undefined, utc(2026, 5, 4, 22), utc(2026, 5, 5, 22), 'day:2026-05-05@Europe/Berlin'],
  ])('computes %s', (_label, nowMs, zone, period, cycle, startMs, endMs, key) => {
    expect(currentPeriod(nowMs, zone, period, cycle)).toEqual({ startMs, endMs, key });
  });

  it('gives day periods of 23 and 25 hours on daylight-saving changes', () => {
    const length = (nowMs: number, zone: string): number => {
      const p = currentPeriod(nowMs, zone, 'day');
      return (p.endMs - p.startMs) / H;
    };
    expect(length(utc(2026, 3, 8, 17), 'America/New_York')).toBe(23);
    expect(length(utc(2026, 11, 1, 17), 'America/New_York')).toBe(25);
    expect(length(utc(2026, 3, 29, 12), 'Europe/Berlin')).toBe(23);
    expect(length(utc(2026, 10, 25, 12), 'Europe/Berlin')).toBe(25);
    expect(length(utc(2026, 3, 10, 17), 'America/New_York')).toBe(24);
  });

  it('puts the first and last instants of a period in that period', () => {
    const march = currentPeriod(utc(2026, 3, 10), 'America/New_York', 'month');
    expect(currentPeriod(march.startMs, 'America/New_York', 'month')).toEqual(march);
    expect(currentPeriod(march.endMs - 1, 'America/New_York', 'month')).toEqual(march);
    expect(currentPeriod(march.endMs, 'America/New_York', 'month').key).toBe('month:2026-04-01@America/New_York');
  });

  it('refuses an unknown time zone with a readable error', () => {
    expect(() => currentPeriod(utc(2026, 1, 1), 'Mars/Olympus_Mons', 'month')).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => canonicalTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('previousPeriod', () => {
  it.each<Row>([
    ['February before March 1', utc(2026, 3, 1, 12), 'UTC', 'month', undefined, utc(2026, 2, 1), utc(2026, 3, 1), 'month:2026-02-01@UTC'],
    ['December before January', utc(2026, 1, 1), 'UTC', 'month', undefined, utc(2025, 12, 1), utc(2026, 1, 1), 'month:2025-12-01@UTC'],
    ['the 23-hour day before a New York Monday', utc(2026, 3, 9, 12), 'America/New_York', 'day', undefined, utc(2026, 3, 8, 5), utc(2026, 3, 9, 4), 'day:2026-03-08@America/New_York'],
    ['the 28th-cycle before the leap-year one', utc(2028, 3, 1), 'UTC', 'month', 28, utc(2028, 1, 28), utc(2028, 2, 28), 'month:2028-01-28@UTC'],
    ['the week before, Sunday cycle', utc(2026, 3, 8, 12), 'UTC', 'week', 7, utc(2026, 3, 1), utc(2026, 3, 8), 'week:2026-03-01@UTC'],
  ])('returns %s', (_label, nowMs, zone, period, cycle, startMs, endMs, key) => {
    expect(previousPeriod(nowMs, zone, period, cycle)).toEqual({ startMs, endMs, key });
  });

  it('ends exactly where the current period starts', () => {
    const now = utc(2026, 11, 1, 17);
    expect(previousPeriod(now, 'America/New_York', 'day').endMs).toBe(currentPeriod(now, 'America/New_York', 'day').startMs);
  });
});

describe('periodFraction', () => {
  it.each([
    [0, 0],
    [6 * H, 0.25],
    [24 * H, 1],
    [-5 * H, 0],
    [30 * H, 1],
  ])('at %i ms into a 24-hour period is %d', (nowMs, fraction) => {
    expect(periodFraction({ startMs: 0, endMs: 24 * H }, nowMs)).toBe(fraction);
  });

  it('measures elapsed real hours on a 25-hour day', () => {
    const day = currentPeriod(utc(2026, 11, 1, 17), 'America/New_York', 'day');
    expect(periodFraction(day, day.startMs + 5 * H)).toBe(0.2);
  });
});

describe('clampCycleStartDay', () => {
  it.each<[BudgetPeriod, number | undefined, number]>([
    ['month', undefined, 1],
    ['month', 0, 1],
    ['month', 15.7, 15],
    ['month', 29, 28],
    ['month', Number.NaN, 1],
    ['week', 9, 7],
    ['week', 3, 3],
    ['day', 20, 1],
  ])('clamps a %s cycle day of %s to %i', (period, day, expected) => {
    expect(clampCycleStartDay(period, day)).toBe(expected);
  });
});
