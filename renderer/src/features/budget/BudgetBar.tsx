import { memo } from 'react';
import type { BudgetStatus } from '../../../../preload/api';
import { formatPercent, formatRatio, formatUsd, formatUsdWhole } from '../../format';
import { formatWhen } from '../../format';
import { budgetTone } from '../overview/tone';
import './budget.css';

/** Props of {@link BudgetBar}. */
export interface BudgetBarProps {
  readonly budget: BudgetStatus;
  /** Compact variant for lists: the bar and one line. */
  readonly compact?: boolean;
  /** Accessible name of the meter. */
  readonly label?: string;
  /** Projected total (USD) for the headroom line; derived from the percentage when absent. */
  readonly projectedUsd?: number;
  /** "Now" of the numbers (the document's generatedAt), for the relative crossing time. */
  readonly now?: Date;
}

/** Scale of the bar: at least the budget, stretched (up to 2×) to show an overshoot. */
export function budgetScale(budget: Pick<BudgetStatus, 'usedPercent' | 'projectedPercent'>): number {
  return Math.min(200, Math.max(100, budget.usedPercent, budget.projectedPercent));
}

const position = (percent: number, scale: number): string => `${(Math.max(0, Math.min(percent, scale)) / scale) * 100}%`;

/**
 * The budget as a bar: solid = used, hatched = projected by the end of the period, ticks at
 * the alert thresholds, a strong line at 100 %. Tone follows the projection.
 */
export const BudgetBar = memo(function BudgetBar({ budget, compact = false, label = 'Budget used', projectedUsd: projectedTotalUsd, now = new Date() }: BudgetBarProps) {
  const tone = budgetTone(budget);
  const scale = budgetScale(budget);
  const thresholds = (budget.thresholdsPercent ?? []).filter((t) => t > 0 && t < 100);
  const projectedUsd = projectedTotalUsd ?? (budget.amountUsd * budget.projectedPercent) / 100;
  const headroomUsd = budget.amountUsd - projectedUsd;
  const bar = (
    <div
      className={`budget-bar budget-bar--${tone}`}
      // In a card (a button), the card's text says the same in words.
      {...(compact ? { 'aria-hidden': true } : {})}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(budget.usedPercent * 10) / 10}
      aria-valuetext={`${formatPercent(budget.usedPercent)} used, ${formatPercent(budget.projectedPercent)} projected`}
      title={thresholds.length > 0 ? `Alerts at ${thresholds.map((t) => `${t}%`).join(', ')} and 100%` : undefined}
    >
      <div className="budget-bar__projected" style={{ width: position(budget.projectedPercent, scale) }} />
      <div className="budget-bar__used" style={{ width: position(budget.usedPercent, scale) }} />
      {thresholds.map((t) => (
        <span key={t} className="budget-bar__tick" style={{ left: position(t, scale) }} title={`Alert at ${t}%`} />
      ))}
      {scale > 100 ? <span className="budget-bar__limit" style={{ left: position(100, scale) }} title="Budget" /> : null}
    </div>
  );

  if (compact) return bar;

  return (
    <section className="budget" aria-label="Budget">
      <div className="budget__head">
        <span className="section-title">
          Budget <span className="budget__amount">{formatUsdWhole(budget.amountUsd)}{budget.period ? ` / ${budget.period}` : ''}</span>
        </span>
        <span className={`budget__used budget__used--${tone}`} data-testid="budget-used">
          {formatPercent(budget.usedPercent)} used
        </span>
      </div>
      {bar}
      <ul className="legend" aria-label="Legend of the budget bar">
        <li><span className="legend__swatch legend__swatch--used" aria-hidden="true" />used</li>
        <li><span className="legend__swatch legend__swatch--projected" aria-hidden="true" />projected by period end</li>
        {thresholds.length > 0 ? (
          <li><span className="legend__swatch legend__swatch--tick" aria-hidden="true" />alerts at {thresholds.map((t) => `${t}%`).join(', ')}</li>
        ) : null}
        {scale > 100 ? <li><span className="legend__swatch legend__swatch--limit" aria-hidden="true" />budget (100%)</li> : null}
      </ul>
      <div className="budget__foot">
        <span data-testid="budget-projected">
          {formatPercent(budget.projectedPercent)} projected ·{' '}
          {headroomUsd >= 0 ? `${formatUsd(headroomUsd)} to spare` : <span className="text-danger">{formatUsd(-headroomUsd)} over</span>}
        </span>
      </div>
      {budget.crossesAt ? (
        <p className="budget__crossing" data-testid="budget-crossing">
          Crosses the budget <strong>{formatWhen(budget.crossesAt, now)}</strong>
          {budget.overBudgetProbability !== null && budget.overBudgetProbability !== undefined ? ` · ${formatRatio(budget.overBudgetProbability)} chance of going over` : ''}
        </p>
      ) : budget.overBudgetProbability !== null && budget.overBudgetProbability !== undefined && budget.overBudgetProbability >= 0.05 ? (
        <p className="budget__risk">{formatRatio(budget.overBudgetProbability)} chance of going over by the end of the period</p>
      ) : null}
    </section>
  );
});
