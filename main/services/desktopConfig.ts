/**
 * Where the tray app's configuration comes from. The app keeps its workspaces in its own settings
 * store and every API key in the SecretVault (safeStorage ciphertext), never in plain text.
 *
 * First start: when the settings store is empty and the CLI's config file exists, it is imported:
 * inline `apiKey`s move into the vault (the file itself is left untouched; the log says the
 * inline keys can now be removed from it), `apiKeyEnv` references stay references.
 * Nothing configured anywhere: the app runs on demo data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, parseConfig, type BurnrateConfig } from './config';
import type { Logger, SecretVault } from './ports';

/** The app's settings document (electron-store in the app, memory in tests). */
export interface SettingsStore {
  read(): unknown;
  write(value: unknown): void;
}

/** What the app runs on. */
export type DesktopConfig =
  | { readonly kind: 'configured'; readonly config: BurnrateConfig; readonly imported: boolean }
  | { readonly kind: 'demo'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly error: ConfigError };

/** Settings document shape: the config-file format with keys removed (they live in the vault). */
interface StoredSettings {
  readonly version: 1;
  readonly config: { readonly workspaces: ReadonlyArray<Record<string, unknown>> } & Record<string, unknown>;
}

const vaultKey = (workspaceId: string, connectionId: string) => `${workspaceId}/${connectionId}`;
/** Name of the in-memory variable a vault key is handed to the config parser under. */
const vaultVariable = (workspaceId: string, connectionId: string) =>
  `BURNRATE_VAULT_${Buffer.from(vaultKey(workspaceId, connectionId)).toString('hex')}`;

function isStoredSettings(value: unknown): value is StoredSettings {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { version?: unknown }).version === 1 &&
    typeof (value as { config?: unknown }).config === 'object' &&
    Array.isArray((value as { config: { workspaces?: unknown } }).config.workspaces)
  );
}

function connectionsOf(workspace: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(workspace.connections) ? (workspace.connections as Array<Record<string, unknown>>) : [];
}

/** Moves inline keys of a config-file object into the vault; returns the key-free settings document. */
async function importConfig(raw: unknown, file: string, vault: SecretVault, env: Readonly<Record<string, string | undefined>>): Promise<StoredSettings> {
  // Validate first, so a broken file is reported and nothing half-imported is stored.
  parseConfig(raw, file, env);
  const source = raw as { workspaces: Array<Record<string, unknown>> } & Record<string, unknown>;
  const workspaces: Array<Record<string, unknown>> = [];
  for (const workspace of source.workspaces) {
    const connections: Array<Record<string, unknown>> = [];
    for (const connection of connectionsOf(workspace)) {
      const { apiKey, ...rest } = connection;
      if (typeof apiKey === 'string') await vault.set(vaultKey(String(workspace.id), String(connection.id)), apiKey);
      connections.push(rest);
    }
    workspaces.push({ ...workspace, connections });
  }
  return { version: 1, config: { ...source, workspaces } };
}

/**
 * Resolves the app's configuration: settings store (+ vault keys), else import of the CLI config
 * file, else demo data. Never throws for bad input: an invalid configuration is returned as such.
 */
export async function resolveDesktopConfig(options: {
  readonly settings: SettingsStore;
  readonly vault: SecretVault;
  /** The CLI config file to import on first start. */
  readonly cliConfigFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
}): Promise<DesktopConfig> {
  const { settings, vault, logger } = options;
  let stored = settings.read();
  let imported = false;
  if (!isStoredSettings(stored)) {
    if (stored !== undefined && stored !== null) logger.warn('The settings document was not understood; looking for a config file to import.');
    if (!existsSync(options.cliConfigFile)) return { kind: 'demo', reason: `No workspaces configured and no ${options.cliConfigFile}` };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(options.cliConfigFile, 'utf8'));
    } catch (error) {
      return { kind: 'invalid', error: new ConfigError(options.cliConfigFile, [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }]) };
    }
    try {
      stored = await importConfig(raw, options.cliConfigFile, vault, options.env);
    } catch (error) {
      if (error instanceof ConfigError) return { kind: 'invalid', error };
      throw error;
    }
    settings.write(stored);
    imported = true;
    logger.info(
      `Imported ${options.cliConfigFile}; API keys are now in the system keychain (${vault.protection}). Inline "apiKey" values can be removed from that file.`,
    );
  }
  const document = stored as StoredSettings;
  // Hand vault keys to the parser as in-memory variables; the document itself never holds a key.
  const env: Record<string, string | undefined> = { ...options.env };
  const missing = new Map<string, string>();
  const workspaces = [];
  for (const workspace of document.config.workspaces) {
    const connections = [];
    for (const connection of connectionsOf(workspace)) {
      if (connection.apiKeyEnv !== undefined || connection.apiKey !== undefined) {
        connections.push(connection);
        continue;
      }
      const variable = vaultVariable(String(workspace.id), String(connection.id));
      const secret = await vault.get(vaultKey(String(workspace.id), String(connection.id))).catch((error: unknown) => {
        logger.warn(`Could not read the key of ${String(workspace.id)}/${String(connection.id)} from the keychain.`, { message: (error as Error).message });
        return undefined;
      });
      if (secret) env[variable] = secret;
      else missing.set(variable, 'API key missing from the keychain: add it again in settings or re-import the config file');
      connections.push({ ...connection, apiKeyEnv: variable });
    }
    workspaces.push({ ...workspace, connections });
  }
  try {
    const config = parseConfig({ ...document.config, workspaces }, 'Burnrate settings', env);
    const fixed: BurnrateConfig = {
      ...config,
      workspaces: config.workspaces.map((w) => ({
        ...w,
        connections: w.connections.map((c) => {
          const problem = [...missing.entries()].find(([variable]) => c.keyProblem?.includes(variable));
          return problem ? { ...c, keyProblem: problem[1] } : c;
        }),
      })),
    };
    return { kind: 'configured', config: fixed, imported };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: 'invalid', error };
    throw error;
  }
}
