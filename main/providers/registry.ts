/**
 * THE list of providers. Adding a provider = its folder (main/providers/<id>/, whose index.ts
 * exports one entry) + one line in `PROVIDERS` below. Everything else loops over this list: the
 * id type and config validation, the demo, the CLI tests, the contract suite and the docs.
 */
import { baseten } from './baseten';
import { burnrate } from './burnrate';
import { civis } from './civis';
import { limitry } from './limitry';
import { simplismart } from './simplismart';
import { tensorone } from './tensorone';
import type { ProviderAdapter, ProviderEntry } from './types';

/** Every provider, in display order. */
export const PROVIDERS = [baseten, civis, limitry, simplismart, tensorone, burnrate] as const satisfies readonly ProviderEntry[];

/** A registered provider's id (`'baseten' | 'civis' | …`), derived from {@link PROVIDERS}. */
export type ProviderId = (typeof PROVIDERS)[number]['id'];

/** Every provider id, in display order: derived from {@link PROVIDERS}, so it never misses one. */
export const PROVIDER_IDS: readonly [ProviderId, ...ProviderId[]] = [PROVIDERS[0].id, ...PROVIDERS.slice(1).map((entry) => entry.id)];

const BY_ID: ReadonlyMap<string, ProviderEntry> = new Map(PROVIDERS.map((entry) => [entry.id, entry]));

/** The registry entry of a provider. */
export function providerEntry(provider: ProviderId): ProviderEntry {
  return BY_ID.get(provider)!;
}

/** Looks up an adapter; settings must have been parsed by its own `settingsSchema`. */
export function adapterFor(provider: ProviderId): ProviderAdapter<unknown> {
  return providerEntry(provider).adapter;
}
