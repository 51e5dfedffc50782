/**
 * The popover's derived values are not derived again when their inputs did not change (issue 11:
 * the update cost): renderer/src/lastResult.ts, the summary's parts (features/overview/summary.ts)
 * and the period chart's providers (features/period/periodData.ts). A part is kept only while the
 * sub-objects it reads are the same objects (structural sharing keeps them), and a kept part is
 * never stale: any change of what it reads derives it again.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { AppSnapshot, StatusDocument, WorkspaceStatus } from '../../preload/api';
import { allSummary, workspaceSummary, type ViewSummary } from '../../renderer/src/features/overview/summary';
import { periodDays, providersOf } from '../../renderer/src/features/period/periodData';
import { lastResult } from '../../renderer/src/lastResult';
import { shareStructure } from '../../renderer/src/shareStructure';

const FIXTURE = join(resolve(import.meta.dirname, '..', 'e2e', 'fixtures'), 'snapshot.json');
/**
 * The popover fixture's status, with what the served dashboard's documents carry as well (the
 * fixture has only the popover's parts): per workspace, 10 days of daily spend by provider, every
 * resource, two past periods and the comparison.
 */
function load(): StatusDocument {
  const status = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as AppSnapshot).status;
  return {
    ...status,
    workspaces: status.workspaces.map((w, k) => {
      const providers = [...new Set(w.connections.map((c) => c.provider))];
      const start = Date.parse(w.period.start);
      const daily = Array.from({ length: 10 }, (_, i) => {
        const byProvider = Object.fromEntries(providers.map((p, j) => [p, 10 * (k + 1) + i + j * 7]));
        return { start: new Date(start + i * 86_400_000).toISOString(), spentUsd: Object.values(byProvider).reduce((a, b) => a + b, 0), byProvider };
      });
      const extra = w.connections.map((c, j) => ({ id: `extra-${j}`, name: `Extra ${j}`, kind: 'deployment', spentUsd: 5 + j, connectionId: c.id, requests: j }));
      const history = [0, 1].map((back) => ({
        start: new Date(Date.UTC(2026, 9 - back, 1)).toISOString(),
        end: new Date(Date.UTC(2026, 10 - back, 1)).toISOString(),
        spentUsd: 1000 * (k + 1) + back,
        budgetUsd: k === 2 ? null : 20_000,
        usedPercent: null,
        connections: w.connections.length,
      }));
      return { ...w, dailySpendUsd: daily, resources: [...(w.topResources ?? []), ...extra], history, comparison: { currentUsd: w.spentUsd, previousUsd: 900 * (k + 1), changePercent: 12.5, elapsedHours: 500 } };
    }),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A status document that a test may change. */
type Draft = Mutable<Omit<StatusDocument, 'workspaces' | 'all'>> & { workspaces: Array<Mutable<WorkspaceStatus>>; all?: Mutable<NonNullable<StatusDocument['all']>> };
/** The fixture with `change` applied to a copy, structurally shared with `previous` (as useSpend does). */
function updated(previous: StatusDocument, change: (status: Draft) => void): StatusDocument {
  const next = structuredClone(previous) as unknown as Draft;
  change(next);
  return shareStructure(previous, next as unknown as StatusDocument);
}

/** Parts of a summary derived from sub-objects of the document (not copied scalars). */
const DERIVED: ReadonlyArray<keyof ViewSummary> = ['hourly', 'daily', 'providerNames', 'topResources', 'resources', 'history', 'comparison', 'connections', 'coverage'];

describe('lastResult', () => {
  it('computes again only when an input is another value, position by position', () => {
    const cached = lastResult<number[]>();
    const a = [1];
    const b = [2];
    let runs = 0;
    const compute = () => {
      runs += 1;
      return [runs];
    };
    const first = cached([a, b, Number.NaN], compute);
    expect(cached([a, b, Number.NaN], compute)).toBe(first);
    expect(runs).toBe(1);
    // A deep-equal copy is another input: computed again.
    const second = cached([a, [2], Number.NaN], compute);
    expect(second).not.toBe(first);
    expect(runs).toBe(2);
    // One input more or less is another call too.
    cached([a, [2]], compute);
    expect(runs).toBe(3);
  });
});

describe('summary parts', () => {
  it('the All tab keeps every derived part when only the headline moved, without merging the summary', () => {
    const before = load();
    const first = allSummary(before);
    const next = updated(before, (s) => {
      s.workspaces[0]!.spentUsd += 1;
      s.all!.spentUsd += 1;
      s.generatedAt = '2026-11-21T21:47:54.970Z';
    });
    const second = allSummary(next);
    expect(second.spentUsd).toBe(first.spentUsd + 1);
    for (const part of DERIVED) expect(second[part], part).toBe(first[part]);
  });

  it('a workspace tab keeps its derived parts when only its headline moved', () => {
    const before = load();
    const first = workspaceSummary(before.workspaces[1]!);
    const next = updated(before, (s) => {
      s.workspaces[1]!.spentUsd += 1;
    });
    const second = workspaceSummary(next.workspaces[1]!);
    expect(second.spentUsd).toBe(first.spentUsd + 1);
    for (const part of ['providerNames', 'topResources', 'resources', 'connections', 'coverage'] as const) expect(second[part], part).toBe(first[part]);
  });

  // What each change touches in the document; after it, the summary must equal one derived from
  // scratch (a deep copy: no shared object, so nothing is taken from the caches).
  const changes: Record<string, (s: Draft, k: number, usd: number) => void> = {
    headline: (s, k, usd) => {
      s.workspaces[k]!.spentUsd += usd;
    },
    hour: (s, k, usd) => {
      const hours = s.workspaces[k]!.hourlySpendUsd as Array<{ spentUsd: number }> | undefined;
      if (hours && hours.length > 0) hours[hours.length - 1]!.spentUsd += usd;
    },
    day: (s, k, usd) => {
      const days = s.workspaces[k]!.dailySpendUsd as Array<{ spentUsd: number; byProvider: Record<string, number> }> | undefined;
      const last = days?.[days.length - 1];
      if (last) {
        last.spentUsd += usd;
        const provider = Object.keys(last.byProvider)[0];
        if (provider) last.byProvider[provider]! += usd;
      }
    },
    resource: (s, k, usd) => {
      const resources = (s.workspaces[k]!.resources ?? s.workspaces[k]!.topResources) as Array<{ spentUsd: number }> | undefined;
      if (resources && resources.length > 0) resources[resources.length - 1]!.spentUsd += usd * 1000;
    },
    top: (s, k, usd) => {
      const top = s.workspaces[k]!.topResources as Array<{ spentUsd: number }> | undefined;
      if (top && top.length > 0) top[0]!.spentUsd += usd;
    },
    coverage: (s, k) => {
      const coverage = s.workspaces[k]!.coverage as unknown as { connectionsOk: number; excluded: Array<{ id: string; reason: string }> };
      const connection = s.workspaces[k]!.connections[0]!;
      coverage.connectionsOk -= 1;
      coverage.excluded.push({ id: connection.id, reason: 'no data yet' });
    },
    connection: (s, k) => {
      const connection = s.workspaces[k]!.connections[0] as { status: string; spentUsd: number | null };
      connection.status = 'error';
      connection.spentUsd = null;
    },
    providerName: (s, k) => {
      const connection = s.workspaces[k]!.connections[0] as { providerName?: string; provider: string };
      connection.providerName = `${connection.providerName ?? connection.provider} (renamed)`;
    },
    name: (s, k) => {
      s.workspaces[k]!.name = `${s.workspaces[k]!.name} renamed`;
    },
    history: (s, k, usd) => {
      const history = s.workspaces[k]!.history as Array<{ spentUsd: number }> | undefined;
      if (history && history.length > 0) history[0]!.spentUsd += usd;
    },
    comparison: (s, k, usd) => {
      const comparison = s.workspaces[k]!.comparison as { currentUsd: number } | null | undefined;
      if (comparison) comparison.currentUsd += usd;
    },
    removed: (s, k) => {
      if (s.workspaces.length > 1) s.workspaces.splice(k, 1);
    },
  };

  it('for any sequence of changes, every summary equals one derived from scratch', async () => {
    // From scratch: the summary module loaded afresh (its caches empty) for every expected value.
    const fromScratch = async (status: StatusDocument, view: number): Promise<ViewSummary> => {
      vi.resetModules();
      const fresh = await import('../../renderer/src/features/overview/summary');
      return view === 3 || status.workspaces.length === 0 ? fresh.allSummary(status) : fresh.workspaceSummary(status.workspaces[Math.min(view, status.workspaces.length - 1)]!);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ change: fc.constantFrom(...Object.keys(changes)), workspace: fc.nat(2), usd: fc.integer({ min: 1, max: 500 }) }), { minLength: 1, maxLength: 5 }),
        fc.nat(3),
        async (steps, view) => {
          const summarize = (status: StatusDocument): ViewSummary => {
            if (view === 3 || status.workspaces.length === 0) return allSummary(status);
            return workspaceSummary(status.workspaces[Math.min(view, status.workspaces.length - 1)]!);
          };
          let status = load();
          summarize(status);
          for (const step of steps) {
            const next = updated(status, (s) => changes[step.change]!(s, Math.min(step.workspace, s.workspaces.length - 1), step.usd));
            // As in the page: the caches hold the previous document's parts, and the new document
            // shares what did not change.
            expect(summarize(next)).toEqual(await fromScratch(structuredClone(next), view));
            status = next;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('providersOf', () => {
  it('keeps the providers while the days\' provider maps are the same objects, and sums again when one changed', () => {
    const status = load();
    const workspace = status.workspaces[0]!;
    const daily = workspace.dailySpendUsd!;
    const input = { period: workspace.period, daily, spentUsd: 100, projectedUsd: 200, projectedLowUsd: 150, projectedHighUsd: 250 };
    const days = periodDays(input);
    const first = providersOf(days);
    // Today's total moved: new day objects, the same provider maps (future days included).
    const moved = periodDays({ ...input, spentUsd: 101 });
    expect(moved).not.toBe(days);
    expect(providersOf(moved)).toBe(first);
    // A provider's day changed so much that the order flips: summed again.
    const last = first[first.length - 1]!;
    const changed = daily.map((d, i) => (i === 0 ? { ...d, byProvider: { ...d.byProvider, [last]: 1e9 } } : d));
    const again = providersOf(periodDays({ ...input, daily: changed }));
    expect(again[0]).toBe(last);
    expect(new Set(again)).toEqual(new Set(first));
  });
});

describe('periodDays', () => {
  it('ends the projection and its range exactly at the projected totals, whatever the headline (the chart is ranged from them)', () => {
    const workspace = load().workspaces[0]!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (spentUsd, low, extra) => {
        const input = { period: workspace.period, daily: workspace.dailySpendUsd!, spentUsd, projectedUsd: low + extra / 2, projectedLowUsd: low, projectedHighUsd: low + extra };
        const last = periodDays(input).at(-1)!;
        expect([last.projectedUsd, last.projectedLowUsd, last.projectedHighUsd]).toEqual([input.projectedUsd, input.projectedLowUsd, input.projectedHighUsd]);
      }),
    );
  });
});
