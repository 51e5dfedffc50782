/**
 * Daily spend of a period per provider, for the period chart: each USD report's cost buckets
 * summed into the local days (workspace time zone) of the period. Pure.
 */
import { DateTime } from 'luxon';
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
  const days: { startMs: number; byProvider: Partial<Record<string, number>>; totalMicros: number }[] = [];
  let day = DateTime.fromMillis(period.startMs, { zone: timeZone }).startOf('day');
  const lastMs = Math.min(period.endMs, Math.max(nowMs, period.startMs + 1));
  while (day.toMillis() < lastMs && days.length < 400) {
    days.push({ startMs: day.toMillis(), byProvider: {}, totalMicros: 0 });
    day = day.plus({ days: 1 });
  }
  const indexOf = (ms: number): number => {
    for (let i = days.length - 1; i >= 0; i -= 1) if (ms >= days[i]!.startMs) return i;
    return -1;
  };
  for (const { provider, report } of reports) {
    if (!report || report.unit !== 'usd') continue;
    for (const bucket of report.buckets) {
      if (bucket.startMs < period.startMs || bucket.startMs >= period.endMs || bucket.costMicros === 0) continue;
      const index = indexOf(bucket.startMs);
      const target = days[index];
      if (!target) continue;
      target.byProvider[provider] = (target.byProvider[provider] ?? 0) + bucket.costMicros;
      target.totalMicros += bucket.costMicros;
    }
  }
  return days;
}
