/**
 * Every provider adapter, by id. Adding a provider = one folder + one line here + one ProviderId member.
 */
import type { ProviderId } from '../core/report';
import { basetenAdapter } from './baseten/baseten';
import { civisAdapter } from './civis/civis';
import { limitryAdapter } from './limitry/limitry';
import { simplismartAdapter } from './simplismart/simplismart';
import { tensoroneAdapter } from './tensorone/tensorone';
import type { ProviderAdapter } from './types';

/** The adapter of each provider. The mapped type fails the build when a ProviderId has no adapter. */
export const providerRegistry: { readonly [K in ProviderId]: ProviderAdapter<unknown> } = {
  baseten: basetenAdapter,
  civis: civisAdapter,
  limitry: limitryAdapter,
  simplismart: simplismartAdapter,
  tensorone: tensoroneAdapter,
};

/** Looks up an adapter; settings must have been parsed by its own `settingsSchema`. */
export function adapterFor(provider: ProviderId): ProviderAdapter<unknown> {
  return providerRegistry[provider];
}

export default providerRegistry;
