// The Burnrate team server fake's default demo usage, apart from the fake itself so the registry can name it
// without loading the fake's server (the fake is imported only when started: see index.ts).
import type { Scenario } from '../fake/scenario';

/** The workspace the fake serves. */
export const FAKE_TEAM_WORKSPACE = 'prod';

/**
 * A team with two providers behind the server: a Baseten account with a dedicated GPU deployment
 * and a staging model, and a Limitry project metering two LLMs (weekday and diurnal traffic).
 */
export function defaultBurnrateScenario(seed = 14): Scenario {
  return {
    seed,
    resources: [
      { id: 'llama-70b', name: 'llama-70b / production', hourlyMicros: 4_120_000, requestsPerHour: 900, shape: 'flat', meta: { connection: 'baseten', provider: 'baseten', kind: 'deployment', dedicated: true } },
      { id: 'whisper', name: 'whisper-large-v3 / staging', hourlyMicros: 612_345, requestsPerHour: 40, shape: 'diurnal', meta: { connection: 'baseten', provider: 'baseten', kind: 'deployment', dedicated: true } },
      { id: 'gpt-4o', name: 'gpt-4o', hourlyMicros: 2_715_321, requestsPerHour: 140, shape: 'weekday', meta: { connection: 'limitry', provider: 'limitry', kind: 'model' } },
      { id: 'claude-3-5-sonnet', name: 'claude-3-5-sonnet', hourlyMicros: 1_938_757, requestsPerHour: 75, shape: 'diurnal', meta: { connection: 'limitry', provider: 'limitry', kind: 'model' } },
    ],
  };
}
