import { memo, useId, useMemo, useState } from 'react';
import { formatNumber, formatUsd, resourceKindLabel } from '../../format';
import type { ResourceLine } from '../overview/summary';
import './resources.css';

/** Props of {@link TopResources}. */
export interface TopResourcesProps {
  /** Every resource of the view, most expensive first. */
  readonly resources: readonly ResourceLine[];
  /** Spend the shares are relative to (the tab's spent total). */
  readonly totalUsd: number;
}

/** Resources listed before "Show all". */
export const COLLAPSED_COUNT = 5;

const keyOf = (r: ResourceLine): string => `${r.workspaceName ?? ''}/${r.connectionId ?? ''}/${r.id}`;

/**
 * Deployments billed this period with no request at all, where the provider reports requests
 * (a resource without a request count is never called idle).
 */
export function idleResources(resources: readonly ResourceLine[]): ResourceLine[] {
  return resources.filter((r) => r.requests === 0 && r.spentUsd > 0 && (r.dedicated === true || r.kind === 'deployment'));
}

function shareText(spentUsd: number, totalUsd: number): string | null {
  if (totalUsd <= 0) return null;
  const share = Math.round((spentUsd / totalUsd) * 100);
  return `${spentUsd > 0 && share < 1 ? '<1' : share}% of spend`;
}

/** A resource's name and where it runs; memoized on the resource (a new total does not change it). */
const ResourceText = memo(function ResourceText({ resource }: { readonly resource: ResourceLine }) {
  const where = [resourceKindLabel(resource.kind), resource.providerName, resource.workspaceName].filter(Boolean).join(' · ');
  return (
    <div className="resource__text">
      <span className="resource__name" title={resource.name}>
        {resource.name}
      </span>
      <span className="resource__meta">
        {where}
        {resource.requests !== undefined ? ` · ${formatNumber(resource.requests)} request${resource.requests === 1 ? '' : 's'}` : ''}
      </span>
    </div>
  );
});

const ResourceItem = memo(function ResourceItem({ resource, totalUsd }: { readonly resource: ResourceLine; readonly totalUsd: number }) {
  const share = shareText(resource.spentUsd, totalUsd);
  return (
    <li className="resource">
      <ResourceText resource={resource} />
      <div className="resource__numbers">
        <span className="resource__amount">{formatUsd(resource.spentUsd)}</span>
        {share !== null ? <span className="resource__share">{share}</span> : null}
      </div>
      {/* The bar is the share of the total (not of the largest item): 28% fills 28%. */}
      <span className="resource__bar" style={{ width: `${totalUsd > 0 ? Math.max(0, Math.min(100, (resource.spentUsd / totalUsd) * 100)) : 0}%` }} aria-hidden="true" />
    </li>
  );
});

/** The provider filter; memoized: a new total does not change it. */
const ProviderFilter = memo(function ProviderFilter({ providers, value, onChange }: { readonly providers: readonly string[]; readonly value: string; readonly onChange: (provider: string) => void }) {
  return (
    <label className="resources__filter">
      <span className="visually-hidden">Show resources of</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid="breakdown-provider">
        <option value="">All providers</option>
        {providers.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
});

/** Deployments that cost money with no request; memoized on the list (kept while the resources are the same objects). */
const IdleList = memo(function IdleList({ idle, titleId }: { readonly idle: readonly ResourceLine[]; readonly titleId: string }) {
  return (
    <section className="idle" aria-labelledby={titleId} data-testid="idle">
      <h3 className="idle__title" id={titleId}>
        Idle deployments <span className="idle__sub">cost with no requests this period</span>
      </h3>
      <ul className="idle__list">
        {idle.map((r) => (
          <li key={keyOf(r)} className="idle__item">
            <span className="idle__name" title={r.name}>
              {r.name}
            </span>
            <span className="idle__meta">{[r.providerName, r.workspaceName].filter(Boolean).join(' · ')}</span>
            <span className="idle__amount">{formatUsd(r.spentUsd)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
});

/**
 * The breakdown, "which one is doing it": the five most expensive deployments, models and jobs,
 * expandable to every resource of the period, filterable by provider, with bars scaled to each
 * one's share of the total; then the idle deployments (cost with no requests).
 */
export const TopResources = memo(function TopResources({ resources, totalUsd }: TopResourcesProps) {
  const [expanded, setExpanded] = useState(false);
  const [provider, setProvider] = useState('');
  const id = useId();
  const providers = useMemo(() => [...new Set(resources.map((r) => r.providerName).filter((p): p is string => !!p))].sort(), [resources]);
  const filtered = useMemo(() => (provider === '' ? resources : resources.filter((r) => r.providerName === provider)), [resources, provider]);
  const shown = expanded ? filtered : filtered.slice(0, COLLAPSED_COUNT);
  const idle = useMemo(() => idleResources(filtered), [filtered]);
  const listId = `${id}-list`;
  return (
    <section className="resources" aria-labelledby="resources-title" data-testid="breakdown">
      <div className="resources__head">
        <h2 className="section-title" id="resources-title">
          Top spenders
        </h2>
        {providers.length > 1 ? <ProviderFilter providers={providers} value={provider} onChange={setProvider} /> : null}
      </div>
      {filtered.length === 0 ? (
        <p className="resources__empty">No resource breakdown reported yet.</p>
      ) : (
        <ol className="resources__list" id={listId}>
          {shown.map((resource) => (
            <ResourceItem key={keyOf(resource)} resource={resource} totalUsd={totalUsd} />
          ))}
        </ol>
      )}
      {filtered.length > COLLAPSED_COUNT ? (
        <button type="button" className="resources__more" aria-expanded={expanded} aria-controls={listId} onClick={() => setExpanded(!expanded)} data-testid="breakdown-toggle">
          {expanded ? `Show the top ${COLLAPSED_COUNT}` : `Show all ${filtered.length} resources`}
        </button>
      ) : null}
      {idle.length > 0 ? <IdleList idle={idle} titleId={`${id}-idle`} /> : null}
    </section>
  );
});
