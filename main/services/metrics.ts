/**
 * Prometheus exposition of the status document (prom-client), for `GET /metrics`.
 * Workspace metrics carry `workspace`; connection metrics carry `workspace`, `provider` and
 * `connection`, so teams can `sum by (provider)` across workspaces in Prometheus/Grafana.
 */
import type { StatusDocument } from '../../preload/api';

/** What the exposition says about the running program (`burnrate_build_info`). */
export interface BuildInfo {
  /** Burnrate's version (package.json). */
  readonly version: string;
}

/**
 * Renders the Prometheus text format (version 0.0.4) for one status document.
 * Besides the workspace and connection gauges it exposes, for the shipped rules and dashboard
 * (deploy/): `burnrate_build_info`, the budget thresholds as ratios, and per-resource spend and
 * requests (the resources each connection lists, where the provider reports them).
 */
export async function renderMetrics(status: StatusDocument, build?: BuildInfo): Promise<{ contentType: string; body: string }> {
  // prom-client is loaded at the first scrape, not when `serve` starts (issue 11: instant start).
  const { Gauge, Registry } = await import('prom-client');
  // A fresh registry per scrape: workspaces and connections come and go with the config.
  const registry = new Registry();
  const ws = ['workspace'] as const;
  const conn = ['workspace', 'provider', 'connection'] as const;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [registry] });

  const spent = gauge('burnrate_workspace_spend_usd', 'Actual reported spend in the current period (USD).', ws);
  const nowcast = gauge('burnrate_workspace_nowcast_usd', 'Estimated spend now: reported plus burn rate since the data ends (USD, estimate).', ws);
  const burn = gauge('burnrate_workspace_burn_rate_usd_per_hour', 'Current burn rate (USD per hour).', ws);
  const projected = gauge('burnrate_workspace_projected_usd', 'Projected total for the current period (USD).', ws);
  const projectedLow = gauge('burnrate_workspace_projected_low_usd', 'Low end of the projected period total (USD).', ws);
  const projectedHigh = gauge('burnrate_workspace_projected_high_usd', 'High end of the projected period total (USD).', ws);
  const periodStart = gauge('burnrate_workspace_period_start_seconds', 'Start of the current period (Unix seconds).', ws);
  const periodEnd = gauge('burnrate_workspace_period_end_seconds', 'End of the current period (Unix seconds).', ws);
  const budget = gauge('burnrate_workspace_budget_usd', 'Budget for the period (USD); absent without a budget.', ws);
  const used = gauge('burnrate_workspace_budget_used_ratio', 'Share of the budget spent (1 = 100 %).', ws);
  const projectedRatio = gauge('burnrate_workspace_budget_projected_ratio', 'Projected share of the budget at period end (1 = 100 %).', ws);
  const crossesAt = gauge('burnrate_workspace_budget_crosses_at_seconds', 'When the budget will be crossed at the current pace (Unix seconds); absent when not.', ws);
  const connSpent = gauge('burnrate_connection_spend_usd', 'Spend of the connection in the current period (USD); absent when unknown.', conn);
  const connBurn = gauge('burnrate_connection_burn_rate_usd_per_hour', 'Burn rate of the connection (USD per hour); absent when unknown.', conn);
  const connProjected = gauge('burnrate_connection_projected_usd', 'Projected period total of the connection (USD); absent when unknown.', conn);
  const connCredits = gauge('burnrate_connection_spend_credits', 'Credits used by the connection in the current period (Civis).', conn);
  const up = gauge('burnrate_connection_up', '1 when the latest refresh of the connection succeeded, else 0.', conn);
  const stale = gauge('burnrate_connection_stale', '1 when the numbers shown are the last good ones from an earlier refresh.', conn);
  const dataThrough = gauge('burnrate_connection_data_through_seconds', 'Latest instant the provider data covers (Unix seconds).', conn);
  const fetchedAt = gauge('burnrate_connection_fetched_at_seconds', 'When the connection was last fetched successfully (Unix seconds).', conn);
  const threshold = gauge('burnrate_workspace_budget_threshold_ratio', 'A notification threshold of the budget as a share of it (label threshold in percent).', [
    'workspace',
    'threshold',
  ] as const);
  const res = ['workspace', 'provider', 'connection', 'resource', 'resource_name', 'kind', 'dedicated'] as const;
  const resourceSpent = gauge('burnrate_resource_spend_usd', "Spend of one of the connection's listed resources in the current period (USD).", res);
  const resourceRequests = gauge('burnrate_resource_requests', 'Requests served by the resource in the current period, where the provider reports them.', res);
  const info = gauge('burnrate_info', 'Constant 1; label demo="true" when the numbers are demo data.', ['demo'] as const);
  info.set({ demo: status.demo ? 'true' : 'false' }, 1);
  if (build) {
    const buildInfo = gauge('burnrate_build_info', 'Constant 1, labelled with the Burnrate version and the Node.js version running it.', ['version', 'nodejs'] as const);
    buildInfo.set({ version: build.version, nodejs: process.version }, 1);
  }

  const seconds = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 1000);
  for (const w of status.workspaces) {
    const labels = { workspace: w.id };
    spent.set(labels, w.spentUsd);
    nowcast.set(labels, w.nowcastUsd);
    burn.set(labels, w.burnRateUsdPerHour);
    projected.set(labels, w.projectedUsd);
    projectedLow.set(labels, w.projectedLowUsd);
    projectedHigh.set(labels, w.projectedHighUsd);
    periodStart.set(labels, seconds(w.period.start)!);
    periodEnd.set(labels, seconds(w.period.end)!);
    if (w.budget) {
      budget.set(labels, w.budget.amountUsd);
      used.set(labels, w.budget.usedPercent / 100);
      projectedRatio.set(labels, w.budget.projectedPercent / 100);
      const crosses = seconds(w.budget.crossesAt);
      if (crosses !== null) crossesAt.set(labels, crosses);
      for (const percent of w.budget.thresholdsPercent ?? []) threshold.set({ workspace: w.id, threshold: String(percent) }, percent / 100);
    }
    for (const c of w.connections) {
      const l = { workspace: w.id, provider: c.provider, connection: c.id };
      if (c.spentUsd !== null) connSpent.set(l, c.spentUsd);
      if (c.spentCredits !== null) connCredits.set(l, c.spentCredits);
      if (c.burnRateUsdPerHour !== undefined && c.burnRateUsdPerHour !== null) connBurn.set(l, c.burnRateUsdPerHour);
      if (c.projectedUsd !== undefined && c.projectedUsd !== null) connProjected.set(l, c.projectedUsd);
      up.set(l, c.status === 'ok' ? 1 : 0);
      stale.set(l, c.stale ? 1 : 0);
      const through = seconds(c.dataThrough);
      if (through !== null) dataThrough.set(l, through);
      const fetched = seconds(c.fetchedAt);
      if (fetched !== null) fetchedAt.set(l, fetched);
      for (const r of c.topResources) {
        const rl = { ...l, resource: r.id, resource_name: r.name, kind: r.kind, dedicated: r.dedicated ? 'true' : 'false' };
        resourceSpent.set(rl, r.spentUsd);
        if (r.requests !== undefined) resourceRequests.set(rl, r.requests);
      }
    }
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
