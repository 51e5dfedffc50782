/**
 * renderer/src/features/period/keptPaths.ts: a series' paths are built again whenever anything
 * they are drawn from changed (values, x values, index range, plot box, scales), and kept
 * otherwise. (That kept paths draw the same pixels as new ones is checked in Chromium by
 * test/e2e/period.spec.ts.)
 */
import fc from 'fast-check';
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { drawsSamePicture, keepPaths } from '../../renderer/src/features/period/keptPaths';

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

describe('drawsSamePicture', () => {
  // A chart of one bar series (scale 'day') and two lines (scale 'usd'), 190 px high from y = 10:
  // the usd scale runs from 0 to 19,000, so one canvas pixel is $100.
  const scales: Record<string, { min: number; max: number }> = { day: { min: 0, max: 3000 }, usd: { min: 0, max: 19_000 } };
  const chart = {
    series: [{}, { scale: 'day' }, { scale: 'usd' }, { scale: 'usd' }],
    valToPos: (value: number, key: string, canvas?: boolean) => {
      expect(canvas).toBe(true);
      const { min, max } = scales[key]!;
      return 10 + 190 * (1 - (value - min) / (max - min));
    },
  } as unknown as uPlot;
  const shown = (): uPlot.AlignedData => [
    [0, 1, 2, 3],
    [500, 600, 700, null],
    [500, 1200, 1230, null],
    [null, null, 1230, 17_000],
  ];
  const with_ = (series: number, index: number, value: number | null): uPlot.AlignedData => {
    const data = shown().map((column) => [...column]) as (number | null)[][];
    data[series]![index] = value;
    return data as uPlot.AlignedData;
  };

  it('is true for the same numbers, and for lines whose points stay on their pixels', () => {
    expect(drawsSamePicture(chart, shown(), shown(), 2)).toBe(true);
    // $1,230 → $1,241 and $1,219: y = 187.70, 187.59 and 187.81, all on pixel 188.
    expect(drawsSamePicture(chart, shown(), with_(2, 2, 1241), 2)).toBe(true);
    expect(drawsSamePicture(chart, shown(), with_(3, 2, 1219), 2)).toBe(true);
  });

  it('is false when a point moves to another pixel, a gap moves, a bar or an x value changes, or a scale would', () => {
    // $1,230 → $1,300: y = 187.70 → 187.00, pixel 188 → 187.
    expect(drawsSamePicture(chart, shown(), with_(2, 2, 1300), 2)).toBe(false);
    expect(drawsSamePicture(chart, shown(), with_(2, 3, 1230), 2)).toBe(false);
    expect(drawsSamePicture(chart, shown(), with_(3, 2, null), 2)).toBe(false);
    // A bar's value, however small the change (bars are not kept to whole pixels), extremes unchanged.
    expect(drawsSamePicture(chart, shown(), with_(1, 1, 600.01), 2)).toBe(false);
    expect(drawsSamePicture(chart, shown(), with_(0, 3, 4), 2)).toBe(false);
    // The usd scale's largest value moved by $1 (same pixel): the scale would be ranged again.
    expect(drawsSamePicture(chart, shown(), with_(3, 3, 17_001), 2)).toBe(false);
    // ...and its smallest.
    expect(drawsSamePicture(chart, shown(), with_(2, 0, 499), 2)).toBe(false);
    // Another number of series.
    expect(drawsSamePicture(chart, shown(), shown().slice(0, 3) as uPlot.AlignedData, 2)).toBe(false);
  });

  it('for any change of the line points: true exactly when the scale extremes and every pixel and gap are the same', () => {
    const pixel = (value: number): number => Math.round(10 + 190 * (1 - value / 19_000));
    const inside = fc.option(fc.double({ min: 1000, max: 18_000, noNaN: true }), { nil: null });
    // Moves of up to $300 (3 px), often none; the extremes ($500 and $18,500) moved now and then.
    const move = fc.oneof(fc.constant(0), fc.double({ min: -300, max: 300, noNaN: true }));
    const extreme = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) });
    const plot = { series: [{}, { scale: 'day' }, { scale: 'usd' }], valToPos: chart.valToPos } as unknown as uPlot;
    const outcomes = { true: 0, false: 0 };
    fc.assert(
      fc.property(fc.array(inside, { minLength: 3, maxLength: 3 }), fc.array(move, { minLength: 3, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), extreme, extreme, (points, moves, gaps, low, high) => {
        const a = [500, ...points, 18_500];
        const b = [500 + low, ...points.map((v, i) => (gaps[i] ? null : v === null ? v : v + moves[i]!)), 18_500 + high];
        const values = (column: (number | null)[]) => column.filter((v): v is number => v !== null);
        const extremes = (column: (number | null)[]) => JSON.stringify([Math.min(...values(column)), Math.max(...values(column))]);
        const picture = (column: (number | null)[]) => JSON.stringify(column.map((v) => (v === null ? null : pixel(v))));
        const expected = extremes(a) === extremes(b) && picture(a) === picture(b);
        const x = [0, 1, 2, 3, 4];
        const bars = [1, 2, 3, 4, 5];
        expect(drawsSamePicture(plot, [x, bars, a] as uPlot.AlignedData, [x, bars, b] as uPlot.AlignedData, 2)).toBe(expected);
        outcomes[expected ? 'true' : 'false'] += 1;
      }),
      { numRuns: 500 },
    );
    // Both answers were asked for.
    expect(outcomes.true).toBeGreaterThan(50);
    expect(outcomes.false).toBeGreaterThan(50);
  });
});
