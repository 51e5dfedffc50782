/**
 * Loopback fake of Baseten's `GET /v1/billing/usage_summary`. It enforces the wire contract of
 * PROVIDERS.md §0 (exact `Authorization: Api-Key <key>`, ISO-8601 bounds with a zone, at most
 * 31 days, nothing before 2026-01-01) and answers any range from a deterministic Scenario in the
 * shapes of test/fixtures/providers/baseten-*.json, money mixing JSON numbers and odd decimal strings.
 *
 * Scenario resources carry `meta.section` ('dedicated' | 'training' | 'model_apis'), and for
 * dedicated/training ones `meta.kind` (MODEL_DEPLOYMENT | CHAINLET | TRAINING_JOB), `meta.is_deleted`,
 * `meta.instance_type`; optional `model_name`, `environment_name`, `chain_name`, `chain_id`, `model_family`.
 */
import { FakeServer, type FakeReply, type FakeRequest } from '../fake/harness';
import {
  DAY_MS,
  HOUR_MS,
  noise,
  truthMicros as scenarioTruthMicros,
  type Scenario,
  type ScenarioResource,
} from '../fake/scenario';
import { defaultBasetenScenario } from './baseten.fake.scenario';
import {
  billableResource,
  cachedTokens,
  daysOf,
  errorReply,
  hasUsage,
  isoDate,
  renderBasetenMoney,
  sectionOf,
  SECTION_FIELDS,
  SECTIONS,
  type BasetenSection,
  type Money,
} from './baseten.fake.render';

export { defaultBasetenScenario } from './baseten.fake.scenario';
export { basetenRateLimitFault, renderBasetenMoney, type BasetenSection } from './baseten.fake.render';

/** Path of the usage summary endpoint. */
export const BASETEN_FAKE_USAGE_PATH = '/v1/billing/usage_summary';

/** 2026-01-01T00:00:00Z: the API refuses earlier starts. */
export const BASETEN_FAKE_EARLIEST_MS = Date.UTC(2026, 0, 1);

const MAX_RANGE_MS = 31 * DAY_MS;

/** Options of {@link startBasetenFake}. */
export interface BasetenFakeOptions {
  /** The only key the fake accepts, as `Authorization: Api-Key <apiKey>`. */
  apiKey: string;
  /** Usage to serve. Default: {@link defaultBasetenScenario}(). */
  scenario?: Scenario;
  /** The fake's clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** How far behind `now` the recorded usage runs (ms). Default 0. */
  lagMs?: number;
  /**
   * Credits applied to EACH answer (micro-USD), charged against the sections in order
   * dedicated, training, model APIs, each up to its total: `subtotal = total − credits_used`.
   * Default 0.
   */
  creditsMicros?: number;
  /** How a product with no usage in the requested range is rendered: `null` (default) or zeros with an empty breakdown. */
  emptySections?: 'null' | 'zero';
  /** Answer for whole UTC days through the day of `end_date`, inclusive (one reading of the unstated contract). Default: `end_date` is an exclusive instant. */
  inclusiveEndDay?: boolean;
}

/** A running Baseten fake. Inject faults through `server.inject(...)`. */
export interface BasetenFake {
  readonly server: FakeServer;
  readonly baseUrl: string;
  /** Exact truth in micro-USD for a range, as the fake would report it (gross, before credits; nothing before 2026-01-01). */
  truthMicros(range: { startMs: number; endMs: number }): number;
  stop(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startBasetenFake(options: BasetenFakeOptions): Promise<BasetenFake> {
  const scenario = options.scenario ?? defaultBasetenScenario();
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 0;
  const creditsMicros = options.creditsMicros ?? 0;
  const emptySections = options.emptySections ?? 'null';
  const billed = scenario.resources.map((resource) => ({ resource, section: sectionOf(resource) }));

  const money = (micros: number, key: string, index: number): Money =>
    renderBasetenMoney(micros, noise(scenario.seed, `money:${key}`, index));

  function item(resource: ScenarioResource, section: BasetenSection, startMs: number, endMs: number, availableMs: number) {
    const days = [...daysOf(scenario, resource, startMs, endMs, availableMs).entries()].sort(([a], [b]) => a - b);
    if (!days.some(([, day]) => hasUsage(day))) return undefined;
    const costMicros = days.reduce((sum, [, day]) => sum + day.costMicros, 0);
    const minutes = days.reduce((sum, [, day]) => sum + day.minutes, 0);
    const requests = days.reduce((sum, [, day]) => sum + day.requests, 0);
    const inputTokens = days.reduce((sum, [, day]) => sum + day.inputTokens, 0);
    const outputTokens = days.reduce((sum, [, day]) => sum + day.outputTokens, 0);
    const dayIndex = (dayMs: number) => Math.floor(dayMs / DAY_MS);
    const key = resource.id;
    switch (section) {
      case 'dedicated':
        return {
          costMicros,
          minutes,
          body: {
            billable_resource: billableResource(resource),
            daily: days.map(([dayMs, day]) => ({
              date: isoDate(dayMs),
              subtotal: money(day.costMicros, key, dayIndex(dayMs)),
              minutes: day.minutes,
              inference_requests: day.requests,
            })),
            subtotal: money(costMicros, `${key}#total`, dayIndex(startMs)),
            minutes,
            inference_requests: requests,
          },
        };
      case 'training':
        return {
          costMicros,
          minutes,
          body: {
            billable_resource: billableResource(resource),
            daily: days.map(([dayMs, day]) => ({
              date: isoDate(dayMs),
              subtotal: money(day.costMicros, key, dayIndex(dayMs)),
              minutes: day.minutes,
            })),
            subtotal: money(costMicros, `${key}#total`, dayIndex(startMs)),
            minutes,
          },
        };
      case 'model_apis':
        return {
          costMicros,
          minutes: 0,
          body: {
            model_name: resource.name,
            model_family: resource.meta?.model_family ?? null,
            subtotal: money(costMicros, `${key}#total`, dayIndex(startMs)),
            input_tokens: inputTokens,
            output_tokens: outputTokens,
            cached_input_tokens: days.reduce((sum, [, day]) => sum + cachedTokens(day.inputTokens), 0),
            daily: days.map(([dayMs, day]) => ({
              date: isoDate(dayMs),
              subtotal: money(day.costMicros, key, dayIndex(dayMs)),
              input_tokens: day.inputTokens,
              output_tokens: day.outputTokens,
              cached_input_tokens: cachedTokens(day.inputTokens),
            })),
          },
        };
    }
  }

  function summary(startMs: number, endMs: number): Record<string, unknown> {
    const availableMs = now() - lagMs;
    let creditsLeftMicros = creditsMicros;
    const body: Record<string, unknown> = {};
    for (const section of SECTIONS) {
      const items = billed
        .filter((entry) => entry.section === section)
        .map((entry) => item(entry.resource, section, startMs, endMs, availableMs))
        .filter((entry) => entry !== undefined);
      if (items.length === 0 && emptySections === 'null') {
        body[SECTION_FIELDS[section]] = null;
        continue;
      }
      const totalMicros = items.reduce((sum, entry) => sum + entry.costMicros, 0);
      const creditsUsedMicros = Math.min(creditsLeftMicros, totalMicros);
      creditsLeftMicros -= creditsUsedMicros;
      const key = `${section}#section`;
      const index = Math.floor(startMs / HOUR_MS);
      body[SECTION_FIELDS[section]] = {
        subtotal: money(totalMicros - creditsUsedMicros, `${key}:subtotal`, index),
        credits_used: money(creditsUsedMicros, `${key}:credits`, index),
        total: money(totalMicros, `${key}:total`, index),
        ...(section === 'model_apis' ? {} : { minutes: items.reduce((sum, entry) => sum + entry.minutes, 0) }),
        breakdown: items.map((entry) => entry.body),
      };
    }
    return body;
  }

  function handle(request: FakeRequest): FakeReply {
    if (request.path !== BASETEN_FAKE_USAGE_PATH) return errorReply(404, 'Not found.');
    if (request.method !== 'GET') return errorReply(405, `Method "${request.method}" not allowed.`);
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization.trim() === '') {
      return errorReply(401, 'Authentication credentials were not provided.');
    }
    if (!authorization.startsWith('Api-Key ')) {
      return errorReply(401, 'Invalid authorization header. Use "Authorization: Api-Key <your key>".');
    }
    if (authorization !== `Api-Key ${options.apiKey}`) return errorReply(401, 'Invalid API key.');

    const bounds: Record<'start_date' | 'end_date', number> = { start_date: Number.NaN, end_date: Number.NaN };
    for (const name of ['start_date', 'end_date'] as const) {
      const value = request.query.get(name);
      if (value === null || value === '') return errorReply(400, `${name}: this query parameter is required.`);
      const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value)
        ? Date.parse(value)
        : Number.NaN;
      if (!Number.isFinite(ms)) {
        return errorReply(400, `${name}: expected an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z).`);
      }
      bounds[name] = ms;
    }
    const startMs = bounds.start_date;
    const endMs = bounds.end_date;
    if (startMs < BASETEN_FAKE_EARLIEST_MS) return errorReply(400, 'start_date: earliest queryable date is 2026-01-01.');
    if (endMs <= startMs) return errorReply(400, 'end_date must be after start_date.');
    if (endMs - startMs > MAX_RANGE_MS) return errorReply(400, 'Date range cannot exceed 31 days.');
    if (options.inclusiveEndDay) {
      const dayStartMs = Math.floor(startMs / DAY_MS) * DAY_MS;
      return { status: 200, body: summary(dayStartMs, Math.floor(endMs / DAY_MS) * DAY_MS + DAY_MS) };
    }
    return { status: 200, body: summary(startMs, endMs) };
  }

  const server = new FakeServer(handle, { now });
  const baseUrl = await server.start();
  return {
    server,
    baseUrl,
    truthMicros(range) {
      const startMs = Math.max(range.startMs, BASETEN_FAKE_EARLIEST_MS);
      if (range.endMs <= startMs) return 0;
      return scenarioTruthMicros(scenario, startMs, range.endMs, now() - lagMs, billed.map((entry) => entry.resource));
    },
    stop: () => server.stop(),
  };
}
