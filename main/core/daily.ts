/**
 * Daily spend of a period per provider, for the period chart: each USD report's cost buckets
 * summed into the local days (workspace time zone) of the period. Pure.
 */
import { DateTime } from 'luxon';
import { zoneFor } from './zones';
import type { PeriodWindow } from './periods';
import type { UsageReport } from './report';

/** One local day of the period. Money in integer micro-USD. */
export interface DailySpend {
  /** Local midnight the day starts at (epoch ms). */
  readonly startMs: number;
  /** Cost per provider that day. */
  readonly byProvider: Readonly<Partial<Record<string, number>>>;
  /** Sum over providers. */
  readonly totalMicros: number;
}

/**
 * The period's days, oldest first, from the first day through the day of `nowMs` (days ahead
 * are left out). A bucket counts for the local day its start falls in; buckets outside the
 * period are ignored. Credits-only reports are not money and are left out.
 * @example dailySpend([{ provider: 'baseten', report }], period, 'UTC', now)[0].totalMicros //=> 1_000_000
 */
export function dailySpend(
  reports: readonly { readonly provider: string; readonly report: UsageReport | null }[],
  period: PeriodWindow,
  timeZone: string,
  nowMs: number,
): DailySpend[] {
  const lastMs = Math.min(period.endMs, Math.max(nowMs, period.startMs + 1));
  const days = dayStarts(period.startMs, period.endMs, timeZone)
    .filter((startMs) => startMs < lastMs)
    .map((startMs) => ({ startMs, byProvider: {} as Partial<Record<string, number>>, totalMicros: 0 }));
  const indexOf = (ms: number): number => {
    for (let i = days.length - 1; i >= 0; i -= 1) if (ms >= days[i]!.startMs) return i;
    return -1;
  };
  const sums = new Array<number>(days.length);
  for (const { provider, report } of reports) {
    if (!report || report.unit !== 'usd') continue;
    sums.fill(0);
    const touched = new Array<boolean>(days.length).fill(false);
    // Buckets come in time order: the day moves forward with them (a search only when one does not).
    let index = -1;
    for (const bucket of report.buckets) {
      if (bucket.startMs < period.startMs || bucket.startMs >= period.endMs || bucket.costMicros === 0) continue;
      const startMs = bucket.startMs;
      if (index >= 0 && startMs >= days[index]!.startMs) {
        while (index + 1 < days.length && startMs >= days[index + 1]!.startMs) index += 1;
      } else {
        index = indexOf(startMs);
      }
      if (index < 0) continue;
      sums[index] = sums[index]! + bucket.costMicros;
      touched[index] = true;
    }
    for (let i = 0; i < days.length; i += 1) {
      if (!touched[i]) continue;
      const target = days[i]!;
      target.byProvider[provider] = (target.byProvider[provider] ?? 0) + sums[i]!;
      target.totalMicros += sums[i]!;
    }
  }
  return days;
}

/** {@link dayStarts} by period and zone: the same for every summary of a period. */
const dayStartsCache = new Map<string, readonly number[]>();

/** The local midnights (at most 400) of the days from the one holding `startMs` up to `endMs` (exclusive). */
function dayStarts(startMs: number, endMs: number, timeZone: string): readonly number[] {
  const key = `${startMs}|${endMs}|${timeZone}`;
  const cached = dayStartsCache.get(key);
  if (cached !== undefined) return cached;
  const starts: number[] = [];
  let day = DateTime.fromMillis(startMs, { zone: zoneFor(timeZone) }).startOf('day');
  while (day.toMillis() < endMs && starts.length < 400) {
    starts.push(day.toMillis());
    day = day.plus({ days: 1 });
  }
  if (dayStartsCache.size >= 64) dayStartsCache.clear();
  dayStartsCache.set(key, starts);
  return starts;
}
