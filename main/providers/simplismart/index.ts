/**
 * Simplismart in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { simplismartAdapter } from './simplismart';
import { defaultSimplismartScenario } from './simplismart.fake.scenario';

/** Simplismart's registry entry. */
export const simplismart = defineProvider({
  id: 'simplismart',
  adapter: simplismartAdapter,
  // Playground (PG) tokens; usage analytics trail real time by about ten minutes.
  fake: { start: async (options) => (await import('./simplismart.fake')).startSimplismartFake(options), keyPrefix: 'pg_', settings: {}, lagMs: 10 * 60_000 },
  demo: { scenario: () => defaultSimplismartScenario(), accounts: [{ workspace: 'research' }] },
});
