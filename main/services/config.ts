/**
 * The configuration file: workspaces, budgets and connections (README "Configuration").
 * Validated with zod; unknown keys are errors that name them; every problem carries the JSON path.
 * Keys may be inline (`apiKey`) or named by environment variable (`apiKeyEnv`).
 *
 * The schema and its checks are configSchema.ts, problems and limits configLimits.ts, reading the
 * file configFile.ts; this module turns a file into a {@link BurnrateConfig}, and finds it.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { unitsToMicros } from '../core/money';
import type { Budget, Workspace } from '../core/workspace';
import { systemTimeZoneName } from './systemZones';
import { formatIssuePath } from '../providers/schema';
import type { ProviderId } from '../providers/registry';
import { readConfigJson } from './configFile';
import { CONFIG_LIMITS, ConfigError, type ConfigProblem } from './configLimits';
import { fileSchema, firstPathDeeperThan, issuesOf, parseConnections, PARSED_ONCE, withoutComments, workspaceSchema } from './configSchema';

export { CONFIG_LIMITS, ConfigError, type ConfigProblem } from './configLimits';
export { describeJsonError, readConfigJson, readConfigText } from './configFile';
export { COMMENT_KEY } from './configSchema';

/** One connection, ready to poll. `apiKey` is resolved; `keyProblem` says why it could not be. */
export interface ConnectionConfig {
  readonly id: string;
  readonly provider: ProviderId;
  /** Display name (defaults to the provider's). */
  readonly name: string;
  /** Resolved secret, or undefined when `keyProblem` is set. Never print it. */
  readonly apiKey: string | undefined;
  /** Why the key is unavailable (environment variable unset…); the connection reports kind `config`. */
  readonly keyProblem: string | undefined;
  /** Provider-specific settings, parsed by the adapter's schema (defaults filled in). */
  readonly settings: unknown;
  /** Stable fingerprint of provider + settings: cached data of an edited connection is not reused. */
  readonly fingerprint: string;
}

/** One workspace with its connections. */
export interface WorkspaceConfig {
  readonly workspace: Workspace;
  readonly connections: readonly ConnectionConfig[];
}

/** The whole validated configuration. */
export interface BurnrateConfig {
  readonly file: string;
  readonly workspaces: readonly WorkspaceConfig[];
  /** Default refresh interval (ms) before the refresh policy adjusts it. */
  readonly refreshIntervalMs: number;
  readonly alerts: { readonly spikeFactor: number; readonly spikeMinMicros: number };
  /** Secrets to redact from everything printed or logged. */
  readonly secrets: readonly string[];
  /** Non-fatal warnings (file permissions…). */
  readonly warnings: readonly string[];
}

/** The system's IANA time zone (falls back to UTC): ./systemZones.ts, without starting ICU where it can. */
export function systemTimeZone(): string {
  return systemTimeZoneName();
}

/**
 * Validates a parsed configuration object. Throws ConfigError listing every problem.
 * `env` resolves `apiKeyEnv`; an unset variable is not a file error: that connection reports
 * a `config` error and the others still run.
 */
export function parseConfig(rawWithComments: unknown, file: string, env: Readonly<Record<string, string | undefined>> = process.env): BurnrateConfig {
  // The depth check comes first: everything after it (comment removal, zod) recurses.
  const tooDeep = firstPathDeeperThan(rawWithComments, CONFIG_LIMITS.maxDepth);
  if (tooDeep) throw new ConfigError(file, [{ path: tooDeep, message: `nested more than ${CONFIG_LIMITS.maxDepth} levels deep (the nesting limit)` }]);
  const raw = withoutComments(rawWithComments);
  const problems: ConfigProblem[] = [];
  const top = fileSchema.safeParse(raw, PARSED_ONCE);
  if (!top.success) throw new ConfigError(file, issuesOf(top.error, []));
  const connectionCount = top.data.workspaces.reduce<number>(
    (sum, w) => sum + (w !== null && typeof w === 'object' && Array.isArray((w as { connections?: unknown }).connections) ? (w as { connections: unknown[] }).connections.length : 0),
    0,
  );
  if (connectionCount > CONFIG_LIMITS.maxConnections) {
    throw new ConfigError(file, [
      { path: 'workspaces', message: `lists ${connectionCount} connections, more than ${CONFIG_LIMITS.maxConnections} (the limit of connections per file)` },
    ]);
  }

  const workspaces: WorkspaceConfig[] = [];
  const secrets = new Set<string>();
  const workspaceIds = new Set<string>();
  top.data.workspaces.forEach((rawWorkspace, wi) => {
    const wsPath = ['workspaces', wi];
    const parsed = workspaceSchema.safeParse(rawWorkspace, PARSED_ONCE);
    if (!parsed.success) {
      problems.push(...issuesOf(parsed.error, wsPath));
      // Still check the id and the connections, so one run lists every problem of the file.
      const rawId = (rawWorkspace as { id?: unknown } | null)?.id;
      if (typeof rawId === 'string') workspaceIds.add(rawId);
      const rawConnections = (rawWorkspace as { connections?: unknown } | null)?.connections;
      if (Array.isArray(rawConnections)) parseConnections(rawConnections, wsPath, problems, secrets, env);
      return;
    }
    const w = parsed.data;
    if (workspaceIds.has(w.id)) problems.push({ path: formatIssuePath([...wsPath, 'id']), message: `duplicate workspace id "${w.id}"` });
    workspaceIds.add(w.id);
    if (w.budget && w.period && w.period !== w.budget.period) {
      problems.push({ path: formatIssuePath([...wsPath, 'period']), message: `differs from budget.period "${w.budget.period}"; set only one` });
    }

    const connections = parseConnections(w.connections, wsPath, problems, secrets, env);

    const budget: Budget | null = w.budget
      ? {
          amountMicros: unitsToMicros(w.budget.amountUsd),
          period: w.budget.period,
          thresholdsPercent: w.budget.thresholdsPercent,
          ...(w.budget.cycleStartDay === undefined ? {} : { cycleStartDay: w.budget.cycleStartDay }),
        }
      : null;
    const cycleStartDay = w.budget?.cycleStartDay ?? w.cycleStartDay;
    workspaces.push({
      workspace: {
        id: w.id,
        name: w.name ?? w.id,
        timeZone: w.timeZone ?? systemTimeZone(),
        currency: 'USD',
        budget,
        period: w.budget?.period ?? w.period ?? 'month',
        ...(cycleStartDay === undefined ? {} : { cycleStartDay }),
        forecastAlerts: w.forecastAlerts,
        connectionIds: connections.map((cc) => cc.id),
      },
      connections,
    });
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return {
    file,
    workspaces,
    refreshIntervalMs: top.data.refreshIntervalSeconds * 1000,
    alerts: { spikeFactor: top.data.alerts.spikeFactor, spikeMinMicros: unitsToMicros(top.data.alerts.spikeMinUsd) },
    secrets: [...secrets],
    warnings: [],
  };
}

/** Per-OS folders: config (settings) and state (snapshots, alert state). */
export function osDirs(env: Readonly<Record<string, string | undefined>> = process.env, platform = process.platform): { config: string; state: string } {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') {
    const roaming = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return { config: join(roaming, 'burnrate'), state: join(local, 'burnrate') };
  }
  if (platform === 'darwin') {
    const base = join(home, 'Library', 'Application Support', 'burnrate');
    return { config: base, state: base };
  }
  return {
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'burnrate'),
    state: join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'burnrate'),
  };
}

/** Which file to read: `--config`, else `$BURNRATE_CONFIG`, else `<OS config dir>/burnrate/config.json`. */
export function resolveConfigPath(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return flag ?? (env.BURNRATE_CONFIG || join(osDirs(env).config, 'config.json'));
}

/** Reads and validates the configuration file. Throws ConfigError (with the file name) for every problem. */
export function loadConfig(file: string, env: Readonly<Record<string, string | undefined>> = process.env): BurnrateConfig {
  const raw = readConfigJson(file);
  const config = parseConfig(raw, file, env);
  const warnings = [...config.warnings];
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) {
      // Readable: others can copy the keys. Writable only: others can point a key at their own server.
      const exposure = (mode & 0o044) !== 0 ? 'is readable by other users' : 'can be changed by other users';
      warnings.push(`${file} ${exposure} (mode ${(mode & 0o777).toString(8)}); it may hold API keys: run chmod 600 "${file}"`);
    }
  }
  return { ...config, warnings };
}
