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
