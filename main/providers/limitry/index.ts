/**
 * Limitry in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { limitryAdapter } from './limitry';
import { defaultLimitryScenario } from './limitry.fake.scenario';

/** Limitry's registry entry. */
export const limitry = defineProvider({
  id: 'limitry',
  adapter: limitryAdapter,
  fake: { start: async (options) => (await import('./limitry.fake')).startLimitryFake(options), keyPrefix: 'lmtry_sk_', settings: {}, lagMs: 0 },
  demo: { scenario: () => defaultLimitryScenario(), accounts: [{ workspace: 'prod' }] },
});
