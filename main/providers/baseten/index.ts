/**
 * Baseten in the registry: adapter, settings form, loopback fake and demo accounts.
 */
import type { Scenario } from '../fake/scenario';
import { defineProvider } from '../types';
import { basetenAdapter } from './baseten';
import { defaultBasetenScenario } from './baseten.fake.scenario';

/** A smaller Baseten account for the demo's second team: one always-on deployment and model APIs. */
function prodBasetenScenario(): Scenario {
  const base = defaultBasetenScenario(99);
  return { ...base, resources: base.resources.filter((r) => r.meta?.section !== 'training') };
}

/** Baseten's registry entry. */
export const baseten = defineProvider({
  id: 'baseten',
  adapter: basetenAdapter,
  // Baseten's usage summary trails real time by about half an hour.
  fake: { start: async (options) => (await import('./baseten.fake')).startBasetenFake(options), keyPrefix: 'bt_', settings: {}, lagMs: 30 * 60_000 },
  demo: {
    scenario: () => defaultBasetenScenario(),
    accounts: [
      { workspace: 'research', name: 'Baseten (research)' },
      { workspace: 'prod', id: 'baseten-prod', name: 'Baseten (prod)', scenario: prodBasetenScenario },
    ],
  },
});
