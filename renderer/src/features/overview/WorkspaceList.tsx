import { memo } from 'react';
import type { WorkspaceStatus } from '../../../../preload/api';
import { formatPercent, formatUsd, formatUsdCompact, formatUsdPerHour } from '../../format';
import { BudgetBar } from '../budget/BudgetBar';
import { budgetTone, connectionHealth } from './summary';
import './overview.css';

/** Props of {@link WorkspaceList}. */
export interface WorkspaceListProps {
  readonly workspaces: readonly WorkspaceStatus[];
  readonly onSelect: (workspaceId: string) => void;
}

/** One workspace's card; memoized: a workspace whose status did not change (structural sharing) is skipped. */
const WorkspaceCard = memo(function WorkspaceCard({ workspace, index, onSelect }: { readonly workspace: WorkspaceStatus; readonly index: number; readonly onSelect: (workspaceId: string) => void }) {
  const health = connectionHealth(workspace.connections);
  const tone = workspace.budget ? budgetTone(workspace.budget) : null;
  return (
    <li>
      {/* The card's name is its visible text (no aria-label hiding the spend or the badge). */}
      <button type="button" className="workspace-card" onClick={() => onSelect(workspace.id)} data-testid={`workspace-card-${workspace.id}`}>
        <span className="workspace-card__row">
          <span className="workspace-card__name">
            {index < 9 ? <kbd className="tab__key" aria-hidden="true">{index + 1}</kbd> : null}
            {workspace.name}
            {health !== 'ok' ? <span className={`workspace-card__health workspace-card__health--${health}`}>{health === 'error' ? 'failing' : 'stale'}</span> : null}
          </span>
          <span className="workspace-card__spent">{formatUsd(workspace.spentUsd)}</span>
        </span>
        {workspace.budget ? <BudgetBar budget={workspace.budget} compact label={`${workspace.name} budget used`} /> : <span className="workspace-card__nobudget" />}
        {/* Both figures named: the solid bar is "used", the hatched part "projected". */}
        <span className="workspace-card__row workspace-card__meta">
          <span>
            {formatUsdPerHour(workspace.burnRateUsdPerHour)}
            {workspace.budget ? ` · ${formatPercent(workspace.budget.usedPercent)} used` : ''}
          </span>
          <span className={tone === 'over' ? 'text-danger' : tone === 'warn' ? 'text-warn' : undefined}>
            {workspace.budget
              ? `${formatPercent(workspace.budget.projectedPercent)} projected of ${formatUsdCompact(workspace.budget.amountUsd)}`
              : `${formatUsdCompact(workspace.projectedUsd)} projected · no budget`}
          </span>
        </span>
      </button>
    </li>
  );
});

/** The "All" tab's comparison: each workspace's spend, pace and budget, one click to open it. */
export const WorkspaceList = memo(function WorkspaceList({ workspaces, onSelect }: WorkspaceListProps) {
  return (
    <section className="workspace-list" aria-labelledby="workspace-list-title">
      <h2 className="section-title" id="workspace-list-title">
        Workspaces
      </h2>
      <ul className="workspace-list__items">
        {workspaces.map((workspace, index) => (
          <WorkspaceCard key={workspace.id} workspace={workspace} index={index} onSelect={onSelect} />
        ))}
      </ul>
    </section>
  );
});
