/**
 * The demo: the loopback fake of every registered provider with a realistic two-team scenario,
 * and a configuration pointing at them. Used by `burnrate demo`, by the desktop app when nothing
 * is configured, and by end-to-end tests. Everything it shows is demo data.
 *
 * It loops over the registry: a provider's entry says which team uses it (`demo.accounts`) and
 * with what usage, so a newly registered provider shows up here without an edit.
 */
import { randomBytes } from 'node:crypto';
import { PROVIDERS } from '../providers/registry';
import type { DemoWorkspaceId, ProviderDemoAccount, ProviderEntry } from '../providers/types';

/** A running demo. */
export interface Demo {
  /** A configuration object in the config-file format (keys inline), pointing at the fakes. */
  readonly config: DemoConfig;
  stop(): Promise<void>;
}

/** The config-file shape the demo produces (validated by the real config parser when used). */
export interface DemoConfig {
  readonly workspaces: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly budget: { readonly amountUsd: number; readonly period: 'month'; readonly thresholdsPercent: readonly number[] };
    readonly forecastAlerts: boolean;
    readonly connections: ReadonlyArray<Record<string, unknown>>;
  }>;
}

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** The fakes' clock (epoch ms). Default Date.now. */
  readonly now?: () => number;
  /** Time zone of both workspaces. Default UTC. */
  readonly timeZone?: string;
}

/** The demo's two teams, in display order. */
const WORKSPACES: ReadonlyArray<{ readonly id: DemoWorkspaceId; readonly name: string }> = [
  { id: 'research', name: 'Research' },
  { id: 'prod', name: 'Prod' },
];

const key = (prefix: string) => `${prefix}demo_${randomBytes(12).toString('hex')}`;

/** Starts one fake per demo account of every registered provider and builds the demo configuration. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const now = options.now ?? Date.now;
  const timeZone = options.timeZone ?? 'UTC';
  const accounts: ReadonlyArray<{ readonly entry: ProviderEntry; readonly account: ProviderDemoAccount; readonly apiKey: string }> = PROVIDERS.flatMap(
    (entry: ProviderEntry) => entry.demo.accounts.map((account) => ({ entry, account, apiKey: key(entry.fake.keyPrefix) })),
  );
  const started = await Promise.all(
    accounts.map(({ entry, account, apiKey }) =>
      entry.fake.start({ apiKey, scenario: (account.scenario ?? entry.demo.scenario)(), now, lagMs: entry.fake.lagMs }),
    ),
  );
  const connections = accounts.map(({ entry, account, apiKey }, index) => ({
    workspace: account.workspace,
    connection: {
      id: account.id ?? entry.id,
      provider: entry.id,
      ...(account.name ? { name: account.name } : {}),
      apiKey,
      baseUrl: started[index]!.baseUrl,
      ...entry.fake.settings,
      ...entry.demo.settings,
    },
  }));
  const config: DemoConfig = {
    workspaces: WORKSPACES.map(({ id, name }) => ({
      id,
      name,
      timeZone,
      budget: { amountUsd: 20_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] },
      forecastAlerts: true,
      connections: connections.filter((c) => c.workspace === id).map((c) => c.connection),
    })),
  };
  return {
    config,
    stop: async () => {
      await Promise.all(started.map((fake) => fake.stop()));
    },
  };
}
