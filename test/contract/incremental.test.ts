/**
 * Incremental refresh against every provider's fake (real HTTP, undici): for an adapter that
 * declares `incremental`, the report of a month so far joined from a head and a tail (split at a
 * UTC midnight, as the poller splits it) equals the report of one whole-period fetch — totals,
 * buckets and per-resource costs to the micro-unit. An adapter that does not declare it must not
 * pass this check by accident either: the test prints what differs, so the declaration is earned.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinReports, utcMidnightBefore, DEFAULT_REVISION_WINDOW_MS } from '../../main/core/incremental';
import type { TimeRange, UsageReport } from '../../main/core/report';
import { createHttpClient } from '../../main/providers/http';
import { PROVIDERS } from '../../main/providers/registry';
import type { ProviderContext, ProviderEntry, ProviderFake } from '../../main/providers/types';

/** "Now": late on the 20th of a 31-day month. */
const NOW_MS = Date.UTC(2026, 2, 20, 17, 40);
const MONTH: TimeRange = { startMs: Date.UTC(2026, 2, 1), endMs: NOW_MS };

/** The money and shape of a report, in a form `toEqual` compares exactly (floats of activity rounded). */
function comparable(report: UsageReport): unknown {
  return {
    totalMicros: report.totalMicros,
    unit: report.unit,
    range: report.range,
    granularityMs: report.granularityMs,
    buckets: report.buckets,
    dataThroughMs: report.dataThroughMs,
    estimated: report.estimated ?? false,
    resources: report.resources.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      costMicros: r.costMicros,
      dedicated: r.dedicated,
      group: r.group,
      series: r.series,
      // Minutes are rounded to 2 decimals per fetch (Civis), so two halves may differ by 0.01 each:
      // compared apart, within 0.05.
      activity: Object.fromEntries(
        Object.entries(r.activity)
          .filter(([k]) => k !== 'minutes')
          .map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v]),
      ),
    })),
    creditsMicros: report.extras.creditsMicros,
    creditsUsedMicros: report.extras.creditsUsedMicros,
    matchingRecords: report.extras.matchingRecords,
  };
}

for (const entry of PROVIDERS as readonly ProviderEntry[]) {
  if (entry.adapter.incremental === undefined) continue;
  describe(`incremental refresh: ${entry.id}`, () => {
    const apiKey = `${entry.fake.keyPrefix}incr_${randomBytes(12).toString('hex')}`;
    const http = createHttpClient({ timeoutMs: 20_000 });
    let fake: ProviderFake;
    beforeAll(async () => {
      fake = await entry.fake.start({ apiKey, now: () => NOW_MS, lagMs: entry.fake.lagMs });
    });
    afterAll(async () => {
      await http.close();
      await fake?.stop();
    });
    const context = (): ProviderContext<unknown> => ({
      http,
      apiKey,
      settings: entry.adapter.settingsSchema.parse({ baseUrl: fake.baseUrl, ...entry.fake.settings, ...entry.demo.settings }),
      nowMs: NOW_MS,
    });

    it('head + tail joined equals one whole-period fetch, to the micro-unit', async () => {
      const windowMs = entry.adapter.incremental?.revisionWindowMs ?? DEFAULT_REVISION_WINDOW_MS;
      const splitMs = utcMidnightBefore(NOW_MS - windowMs);
      const full = await entry.adapter.fetchUsage(MONTH, context());
      // As the poller does it: parts with the adapter's part settings, joined, then finished.
      const { partSettings, finish } = entry.adapter.incremental ?? {};
      const own = context();
      const parts = partSettings === undefined ? own : { ...own, settings: partSettings(own.settings) };
      const head = await entry.adapter.fetchUsage({ startMs: MONTH.startMs, endMs: splitMs }, parts);
      const tail = await entry.adapter.fetchUsage({ startMs: splitMs, endMs: MONTH.endMs }, parts);
      const joined = finish === undefined ? joinReports(head, tail) : finish(joinReports(head, tail), own.settings);
      expect(full.totalMicros).toBeGreaterThan(0);
      expect(tail.totalMicros).toBeGreaterThan(0);
      expect(comparable(joined)).toEqual(comparable(full));
      for (const resource of full.resources) {
        const minutes = resource.activity.minutes;
        if (minutes !== undefined) expect(joined.resources.find((r) => r.id === resource.id)?.activity.minutes).toBeCloseTo(minutes, 1);
      }
      // The fake's truth is in the provider's own unit (micro-credits for Civis).
      expect(joined.extras.creditsMicros ?? joined.totalMicros).toBe(fake.truthMicros(MONTH));
    });
  });
}
