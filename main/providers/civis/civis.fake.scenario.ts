// The Civis fake's default demo usage, apart from the fake itself so the registry can name it
// without loading the fake's server (the fake is imported only when started: see index.ts).
import type { Scenario, ScenarioResource } from '../fake/scenario';

/** The organization id the fake serves unless told otherwise (the one in the fixtures). */
export const CIVIS_FAKE_ORG_ID = 7;

/**
 * A realistic Civis LLM scenario: five Bedrock-style models with different shapes, from a busy
 * weekday Sonnet to a bursty Opus and a cheap, chatty embedding model. Amounts are micro-credits.
 * Civis bills LLM use per run only (no dedicated capacity), so there is no idle dedicated resource.
 */
export function defaultCivisScenario(seed = 7): Scenario {
  const model = (
    id: string,
    modelId: string,
    hourlyMicros: number,
    requestsPerHour: number,
    shape: ScenarioResource['shape'],
  ): ScenarioResource => ({ id, name: modelId, hourlyMicros, requestsPerHour, shape, meta: { modelId } });
  return {
    seed,
    resources: [
      model('sonnet', 'anthropic.claude-3-5-sonnet', 1_400_000, 30, 'weekday'),
      model('opus', 'anthropic.claude-3-opus', 2_250_000, 6, 'bursty'),
      model('llama', 'meta.llama3-70b-instruct-v1', 320_000, 20, 'diurnal'),
      model('haiku', 'anthropic.claude-3-haiku', 180_000, 120, 'diurnal'),
      model('embed', 'amazon.titan-embed-text-v2', 25_000, 400, 'weekday'),
    ],
  };
}
