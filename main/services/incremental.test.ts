/**
 * Incremental refresh through the Runtime, against the Limitry fake on a fake clock (real HTTP):
 * after one whole-period fetch only the open tail is asked for; a revised hour inside the 48 h
 * window is corrected at the next refresh; the whole period is refetched once a day and when the
 * provider revised an hour older than the window; and the total always equals the fake's truth
 * (what a whole-period refetch reports), to the micro-unit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../core/report';
import type { ScenarioResource } from '../providers/fake/scenario';
import { startLimitryFake, type LimitryFake } from '../providers/limitry/limitry.fake';
import { config, HOUR_MS, limitryModel, MINUTE_MS, World } from '../../test/replay/world';
import type { Runtime } from './runtime';

/**
 * Longer than any interval between two refreshes of this connection: Limitry takes two or three
 * requests a refresh, so the request budget spaces its refreshes 11–17 minutes apart.
 */
const NEXT_REFRESH_MS = 20 * MINUTE_MS;

/** Mid-month, 10:00 UTC: the month so far is 9 days and 10 hours. */
const START_MS = Date.UTC(2026, 2, 10, 10, 0);
const MONTH_START_MS = Date.UTC(2026, 2, 1);
const KEY = 'lmtry_sk_incremental_0123456789';

let world: World;
afterEach(async () => {
  await world?.close();
});

/** Hourly costs the test revises after the fact: hour start → micro-USD of the one model. */
const revised = new Map<number, number>();

async function setUp(options: { incremental?: boolean } = {}): Promise<{ fake: LimitryFake; runtime: Runtime }> {
  revised.clear();
  world = new World({ startMs: START_MS });
  const fake = world.track(
    await startLimitryFake({
      apiKey: KEY,
      now: world.time.now,
      scenario: {
        seed: 5,
        resources: [limitryModel('gpt-4o', 10)],
        override: (_resource: ScenarioResource, hourStartMs: number) => {
          const costMicros = revised.get(hourStartMs);
          return costMicros === undefined ? undefined : { costMicros };
        },
      },
    }),
  );
  const cfg = config({
    workspaces: [{ id: 'lab', timeZone: 'UTC', connections: [{ id: 'limitry', provider: 'limitry', apiKey: KEY, baseUrl: fake.baseUrl }] }],
  });
  const runtime = world.runtime(cfg, options.incremental === undefined ? {} : { incremental: options.incremental });
  return { fake, runtime };
}

/** The `startDate` of every timeseries request of this month (not the previous month's history), in order. */
function timeseriesStarts(fake: LimitryFake): number[] {
  return fake.server.requests
    .filter((r) => r.path.endsWith('/usage/timeseries'))
    .map((r) => Date.parse(r.query.get('startDate') ?? ''))
    .filter((ms) => ms >= MONTH_START_MS);
}

function spentMicros(runtime: Runtime): number {
  return Math.round(runtime.status().workspaces[0]!.connections[0]!.spentUsd! * 1e6);
}

/** The fake's truth for the month up to the last refresh (the range the runtime's report covers). */
function monthSoFar(fake: LimitryFake, runtime: Runtime): number {
  return fake.truthMicros({ startMs: MONTH_START_MS, endMs: runtime.periodReports()[0]!.report!.range.endMs });
}

describe('incremental refresh', () => {
  it('fetches the whole month once, then only the tail from a UTC midnight at least 48 h back, with exact totals', async () => {
    const { fake, runtime } = await setUp();
    await runtime.start();
    // The first refresh: the head [Mar 1, Mar 8) and the tail [Mar 8, now).
    const tailStartMs = Date.UTC(2026, 2, 8);
    expect(timeseriesStarts(fake)).toEqual([MONTH_START_MS, tailStartMs]);
    expect(spentMicros(runtime)).toBe(monthSoFar(fake, runtime));
    await world.runFor(2 * HOUR_MS);
    const starts = timeseriesStarts(fake);
    expect(starts.length).toBeGreaterThanOrEqual(2 + 6);
    expect(starts.slice(2).every((ms) => ms === tailStartMs)).toBe(true);
    // The per-model breakdown is secondary: at most hourly for the tail (and once for the head).
    const breakdowns = fake.server.requests.filter((r) => r.path.endsWith('/usage/breakdown') && Date.parse(r.query.get('startDate') ?? '') === tailStartMs);
    expect(breakdowns.length).toBeLessThanOrEqual(3);
    expect(spentMicros(runtime)).toBe(monthSoFar(fake, runtime));
  });

  it('corrects an hour the provider revised inside the 48 h window at the next refresh', async () => {
    const { fake, runtime } = await setUp();
    await runtime.start();
    const before = spentMicros(runtime);
    // Yesterday 15:00 UTC (19 hours ago) is revised up by $7.
    const hourMs = Date.UTC(2026, 2, 9, 15);
    const original = fake.truthMicros({ startMs: hourMs, endMs: hourMs + HOUR_MS });
    revised.set(hourMs, original + 7_000_000);
    await world.runFor(NEXT_REFRESH_MS);
    const bucket = runtime.periodReports()[0]!.report!.buckets.find((b) => b.startMs === hourMs);
    expect(bucket?.costMicros).toBe(original + 7_000_000);
    expect(spentMicros(runtime)).toBe(monthSoFar(fake, runtime));
    expect(spentMicros(runtime) - before).toBeGreaterThanOrEqual(7_000_000);
    // Still a tail fetch: no whole-period request for a revision inside the window.
    expect(timeseriesStarts(fake).filter((ms) => ms === MONTH_START_MS)).toHaveLength(1);
  });

  it('refetches the whole month when an hour older than the window was revised', async () => {
    const { fake, runtime } = await setUp();
    await runtime.start();
    await world.runFor(NEXT_REFRESH_MS);
    // Mar 8, 01:00 UTC: inside the tail (which starts Mar 8) but 57 hours old, past the 48 h window.
    const hourMs = Date.UTC(2026, 2, 8, 1);
    revised.set(hourMs, 99_000_000);
    await world.runFor(NEXT_REFRESH_MS);
    expect(timeseriesStarts(fake).filter((ms) => ms === MONTH_START_MS)).toHaveLength(2);
    expect(spentMicros(runtime)).toBe(monthSoFar(fake, runtime));
  });

  it('refetches the whole month once a day, moving the tail start forward', async () => {
    const { fake, runtime } = await setUp();
    await runtime.start();
    await world.runFor(DAY_MS + 10 * MINUTE_MS);
    const starts = timeseriesStarts(fake);
    expect(starts.filter((ms) => ms === MONTH_START_MS)).toHaveLength(2);
    expect(starts.at(-1)).toBe(Date.UTC(2026, 2, 9));
    // Within the request budget: at most 300 requests in the day, whole-period fetches included.
    const dayRequests = fake.server.requests.filter((r) => r.atMs > START_MS && r.atMs <= START_MS + DAY_MS);
    expect(dayRequests.length).toBeLessThanOrEqual(300);
    expect(spentMicros(runtime)).toBe(monthSoFar(fake, runtime));
  });

  it('reports what a whole-period refetch reports, bucket by bucket, while revisions come in', async () => {
    const incremental = await setUp();
    await incremental.runtime.start();
    for (let step = 0; step < 6; step += 1) {
      revised.set(Date.UTC(2026, 2, 9, step * 3), 1_000_000 * (step + 1));
      await world.runFor(NEXT_REFRESH_MS);
    }
    const joined = incremental.runtime.periodReports()[0]!.report!;
    const revisions = new Map(revised);
    await world.close();
    const naive = await setUp({ incremental: false });
    for (const [hourMs, micros] of revisions) revised.set(hourMs, micros);
    world.time.set(joined.range.endMs);
    await naive.runtime.start();
    const full = naive.runtime.periodReports()[0]!.report!;
    expect(joined.buckets).toEqual(full.buckets);
    expect(joined.totalMicros).toBe(full.totalMicros);
    // The same models; their costs in the tail may lag by up to an hour (the breakdown is secondary).
    expect(joined.resources.map((r) => r.id).filter((id) => !id.startsWith('('))).toEqual(full.resources.map((r) => r.id));
    // The naive engine asked for the whole month; the incremental one for it only at the start.
    expect(timeseriesStarts(naive.fake)).toEqual([MONTH_START_MS]);
  });
});
