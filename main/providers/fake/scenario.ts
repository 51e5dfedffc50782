/**
 * Deterministic usage scenarios for the loopback fakes. A scenario is a set of resources, each
 * with an hourly cost and request pattern; any hour of any range can be computed on demand, so the
 * fakes answer realistic data for any range and tests know the exact truth in micro-units.
 *
 * The fakes render these integers in each provider's wire format (dollars as strings or numbers,
 * cents, credits); an adapter that parses exactly gets the truth back to the micro-unit.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Shapes of hourly cost over time. */
export type UsageShape =
  /** The same cost every hour (a dedicated GPU that is always up). */
  | 'flat'
  /** Busier in UTC working hours, quieter at night. */
  | 'diurnal'
  /** Like diurnal, and a quarter of the weekday level on Saturdays and Sundays. */
  | 'weekday'
  /** Mostly low, with an occasional hour at several times the level. */
  | 'bursty';

/** One billable thing in a scenario. `meta` carries provider-specific fields (plan type, section…). */
export interface ScenarioResource {
  readonly id: string;
  readonly name: string;
  /** Base cost per hour in micro-units of the provider's unit (micro-USD, or micro-credits for Civis). */
  readonly hourlyMicros: number;
  /** Base requests per hour; 0 makes an idle resource that still costs money. */
  readonly requestsPerHour?: number;
  readonly shape?: UsageShape;
  /** The resource only exists within [activeFromMs, activeUntilMs). */
  readonly activeFromMs?: number;
  readonly activeUntilMs?: number;
  readonly meta?: Readonly<Record<string, string | number | boolean | null>>;
}

/** What one resource did in one hour. All integers. */
export interface HourUsage {
  readonly costMicros: number;
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Billed minutes (dedicated time), 0..60. */
  readonly minutes: number;
}

/** A per-hour override for shaped tests (a spike hour, a ramp, a resource going idle). */
export type UsageOverride = (resource: ScenarioResource, hourStartMs: number) => Partial<HourUsage> | undefined;

export interface Scenario {
  readonly seed: number;
  readonly resources: readonly ScenarioResource[];
  readonly override?: UsageOverride;
}

/** A 32-bit integer hash of its inputs, as a fraction in [0, 1). Same inputs, same value. */
export function noise(seed: number, key: string, hourIndex: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  const text = `${key}:${hourIndex}`;
  for (let i = 0; i < text.length; i += 1) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

function shapeFactor(shape: UsageShape, seed: number, id: string, hourStartMs: number): number {
  const date = new Date(hourStartMs);
  const hour = date.getUTCHours();
  const day = date.getUTCDay();
  const hourIndex = Math.floor(hourStartMs / HOUR_MS);
  const jitter = 0.85 + 0.3 * noise(seed, id, hourIndex);
  switch (shape) {
    case 'flat':
      return 1;
    case 'diurnal':
      return (hour >= 8 && hour < 20 ? 1.5 : 0.5) * jitter;
    case 'weekday':
      return (day === 0 || day === 6 ? 0.25 : 1) * (hour >= 8 && hour < 20 ? 1.5 : 0.5) * jitter;
    case 'bursty':
      return noise(seed, `${id}#burst`, hourIndex) > 0.95 ? 4 * jitter : 0.6 * jitter;
  }
}

/** Usage of one resource in the hour starting at `hourStartMs` (must be hour-aligned). */
export function hourUsage(scenario: Scenario, resource: ScenarioResource, hourStartMs: number): HourUsage {
  const inactive =
    (resource.activeFromMs !== undefined && hourStartMs < resource.activeFromMs) ||
    (resource.activeUntilMs !== undefined && hourStartMs >= resource.activeUntilMs);
  const zero: HourUsage = { costMicros: 0, requests: 0, inputTokens: 0, outputTokens: 0, minutes: 0 };
  if (inactive) return { ...zero, ...scenario.override?.(resource, hourStartMs) };
  const factor = shapeFactor(resource.shape ?? 'flat', scenario.seed, resource.id, hourStartMs);
  const costMicros = Math.round(resource.hourlyMicros * factor);
  const requests = Math.round((resource.requestsPerHour ?? 0) * factor);
  const base: HourUsage = {
    costMicros,
    requests,
    inputTokens: requests * 700,
    outputTokens: requests * 180,
    minutes: costMicros > 0 ? 60 : 0,
  };
  return { ...base, ...scenario.override?.(resource, hourStartMs) };
}

/**
 * Usage of a resource in `[startMs, endMs)`, hour by hour, as the provider would have recorded it
 * by `availableThroughMs` (now minus the provider's lag). A partly elapsed hour counts
 * pro rata (floored), so the current bucket is partial, as with the real APIs.
 */
export function hoursInRange(
  scenario: Scenario,
  resource: ScenarioResource,
  startMs: number,
  endMs: number,
  availableThroughMs: number,
): Array<{ hourStartMs: number; usage: HourUsage }> {
  const result: Array<{ hourStartMs: number; usage: HourUsage }> = [];
  const stopMs = Math.min(endMs, availableThroughMs);
  for (let hourStartMs = Math.floor(startMs / HOUR_MS) * HOUR_MS; hourStartMs < stopMs; hourStartMs += HOUR_MS) {
    const full = hourUsage(scenario, resource, hourStartMs);
    // Portion of this hour that lies inside the range and has already happened.
    const fromMs = Math.max(hourStartMs, startMs);
    const toMs = Math.min(hourStartMs + HOUR_MS, stopMs);
    // Nothing of this hour is both inside the range and already recorded.
    if (toMs <= fromMs) continue;
    const fraction = (toMs - fromMs) / HOUR_MS;
    const usage: HourUsage =
      fraction >= 1
        ? full
        : {
            costMicros: Math.floor(full.costMicros * fraction),
            requests: Math.floor(full.requests * fraction),
            inputTokens: Math.floor(full.inputTokens * fraction),
            outputTokens: Math.floor(full.outputTokens * fraction),
            minutes: Math.floor(full.minutes * fraction),
          };
    result.push({ hourStartMs, usage });
  }
  return result;
}

/** Total cost (micro-units) of the given resources in a range, as recorded by `availableThroughMs`. */
export function truthMicros(
  scenario: Scenario,
  startMs: number,
  endMs: number,
  availableThroughMs: number,
  resources: readonly ScenarioResource[] = scenario.resources,
): number {
  let total = 0;
  for (const resource of resources) {
    for (const { usage } of hoursInRange(scenario, resource, startMs, endMs, availableThroughMs)) total += usage.costMicros;
  }
  return total;
}

/**
 * Renders integer micro-units as a plain decimal string in major units, exactly.
 * @example microsToDecimalString(1_500_000) //=> '1.5'
 */
export function microsToDecimalString(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}
