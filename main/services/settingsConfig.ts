/**
 * The settings document's workspaces as the engine's configuration: checked by the same parser as
 * a CLI config file (main/services/config.ts), with each keychain key handed over as an in-memory
 * variable (never the real environment) and a key missing from the keychain marked on its
 * connection, so the others still run.
 */
import type { SetupProblem } from '../../preload/api';
import { ConfigError, parseConfig, type BurnrateConfig } from './config';
import type { SettingsDocument } from './settingsDocument';
import { vaultKey } from './settingsKeys';

/** Name under which a vault key is handed to the config parser (an in-memory variable, never the real environment). */
const vaultVariable = (workspaceId: string, connectionId: string) => `BURNRATE_VAULT_${Buffer.from(vaultKey(workspaceId, connectionId)).toString('hex')}`;
const KEY_MISSING = 'API key missing from the keychain: open Settings → Connections and type it again, or import the config file again';

/**
 * The engine's configuration from the settings' workspaces, with the keys read from the vault by
 * `readKey`. Throws ConfigError (naming `fileLabel`) when the workspaces are not a valid config.
 */
export async function engineConfig(
  config: SettingsDocument['config'],
  fileLabel: string,
  baseEnv: Readonly<Record<string, string | undefined>>,
  readKey: (workspaceId: string, connectionId: string) => Promise<string | undefined>,
): Promise<BurnrateConfig> {
  const env: Record<string, string | undefined> = { ...baseEnv };
  const missing = new Set<string>();
  const workspaces = [];
  for (const workspace of config.workspaces) {
    const connections = [];
    for (const connection of workspace.connections) {
      if (connection.apiKeyEnv !== undefined) {
        connections.push(connection);
        continue;
      }
      const variable = vaultVariable(workspace.id, connection.id);
      const secret = await readKey(workspace.id, connection.id);
      if (secret) env[variable] = secret;
      else missing.add(variable);
      connections.push({ ...connection, apiKeyEnv: variable });
    }
    workspaces.push({ ...workspace, connections });
  }
  const parsed = parseConfig({ ...config, workspaces }, fileLabel, env);
  return {
    ...parsed,
    workspaces: parsed.workspaces.map((w) => ({
      ...w,
      connections: w.connections.map((c) => {
        const variable = vaultVariable(w.workspace.id, c.id);
        return missing.has(variable) ? { ...c, keyProblem: KEY_MISSING } : c;
      }),
    })),
  };
}

/** Checks the settings' workspaces with the engine's parser, without their keys; the error, or undefined when valid. */
export function configProblems(config: SettingsDocument['config']): ConfigError | undefined {
  if (config.workspaces.length === 0) return undefined;
  // Keys are not needed to validate: every keychain connection gets a placeholder variable.
  const env: Record<string, string> = {};
  const workspaces = config.workspaces.map((w) => ({
    ...w,
    connections: w.connections.map((c) => {
      if (c.apiKeyEnv !== undefined) return c;
      env[vaultVariable(w.id, c.id)] = 'placeholder';
      return { ...c, apiKeyEnv: vaultVariable(w.id, c.id) };
    }),
  }));
  try {
    parseConfig({ ...config, workspaces }, 'settings', env);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error;
  }
}

/** A config error as the setup problems the popover shows (file, JSON path, message). */
export function setupProblemsOf(error: ConfigError): SetupProblem[] {
  return error.problems.map((p) => ({ file: error.file, path: p.path, message: p.message }));
}
