/**
 * Issue 9, item 5: one refused plan type must not blank a Simplismart connection, and each point's
 * `event_count` reaches the request counts (so the idle-GPU rule works for dedicated deployments).
 * Real HTTP against the loopback fake; the runtime cases run the real poller on a fake clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError } from '../../core/errors';
import { DAY_MS, HOUR_MS } from '../../core/report';
import { createHttpClient } from '../http';
import { simplismartAdapter } from './simplismart';
import { startSimplismartFake, type SimplismartFake } from './simplismart.fake';
import { contextFor, NOW_MS, settingsFor, TOKEN } from './testSupport';
import { alertId, config, World } from '../../../test/replay/world';

const http = createHttpClient({ timeoutMs: 5_000 });
const range = { startMs: Date.UTC(2026, 4, 1), endMs: NOW_MS };
const ANSWERING = ['shared', 'private', 'byoc', 'reserved', 'compilation'] as const;
let refusing: SimplismartFake;
let healthy: SimplismartFake;

beforeAll(async () => {
  refusing = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS, refusedPlanTypes: ['training'] });
  healthy = await startSimplismartFake({ apiKey: TOKEN, now: () => NOW_MS });
});
afterAll(async () => {
  await http.close();
  await refusing.stop();
  await healthy.stop();
});

function askedPlanTypes(fake: SimplismartFake, from: number): string[] {
  return fake.server.requests
    .slice(from)
    .map((request) => request.query.get('plan_type') ?? '')
    .sort();
}

describe('Simplismart: one refused plan type', () => {
  it('keeps the plan types that answered, to the micro-dollar, and says which one was refused', async () => {
    const report = await simplismartAdapter.fetchUsage(range, contextFor(http, settingsFor(refusing.baseUrl)));
    // The training job costs money in this scenario: the total is everything but it, exactly.
    expect(refusing.truthMicros(range, { planTypes: ['training'] })).toBeGreaterThan(0);
    expect(report.totalMicros).toBe(refusing.truthMicros(range, { planTypes: [...ANSWERING] }));
    expect(report.totalMicros).toBeGreaterThan(0);
    expect(report.resources.some((resource) => resource.group === 'training')).toBe(false);
    expect(report.extras.refusedPlanTypes).toEqual([
      { planType: 'training', sinceMs: NOW_MS, nextCheckMs: NOW_MS + DAY_MS, message: expect.stringContaining('not enabled') as unknown },
    ]);
    expect(report.notes.some((note) => note.includes('refused the training plan type') && note.includes('once a day'))).toBe(true);
  });

  it('fails with the refusal when every enabled plan type is refused', async () => {
    const settings = settingsFor(refusing.baseUrl, { planTypes: ['training'] });
    const error = await simplismartAdapter.fetchUsage(range, contextFor(http, settings)).catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.kind).toBe('bad_request');
    expect((error as Error).message).toContain('plan type training');
  });

  it('remembers the refused plan type per connection, asks again after a day, and forgets it once it answers', async () => {
    const memory = new Map<string, unknown>();
    const fetchAt = (fake: SimplismartFake, nowMs: number) =>
      simplismartAdapter.fetchUsage({ startMs: range.startMs, endMs: nowMs }, { ...contextFor(http, settingsFor(fake.baseUrl), { nowMs }), memory });

    let from = refusing.server.requests.length;
    await fetchAt(refusing, NOW_MS);
    expect(askedPlanTypes(refusing, from)).toContain('training');

    // Within the day: training is not asked again, and the report still says it is left out.
    from = refusing.server.requests.length;
    const later = await fetchAt(refusing, NOW_MS + 6 * HOUR_MS);
    expect(askedPlanTypes(refusing, from)).toEqual([...ANSWERING].sort());
    expect(later.extras.refusedPlanTypes?.map((refused) => [refused.planType, refused.sinceMs, refused.nextCheckMs])).toEqual([
      ['training', NOW_MS, NOW_MS + DAY_MS],
    ]);

    // A day later it is asked again (and still refused: the refusal keeps its first date).
    from = refusing.server.requests.length;
    const nextDay = await fetchAt(refusing, NOW_MS + DAY_MS);
    expect(askedPlanTypes(refusing, from)).toContain('training');
    expect(nextDay.extras.refusedPlanTypes?.[0]).toMatchObject({ sinceMs: NOW_MS, nextCheckMs: NOW_MS + 2 * DAY_MS });

    // Two days later the plan type answers (the healthy fake, same connection memory): counted again.
    const answered = await fetchAt(healthy, NOW_MS + 2 * DAY_MS);
    expect(answered.extras.refusedPlanTypes).toBeUndefined();
    expect(answered.resources.some((resource) => resource.group === 'training')).toBe(true);
    expect(memory.get('simplismart:refusedPlanTypes')).toEqual(new Map());
  });
});

describe('Simplismart: event_count as request counts', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('fires the idle-GPU alert for a dedicated deployment that bills with zero requests, and not for the busy one', async () => {
    world = new World({ startMs: Date.UTC(2026, 4, 10, 9) });
    const fake = world.track(await startSimplismartFake({ apiKey: TOKEN, now: world.time.now }));
    const cfg = config({
      refreshIntervalSeconds: 1800,
      workspaces: [
        {
          id: 'lab',
          name: 'Lab',
          timeZone: 'UTC',
          connections: [{ id: 'simplismart', provider: 'simplismart', apiKey: TOKEN, baseUrl: fake.baseUrl }],
        },
      ],
    });
    await world.runtime(cfg).start();
    await world.runUntil(Date.UTC(2026, 4, 10, 10));
    const idle = world.shownKeys().filter((key) => key.includes(' idle:'));
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatch(/^lab idle:simplismart\/whisper-v3-staging_[0-9a-f-]+ episode$/);
    expect(world.notifier.shown.map((shown) => shown.title)).toContain('Idle GPU: whisper-v3-staging (Simplismart)');
    expect(alertId(world.reported[0]!.notification)).toBe(idle[0]);
  });

  it('keeps the refused plan type out across the poller\'s refreshes (the connection memory lives in the runtime)', async () => {
    world = new World({ startMs: Date.UTC(2026, 4, 10, 9) });
    const fake = world.track(await startSimplismartFake({ apiKey: TOKEN, now: world.time.now, refusedPlanTypes: ['reserved'] }));
    const cfg = config({
      refreshIntervalSeconds: 1800,
      workspaces: [{ id: 'lab', name: 'Lab', timeZone: 'UTC', connections: [{ id: 'simplismart', provider: 'simplismart', apiKey: TOKEN, baseUrl: fake.baseUrl }] }],
    });
    const runtime = world.runtime(cfg);
    await runtime.start();
    await world.runUntil(Date.UTC(2026, 4, 10, 15));
    const reservedCalls = fake.server.requests.filter((request) => request.query.get('plan_type') === 'reserved').length;
    const sharedCalls = fake.server.requests.filter((request) => request.query.get('plan_type') === 'shared').length;
    // Several refreshes (current + previous period once), but reserved asked only on the first.
    expect(sharedCalls).toBeGreaterThan(4);
    expect(reservedCalls).toBe(1);
    const connection = runtime.status().workspaces[0]?.connections[0];
    expect(connection?.status).toBe('ok');
    expect(connection?.refusedPlanTypes?.map((refused) => refused.planType)).toEqual(['reserved']);
  });
});
