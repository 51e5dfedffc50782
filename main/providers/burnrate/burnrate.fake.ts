/**
 * A loopback fake of a Burnrate team server (`burnrate serve`), built on FakeServer: the two routes a
 * `burnrate` connection reads, `GET /api/status` (a StatusDocument) and `GET /api/history`
 * (a HistoryDocument), behind `Authorization: Bearer <token>`, with the server's own error bodies
 * (`{"error": …}`, plus `"parameter"` for a bad query parameter). It serves one workspace, `prod`,
 * whose connections are the scenario's resources grouped by `meta.connection`, in UTC months.
 *
 * The real server is tested against the real engine (test/cli/teamConnection.test.ts); this fake
 * is for the contract suite and the adapter's own tests, where exact truth per range matters.
 */
import type { HistoryDocument, StatusDocument, WorkspaceStatus } from '../../../preload/api';
import { microsToUnits } from '../../core/money';
import { FakeServer, queryInstant, type FakeReply, type FakeRequest } from '../fake/harness';
import { HOUR_MS, hoursInRange, truthMicros as scenarioTruthMicros, type ScenarioResource } from '../fake/scenario';
import type { ProviderFake, ProviderFakeOptions } from '../types';
import { FAKE_TEAM_WORKSPACE, defaultBurnrateScenario } from './burnrate.fake.scenario';

export { FAKE_TEAM_WORKSPACE, defaultBurnrateScenario };

/** Options of {@link startBurnrateFake}. */
export interface BurnrateFakeOptions extends ProviderFakeOptions {
  /** Workspaces the status lists besides `prod` (no connections): for "no such workspace" tests. */
  readonly otherWorkspaces?: readonly string[];
}

/** The server's connection of a resource (`meta.connection`) and that connection's provider (`meta.provider`). */
const connectionOf = (resource: ScenarioResource): string => String(resource.meta?.connection ?? 'gpu');
const providerOf = (resource: ScenarioResource): string => String(resource.meta?.provider ?? 'baseten');

/** Start of the first whole hour at or after `ms`. */
const ceilHour = (ms: number): number => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/** Starts the fake team server on 127.0.0.1. */
export async function startBurnrateFake(options: BurnrateFakeOptions): Promise<ProviderFake> {
  const scenario = options.scenario ?? defaultBurnrateScenario();
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 0;
  const throughOf = (nowMs: number): number => nowMs - lagMs;
  // History holds whole hours: a bucket belongs to a range when it starts inside it.
  const truth = (startMs: number, endMs: number, nowMs: number, resources?: readonly ScenarioResource[]) =>
    scenarioTruthMicros(scenario, ceilHour(startMs), endMs, throughOf(nowMs), resources);

  const handler = (request: FakeRequest): FakeReply => {
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return { status: 401, body: { error: 'Unauthorized: pass the access token as ?token=… or Authorization: Bearer …' }, headers: { 'www-authenticate': 'Bearer realm="burnrate"' } };
    }
    if (request.method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
    if (request.path === '/api/status') return { status: 200, body: statusDocument(request.atMs) };
    if (request.path === '/api/history') return history(request);
    return { status: 404, body: { error: 'Not found' } };
  };

  function history(request: FakeRequest): FakeReply {
    const bad = (parameter: string, error: string): FakeReply => ({ status: 400, body: { error, parameter } });
    const fromMs = queryInstant(request.query, 'from');
    const toMs = queryInstant(request.query, 'to');
    if (fromMs === undefined) return bad('from', 'from must be an ISO-8601 date-time such as 2026-11-01T00:00:00Z');
    if (toMs === undefined) return bad('to', 'to must be an ISO-8601 date-time such as 2026-11-02T00:00:00Z');
    if (fromMs >= toMs) return bad('from', 'from must be before to');
    const workspace = request.query.get('workspace');
    if (workspace !== null && workspace !== FAKE_TEAM_WORKSPACE && !(options.otherWorkspaces ?? []).includes(workspace)) {
      return bad('workspace', `no workspace "${workspace}" on this server`);
    }
    const through = throughOf(request.atMs);
    const body: HistoryDocument = {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      generatedAt: new Date(request.atMs).toISOString(),
      workspaces: workspace !== null && workspace !== FAKE_TEAM_WORKSPACE
        ? [{ id: workspace, name: workspace, connections: [] }]
        : [
            {
              id: FAKE_TEAM_WORKSPACE,
              name: 'Prod',
              connections: groups().map(({ id, provider, resources }) => {
                const byHour = new Map<number, number>();
                for (const resource of resources) {
                  for (const { hourStartMs, usage } of hoursInRange(scenario, resource, ceilHour(fromMs), toMs, through)) {
                    byHour.set(hourStartMs, (byHour.get(hourStartMs) ?? 0) + usage.costMicros);
                  }
                }
                return {
                  id,
                  provider,
                  unit: 'usd' as const,
                  buckets: [...byHour].sort(([a], [b]) => a - b).map(([startMs, micros]) => ({
                    start: new Date(startMs).toISOString(),
                    end: new Date(startMs + HOUR_MS).toISOString(),
                    spentUsd: microsToUnits(micros),
                    spentCredits: null,
                  })),
                };
              }),
            },
          ],
    };
    return { status: 200, body };
  }

  function groups(): Array<{ id: string; provider: string; resources: ScenarioResource[] }> {
    const byId = new Map<string, { id: string; provider: string; resources: ScenarioResource[] }>();
    for (const resource of scenario.resources) {
      const id = connectionOf(resource);
      const group = byId.get(id) ?? { id, provider: providerOf(resource), resources: [] };
      group.resources.push(resource);
      byId.set(id, group);
    }
    return [...byId.values()];
  }

  /** The server's document at `nowMs`: a UTC month, a run rate of the last 6 complete hours. */
  function statusDocument(nowMs: number): StatusDocument {
    const date = new Date(nowMs);
    const startMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const endMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    const through = throughOf(nowMs);
    const completeMs = Math.floor(through / HOUR_MS) * HOUR_MS;
    const hoursLeft = Math.max(0, endMs - through) / HOUR_MS;
    const connections = groups().map(({ id, provider, resources }) => {
      const spentMicros = truth(startMs, endMs, nowMs, resources);
      const rateMicros = Math.round(truth(Math.max(startMs, completeMs - 6 * HOUR_MS), completeMs, nowMs, resources) / Math.max(1, Math.min(6, (completeMs - startMs) / HOUR_MS)));
      const perResource = resources
        .map((r) => ({ r, micros: truth(startMs, endMs, nowMs, [r]) }))
        .sort((a, b) => b.micros - a.micros);
      return { id, provider, spentMicros, rateMicros, projectedMicros: spentMicros + Math.round(rateMicros * hoursLeft), perResource };
    });
    const sum = (pick: (c: (typeof connections)[number]) => number) => connections.reduce((total, c) => total + pick(c), 0);
    const spentMicros = sum((c) => c.spentMicros);
    const projectedMicros = sum((c) => c.projectedMicros);
    const iso = (ms: number) => new Date(ms).toISOString();
    const prod: WorkspaceStatus = {
      id: FAKE_TEAM_WORKSPACE,
      name: 'Prod',
      currency: 'USD',
      period: { start: iso(startMs), end: iso(endMs), timeZone: 'UTC' },
      spentUsd: microsToUnits(spentMicros),
      nowcastUsd: microsToUnits(spentMicros),
      burnRateUsdPerHour: microsToUnits(sum((c) => c.rateMicros)),
      projectedUsd: microsToUnits(projectedMicros),
      projectedLowUsd: microsToUnits(Math.round(projectedMicros * 0.95)),
      projectedHighUsd: microsToUnits(Math.round(projectedMicros * 1.05)),
      projectionMethod: 'run-rate',
      projectionConfidence: 0.8,
      budget: null,
      connections: connections.map((c) => ({
        id: c.id,
        provider: c.provider,
        providerName: c.provider === 'baseten' ? 'Baseten' : 'Limitry',
        status: 'ok',
        spentUsd: microsToUnits(c.spentMicros),
        spentCredits: null,
        burnRateUsdPerHour: microsToUnits(c.rateMicros),
        projectedUsd: microsToUnits(c.projectedMicros),
        dataThrough: iso(Math.max(startMs, through)),
        fetchedAt: iso(nowMs),
        topResources: c.perResource.slice(0, 5).map(({ r, micros }) => ({ id: r.id, name: r.name, kind: String(r.meta?.kind ?? 'other'), spentUsd: microsToUnits(micros) })),
        error: null,
        burnRateMethod: 'mean',
        projectionMethod: 'run-rate',
      })),
      coverage: { connectionsOk: connections.length, connectionsTotal: connections.length, excluded: [] },
      resources: connections
        .flatMap((c) =>
          c.perResource.map(({ r, micros }) => ({
            id: r.id,
            name: r.name,
            kind: String(r.meta?.kind ?? 'other'),
            spentUsd: microsToUnits(micros),
            connectionId: c.id,
            dedicated: r.meta?.dedicated === true,
          })),
        )
        .sort((a, b) => b.spentUsd - a.spentUsd),
    };
    const others: WorkspaceStatus[] = (options.otherWorkspaces ?? []).map((id) => ({
      ...prod,
      id,
      name: id,
      spentUsd: 0,
      nowcastUsd: 0,
      burnRateUsdPerHour: 0,
      projectedUsd: 0,
      projectedLowUsd: 0,
      projectedHighUsd: 0,
      connections: [],
      coverage: { connectionsOk: 0, connectionsTotal: 0, excluded: [] },
      resources: [],
    }));
    return { generatedAt: iso(nowMs), workspaces: [prod, ...others] };
  }

  const server = new FakeServer(handler, { now });
  const baseUrl = await server.start();
  return {
    server,
    baseUrl,
    truthMicros: (range) => truth(range.startMs, range.endMs, now()),
    stop: () => server.stop(),
  };
}
