import { describe, expect, it } from 'vitest';
import type { AppSnapshot, WorkspaceStatus } from '../../preload/api';
import { trayIconState, trayText } from './trayText';

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
    budget: usedPercent === null ? null : { amountUsd: 2000, usedPercent, projectedPercent: usedPercent * 2, crossesAt: null, thresholdsPercent: [50, 90] },
    coverage: { connectionsOk: 1, connectionsTotal: 1, excluded: [] },
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

  it('writes the title in each format, with the demo marker first on demo data', () => {
    const snap = snapshot('a', [workspace('a', 1247.83, 12.4, 62.4), workspace('b', 10, 1, null)]);
    const titles = (['spend-pace', 'spend', 'pace', 'projected', 'budget-percent', 'icon-only'] as const).map((format) => trayText(snap, format).title);
    expect(titles).toEqual(['$1,248 · $12.40/h', '$1,248', '$12.40/h', '→ $2,496', '62%', '']);
    const demo = snapshot('a', [workspace('a', 1247.83, 12.4, 62.4)], true);
    expect(trayText(demo).title).toBe('DEMO $1,248 · $12.40/h');
    expect(trayText(demo, 'icon-only').title).toBe('DEMO');
  });

  it('shows spend for budget-percent when no workspace has a budget, and sums budgets for all workspaces', () => {
    expect(trayText(snapshot('b', [workspace('b', 10, 1, null)]), 'budget-percent').title).toBe('$10.00');
    // (1000 + 500) / (2000 + 2000)
    expect(trayText(snapshot(null, [workspace('a', 1000, 1, 50), workspace('b', 500, 1, 25)]), 'budget-percent').title).toBe('38%');
  });
});

describe('trayIconState', () => {
  it.each([
    ['normal below every threshold', workspace('a', 10, 1, 20), 'normal'],
    ['warning at the lowest threshold', workspace('a', 10, 1, 50), 'warning'],
    ['over at 100 %', workspace('a', 10, 1, 100), 'over'],
    ['stale when a connection fails', workspace('a', 10, 1, 20, true), 'stale'],
    ['over wins over a failing connection', workspace('a', 10, 1, 130, true), 'over'],
    ['normal without a budget', workspace('a', 10, 1, null), 'normal'],
  ] as const)('%s', (_name, ws, state) => {
    expect(trayIconState(snapshot('a', [ws]))).toBe(state);
  });

  it('looks at the selected workspace only, or at all of them', () => {
    const both = [workspace('a', 10, 1, 10), workspace('b', 10, 1, 120)];
    expect(trayIconState(snapshot('a', both))).toBe('normal');
    expect(trayIconState(snapshot(null, both))).toBe('over');
  });

  it('says stale for a broken configuration', () => {
    expect(trayIconState({ ...snapshot(null, []), setup: { mode: 'invalid', problems: [] } })).toBe('stale');
  });
});

describe('trayText with a partial total', () => {
  it('reads "≥$X" when the total leaves connections out, and says so in the tooltip', () => {
    const partial: WorkspaceStatus = { ...workspace('a', 120, 2, null), coverage: { connectionsOk: 1, connectionsTotal: 2, excluded: [{ id: 't1', reason: 'failed' }] } };
    const text = trayText(snapshot('a', [partial]));
    expect(text.title).toContain('≥$120.00');
    expect(text.tooltip).toContain('partial: 1 of 2 connections');
    expect(trayText(snapshot('a', [workspace('a', 120, 2, null)])).title).not.toContain('≥');
  });

  it('reads "…" before any connection has answered, not "≥$0.00"', () => {
    const waiting: WorkspaceStatus = { ...workspace('a', 0, 0, 0), coverage: { connectionsOk: 0, connectionsTotal: 1, excluded: [{ id: 'c', reason: 'no data yet' }] } };
    expect(trayText(snapshot('a', [waiting], true)).title).toBe('DEMO …');
    expect(trayText(snapshot('a', [waiting]), 'spend').title).toBe('…');
    const failed: WorkspaceStatus = { ...workspace('a', 0, 0, 0, true), coverage: waiting.coverage };
    expect(trayText(snapshot('a', [failed])).title).toBe('! ≥$0.00 · $0.00/h');
  });
});
