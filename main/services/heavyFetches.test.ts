/**
 * Whole-period fetches one at a time (main/services/fetchGate.ts): with a limit of 1 (`watch`), the
 * schedule's first round reads the month so far and the previous month of every connection one
 * after the other, so their parsed answers are never in memory together; a round with a deadline
 * (`status`) reads them all at once, and so does a runtime without a limit (serve, the app). Once saved, the previous period's per-resource series stay in
 * the spend database. Against the Limitry fake (real HTTP) on a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClient } from '../providers/http';
import type { ResourceUsage } from '../core/report';
import { startBasetenFake } from '../providers/baseten/baseten.fake';
import { startLimitryFake } from '../providers/limitry/limitry.fake';
import { basetenDeployment, config, limitryModel, World } from '../../test/replay/world';
import { seriesInMemory } from './spendDbLazy';
import type { ConnectionState } from './workspaceState';

const START_MS = Date.UTC(2026, 2, 20, 10, 0);
const MONTH_START_MS = Date.UTC(2026, 2, 1);
const KEY = 'lmtry_sk_heavy_fetches_0123456789';

let world: World;
afterEach(async () => {
  await world?.close();
});

/** An HTTP client over `inner` that counts whole-period fetches (their hourly request, from a month's start) in flight at once. */
function countingHeavy(inner: HttpClient): { http: HttpClient; readonly most: number; readonly total: number } {
  const counts = { most: 0, total: 0, now: 0 };
  const http: HttpClient = {
    getJson: async (options) => {
      const url = new URL(options.url);
      const start = Date.parse(url.searchParams.get('startDate') ?? '');
      // One fetch asks three endpoints at once: its hourly series stands for it.
      const heavy = url.pathname.endsWith('/usage/timeseries') && (start === MONTH_START_MS || start === Date.UTC(2026, 1, 1));
      if (!heavy) return inner.getJson(options);
      counts.total += 1;
      counts.now += 1;
      counts.most = Math.max(counts.most, counts.now);
      try {
        return await inner.getJson(options);
      } finally {
        counts.now -= 1;
      }
    },
    close: () => inner.close(),
  };
  return {
    http,
    get most() {
      return counts.most;
    },
    get total() {
      return counts.total;
    },
  };
}

async function setUp(limit: { heavyFetchesAtOnce?: number } = { heavyFetchesAtOnce: 1 }): Promise<{ counter: ReturnType<typeof countingHeavy>; runtime: ReturnType<World['runtime']> }> {
  world = new World({ startMs: START_MS });
  const fake = world.track(await startLimitryFake({ apiKey: KEY, now: world.time.now, scenario: { seed: 3, resources: [limitryModel('gpt-4o', 10), limitryModel('llama', 4)] } }));
  const connections = ['a', 'b', 'c', 'd'].map((id) => ({ id, provider: 'limitry', apiKey: KEY, baseUrl: fake.baseUrl }));
  const cfg = config({ workspaces: [{ id: 'one', timeZone: 'UTC', connections: connections.slice(0, 2) }, { id: 'two', timeZone: 'UTC', connections: connections.slice(2) }] });
  const counter = countingHeavy(world.http);
  return { counter, runtime: world.runtime(cfg, { http: counter.http, ...limit }) };
}

describe('whole-period fetches', () => {
  it('run one at a time in the schedule’s first round with a limit of 1 (watch), this month and the previous one of every connection', async () => {
    const { counter, runtime } = await setUp();
    await runtime.start();
    await runtime.whenIdle();
    // Four connections: this month's head and last month, each at least once.
    expect(counter.total).toBeGreaterThanOrEqual(8);
    expect(counter.most).toBe(1);
    expect(runtime.status().workspaces.every((w) => w.connections.every((c) => c.status === 'ok'))).toBe(true);
  });

  it('run all at once without a limit (serve, the app)', async () => {
    const { counter, runtime } = await setUp({});
    await runtime.start();
    await runtime.whenIdle();
    expect(counter.total).toBeGreaterThanOrEqual(8);
    expect(counter.most).toBeGreaterThan(1);
  });

  it('run all at once in a round with a deadline (status), even with a limit', async () => {
    const { counter, runtime } = await setUp();
    await runtime.refreshAll({ signal: new AbortController().signal });
    expect(counter.total).toBeGreaterThanOrEqual(8);
    expect(counter.most).toBeGreaterThan(1);
  });
});

describe('the previous period in memory', () => {
  it('keeps its totals but leaves its per-resource series in the spend database once saved', async () => {
    world = new World({ startMs: START_MS });
    const key = 'bt_previous_series_0123456789';
    const fake = world.track(await startBasetenFake({ apiKey: key, now: world.time.now, scenario: { seed: 4, resources: [basetenDeployment('dep1', 'llama', 3, 100), basetenDeployment('dep2', 'whisper', 1, 40)] } }));
    const runtime = world.runtime(config({ workspaces: [{ id: 'one', timeZone: 'UTC', connections: [{ id: 'bt', provider: 'baseten', apiKey: key, baseUrl: fake.baseUrl }] }] }));
    const fetched: ResourceUsage[] = [];
    const states = (runtime as unknown as { states: ConnectionState[] }).states;
    await runtime.start();
    await runtime.whenIdle();
    const previous = states[0]!.previous!;
    expect(previous.periodKey).toMatch(/^month:2026-02/);
    expect(previous.report.buckets.length).toBeGreaterThan(0);
    const resources = previous.report.resources;
    expect(resources.length).toBe(2);
    expect(resources.some(seriesInMemory)).toBe(false);
    // Still there when asked for, from the database: every day of February at least.
    for (const resource of resources) fetched.push(resource);
    expect(fetched.every((r) => (r.series?.length ?? 0) >= 28)).toBe(true);
  });
});
