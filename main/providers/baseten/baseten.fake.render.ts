// The Baseten fake's rendering: money on the wire, daily usage and billable resources.
import { type Fault, type FakeReply } from '../fake/harness';
import { DAY_MS, hoursInRange, microsToDecimalString, type Scenario, type ScenarioResource } from '../fake/scenario';

/** The three products of the summary, in answer order. */
export type BasetenSection = 'dedicated' | 'training' | 'model_apis';

/** The three products in answer order. */
export const SECTIONS: readonly BasetenSection[] = ['dedicated', 'training', 'model_apis'];
/** Answer field of each product. */
export const SECTION_FIELDS: Readonly<Record<BasetenSection, string>> = {
  dedicated: 'dedicated_usage',
  training: 'training_usage',
  model_apis: 'model_apis_usage',
};
/** Billable resource kinds each product may carry. */
export const KINDS_BY_SECTION: Readonly<Record<BasetenSection, readonly string[]>> = {
  dedicated: ['MODEL_DEPLOYMENT', 'CHAINLET'],
  training: ['TRAINING_JOB'],
  model_apis: [],
};

/** Baseten money on the wire: a JSON number or a decimal string. */
export type Money = number | string;

/**
 * Renders micros as Baseten money, choosing deterministically among the legal forms: a JSON number,
 * "12.5", "86.40", "+12.5", "0012.5" and ".5" (PROVIDERS.md §3 money pattern).
 */
export function renderBasetenMoney(micros: number, pick: number): Money {
  const plain = microsToDecimalString(micros);
  const negative = plain.startsWith('-');
  const variant = Math.floor(pick * 6);
  switch (variant) {
    case 0: {
      // Only as a number when the double prints back exactly (it does for every realistic amount).
      const asNumber = Number(plain);
      return String(asNumber) === plain ? asNumber : plain;
    }
    case 1:
      return plain;
    case 2: {
      const [whole, fraction = ''] = plain.split('.');
      return `${whole}.${fraction.padEnd(2, '0')}`;
    }
    case 3:
      return negative ? plain : `+${plain}`;
    case 4:
      return negative ? plain : `00${plain}`;
    default:
      return plain.startsWith('0.') ? plain.slice(1) : plain;
  }
}

/** A fault that answers 429 with Baseten's documented body (as baseten-error-429.json). */
export function basetenRateLimitFault(retryAfterSeconds = 37): Fault {
  return {
    type: 'status',
    status: 429,
    body: { error: 'Rate limit exceeded. Please try again later.', retry_after: retryAfterSeconds },
  };
}

/** Baseten's error body shape (the fixtures only document it for 429: `{"error": …}`). */
export function errorReply(status: number, message: string): FakeReply {
  return { status, body: { error: message } };
}

/** The product a scenario resource belongs to (`meta.section`). */
export function sectionOf(resource: ScenarioResource): BasetenSection {
  const section = resource.meta?.section;
  if (section === 'dedicated' || section === 'training' || section === 'model_apis') {
    const kind = resource.meta?.kind;
    if (section !== 'model_apis' && (typeof kind !== 'string' || !KINDS_BY_SECTION[section].includes(kind))) {
      throw new Error(`Baseten fake: resource ${resource.id} in ${section} needs meta.kind in ${KINDS_BY_SECTION[section].join('|')}`);
    }
    return section;
  }
  throw new Error(`Baseten fake: resource ${resource.id} needs meta.section dedicated | training | model_apis`);
}

/** Usage of one resource on one UTC day. */
export interface DayUsage {
  costMicros: number;
  requests: number;
  minutes: number;
  inputTokens: number;
  outputTokens: number;
}

/** Usage of one resource per UTC day of `[startMs, endMs)`, as recorded by `availableThroughMs`. */
export function daysOf(scenario: Scenario, resource: ScenarioResource, startMs: number, endMs: number, availableThroughMs: number) {
  const days = new Map<number, DayUsage>();
  for (const { hourStartMs, usage } of hoursInRange(scenario, resource, startMs, endMs, availableThroughMs)) {
    const dayMs = Math.floor(hourStartMs / DAY_MS) * DAY_MS;
    const day = days.get(dayMs) ?? { costMicros: 0, requests: 0, minutes: 0, inputTokens: 0, outputTokens: 0 };
    day.costMicros += usage.costMicros;
    day.requests += usage.requests;
    day.minutes += usage.minutes;
    day.inputTokens += usage.inputTokens;
    day.outputTokens += usage.outputTokens;
    days.set(dayMs, day);
  }
  return days;
}

/** Whether a day carries any cost or activity. */
export function hasUsage(day: DayUsage): boolean {
  return day.costMicros !== 0 || day.requests > 0 || day.minutes > 0 || day.inputTokens > 0 || day.outputTokens > 0;
}

/** YYYY-MM-DD of an instant, UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Cached input tokens: a deterministic share of the input tokens. */
export function cachedTokens(inputTokens: number): number {
  return Math.floor(inputTokens / 4);
}

/** A scenario resource rendered as Baseten's `billable_resource`. */
export function billableResource(resource: ScenarioResource): Record<string, unknown> {
  const meta = resource.meta ?? {};
  const base: Record<string, unknown> = {
    id: resource.id,
    kind: meta.kind,
    name: resource.name,
    is_deleted: meta.is_deleted === true,
    instance_type: meta.instance_type ?? null,
  };
  if (meta.kind === 'CHAINLET') {
    // As in the rendered docs example: model_name/environment_name left out, extra chainlet keys present.
    return {
      ...base,
      chain_metadata: {
        chain_id: meta.chain_id ?? `ch-${resource.id}`,
        chain_name: meta.chain_name ?? null,
        chain_deployment_id: `cd-${resource.id}`,
        chainlet_id: resource.id,
        chainlet_name: resource.name,
      },
    };
  }
  return {
    ...base,
    model_name: meta.model_name ?? null,
    environment_name: meta.environment_name ?? null,
    chain_metadata: null,
  };
}
