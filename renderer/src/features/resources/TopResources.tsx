import { formatUsd, resourceKindLabel } from '../../format';
import type { ResourceLine } from '../overview/summary';
import './resources.css';

/** Props of {@link TopResources}. */
export interface TopResourcesProps {
  readonly resources: readonly ResourceLine[];
  /** Spend the shares are relative to (the tab's spent total). */
  readonly totalUsd: number;
}

/** The most expensive deployments, models and jobs: "which one is doing it". */
export function TopResources({ resources, totalUsd }: TopResourcesProps) {
  return (
    <section className="resources" aria-labelledby="resources-title">
      <h2 className="section-title" id="resources-title">
        Top spenders
      </h2>
      {resources.length === 0 ? (
        <p className="resources__empty">No resource breakdown reported yet.</p>
      ) : (
        <ol className="resources__list">
          {resources.map((resource) => {
            const share = totalUsd > 0 ? Math.round((resource.spentUsd / totalUsd) * 100) : null;
            const where = [resourceKindLabel(resource.kind), resource.providerName, resource.workspaceName].filter(Boolean).join(' · ');
            return (
              <li key={`${resource.workspaceName ?? ''}/${resource.connectionId ?? ''}/${resource.id}`} className="resource">
                <div className="resource__text">
                  <span className="resource__name" title={resource.name}>
                    {resource.name}
                  </span>
                  <span className="resource__meta">{where}</span>
                </div>
                <div className="resource__numbers">
                  <span className="resource__amount">{formatUsd(resource.spentUsd)}</span>
                  {share !== null ? <span className="resource__share">{share < 1 ? '<1' : share}%</span> : null}
                </div>
                {/* The bar is the share of the total (not of the largest item): 28% fills 28%. */}
                <span className="resource__bar" style={{ width: `${totalUsd > 0 ? Math.min(100, (resource.spentUsd / totalUsd) * 100) : 0}%` }} aria-hidden="true" />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
