// The Baseten fake's scenario: a realistic workspace over the three products.
import { type Scenario } from '../fake/scenario';

/**
 * A realistic Baseten account: an always-on H100 deployment, an idle A10G staging deployment,
 * a deleted chainlet, a bursty training job and two Model APIs.
 */
export function defaultBasetenScenario(seed = 20_260_301): Scenario {
  return {
    seed,
    resources: [
      {
        id: 'q8w2k9z',
        name: 'production-v3',
        hourlyMicros: 3_600_000,
        requestsPerHour: 2_200,
        shape: 'flat',
        meta: {
          section: 'dedicated',
          kind: 'MODEL_DEPLOYMENT',
          is_deleted: false,
          instance_type: 'H100:1x',
          model_name: 'llama-3.1-8b-instruct',
          environment_name: 'production',
        },
      },
      {
        id: 'w7e3r1a',
        name: 'staging',
        hourlyMicros: 1_212_000,
        requestsPerHour: 0,
        shape: 'flat',
        meta: {
          section: 'dedicated',
          kind: 'MODEL_DEPLOYMENT',
          is_deleted: false,
          instance_type: 'A10G:1x',
          model_name: 'whisper-large-v3',
          environment_name: 'staging',
        },
      },
      {
        id: 'x1c4v7b',
        name: 'Preprocess',
        hourlyMicros: 850_000,
        requestsPerHour: 40,
        shape: 'bursty',
        meta: {
          section: 'dedicated',
          kind: 'CHAINLET',
          is_deleted: true,
          instance_type: 'L4:1x4',
          chain_id: 'ch9d8e7',
          chain_name: 'rag-pipeline',
        },
      },
      {
        id: 'tj5r6t7',
        name: 'sft-run-12',
        hourlyMicros: 9_800_000,
        shape: 'bursty',
        meta: {
          section: 'training',
          kind: 'TRAINING_JOB',
          is_deleted: false,
          instance_type: 'H100:8x',
          model_name: 'my-training-project',
        },
      },
      {
        id: 'deepseek-ai/DeepSeek-V3.1',
        name: 'deepseek-ai/DeepSeek-V3.1',
        hourlyMicros: 450_000,
        requestsPerHour: 300,
        shape: 'diurnal',
        meta: { section: 'model_apis', model_family: 'deepseek' },
      },
      {
        id: 'moonshotai/Kimi-K2-Instruct',
        name: 'moonshotai/Kimi-K2-Instruct',
        hourlyMicros: 120_000,
        requestsPerHour: 90,
        shape: 'weekday',
        meta: { section: 'model_apis', model_family: null },
      },
    ],
  };
}
