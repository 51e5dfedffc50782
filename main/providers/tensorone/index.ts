/**
 * TensorOne in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { tensoroneAdapter } from './tensorone';
import { defaultTensorOneScenario } from './tensorone.fake.scenario';

/** TensorOne's registry entry. */
export const tensorone = defineProvider({
  id: 'tensorone',
  adapter: tensoroneAdapter,
  // Billing usage trails real time by about an hour.
  fake: { start: async (options) => (await import('./tensorone.fake')).startTensorOneFake(options), keyPrefix: 'tpo_test_', settings: {}, lagMs: 60 * 60_000 },
  demo: { scenario: () => defaultTensorOneScenario(), accounts: [{ workspace: 'prod' }] },
});
