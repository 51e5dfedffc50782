import { memo } from 'react';
import { formatNumber, formatPeriod, formatRatio, formatTimeLeft, formatUsd, formatUsdCompact, formatUsdPerHour, projectionMethodLabel } from '../../format';
import type { ViewSummary } from './summary';
import './overview.css';

/** Props of {@link Overview}. */
export interface OverviewProps {
  readonly summary: ViewSummary;
  /** "Now" of the numbers: the document's generatedAt. */
  readonly now: Date;
}

/** One wording for every view and period length (was "this month" in one view, "this period" in another). */
const SPENT_LABEL = 'Spent this period';

/** "1 of 3 connections missing", or null when the total covers every connection. */
export function coverageText(coverage: ViewSummary['coverage']): string | null {
  const missing = coverage.connectionsTotal - coverage.connectionsOk;
  if (missing <= 0) return null;
  return `${missing} of ${coverage.connectionsTotal} connection${coverage.connectionsTotal === 1 ? '' : 's'} missing`;
}

/**
 * "+12% vs. the same point last period ($10,785.20 then)": the change in spend against the
 * previous period at the same time since its start.
 */
export function comparisonText(comparison: NonNullable<ViewSummary['comparison']>): string {
  const then = `${formatUsd(comparison.previousUsd)} then`;
  if (comparison.changePercent === null) return `No spend at this point last period (${then})`;
  const change = comparison.changePercent;
  const rounded = Math.abs(change) >= 10 ? Math.round(change) : Math.round(change * 10) / 10;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(rounded))}% vs. the same point last period (${then})`;
}

/**
 * The projection range in little room: "$17.1K – $17.4K", or "± $14.88" around the projection
 * when both ends would read the same in compact form.
 */
export function rangeLabel(lowUsd: number, highUsd: number): string {
  const low = formatUsdCompact(lowUsd);
  const high = formatUsdCompact(highUsd);
  return low === high ? `± ${formatUsdCompact((highUsd - lowUsd) / 2)}` : `${low} – ${high}`;
}

/**
 * The answer at a glance: spent (big) with the estimate of spend right now beside it, then the
 * burn rate and the projected total with its range, method and confidence.
 */
export const Overview = memo(function Overview({ summary, now }: OverviewProps) {
  const unreported = summary.nowcastUsd !== null ? summary.nowcastUsd - summary.spentUsd : null;
  const low = summary.projectedLowUsd;
  const high = summary.projectedHighUsd;
  const missingText = coverageText(summary.coverage);
  const exactRange = low !== null && high !== null ? `${formatUsd(low)} – ${formatUsd(high)}` : null;
  return (
    <section className="overview" aria-label={`${summary.title} spend`}>
      <div className="overview__head">
        <span className="overview__label">{SPENT_LABEL}</span>
        {summary.period ? (
          <span className="overview__period" data-testid="period">
            {formatPeriod(summary.period)} · {formatTimeLeft(summary.period, now)}
          </span>
        ) : null}
      </div>
      <div className="overview__hero">
        <div className="overview__total">
          <p className="overview__spent" data-testid="spent">
            {formatUsd(summary.spentUsd)}
          </p>
          {missingText ? (
            <p className="overview__partial" data-testid="coverage" title={summary.coverage.excluded.map((e) => `${e.name}: ${e.reason}`).join('\n')}>
              Partial total: {missingText}
              <span className="visually-hidden"> ({summary.coverage.excluded.map((e) => `${e.name}: ${e.reason}`).join('; ')})</span>
            </p>
          ) : null}
        </div>
        {summary.nowcastUsd !== null ? (
          <div className="nowcast" title="Estimate: reported spend plus the burn rate over the time since the providers' data ends">
            <span className="nowcast__label">Now, estimated</span>
            <span className="nowcast__value" data-testid="nowcast">
              ≈{formatUsd(summary.nowcastUsd)}
            </span>
            {unreported !== null && unreported >= 0.005 ? <span className="nowcast__sub">+{formatUsd(unreported)} unreported</span> : null}
          </div>
        ) : null}
      </div>
      {summary.comparison ? (
        <p className="overview__compare" data-testid="comparison">
          {comparisonText(summary.comparison)}
        </p>
      ) : null}
      <dl className="stats">
        <div className="stat">
          <dt>Burn rate</dt>
          <dd className="stat__value" data-testid="burn-rate">
            {formatUsdPerHour(summary.burnRateUsdPerHour)}
          </dd>
          <dd className="stat__sub">{formatUsd(summary.burnRateUsdPerHour * 24)} a day</dd>
        </div>
        <div className="stat">
          <dt>Projected by period end</dt>
          <dd className="stat__value" data-testid="projected">
            {formatUsd(summary.projectedUsd)}
          </dd>
          <dd className="stat__sub" data-testid="projected-range" title={exactRange ? `Range ${exactRange}` : undefined}>
            {low !== null && high !== null ? rangeLabel(low, high) : '—'}
            {exactRange ? <span className="visually-hidden"> (range {exactRange})</span> : null}
          </dd>
        </div>
      </dl>
      {summary.projectionMethod ? (
        <p className="overview__method" data-testid="projection-method">
          Projection: {projectionMethodLabel(summary.projectionMethod)}
          {summary.projectionConfidence !== null ? ` · ${formatRatio(summary.projectionConfidence)} confidence` : ''}
        </p>
      ) : summary.scope === 'all' ? (
        <p className="overview__method" data-testid="projection-method">
          Projection: sum of the workspaces' projections
        </p>
      ) : null}
    </section>
  );
});
