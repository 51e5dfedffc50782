/**
 * The provider contracts: the adapter (a descriptor plus one fetch) and the registry entry that
 * bundles it with its settings form, its loopback fake and its demo accounts.
 * Adding a provider = its folder here + one line in registry.ts (docs/adding-a-provider.md).
 */
import type { z } from 'zod';
import type { TimeRange, UsageReport } from '../core/report';
import type { FakeServer } from './fake/harness';
import type { Scenario } from './fake/scenario';
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
  /**
   * What the adapter remembers about this connection between fetches (in memory only, one map per
   * connection, kept by the poller). Absent for one-shot callers (`burnrate status`, a connection
   * test): then nothing is remembered. Simplismart keeps its refused plan types here.
   */
  readonly memory?: Map<string, unknown>;
}

/** A provider adapter. `S` is the parsed shape of its connection settings. */
export interface ProviderAdapter<S = unknown> {
  /** The provider's id; equal to its registry entry's id (checked by {@link defineProvider}). */
  readonly id: string;
  readonly displayName: string;
  /** Fields of the settings form, besides the API key. */
  readonly settings: readonly SettingField[];
  /**
   * Zod schema of the provider-specific connection settings (`baseUrl`, org ids, plan types…).
   * Strict: unknown keys are errors. Defaults filled in. Cross-field rules (a filter that the
   * plan type does not allow) fail here, before any request.
   */
  readonly settingsSchema: z.ZodType<S>;
  /**
   * The connection's secret is a server's access token, not an API key: config files may name it
   * `token` / `tokenEnv` (besides `apiKey` / `apiKeyEnv`). The `burnrate` connection's.
   */
  readonly tokenKeys?: true;
  /** Never refresh faster than this (rate limits and data freshness of the API). */
  readonly minRefreshMs: number;
  /**
   * Incremental refresh (main/core/incremental.ts): present when a report of `[a, c)` equals the
   * join of the reports of `[a, b)` and `[b, c)` for a UTC midnight `b` (the contract suite checks
   * it against the fake), and says how far back the provider revises published data. The poller
   * then fetches only the open tail, `[midnight ≥ revisionWindowMs ago, now)`, and joins it to the
   * head it fetched once a day. Absent: every refresh fetches the whole period.
   */
  readonly incremental?: {
    readonly revisionWindowMs: number;
    /**
     * Settings for fetching the parts when the adapter rounds per range (Civis converts credits to
     * dollars once per fetch): the parts are fetched with these, joined exactly, and then
     * {@link finish}ed with the connection's own settings. Default: the connection's settings.
     */
    // Method syntax (not function properties): an entry of any settings type is a ProviderEntry,
    // as with fetchUsage.
    partSettings?(settings: S): S;
    /** Turns the joined report of parts fetched with `partSettings` into the connection's report. */
    finish?(report: UsageReport, settings: S): UsageReport;
  };
  /**
   * Usage in `[range.startMs, range.endMs)`. Throws only ProviderError. Honours `ctx.signal`.
   */
  fetchUsage(range: TimeRange, ctx: ProviderContext<S>): Promise<UsageReport>;
}

/** A running loopback fake of one provider (main/providers/<id>/<id>.fake.ts), whatever the provider. */
export interface ProviderFake {
  /** The server, for its request log and fault injection. */
  readonly server: FakeServer;
  /** What goes into the connection's `baseUrl` setting. */
  readonly baseUrl: string;
  /**
   * Exact truth of a range in micro-units of the provider's own unit (micro-USD; micro-credits
   * for Civis), as the adapter reports it for a connection with the kit's `settings`.
   */
  truthMicros(range: TimeRange): number;
  stop(): Promise<void>;
}

/** What every fake's `start` accepts (each fake has more options of its own). */
export interface ProviderFakeOptions {
  /** The one API key the fake accepts. */
  readonly apiKey: string;
  /** Usage to serve; default: the fake's own default scenario. */
  readonly scenario?: Scenario;
  /** The fake's clock (epoch ms); default Date.now. */
  readonly now?: () => number;
  /** How far recorded usage trails the fake's clock (ms); default 0. */
  readonly lagMs?: number;
}

/** A provider's loopback fake, as the demo, the CLI tests and the contract suite start it. */
export interface ProviderFakeKit {
  /** Starts the fake; imports its module first (`import()`), so no command that never starts one loads it. */
  start(options: ProviderFakeOptions): Promise<ProviderFake>;
  /** Start of keys that look like the provider's real ones (`bt_`), for demo and test keys. */
  readonly keyPrefix: string;
  /**
   * Connection settings besides `apiKey` and `baseUrl` that a connection to the fake needs (Civis:
   * its organization id). With exactly these the adapter reports `truthMicros` to the micro-unit.
   */
  readonly settings: Readonly<Record<string, unknown>>;
  /** How far the real provider's data trails real time (ms); the demo and CLI tests fake that lag. */
  readonly lagMs: number;
}

/** The two teams of the demo (main/demo/demo.ts). */
export type DemoWorkspaceId = 'research' | 'prod';

/** One demo connection to a provider's fake (one fake server each). */
export interface ProviderDemoAccount {
  /** The demo team that uses it. */
  readonly workspace: DemoWorkspaceId;
  /** Connection id; default: the provider id. */
  readonly id?: string;
  /** Connection name; default: none (the provider's display name shows). */
  readonly name?: string;
  /** Usage of this account; default: the provider's default demo scenario. */
  readonly scenario?: () => Scenario;
}

/** How a provider appears in `burnrate demo` and the desktop demo mode. */
export interface ProviderDemo {
  /** The provider's default demo scenario (realistic usage for any range). */
  readonly scenario: () => Scenario;
  /** Settings the demo adds to each connection (Civis: a credit price, so the demo shows dollars). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Its connections in the demo, at least one. */
  readonly accounts: readonly ProviderDemoAccount[];
}

/**
 * One provider, everything about it: the ONE thing its folder exports (main/providers/<id>/index.ts)
 * and the registry lists. The demo, the CLI tests, the contract suite and the docs loop over these.
 */
export interface ProviderEntry<Id extends string = string, S = unknown> {
  /** Stable id, used in config files (`"provider": "baseten"`) and stored snapshots. */
  readonly id: Id;
  /** Name shown to people. */
  readonly displayName: string;
  readonly adapter: ProviderAdapter<S>;
  /** Fields of the settings form, besides the API key (the adapter's `settings`). */
  readonly settings: readonly SettingField[];
  readonly fake: ProviderFakeKit;
  readonly demo: ProviderDemo;
}

/**
 * Builds a provider's registry entry; display name and settings fields come from the adapter, so
 * they are written once. Throws when the adapter's id is not `id` (a copy-paste slip).
 * @example defineProvider({ id: 'baseten', adapter: basetenAdapter, fake, demo }).displayName //=> 'Baseten'
 */
export function defineProvider<const Id extends string, S>(parts: {
  readonly id: Id;
  readonly adapter: ProviderAdapter<S>;
  readonly fake: ProviderFakeKit;
  readonly demo: ProviderDemo;
}): ProviderEntry<Id, S> {
  if (parts.adapter.id !== parts.id) throw new Error(`provider entry ${parts.id} holds the adapter of ${parts.adapter.id}`);
  return { ...parts, displayName: parts.adapter.displayName, settings: parts.adapter.settings };
}
