// The Limitry fake's default demo usage, apart from the fake itself so the registry can name it
// without loading the fake's server (the fake is imported only when started: see index.ts).
import type { Scenario, ScenarioResource } from '../fake/scenario';

/**
 * A realistic Limitry project: four models of three providers used by three customers (diurnal,
 * weekday and bursty traffic, hourly costs that are not whole cents), plus tool-call events with
 * no model and no cost (`dimension: null`). Limitry meters calls, so nothing here is dedicated
 * capacity; the zero-cost, no-model events are the provider's "activity without spend" case.
 */
export function defaultLimitryScenario(seed = 7): Scenario {
  const resources: ScenarioResource[] = [
    {
      id: 'gpt-4o',
      name: 'gpt-4o',
      hourlyMicros: 2_715_321,
      requestsPerHour: 140,
      shape: 'weekday',
      meta: { model: 'gpt-4o', provider: 'openai', eventType: 'model_call', customerId: 'cus_acme' },
    },
    {
      id: 'claude-3-5-sonnet',
      name: 'claude-3-5-sonnet',
      hourlyMicros: 1_938_757,
      requestsPerHour: 75,
      shape: 'diurnal',
      meta: { model: 'claude-3-5-sonnet', provider: 'anthropic', eventType: 'model_call', customerId: 'cus_globex' },
    },
    {
      id: 'gpt-4o-mini',
      name: 'gpt-4o-mini',
      hourlyMicros: 187_433,
      requestsPerHour: 410,
      shape: 'diurnal',
      meta: { model: 'gpt-4o-mini', provider: 'openai', eventType: 'model_call', customerId: 'cus_acme' },
    },
    {
      id: 'text-embedding-3-small',
      name: 'text-embedding-3-small',
      hourlyMicros: 12_347,
      requestsPerHour: 900,
      shape: 'bursty',
      meta: { model: 'text-embedding-3-small', provider: 'openai', eventType: 'embedding', customerId: 'cus_initech' },
    },
    {
      id: 'tool-calls',
      name: 'Tool-call events (no model)',
      hourlyMicros: 0,
      requestsPerHour: 20,
      shape: 'flat',
      meta: { model: null, provider: null, eventType: 'tool_call', customerId: 'cus_acme' },
    },
  ];
  return {
    seed,
    resources,
    // Events without a model carry no tokens (limitry-breakdown-model.json's null row).
    override: (resource) => (resource.meta?.model === null ? { inputTokens: 0, outputTokens: 0 } : undefined),
  };
}
