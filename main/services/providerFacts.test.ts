/**
 * Issue 9, item 8: what the APIs already give reaches the status document, beside Burnrate's own
 * figures, through the real runtime and real HTTP against the loopback fakes: TensorOne's own
 * projection and alerts, Civis's credit limit (credits used out of the limit) and matching records,
 * Baseten's credits as a number, and the rate-limit headers, which stretch the refresh interval so
 * the reads left last until the window resets (no 429).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBasetenFake } from '../providers/baseten/baseten.fake';
import { CIVIS_FAKE_ORG_ID, startCivisFake } from '../providers/civis/civis.fake';
import { startTensorOneFake } from '../providers/tensorone/tensorone.fake';
import { config, HOUR_MS, MINUTE_MS, World } from '../../test/replay/world';

const START_MS = Date.UTC(2026, 2, 10, 10, 0);
let world: World;
afterEach(async () => {
  await world?.close();
});

describe('provider facts in the status document', () => {
  it('shows TensorOne projection and alerts, Civis credit limit and matching records, Baseten credits, and rate limits', async () => {
    world = new World({ startMs: START_MS });
    const alerts = [{ type: 'budget_exceeded', severity: 'warning', message: 'Monthly budget 80% used', threshold: 5000, currentValue: 4012.5 }];
    const tensorone = world.track(await startTensorOneFake({ apiKey: 'tpo_facts_key_0123456789', now: world.time.now, alerts }));
    const civis = world.track(await startCivisFake({ apiKey: 'civ_facts_key_0123456789', now: world.time.now, hardLimit: 50_000 }));
    const baseten = world.track(await startBasetenFake({ apiKey: 'bt_facts_key_0123456789', now: world.time.now, creditsMicros: 5_000_000 }));
    const cfg = config({
      workspaces: [
        {
          id: 'lab',
          name: 'Lab',
          timeZone: 'UTC',
          connections: [
            { id: 'tensorone', provider: 'tensorone', apiKey: 'tpo_facts_key_0123456789', baseUrl: tensorone.baseUrl },
            { id: 'civis', provider: 'civis', apiKey: 'civ_facts_key_0123456789', baseUrl: civis.baseUrl, orgId: CIVIS_FAKE_ORG_ID },
            { id: 'baseten', provider: 'baseten', apiKey: 'bt_facts_key_0123456789', baseUrl: baseten.baseUrl },
          ],
        },
      ],
    });
    const runtime = world.runtime(cfg);
    await runtime.start();
    await world.runUntil(START_MS + MINUTE_MS);
    const connections = runtime.status().workspaces[0]!.connections;
    const byId = (id: string) => connections.find((c) => c.id === id)!;

    const t1 = byId('tensorone');
    expect(t1.status).toBe('ok');
    expect(typeof t1.projectedUsd).toBe('number');
    expect(t1.providerProjection?.projectedUsd).toBeGreaterThan(0);
    expect(t1.providerAlerts).toEqual([{ type: 'budget_exceeded', severity: 'warning', message: 'Monthly budget 80% used', thresholdUsd: 5000, currentUsd: 4012.5 }]);
    expect(t1.rateLimit?.limit).toBe(1000);

    const cv = byId('civis');
    expect(cv.status).toBe('ok');
    expect(cv.spentCredits).toBeGreaterThan(0);
    expect(cv.creditLimit).toEqual({
      usedCredits: cv.spentCredits,
      limitCredits: 50_000,
      usedPercent: Math.round(((cv.spentCredits! * 100) / 50_000) * 100) / 100,
    });
    expect(cv.matchingRecords?.total).toBeGreaterThan(0);
    expect(cv.rateLimit?.limit).toBe(1000);

    const bt = byId('baseten');
    expect(bt.status).toBe('ok');
    // The fake applies $5 of credits to each answer; the period may be read as head + tail (incremental refresh).
    expect(typeof bt.creditsUsd).toBe('number');
    expect(bt.creditsUsd).toBeGreaterThan(0);
    expect(bt.creditsUsd! % 5).toBe(0);
  });

  it('spreads the reads left over the rate-limit window: no 429, far fewer reads than the 5-minute interval would make', async () => {
    world = new World({ startMs: START_MS });
    const key = 'tpo_facts_rl_key_0123456789';
    // 12 reads an hour: the 5-minute interval alone would spend them all (and more, with the previous period).
    const tensorone = world.track(await startTensorOneFake({ apiKey: key, now: world.time.now, readLimit: 12, rateLimitWindowSeconds: 3600 }));
    const cfg = config({
      refreshIntervalSeconds: 300,
      workspaces: [{ id: 'lab', name: 'Lab', timeZone: 'UTC', connections: [{ id: 'tensorone', provider: 'tensorone', apiKey: key, baseUrl: tensorone.baseUrl }] }],
    });
    const runtime = world.runtime(cfg);
    await runtime.start();
    await world.runUntil(START_MS + HOUR_MS - MINUTE_MS);
    const document = runtime.status();
    const connection = document.workspaces[0]!.connections[0]!;
    expect(connection.status).toBe('ok');
    expect(connection.rateLimit?.limit).toBe(12);
    expect(connection.rateLimit?.remaining).toBeGreaterThan(0);
    expect(connection.rateLimit?.resetAt).toMatch(/^2026-03-10T/);
    const reads = tensorone.server.requests.length;
    expect(reads).toBeLessThanOrEqual(12);
    expect(world.logger.lines.some((line) => /429|rate-limit|rate limited/i.test(line.message))).toBe(false);
  });
});
