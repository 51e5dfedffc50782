/**
 * The provider adapter contract: a descriptor (id, name, settings, refresh floor) plus one fetch.
 * Adding a provider = one folder here + one line in registry.ts + one ProviderId member.
 */
import type { z } from 'zod';
import type { ProviderId, TimeRange, UsageReport } from '../core/report';
import type { HttpClient } from './http';

/** One field of a connection's settings form (drives the settings UI and docs). */
export interface SettingField {
  /** Key in the connection's config object. */
  readonly key: string;
  readonly label: string;
  readonly kind: 'secret' | 'text' | 'url' | 'number' | 'integer' | 'multi-select' | 'string-list';
  readonly required: boolean;
  readonly help?: string;
  /** Allowed values for `multi-select`. */
  readonly options?: readonly string[];
  /** Default value shown in the form. */
  readonly defaultValue?: string | number | readonly string[];
}

/** Everything an adapter needs for one fetch. Providers never read clocks, files or electron. */
export interface ProviderContext<S> {
  /** The shared HTTP client (undici, keep-alive, timeouts, size limit). */
  readonly http: HttpClient;
  /** The API key. Never put it into messages: the http client redacts, but do not rely on it. */
  readonly apiKey: string;
  /** The connection's provider-specific settings, already parsed by `settingsSchema`. */
  readonly settings: S;
  /** Cancels every request of this fetch. */
  readonly signal?: AbortSignal;
  /** "Now" as the caller sees it (epoch ms): bounds dataThrough, never read from a clock here. */
  readonly nowMs: number;
}

/** A provider adapter. `S` is the parsed shape of its connection settings. */
export interface ProviderAdapter<S = unknown> {
  readonly id: ProviderId;
  readonly displayName: string;
  /** Fields of the settings form, besides the API key. */
  readonly settings: readonly SettingField[];
  /**
   * Zod schema of the provider-specific connection settings (`baseUrl`, org ids, plan types…).
   * Strict: unknown keys are errors. Defaults filled in. Cross-field rules (a filter that the
   * plan type does not allow) fail here, before any request.
   */
  readonly settingsSchema: z.ZodType<S>;
  /** Never refresh faster than this (rate limits and data freshness of the API). */
  readonly minRefreshMs: number;
  /**
   * Usage in `[range.startMs, range.endMs)`. Throws only ProviderError. Honours `ctx.signal`.
   */
  fetchUsage(range: TimeRange, ctx: ProviderContext<S>): Promise<UsageReport>;
}
