// Endpoint: GET {baseUrl}/api/status and /api/history?from=&to=&workspace= of a team `burnrate serve` (README "Team server"); default base http://127.0.0.1:8787.
// Auth: `Authorization: Bearer <the server's token>` (`tokenEnv` in the config); errors are `{"error": "<text>"}` (400s add `"parameter"`).
// Limits: the server polls the providers on its own interval, so once a minute is plenty; history ranges up to 93 days per request.
import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import { sumMicros, toMicros } from '../../core/money';
import type { BurnRateMethod } from '../../core/burnRate';
import type { ProjectionMethod } from '../../core/projection';
import { byCostThenName, DAY_MS, HOUR_MS, type CostBucket, type ResourceKind, type ResourceUsage, type ServerPace, type TimeRange, type UsageReport } from '../../core/report';
import { defaultErrorDetail } from '../http';
import { baseUrlField, baseUrlSetting, joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderAdapter, ProviderContext, SettingField } from '../types';
import { historyDocumentSchema, serverErrorBodySchema, statusDocumentSchema } from './burnrate.schema';

const PROVIDER = 'Burnrate team server';

/** Default address: a `burnrate serve` on this machine (its default `--listen`). */
export const BURNRATE_DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

/** Id of the resource that holds spend the server's resource list does not account for. */
export const BURNRATE_OTHER_ID = '(other)';

/** Schema of a `burnrate` connection's settings: the server and which of its workspaces to read. */
const settingsSchema = z.strictObject({
  baseUrl: baseUrlSetting(BURNRATE_DEFAULT_BASE_URL),
  workspace: z
    .string({ error: 'must name the workspace to read on the team server, such as "prod"' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be the id of a workspace on the team server (1–64 letters, digits, "-", "_" or ".")'),
});

/** Parsed settings of a `burnrate` connection. */
export type BurnrateSettings = z.output<typeof settingsSchema>;

const settings: readonly SettingField[] = [
  baseUrlField(BURNRATE_DEFAULT_BASE_URL, 'The address of the team server (the URL its `burnrate serve --public-host` prints, without the token); use https behind its TLS proxy.'),
  { key: 'workspace', label: 'Workspace on the server', kind: 'text', required: true, help: 'The id of the workspace to read, as in the server’s configuration (for example prod).' },
];

/** Type of a workspace in the server's StatusDocument. */
type ServerWorkspace = z.output<typeof statusDocumentSchema>['workspaces'][number];
/** Type of a connection's buckets in the server's HistoryDocument. */
type ServerHistoryConnection = z.output<typeof historyDocumentSchema>['workspaces'][number]['connections'][number];

/**
 * A workspace of a team Burnrate server (`burnrate serve`): the server polls the providers once for
 * everybody; this connection reads one of its workspaces. For the server's current period the
 * spend, burn rate and projection are the server's own (carried as `extras.serverPace`, never
 * recomputed), so they equal the server's to the cent. Other ranges are summed from its history.
 */
export const burnrateAdapter: ProviderAdapter<BurnrateSettings> = {
  id: 'burnrate',
  displayName: 'Burnrate team server',
  settings,
  settingsSchema,
  tokenKeys: true,
  // The server refreshes on its own interval (5 minutes by default): reading it more often than
  // once a minute only shows the same numbers again.
  minRefreshMs: 60_000,
  fetchUsage: fetchTeamUsage,
};

async function fetchTeamUsage(range: TimeRange, ctx: ProviderContext<BurnrateSettings>): Promise<UsageReport> {
  if (!isInstant(range.startMs) || !isInstant(range.endMs) || range.endMs <= range.startMs) {
    throw new ProviderError('bad_request', `Burnrate asked the team server for an empty or invalid time range`);
  }
  const get = (path: string, query: Record<string, string>) => {
    const url = joinUrl(ctx.settings.baseUrl, path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return ctx.http.getJson({
      provider: PROVIDER,
      url,
      headers: { authorization: `Bearer ${ctx.apiKey}` },
      secrets: [ctx.apiKey],
      errorDetail: serverErrorDetail,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  };
  const status = parseAnswer(statusDocumentSchema, (await get('/api/status', {})).body, PROVIDER, 'status document', [ctx.apiKey]);
  const workspace = status.workspaces.find((w) => w.id === ctx.settings.workspace);
  if (workspace === undefined) {
    const known = status.workspaces.map((w) => w.id).join(', ');
    throw new ProviderError('bad_request', `The team server has no workspace "${ctx.settings.workspace}"; it serves ${known === '' ? 'none' : known}.`);
  }
  const query = { from: isoInstant(range.startMs), to: isoInstant(range.endMs), workspace: workspace.id };
  const history = parseAnswer(historyDocumentSchema, (await get('/api/history', query)).body, PROVIDER, 'history document', [ctx.apiKey]);
  const connections = history.workspaces.find((w) => w.id === workspace.id)?.connections ?? [];
  const report = mapTeamReport(range, ctx.nowMs, workspace, connections);
  const warning = plainHttpWarning(ctx.settings.baseUrl);
  return warning === null ? report : { ...report, notes: [...report.notes, warning] };
}

/**
 * A note when the token goes to another machine over plain http (a server without its TLS proxy);
 * null for https and for this machine's loopback addresses.
 * @example plainHttpWarning('http://burnrate.internal:8787') //=> 'The team server is read over plain http …'
 */
export function plainHttpWarning(baseUrl: string): string | null {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' || /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i.test(url.hostname)) return null;
  return `The team server is read over plain http (${url.host}): its token travels unencrypted. Use https through the server's TLS proxy.`;
}

/**
 * Maps a server workspace and its history to one report. For the server's current period (the
 * range starts where the server's period starts) the totals and pace are the server's; for any
 * other range the total is the sum of the history's buckets that start inside it. Pure.
 */
export function mapTeamReport(range: TimeRange, nowMs: number, workspace: ServerWorkspace, history: readonly ServerHistoryConnection[]): UsageReport {
  const periodStartMs = Date.parse(workspace.period.start);
  const periodEndMs = Date.parse(workspace.period.end);
  const usdHistory = history.filter((c) => c.unit === 'usd');
  const buckets = foldBuckets(usdHistory, range);
  const capMs = Math.min(nowMs, range.endMs);
  const base = { provider: 'burnrate', range: { startMs: range.startMs, endMs: range.endMs }, unit: 'usd' as const, granularityMs: granularityOf(usdHistory) };

  if (range.startMs === periodStartMs && range.endMs <= periodEndMs) {
    const totalMicros = toMicros(workspace.spentUsd, 'spentUsd');
    const counted = workspace.connections.filter((c) => c.spentUsd !== null);
    const through = counted.map((c) => (c.dataThrough === null ? null : Date.parse(c.dataThrough))).filter((ms): ms is number => ms !== null);
    return {
      ...base,
      totalMicros,
      buckets: buckets.costs,
      resources: serverResources(workspace, totalMicros),
      dataThroughMs: through.length === 0 ? null : Math.min(capMs, ...through),
      extras: { serverPace: paceOf(workspace) },
      notes: serverNotes(workspace),
    };
  }
  const overlapsPeriod = range.startMs < periodEndMs && range.endMs > periodStartMs;
  return {
    ...base,
    totalMicros: buckets.totalMicros,
    buckets: buckets.costs,
    resources: historyResources(usdHistory, range, workspace),
    dataThroughMs: buckets.lastUsedEndMs === null ? null : Math.min(capMs, buckets.lastUsedEndMs),
    extras: {},
    notes: overlapsPeriod
      ? [
          `The team server's workspace "${workspace.id}" counts its period from ${workspace.period.start}; this workspace's period starts at ${isoInstant(range.startMs)}. ` +
            "Spend is summed from the server's history, and burn rate and projection are computed here, so they can differ from the server's: give this workspace the server's period and time zone to see its own numbers.",
        ]
      : [],
  };
}

/** The coarsest bucket length of the history (an hour, or a day when a provider reports days). */
function granularityOf(history: readonly ServerHistoryConnection[]): number {
  let granularityMs = HOUR_MS;
  for (const connection of history) {
    for (const bucket of connection.buckets) granularityMs = Math.max(granularityMs, Date.parse(bucket.end) - Date.parse(bucket.start) > HOUR_MS ? DAY_MS : HOUR_MS);
  }
  return granularityMs;
}

/** The workspace's cost per bucket (summed over its USD connections), buckets starting inside the range. */
function foldBuckets(history: readonly ServerHistoryConnection[], range: TimeRange): { costs: CostBucket[]; totalMicros: number; lastUsedEndMs: number | null } {
  const granularityMs = granularityOf(history);
  const bySlot = new Map<number, number[]>();
  const inRange: number[] = [];
  let lastUsedEndMs: number | null = null;
  for (const connection of history) {
    for (const bucket of connection.buckets) {
      const startMs = Date.parse(bucket.start);
      if (startMs < range.startMs || startMs >= range.endMs || bucket.spentUsd === null) continue;
      const costMicros = toMicros(bucket.spentUsd, 'spentUsd');
      inRange.push(costMicros);
      const slotMs = Math.floor(startMs / granularityMs) * granularityMs;
      bySlot.set(slotMs, [...(bySlot.get(slotMs) ?? []), costMicros]);
      if (costMicros !== 0) lastUsedEndMs = Math.max(lastUsedEndMs ?? 0, Date.parse(bucket.end));
    }
  }
  const costs = [...bySlot]
    .sort(([a], [b]) => a - b)
    .map(([startMs, parts]) => ({ startMs, durationMs: granularityMs, costMicros: sumMicros(parts) }));
  return { costs, totalMicros: sumMicros(inRange), lastUsedEndMs };
}

const RESOURCE_KINDS: readonly ResourceKind[] = ['deployment', 'model', 'cluster', 'training_job', 'plan_type', 'service', 'other'];
const BURN_RATE_METHODS: readonly BurnRateMethod[] = ['trimmed-mean', 'mean', 'sparse-points', 'period-average', 'no-data'];
const PROJECTION_METHODS: readonly ProjectionMethod[] = ['run-rate', 'day-of-week', 'previous-period', 'blend', 'sparse-points', 'period-average'];

/** The server's resources of the period, ids made unique with their connection; the remainder as "Other". */
function serverResources(workspace: ServerWorkspace, totalMicros: number): ResourceUsage[] {
  const listed = workspace.resources ?? workspace.topResources ?? [];
  const resources: ResourceUsage[] = listed.map((r) => ({
    id: r.connectionId === undefined ? r.id : `${r.connectionId}/${r.id}`,
    name: r.name,
    kind: RESOURCE_KINDS.find((kind) => kind === r.kind) ?? 'other',
    costMicros: toMicros(r.spentUsd, 'spentUsd'),
    activity: r.requests === undefined ? {} : { requests: r.requests },
    dedicated: r.dedicated ?? false,
  }));
  const remainderMicros = totalMicros - sumMicros(resources.map((r) => r.costMicros));
  if (remainderMicros > 0) {
    resources.push({ id: BURNRATE_OTHER_ID, name: "Other (not in the team server's resource list)", kind: 'other', costMicros: remainderMicros, activity: {}, dedicated: false });
  }
  return resources.sort(byCostThenName);
}

/** One resource per server connection, from its history buckets in the range. */
function historyResources(history: readonly ServerHistoryConnection[], range: TimeRange, workspace: ServerWorkspace): ResourceUsage[] {
  return history
    .map((connection) => {
      const costs = connection.buckets
        .filter((b) => b.spentUsd !== null && Date.parse(b.start) >= range.startMs && Date.parse(b.start) < range.endMs)
        .map((b) => toMicros(b.spentUsd, 'spentUsd'));
      const providerName = workspace.connections.find((c) => c.id === connection.id)?.providerName ?? connection.provider;
      return { id: connection.id, name: `${providerName} (${connection.id})`, kind: 'service' as const, costMicros: sumMicros(costs), activity: {}, dedicated: false };
    })
    .filter((r) => r.costMicros !== 0)
    .sort(byCostThenName);
}

/** The server's burn rate and projection of the workspace, in micros. */
function paceOf(workspace: ServerWorkspace): ServerPace {
  const microsPerHour = toMicros(workspace.burnRateUsdPerHour, 'burnRateUsdPerHour');
  const methods = new Set(workspace.connections.filter((c) => c.spentUsd !== null && c.burnRateMethod).map((c) => c.burnRateMethod));
  const only = methods.size === 1 ? BURN_RATE_METHODS.find((m) => methods.has(m)) : undefined;
  const method: BurnRateMethod = microsPerHour === 0 && methods.size === 0 ? 'no-data' : (only ?? 'mean');
  // The StatusDocument carries no window: the rate is the server's "now", known as a number only.
  const atMs = Date.parse(workspace.period.start);
  return {
    burnRate: { microsPerHour, method, sampleHours: 0, windowStartMs: atMs, windowEndMs: atMs },
    projection: {
      projectedMicros: toMicros(workspace.projectedUsd, 'projectedUsd'),
      lowMicros: toMicros(workspace.projectedLowUsd, 'projectedLowUsd'),
      highMicros: toMicros(workspace.projectedHighUsd, 'projectedHighUsd'),
      method: PROJECTION_METHODS.find((m) => m === workspace.projectionMethod) ?? 'blend',
      confidence: Math.min(1, Math.max(0, workspace.projectionConfidence ?? 0)),
    },
  };
}

/** What the server says is missing from its own total: failing or excluded connections. */
function serverNotes(workspace: ServerWorkspace): string[] {
  const notes = workspace.connections
    .filter((c) => c.status === 'error' && c.error)
    .map((c) => `On the team server, ${c.providerName ?? c.provider} (${c.id}) ${c.stale ? 'shows its last good data: ' : 'failed: '}${c.error!.message}`);
  for (const excluded of workspace.coverage.excluded) {
    if (!workspace.connections.some((c) => c.id === excluded.id && c.status === 'error')) notes.push(`On the team server, ${excluded.id} is not in the total: ${excluded.reason}`);
  }
  return notes;
}

/** True for an epoch-ms value a Date can hold (±8.64e15 ms). */
function isInstant(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** The server's `{"error": "<text>"}`, else the common fields of a proxy's error page. */
function serverErrorDetail(body: unknown): string | undefined {
  const parsed = serverErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : defaultErrorDetail(body);
}
