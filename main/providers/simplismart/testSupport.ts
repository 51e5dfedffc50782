/**
 * Shared helpers of the Simplismart adapter tests (test-only; not imported by the adapter).
 */
import type { HttpClient } from '../http';
import type { ProviderContext } from '../types';
import { simplismartAdapter, type SimplismartSettings } from './simplismart';

/** The token the fakes accept. Long and unusual so a leak is easy to spot. */
export const TOKEN = 'pg_tok_SIMPLISMART_SECRET_7f3a9c0e1b2d';
/** The tests' "now": a Thursday afternoon, 23 minutes into the hour. */
export const NOW_MS = Date.UTC(2026, 4, 14, 14, 23, 17);

/** Parses raw settings through the adapter's own schema (defaults filled in). */
export function settingsFor(baseUrl: string, raw: Record<string, unknown> = {}): SimplismartSettings {
  return simplismartAdapter.settingsSchema.parse({ baseUrl, ...raw });
}

/** Builds a fetch context. */
export function contextFor(
  http: HttpClient,
  settings: SimplismartSettings,
  extra: { apiKey?: string; nowMs?: number; signal?: AbortSignal } = {},
): ProviderContext<SimplismartSettings> {
  return {
    http,
    apiKey: extra.apiKey ?? TOKEN,
    settings,
    nowMs: extra.nowMs ?? NOW_MS,
    ...(extra.signal ? { signal: extra.signal } : {}),
  };
}
