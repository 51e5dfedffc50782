import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS_PERCENT,
  isValidTimeZone,
  normalizeThresholdsPercent,
  workspacePeriodSpec,
  workspaceProblems,
  type Workspace,
} from './workspace';

const base: Workspace = {
  id: 'ws-1',
  name: 'Production',
  timeZone: 'Europe/Berlin',
  currency: 'USD',
  budget: { amountMicros: 2_000_000_000, period: 'month', cycleStartDay: 15, thresholdsPercent: [50, 75, 90, 100] },
  period: 'month',
  forecastAlerts: false,
  connectionIds: ['c1'],
};

describe('isValidTimeZone', () => {
  it.each([
    ['UTC', true],
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['UTC+3', false],
  ])('says %j is valid: %s', (name, valid) => {
    expect(isValidTimeZone(name)).toBe(valid);
  });

  it("answers as luxon's Intl check does for every zone the runtime lists, aliases and near misses", () => {
    const names = [...Intl.supportedValuesOf('timeZone'), 'US/Eastern', 'Asia/Kolkata', 'Etc/GMT+5', 'Etc/UTC', 'GMT', 'utc', 'europe/berlin', 'Europe/Berlin ', 'Nowhere/City'];
    expect(names.filter((name) => isValidTimeZone(name) !== IANAZone.isValidZone(name))).toEqual([]);
  });
});

describe('normalizeThresholdsPercent', () => {
  it.each([
    [[100, 50, 50, 0, 1200], [50, 100]],
    [[90, 10.5, -3, 1000, 1], [1, 90, 1000]],
    [[], [50, 75, 90, 100]],
    [[0, Number.NaN], [50, 75, 90, 100]],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeThresholdsPercent(input)).toEqual(expected);
  });

  it('defaults to 50, 75, 90 and 100 percent', () => {
    expect(DEFAULT_THRESHOLDS_PERCENT).toEqual([50, 75, 90, 100]);
  });
});

describe('workspacePeriodSpec', () => {
  it('takes the budget period and cycle day when there is a budget', () => {
    expect(workspacePeriodSpec({ ...base, cycleStartDay: 3 })).toEqual({ period: 'month', cycleStartDay: 15 });
  });

  it("falls back to the workspace's cycle day when the budget has none", () => {
    const budget = { amountMicros: 1, period: 'week' as const, thresholdsPercent: [100] };
    expect(workspacePeriodSpec({ ...base, period: 'week', cycleStartDay: 7, budget })).toEqual({ period: 'week', cycleStartDay: 7 });
  });

  it('uses the workspace period without a budget', () => {
    expect(workspacePeriodSpec({ ...base, budget: null, period: 'day' })).toEqual({ period: 'day', cycleStartDay: undefined });
  });
});

describe('workspaceProblems', () => {
  it('finds nothing wrong with a valid workspace', () => {
    expect(workspaceProblems(base)).toEqual([]);
  });

  it.each<[string, Workspace, RegExp]>([
    ['an unknown time zone', { ...base, timeZone: 'Mars/Olympus_Mons' }, /Time zone "Mars\/Olympus_Mons" is not a known IANA time zone/],
    ['a zero budget', { ...base, budget: { ...base.budget!, amountMicros: 0 } }, /more than zero/],
    ['a month cycle day of 31', { ...base, budget: { ...base.budget!, cycleStartDay: 31 } }, /1 to 28 \(got 31\)/],
    ['a week cycle day of 8', { ...base, period: 'week', budget: { ...base.budget!, period: 'week', cycleStartDay: 8 } }, /1 \(Monday\) to 7 \(Sunday\)/],
    ['unsorted thresholds', { ...base, budget: { ...base.budget!, thresholdsPercent: [90, 50] } }, /sorted and without repeats/],
    ['a budget period that differs', { ...base, period: 'week' }, /differs from the workspace period/],
    ['an empty name', { ...base, name: '  ' }, /name is empty/],
  ])('reports %s', (_label, workspace, message) => {
    expect(workspaceProblems(workspace).join('\n')).toMatch(message);
  });
});
