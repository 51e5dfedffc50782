import { lazy, memo, Suspense, useMemo, useState } from 'react';
import { dateFormat, formatUsd, formatUsdCompact } from '../../format';
import { useShared } from '../../useShared';
import { providersOf, type PeriodDay } from './periodData';
import './period.css';

/** Colours of the providers' bars, in order of spend (legend and chart share them). */
export const PROVIDER_COLORS = ['#4c78a8', '#54a24b', '#b279a2', '#e4a02a', '#72b7b2', '#9d755d'] as const;

/** Props of {@link PeriodChart}. */
export interface PeriodChartProps {
  readonly days: readonly PeriodDay[];
  /** Budget of the period (USD), or null without one. */
  readonly budgetUsd: number | null;
  readonly thresholdsPercent: readonly number[];
  /** Display names of provider ids. */
  readonly providerNames?: Readonly<Record<string, string>>;
}

// uPlot (~20 KB gzip) loads only when a period chart is shown.
const PeriodCanvas = lazy(() => import('./PeriodCanvas'));

const dayLabel = (iso: string): string => dateFormat({ weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(iso));

/** One day of the table; memoized: a past day keeps its identity across updates (structural sharing) and is skipped. */
const DayRow = memo(function DayRow({ day, providers }: { readonly day: PeriodDay; readonly providers: readonly string[] }) {
  return (
    <tr>
      <th scope="row">{dayLabel(day.start)}</th>
      {providers.map((provider) => (
        <td key={provider}>{formatUsd(day.byProvider[provider] ?? 0)}</td>
      ))}
      <td>{formatUsd(day.spentUsd)}</td>
      <td>{formatUsd(day.cumulativeUsd)}</td>
    </tr>
  );
});

/** Props of {@link Legend}. */
interface LegendProps {
  readonly providers: readonly string[];
  readonly providerNames: Readonly<Record<string, string>>;
  readonly budgetUsd: number | null;
  readonly thresholdsPercent: readonly number[];
}

/** The chart's legend; memoized: a new day's total (an update) does not change it. */
const Legend = memo(function Legend({ providers, providerNames, budgetUsd, thresholdsPercent }: LegendProps) {
  const thresholds = thresholdsPercent.filter((t) => t > 0 && t < 100);
  return (
    <ul className="legend period__legend" aria-label="Legend of the period chart">
      <li><span className="legend__swatch legend__swatch--cumulative" aria-hidden="true" />spent so far</li>
      <li><span className="legend__swatch legend__swatch--projection" aria-hidden="true" />projected, with its 80% range</li>
      {budgetUsd !== null ? <li><span className="legend__swatch legend__swatch--limit" aria-hidden="true" />budget {formatUsdCompact(budgetUsd)}</li> : null}
      {budgetUsd !== null && thresholds.length > 0 ? <li><span className="legend__swatch legend__swatch--threshold" aria-hidden="true" />alerts at {thresholds.map((t) => `${t}%`).join(', ')}</li> : null}
      {providers.map((provider, k) => (
        <li key={provider}>
          <span className={`legend__swatch legend__swatch--provider-${k % PROVIDER_COLORS.length}`} aria-hidden="true" />
          {providerNames[provider] ?? provider} per day
        </li>
      ))}
    </ul>
  );
});

const NO_NAMES: Readonly<Record<string, string>> = {};

/**
 * The whole period at a glance: cumulative spend against the budget (with its alert marks), the
 * projection with its 80 % range to the period's end, and daily spend stacked by provider. A
 * legend names every mark, and the same numbers are a table for keyboards and screen readers.
 */
export const PeriodChart = memo(function PeriodChart(props: PeriodChartProps) {
  const { days, budgetUsd, thresholdsPercent, providerNames = NO_NAMES } = props;
  const [hovered, setHovered] = useState<number | null>(null);
  // Shared with the previous render's list: the table's rows of days that did not change are skipped.
  const providers = useShared(useMemo(() => providersOf(days), [days]));
  const nameOf = (id: string) => providerNames[id] ?? id;
  const reported = useMemo(() => days.filter((d) => d.spentUsd !== null), [days]);
  const last = days[days.length - 1];
  const active = hovered !== null ? days[hovered] : undefined;
  return (
    <section className="period" aria-labelledby="period-title" data-testid="period-chart">
      <div className="period__head">
        <h2 className="section-title" id="period-title">
          This period, day by day
        </h2>
        <span className="period__readout" aria-hidden="true">
          {active
            ? `${dayLabel(active.start)}: ${active.spentUsd !== null ? `${formatUsd(active.spentUsd)} that day · ${formatUsd(active.cumulativeUsd)} so far` : `projected ${formatUsdCompact(active.projectedUsd)} by then`}`
            : last?.projectedUsd !== null && last?.projectedUsd !== undefined
              ? `projected ${formatUsdCompact(last.projectedUsd)} at the end`
              : ''}
        </span>
      </div>
      <Suspense fallback={<div className="period__canvas period__canvas--loading" aria-hidden="true" />}>
        <PeriodCanvas {...props} onHover={setHovered} />
      </Suspense>
      <Legend providers={providers} providerNames={providerNames} budgetUsd={budgetUsd} thresholdsPercent={thresholdsPercent} />
      <details className="period__table">
        <summary>Show as a table ({reported.length} days)</summary>
        <div className="period__table-scroll" tabIndex={0} role="region" aria-label="Daily spend table">
          <table>
            <caption className="visually-hidden">Spend per day of the period, by provider, with the running total</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {providers.map((provider) => (
                  <th scope="col" key={provider}>{nameOf(provider)}</th>
                ))}
                <th scope="col">Day total</th>
                <th scope="col">So far</th>
              </tr>
            </thead>
            <tbody>
              {reported.map((day) => (
                <DayRow key={day.start} day={day} providers={providers} />
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
});
