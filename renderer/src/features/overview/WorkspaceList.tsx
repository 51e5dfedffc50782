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

/** The "All" tab's comparison: each workspace's spend, pace and budget, one click to open it. */
export function WorkspaceList({ workspaces, onSelect }: WorkspaceListProps) {
  return (
    <section className="workspace-list" aria-labelledby="workspace-list-title">
      <h2 className="section-title" id="workspace-list-title">
        Workspaces
      </h2>
      <ul className="workspace-list__items">
        {workspaces.map((workspace, index) => {
          const health = connectionHealth(workspace.connections);
          const tone = workspace.budget ? budgetTone(workspace.budget) : null;
          return (
            <li key={workspace.id}>
              <button type="button" className="workspace-card" onClick={() => onSelect(workspace.id)} aria-label={`Open ${workspace.name}`} data-testid={`workspace-card-${workspace.id}`}>
                <span className="workspace-card__row">
                  <span className="workspace-card__name">
                    {index < 9 ? <kbd className="tab__key">{index + 1}</kbd> : null}
                    {workspace.name}
                    {health !== 'ok' ? <span className={`workspace-card__health workspace-card__health--${health}`}>{health === 'error' ? 'failing' : 'stale'}</span> : null}
                  </span>
                  <span className="workspace-card__spent">{formatUsd(workspace.spentUsd)}</span>
                </span>
                {workspace.budget ? <BudgetBar budget={workspace.budget} compact label={`${workspace.name} budget used`} /> : <span className="workspace-card__nobudget" />}
                <span className="workspace-card__row workspace-card__meta">
                  <span>{formatUsdPerHour(workspace.burnRateUsdPerHour)}</span>
                  <span className={tone === 'over' ? 'text-danger' : tone === 'warn' ? 'text-warn' : undefined}>
                    → {formatUsdCompact(workspace.projectedUsd)}
                    {workspace.budget ? ` · ${formatPercent(workspace.budget.projectedPercent)} of ${formatUsdCompact(workspace.budget.amountUsd)}` : ' · no budget'}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
