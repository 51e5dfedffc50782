/**
 * Civis's conversion of a joined credits report to dollars (creditsReportInUnit, the incremental
 * refresh's `finish`) on packed per-resource series (main/core/compactSeries.ts): the same report,
 * bucket for bucket, as the conversion of the same report with plain arrays, and the series stay
 * packed (a steady-state refresh does not unpack the month).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactReport, isPacked, MIN_PACKED_BUCKETS } from '../../core/compactSeries';
import { HOUR_MS, type ResourceBucket, type ResourceUsage, type UsageReport } from '../../core/report';
import { creditsReportInUnit } from './civis.report';
import type { CivisSettings } from './civis.settings';

const START = Date.UTC(2026, 2, 1);

const resourceArb = (id: string) =>
  fc.record({ hours: fc.array(fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: undefined }), { minLength: 60, maxLength: 60 }), withRequests: fc.boolean() }).map(({ hours, withRequests }): ResourceUsage => {
    const series = hours.flatMap((credits, i): ResourceBucket[] =>
      credits === undefined ? [] : [{ startMs: START + i * HOUR_MS, durationMs: HOUR_MS, costMicros: credits, ...(withRequests ? { requests: i % 3 } : {}) }],
    );
    const costMicros = series.reduce((sum, b) => sum + b.costMicros, 0);
    return { id, name: id, kind: 'model', costMicros, activity: { requests: 1 }, dedicated: false, series };
  });

describe('creditsReportInUnit with packed series', () => {
  it('converts exactly as with plain arrays, and keeps the series packed', () => {
    fc.assert(
      fc.property(fc.tuple(resourceArb('m-1'), resourceArb('m-2'), resourceArb('m-3')), fc.constantFrom(0.001, 0.0125, 1.5, 3), (resources, usdPerCredit) => {
        const buckets = Array.from({ length: 60 }, (_, i) => ({
          startMs: START + i * HOUR_MS,
          durationMs: HOUR_MS,
          costMicros: resources.reduce((sum, r) => sum + (r.series!.find((b) => b.startMs === START + i * HOUR_MS)?.costMicros ?? 0), 0),
        }));
        const totalMicros = buckets.reduce((sum, b) => sum + b.costMicros, 0);
        const report: UsageReport = {
          provider: 'civis',
          range: { startMs: START, endMs: START + 60 * HOUR_MS },
          unit: 'credits',
          totalMicros,
          granularityMs: HOUR_MS,
          buckets,
          resources,
          dataThroughMs: START + 60 * HOUR_MS,
          extras: { creditsMicros: totalMicros },
          notes: ['Civis reports usage in credits.'],
        };
        const settings = { orgId: 7, usdPerCredit } as CivisSettings;
        const plain = creditsReportInUnit(report, settings);
        const packed = creditsReportInUnit(compactReport(report), settings);
        expect(packed).toStrictEqual(plain);
        for (const resource of packed.resources) expect(isPacked(resource)).toBe((resource.series?.length ?? 0) >= MIN_PACKED_BUCKETS);
      }),
    );
  });
});
