/**
 * TensorOne in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { tensoroneAdapter } from './tensorone';
import { defaultTensorOneScenario, startTensorOneFake } from './tensorone.fake';

/** TensorOne's registry entry. */
export const tensorone = defineProvider({
  id: 'tensorone',
  adapter: tensoroneAdapter,
  // Billing usage trails real time by about an hour.
  fake: { start: startTensorOneFake, keyPrefix: 'tpo_test_', settings: {}, lagMs: 60 * 60_000 },
  demo: { scenario: () => defaultTensorOneScenario(), accounts: [{ workspace: 'prod' }] },
});
