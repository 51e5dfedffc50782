/**
 * Issue 9, item 2: a cached report is never shown as another period's spend. A month's report,
 * fetched over real HTTP from the loopback fake, after the workspace switches to a week period, a
 * different cycle start day or another time zone while the provider fails: no value, and the
 * connection is listed as left out of the total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLimitryFake, type LimitryFake } from './limitry.fake';
import type { UsageReport } from '../../core/report';
import { summarizeWorkspace } from '../../core/spend';
import type { Workspace } from '../../core/workspace';
import { createHttpClient } from '../http';
import { limitryAdapter } from './limitry';

const KEY = 'lmtry_sk_PERIOD_1a2b3c4d5e6f7a8b';
const NOW = Date.UTC(2026, 4, 20, 12); // Wednesday 20 May 2026
const http = createHttpClient({ timeoutMs: 5_000 });
let fake: LimitryFake;
let monthReport: UsageReport;

const workspace = (patch: Partial<Workspace>): Workspace => ({
  id: 'w',
  name: 'W',
  timeZone: 'UTC',
  currency: 'USD',
  budget: null,
  period: 'month',
  forecastAlerts: false,
  connectionIds: ['lim'],
  ...patch,
});

beforeAll(async () => {
  fake = await startLimitryFake({ apiKey: KEY, now: () => NOW });
  monthReport = await limitryAdapter.fetchUsage(
    { startMs: Date.UTC(2026, 4, 1), endMs: NOW },
    { http, apiKey: KEY, settings: limitryAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl }), nowMs: NOW },
  );
});
afterAll(async () => {
  await http.close();
  await fake.stop();
});

describe('a stale report belongs to its own period', () => {
  const summarize = (patch: Partial<Workspace>) =>
    summarizeWorkspace({ workspace: workspace(patch), nowMs: NOW, connections: [{ connectionId: 'lim', provider: 'limitry', providerName: 'Limitry', report: monthReport, stale: true }] });

  it('counts the month report for the month it was fetched for', () => {
    const spend = summarize({});
    expect(monthReport.totalMicros).toBeGreaterThan(0);
    expect(spend.spentMicros).toBe(monthReport.totalMicros);
    expect(spend.coverage).toEqual({ connectionsOk: 1, connectionsTotal: 1, excluded: [] });
  });

  it.each<[string, Partial<Workspace>]>([
    ['a week period', { period: 'week' }],
    ['another cycle start day', { cycleStartDay: 15 }],
    ['another time zone', { timeZone: 'America/New_York' }],
  ])('shows no value after a change to %s', (_what, patch) => {
    const spend = summarize(patch);
    expect(spend.spentMicros).toBe(0);
    expect(spend.connections[0]).toMatchObject({ status: 'other-period', spentMicros: 0, burnRate: null, projection: null });
    expect(spend.coverage.connectionsOk).toBe(0);
    expect(spend.coverage.excluded).toEqual([{ id: 'lim', reason: "The last report is from another period; waiting for this period's data." }]);
  });
});
