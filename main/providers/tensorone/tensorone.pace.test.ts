/**
 * Issue 9, item 1: a sparse, newest-first timeSeries is not hours of zero spend. Against the
 * loopback fake (real HTTP), a connection's burn rate and projection agree with its totals, and the
 * step and spike rules hold with TensorOne's data shape.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../fake/scenario';
import { startTensorOneFake, type TensorOneFake } from './tensorone.fake';
import { HOUR_MS } from '../../core/report';
import { summarizeWorkspace } from '../../core/spend';
import type { Workspace } from '../../core/workspace';
import { createHttpClient } from '../http';
import { tensoroneAdapter } from './tensorone';

const KEY = 'tpo_live_PACE_0a1b2c3d4e5f6a7b';
const NOW = Date.UTC(2026, 4, 20, 12, 30);
const MAY = { startMs: Date.UTC(2026, 4, 1), endMs: Date.UTC(2026, 5, 1) };
const http = createHttpClient({ timeoutMs: 5_000 });
const fakes: TensorOneFake[] = [];
afterAll(async () => {
  await http.close();
  await Promise.all(fakes.map((fake) => fake.stop()));
});

const workspace: Workspace = {
  id: 'w',
  name: 'W',
  timeZone: 'UTC',
  currency: 'USD',
  budget: null,
  period: 'month',
  forecastAlerts: false,
  connectionIds: ['t1'],
};

function scenario(hourly: (hourStartMs: number) => number): Scenario {
  return {
    seed: 1,
    resources: [{ id: 'cluster-1', name: 'Cluster', hourlyMicros: 4_000_000, meta: { resourceType: 'clusters', region: 'us-east-1' } }],
    override: (_, hourStartMs) => ({ costMicros: hourly(hourStartMs) }),
  };
}

async function connectionLine(hourly: (hourStartMs: number) => number, sparseSeries: boolean | { everyHours: number }) {
  const fake = await startTensorOneFake({ apiKey: KEY, now: () => NOW, scenario: scenario(hourly), sparseSeries });
  fakes.push(fake);
  const report = await tensoroneAdapter.fetchUsage(
    { startMs: MAY.startMs, endMs: NOW },
    { http, apiKey: KEY, settings: tensoroneAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl }), nowMs: NOW },
  );
  const spend = summarizeWorkspace({ workspace, nowMs: NOW, connections: [{ connectionId: 't1', provider: 'tensorone', providerName: 'TensorOne', report, stale: false }] });
  return { report, spend, line: spend.connections[0]! };
}

describe('TensorOne pace from a sparse time series (loopback fake, real HTTP)', () => {
  it('reads $4/h from a constant $4/h month whose series lists every 4th hour (not $1/h), and projects from the total', async () => {
    const { report, line, spend } = await connectionLine(() => 4_000_000, { everyHours: 4 });
    expect(line.burnRate?.microsPerHour).toBe(4_000_000);
    expect(line.burnRate?.method).toBe('sparse-points');
    expect(line.projection?.method).toBe('sparse-points');
    // Spent through 12:30 on the 20th plus $4/h for the rest of May: the month's true total.
    const hoursLeft = (MAY.endMs - (report.dataThroughMs ?? NOW)) / HOUR_MS;
    expect(line.projection?.projectedMicros).toBe(report.totalMicros + Math.round(4_000_000 * hoursLeft));
    expect(line.notes.join(' ')).toMatch(/TensorOne's time series leaves hours out.*sparse-points/);
    expect(spend.burnRate.microsPerHour).toBe(4_000_000);
  });

  it('falls back to the period average from the total when the series has only its newest point', async () => {
    const { report, line } = await connectionLine(() => 4_000_000, true);
    expect(line.burnRate?.method).toBe('period-average');
    const hours = ((report.dataThroughMs ?? NOW) - MAY.startMs) / HOUR_MS;
    expect(line.burnRate?.microsPerHour).toBeCloseTo(report.totalMicros / hours, 6);
    expect(line.burnRate?.microsPerHour).toBeGreaterThan(3_900_000);
  });

  it('takes the new pace after a ×4 step three days ago (sparse series)', async () => {
    const stepMs = NOW - 3 * 24 * HOUR_MS;
    const { line } = await connectionLine((hourStartMs) => (hourStartMs < stepMs ? 1_000_000 : 4_000_000), { everyHours: 4 });
    expect(line.burnRate?.microsPerHour).toBe(4_000_000);
  });

  it('does not take one hour at 20× for the pace (sparse series)', async () => {
    const spikeMs = Math.floor(NOW / HOUR_MS) * HOUR_MS - 8 * HOUR_MS;
    const { line } = await connectionLine((hourStartMs) => (hourStartMs === spikeMs ? 80_000_000 : 4_000_000), { everyHours: 4 });
    expect(line.burnRate?.microsPerHour).toBe(4_000_000);
  });
});
