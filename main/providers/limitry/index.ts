/**
 * Limitry in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { limitryAdapter } from './limitry';
import { defaultLimitryScenario, startLimitryFake } from './limitry.fake';

/** Limitry's registry entry. */
export const limitry = defineProvider({
  id: 'limitry',
  adapter: limitryAdapter,
  fake: { start: startLimitryFake, keyPrefix: 'lmtry_sk_', settings: {}, lagMs: 0 },
  demo: { scenario: () => defaultLimitryScenario(), accounts: [{ workspace: 'prod' }] },
});
