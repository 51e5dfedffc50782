/**
 * The engine keeps per-resource series packed in memory (main/core/compactSeries.ts): this month's
 * report, the stored head of the incremental refresh and the previous period. What a reader gets
 * from them must be what a whole-period fetch reports and what the spend database stored, bucket
 * for bucket. TensorOne fake (hourly series per resource type), fake clock, real HTTP and database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isPacked, MIN_PACKED_BUCKETS } from '../core/compactSeries';
import type { ResourceUsage } from '../core/report';
import { startTensorOneFake } from '../providers/tensorone/tensorone.fake';
import { config, HOUR_MS, tensorOneResource, World } from '../../test/replay/world';

const START_MS = Date.UTC(2026, 2, 10, 10, 0);
const KEY = 'tpo_packed_series_key_0123456789';

let world: World;
afterEach(async () => {
  await world?.close();
});

/** Each resource's series as plain arrays, by id (reading a packed series unpacks it). */
function seriesById(resources: readonly ResourceUsage[]): Record<string, unknown> {
  return Object.fromEntries(resources.map((r) => [r.id, r.series === undefined ? null : [...r.series]]));
}

describe('packed per-resource series in a running engine', () => {
  it('equal a whole-period fetch and the database copy, through tail refreshes', async () => {
    world = new World({ startMs: START_MS });
    const tensorone = world.track(
      await startTensorOneFake({
        apiKey: KEY,
        now: world.time.now,
        scenario: { seed: 3, resources: [tensorOneResource('cluster-1', 'clusters', 10, { requestsPerHour: 40 }), tensorOneResource('svc-1', 'ai-services', 2)] },
      }),
    );
    const cfg = config({ workspaces: [{ id: 'lab', timeZone: 'UTC', connections: [{ id: 'tensorone', provider: 'tensorone', apiKey: KEY, baseUrl: tensorone.baseUrl }] }] });
    const runtime = world.runtime(cfg);
    await runtime.start();
    // Tail refreshes join fresh tails to the packed head.
    await world.runFor(3 * HOUR_MS);
    await runtime.refreshNow();
    const report = runtime.periodReports()[0]!.report!;
    const long = report.resources.filter((r) => (r.series?.length ?? 0) >= MIN_PACKED_BUCKETS);
    expect(long.length).toBeGreaterThanOrEqual(2);
    expect(long.every(isPacked)).toBe(true);

    // A whole-period fetch at the same instant, without the incremental join.
    const whole = world.runtime(cfg, { incremental: false, store: undefined, notifier: undefined });
    await whole.refreshAll();
    const wholeReport = whole.periodReports()[0]!.report!;
    expect(wholeReport.range).toEqual(report.range);
    expect(seriesById(report.resources)).toStrictEqual(seriesById(wholeReport.resources));

    // What the database stored, read back by a new engine (its series are read from the database on first use).
    await runtime.stop();
    const reopened = world.runtime(cfg, { notifier: undefined });
    const stored = reopened.periodReports()[0]!.report!;
    expect(stored.resources.some(isPacked)).toBe(false);
    expect(seriesById(stored.resources)).toStrictEqual(seriesById(report.resources));
  });
});
