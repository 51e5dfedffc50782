/**
 * renderer/src/shareStructure.ts: a new status document merged against the previous one keeps the
 * identity of every part that did not change (what lets the memoized sections of the popover and
 * the served dashboard skip them on an update), and is deep-equal to the new document.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../preload/api';
import { allSummary } from '../../renderer/src/features/overview/summary';
import { shareStructure } from '../../renderer/src/shareStructure';

const FIXTURE = join(resolve(import.meta.dirname, '..', 'e2e', 'fixtures'), 'snapshot.json');
const load = (): AppSnapshot => JSON.parse(readFileSync(FIXTURE, 'utf8')) as AppSnapshot;

/** Every object or array in `value`, with its path. */
function objectsOf(value: unknown, path = '$'): Array<[string, object]> {
  if (typeof value !== 'object' || value === null) return [];
  return [[path, value], ...Object.entries(value).flatMap(([key, child]) => objectsOf(child, `${path}.${key}`))];
}

describe('shareStructure', () => {
  it('keeps the identity of unchanged sections when only the headline and the time moved (a served poll)', () => {
    const before = load();
    const next = load();
    const workspace = next.status.workspaces[0]!;
    (next.status as { generatedAt: string }).generatedAt = '2026-11-21T21:48:14.970Z';
    (workspace as { spentUsd: number }).spentUsd += 1;

    const merged = shareStructure(before, next);

    expect(merged).toEqual(next);
    // Changed: the path from the root to each changed number is new.
    expect(merged).not.toBe(before);
    expect(merged.status).not.toBe(before.status);
    expect(merged.status.workspaces).not.toBe(before.status.workspaces);
    expect(merged.status.workspaces[0]).not.toBe(before.status.workspaces[0]);
    // Unchanged: everything else is the previous object.
    const old = before.status.workspaces[0]!;
    const now = merged.status.workspaces[0]!;
    expect(now.connections).toBe(old.connections);
    expect(now.hourlySpendUsd).toBe(old.hourlySpendUsd);
    expect(now.dailySpendUsd).toBe(old.dailySpendUsd);
    expect(now.period).toBe(old.period);
    expect(now.budget).toBe(old.budget);
    for (let i = 1; i < before.status.workspaces.length; i += 1) expect(merged.status.workspaces[i]).toBe(before.status.workspaces[i]);
  });

  it('answers the previous object itself when nothing changed', () => {
    const before = load();
    expect(shareStructure(before, load())).toBe(before);
  });

  it('shares the derived summary of the All tab: an unchanged hourly series, history and connection list keep their identity', () => {
    const before = load();
    const next = load();
    (next.status.workspaces[0] as { spentUsd: number }).spentUsd += 1;
    const first = allSummary(shareStructure(before, before).status);
    const merged = shareStructure(first, allSummary(shareStructure(before, next).status));
    expect(merged.hourly).toBe(first.hourly);
    expect(merged.history).toBe(first.history);
    expect(merged.connections).toBe(first.connections);
    expect(merged.resources).toBe(first.resources);
  });

  it('replaces an object whose keys changed, even with the same values elsewhere', () => {
    const before = { a: { x: 1 }, b: { y: 2 } };
    const added = shareStructure(before, { a: { x: 1 }, b: { y: 2, z: 3 } });
    expect(added.a).toBe(before.a);
    expect(added.b).not.toBe(before.b);
    expect(added.b).toEqual({ y: 2, z: 3 });
    const removed = shareStructure<{ a: { x: number }; b?: { y: number } }>(before, { a: { x: 1 } });
    expect(removed).not.toBe(before);
    expect(removed).toEqual({ a: { x: 1 } });
    const undefinedKey = shareStructure<Record<string, unknown>>({ a: 1 }, { a: 1, b: undefined });
    expect(Object.keys(undefinedKey)).toEqual(['a', 'b']);
    // Same number of keys, an absent one read as undefined: not the same object (IPC snapshots can hold undefined).
    const swapped = shareStructure<Record<string, unknown>>({ a: 1, c: 2 }, { a: 1, b: undefined });
    expect(Object.keys(swapped)).toEqual(['a', 'b']);
  });

  it('shares the unchanged items of an array that grew or shrank, and never mutates its inputs', () => {
    const before = [{ h: 1 }, { h: 2 }];
    const frozenBefore = structuredClone(before);
    const next = [{ h: 1 }, { h: 2 }, { h: 3 }];
    const frozenNext = structuredClone(next);
    const merged = shareStructure(before, next);
    expect(merged).not.toBe(before);
    expect(merged[0]).toBe(before[0]);
    expect(merged[1]).toBe(before[1]);
    expect(merged[2]).toBe(next[2]);
    expect(before).toEqual(frozenBefore);
    expect(next).toEqual(frozenNext);
    expect(next[0]).not.toBe(before[0]);
    const shorter = shareStructure(before, [{ h: 1 }]);
    expect(shorter).toEqual([{ h: 1 }]);
    expect(shorter[0]).toBe(before[0]);
  });

  it('for any two JSON values: the result equals the new one, and every part deep-equal to the old one at its place is the old one', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (a, b, overlap) => {
        // Half the cases: the new value is the old one with one part replaced, so most parts match.
        const previous = overlap ? { keep: a, change: a } : a;
        const next = overlap ? { keep: structuredClone(a), change: b } : b;
        const merged = shareStructure(previous, next);
        expect(merged).toStrictEqual(next);
        const old = new Map(objectsOf(previous));
        for (const [path, part] of objectsOf(merged)) {
          const before = old.get(path);
          if (before !== undefined && JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(part))) expect(part).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  return value;
}
