// The Simplismart fake's rendering of scenario resources into usage-stats items.
import { DAY_MS, HOUR_MS, hoursInRange, noise, type HourUsage, type Scenario, type ScenarioResource } from '../fake/scenario';

const SCALE = 14; // digits after the point in rendered money: micros (6) + artefacts (8 more)
const MICRO_TO_SCALED = 10n ** BigInt(SCALE - 6);

/** Renders an integer count of 1e-14 units as a plain decimal string. */
export function renderScaled(value: bigint, scale = SCALE): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(scale);
  const whole = abs / unit;
  const frac = (abs % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A point's cost in 1e-14 units: the exact micros plus, optionally, a float artefact (|a| < 50e-14). */
function scaledCost(micros: number, seed: number, key: string, index: number, artefacts: boolean): bigint {
  const exact = BigInt(micros) * MICRO_TO_SCALED;
  if (!artefacts || micros <= 0) return exact;
  const pick = noise(seed, `${key}#artefact`, index);
  if (pick < 0.4) return exact; // many costs print cleanly
  const size = BigInt(1 + Math.floor(noise(seed, `${key}#size`, index) * 49));
  return pick < 0.75 ? exact + size : exact - size; // "2.00000000000001" or "1.99999999999999"
}

/** A resource's plan type (`meta.planType`). */
export function planOf(resource: ScenarioResource): string | undefined {
  const planType = resource.meta?.planType;
  return typeof planType === 'string' ? planType : undefined;
}

/** A text field of `meta`, if set. */
export function metaText(resource: ScenarioResource, key: string): string | undefined {
  const value = resource.meta?.[key];
  return typeof value === 'string' ? value : undefined;
}

function meterOf(resource: ScenarioResource, planType: string): string {
  return metaText(resource, 'eventName') ?? (planType === 'shared' ? 'llm-tokens' : `gpu-minutes-${planType}`);
}

/** Usage quantity of an hour in the meter's unit: tokens for token meters, billed minutes otherwise. */
function quantityOf(meter: string, usage: HourUsage): number {
  return /token/i.test(meter) ? usage.inputTokens + usage.outputTokens : usage.minutes;
}

/** ISO-8601 instant to the second, with Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Start of the `window_size` bucket holding `hourStartMs`; weeks start on Monday 00:00 UTC. */
export function windowStart(hourStartMs: number, windowMs: number): number {
  if (windowMs <= HOUR_MS) return hourStartMs;
  // 1970-01-05 was a Monday: weekly windows are anchored there, shorter ones at the epoch.
  const anchor = windowMs === 7 * DAY_MS ? 4 * DAY_MS : 0;
  return anchor + Math.floor((hourStartMs - anchor) / windowMs) * windowMs;
}

function featureId(seed: number, key: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let text = '';
  for (let index = 0; index < 26; index += 1) text += alphabet[Math.floor(noise(seed, `feat:${key}`, index) * 32)];
  return `feat_${text}`;
}

/** How to render items. */
export interface RenderOptions {
  readonly scenario: Scenario;
  readonly availableThroughMs: number;
  readonly artefacts: boolean;
  readonly hourlyPoints: boolean;
  readonly emitEmptyPoints: boolean;
  readonly currency: string;
}

/** One rendered item and its exact total. */
export interface RenderedItem {
  readonly totalScaled: bigint;
  readonly body: Record<string, unknown>;
}

/** Renders one resource as a usage-stats item. */
export function renderItem(
  resource: ScenarioResource,
  planType: string,
  startMs: number,
  endMs: number,
  windowMs: number,
  options: RenderOptions,
): RenderedItem | undefined {
  const { scenario } = options;
  const meter = meterOf(resource, planType);
  const hours = hoursInRange(scenario, resource, startMs, endMs, options.availableThroughMs);
  const buckets = new Map<number, { costMicros: number; quantity: number; events: number }>();
  for (const { hourStartMs, usage } of hours) {
    const start = options.hourlyPoints ? hourStartMs : windowStart(hourStartMs, windowMs);
    const bucket = buckets.get(start) ?? { costMicros: 0, quantity: 0, events: 0 };
    bucket.costMicros += usage.costMicros;
    bucket.quantity += quantityOf(meter, usage);
    bucket.events += usage.requests;
    buckets.set(start, bucket);
  }
  let totalScaled = 0n;
  let totalQuantity = 0;
  let totalEvents = 0;
  const points: Array<Record<string, unknown>> = [];
  for (const [timestampMs, bucket] of buckets) {
    totalQuantity += bucket.quantity;
    totalEvents += bucket.events;
    if (bucket.costMicros === 0 && bucket.quantity === 0 && bucket.events === 0 && !options.emitEmptyPoints) continue;
    const cost = scaledCost(bucket.costMicros, scenario.seed, resource.id, Math.floor(timestampMs / HOUR_MS), options.artefacts);
    totalScaled += cost;
    points.push({
      timestamp: isoSeconds(timestampMs),
      usage: String(bucket.quantity),
      cost: renderScaled(cost),
      computed_commitment_utilized_amount: '0',
      computed_overage_amount: '0',
      computed_true_up_amount: '0',
      event_count: bucket.events,
    });
  }
  // A resource with nothing at all in the range is not listed.
  if (totalScaled === 0n && totalQuantity === 0 && totalEvents === 0) return undefined;
  const unitPrice =
    totalQuantity > 0
      ? // cost / usage to 15 decimals, like the vendor's "0.066666666666667"
        renderScaled((totalScaled * 10n ** 15n) / (BigInt(totalQuantity) * 10n ** BigInt(SCALE)), 15)
      : undefined;
  return {
    totalScaled,
    body: {
      feature_id: featureId(scenario.seed, `${resource.id}:${meter}`),
      event_name: meter,
      source: resource.id,
      total_usage: String(totalQuantity),
      total_cost: renderScaled(totalScaled),
      currency: options.currency,
      ...(unitPrice === undefined ? {} : { unit_price: { amount: unitPrice, currency: options.currency } }),
      event_count: totalEvents,
      points,
    },
  };
}
