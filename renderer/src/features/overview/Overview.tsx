import { memo } from 'react';
import { NOWCAST_TITLE, overviewTexts, SPENT_LABEL } from './overviewText';
import type { ViewSummary } from './summary';
import './overview.css';

export { comparisonText, coverageText, rangeLabel } from './overviewText';

/** Props of {@link Overview}. */
export interface OverviewProps {
  readonly summary: ViewSummary;
  /** "Now" of the numbers: the document's generatedAt. */
  readonly now: Date;
}

/**
 * The answer at a glance: spent (big) with the estimate of spend right now beside it, then the
 * burn rate and the projected total with its range, method and confidence. Its texts come from
 * overviewTexts(); the served dashboard's first paint (renderer/src/firstPaint.ts) draws the same
 * markup before React has loaded, and test/e2e/firstPaint.spec.ts holds the two equal.
 */
export const Overview = memo(function Overview({ summary, now }: OverviewProps) {
  const text = overviewTexts(summary, now);
  return (
    <section className="overview" aria-label={text.ariaLabel}>
      <div className="overview__head">
        <span className="overview__label">{SPENT_LABEL}</span>
        {text.period !== null ? (
          <span className="overview__period" data-testid="period">
            {text.period}
          </span>
        ) : null}
      </div>
      <div className="overview__hero">
        <div className="overview__total">
          <p className="overview__spent" data-testid="spent">
            {text.spent}
          </p>
          {text.partial ? (
            <p className="overview__partial" data-testid="coverage" title={text.partial.excluded.join('\n')}>
              {text.partial.text}
              <span className="visually-hidden"> ({text.partial.excluded.join('; ')})</span>
            </p>
          ) : null}
        </div>
        {text.nowcast ? (
          <div className="nowcast" title={NOWCAST_TITLE}>
            <span className="nowcast__label">Now, estimated</span>
            <span className="nowcast__value" data-testid="nowcast">
              {text.nowcast.value}
            </span>
            {text.nowcast.unreported !== null ? <span className="nowcast__sub">{text.nowcast.unreported}</span> : null}
          </div>
        ) : null}
      </div>
      {text.comparison !== null ? (
        <p className="overview__compare" data-testid="comparison">
          {text.comparison}
        </p>
      ) : null}
      <dl className="stats">
        <div className="stat">
          <dt>Burn rate</dt>
          <dd className="stat__value" data-testid="burn-rate">
            {text.burnRate}
          </dd>
          <dd className="stat__sub">{text.perDay}</dd>
        </div>
        <div className="stat">
          <dt>Projected by period end</dt>
          <dd className="stat__value" data-testid="projected">
            {text.projected}
          </dd>
          <dd className="stat__sub" data-testid="projected-range" title={text.exactRange !== null ? `Range ${text.exactRange}` : undefined}>
            {text.range}
            {text.exactRange !== null ? <span className="visually-hidden"> (range {text.exactRange})</span> : null}
          </dd>
        </div>
      </dl>
      {text.method !== null ? (
        <p className="overview__method" data-testid="projection-method">
          {text.method}
        </p>
      ) : null}
    </section>
  );
});
