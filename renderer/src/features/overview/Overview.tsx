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

/** The period and the time left in it; memoized: skipped while its text stays the same. */
const PeriodLine = memo(function PeriodLine({ text }: { readonly text: string }) {
  return (
    <span className="overview__period" data-testid="period">
      {text}
    </span>
  );
});

/** This period vs. the same point last period; memoized on its text. */
const Comparison = memo(function Comparison({ text }: { readonly text: string }) {
  return (
    <p className="overview__compare" data-testid="comparison">
      {text}
    </p>
  );
});

/** Props of {@link Stats}: its texts (see OverviewTexts). */
interface StatsProps {
  readonly burnRate: string;
  readonly perDay: string;
  readonly projected: string;
  readonly range: string;
  readonly exactRange: string | null;
}

/** Burn rate and projection with its range; memoized on its texts, which a new headline alone does not change. */
const Stats = memo(function Stats({ burnRate, perDay, projected, range, exactRange }: StatsProps) {
  return (
    <dl className="stats">
      <div className="stat">
        <dt>Burn rate</dt>
        <dd className="stat__value" data-testid="burn-rate">
          {burnRate}
        </dd>
        <dd className="stat__sub">{perDay}</dd>
      </div>
      <div className="stat">
        <dt>Projected by period end</dt>
        <dd className="stat__value" data-testid="projected">
          {projected}
        </dd>
        <dd className="stat__sub" data-testid="projected-range" title={exactRange !== null ? `Range ${exactRange}` : undefined}>
          {range}
          {exactRange !== null ? <span className="visually-hidden"> (range {exactRange})</span> : null}
        </dd>
      </div>
    </dl>
  );
});

/** How the projection was made; memoized on its text. */
const Method = memo(function Method({ text }: { readonly text: string }) {
  return (
    <p className="overview__method" data-testid="projection-method">
      {text}
    </p>
  );
});

/**
 * The answer at a glance: spent (big) with the estimate of spend right now beside it, then the
 * burn rate and the projected total with its range, method and confidence. Its texts come from
 * overviewTexts(); the served dashboard's first paint (renderer/src/firstPaint.ts) draws the same
 * markup before React has loaded, and test/e2e/firstPaint.spec.ts holds the two equal. An update
 * re-renders the parts whose texts changed: the period line, comparison, stats and method are
 * memoized parts.
 */
export const Overview = memo(function Overview({ summary, now }: OverviewProps) {
  const text = overviewTexts(summary, now);
  return (
    <section className="overview" aria-label={text.ariaLabel}>
      <div className="overview__head">
        <span className="overview__label">{SPENT_LABEL}</span>
        {text.period !== null ? <PeriodLine text={text.period} /> : null}
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
      {text.comparison !== null ? <Comparison text={text.comparison} /> : null}
      <Stats burnRate={text.burnRate} perDay={text.perDay} projected={text.projected} range={text.range} exactRange={text.exactRange} />
      {text.method !== null ? <Method text={text.method} /> : null}
    </section>
  );
});
