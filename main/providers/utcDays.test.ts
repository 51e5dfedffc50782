import { describe, expect, it } from 'vitest';
import { utcDaysOfRange } from './utcDays';

const day = (month: number, date: number, hour = 0) => Date.UTC(2026, month - 1, date, hour);
const LATER = day(12, 1);

describe('utcDaysOfRange', () => {
  it('gives a UTC month its own days, exactly', () => {
    expect(utcDaysOfRange({ startMs: day(10, 1), endMs: day(11, 1) }, LATER)).toEqual({ firstDayMs: day(10, 1), lastDayMs: day(10, 31), partial: false });
  });

  it('counts every UTC day in exactly one of two adjacent Berlin months (UTC+2, then UTC+1)', () => {
    // September and October 2026 in Europe/Berlin: Sep 1 00:00 = Aug 31 22:00Z, Oct 1 00:00 = Sep 30 22:00Z, Nov 1 00:00 = Oct 31 23:00Z.
    const september = utcDaysOfRange({ startMs: day(8, 31, 22), endMs: day(9, 30, 22) }, LATER);
    const october = utcDaysOfRange({ startMs: day(9, 30, 22), endMs: day(10, 31, 23) }, LATER);
    expect(september).toEqual({ firstDayMs: day(9, 1), lastDayMs: day(9, 30), partial: true });
    expect(october).toEqual({ firstDayMs: day(10, 1), lastDayMs: day(10, 31), partial: true });
  });

  it('gives New York (UTC−4) October the UTC days Oct 1–31', () => {
    expect(utcDaysOfRange({ startMs: day(10, 1, 4), endMs: day(11, 1, 4) }, LATER)).toEqual({ firstDayMs: day(10, 1), lastDayMs: day(10, 31), partial: true });
  });

  it('includes today while the range is running, and nothing before the first boundary day has passed', () => {
    expect(utcDaysOfRange({ startMs: day(9, 30, 22), endMs: day(10, 5, 3) }, day(10, 5, 3))).toEqual({ firstDayMs: day(10, 1), lastDayMs: day(10, 5), partial: true });
    expect(utcDaysOfRange({ startMs: day(9, 30, 22), endMs: day(9, 30, 23) }, day(9, 30, 23))).toBeNull();
  });
});
