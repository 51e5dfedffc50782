/**
 * Paths of the period chart's series kept across redraws. uPlot builds every series' paths
 * (Path2D objects) again at each `setData`; a series whose values did not move is then drawn from
 * the paths it already has. An update in which only today's running total and the projection
 * moved builds the lines that moved, not the daily bars or the budget lines.
 */
import uPlot from 'uplot';

/** Whether two columns hold the same values (`Object.is`, so NaN and null compare as themselves). */
function sameColumn(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * `build`, answering the paths it built last while everything they are drawn from is unchanged:
 * the series' values and the x values, the index range, the plot's box, the x scale and the
 * series' own scale, and the pixel ratio. The same inputs give the same paths, so a kept series
 * draws the same pixels. One per series (it keeps one series' last paths).
 */
export function keepPaths(build: uPlot.Series.PathBuilder): uPlot.Series.PathBuilder {
  let last: { readonly inputs: readonly unknown[]; readonly x: ArrayLike<unknown>; readonly y: ArrayLike<unknown>; readonly paths: uPlot.Series.Paths | null } | null = null;
  return (u, seriesIdx, idx0, idx1) => {
    const x = u.data[0];
    const y = u.data[seriesIdx]!;
    const xScale = u.scales.x!;
    const yScale = u.scales[u.series[seriesIdx]!.scale!]!;
    const inputs = [idx0, idx1, u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height, xScale.min, xScale.max, yScale.min, yScale.max, uPlot.pxRatio];
    if (last !== null && sameColumn(last.inputs, inputs) && sameColumn(last.x, x) && sameColumn(last.y, y)) return last.paths;
    const paths = build(u, seriesIdx, idx0, idx1);
    last = { inputs, x, y, paths };
    return paths;
  };
}

/** Whether the series of scale `key` have the same smallest and largest value in `a` and `b` (nulls left out). */
function sameExtremes(plot: uPlot, a: uPlot.AlignedData, b: uPlot.AlignedData, key: string): boolean {
  let minA = Infinity;
  let maxA = -Infinity;
  let minB = Infinity;
  let maxB = -Infinity;
  for (let i = 1; i < a.length; i += 1) {
    if (plot.series[i]!.scale !== key) continue;
    const x = a[i]!;
    const y = b[i]!;
    for (let j = 0; j < x.length; j += 1) {
      const value = x[j];
      if (value === null || value === undefined) continue;
      if (value < minA) minA = value;
      if (value > maxA) maxA = value;
    }
    for (let j = 0; j < y.length; j += 1) {
      const value = y[j];
      if (value === null || value === undefined) continue;
      if (value < minB) minB = value;
      if (value > maxB) maxB = value;
    }
  }
  return Object.is(minA, minB) && Object.is(maxA, maxB);
}

/**
 * Whether `plot`, showing `shown`, would draw exactly the same pixels from `next`: then the new
 * numbers need no redraw (a poll that added a few dollars to a chart of thousands moves nothing
 * on it). True when the x values are the same; the series before `lineFrom` (bars) hold the same
 * values; each changed series from `lineFrom` on (uPlot's linear paths, which put every point on
 * a whole canvas pixel) has its gaps at the same places and every point on the same pixel; and
 * the scales of the changed series have the same smallest and largest value (uPlot ranges every
 * scale from them, over all points: the chart's x range holds every day), so the scales, axes
 * and grid are the same.
 */
export function drawsSamePicture(plot: uPlot, shown: uPlot.AlignedData, next: uPlot.AlignedData, lineFrom: number): boolean {
  if (shown.length !== next.length || next.length !== plot.series.length || !sameColumn(shown[0]!, next[0]!)) return false;
  const moved = new Set<string>();
  for (let i = 1; i < next.length; i += 1) {
    const a = shown[i]!;
    const b = next[i]!;
    if (sameColumn(a, b)) continue;
    if (i < lineFrom || a.length !== b.length) return false;
    const key = plot.series[i]!.scale!;
    moved.add(key);
    for (let j = 0; j < b.length; j += 1) {
      const u = a[j];
      const v = b[j];
      if (Object.is(u, v)) continue;
      if (u === null || u === undefined || v === null || v === undefined) return false;
      if (Math.round(plot.valToPos(u, key, true)) !== Math.round(plot.valToPos(v, key, true))) return false;
    }
  }
  for (const key of moved) if (!sameExtremes(plot, shown, next, key)) return false;
  return true;
}
