// Request planning and answer parsing of the Simplismart adapter: one usage-stats call per plan type.
import { isProviderError, ProviderError } from '../../core/errors';
import { type Decimal } from '../../core/money';
import { type TimeRange } from '../../core/report';
import { cleanDetail, type HttpJsonResponse } from '../http';
import { joinUrl, parseAnswer } from '../schema';
import { isoInstant } from '../timestamps';
import type { ProviderContext } from '../types';
import {
  errorBodySchema,
  usageEnvelopeSchema,
  usageListSchema,
  type SimplismartPlanType,
  type SimplismartUsageItem,
} from './simplismart.schema';
import { INCLUDE_ALL_STATUSES_PLAN_TYPES, LIST_FILTERS, type SimplismartSettings } from './simplismart.settings';

const PROVIDER = 'Simplismart';

/** What one plan-type call returned, parsed. `totalCost` is undefined for the bare-list shape. */
export interface PlanAnswer {
  readonly planType: SimplismartPlanType;
  readonly items: readonly SimplismartUsageItem[];
  readonly totalCost: Decimal | undefined;
}

/**
 * Builds the request URL of one plan type: UTC bounds with `Z`, only the filters that plan type accepts.
 * @example usageUrl(settings, 'private', range).search //=> '?plan_type=private&start_time=2026-05-01T00%3A00%3A00Z&…'
 */
export function usageUrl(settings: SimplismartSettings, planType: SimplismartPlanType, range: TimeRange): URL {
  const url = joinUrl(settings.baseUrl, settings.path);
  const query = url.searchParams;
  query.set('plan_type', planType);
  query.set('start_time', isoInstant(range.startMs));
  query.set('end_time', isoInstant(range.endMs));
  query.set('window_size', settings.windowSize);
  if (settings.workspaceId) query.set('workspace_id', settings.workspaceId);
  for (const filter of LIST_FILTERS) {
    if (!filter.planTypes.includes(planType)) continue;
    // Repeated keys (deployment_slugs=a&deployment_slugs=b), per PROVIDERS.md §0.
    for (const value of settings[filter.key]) query.append(filter.param, value);
  }
  if (settings.includeAllStatuses && INCLUDE_ALL_STATUSES_PLAN_TYPES.includes(planType)) {
    query.set('include_all_statuses', 'true');
  }
  return url;
}

/** Fetches and parses the usage of one plan type. */
export async function fetchPlanType(
  planType: SimplismartPlanType,
  range: TimeRange,
  ctx: ProviderContext<SimplismartSettings>,
): Promise<PlanAnswer> {
  let detail: string | undefined;
  let response: HttpJsonResponse;
  try {
    response = await ctx.http.getJson({
      provider: PROVIDER,
      url: usageUrl(ctx.settings, planType, range),
      headers: { authorization: `Bearer ${ctx.apiKey}` },
      signal: ctx.signal,
      secrets: [ctx.apiKey],
      errorDetail: (body) => {
        detail = errorDetailOf(body);
        return detail;
      },
    });
  } catch (error) {
    throw explainFailure(error, planType, detail, ctx.apiKey);
  }

  const what = `${planType} usage answer`;
  const body = response.body;
  let items: readonly SimplismartUsageItem[];
  let totalCost: Decimal | undefined;
  if (Array.isArray(body)) {
    items = parseAnswer(usageListSchema, body, PROVIDER, what, [ctx.apiKey]);
  } else {
    const envelope = parseAnswer(usageEnvelopeSchema, body, PROVIDER, what, [ctx.apiKey]);
    requireUsd(envelope.currency, planType, 'currency');
    items = envelope.items;
    totalCost = envelope.total_cost;
  }
  items.forEach((item, index) => {
    requireUsd(item.currency, planType, `items[${index}].currency`);
    if (item.unit_price) requireUsd(item.unit_price.currency, planType, `items[${index}].unit_price.currency`);
  });
  return { planType, items, totalCost };
}

function requireUsd(currency: string, planType: SimplismartPlanType, field: string): void {
  if (currency === 'USD') return;
  // Name the currency only when it looks like an ISO code: the field's text is not ours to repeat.
  const named = /^[A-Z]{3}$/.test(currency) ? currency : 'an unknown currency';
  throw new ProviderError(
    'bad_response',
    `Simplismart reported ${planType} usage in ${named} (${field}); Burnrate tracks Simplismart in USD only`,
  );
}

/** Reads Simplismart's `{detail}` (a string, or FastAPI's list of validation errors). */
function errorDetailOf(body: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const detail = parsed.data.detail;
  return typeof detail === 'string' ? detail : detail.map((entry) => entry.msg).join('; ');
}


/** Gives a failed call Simplismart's meaning: expired vs bad token, and which plan type a 400 was about. */
function explainFailure(
  error: unknown,
  planType: SimplismartPlanType,
  detail: string | undefined,
  apiKey: string,
): ProviderError {
  if (!isProviderError(error)) {
    return new ProviderError('network', `The request to Simplismart failed unexpectedly`, { cause: error });
  }
  const said = detail ? ` Simplismart said: ${cleanDetail(detail, [apiKey])}` : '';
  if (error.kind === 'auth' && error.status === 401) {
    // Keys have an expiry date and get 401 after it (SM-APIKEYS): tell that apart from a wrong token.
    const message =
      detail && /expire/i.test(detail)
        ? `Simplismart says the API token has expired (401): create a new Playground (PG) token under Settings → API Key.${said}`
        : `Simplismart rejected the API token (401): check that it is the Playground (PG) token from Settings → API Key, not an inference key.${said}`;
    return new ProviderError('auth', message, { status: 401, cause: error });
  }
  if (error.kind === 'bad_request') {
    return new ProviderError('bad_request', `${error.message} (plan type ${planType})`, {
      ...(error.status === undefined ? {} : { status: error.status }),
      cause: error,
    });
  }
  return error;
}
