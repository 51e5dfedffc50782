import { describe, expect, it } from 'vitest';
import { pastPeriods, samePointLastPeriod } from './history';
import { currentPeriod } from './periods';
import type { UsageReport } from './report';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 26, 12);
const current = currentPeriod(now, 'UTC', 'month');
const previous = currentPeriod(current.startMs - 1, 'UTC', 'month');

function hourly(startMs: number, hours: number, costPerHour: number, throughMs: number | null = null): UsageReport {
  const buckets = Array.from({ length: hours }, (_, i) => ({ startMs: startMs + i * HOUR, durationMs: HOUR, costMicros: costPerHour }));
  return {
    provider: 'limitry',
    range: { startMs, endMs: startMs + hours * HOUR },
    unit: 'usd',
    totalMicros: hours * costPerHour,
    granularityMs: HOUR,
    buckets,
    resources: [],
    dataThroughMs: throughMs ?? startMs + hours * HOUR,
    extras: {},
    notes: [],
  };
}

describe('pastPeriods', () => {
  it('sums connections per past period, newest first, against the budget, and skips other kinds, zones, cycles and the current period', () => {
    const rows = [
      { connectionId: 'a', periodKey: 'month:2026-10-01@UTC', totalMicros: 5_000_000 },
      { connectionId: 'b', periodKey: 'month:2026-10-01@UTC', totalMicros: 7_000_000 },
      { connectionId: 'a', periodKey: 'month:2026-09-01@UTC', totalMicros: 1_000_000 },
      { connectionId: 'a', periodKey: current.key, totalMicros: 9_000_000 },
      { connectionId: 'a', periodKey: 'week:2026-10-05@UTC', totalMicros: 3_000_000 },
      { connectionId: 'a', periodKey: 'month:2026-10-01@Europe/Berlin', totalMicros: 3_000_000 },
      { connectionId: 'a', periodKey: 'month:2026-10-15@UTC', totalMicros: 3_000_000 },
    ];
    const out = pastPeriods({ totals: rows, current, timeZone: 'UTC', period: 'month', budgetMicros: 10_000_000, limit: 12 });
    expect(out.map((p) => [p.key, p.spentMicros, p.connections])).toEqual([
      ['month:2026-10-01@UTC', 12_000_000, 2],
      ['month:2026-09-01@UTC', 1_000_000, 1],
    ]);
    expect(out[0]).toMatchObject({ startMs: Date.UTC(2026, 9, 1), endMs: Date.UTC(2026, 10, 1), budgetMicros: 10_000_000 });
    expect(pastPeriods({ totals: rows, current, timeZone: 'UTC', period: 'month', budgetMicros: null, limit: 1 })).toHaveLength(1);
  });

  it('finds local-time periods of a zone with an offset', () => {
    const zone = 'Asia/Kolkata';
    const cur = currentPeriod(now, zone, 'week');
    const prev = currentPeriod(cur.startMs - 1, zone, 'week');
    const out = pastPeriods({ totals: [{ connectionId: 'a', periodKey: prev.key, totalMicros: 2 }], current: cur, timeZone: zone, period: 'week', budgetMicros: null, limit: 12 });
    expect(out).toEqual([{ key: prev.key, startMs: prev.startMs, endMs: prev.endMs, spentMicros: 2, connections: 1, budgetMicros: null }]);
  });
});

describe('samePointLastPeriod', () => {
  it('compares the spend so far with the previous period over the same elapsed time', () => {
    const elapsedHours = (now - current.startMs) / HOUR;
    const cur = hourly(current.startMs, elapsedHours, 1_120_000);
    const prev = hourly(previous.startMs, (previous.endMs - previous.startMs) / HOUR, 1_000_000);
    const result = samePointLastPeriod({ current, previous, nowMs: now, connections: [{ current: cur, previous: prev }] });
    expect(result).toEqual({ currentMicros: elapsedHours * 1_120_000, previousMicros: elapsedHours * 1_000_000, changePercent: 12, elapsedMs: now - current.startMs });
  });

  it('stops at the earliest data-through and counts a cut bucket pro rata', () => {
    const through = current.startMs + 10.5 * HOUR;
    const cur = hourly(current.startMs, 11, 2_000_000, through);
    const prev = hourly(previous.startMs, 48, 1_000_000);
    const result = samePointLastPeriod({ current, previous, nowMs: now, connections: [{ current: cur, previous: prev }] });
    expect(result).toMatchObject({ currentMicros: 21_000_000, previousMicros: 10_500_000, changePercent: 100, elapsedMs: 10.5 * HOUR });
  });

  it('is null without a previous report, and says null change when the previous spend was 0', () => {
    const cur = hourly(current.startMs, 5, 1);
    expect(samePointLastPeriod({ current, previous, nowMs: now, connections: [{ current: cur, previous: null }] })).toBeNull();
    const zero = hourly(previous.startMs, 5, 0);
    expect(samePointLastPeriod({ current, previous, nowMs: now, connections: [{ current: cur, previous: zero }] })?.changePercent).toBeNull();
  });
});
