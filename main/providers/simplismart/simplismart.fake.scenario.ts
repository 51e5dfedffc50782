// The Simplismart fake's scenario: resources in Simplismart's terms and the default organisation.
import { noise, type Scenario, type ScenarioResource } from '../fake/scenario';

/** The six plan types (one call covers one). */
export const FAKE_PLAN_TYPES = ['shared', 'private', 'byoc', 'reserved', 'training', 'compilation'] as const;
/** One plan type. */
export type PlanType = (typeof FAKE_PLAN_TYPES)[number];

function fakeUuid(seed: number, key: string): string {
  let hex = '';
  for (let index = 0; hex.length < 32; index += 1) {
    hex += Math.floor(noise(seed, `uuid:${key}`, index) * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  }
  // Version 4, RFC variant, so it looks like the real thing.
  const chars = hex.slice(0, 32).split('');
  chars[12] = '4';
  chars[16] = '89ab'[parseInt(chars[16] ?? '0', 16) % 4] ?? '8';
  const h = chars.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Builds a scenario resource in Simplismart's terms: source `<slug>_<uuid>`, with the plan type,
 * slug, uuid and meter in `meta`. Optional `meta.status` (default SUCCESS) and `meta.workspaceId`.
 */
export function simplismartResource(
  seed: number,
  planType: PlanType,
  slug: string,
  fields: Omit<ScenarioResource, 'id' | 'name' | 'meta'> & { meta?: ScenarioResource['meta'] },
): ScenarioResource {
  const uuid = fakeUuid(seed, `${planType}:${slug}`);
  const { meta, ...rest } = fields;
  return { ...rest, id: `${slug}_${uuid}`, name: slug, meta: { planType, slug, uuid, ...meta } };
}

/**
 * A realistic Simplismart organisation: two shared models, a busy private deployment, an idle
 * private deployment (dedicated GPU with zero requests), a fine-tuning job and a compilation job.
 * BYOC and reserved are unused (their calls answer no items).
 */
export function defaultSimplismartScenario(seed = 42): Scenario {
  return {
    seed,
    resources: [
      simplismartResource(seed, 'shared', 'DeepSeek-R1', {
        hourlyMicros: 1_850_000,
        requestsPerHour: 1_400,
        shape: 'diurnal',
        meta: { eventName: 'llm-tokens' },
      }),
      simplismartResource(seed, 'shared', 'Llama-3.1-8B-Instruct', {
        hourlyMicros: 240_000,
        requestsPerHour: 600,
        shape: 'bursty',
        meta: { eventName: 'llm-tokens' },
      }),
      simplismartResource(seed, 'private', 'llama3p1-70b-prod', {
        hourlyMicros: 4_320_000,
        requestsPerHour: 2_200,
        shape: 'flat',
        meta: { eventName: 'gpu-minutes-h100' },
      }),
      simplismartResource(seed, 'private', 'whisper-v3-staging', {
        hourlyMicros: 1_150_000,
        requestsPerHour: 0,
        shape: 'flat',
        meta: { eventName: 'gpu-minutes-l40s' },
      }),
      simplismartResource(seed, 'training', 'ft-mistral-7b-support', {
        hourlyMicros: 2_600_000,
        requestsPerHour: 0,
        shape: 'bursty',
        meta: { eventName: 'gpu-minutes-training' },
      }),
      simplismartResource(seed, 'compilation', 'qwen2p5-32b', {
        hourlyMicros: 90_000,
        requestsPerHour: 0,
        shape: 'bursty',
        meta: { eventName: 'compilation-minutes' },
      }),
    ],
  };
}
