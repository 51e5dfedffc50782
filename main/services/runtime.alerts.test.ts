/**
 * Every alert rule through the Runtime: fires exactly once, re-arms as the issue says, survives a
 * restart (a new Runtime over the same snapshot store does not repeat it), never fires or
 * re-arms on a failed fetch; and the outbox delivers a decided notification after a crash, once.
 * Fake clock = the runtime's timers; real HTTP against loopback fakes; real snapshot store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BurnrateConfig } from './config';
import { startBasetenFake } from '../providers/baseten/baseten.fake';
import { startLimitryFake } from '../providers/limitry/limitry.fake';
import type { FakeServer } from '../providers/fake/harness';
import type { Scenario } from '../providers/fake/scenario';
import { startTensorOneFake, type TensorOneFake } from '../providers/tensorone/tensorone.fake';
import { alertId, basetenDeployment, config, DAY_MS, HOUR_MS, limitryModel, MINUTE_MS, tensorOneResource, World } from '../../test/replay/world';
import { hasFailures } from '../../test/replay/support';
import { REQUESTS_PER_DAY } from '../core/refreshPolicy';

const MARCH = 'month:2026-03-01@UTC';
const START_MS = Date.UTC(2026, 2, 10, 10, 0);
const KEY = 'tpo_test_alerts_key_0123456789';

let world: World;
afterEach(async () => {
  await world?.close();
});

interface LabOptions {
  readonly startMs?: number;
  /** Budget of the workspace (monthly unless `period`), thresholds. */
  readonly budget?: { amountUsd: number; thresholdsPercent: number[]; period?: 'day' | 'week' | 'month' };
  readonly forecastAlerts?: boolean;
  /** Extra TensorOne scenario resources / override besides the $10/h cluster. */
  readonly scenario?: Partial<Scenario>;
  readonly baseSeconds?: number;
  /** Adds a healthy Limitry connection ($1/h) to the workspace. */
  readonly withLimitry?: boolean;
}

/** Workspace "lab": a TensorOne account with a $10/h cluster (and whatever the case adds). */
async function lab(options: LabOptions = {}): Promise<{ tensorone: TensorOneFake; config: BurnrateConfig }> {
  world = new World({ startMs: options.startMs ?? START_MS });
  const resources = [tensorOneResource('cluster-1', 'clusters', 10), ...(options.scenario?.resources ?? [])];
  const tensorone = world.track(
    await startTensorOneFake({ apiKey: KEY, now: world.time.now, scenario: { seed: 1, resources, ...(options.scenario?.override ? { override: options.scenario.override } : {}) } }),
  );
  const connections: Array<Record<string, unknown>> = [{ id: 'tensorone', provider: 'tensorone', apiKey: KEY, baseUrl: tensorone.baseUrl }];
  if (options.withLimitry) {
    const limitry = world.track(await startLimitryFake({ apiKey: 'lmtry_sk_alerts', now: world.time.now, scenario: { seed: 2, resources: [limitryModel('gpt-4o-mini', 1)] } }));
    connections.push({ id: 'limitry', provider: 'limitry', apiKey: 'lmtry_sk_alerts', baseUrl: limitry.baseUrl });
  }
  return {
    tensorone,
    config: config({
      refreshIntervalSeconds: options.baseSeconds ?? 300,
      workspaces: [
        {
          id: 'lab',
          name: 'Lab',
          timeZone: 'UTC',
          forecastAlerts: options.forecastAlerts ?? false,
          ...(options.budget ? { budget: options.budget } : {}),
          connections,
        },
      ],
    }),
  };
}

/**
 * Workspace "lab" on Baseten from Mar 10 20:00 (30-minute interval): a busy deployment and a
 * staging deployment that served requests until Mar 9 12:00 and once more on Mar 11 06:00.
 */
async function idleLab(): Promise<{ server: FakeServer; config: BurnrateConfig }> {
  world = new World({ startMs: Date.UTC(2026, 2, 10, 20) });
  const lastRequestsMs = Date.UTC(2026, 2, 9, 12);
  const wakeUpMs = Date.UTC(2026, 2, 11, 6);
  const key = 'bt_alerts_key_0123456789';
  const baseten = world.track(
    await startBasetenFake({
      apiKey: key,
      now: world.time.now,
      scenario: {
        seed: 5,
        resources: [basetenDeployment('q8w2k9z', 'production-v3', 3, 1_000), basetenDeployment('w7e3r1a', 'staging', 1, 0)],
        override: (resource, hourStartMs) =>
          resource.id === 'w7e3r1a' && (hourStartMs < lastRequestsMs || hourStartMs === wakeUpMs) ? { requests: 5 } : undefined,
      },
    }),
  );
  return {
    server: baseten.server,
    config: config({
      refreshIntervalSeconds: 1800,
      workspaces: [{ id: 'lab', name: 'Lab', timeZone: 'UTC', connections: [{ id: 'baseten', provider: 'baseten', apiKey: key, baseUrl: baseten.baseUrl }] }],
    }),
  };
}

/** Restarts: stops the current runtime, builds a new one over the same store, starts it. */
async function restart(cfg: BurnrateConfig): Promise<void> {
  await world.stopCurrent();
  await world.runtime(cfg).start();
}

const shown = (): string[] => world.shownKeys();
const at = (id: string): number[] => world.reported.filter((r) => r.delivered && alertId(r.notification) === id).map((r) => r.notification.atMs);

describe('alert rules through the runtime', () => {
  it('threshold: notifies on the second consecutive observation at or above it, once, and not again after a restart', async () => {
    // $10/h since Mar 1: $2,260 at 10:00, $2,300 (50 % of $4,600) at 14:00.
    const { config: cfg } = await lab({ budget: { amountUsd: 4_600, thresholdsPercent: [50] } });
    await world.runtime(cfg).start();
    await world.runUntil(Date.UTC(2026, 2, 10, 14, 0));
    expect(shown()).toEqual([]);
    await world.runUntil(Date.UTC(2026, 2, 10, 15, 0));
    expect(shown()).toEqual([`lab threshold:50 ${MARCH}`]);
    expect(at(`lab threshold:50 ${MARCH}`)).toEqual([Date.UTC(2026, 2, 10, 14, 5)]);
    expect(world.notifier.shown[0]).toEqual({ title: 'Lab passed 50% of its $4,600 budget', body: '$2,300.83 spent of $4,600.00 this month', severity: 'warning', workspaceId: 'lab' });
    await restart(cfg);
    await world.runFor(2 * HOUR_MS);
    expect(shown()).toEqual([`lab threshold:50 ${MARCH}`]);
    expect(world.notifier.attempts).toHaveLength(1);
  });

  it('gate: a held notification stays in the outbox and is shown after the hold ends; a dropped one never', async () => {
    const { config: cfg } = await lab({ budget: { amountUsd: 4_600, thresholdsPercent: [50] } });
    let gate: 'show' | 'hold' | 'drop' = 'hold';
    await world.runtime(cfg, { notificationGate: () => gate }).start();
    await world.runUntil(Date.UTC(2026, 2, 10, 15, 0));
    expect(world.notifier.attempts).toHaveLength(0);
    gate = 'show';
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([`lab threshold:50 ${MARCH}`]);
    expect(world.notifier.attempts).toHaveLength(1);
  });

  it('gate: a dropped notification is removed unshown and not decided again', async () => {
    const { config: cfg } = await lab({ budget: { amountUsd: 4_600, thresholdsPercent: [50] } });
    let gate: 'show' | 'hold' | 'drop' = 'drop';
    await world.runtime(cfg, { notificationGate: () => gate }).start();
    await world.runUntil(Date.UTC(2026, 2, 10, 15, 0));
    gate = 'show';
    await world.runFor(2 * HOUR_MS);
    expect(world.notifier.attempts).toHaveLength(0);
  });

  it('threshold: two consecutive observations are two rounds in which every connection of the workspace reported anew', async () => {
    // TensorOne ($10/h) and Limitry ($1/h): $2,486 of $4,600 at 10:00. With the popover open Limitry
    // refreshes every minute, TensorOne every 5 (its floor): Limitry's refreshes alone confirm nothing.
    const { config: cfg } = await lab({ withLimitry: true, budget: { amountUsd: 4_600, thresholdsPercent: [50] } });
    const runtime = world.runtime(cfg);
    runtime.setActivity({ popoverOpen: true });
    await runtime.start();
    await world.runFor(4 * MINUTE_MS);
    expect(shown()).toEqual([]);
    await world.runFor(MINUTE_MS);
    expect(at(`lab threshold:50 ${MARCH}`)).toEqual([START_MS + 5 * MINUTE_MS]);
  });

  it('threshold: when several are crossed at once only the highest notifies', async () => {
    const { config: cfg } = await lab({ budget: { amountUsd: 2_000, thresholdsPercent: [50, 75, 100] } });
    await world.runtime(cfg).start();
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([`lab threshold:100 ${MARCH}`]);
    expect(world.notifier.shown[0]?.severity).toBe('critical');
  });

  it('threshold: re-arms with a new period', async () => {
    // $120 a day: 50 % at 06:00 every day.
    const { config: cfg } = await lab({ baseSeconds: 1800, budget: { amountUsd: 120, thresholdsPercent: [50], period: 'day' } });
    await world.runtime(cfg).start();
    await world.runUntil(Date.UTC(2026, 2, 11, 12, 0));
    await restart(cfg);
    await world.runUntil(Date.UTC(2026, 2, 12, 12, 0));
    expect(shown()).toEqual(['lab threshold:50 day:2026-03-10@UTC', 'lab threshold:50 day:2026-03-11@UTC', 'lab threshold:50 day:2026-03-12@UTC']);
  });

  it('threshold: re-arms only after two consecutive complete observations below it (a refund), not after one', async () => {
    // A $1,000 training hour on Mar 10 02:00 (long before the spike rule looks) that the provider may take back (refund) and bill again.
    let refunded = false;
    const trainingHourMs = Date.UTC(2026, 2, 10, 2);
    const { config: cfg } = await lab({
      budget: { amountUsd: 4_000, thresholdsPercent: [75] },
      scenario: {
        resources: [tensorOneResource('sft-run', 'training', 0)],
        override: (resource, hourStartMs) => (resource.id === 'sft-run' && hourStartMs === trainingHourMs ? { costMicros: refunded ? 0 : 1_000_000_000 } : undefined),
      },
    });
    const id = `lab threshold:75 ${MARCH}`;
    await world.runtime(cfg).start(); // $3,260: 81.5 %
    await world.runFor(10 * MINUTE_MS);
    expect(shown()).toEqual([id]);
    refunded = true; // $2,260: 56.5 %
    await world.runFor(5 * MINUTE_MS); // one observation below
    refunded = false;
    await world.runFor(30 * MINUTE_MS);
    expect(shown()).toEqual([id]);
    refunded = true;
    await world.runFor(10 * MINUTE_MS); // two observations below: re-armed
    refunded = false;
    await world.runFor(10 * MINUTE_MS);
    expect(shown()).toEqual([id, id]);
  });

  it('threshold: a failed fetch neither confirms a crossing nor counts as a recovery', async () => {
    let refunded = false;
    const trainingHourMs = Date.UTC(2026, 2, 10, 2);
    const { tensorone, config: cfg } = await lab({
      budget: { amountUsd: 4_000, thresholdsPercent: [75] },
      scenario: {
        resources: [tensorOneResource('sft-run', 'training', 0)],
        override: (resource, hourStartMs) => (resource.id === 'sft-run' && hourStartMs === trainingHourMs ? { costMicros: refunded ? 0 : 1_000_000_000 } : undefined),
      },
    });
    const id = `lab threshold:75 ${MARCH}`;
    await world.runtime(cfg).start(); // first observation at 81.5 %
    tensorone.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(12 * MINUTE_MS); // fails at 10:05; backoff to 10:12:30
    expect(shown()).toEqual([]);
    tensorone.server.clearFaults();
    await world.runFor(10 * MINUTE_MS); // success at 10:12:30 confirms (the failure did not break the streak)
    expect(shown()).toEqual([id]);
    expect(at(id)).toEqual([START_MS + 12.5 * MINUTE_MS]);
    // Failing while the provider's number would be below: no recovery, so no second notification.
    refunded = true;
    tensorone.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(12 * MINUTE_MS);
    refunded = false;
    tensorone.server.clearFaults();
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([id]);
  });

  it('forecast: opt-in; notifies once per risk episode when the projection exceeds the budget with enough confidence', async () => {
    // $240 a day all month: $7,440 projected against $5,000, while $2,260 is spent.
    const { config: cfg } = await lab({ forecastAlerts: true, budget: { amountUsd: 5_000, thresholdsPercent: [100] } });
    const runtime = world.runtime(cfg);
    await runtime.start();
    expect(runtime.status().workspaces[0]!.projectionConfidence).toBeGreaterThanOrEqual(0.5);
    expect(shown()).toEqual([`lab forecast ${MARCH}`]);
    expect(world.notifier.shown[0]?.title).toBe('Lab is on track to exceed its $5,000 budget');
    await world.runFor(HOUR_MS);
    await restart(cfg);
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([`lab forecast ${MARCH}`]);
  });

  it('forecast: re-arms with a new period', async () => {
    // $1,680 a week against $1,660 a week: each week is projected over budget until it actually is.
    const { config: cfg } = await lab({
      startMs: Date.UTC(2026, 2, 15, 20),
      baseSeconds: 3600,
      forecastAlerts: true,
      budget: { amountUsd: 1_660, period: 'week', thresholdsPercent: [200] },
    });
    await world.runtime(cfg).start();
    await world.runUntil(Date.UTC(2026, 2, 16, 3));
    await restart(cfg);
    await world.runUntil(Date.UTC(2026, 2, 17, 6));
    // The new week's forecast waits for 24 hours of data in it.
    expect(world.reported.map((r) => [alertId(r.notification), new Date(r.notification.atMs).toISOString()])).toEqual([
      ['lab forecast week:2026-03-09@UTC', '2026-03-15T20:00:00.000Z'],
      ['lab forecast week:2026-03-16@UTC', '2026-03-17T00:00:00.000Z'],
    ]);
  });

  it('forecast: silent without the opt-in', async () => {
    const { config: cfg } = await lab({ forecastAlerts: false, budget: { amountUsd: 5_000, thresholdsPercent: [100] } });
    await world.runtime(cfg).start();
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([]);
  });

  it('forecast: waits for a successful fetch', async () => {
    const { tensorone, config: cfg } = await lab({ forecastAlerts: true, budget: { amountUsd: 5_000, thresholdsPercent: [100] } });
    tensorone.server.inject({ type: 'status', status: 503 }, { times: 2 });
    await world.runtime(cfg).start(); // fails at 10:00 and 10:07:30 (backoff)
    await world.runFor(10 * MINUTE_MS);
    expect(shown()).toEqual([]);
    await world.runFor(20 * MINUTE_MS);
    expect(at(`lab forecast ${MARCH}`)).toEqual([START_MS + 22.5 * MINUTE_MS]);
  });

  it('spike: notifies once for an hour costing far more than the trailing median, also across a restart, and waits out a failed fetch', async () => {
    const spikeHourMs = Date.UTC(2026, 2, 10, 12);
    const { tensorone, config: cfg } = await lab({
      scenario: {
        resources: [tensorOneResource('sft-run', 'training', 0)],
        override: (resource, hourStartMs) => (resource.id === 'sft-run' && hourStartMs === spikeHourMs ? { costMicros: 200_000_000 } : undefined),
      },
    });
    const id = 'lab spike hour:2026-03-10T12';
    await world.runtime(cfg).start();
    await world.runUntil(spikeHourMs + HOUR_MS - 1);
    expect(shown()).toEqual([]);
    // The hour is complete at 13:00, but that refresh fails: nothing until the next good one.
    tensorone.server.inject({ type: 'status', status: 503 });
    await world.runUntil(spikeHourMs + HOUR_MS);
    expect(shown()).toEqual([]);
    await world.runUntil(spikeHourMs + HOUR_MS + 10 * MINUTE_MS);
    expect(shown()).toEqual([id]);
    expect(world.notifier.shown[0]?.title).toBe('Lab spend spiked: $210.00 in one hour');
    await restart(cfg);
    await world.runFor(3 * HOUR_MS);
    expect(shown()).toEqual([id]);
  });

  it('idle GPU: a dedicated deployment billed with zero requests for 24 h notifies once per idle episode', async () => {
    const { config: cfg } = await idleLab();
    const id = 'lab idle:baseten/w7e3r1a episode';
    await world.runtime(cfg).start();
    // Daily buckets: Mar 9 had requests, so the last 24 h are clean only from Mar 11 00:00.
    await world.runUntil(Date.UTC(2026, 2, 11) - 1);
    expect(shown()).toEqual([]);
    await world.runUntil(Date.UTC(2026, 2, 11, 1));
    expect(shown()).toEqual([id]);
    expect(at(id)).toEqual([Date.UTC(2026, 2, 11)]);
    expect(world.notifier.shown[0]?.title).toBe('Idle GPU: staging (Baseten)');
    await restart(cfg);
    // A request on Mar 11 06:00 ends the episode; the next one starts once Mar 11 is out of the window.
    await world.runUntil(Date.UTC(2026, 2, 13) - 1);
    expect(shown()).toEqual([id]);
    await world.runUntil(Date.UTC(2026, 2, 13, 1));
    expect(at(id)).toEqual([Date.UTC(2026, 2, 11), Date.UTC(2026, 2, 13)]);
  });

  it('connection: a rejected key notifies at once, once per failure episode, also across a restart', async () => {
    const { tensorone, config: cfg } = await lab();
    const id = 'lab connection:tensorone episode';
    await world.runtime(cfg).start();
    tensorone.server.inject({ type: 'status', status: 401, body: { error: 'UNAUTHORIZED', message: 'Invalid or missing API key' } }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(5 * MINUTE_MS);
    expect(at(id)).toEqual([START_MS + 5 * MINUTE_MS]);
    expect(world.notifier.shown[0]).toMatchObject({ title: "Can't refresh TensorOne (Lab)" });
    expect(world.notifier.shown[0]?.body).toMatch(/^TensorOne rejected the API key \(401\).*Check the API key in Settings\.$/);
    await restart(cfg);
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([id]);
    tensorone.server.clearFaults();
    await world.runFor(HOUR_MS);
    tensorone.server.inject({ type: 'status', status: 403, body: { error: 'FORBIDDEN', message: 'Insufficient permissions' } }, { times: Number.POSITIVE_INFINITY });
    await world.runFor(10 * MINUTE_MS);
    expect(shown()).toEqual([id, id]);
  });

  it('connection: any other failure notifies once it has lasted longer than 3 refresh intervals', async () => {
    // A healthy sibling (Limitry, 3 requests a refresh: every 16 min 22 s within the request budget)
    // and the failing connection's retries (10:07:30, 10:22:30) evaluate the workspace; the first
    // evaluation after 3 intervals (15 min) is the sibling's at 10:16:22.
    const { tensorone, config: cfg } = await lab({ withLimitry: true });
    const id = 'lab connection:tensorone episode';
    tensorone.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runtime(cfg).start();
    await world.runFor(15 * MINUTE_MS);
    expect(shown()).toEqual([]);
    await world.runFor(5 * MINUTE_MS);
    expect(at(id)).toEqual([START_MS + Math.ceil((3 * 24 * HOUR_MS) / REQUESTS_PER_DAY)]);
    expect(world.notifier.shown[0]?.body).toMatch(/^TensorOne had a server error \(503\).* Failing since Mar 10, 10:00 UTC\.$/);
    await restart(cfg);
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([id]);
  });

  it('connection: a restart does not end a failure episode before that connection has been refreshed again', async () => {
    const { tensorone, config: cfg } = await lab({ withLimitry: true });
    const wrongKey: BurnrateConfig = {
      ...cfg,
      workspaces: cfg.workspaces.map((w) => ({ ...w, connections: w.connections.map((c) => (c.id === 'tensorone' ? { ...c, apiKey: 'tpo_test_revoked_key_0000000000' } : c)) })),
    };
    const id = 'lab connection:tensorone episode';
    await world.runtime(wrongKey).start();
    await world.runFor(30 * MINUTE_MS);
    expect(at(id)).toEqual([START_MS]);
    // After the restart Limitry answers first; TensorOne's (still rejected) answer comes 300 ms later.
    tensorone.server.inject({ type: 'slow', delayMs: 300 });
    await restart(wrongKey);
    await world.runFor(HOUR_MS);
    expect(shown()).toEqual([id]);
  });

  it('connection: the failure episode survives a restart (its start is kept in the snapshot store)', async () => {
    const { tensorone, config: cfg } = await lab({ withLimitry: true });
    const id = 'lab connection:tensorone episode';
    tensorone.server.inject({ type: 'status', status: 503 }, { times: Number.POSITIVE_INFINITY });
    await world.runtime(cfg).start();
    await world.runFor(10 * MINUTE_MS);
    await restart(cfg);
    // Counted from 10:00, not from the restart at 10:10: the retry at 10:17:30 is past 15 minutes.
    await world.runFor(10 * MINUTE_MS);
    expect(at(id)).toEqual([START_MS + 17.5 * MINUTE_MS]);
  });
});

describe('every rule: exactly once, never on a failed fetch, not again after a restart', () => {
  const spikeHourMs = Date.UTC(2026, 2, 10, 12);
  const rows: ReadonlyArray<{ rule: string; id: string; setup: () => Promise<{ server: FakeServer; config: BurnrateConfig }>; dueMs: number; retryMs: number }> = [
    {
      rule: 'threshold (second observation at 14:05)',
      id: `lab threshold:50 ${MARCH}`,
      setup: async () => {
        const { tensorone, config: cfg } = await lab({ budget: { amountUsd: 4_600, thresholdsPercent: [50] } });
        return { server: tensorone.server, config: cfg };
      },
      dueMs: Date.UTC(2026, 2, 10, 14, 5),
      retryMs: Date.UTC(2026, 2, 10, 14, 12, 30),
    },
    {
      rule: 'forecast (first observation at 10:00)',
      id: `lab forecast ${MARCH}`,
      setup: async () => {
        const { tensorone, config: cfg } = await lab({ forecastAlerts: true, budget: { amountUsd: 5_000, thresholdsPercent: [100] } });
        return { server: tensorone.server, config: cfg };
      },
      dueMs: START_MS,
      retryMs: START_MS + 7.5 * MINUTE_MS,
    },
    {
      rule: 'spike (the 12:00 hour, complete at 13:00)',
      id: 'lab spike hour:2026-03-10T12',
      setup: async () => {
        const { tensorone, config: cfg } = await lab({
          scenario: {
            resources: [tensorOneResource('sft-run', 'training', 0)],
            override: (resource, hourStartMs) => (resource.id === 'sft-run' && hourStartMs === spikeHourMs ? { costMicros: 200_000_000 } : undefined),
          },
        });
        return { server: tensorone.server, config: cfg };
      },
      dueMs: spikeHourMs + HOUR_MS,
      retryMs: spikeHourMs + HOUR_MS + 7.5 * MINUTE_MS,
    },
    {
      rule: 'idle GPU (24 h without requests at Mar 11 00:00)',
      id: 'lab idle:baseten/w7e3r1a episode',
      setup: idleLab,
      dueMs: Date.UTC(2026, 2, 11),
      retryMs: Date.UTC(2026, 2, 11, 0, 30),
    },
  ];

  it.each(rows)('$rule', async ({ id, setup, dueMs, retryMs }) => {
    const { server, config: cfg } = await setup();
    const runtime = world.runtime(cfg);
    const failOnce = () => server.inject({ type: 'status', status: 503 });
    if (dueMs === world.time.now()) {
      failOnce();
      await runtime.start();
    } else {
      await runtime.start();
      await world.runUntil(dueMs - 1);
      expect(shown()).toEqual([]);
      failOnce();
      await world.runUntil(dueMs);
    }
    expect(hasFailures(runtime)).toBe(true);
    expect(shown()).toEqual([]);
    await world.runUntil(retryMs);
    expect(at(id)).toEqual([retryMs]);
    await world.runFor(HOUR_MS);
    await restart(cfg);
    await world.runFor(2 * HOUR_MS);
    expect(shown()).toEqual([id]);
    expect(world.notifier.attempts).toHaveLength(1);
  });
});

describe('notification outbox', () => {
  it('shows a notification decided but not shown before a crash after the restart, exactly once', async () => {
    const { config: cfg } = await lab({ budget: { amountUsd: 2_000, thresholdsPercent: [100] } });
    world.notifier.mode = 'hang';
    const crashed = world.runtime(cfg);
    await crashed.start();
    world.time.set(START_MS + 5 * MINUTE_MS);
    world.time.fireDue();
    // Wait for the refresh (not the hung notification), then "crash": no stop(), timers gone.
    while (world.notifier.attempts.length === 0 || crashed.snapshot().refreshing) await new Promise((resolve) => setImmediate(resolve));
    expect(world.outboxKeys()).toEqual([`lab|threshold:100|${MARCH}`]);
    world.time.dropAll();

    world.notifier.mode = 'ok';
    const restarted = world.runtime(cfg);
    await restarted.start();
    await world.runFor(HOUR_MS);
    expect(world.notifier.shown.map((n) => n.title)).toEqual(['Lab passed 100% of its $2,000 budget']);
    expect(shown()).toEqual([`lab threshold:100 ${MARCH}`]);
    expect(world.outboxKeys()).toEqual([]);
  });

  it('retries a notification the notifier refused, and reports it once', async () => {
    const { config: cfg } = await lab({ budget: { amountUsd: 2_000, thresholdsPercent: [100] } });
    world.notifier.mode = 'fail';
    await world.runtime(cfg).start();
    await world.runFor(5 * MINUTE_MS);
    expect(world.reported.map((r) => r.delivered)).toEqual([false]);
    expect(world.logger.problems).toContain('Notification not shown (retried at each refresh for 24 h): no notification service');
    // Further failed attempts retry quietly: one warning per notification, not one per refresh.
    await world.runFor(HOUR_MS);
    expect(world.logger.problems.filter((p) => p.startsWith('Notification not shown'))).toHaveLength(1);
    world.notifier.mode = 'ok';
    await world.runFor(HOUR_MS);
    expect(world.notifier.shown).toHaveLength(1);
    expect(world.reported.map((r) => r.delivered)).toEqual([false]);
  });

  it('never shows a notification twice when refreshes finish while it is being shown', async () => {
    const { config: cfg } = await lab({ withLimitry: true, budget: { amountUsd: 2_000, thresholdsPercent: [100] } });
    // Both connections refresh at the same instants: the second finishes while the first's notification is being shown.
    world.notifier.mode = 'slow';
    await world.runtime(cfg).start();
    await world.runFor(HOUR_MS);
    expect(world.notifier.attempts.map((n) => n.title)).toEqual(['Lab passed 100% of its $2,000 budget']);
  });

  it('drops a notification the notifier keeps refusing after a day', async () => {
    const { config: cfg } = await lab({ baseSeconds: 3600, budget: { amountUsd: 2_000, thresholdsPercent: [100] } });
    world.notifier.mode = 'fail';
    await world.runtime(cfg).start();
    await world.runFor(DAY_MS + 2 * HOUR_MS);
    world.notifier.mode = 'ok';
    await world.runFor(2 * HOUR_MS);
    expect(world.notifier.shown).toEqual([]);
    expect(world.outboxKeys()).toEqual([]);
  });
});
