/**
 * The Runtime's polling, staleness and snapshot behaviour, with a fake clock that is also its
 * timer source, the real HTTP client against loopback fakes on that clock, and a real store.
 */
import { KEPT_DOCUMENT_INTERVAL_MS } from './keptDocument';
import { openSpendStore } from './spendStore';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BurnrateConfig } from './config';
import type { ActivityState } from './ports';
import { startLimitryFake, type LimitryFake } from '../providers/limitry/limitry.fake';
import { startTensorOneFake, type TensorOneFake } from '../providers/tensorone/tensorone.fake';
import type { FakeServer } from '../providers/fake/harness';
import { config, limitryModel, MINUTE_MS, HOUR_MS, tensorOneResource, World } from '../../test/replay/world';
import { hasFailures } from '../../test/replay/support';
import { REQUEST_BUDGET_PER_DAY, REQUESTS_PER_DAY } from '../core/refreshPolicy';

const DAY_MS = 24 * 60 * 60_000;

const START_MS = Date.UTC(2026, 2, 10, 10, 0);
const KEY = 'tpo_test_runtime_key_0123456789';

let world: World;
afterEach(async () => {
  await world?.close();
});

async function tensorOneWorld(options: { baseSeconds?: number; budgetUsd?: number; thresholds?: number[] } = {}): Promise<{ fake: TensorOneFake; config: BurnrateConfig }> {
  world = new World({ startMs: START_MS });
  const fake = world.track(
    await startTensorOneFake({ apiKey: KEY, now: world.time.now, scenario: { seed: 1, resources: [tensorOneResource('cluster-1', 'clusters', 10)] } }),
  );
  return {
    fake,
    config: config({
      refreshIntervalSeconds: options.baseSeconds ?? 300,
      workspaces: [
        {
          id: 'lab',
          timeZone: 'UTC',
          ...(options.budgetUsd ? { budget: { amountUsd: options.budgetUsd, thresholdsPercent: options.thresholds ?? [90] } } : {}),
          connections: [{ id: 'tensorone', provider: 'tensorone', apiKey: KEY, baseUrl: fake.baseUrl }],
        },
      ],
    }),
  };
}

async function limitryWorld(options: { baseSeconds?: number; budgetUsd?: number } = {}): Promise<{ fake: LimitryFake; config: BurnrateConfig }> {
  world = new World({ startMs: START_MS });
  const fake = world.track(await startLimitryFake({ apiKey: 'lmtry_sk_runtime', now: world.time.now, scenario: { seed: 3, resources: [limitryModel('gpt-4o', 10)] } }));
  return {
    fake,
    config: config({
      refreshIntervalSeconds: options.baseSeconds ?? 300,
      workspaces: [
        {
          id: 'lab',
          timeZone: 'UTC',
          ...(options.budgetUsd ? { budget: { amountUsd: options.budgetUsd, thresholdsPercent: [90] } } : {}),
          connections: [{ id: 'limitry', provider: 'limitry', apiKey: 'lmtry_sk_runtime', baseUrl: fake.baseUrl }],
        },
      ],
    }),
  };
}

/** Instants (epoch ms) at which the fake answered the usage endpoint, once per refresh. */
function refreshTimes(server: FakeServer, pathEnd: string): number[] {
  return [...new Set(server.requests.filter((r) => r.path.endsWith(pathEnd)).map((r) => r.atMs))];
}

/** Awaits `work`, jumping the fake clock to each timer it sets (retry waits inside a round). */
async function driveTimers(work: Promise<void>): Promise<void> {
  let done = false;
  const finished = work.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = world.time.nextDueMs();
    if (next !== undefined) {
      world.time.set(next);
      world.time.fireDue();
    }
  }
  await finished;
}

function gapsInMinutes(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => (t - (times[i] as number)) / MINUTE_MS);
}

describe('Runtime scheduling', () => {
  const cases: ReadonlyArray<{
    name: string;
    provider: 'tensorone' | 'limitry';
    baseSeconds?: number;
    activity?: Partial<ActivityState>;
    /** Budget that puts the workspace within 10 % below its 90 % threshold at the start ($10/h since Mar 1). */
    near?: boolean;
    expectedMinutes: number;
  }> = [
    { name: 'uses the default interval of 5 minutes', provider: 'tensorone', expectedMinutes: 5 },
    { name: 'uses the configured interval', provider: 'tensorone', baseSeconds: 900, expectedMinutes: 15 },
    { name: "never polls faster than the adapter's minRefreshMs", provider: 'tensorone', baseSeconds: 60, expectedMinutes: 5 },
    { name: 'polls every minute while the popover is open', provider: 'limitry', activity: { popoverOpen: true }, expectedMinutes: 1 },
    { name: 'keeps the adapter floor even with the popover open', provider: 'tensorone', activity: { popoverOpen: true }, expectedMinutes: 5 },
    { name: 'polls every minute when the workspace is near a threshold', provider: 'limitry', near: true, expectedMinutes: 1 },
    { name: 'polls every 30 minutes on battery', provider: 'limitry', activity: { onBattery: true }, expectedMinutes: 30 },
    { name: 'polls every 30 minutes while the system is idle or locked', provider: 'limitry', activity: { systemIdle: true }, expectedMinutes: 30 },
    { name: 'prefers fast near a threshold over slow on battery', provider: 'limitry', near: true, activity: { onBattery: true }, expectedMinutes: 1 },
  ];

  it.each(cases)('$name', async ({ provider, baseSeconds, activity, near, expectedMinutes }) => {
    // $10/h since Mar 1 00:00: $2,260 spent at START_MS; a $2,600 budget puts it at 87 % (near 90 %).
    const budget = near ? { budgetUsd: 2_600 } : {};
    const { fake, config: cfg } =
      provider === 'limitry' ? await limitryWorld({ ...(baseSeconds ? { baseSeconds } : {}), ...budget }) : await tensorOneWorld({ ...(baseSeconds ? { baseSeconds } : {}), ...budget });
    const runtime = world.runtime(cfg);
    if (activity) runtime.setActivity(activity);
    await runtime.start();
    expect(world.time.pendingDelays()).toEqual([expectedMinutes * MINUTE_MS]);
    await world.runFor(3 * expectedMinutes * MINUTE_MS);
    const path = provider === 'limitry' ? '/usage/summary' : '/v2/billing/usage';
    expect(gapsInMinutes(refreshTimes(fake.server, path))).toEqual([expectedMinutes, expectedMinutes, expectedMinutes]);
  });

  it('polls fast near a threshold also without a notifier or a listener (the headless dashboard)', async () => {
    const { config: cfg } = await limitryWorld({ budgetUsd: 2_600 });
    const runtime = world.runtime(cfg, { notifier: undefined });
    await runtime.start();
    expect(world.time.pendingDelays()).toEqual([MINUTE_MS]);
  });

  it('spaces a connection of several requests a refresh to its share of 300 requests a day (not in the fast modes)', async () => {
    // Limitry: summary, breakdown and timeseries (3 requests); the breakdown is then reused for an hour (2).
    const { fake, config: cfg } = await limitryWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    expect(world.time.pendingDelays()).toEqual([Math.ceil((3 * DAY_MS) / REQUESTS_PER_DAY)]);
    await world.runFor(DAY_MS);
    const day = fake.server.requests.filter((r) => r.atMs > START_MS);
    expect(day.length).toBeLessThanOrEqual(REQUEST_BUDGET_PER_DAY);
    expect(day.length).toBeGreaterThan(200);
  });

  it('brings the next refresh forward when the popover opens, and slows down only from the next refresh', async () => {
    const { fake, config: cfg } = await limitryWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    // Three requests a refresh: the request budget's spacing, not 5 minutes.
    expect(world.time.pendingDelays()).toEqual([Math.ceil((3 * DAY_MS) / REQUESTS_PER_DAY)]);
    runtime.setActivity({ popoverOpen: true });
    expect(world.time.pendingDelays()).toEqual([MINUTE_MS]);
    await world.runFor(MINUTE_MS);
    runtime.setActivity({ popoverOpen: false, onBattery: true });
    // The 1-minute timer set while the popover was open stays; the refresh after it is slow.
    expect(world.time.pendingDelays()).toEqual([MINUTE_MS]);
    await world.runFor(32 * MINUTE_MS);
    expect(gapsInMinutes(refreshTimes(fake.server, '/usage/summary'))).toEqual([1, 1, 30]);
  });

  it('honours Retry-After: no refresh, scheduled or manual, before the provider allows it', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    fake.server.inject({ type: 'status', status: 429, headers: { 'retry-after': '1200' }, body: { error: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } });
    await world.runFor(5 * MINUTE_MS);
    expect(runtime.status().workspaces[0]?.connections[0]?.error?.kind).toBe('rate_limited');
    // Backoff alone would wait 7.5 minutes; the provider asked for 20.
    expect(world.time.pendingDelays()).toEqual([20 * MINUTE_MS]);
    const before = fake.server.requests.length;
    await runtime.refreshNow();
    expect(fake.server.requests.length).toBe(before);
    await world.runFor(20 * MINUTE_MS);
    expect(gapsInMinutes(refreshTimes(fake.server, '/v2/billing/usage'))).toEqual([5, 20]);
    expect(hasFailures(runtime)).toBe(false);
  });

  it.each<[string, (nowMs: number) => Record<string, string>]>([
    ['a Retry-After of 2,147,484 s', () => ({ 'retry-after': '2147484' })],
    ['a Retry-After of 10^12 s', () => ({ 'retry-after': '1000000000000' })],
    ['an HTTP-date Retry-After 30 days ahead', (nowMs) => ({ 'retry-after': new Date(nowMs + 30 * 24 * HOUR_MS).toUTCString(), date: new Date(nowMs).toUTCString() })],
  ])('waits at most 24 h on %s and shows "rate-limited until" instead of arming an overflowing timer', async (_name, headers) => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    fake.server.inject({ type: 'status', status: 429, headers: headers(world.time.now() + 5 * MINUTE_MS) }, { times: Number.POSITIVE_INFINITY, path: '/v2/billing/usage' });
    await world.runFor(5 * MINUTE_MS);
    expect(world.time.pendingDelays()).toEqual([24 * 60 * MINUTE_MS]);
    const error = runtime.status().workspaces[0]!.connections[0]!.error;
    expect(error?.kind).toBe('rate_limited');
    expect(error?.message).toMatch(/rate-limited until \d{4}-\d\d-\d\dT.*Z, next try at 2026-03-11T10:05:00\.000Z/);
    await world.runFor(3 * 24 * HOUR_MS);
    expect(gapsInMinutes(refreshTimes(fake.server, '/v2/billing/usage'))).toEqual([5, 1440, 1440, 1440]);
  });

  it('backs off exponentially with jitter while a provider keeps failing, and returns to the interval after a success', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    fake.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(73 * MINUTE_MS);
    // random = 0.5: failures 1..4 give ceilings of 10, 20, 30, 30 min and delays of ¾ of them.
    expect(gapsInMinutes(refreshTimes(fake.server, '/v2/billing/usage'))).toEqual([5, 7.5, 15, 22.5, 22.5]);
    fake.server.clearFaults();
    await world.runFor(33 * MINUTE_MS);
    expect(gapsInMinutes(refreshTimes(fake.server, '/v2/billing/usage'))).toEqual([5, 7.5, 15, 22.5, 22.5, 22.5, 5, 5]);
  });

  it('retries transient failures within one round (CLI status) with backoff on the runtime timers', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    fake.server.inject({ type: 'status', status: 503 }, { times: 2 });
    await driveTimers(runtime.refreshAll({ attempts: 3 }));
    // random = 0.5: 500 ms × 1.5, then 1 s × 1.5.
    expect(gapsInMinutes(refreshTimes(fake.server, '/v2/billing/usage')).map((m) => m * MINUTE_MS)).toEqual([750, 1_500]);
    expect(hasFailures(runtime)).toBe(false);
  });

  it('gives up within a round on a Retry-After longer than the caller will wait', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    fake.server.inject({ type: 'status', status: 429, headers: { 'retry-after': '60' } }, { times: 3 });
    await driveTimers(runtime.refreshAll({ attempts: 3, maxRetryAfterMs: 10_000 }));
    expect(fake.server.requests).toHaveLength(1);
    expect(runtime.status().workspaces[0]!.connections[0]!.error?.kind).toBe('rate_limited');
  });

  it('keeps the last good report and marks it stale when a refresh fails (never zero)', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    const good = runtime.status().workspaces[0]!;
    expect(good.spentUsd).toBe(fake.truthMicros({ startMs: Date.UTC(2026, 2, 1), endMs: START_MS }) / 1e6);
    fake.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(5 * MINUTE_MS);
    const status = runtime.status().workspaces[0]!;
    expect(status.spentUsd).toBe(good.spentUsd);
    expect(status.connections[0]).toMatchObject({ status: 'error', stale: true, spentUsd: good.spentUsd, error: { kind: 'server' } });
    expect(hasFailures(runtime)).toBe(true);
  });

  it('runs one refresh per connection at a time: refreshNow, refreshAll and due timers coalesce with it', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    await runtime.start();
    const before = fake.server.requests.length;
    fake.server.inject({ type: 'slow', delayMs: 300 });
    const first = runtime.refreshNow();
    expect(runtime.snapshot().refreshing).toBe(true);
    world.time.set(START_MS + 5 * MINUTE_MS);
    expect(world.time.fireDue()).toBe(0);
    await Promise.all([first, runtime.refreshNow(), runtime.refreshAll(), runtime.refreshNow()]);
    expect(fake.server.requests.length - before).toBe(1);
    expect(runtime.snapshot().refreshing).toBe(false);
    expect(world.time.size).toBe(1);
  });

  it('shows the last-known spend from the snapshot store at start, before any refresh (cache first, then revalidate)', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const first = world.runtime(cfg);
    await first.start();
    await world.runFor(HOUR_MS);
    const known = first.status().workspaces[0]!.spentUsd;
    await world.stopCurrent();
    world.time.set(world.time.now() + 8 * HOUR_MS);

    const requests = fake.server.requests.length;
    const second = world.runtime(cfg);
    const cached = second.snapshot();
    expect(cached.fromCache).toBe(true);
    expect(cached.status.workspaces[0]!.spentUsd).toBe(known);
    expect(cached.status.workspaces[0]!.connections[0]).toMatchObject({ status: 'ok', stale: true, spentUsd: known });
    expect(fake.server.requests.length).toBe(requests);

    await second.start();
    const fresh = second.snapshot();
    expect(fresh.fromCache).toBe(false);
    expect(fresh.status.workspaces[0]!.spentUsd).toBeGreaterThan(known);
    expect(fresh.status.workspaces[0]!.connections[0]!.stale).toBeUndefined();
  });

  it('start({ maxAgeMs }) serves fresh stored data without asking, then refreshes it on its schedule (serve)', async () => {
    const { fake, config: cfg } = await tensorOneWorld();
    const first = world.runtime(cfg);
    await first.start();
    const known = first.status().workspaces[0]!.spentUsd;
    await world.stopCurrent();
    world.time.set(world.time.now() + MINUTE_MS);

    const requests = fake.server.requests.length;
    const second = world.runtime(cfg);
    await second.start({ maxAgeMs: cfg.refreshIntervalMs });
    // Fresh from the store: current data (not stale), and no request at start.
    expect(second.status().workspaces[0]!.connections[0]).toMatchObject({ status: 'ok', spentUsd: known });
    expect(second.status().workspaces[0]!.connections[0]!.stale).toBeUndefined();
    expect(fake.server.requests.length).toBe(requests);
    // Its refresh is scheduled from the stored fetch time: it comes within an interval.
    await world.runFor(cfg.refreshIntervalMs);
    expect(fake.server.requests.length).toBeGreaterThan(requests);
  });

  it('keeps the latest status document made (for serve\'s next start) at each save, never making one just for it', async () => {
    const { config: cfg } = await tensorOneWorld();
    const runtime = world.runtime(cfg);
    // The document as another process reads it from the same database.
    const store = openSpendStore({ db: world.db!, namespace: world.namespace, config: cfg, logger: world.logger });
    await runtime.start();
    // Refreshed and saved, but nobody asked for a document: none is kept.
    expect(store.storedStatus()).toBeNull();
    const made = runtime.status();
    await world.runFor(cfg.refreshIntervalMs);
    // As JSON keeps it (JSON has no -0).
    const asJson = (document: unknown): unknown => JSON.parse(JSON.stringify(document));
    expect(store.storedStatus()).toEqual(asJson(made));
    // A later document waits for a save KEPT_DOCUMENT_INTERVAL_MS after the last one, or for stop().
    world.time.set(world.time.now() + MINUTE_MS);
    const later = runtime.status();
    expect(later.generatedAt).not.toBe(made.generatedAt);
    await world.runFor(cfg.refreshIntervalMs);
    expect(store.storedStatus()).toEqual(asJson(made));
    await world.runFor(KEPT_DOCUMENT_INTERVAL_MS);
    expect(store.storedStatus()).toEqual(asJson(later));
    const last = runtime.status();
    await world.stopCurrent();
    expect(store.storedStatus()).toEqual(asJson(last));
  });

  it('does not show cached numbers of a connection whose settings changed', async () => {
    const { config: cfg } = await tensorOneWorld();
    await world.runtime(cfg).start();
    await world.stopCurrent();
    const raw = cfg.workspaces[0]!.connections[0]!;
    const edited: BurnrateConfig = {
      ...cfg,
      workspaces: [{ ...cfg.workspaces[0]!, connections: [{ ...raw, fingerprint: JSON.stringify(['tensorone', { other: true }]) }] }],
    };
    const snapshot = world.runtime(edited).snapshot();
    expect(snapshot.fromCache).toBe(false);
    expect(snapshot.status.workspaces[0]!.spentUsd).toBe(0);
  });

  it('sets a corrupt snapshot file aside with a clear log line and starts empty instead of crashing', async () => {
    const { config: cfg } = await tensorOneWorld();
    writeFileSync(world.storeFile, '{"version": 1, "connections": {"lab/tensorone": ', { mode: 0o600 });
    const runtime = world.runtime(cfg, { store: world.jsonStore() });
    expect(runtime.snapshot().fromCache).toBe(false);
    expect(world.logger.problems).toEqual([expect.stringMatching(/^The snapshot file was corrupt \(not valid JSON.*\); moved it to .*snapshot\.json\.corrupt-2026-03-10T10-00-00-000Z/)]);
    expect(readdirSync(world.folder.dir).filter((f) => f.startsWith('snapshot'))).toEqual(['snapshot.json.corrupt-2026-03-10T10-00-00-000Z']);
    await runtime.start();
    expect(JSON.parse(readFileSync(world.storeFile, 'utf8'))).toMatchObject({ version: 1, connections: { 'lab/tensorone': { current: { periodKey: 'month:2026-03-01@UTC' } } } });
  });

  it('writes the store atomically: after every refresh the file is whole JSON and no temp file is left', async () => {
    const { config: cfg } = await tensorOneWorld({ budgetUsd: 5_000 });
    const runtime = world.runtime(cfg, { store: world.jsonStore() });
    await runtime.start();
    let checks = 0;
    await world.runFor(2 * HOUR_MS, () => {
      expect(readdirSync(world.folder.dir).filter((f) => f.startsWith('snapshot'))).toEqual(['snapshot.json']);
      const saved = JSON.parse(readFileSync(world.storeFile, 'utf8')) as { connections: Record<string, { current: { fetchedAtMs: number } }>; alerts: unknown };
      expect(saved.connections['lab/tensorone']!.current.fetchedAtMs).toBe(world.time.now());
      expect(saved.alerts).toMatchObject({ version: 1 });
      checks += 1;
    });
    expect(checks).toBe(24);
  });
});
