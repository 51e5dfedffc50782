import { describe, expect, it } from 'vitest';
import { exportCsv, exportJson, exportRows, microsToDecimal, type ExportInput } from './export';
import { HOUR_MS, type UsageReport } from './report';

const START = Date.UTC(2026, 10, 1);
const range = { startMs: START, endMs: START + 30 * 24 * HOUR_MS };

function report(totalMicros: number, costs: number[], unit: 'usd' | 'credits' = 'usd'): UsageReport {
  return {
    provider: 'baseten',
    range: { startMs: START, endMs: START + costs.length * HOUR_MS },
    unit,
    totalMicros,
    granularityMs: HOUR_MS,
    buckets: costs.map((costMicros, i) => ({ startMs: START + i * HOUR_MS, durationMs: HOUR_MS, costMicros })),
    resources: [],
    dataThroughMs: START + costs.length * HOUR_MS,
    extras: {},
    notes: [],
  };
}

const input = (r: UsageReport | null, extra: Partial<ExportInput> = {}): ExportInput => ({ workspaceId: 'research', connectionId: 'bt', provider: 'baseten', range, report: r, stale: false, ...extra });

describe('exportRows', () => {
  it('writes one row per bucket that adds up to the total', () => {
    const rows = exportRows([input(report(3_500_000, [1_000_000, 2_500_000]))]);
    expect(rows.map((r) => [r.startMs - START, r.endMs - START, r.costMicros, r.note])).toEqual([
      [0, HOUR_MS, 1_000_000, ''],
      [HOUR_MS, 2 * HOUR_MS, 2_500_000, ''],
    ]);
  });

  it('reconciles a provider total above its buckets with one unallocated row', () => {
    const rows = exportRows([input(report(4_000_001, [1_000_000, 2_500_000]))]);
    expect(rows.reduce((sum, r) => sum + r.costMicros, 0)).toBe(4_000_001);
    expect(rows.at(-1)).toMatchObject({ costMicros: 500_001, note: 'unallocated', startMs: START, endMs: START + 2 * HOUR_MS });
  });

  it('leaves out credits-only reports, connections without data and reports of another period', () => {
    const otherPeriod = { ...report(1_000_000, [1_000_000]), range: { startMs: START - 40 * 24 * HOUR_MS, endMs: START - 10 * 24 * HOUR_MS } };
    expect(exportRows([input(report(1_000_000, [1_000_000], 'credits')), input(null), input(otherPeriod)])).toEqual([]);
  });
});

describe('formats', () => {
  it('writes exact decimals', () => {
    expect(microsToDecimal(0)).toBe('0.000000');
    expect(microsToDecimal(1_247_830_001)).toBe('1247.830001');
    expect(microsToDecimal(-1_500_001)).toBe('-1.500001');
  });

  it('writes CSV with a header and ISO times, quoting where needed', () => {
    const rows = exportRows([input(report(1_000_000, [1_000_000]), { workspaceId: 'a,b' })]);
    expect(exportCsv(rows)).toBe(
      'workspace_id,connection_id,provider,start,end,cost_usd,stale,note\n"a,b",bt,baseten,2026-11-01T00:00:00.000Z,2026-11-01T01:00:00.000Z,1.000000,false,\n',
    );
    expect(JSON.parse(exportJson(rows))).toEqual([
      { workspace_id: 'a,b', connection_id: 'bt', provider: 'baseten', start: '2026-11-01T00:00:00.000Z', end: '2026-11-01T01:00:00.000Z', cost_usd: 1, stale: false, note: '' },
    ]);
  });
});
