/**
 * The browser tests' settings fake (test/e2e/settingsFake.ts) offers exactly the providers and form
 * fields main sends (main/services/settingsForm.ts, from the registry): a provider or field added to
 * the registry reaches the settings tests without a copy to keep in step.
 */
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../main/providers/registry';
import { providerView } from '../../main/services/settingsForm';
import { PROVIDERS } from '../e2e/settingsFake';

describe('settings fake', () => {
  it('offers the registry providers with their settings fields, as main sends them', () => {
    expect(PROVIDERS).toEqual(PROVIDER_IDS.map((id) => providerView(id)));
  });
});
