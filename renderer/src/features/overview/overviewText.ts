/**
 * Every text of the overview (the headline: spent, the estimate now, pace and projection), from a
 * view's summary. Plain functions, no React: the Overview component renders them, and so does the
 * served dashboard's first paint (renderer/src/firstPaint.ts) before React has loaded, so both
 * always say the same thing.
 */
import { formatNumber, formatPeriod, formatRatio, formatTimeLeft, formatUsd, formatUsdCompact, formatUsdPerHour, projectionMethodLabel } from '../../format';
import type { ViewSummary } from './summary';

/** One wording for every view and period length (was "this month" in one view, "this period" in another). */
export const SPENT_LABEL = 'Spent this period';

/** The tooltip of the estimate of spend now. */
export const NOWCAST_TITLE = "Estimate: reported spend plus the burn rate over the time since the providers' data ends";

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

/** The overview's texts; null for a part that is not shown. */
export interface OverviewTexts {
  readonly ariaLabel: string;
  /** "Nov 1 – Nov 30 · 4 days left". */
  readonly period: string | null;
  readonly spent: string;
  /** A partial total: the visible line, and the connections left out (tooltip and screen readers). */
  readonly partial: { readonly text: string; readonly excluded: readonly string[] } | null;
  /** The estimate of spend now ("≈$20,060.69"), and what is not reported yet ("+$9.85 unreported"). */
  readonly nowcast: { readonly value: string; readonly unreported: string | null } | null;
  readonly comparison: string | null;
  readonly burnRate: string;
  readonly perDay: string;
  readonly projected: string;
  readonly range: string;
  /** The exact range ("$17,117.03 – $17,412.88"), when known. */
  readonly exactRange: string | null;
  readonly method: string | null;
}

/** The period line: its dates in the workspace's time zone and the time left, as of `now`; null without a period. */
export function periodText(summary: ViewSummary, now: Date): string | null {
  return summary.period ? `${formatPeriod(summary.period)} · ${formatTimeLeft(summary.period, now)}` : null;
}

/**
 * The texts of the overview of `summary`, as of `now` (the document's generatedAt). `dates: 'later'`
 * leaves the period line empty (not absent) for the caller to fill with {@link periodText}: the
 * served first paint draws the numbers before any date format exists (see renderer/src/firstPaint.ts).
 */
export function overviewTexts(summary: ViewSummary, now: Date, dates: 'now' | 'later' = 'now'): OverviewTexts {
  const unreported = summary.nowcastUsd !== null ? summary.nowcastUsd - summary.spentUsd : null;
  const low = summary.projectedLowUsd;
  const high = summary.projectedHighUsd;
  const missingText = coverageText(summary.coverage);
  return {
    ariaLabel: `${summary.title} spend`,
    period: dates === 'later' && summary.period ? '' : periodText(summary, now),
    spent: formatUsd(summary.spentUsd),
    partial: missingText ? { text: `Partial total: ${missingText}`, excluded: summary.coverage.excluded.map((e) => `${e.name}: ${e.reason}`) } : null,
    nowcast:
      summary.nowcastUsd !== null
        ? { value: `≈${formatUsd(summary.nowcastUsd)}`, unreported: unreported !== null && unreported >= 0.005 ? `+${formatUsd(unreported)} unreported` : null }
        : null,
    comparison: summary.comparison ? comparisonText(summary.comparison) : null,
    burnRate: formatUsdPerHour(summary.burnRateUsdPerHour),
    perDay: `${formatUsd(summary.burnRateUsdPerHour * 24)} a day`,
    projected: formatUsd(summary.projectedUsd),
    range: low !== null && high !== null ? rangeLabel(low, high) : '—',
    exactRange: low !== null && high !== null ? `${formatUsd(low)} – ${formatUsd(high)}` : null,
    method: summary.projectionMethod
      ? `Projection: ${projectionMethodLabel(summary.projectionMethod)}${summary.projectionConfidence !== null ? ` · ${formatRatio(summary.projectionConfidence)} confidence` : ''}`
      : summary.scope === 'all'
        ? "Projection: sum of the workspaces' projections"
        : null,
  };
}
