/**
 * The status document's per-workspace memos (issue 11, "one summary per change", linear watch
 * rounds): a workspace's history and document section are made again only when their inputs
 * change, never kept past a change.
 */
import { describe, expect, it } from 'vitest';
import { summarizeObserved } from '../core/observation';
import { parseConfig } from './config';
import { WorkspaceSections } from './statusDocument';
import { HistoryMemo, type StoredTotalRow } from './workspaceHistory';
import { createWorkspaceStates } from './workspaceState';
import type { WorkspaceStatus } from '../../preload/api';

const NOW_MS = Date.UTC(2026, 2, 10, 12);
const config = parseConfig(
  {
    workspaces: [
      { id: 'lab', timeZone: 'UTC', connections: [{ id: 'bt', provider: 'baseten', apiKey: 'k1' }] },
      { id: 'ops', timeZone: 'UTC', connections: [{ id: 't1', provider: 'tensorone', apiKey: 'k2' }] },
    ],
  },
  'test',
);

describe('HistoryMemo', () => {
  it('keeps a workspace\u2019s history while its summary and its own stored totals are the same, and only then', () => {
    const [lab] = createWorkspaceStates(config);
    const spend = summarizeObserved(lab!.config.workspace, lab!.states, NOW_MS);
    const rows = (labFebruary: number): StoredTotalRow[] => [
      { key: 'lab/bt', periodKey: 'month:2026-02-01@UTC', totalMicros: labFebruary },
      { key: 'ops/t1', periodKey: 'month:2026-02-01@UTC', totalMicros: 7_000_000 },
    ];
    const memo = new HistoryMemo();
    const first = memo.of(lab!, spend, NOW_MS, rows(5_000_000));
    expect(first.history.map((p) => p.spentMicros)).toEqual([5_000_000]);
    // Equal rows in a new array (the store read again after a save), another workspace's row changed: kept.
    expect(memo.of(lab!, spend, NOW_MS, rows(5_000_000))).toBe(first);
    expect(memo.of(lab!, spend, NOW_MS, [...rows(5_000_000).slice(0, 1), { key: 'ops/t1', periodKey: 'month:2026-02-01@UTC', totalMicros: 1 }])).toBe(first);
    // Its own total changed: made again, with the new number.
    const revised = memo.of(lab!, spend, NOW_MS, rows(6_000_000));
    expect(revised.history.map((p) => p.spentMicros)).toEqual([6_000_000]);
    // A new summary (a refresh, or the minute turned): made again.
    const later = summarizeObserved(lab!.config.workspace, lab!.states, NOW_MS + 60_000);
    expect(memo.of(lab!, later, NOW_MS + 60_000, rows(6_000_000))).not.toBe(revised);
  });
});

describe('WorkspaceSections', () => {
  it('keeps a section while its summary, history and connections are the same objects', () => {
    const [lab] = createWorkspaceStates(config);
    const spend = summarizeObserved(lab!.config.workspace, lab!.states, NOW_MS);
    const input = { config: lab!.config, spend, states: lab!.states };
    const sections = new WorkspaceSections();
    const made: WorkspaceStatus[] = [];
    const make = (): WorkspaceStatus => {
      const section = { id: `section ${made.length}` } as unknown as WorkspaceStatus;
      made.push(section);
      return section;
    };
    const first = sections.of(input, make);
    expect(sections.of(input, make)).toBe(first);
    // A connection fetched again (a new fetch time), failed, or a new summary: made again.
    lab!.states[0]!.fetchedAtMs = NOW_MS;
    const fetched = sections.of(input, make);
    expect(fetched).not.toBe(first);
    lab!.states[0]!.error = { kind: 'network', message: 'refused' } as never;
    expect(sections.of(input, make)).not.toBe(fetched);
    expect(sections.of({ ...input, spend: summarizeObserved(lab!.config.workspace, lab!.states, NOW_MS) }, make)).not.toBe(made[2]);
    expect(made).toHaveLength(4);
  });
});
