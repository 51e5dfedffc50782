/**
 * Civis in the registry: adapter, settings form, loopback fake and demo account.
 */
import { defineProvider } from '../types';
import { civisAdapter } from './civis';
import { CIVIS_FAKE_ORG_ID, defaultCivisScenario } from './civis.fake.scenario';

/** Civis's registry entry. */
export const civis = defineProvider({
  id: 'civis',
  adapter: civisAdapter,
  // Without usdPerCredit the adapter reports credits: exactly the fake's truth.
  fake: { start: async (options) => (await import('./civis.fake')).startCivisFake(options), keyPrefix: 'civis_', settings: { orgId: CIVIS_FAKE_ORG_ID }, lagMs: 0 },
  demo: {
    scenario: () => defaultCivisScenario(),
    // A credit price, so the demo shows dollars.
    settings: { usdPerCredit: 0.5 },
    accounts: [{ workspace: 'research' }],
  },
});
