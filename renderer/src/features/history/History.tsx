import { memo } from 'react';
import type { PastPeriodStatus } from '../../../../preload/api';
import { formatPercent, formatPeriod, formatUsd, formatUsdCompact } from '../../format';
import './history.css';

/** Props of {@link History}. */
export interface HistoryProps {
  /** Past periods, newest first. */
  readonly periods: readonly PastPeriodStatus[];
  /** Zone the periods are local to (the workspace's). */
  readonly timeZone?: string;
}

/**
 * Past periods from the spend database, each with its spend against its budget: a bar per
 * period on one scale (the largest of the spends and budgets), a mark at the budget.
 */
export const History = memo(function History({ periods, timeZone }: HistoryProps) {
  if (periods.length === 0) return null;
  const scale = Math.max(...periods.map((p) => Math.max(p.spentUsd, p.budgetUsd ?? 0)), 1e-9);
  const pct = (usd: number) => `${Math.min(100, (usd / scale) * 100)}%`;
  return (
    <section className="history" aria-labelledby="history-title" data-testid="history">
      <h2 className="section-title" id="history-title">
        Past periods
      </h2>
      <ol className="history__list">
        {periods.map((p) => {
          const over = p.usedPercent !== null && p.usedPercent > 100;
          return (
            <li key={p.start} className="history__item" data-testid="history-period">
              <span className="history__period">{formatPeriod({ start: p.start, end: p.end, ...(timeZone ? { timeZone } : {}) })}</span>
              <span className="history__amount">{formatUsd(p.spentUsd)}</span>
              <span className={`history__budget${over ? ' history__budget--over' : ''}`}>
                {p.budgetUsd !== null && p.usedPercent !== null ? `${formatPercent(p.usedPercent)} used of ${formatUsdCompact(p.budgetUsd)}` : 'no budget'}
              </span>
              <span className="history__track" aria-hidden="true">
                <span className={`history__bar${over ? ' history__bar--over' : ''}`} style={{ width: pct(p.spentUsd) }} />
                {p.budgetUsd !== null ? <span className="history__limit" style={{ left: pct(p.budgetUsd) }} /> : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="history__note">Each bar is the period's spend; the line marks the budget as set now.</p>
    </section>
  );
});
