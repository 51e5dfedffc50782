/**
 * The `burnrate` connection against its loopback team-server fake with the real undici client:
 * for the server's current period it reports the server's spend, burn rate and projection
 * exactly, and the roll-up shows them unchanged; other ranges are summed from the history; a
 * workspace the server does not have, and a period that differs from the server's, are said in words.
 * (The error matrix is the contract suite's; the real server is test/cli/teamConnection.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/errors';
import { toMicros } from '../../core/money';
import { summarizeWorkspace } from '../../core/spend';
import { HOUR_MS, type TimeRange } from '../../core/report';
import type { Workspace } from '../../core/workspace';
import { createHttpClient } from '../http';
import type { ProviderContext, ProviderFake } from '../types';
import { burnrateAdapter, mapTeamReport, plainHttpWarning, type BurnrateSettings } from './burnrate';
import { startBurnrateFake } from './burnrate.fake';
import { statusDocumentSchema } from './burnrate.schema';

/** A Thursday afternoon, 23 minutes into the hour. */
const NOW_MS = Date.UTC(2026, 4, 14, 14, 23, 17);
const PERIOD: TimeRange = { startMs: Date.UTC(2026, 4, 1), endMs: NOW_MS };
const TOKEN = 'brt_test_0123456789abcdef';
const WORKSPACE: Workspace = { id: 'mine', name: 'Mine', timeZone: 'UTC', currency: 'USD', budget: null, period: 'month', forecastAlerts: false, connectionIds: ['team'] };

const http = createHttpClient({ timeoutMs: 10_000 });
let fake: ProviderFake;

beforeAll(async () => {
  fake = await startBurnrateFake({ apiKey: TOKEN, now: () => NOW_MS, otherWorkspaces: ['staging'] });
});
afterAll(async () => {
  await http.close();
  await fake?.stop();
});

const context = (workspace = 'prod'): ProviderContext<BurnrateSettings> => ({
  http,
  apiKey: TOKEN,
  settings: burnrateAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl, workspace }),
  nowMs: NOW_MS,
});

async function serverStatus() {
  const response = await http.getJson({ provider: 'test', url: new URL(`${fake.baseUrl}/api/status`), headers: { authorization: `Bearer ${TOKEN}` } });
  return statusDocumentSchema.parse(response.body).workspaces.find((w) => w.id === 'prod')!;
}

describe('burnrate adapter', () => {
  it("reports the server's current period with its own spend, burn rate and projection, exactly", async () => {
    const [report, server] = await Promise.all([burnrateAdapter.fetchUsage(PERIOD, context()), serverStatus()]);
    expect(report.totalMicros).toBe(toMicros(server.spentUsd));
    expect(report.totalMicros).toBe(fake.truthMicros(PERIOD));
    expect(report.extras.serverPace?.burnRate.microsPerHour).toBe(toMicros(server.burnRateUsdPerHour));
    expect(report.extras.serverPace?.projection).toMatchObject({
      projectedMicros: toMicros(server.projectedUsd),
      lowMicros: toMicros(server.projectedLowUsd),
      highMicros: toMicros(server.projectedHighUsd),
      method: 'run-rate',
    });
    // Every resource of the server, made unique by its connection, adding up to the total.
    expect(report.resources.map((r) => r.id).sort()).toEqual(['baseten/llama-70b', 'baseten/whisper', 'limitry/claude-3-5-sonnet', 'limitry/gpt-4o']);
    expect(report.resources.reduce((sum, r) => sum + r.costMicros, 0)).toBe(report.totalMicros);
    // Hourly buckets from the history, which add up to the same spend.
    expect(report.granularityMs).toBe(HOUR_MS);
    expect(report.buckets.reduce((sum, b) => sum + b.costMicros, 0)).toBe(report.totalMicros);
    expect(report.notes).toEqual([]);
  });

  it("rolls the connection up into exactly the server's numbers (not a recomputation from the buckets)", async () => {
    const [report, server] = await Promise.all([burnrateAdapter.fetchUsage(PERIOD, context()), serverStatus()]);
    const spend = summarizeWorkspace({
      workspace: WORKSPACE,
      nowMs: NOW_MS,
      connections: [{ connectionId: 'team', provider: 'burnrate', report, stale: false }],
    });
    expect(spend.spentMicros).toBe(toMicros(server.spentUsd));
    expect(spend.burnRate.microsPerHour).toBe(toMicros(server.burnRateUsdPerHour));
    expect(spend.projection.projectedMicros).toBe(toMicros(server.projectedUsd));
    expect(spend.projection.lowMicros).toBe(toMicros(server.projectedLowUsd));
    expect(spend.projection.highMicros).toBe(toMicros(server.projectedHighUsd));
    // The fake's rate (last 6 hours) is not what Burnrate's trimmed mean would compute from the buckets:
    // the same report without the server's pace gives another rate, so the pace above is the server's.
    const recomputed = summarizeWorkspace({
      workspace: WORKSPACE,
      nowMs: NOW_MS,
      connections: [{ connectionId: 'team', provider: 'burnrate', report: { ...report, extras: {} }, stale: false }],
    });
    expect(recomputed.projection.projectedMicros).not.toBe(spend.projection.projectedMicros);
  });

  it('sums any other range from the history, one resource per server connection', async () => {
    const week: TimeRange = { startMs: Date.UTC(2026, 3, 7), endMs: Date.UTC(2026, 3, 14) };
    const report = await burnrateAdapter.fetchUsage(week, context());
    expect(report.totalMicros).toBe(fake.truthMicros(week));
    expect(report.extras.serverPace).toBeUndefined();
    expect(report.resources.map((r) => r.name).sort()).toEqual(['Baseten (baseten)', 'Limitry (limitry)']);
    expect(report.resources.reduce((sum, r) => sum + r.costMicros, 0)).toBe(report.totalMicros);
    expect(report.dataThroughMs).toBe(week.endMs);
    // Entirely before the server's period: nothing to say about periods.
    expect(report.notes).toEqual([]);
  });

  it("says so when this workspace's period is not the server's, and does not pass the history off as the server's numbers", async () => {
    const shifted: TimeRange = { startMs: Date.UTC(2026, 4, 3), endMs: NOW_MS };
    const report = await burnrateAdapter.fetchUsage(shifted, context());
    expect(report.totalMicros).toBe(fake.truthMicros(shifted));
    expect(report.extras.serverPace).toBeUndefined();
    expect(report.notes.join(' ')).toMatch(/counts its period from 2026-05-01T00:00:00\.000Z; this workspace's period starts at 2026-05-03T00:00:00Z/);
  });

  it('names the workspaces the server has when asked for one it does not', async () => {
    const error = await burnrateAdapter.fetchUsage(PERIOD, context('research')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'bad_request', message: 'The team server has no workspace "research"; it serves prod, staging.' });
  });
});

describe('mapTeamReport', () => {
  it("passes the server's failing connections on as notes, with their messages", async () => {
    const server = await serverStatus();
    const failing = {
      ...server,
      connections: server.connections.map((c, i) => (i === 0 ? { ...c, status: 'error' as const, stale: true, error: { kind: 'auth' as const, message: 'Baseten refused the API key (401)' } } : c)),
      coverage: { ...server.coverage, excluded: [{ id: 'civis', reason: 'Civis reports credits with no dollar rate set' }] },
    };
    const report = mapTeamReport(PERIOD, NOW_MS, failing, []);
    expect(report.notes).toEqual([
      'On the team server, Baseten (baseten) shows its last good data: Baseten refused the API key (401)',
      'On the team server, civis is not in the total: Civis reports credits with no dollar rate set',
    ]);
    // No history at all: still the server's spend, with its remainder as one "Other" line.
    expect(report.totalMicros).toBe(toMicros(server.spentUsd));
    expect(report.buckets).toEqual([]);
  });
});

describe('plainHttpWarning', () => {
  it('warns when the token would cross the network unencrypted, not for https or this machine', () => {
    expect(plainHttpWarning('http://burnrate.internal:8787')).toBe(
      "The team server is read over plain http (burnrate.internal:8787): its token travels unencrypted. Use https through the server's TLS proxy.",
    );
    expect(plainHttpWarning('http://10.0.0.5')).toMatch(/plain http \(10\.0\.0\.5\)/);
    for (const safe of ['https://burnrate.example.com', 'http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787']) expect(plainHttpWarning(safe), safe).toBeNull();
  });
});
