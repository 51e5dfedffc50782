import { describe, expect, it } from 'vitest';
import type { AppSnapshot, WorkspaceStatus } from '../../preload/api';
import { trayText } from './trayText';

function workspace(id: string, spentUsd: number, rate: number, usedPercent: number | null, error = false): WorkspaceStatus {
  return {
    id,
    name: id.toUpperCase(),
    currency: 'USD',
    period: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    spentUsd,
    nowcastUsd: spentUsd,
    burnRateUsdPerHour: rate,
    projectedUsd: spentUsd * 2,
    projectedLowUsd: spentUsd,
    projectedHighUsd: spentUsd * 3,
    projectionMethod: 'run-rate',
    budget: usedPercent === null ? null : { amountUsd: 2000, usedPercent, projectedPercent: usedPercent * 2, crossesAt: null },
    connections: [
      { id: 'c', provider: 'baseten', status: error ? 'error' : 'ok', spentUsd, spentCredits: null, dataThrough: null, fetchedAt: null, topResources: [], error: error ? { kind: 'auth', message: 'x' } : null },
    ],
  };
}

function snapshot(selected: string | null, workspaces: WorkspaceStatus[], demo = false): AppSnapshot {
  return { status: { generatedAt: '2026-11-21T00:00:00.000Z', workspaces, ...(demo ? { demo } : {}) }, selectedWorkspaceId: selected, refreshing: false, fromCache: false };
}

describe('trayText', () => {
  it('shows the selected workspace spend and pace', () => {
    const text = trayText(snapshot('a', [workspace('a', 1247.83, 12.4, 62), workspace('b', 10, 1, null)]));
    expect(text.title).toBe('$1,248 · $12.40/h');
    expect(text.tooltip).toContain('A: $1,248 spent');
    expect(text.tooltip).not.toContain('B:');
  });

  it('sums all workspaces when none is selected', () => {
    expect(trayText(snapshot(null, [workspace('a', 100, 2, null), workspace('b', 50, 1, null)])).title).toBe('$150.00 · $3.00/h');
  });

  it('marks an exhausted budget and a failing connection', () => {
    expect(trayText(snapshot('a', [workspace('a', 2100, 3, 105)])).title.startsWith('⚠ ')).toBe(true);
    expect(trayText(snapshot('a', [workspace('a', 10, 3, 1, true)])).title.startsWith('! ')).toBe(true);
  });

  it('says demo data in the tooltip', () => {
    expect(trayText(snapshot(null, [workspace('a', 1, 1, null)], true)).tooltip).toContain('demo data');
  });
});
