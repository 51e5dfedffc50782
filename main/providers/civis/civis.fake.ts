/**
 * A loopback fake of the Civis Platform usage API (PROVIDERS.md §0 and §5), built on FakeServer.
 * It enforces the wire contract (Basic auth with `<key>:`, required query parameters and their
 * formats, the `{error, errorDescription, code}` envelope, optional X-Pagination-* paging) and
 * answers realistic per-run LLM credit rows for any range from a deterministic Scenario, in the
 * camelCase shapes of test/fixtures/providers/civis-*.json. Scenario amounts are micro-CREDITS.
 */
import { FakeServer, queryInstant, type FakeReply, type FakeRequest } from '../fake/harness';
import { DAY_MS, HOUR_MS, hoursInRange, noise, type HourUsage, type Scenario, type ScenarioResource } from '../fake/scenario';
import { CIVIS_FAKE_ORG_ID, defaultCivisScenario } from './civis.fake.scenario';

export { CIVIS_FAKE_ORG_ID, defaultCivisScenario };

/** Options of {@link startCivisFake}. */
export interface CivisFakeOptions {
  /** The one API key the fake accepts (as `Basic base64("<key>:")`, or `Bearer <key>`). */
  apiKey: string;
  /** Usage to serve; default {@link defaultCivisScenario}. `hourlyMicros` are micro-credits; `meta.modelId` names the model. */
  scenario?: Scenario;
  /** The fake's clock (epoch ms); default Date.now. Rows exist only up to `now() - lagMs`. */
  now?: () => number;
  /** How far recorded usage trails the clock (ms); default 0. */
  lagMs?: number;
  /** The organization the key belongs to (default {@link CIVIS_FAKE_ORG_ID}); any other org id gets 403. */
  orgId?: number;
  /** The org's LLM credit hard limit in whole credits (default 10000); null = no limit configured (empty list). */
  hardLimit?: number | null;
  /** Rows per page of `/usage/llm`; when set, the list pages with `page_num` and X-Pagination-* headers. Default: unpaged, as the spec declares. */
  pageSize?: number;
  /** Runs per model and hour (default 1–4, varying): a high number makes a busy month (over 20 MiB of rows). */
  runsPerHour?: number;
  /** X-RateLimit-Limit on every answer (default 1000); X-RateLimit-Remaining counts down per request. */
  rateLimit?: number;
}

/** A running Civis fake. */
export interface CivisFake {
  readonly server: FakeServer;
  readonly baseUrl: string;
  /** Exact truth in micro-units (micro-CREDITS here) for a range, as the fake would report it now. */
  truthMicros(range: { startMs: number; endMs: number }): number;
  stop(): Promise<void>;
}

/**
 * A Civis error body: `{"error": "<snake_code>", "errorDescription": "…", "code": <status>}`.
 * @example civisErrorBody(404, 'not_found', 'The requested resource could not be found.')
 */
export function civisErrorBody(code: number, error: string, errorDescription: string): { error: string; errorDescription: string; code: number } {
  return { error, errorDescription, code };
}

/** A `/usage/llm` row exactly as Civis sends it (camelCase, credits as a JSON number). */
interface LlmRow {
  readonly id: number;
  readonly runId: number;
  readonly jobId: number;
  readonly userId: number;
  readonly organizationId: number;
  readonly runCreatedAt: string;
  readonly runTime: number;
  readonly credits: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly modelId: string;
}

interface GeneratedRun {
  readonly atMs: number;
  readonly row: LlmRow;
}

const LIMIT_CREATED_AT = '2025-11-14T18:22:05.000Z';
const LIMIT_UPDATED_AT = '2026-02-01T09:00:00.000Z';

/** Starts the fake on a free loopback port. */
export async function startCivisFake(options: CivisFakeOptions): Promise<CivisFake> {
  const scenario = options.scenario ?? defaultCivisScenario();
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 0;
  const orgId = options.orgId ?? CIVIS_FAKE_ORG_ID;
  const hardLimit = options.hardLimit === undefined ? 10_000 : options.hardLimit;
  const pageSize = options.pageSize;
  const rateLimit = options.rateLimit ?? 1000;
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1)) throw new Error('pageSize must be a positive integer');

  const basic = `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`;
  const bearer = `Bearer ${options.apiKey}`;
  const resourceCount = Math.max(1, scenario.resources.length);
  // Ids leave room for the most runs one resource hour can have.
  const runSlots = Math.max(4, options.runsPerHour ?? 4);

  /** Usage of each resource hour in [startMs, endMs) as recorded by now - lag, skipping empty slices. */
  function* slices(startMs: number, endMs: number): Generator<{ resource: ScenarioResource; index: number; hourStartMs: number; usage: HourUsage; fromMs: number; toMs: number }> {
    const availableThroughMs = now() - lagMs;
    for (const [index, resource] of scenario.resources.entries()) {
      for (const { hourStartMs, usage } of hoursInRange(scenario, resource, startMs, endMs, availableThroughMs)) {
        const fromMs = Math.max(hourStartMs, startMs);
        const toMs = Math.min(hourStartMs + HOUR_MS, endMs, availableThroughMs);
        // hoursInRange yields a negative slice when the range starts after the available data in the same hour.
        if (toMs <= fromMs) continue;
        yield { resource, index, hourStartMs, usage, fromMs, toMs };
      }
    }
  }

  function truth(startMs: number, endMs: number): number {
    let total = 0;
    for (const { usage } of slices(startMs, endMs)) total += usage.costMicros;
    return total;
  }

  let cacheKey = '';
  let cacheRows: LlmRow[] = [];
  /** Every run created in [startMs, endMs), oldest first. Cached for paging through one range. */
  function llmRows(startMs: number, endMs: number): LlmRow[] {
    const key = `${startMs}|${endMs}|${now() - lagMs}`;
    if (key === cacheKey) return cacheRows;
    const runs: GeneratedRun[] = [];
    for (const slice of slices(startMs, endMs)) {
      runs.push(...splitIntoRuns(slice.resource, slice.index, slice.hourStartMs, slice.usage, slice.fromMs, slice.toMs));
    }
    runs.sort((a, b) => a.atMs - b.atMs || a.row.id - b.row.id);
    cacheKey = key;
    cacheRows = runs.map((run) => run.row);
    return cacheRows;
  }

  function splitIntoRuns(
    resource: ScenarioResource,
    resourceIndex: number,
    hourStartMs: number,
    usage: HourUsage,
    fromMs: number,
    toMs: number,
  ): GeneratedRun[] {
    if (usage.costMicros === 0 && usage.requests === 0) return [];
    const hourIndex = Math.floor(hourStartMs / HOUR_MS);
    const seed = scenario.seed;
    const key = resource.id;
    // 1–4 runs per hour, never more runs than micro-credits to share.
    let count = options.runsPerHour ?? 1 + Math.floor(noise(seed, `${key}#runs`, hourIndex) * 4);
    if (usage.costMicros !== 0) count = Math.min(count, Math.abs(usage.costMicros));
    const weights = Array.from({ length: count }, (_, i) => 1 + Math.floor(noise(seed, `${key}#w${i}`, hourIndex) * 9));
    const weightSum = weights.reduce((sum, w) => sum + w, 0);
    const share = (amount: number, i: number, taken: number): number =>
      i === count - 1 ? amount - taken : Math.floor((amount * weights[i]!) / weightSum);

    const modelId = typeof resource.meta?.modelId === 'string' ? resource.meta.modelId : resource.id;
    const spanMs = toMs - fromMs;
    const runs: GeneratedRun[] = [];
    let creditsTaken = 0;
    let inputTaken = 0;
    let outputTaken = 0;
    for (let i = 0; i < count; i += 1) {
      const credits = share(usage.costMicros, i, creditsTaken);
      const inputTokens = share(usage.inputTokens, i, inputTaken);
      const outputTokens = share(usage.outputTokens, i, outputTaken);
      creditsTaken += credits;
      inputTaken += inputTokens;
      outputTaken += outputTokens;
      const rawMs = fromMs + Math.floor((spanMs * (i + 0.9 * noise(seed, `${key}#t${i}`, hourIndex))) / count);
      // Whole seconds, like the fixtures, unless that would leave the slice.
      const wholeMs = Math.ceil(rawMs / 1000) * 1000;
      const atMs = wholeMs < toMs ? wholeMs : rawMs;
      const id = (hourIndex * resourceCount + resourceIndex) * runSlots + i;
      runs.push({
        atMs,
        row: {
          id,
          runId: 100_000_000 + id,
          jobId: 3000 + resourceIndex * 10 + Math.floor(noise(seed, `${key}#job`, hourIndex) * 3),
          userId: 40 + Math.floor(noise(seed, `${key}#user${i}`, hourIndex) * 20),
          organizationId: orgId,
          runCreatedAt: new Date(atMs).toISOString(),
          runTime: 3 + Math.floor(outputTokens / 40) + Math.floor(noise(seed, `${key}#rt${i}`, hourIndex) * 20),
          // Integer micro-credits / 1e6 is the double nearest the exact decimal; JSON prints it exactly.
          credits: credits / 1_000_000,
          inputTokens,
          outputTokens,
          modelId,
        },
      });
    }
    return runs;
  }

  // ------------------------------------------------------------------------------------------
  // Contract checks

  const rateHeaders = (): Record<string, string> => ({
    'X-RateLimit-Limit': String(rateLimit),
    'X-RateLimit-Remaining': String(Math.max(0, rateLimit - server.requests.length)),
  });
  const error = (code: number, name: string, description: string, headers: Record<string, string> = {}): FakeReply => ({
    status: code,
    body: civisErrorBody(code, name, description),
    headers: { ...rateHeaders(), ...headers },
  });
  const ok = (body: unknown, headers: Record<string, string> = {}): FakeReply => ({
    status: 200,
    body,
    headers: { ...rateHeaders(), ...headers },
  });
  const badRequest = (description: string): FakeReply => error(400, 'bad_request', description);

  function checkAuth(request: FakeRequest): FakeReply | undefined {
    const header = request.headers.authorization;
    if (header === basic || header === bearer) return undefined;
    const description = header ? 'Invalid or expired API key.' : 'No API key was provided.';
    return error(401, 'unauthorized', description, { 'WWW-Authenticate': 'Basic realm="Civis Platform API"' });
  }

  /** Reads an integer id parameter: undefined when absent, a reply when malformed or foreign. */
  function orgParam(request: FakeRequest, name: string, required: boolean): { reply?: FakeReply; value?: number } {
    const raw = request.query.get(name);
    if (raw === null) return required ? { reply: badRequest(`${name} is required.`) } : {};
    if (!/^[1-9]\d{0,15}$/.test(raw)) return { reply: badRequest(`${name} must be a positive integer.`) };
    const value = Number(raw);
    if (value !== orgId) return { reply: error(403, 'forbidden', 'You do not have access to this organization.') };
    return { value };
  }

  /** Reads start_date/end_date: both required (or, when optional, both absent), ISO-8601 with an offset, start < end. */
  function rangeParams(request: FakeRequest, required: boolean): { reply?: FakeReply; startMs?: number; endMs?: number } {
    const rawStart = request.query.get('start_date');
    const rawEnd = request.query.get('end_date');
    if (rawStart === null && rawEnd === null && !required) {
      // Civis: month-to-date through the end of the current (UTC) day when neither bound is given.
      const nowMs = now();
      const date = new Date(nowMs);
      return { startMs: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), endMs: Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS };
    }
    if (rawStart === null || rawEnd === null) return { reply: badRequest('start_date and end_date are both required.') };
    const startMs = queryInstant(request.query, 'start_date');
    const endMs = queryInstant(request.query, 'end_date');
    if (startMs === undefined) return { reply: badRequest('start_date must be an ISO-8601 date-time with a time zone.') };
    if (endMs === undefined) return { reply: badRequest('end_date must be an ISO-8601 date-time with a time zone.') };
    if (startMs >= endMs) return { reply: badRequest('start_date must be before end_date.') };
    return { startMs, endMs };
  }

  // ------------------------------------------------------------------------------------------
  // Routes

  function usageLlm(request: FakeRequest): FakeReply {
    const org = orgParam(request, 'org_id', true);
    if (org.reply) return org.reply;
    const range = rangeParams(request, true);
    if (range.reply) return range.reply;
    const rows = llmRows(range.startMs!, range.endMs!);
    if (pageSize === undefined) return ok(rows);
    const rawPage = request.query.get('page_num');
    if (rawPage !== null && !/^[1-9]\d{0,6}$/.test(rawPage)) return badRequest('page_num must be a positive integer.');
    const page = rawPage === null ? 1 : Number(rawPage);
    const totalPages = Math.ceil(rows.length / pageSize);
    return ok(rows.slice((page - 1) * pageSize, page * pageSize), {
      'X-Pagination-Current-Page': String(page),
      'X-Pagination-Per-Page': String(pageSize),
      'X-Pagination-Total-Pages': String(totalPages),
      'X-Pagination-Total-Entries': String(rows.length),
    });
  }

  function orgSummary(request: FakeRequest, rawOrg: string): FakeReply {
    if (!/^[1-9]\d{0,15}$/.test(rawOrg)) return error(404, 'not_found', 'The requested resource could not be found.');
    if (Number(rawOrg) !== orgId) return error(403, 'forbidden', 'You do not have access to this organization.');
    const range = rangeParams(request, false);
    if (range.reply) return range.reply;
    return ok({ credits: truth(range.startMs!, range.endMs!) / 1_000_000, organizationId: orgId });
  }

  function usageMatching(request: FakeRequest): FakeReply {
    const org = orgParam(request, 'org_id', false);
    if (org.reply) return org.reply;
    const task = request.query.get('task');
    if (task !== null && task !== 'IDR' && task !== 'CDM') return badRequest('task must be one of IDR, CDM.');
    const range = rangeParams(request, false);
    if (range.reply) return range.reply;
    const availableThroughMs = now() - lagMs;
    const rows: unknown[] = [];
    for (let dayMs = Math.floor(range.startMs! / DAY_MS) * DAY_MS; dayMs < range.endMs!; dayMs += DAY_MS) {
      const dayIndex = dayMs / DAY_MS;
      for (const [taskIndex, name] of (['IDR', 'CDM'] as const).entries()) {
        if (task !== null && task !== name) continue;
        if (noise(scenario.seed, `matching#${name}`, dayIndex) < 0.6) continue;
        const atMs = dayMs + 8 * HOUR_MS + Math.floor(noise(scenario.seed, `matching#${name}#t`, dayIndex) * 10 * HOUR_MS / 1000) * 1000;
        if (atMs < range.startMs! || atMs >= range.endMs! || atMs >= availableThroughMs) continue;
        rows.push({
          runId: 70_000_000 + dayIndex * 2 + taskIndex,
          jobId: 810 + taskIndex * 5,
          userId: 41,
          organizationId: orgId,
          runCreatedAt: new Date(atMs).toISOString(),
          runTime: 300 + Math.floor(noise(scenario.seed, `matching#${name}#rt`, dayIndex) * 1800),
          numRecords: 100_000 + Math.floor(noise(scenario.seed, `matching#${name}#n`, dayIndex) * 2_900_000),
          task: name,
        });
      }
    }
    return ok(rows);
  }

  function usageLimitsLlm(request: FakeRequest): FakeReply {
    const org = orgParam(request, 'organization_id', false);
    if (org.reply) return org.reply;
    if (hardLimit === null) return ok([]);
    return ok([{ id: 3, organizationId: orgId, createdAt: LIMIT_CREATED_AT, updatedAt: LIMIT_UPDATED_AT, hardLimit }]);
  }

  function handle(request: FakeRequest): FakeReply {
    const unauthorized = checkAuth(request);
    if (unauthorized) return unauthorized;
    if (request.method !== 'GET') return error(405, 'method_not_allowed', 'This endpoint only answers GET.');
    const path = request.path.replace(/\/+$/, '');
    if (path === '/usage/llm') return usageLlm(request);
    if (path === '/usage/matching') return usageMatching(request);
    if (path === '/usage_limits/llm') return usageLimitsLlm(request);
    const summary = /^\/usage\/llm\/organization\/([^/]+)\/summary$/.exec(path);
    if (summary) return orgSummary(request, summary[1]!);
    return error(404, 'not_found', 'The requested resource could not be found.');
  }

  const server = new FakeServer(handle, { now });
  const baseUrl = await server.start();
  return {
    server,
    baseUrl,
    truthMicros: (range) => truth(range.startMs, range.endMs),
    stop: () => server.stop(),
  };
}
