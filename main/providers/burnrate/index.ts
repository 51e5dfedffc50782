/**
 * A Burnrate team server in the registry: adapter, settings form and loopback fake. No demo
 * account: a team server reports the same providers the demo already shows, so a `burnrate`
 * connection in the demo would count the demo's spend twice.
 */
import { defineProvider } from '../types';
import { burnrateAdapter } from './burnrate';
import { defaultBurnrateScenario, FAKE_TEAM_WORKSPACE } from './burnrate.fake.scenario';

/** The `burnrate` provider's registry entry (a workspace of a team `burnrate serve`). */
export const burnrate = defineProvider({
  id: 'burnrate',
  adapter: burnrateAdapter,
  fake: { start: async (options) => (await import('./burnrate.fake')).startBurnrateFake(options), keyPrefix: 'brt_', settings: { workspace: FAKE_TEAM_WORKSPACE }, lagMs: 0 },
  demo: { scenario: () => defaultBurnrateScenario(), accounts: [] },
});
