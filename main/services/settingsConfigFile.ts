/**
 * The tray app's settings and the CLI config file (README "Configuration in the tray app"): reading
 * a file to import (validated whole before anything is stored), taking its inline keys out for the
 * vault, noticing when it changed since the import, and exporting the settings as a config file
 * without keys. The storing itself is main/services/desktopSettings.ts.
 */
import { existsSync, statSync } from 'node:fs';
import type { ExportResult, SettingsChange } from '../../preload/api';
import { ConfigError, describeJsonError, parseConfig, readConfigText } from './config';
import { writePrivateFile } from './privateFile';
import type { SettingsDocument } from './settingsDocument';
import { vaultKey } from './settingsKeys';

/** A config file's workspaces and options as JSON, validated by the engine's own parser. */
export type ImportableConfig = { workspaces: Array<Record<string, unknown>> } & Record<string, unknown>;

/** A config file's workspaces with the inline keys taken out, and those keys by vault key. */
export interface SeparatedKeys {
  readonly workspaces: Array<Record<string, unknown> & { connections: Array<Record<string, unknown>> }>;
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * Reads and validates a config file to import. A refusal comes back as the settings change to
 * show (never thrown): unreadable, not JSON (explained without quoting the file), or invalid.
 */
export function readImportableConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): { readonly ok: true; readonly source: ImportableConfig } | { readonly ok: false; readonly change: SettingsChange } {
  let text: string;
  try {
    // Regular files of at most 1 MiB only: a FIFO would hang the app (issue 10).
    text = readConfigText(file);
  } catch (error) {
    if (error instanceof ConfigError) {
      return { ok: false, change: { ok: false, reason: 'invalid', message: error.message, problems: error.problems.map((p) => ({ field: p.path, message: p.message })) } };
    }
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${file} does not exist.` : code === 'EISDIR' ? `${file} is a folder, not a file.` : `${file} cannot be read (${code ?? 'error'}).`;
    return { ok: false, change: { ok: false, reason: 'io', message, problems: [{ field: '(file)', message }] } };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = describeJsonError(text, (error as Error).message);
    return { ok: false, change: { ok: false, reason: 'invalid', message: `${file}: ${message}`, problems: [{ field: '(root)', message }] } };
  }
  try {
    // Validate first, so a broken file is reported and nothing half-imported is stored.
    parseConfig(raw, file, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, change: { ok: false, reason: 'invalid', message: error.message, problems: error.problems.map((p) => ({ field: p.path, message: p.message })) } };
  }
  return { ok: true, source: raw as ImportableConfig };
}

/** Whether any connection of the file holds its key inline (`apiKey`). */
export function hasInlineKeys(source: ImportableConfig): boolean {
  return source.workspaces.some((w) => ((w.connections as Array<Record<string, unknown>> | undefined) ?? []).some((c) => typeof c.apiKey === 'string'));
}

/** The file's workspaces without inline keys, and those keys by {@link vaultKey} (for the vault). */
export function separateKeys(source: ImportableConfig): SeparatedKeys {
  const keys = new Map<string, string>();
  const workspaces = source.workspaces.map((workspace) => ({
    ...workspace,
    connections: ((workspace.connections as Array<Record<string, unknown>> | undefined) ?? []).map((connection) => {
      const { apiKey, ...rest } = connection;
      if (typeof apiKey === 'string') keys.set(vaultKey(String(workspace.id), String(connection.id)), apiKey);
      return rest;
    }),
  }));
  return { workspaces, keys };
}

/** True when the imported file was modified after the import (settings then offer "Import again"). */
export function changedSinceImport(imported: { readonly file: string; readonly at: string }): boolean {
  try {
    return statSync(imported.file).mtimeMs > Date.parse(imported.at);
  } catch {
    // Gone or unreadable: nothing new to import from it.
    return false;
  }
}

/** Writes the settings' workspaces as a CLI config file (mode 0600), without keys: keychain connections get an `apiKeyEnv` to fill in. */
export function exportConfigFile(config: SettingsDocument['config'], file: string, overwrite: boolean): ExportResult {
  if (!overwrite && existsSync(file)) return { ok: false, reason: 'exists', message: `${file} already exists. Export again to replace it.` };
  const exported = {
    ...config,
    workspaces: config.workspaces.map((w) => ({
      ...w,
      connections: w.connections.map((c) => (c.apiKeyEnv !== undefined ? c : { ...c, apiKeyEnv: envNameFor(w.id, c.id) })),
    })),
  };
  try {
    writePrivateFile(file, `${JSON.stringify(exported, null, 2)}\n`);
  } catch (error) {
    return { ok: false, reason: 'io', message: `${file} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).` };
  }
  return { ok: true, file };
}

/** Environment variable name suggested for an exported keychain connection. */
function envNameFor(workspaceId: string, connectionId: string): string {
  return `BURNRATE_${`${workspaceId}_${connectionId}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
}
