/**
 * The uPlot drawing of the period chart (loaded lazily: uPlot stays out of the first paint).
 * Left scale: cumulative spend, the budget line with threshold marks, the projection with its
 * 80 % band. Right scale: daily bars stacked by provider. Decorative for assistive technology:
 * the same numbers are in the data table beside it.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { dateFormat, formatUsdCompact } from '../../format';
import { PROVIDER_COLORS, type PeriodChartProps } from './PeriodChart';
import { drawsSamePicture, keepPaths } from './keptPaths';
import { providersOf } from './periodData';

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Props of {@link PeriodCanvas}. */
export interface PeriodCanvasProps extends PeriodChartProps {
  /** Called with the day index under the pointer (null when it leaves). */
  readonly onHover: (index: number | null) => void;
}

/** The chart's data columns: x, the stacked bars (largest first), the lines, the budget and its marks. */
function chartData(days: PeriodCanvasProps['days'], providers: readonly string[], budgetUsd: number | null, thresholds: readonly number[]): uPlot.AlignedData {
  const x = days.map((_, i) => i);
  // Stacked bars: series k is the sum of providers 0..k (added in that order), drawn largest first
  // so each covers the next. One running sum per day.
  const stacks = providers.map(() => new Array<number | null>(days.length));
  days.forEach((d, i) => {
    let sum = 0;
    providers.forEach((p, k) => {
      sum += d.byProvider[p] ?? 0;
      stacks[k]![i] = d.spentUsd === null ? null : sum;
    });
  });
  const lineData = [days.map((d) => d.cumulativeUsd), days.map((d) => d.projectedUsd), days.map((d) => d.projectedHighUsd), days.map((d) => d.projectedLowUsd)];
  const constant = (value: number) => days.map(() => value);
  const budgetData = budgetUsd === null ? [] : [constant(budgetUsd), ...thresholds.map((t) => constant((budgetUsd * t) / 100))];
  return [x, ...[...stacks].reverse(), ...lineData, ...budgetData] as uPlot.AlignedData;
}

/** Whether two data sets hold the same columns with the same values. */
function sameData(a: uPlot.AlignedData, b: uPlot.AlignedData): boolean {
  if (a.length !== b.length) return false;
  for (let c = 0; c < a.length; c += 1) {
    const x = a[c]!;
    const y = b[c]!;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** Whether two lists of days start on the same days (the x axis' labels). */
function sameStarts(a: PeriodCanvasProps['days'], b: PeriodCanvasProps['days']): boolean {
  return a.length === b.length && a.every((day, i) => day.start === b[i]!.start);
}

/**
 * The chart itself. The uPlot instance is made once per shape (the providers, whether there is a
 * budget, the threshold marks); a new status document only gives it new data (`setData`), so an
 * update redraws the canvas instead of rebuilding the chart.
 */
function PeriodCanvas({ days, budgetUsd, thresholdsPercent, onHover }: PeriodCanvasProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  // The data the chart shows now (a new chart draws the latest props; an update draws new ones).
  const drawn = useRef<{ days: PeriodCanvasProps['days']; budgetUsd: number | null; data: uPlot.AlignedData } | null>(null);
  const hover = useRef(onHover);
  hover.current = onHover;
  // What the scale ranges and axis labels read at each redraw: the latest props.
  const latest = useRef({ days, budgetUsd });
  latest.current = { days, budgetUsd };
  const providers = useMemo(() => providersOf(days), [days]);
  const thresholds = thresholdsPercent.filter((p) => p > 0 && p < 100);
  const shape = JSON.stringify([providers, budgetUsd !== null, thresholds]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const [shapeProviders, hasBudget, shapeThresholds] = JSON.parse(shape) as [string[], boolean, number[]];
    const text = cssVar('--muted', '#5b6673');
    const grid = cssVar('--border', '#e1e6eb');
    const accent = cssVar('--accent', '#e8561a');
    const strong = cssVar('--text', '#151a20');
    const barSeries: uPlot.Series[] = shapeProviders
      .map((provider, k) => ({
        label: provider,
        scale: 'day',
        fill: PROVIDER_COLORS[k % PROVIDER_COLORS.length]!,
        stroke: PROVIDER_COLORS[k % PROVIDER_COLORS.length]!,
        width: 0,
        // Kept while its values and the scales do not move (see keepPaths).
        paths: keepPaths(uPlot.paths.bars!({ size: [0.7, 40] })),
        points: { show: false },
      }))
      .reverse();
    // Lines: uPlot's default path builder (linear), each kept while its values and the scales do not move.
    const line = (): uPlot.Series.PathBuilder => keepPaths(uPlot.paths.linear!());
    const lineSeries: uPlot.Series[] = [
      { label: 'cumulative', scale: 'usd', stroke: accent, width: 2.5, points: { show: false }, paths: line() },
      { label: 'projected', scale: 'usd', stroke: accent, width: 1.5, dash: [5, 4], points: { show: false }, paths: line() },
      { label: 'high', scale: 'usd', stroke: 'transparent', width: 0, points: { show: false }, paths: line() },
      { label: 'low', scale: 'usd', stroke: 'transparent', width: 0, points: { show: false }, paths: line() },
    ];
    const budgetSeries: uPlot.Series[] = [];
    if (hasBudget) {
      budgetSeries.push({ label: 'budget', scale: 'usd', stroke: strong, width: 1.5, points: { show: false }, paths: line() });
      for (const t of shapeThresholds) budgetSeries.push({ label: `${t}%`, scale: 'usd', stroke: text, width: 1, dash: [2, 3], points: { show: false }, paths: line() });
    }
    const highIndex = 1 + barSeries.length + 2;
    const dayTick = dateFormat({ month: 'short', day: 'numeric' });
    // A day's tick label never changes: formatted once per day of this chart (at most a period's days).
    const dayLabels = new Map<string, string>();
    const dayLabel = (start: string): string => {
      let label = dayLabels.get(start);
      if (label === undefined) dayLabels.set(start, (label = dayTick.format(new Date(start))));
      return label;
    };
    const options: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: 190,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => [-0.6, Math.max(1, latest.current.days.length) - 0.4] },
        usd: { range: (_u, _min, max) => [0, Math.max(max, latest.current.budgetUsd ?? 0) * 1.08 || 1] },
        day: { range: (_u, _min, max) => [0, (max || 1) * 3] },
      },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { stroke: grid },
          space: 46,
          incrs: [1, 2, 7, 14],
          values: (_u, splits) => splits.map((i) => (latest.current.days[i] ? dayLabel(latest.current.days[i]!.start) : '')),
        },
        { scale: 'usd', stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 52, values: (_u, splits) => splits.map((v) => formatUsdCompact(v)) },
      ],
      series: [{}, ...barSeries, ...lineSeries, ...budgetSeries],
      bands: [{ series: [highIndex, highIndex + 1], fill: `${accent}33` }],
      hooks: {
        setCursor: [
          (u) => {
            const index = u.cursor.idx;
            hover.current(index === null || index === undefined ? null : index);
          },
        ],
      },
    };
    const { days: now, budgetUsd: budget } = latest.current;
    const data = chartData(now, shapeProviders, hasBudget ? budget : null, shapeThresholds);
    const plot = new uPlot(options, data, host);
    plotRef.current = plot;
    drawn.current = { ...latest.current, data };
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height: 190 })) : null;
    observer?.observe(host);
    return () => {
      observer?.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [shape]);

  // New data of the same shape: redraw, only when a number the chart draws changed (a new document
  // whose days are the same, e.g. only the connections' times moved, draws nothing), and only
  // when it moves a pixel: numbers that move none (a few dollars more on a chart of thousands,
  // the usual poll) are given to uPlot without a redraw (a later resize draws them).
  useEffect(() => {
    const plot = plotRef.current;
    const before = drawn.current;
    if (plot === null || (before?.days === days && before.budgetUsd === budgetUsd)) return;
    const data = chartData(days, providers, budgetUsd, thresholdsPercent.filter((p) => p > 0 && p < 100));
    if (before === null || !sameData(before.data, data)) {
      const unmoved = before !== null && sameStarts(before.days, days) && drawsSamePicture(plot, before.data, data, 1 + providers.length);
      plot.setData(data, !unmoved);
    }
    drawn.current = { days, budgetUsd, data };
  }, [days, providers, budgetUsd, thresholdsPercent]);

  return <div ref={hostRef} className="period__canvas" aria-hidden="true" data-testid="period-canvas" />;
}

/** Memoized: a hover readout in the parent does not re-render the chart. */
export default memo(PeriodCanvas);
