/**
 * renderer/src/features/period/keptPaths.ts: a series' paths are built again whenever anything
 * they are drawn from changed (values, x values, index range, plot box, scales), and kept
 * otherwise. (That kept paths draw the same pixels as new ones is checked in Chromium by
 * test/e2e/period.spec.ts.)
 */
import fc from 'fast-check';
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { keepPaths } from '../../renderer/src/features/period/keptPaths';

interface World {
  x: number[];
  y: (number | null)[];
  bbox: { left: number; top: number; width: number; height: number };
  xScale: { min: number; max: number };
  yScale: { min: number; max: number };
}

const world = (): World => ({
  x: [0, 1, 2, 3],
  y: [1, 2, null, 4],
  bbox: { left: 10, top: 5, width: 400, height: 190 },
  xScale: { min: -0.6, max: 3.6 },
  yScale: { min: 0, max: 12 },
});

/** The parts of a uPlot instance the builders read, for series 1 on scale 'usd'. */
function plot(w: World): uPlot {
  return {
    data: [w.x.slice(), w.y.slice()],
    bbox: { ...w.bbox },
    scales: { x: { ...w.xScale }, usd: { ...w.yScale } },
    series: [{}, { scale: 'usd' }],
  } as unknown as uPlot;
}

/** A builder that makes a new paths object per call and counts its calls. */
function counting(): { build: uPlot.Series.PathBuilder; calls: () => number } {
  let calls = 0;
  return {
    build: () => {
      calls += 1;
      return { stroke: null, fill: null };
    },
    calls: () => calls,
  };
}

const changes: Record<string, (w: World) => void> = {
  value: (w) => {
    w.y[3] = 5;
  },
  gap: (w) => {
    w.y[1] = null;
  },
  x: (w) => {
    w.x[3] = 4;
  },
  length: (w) => {
    w.x.push(4);
    w.y.push(6);
  },
  width: (w) => {
    w.bbox.width = 380;
  },
  top: (w) => {
    w.bbox.top = 6;
  },
  'y scale': (w) => {
    w.yScale.max = 13;
  },
  'x scale': (w) => {
    w.xScale.max = 4.6;
  },
};

describe('keepPaths', () => {
  it('keeps the paths while nothing they are drawn from changed (new arrays with the same values included)', () => {
    const { build, calls } = counting();
    const kept = keepPaths(build);
    const first = kept(plot(world()), 1, 0, 3);
    expect(kept(plot(world()), 1, 0, 3)).toBe(first);
    expect(calls()).toBe(1);
  });

  it('builds them again when the values, the x values, the range, the box or a scale changed', () => {
    for (const [name, change] of Object.entries(changes)) {
      const { build, calls } = counting();
      const kept = keepPaths(build);
      const first = kept(plot(world()), 1, 0, 3);
      const w = world();
      change(w);
      expect(kept(plot(w), 1, 0, 3), name).not.toBe(first);
      expect(calls(), name).toBe(2);
    }
    const { build } = counting();
    const kept = keepPaths(build);
    const first = kept(plot(world()), 1, 0, 3);
    expect(kept(plot(world()), 1, 1, 3)).not.toBe(first);
  });

  it('for any sequence of worlds: a call answers the kept paths exactly when its world equals the previous one', () => {
    fc.assert(
      fc.property(fc.array(fc.subarray(Object.keys(changes)), { minLength: 1, maxLength: 8 }), (steps) => {
        const { build, calls } = counting();
        const kept = keepPaths(build);
        let previous = kept(plot(world()), 1, 0, 3);
        let previousKey = JSON.stringify(world());
        for (const names of steps) {
          const w = world();
          for (const name of names) changes[name]!(w);
          const paths = kept(plot(w), 1, 0, 3);
          const key = JSON.stringify(w);
          if (key === previousKey) expect(paths).toBe(previous);
          else expect(paths).not.toBe(previous);
          previous = paths;
          previousKey = key;
        }
        expect(calls()).toBeLessThanOrEqual(steps.length + 1);
      }),
    );
  });
});
