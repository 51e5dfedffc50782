// The TensorOne fake's default demo usage, apart from the fake itself so the registry can name it
// without loading the fake's server (the fake is imported only when started: see index.ts).
import type { Scenario, ScenarioResource } from '../fake/scenario';

/**
 * A realistic TensorOne account: two GPU clusters (one of them idle but billed), a serverless
 * endpoint, an AI service, storage and egress, spread over three regions.
 */
export function defaultTensorOneScenario(seed = 1): Scenario {
  const resources: ScenarioResource[] = [
    {
      id: 'cluster-gpu-a100-001',
      name: 'GPU Cluster A100-001',
      hourlyMicros: 10_000_000,
      requestsPerHour: 1_200,
      shape: 'flat',
      meta: { resourceType: 'clusters', region: 'us-east-1' },
    },
    {
      id: 'cluster-gpu-h100-002',
      name: 'GPU Cluster H100-002',
      hourlyMicros: 7_960_000,
      requestsPerHour: 0,
      shape: 'flat',
      meta: { resourceType: 'clusters', region: 'us-west-2' },
    },
    {
      id: 'ep-llama3-70b',
      name: 'Llama 3 70B endpoint',
      hourlyMicros: 3_600_000,
      requestsPerHour: 900,
      shape: 'diurnal',
      meta: { resourceType: 'endpoints', region: 'us-east-1' },
    },
    {
      id: 'text-to-image',
      name: 'Text-to-Image Generation',
      hourlyMicros: 450_000,
      requestsPerHour: 150,
      shape: 'weekday',
      meta: { resourceType: 'ai-services', region: 'eu-west-1' },
    },
    {
      id: 'vol-datasets',
      name: 'Datasets volume',
      hourlyMicros: 150_000,
      shape: 'flat',
      meta: { resourceType: 'storage', region: 'us-east-1' },
    },
    {
      id: 'egress',
      name: 'Data transfer',
      hourlyMicros: 240_000,
      shape: 'bursty',
      meta: { resourceType: 'bandwidth', region: 'us-east-1' },
    },
  ];
  return { seed, resources };
}
