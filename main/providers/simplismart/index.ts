/**
 * Simplismart in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { simplismartAdapter } from './simplismart';
import { defaultSimplismartScenario, startSimplismartFake } from './simplismart.fake';

/** Simplismart's registry entry. */
export const simplismart = defineProvider({
  id: 'simplismart',
  adapter: simplismartAdapter,
  // Playground (PG) tokens; usage analytics trail real time by about ten minutes.
  fake: { start: startSimplismartFake, keyPrefix: 'pg_', settings: {}, lagMs: 10 * 60_000 },
  demo: { scenario: () => defaultSimplismartScenario(), accounts: [{ workspace: 'research' }] },
});
