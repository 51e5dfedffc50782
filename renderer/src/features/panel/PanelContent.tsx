/**
 * What the scrolling panel shows once the first answer is in: the glance (spend, budget,
 * workspace cards), then the breakdown, the 48-hour and period charts, the history and the
 * connections; or the empty, error, onboarding and setup-problem screens. It is its own chunk,
 * fetched while the first snapshot is asked for, so the popover's first JavaScript is only the
 * shell (header, tabs, loading state).
 */
import { memo, useEffect, useMemo } from 'react';
import type { AppSnapshot, SetupState, WorkspaceStatus } from '../../../../preload/api';
import { formatUsd } from '../../format';
import type { SettingsTransport, TransportError } from '../../spendApi';
import { useShared } from '../../useShared';
import { BudgetBar } from '../budget/BudgetBar';
import { Connections } from '../connections/Connections';
import { History } from '../history/History';
import { Onboarding } from '../onboarding/Onboarding';
import { SetupProblems } from '../onboarding/SetupProblems';
import { Overview } from '../overview/Overview';
import { allSummary, workspaceSummary } from '../overview/summary';
import { WorkspaceList } from '../overview/WorkspaceList';
import { PeriodChart } from '../period/PeriodChart';
import { periodDays } from '../period/periodData';
import { TopResources } from '../resources/TopResources';
import { EmptyState } from '../states/EmptyState';
import { ErrorState } from '../states/ErrorState';
import { Sparkline } from '../trend/Sparkline';

/** Props of {@link PanelContent}. */
export interface PanelContentProps {
  /** The snapshot, or the error that kept it from coming. */
  readonly state: { readonly phase: 'ready'; readonly snapshot: AppSnapshot } | { readonly phase: 'error'; readonly error: TransportError };
  readonly workspaces: readonly WorkspaceStatus[];
  readonly selectedId: string | null;
  /** Two columns (wide served dashboard). */
  readonly wide: boolean;
  readonly mode: 'popover' | 'served';
  readonly settings: SettingsTransport | null;
  readonly setup: SetupState | null;
  readonly onRetry: () => void;
  readonly onOpenWorkspace: (workspaceId: string) => void;
  readonly onAddProvider: () => void;
  readonly onOpenGeneralSettings: () => void;
}

const NO_THRESHOLDS: readonly number[] = [];

/**
 * The panel's content for a ready (or failed) first answer. An update re-renders only what
 * changed: the snapshot is structurally shared with the previous one (useSpend), the derived
 * summary and period days are shared with the previous ones here, and every section is memoized,
 * so a section whose data kept its identity is skipped.
 */
function PanelContent(props: PanelContentProps) {
  const { state, workspaces, selectedId, wide, mode, settings, setup } = props;
  const status = state.phase === 'ready' ? state.snapshot.status : null;
  const selected = workspaces.find((w) => w.id === selectedId) ?? null;
  const summary = useShared(useMemo(() => (status ? (selected ? workspaceSummary(selected) : allSummary(status)) : null), [status, selected]));
  const generatedAt = status?.generatedAt;
  const now = useMemo(() => (generatedAt ? new Date(generatedAt) : new Date()), [generatedAt]);
  // The connections only tell today from other days (formatTime): they get "now" to the day, so a
  // new document of the same day does not re-render every connection.
  const todayKey = now.toDateString();
  const today = useMemo(() => new Date(todayKey), [todayKey]);
  const period = summary?.period;
  const days = useShared(
    useMemo(
      () =>
        summary && period && summary.daily.length > 0
          ? periodDays({ period, daily: summary.daily, spentUsd: summary.spentUsd, projectedUsd: summary.projectedUsd, projectedLowUsd: summary.projectedLowUsd, projectedHighUsd: summary.projectedHighUsd })
          : null,
      [summary, period],
    ),
  );

  // The served dashboard lives in a browser tab: put the headline number in its title.
  useEffect(() => {
    if (mode !== 'served') return;
    const title = summary ? `${formatUsd(summary.spentUsd)} · ${summary.title} · Burnrate` : 'Burnrate';
    // Setting the title reaches the browser's window even when it is the same text: only on a change.
    if (document.title !== title) document.title = title;
  }, [mode, summary]);

  if (state.phase === 'error') return <ErrorState error={state.error} onRetry={props.onRetry} />;
  if (settings && setup?.mode === 'unconfigured') {
    return <Onboarding settings={settings} problems={setup.problems} onAddProvider={props.onAddProvider} onImport={props.onOpenGeneralSettings} />;
  }
  if (settings && setup?.mode === 'invalid') return <SetupProblems settings={settings} problems={setup.problems} onOpenSettings={props.onOpenGeneralSettings} />;
  if (workspaces.length === 0 || !summary) return <EmptyState />;

  const overview = <Overview key="overview" summary={summary} now={now} />;
  const budget = summary.budget ? <BudgetBar key="budget" budget={summary.budget} projectedUsd={summary.projectedUsd} now={now} /> : null;
  const list = summary.scope === 'all' ? <WorkspaceList key="workspaces" workspaces={workspaces} onSelect={props.onOpenWorkspace} /> : null;
  const resources = <TopResources key="resources" resources={summary.resources} totalUsd={summary.spentUsd} />;
  const trend = <Sparkline key="trend" hours={summary.hourly} />;
  const periodChart = days ? (
    <PeriodChart
      key="period"
      days={days}
      budgetUsd={summary.budget?.amountUsd ?? null}
      thresholdsPercent={summary.budget?.thresholdsPercent ?? NO_THRESHOLDS}
      providerNames={summary.providerNames}
    />
  ) : null;
  const history = summary.history.length > 0 ? <History key="history" periods={summary.history} {...(summary.period?.timeZone ? { timeZone: summary.period.timeZone } : {})} /> : null;
  const connections = <Connections key="connections" lines={summary.connections} today={today} />;
  // One column answers "spent, pace, landing, who" before the charts; two columns (a wide
  // served dashboard) put the numbers left and the breakdowns right. DOM order = visual order.
  return wide ? (
    <div className="panel-grid panel-grid--wide">
      <div className="panel-column">{[overview, budget, list, trend, periodChart, history]}</div>
      <div className="panel-column">{[resources, connections]}</div>
    </div>
  ) : (
    <div className="panel-grid">{[overview, budget, list, resources, trend, periodChart, history, connections]}</div>
  );
}

export default memo(PanelContent);
