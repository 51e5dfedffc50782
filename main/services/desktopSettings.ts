/**
 * The tray app's settings, in plain Node: the settings document (workspaces, connections without
 * keys, preferences) in a SettingsStore, every API key in the SecretVault (safeStorage ciphertext
 * in the app), and the operations of the settings screen. The Electron shell only wires stores.
 *
 * Ownership (README "Configuration in the tray app"): on first start the CLI config file is
 * imported once; from then on the app owns its settings. Later edits of that file are not read
 * silently; settings show where the workspaces came from and offer "Import again", which replaces
 * the app's workspaces by the file's.
 *
 * Keys: write-only. A key typed in settings goes straight into the vault; the renderer only ever
 * receives `••••` and the last 4 characters (or nothing for short keys). Keys are decrypted in
 * main when the engine starts a request round or a connection test, never written to a plain file
 * or a log line.
 */
import { existsSync, statSync } from 'node:fs';
import type {
  ConnectionInput,
  ConnectionTestResult,
  ConnectionView,
  ExportResult,
  FieldProblem,
  NotificationPause,
  PreferencesInput,
  ProviderView,
  SettingsChange,
  SettingsView,
  SetupProblem,
  SetupState,
  WorkspaceInput,
  WorkspaceView,
} from '../../preload/api';
import { isProviderError } from '../core/errors';
import { microsToUnits } from '../core/money';
import { isValidTimeZone } from '../core/workspace';
import type { HttpClient } from '../providers/http';
import { adapterFor, PROVIDER_IDS, type ProviderId } from '../providers/registry';
import { formatIssuePath } from '../providers/schema';
import type { SettingField } from '../providers/types';
import { ConfigError, describeJsonError, parseConfig, readConfigText, type BurnrateConfig } from './config';
import type { Clock, Logger, SecretVault } from './ports';
import { writePrivateFile } from './privateFile';
import {
  emptySettingsDocument,
  loadSettingsDocument,
  preferencesView,
  settingsDocumentSchema,
  type SettingsDocument,
  type StoredConnection,
  type StoredWorkspace,
} from './settingsDocument';

/** Where the settings document is kept (electron-store in the app, memory in tests). */
export interface SettingsStore {
  read(): unknown;
  write(value: unknown): void;
}

/** What the engine should run on now. */
export type SettingsResolution =
  | { readonly mode: 'unconfigured'; readonly problems: readonly SetupProblem[] }
  | { readonly mode: 'demo'; readonly problems: readonly SetupProblem[] }
  | { readonly mode: 'configured'; readonly config: BurnrateConfig; readonly problems: readonly SetupProblem[] }
  | { readonly mode: 'invalid'; readonly problems: readonly SetupProblem[] };

/** Options of {@link DesktopSettings}. */
export interface DesktopSettingsOptions {
  readonly store: SettingsStore;
  readonly vault: SecretVault;
  /** Path of the settings file, to name it in problems. */
  readonly settingsFile: string;
  /** The CLI config file imported on first start and offered for re-import. */
  readonly cliConfigFile: string;
  /** Default file of "Export". */
  readonly exportFile: string;
  readonly configFolder: string;
  readonly logFolder: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The HTTP client for "Test connection". */
  readonly http: HttpClient;
  readonly systemTimeZone: string;
  /** Offset of local time from UTC at an instant (minutes); for "pause until tomorrow". Default: the process's zone. */
  readonly utcOffsetMinutes?: (atMs: number) => number;
}

/** Shortest key whose last 4 characters are shown; shorter keys show only the dots. */
const MASK_MIN_LENGTH = 12;
/** How long "Test connection" may take (ms). */
const TEST_TIMEOUT_MS = 20_000;
/** Range "Test connection" asks for: the last day. */
const TEST_RANGE_MS = 24 * 3_600_000;

/**
 * The form of a stored key the renderer may see: dots and the last 4 characters.
 * @example maskSecret('bt_live_0123456789ab7f3a') //=> '••••7f3a'
 * @example maskSecret('short') //=> '••••'
 */
export function maskSecret(secret: string): string {
  return secret.length >= MASK_MIN_LENGTH ? `••••${secret.slice(-4)}` : '••••';
}

/** Key of a connection's secret in the vault. */
export const vaultKey = (workspaceId: string, connectionId: string): string => `${workspaceId}/${connectionId}`;
/** Name under which a vault key is handed to the config parser (an in-memory variable, never the real environment). */
const vaultVariable = (workspaceId: string, connectionId: string) => `BURNRATE_VAULT_${Buffer.from(vaultKey(workspaceId, connectionId)).toString('hex')}`;
const KEY_MISSING = 'API key missing from the keychain: open Settings → Connections and type it again, or import the config file again';

/**
 * Makes an id from a name: lower case letters, digits and "-", unique among `taken`.
 * @example idFromName('Research Team', ['research-team']) //=> 'research-team-2'
 */
export function idFromName(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'workspace';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** Converts form values to the types a provider schema expects (numbers, lists, booleans). */
export function coerceProviderSettings(fields: readonly SettingField[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = fields.find((f) => f.key === key);
    if (value === '' || value === null || value === undefined) continue;
    if (!field) {
      out[key] = value;
      continue;
    }
    if ((field.kind === 'number' || field.kind === 'integer') && typeof value === 'string') {
      const number = Number(value.trim());
      out[key] = value.trim() !== '' && Number.isFinite(number) ? number : value;
    } else if (field.kind === 'string-list' && typeof value === 'string') {
      out[key] = value
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter(Boolean);
    } else if (field.kind === 'text' && (field.defaultValue === 'true' || field.defaultValue === 'false') && (value === 'true' || value === 'false')) {
      // A yes/no setting described as text (Simplismart's includeAllStatuses): the schema wants a boolean.
      out[key] = value === 'true';
    } else out[key] = value;
  }
  return out;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function problemsOf(error: ConfigError): SetupProblem[] {
  return error.problems.map((p) => ({ file: error.file, path: p.path, message: p.message }));
}

/** The tray app's settings and the operations of the settings screen. */
export class DesktopSettings {
  private document: SettingsDocument = emptySettingsDocument();
  private loadProblems: SetupProblem[] = [];
  private readonly listeners = new Set<(resolution: SettingsResolution) => void>();

  constructor(private readonly options: DesktopSettingsOptions) {}

  /** Subscribes to changes that need the engine to restart; returns the unsubscribe function. */
  onChange(listener: (resolution: SettingsResolution) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current preferences document part (tray title format, notifications, launch at login). */
  get preferences(): SettingsDocument['preferences'] {
    return this.document.preferences;
  }

  /**
   * Reads the stored document (migrating an older one and writing it back), or on first start
   * imports the CLI config file. Never throws for bad input: problems come back in words, each
   * naming its file and JSON path, and a broken document is left on disk untouched.
   */
  async load(): Promise<SettingsResolution> {
    const loaded = loadSettingsDocument(this.options.store.read());
    this.loadProblems = [];
    if (loaded.kind === 'invalid') {
      this.loadProblems = loaded.problems.map((p) => ({ file: this.options.settingsFile, ...p }));
      this.options.logger.error(`The settings file cannot be used: ${this.loadProblems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      return { mode: 'invalid', problems: this.loadProblems };
    }
    if (loaded.kind === 'ok') {
      this.document = loaded.document;
      if (loaded.migratedFrom !== undefined) {
        this.options.store.write(this.document);
        this.options.logger.info(`Settings upgraded from version ${loaded.migratedFrom} to ${this.document.version}.`);
      }
      return this.resolve();
    }
    this.document = emptySettingsDocument();
    if (!existsSync(this.options.cliConfigFile)) return this.resolve();
    // First start with a CLI config file: import it, unless that would store keys obfuscated only
    // without asking (Linux basic_text): then the onboarding offers the import with the question.
    const result = await this.importFile(this.options.cliConfigFile, false);
    if (!result.ok) {
      if (result.reason === 'consent_required') {
        this.loadProblems = [{ file: this.options.cliConfigFile, path: '(file)', message: result.message }];
        return this.resolve();
      }
      this.loadProblems = result.problems.map((p) => ({ file: this.options.cliConfigFile, path: p.field, message: p.message }));
      return { mode: 'invalid', problems: this.loadProblems };
    }
    return this.resolve();
  }

  /** What the engine should run on, with the keys read from the vault. */
  async resolve(): Promise<SettingsResolution> {
    const problems = this.loadProblems;
    if (this.document.demo) return { mode: 'demo', problems };
    if (this.document.config.workspaces.length === 0) return { mode: 'unconfigured', problems };
    const env: Record<string, string | undefined> = { ...this.options.env };
    const missing = new Set<string>();
    const workspaces = [];
    for (const workspace of this.document.config.workspaces) {
      const connections = [];
      for (const connection of workspace.connections) {
        if (connection.apiKeyEnv !== undefined) {
          connections.push(connection);
          continue;
        }
        const variable = vaultVariable(workspace.id, connection.id);
        const secret = await this.readKey(workspace.id, connection.id);
        if (secret) env[variable] = secret;
        else missing.add(variable);
        connections.push({ ...connection, apiKeyEnv: variable });
      }
      workspaces.push({ ...workspace, connections });
    }
    try {
      const config = parseConfig({ ...this.document.config, workspaces }, `Burnrate settings (${this.options.settingsFile})`, env);
      const fixed: BurnrateConfig = {
        ...config,
        workspaces: config.workspaces.map((w) => ({
          ...w,
          connections: w.connections.map((c) => {
            const variable = vaultVariable(w.workspace.id, c.id);
            return missing.has(variable) ? { ...c, keyProblem: KEY_MISSING } : c;
          }),
        })),
      };
      return { mode: 'configured', config: fixed, problems };
    } catch (error) {
      if (error instanceof ConfigError) return { mode: 'invalid', problems: [...problems, ...problemsOf(error)] };
      throw error;
    }
  }

  /** The setup state for the popover, from a resolution. */
  static setupState(resolution: SettingsResolution): SetupState {
    return { mode: resolution.mode, problems: resolution.problems };
  }

  private async readKey(workspaceId: string, connectionId: string): Promise<string | undefined> {
    try {
      return await this.options.vault.get(vaultKey(workspaceId, connectionId));
    } catch (error) {
      this.options.logger.warn(`Could not read the key of ${workspaceId}/${connectionId} from the keychain.`, { message: (error as Error).message });
      return undefined;
    }
  }

  /** Everything the settings screen shows. Keys appear only masked. */
  async view(): Promise<SettingsView> {
    const workspaces: WorkspaceView[] = [];
    for (const w of this.document.config.workspaces) {
      const connections: ConnectionView[] = [];
      for (const c of w.connections) {
        const { id, provider, name, apiKeyEnv, ...settings } = c as StoredConnection & { name?: string; apiKeyEnv?: string };
        let key: ConnectionView['key'];
        if (typeof apiKeyEnv === 'string') key = { source: 'environment', variable: apiKeyEnv, set: Boolean(this.options.env[apiKeyEnv]) };
        else {
          const secret = await this.readKey(w.id, id);
          key = secret ? { source: 'keychain', masked: maskSecret(secret) } : { source: 'missing' };
        }
        connections.push({ id, provider, name: typeof name === 'string' ? name : null, settings, key });
      }
      const budget = w.budget as { amountUsd: number; period?: 'day' | 'week' | 'month'; cycleStartDay?: number; thresholdsPercent?: number[] } | undefined;
      workspaces.push({
        id: w.id,
        name: typeof w.name === 'string' ? w.name : w.id,
        timeZone: typeof w.timeZone === 'string' ? w.timeZone : null,
        budget: budget
          ? {
              amountUsd: budget.amountUsd,
              period: budget.period ?? 'month',
              cycleStartDay: budget.cycleStartDay ?? null,
              thresholdsPercent: budget.thresholdsPercent ?? [50, 75, 90, 100],
            }
          : null,
        period: (w.period as 'day' | 'week' | 'month' | undefined) ?? budget?.period ?? 'month',
        forecastAlerts: w.forecastAlerts === true,
        connections,
      });
    }
    return {
      workspaces,
      preferences: preferencesView(this.document),
      providers: PROVIDER_IDS.map((id) => providerView(id)),
      keyStorage: {
        protection: this.options.vault.protection === 'obfuscation-only' ? 'obfuscation-only' : 'os-keychain',
        obfuscationAccepted: this.document.obfuscatedKeysAccepted,
      },
      paths: {
        cliConfigFile: this.options.cliConfigFile,
        exportFile: this.options.exportFile,
        configFolder: this.options.configFolder,
        logFolder: this.options.logFolder,
      },
      importedFrom: this.document.importedFrom ? { ...this.document.importedFrom, changedSince: this.changedSinceImport(this.document.importedFrom) } : null,
      systemTimeZone: this.options.systemTimeZone,
      demo: this.document.demo,
    };
  }

  /** True when the imported file was modified after the import (settings then offer "Import again"). */
  private changedSinceImport(imported: { readonly file: string; readonly at: string }): boolean {
    try {
      return statSync(imported.file).mtimeMs > Date.parse(imported.at);
    } catch {
      // Gone or unreadable: nothing new to import from it.
      return false;
    }
  }

    /** Validates a candidate document (the config part with the engine's own parser), then stores it. */
  private async commit(next: SettingsDocument, fieldOf: (path: string) => string | undefined, message?: string): Promise<SettingsChange> {
    const checked = settingsDocumentSchema.safeParse(next);
    if (!checked.success) {
      return invalid(checked.error.issues.map((issue) => ({ field: fieldOf(formatIssuePath(issue.path)) ?? formatIssuePath(issue.path), message: issue.message })));
    }
    if (next.config.workspaces.length > 0) {
      // Keys are not needed to validate: every keychain connection gets a placeholder variable.
      const env: Record<string, string> = {};
      const workspaces = next.config.workspaces.map((w) => ({
        ...w,
        connections: w.connections.map((c) => {
          if (c.apiKeyEnv !== undefined) return c;
          env[vaultVariable(w.id, c.id)] = 'placeholder';
          return { ...c, apiKeyEnv: vaultVariable(w.id, c.id) };
        }),
      }));
      try {
        parseConfig({ ...next.config, workspaces }, 'settings', env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return invalid(error.problems.map((p) => ({ field: fieldOf(p.path) ?? p.path, message: p.message })));
      }
    }
    this.document = checked.data;
    this.loadProblems = [];
    this.options.store.write(this.document);
    await this.changed();
    return { ok: true, settings: await this.view(), ...(message ? { message } : {}) };
  }

  private async changed(): Promise<void> {
    const resolution = await this.resolve();
    for (const listener of this.listeners) listener(resolution);
  }

  /** Adds (id null) or edits a workspace; its connections are kept. */
  async saveWorkspace(input: WorkspaceInput): Promise<SettingsChange> {
    const name = input.name.trim();
    if (!name) return invalid([{ field: 'name', message: 'Give the workspace a name.' }]);
    if (input.timeZone !== null && !isValidTimeZone(input.timeZone)) {
      return invalid([{ field: 'timeZone', message: `"${input.timeZone}" is not an IANA time zone such as "Europe/Berlin" or "UTC".` }]);
    }
    const next = clone(this.document);
    const existing = input.id === null ? undefined : next.config.workspaces.find((w) => w.id === input.id);
    if (input.id !== null && !existing) return notFound(`No workspace "${input.id}".`);
    const id = existing?.id ?? idFromName(name, next.config.workspaces.map((w) => w.id));
    const workspace: StoredWorkspace = {
      id,
      name,
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      ...(input.budget
        ? {
            budget: {
              amountUsd: input.budget.amountUsd,
              period: input.budget.period,
              ...(input.budget.cycleStartDay === null ? {} : { cycleStartDay: input.budget.cycleStartDay }),
              thresholdsPercent: [...input.budget.thresholdsPercent],
            },
          }
        : { period: input.period }),
      forecastAlerts: input.forecastAlerts,
      connections: existing?.connections ?? [],
    };
    const index = next.config.workspaces.findIndex((w) => w.id === id);
    if (index >= 0) next.config.workspaces[index] = workspace;
    else next.config.workspaces.push(workspace);
    const at = index >= 0 ? index : next.config.workspaces.length - 1;
    return this.commit(next, (path) => fieldWithin(path, `workspaces[${at}].`), existing ? `Saved ${name}.` : `Added ${name}.`);
  }

  /** Removes a workspace, its connections and their keys. */
  async removeWorkspace(workspaceId: string): Promise<SettingsChange> {
    const next = clone(this.document);
    const workspace = next.config.workspaces.find((w) => w.id === workspaceId);
    if (!workspace) return notFound(`No workspace "${workspaceId}".`);
    next.config.workspaces = next.config.workspaces.filter((w) => w.id !== workspaceId);
    const change = await this.commit(next, () => undefined, `Removed ${String(workspace.name ?? workspace.id)}.`);
    if (change.ok) for (const c of workspace.connections) await this.options.vault.delete(vaultKey(workspaceId, c.id));
    return change;
  }

  /** Puts the workspaces in the given order (every id exactly once). */
  async reorderWorkspaces(workspaceIds: readonly string[]): Promise<SettingsChange> {
    const current = this.document.config.workspaces.map((w) => w.id);
    if (workspaceIds.length !== current.length || new Set(workspaceIds).size !== current.length || !workspaceIds.every((id) => current.includes(id))) {
      return invalid([{ field: 'workspaceIds', message: 'List every workspace exactly once.' }]);
    }
    const next = clone(this.document);
    next.config.workspaces = workspaceIds.map((id) => next.config.workspaces.find((w) => w.id === id)!);
    return this.commit(next, () => undefined);
  }

  /** Checks a connection form: the provider's settings schema, the name and the key source. */
  private checkConnection(input: ConnectionInput): { problems: FieldProblem[]; settings: Record<string, unknown>; provider: ProviderId | undefined } {
    const problems: FieldProblem[] = [];
    const provider = (PROVIDER_IDS as readonly string[]).includes(input.provider) ? (input.provider as ProviderId) : undefined;
    if (!provider) return { problems: [{ field: 'provider', message: `Choose a provider (${PROVIDER_IDS.join(', ')}).` }], settings: {}, provider };
    const adapter = adapterFor(provider);
    const settings = coerceProviderSettings(adapter.settings, input.settings);
    const parsed = adapter.settingsSchema.safeParse(settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === 'unrecognized_keys' ? 'settings' : String(issue.path[0] ?? 'settings');
        problems.push({ field, message: issue.code === 'unrecognized_keys' ? `Unknown setting ${issue.keys.join(', ')}.` : issue.message });
      }
    }
    if (input.name !== null && input.name.trim().length > 80) problems.push({ field: 'name', message: 'Use at most 80 characters.' });
    if (input.apiKeyEnv !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.apiKeyEnv)) {
      problems.push({ field: 'apiKeyEnv', message: 'Must be an environment variable name such as BASETEN_API_KEY.' });
    }
    if (input.apiKey !== null && input.apiKey.trim() !== input.apiKey) problems.push({ field: 'apiKey', message: 'The key starts or ends with a space: paste it again.' });
    return { problems, settings, provider };
  }

  /**
   * Adds (id null) or edits a connection. A typed key goes into the vault; a null key keeps the
   * stored one. Without a system keychain the key is stored only with the person's consent.
   */
  async saveConnection(input: ConnectionInput): Promise<SettingsChange> {
    const { problems, settings, provider } = this.checkConnection(input);
    if (problems.length > 0 || !provider) return invalid(problems);
    const next = clone(this.document);
    const workspace = next.config.workspaces.find((w) => w.id === input.workspaceId);
    if (!workspace) return notFound(`No workspace "${input.workspaceId}".`);
    const existing = input.id === null ? undefined : workspace.connections.find((c) => c.id === input.id);
    if (input.id !== null && !existing) return notFound(`No connection "${input.id}" in ${input.workspaceId}.`);
    const id = existing?.id ?? idFromName(provider, workspace.connections.map((c) => c.id));
    const usesKeychain = input.apiKeyEnv === null;
    const hasStoredKey = usesKeychain && existing !== undefined && existing.apiKeyEnv === undefined && (await this.readKey(workspace.id, id)) !== undefined;
    if (usesKeychain && input.apiKey === null && !hasStoredKey) return invalid([{ field: 'apiKey', message: 'Type the API key.' }]);
    if (usesKeychain && input.apiKey !== null && !input.apiKey) return invalid([{ field: 'apiKey', message: 'Type the API key.' }]);
    if (usesKeychain && input.apiKey !== null) {
      const consent = this.consent(input.allowObfuscatedKey);
      if (consent) return consent;
    }
    const connection: StoredConnection = {
      id,
      provider,
      ...(input.name?.trim() ? { name: input.name.trim() } : {}),
      ...(input.apiKeyEnv !== null ? { apiKeyEnv: input.apiKeyEnv } : {}),
      ...settings,
    };
    const index = workspace.connections.findIndex((c) => c.id === id);
    if (index >= 0) workspace.connections[index] = connection;
    else workspace.connections.push(connection);
    const wsIndex = next.config.workspaces.indexOf(workspace);
    const connectionIndex = index >= 0 ? index : workspace.connections.length - 1;
    if (usesKeychain && input.apiKey !== null) {
      try {
        await this.options.vault.set(vaultKey(workspace.id, id), input.apiKey);
      } catch (error) {
        return { ok: false, reason: 'io', message: `The key could not be stored: ${(error as Error).message}`, problems: [] };
      }
    }
    if (input.allowObfuscatedKey) next.obfuscatedKeysAccepted = true;
    // Once a real connection exists, the demo has done its job.
    next.demo = false;
    const change = await this.commit(next, (path) => fieldWithin(path, `workspaces[${wsIndex}].connections[${connectionIndex}].`), existing ? 'Connection saved.' : 'Connection added.');
    if (!change.ok && usesKeychain && input.apiKey !== null && !existing) await this.options.vault.delete(vaultKey(workspace.id, id));
    if (change.ok && !usesKeychain) await this.options.vault.delete(vaultKey(workspace.id, id));
    return change;
  }

  /** Without a keychain, storing a key needs the person's yes (once). */
  private consent(allowObfuscated: boolean): SettingsChange | undefined {
    if (this.options.vault.protection !== 'obfuscation-only' || allowObfuscated || this.document.obfuscatedKeysAccepted) return undefined;
    return {
      ok: false,
      reason: 'consent_required',
      message:
        'This system has no keychain (no Secret Service or KWallet), so Burnrate can only obfuscate API keys on disk: anyone who can read your files can recover them. Store keys anyway?',
      problems: [],
    };
  }

  /** Removes a connection and its stored key. */
  async removeConnection(workspaceId: string, connectionId: string): Promise<SettingsChange> {
    const next = clone(this.document);
    const workspace = next.config.workspaces.find((w) => w.id === workspaceId);
    if (!workspace || !workspace.connections.some((c) => c.id === connectionId)) return notFound(`No connection "${connectionId}" in ${workspaceId}.`);
    workspace.connections = workspace.connections.filter((c) => c.id !== connectionId);
    const change = await this.commit(next, () => undefined, 'Connection removed.');
    if (change.ok) await this.options.vault.delete(vaultKey(workspaceId, connectionId));
    return change;
  }

  /**
   * "Test connection": one fetch of the last 24 hours with these settings and the typed key (or
   * the stored one). Never saves anything. The error comes back typed and in words.
   */
  async testConnection(input: ConnectionInput): Promise<ConnectionTestResult> {
    const { problems, settings, provider } = this.checkConnection(input);
    if (problems.length > 0 || !provider) return { ok: false, kind: 'invalid', message: problems.map((p) => p.message).join(' '), problems };
    let apiKey: string | undefined;
    if (input.apiKeyEnv !== null) apiKey = this.options.env[input.apiKeyEnv];
    else if (input.apiKey !== null) apiKey = input.apiKey;
    else if (input.id !== null) {
      const stored = this.document.config.workspaces.find((w) => w.id === input.workspaceId)?.connections.find((c) => c.id === input.id);
      if (typeof stored?.apiKeyEnv === 'string') apiKey = this.options.env[stored.apiKeyEnv];
      else apiKey = await this.readKey(input.workspaceId, input.id);
    }
    if (!apiKey) {
      const message = input.apiKeyEnv !== null ? `The environment variable ${input.apiKeyEnv} is not set.` : 'Type the API key first.';
      return { ok: false, kind: 'config', message, problems: [{ field: input.apiKeyEnv !== null ? 'apiKeyEnv' : 'apiKey', message }] };
    }
    const adapter = adapterFor(provider);
    const nowMs = this.options.clock.now();
    const parsed = adapter.settingsSchema.parse(settings);
    try {
      const report = await adapter.fetchUsage(
        { startMs: nowMs - TEST_RANGE_MS, endMs: nowMs },
        { http: this.options.http, apiKey, settings: parsed, signal: AbortSignal.timeout(TEST_TIMEOUT_MS), nowMs },
      );
      const spentUsd = report.unit === 'usd' ? microsToUnits(report.totalMicros) : null;
      const amount =
        spentUsd === null
          ? `${microsToUnits(report.totalMicros).toLocaleString('en-US', { maximumFractionDigits: 2 })} credits`
          : `$${spentUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      return { ok: true, spentUsd, message: `Connected: ${adapter.displayName} answered. ${amount} in the last 24 hours.` };
    } catch (error) {
      if (isProviderError(error)) {
        const message = error.aborted ? `${adapter.displayName} did not answer within ${TEST_TIMEOUT_MS / 1000} s.` : redactAll(error.message, [apiKey]);
        return { ok: false, kind: error.kind, message, problems: error.kind === 'auth' ? [{ field: 'apiKey', message }] : [] };
      }
      this.options.logger.error(`Test connection of ${adapter.displayName} failed unexpectedly.`, { message: redactAll((error as Error).message, [apiKey]) });
      return { ok: false, kind: 'network', message: `The test could not run: ${redactAll((error as Error).message, [apiKey])}`, problems: [] };
    }
  }

  /** Changes preferences (only the fields given). */
  async savePreferences(input: PreferencesInput): Promise<SettingsChange> {
    const next = clone(this.document);
    if (input.refreshIntervalSeconds !== undefined) next.config.refreshIntervalSeconds = input.refreshIntervalSeconds;
    if (input.trayTitleFormat !== undefined) next.preferences.trayTitleFormat = input.trayTitleFormat;
    if (input.launchAtLogin !== undefined) next.preferences.launchAtLogin = input.launchAtLogin;
    if (input.notifications?.rules) next.preferences.notifications.rules = { ...next.preferences.notifications.rules, ...input.notifications.rules };
    if (input.notifications?.quietHours) next.preferences.notifications.quietHours = { ...input.notifications.quietHours };
    if (input.shortcuts) next.preferences.shortcuts = { ...input.shortcuts };
    return this.commit(next, (path) => {
      if (path.startsWith('config.refreshIntervalSeconds') || path === 'refreshIntervalSeconds') return 'refreshIntervalSeconds';
      const match = /^preferences\.(?:notifications\.)?(.+)$/.exec(path);
      return match?.[1];
    });
  }

  /** Pauses notifications for an hour or until the next local midnight, or resumes them. */
  async pauseNotifications(pause: NotificationPause): Promise<SettingsChange> {
    const nowMs = this.options.clock.now();
    const next = clone(this.document);
    let until: number | null = null;
    if (pause === 'hour') until = nowMs + 3_600_000;
    else if (pause === 'tomorrow') {
      const offsetMs = (this.options.utcOffsetMinutes ?? ((at) => -new Date(at).getTimezoneOffset()))(nowMs) * 60_000;
      const localDayStart = Math.floor((nowMs + offsetMs) / 86_400_000) * 86_400_000 - offsetMs;
      until = localDayStart + 86_400_000;
    }
    next.preferences.notifications.pausedUntil = until === null ? null : new Date(until).toISOString();
    const message = until === null ? 'Notifications resumed.' : `Notifications paused until ${new Date(until).toISOString()}.`;
    return this.commit(next, () => undefined, message);
  }

  /** Runs on demo data, or leaves it (back to onboarding or the person's workspaces). */
  async chooseDemo(demo: boolean): Promise<SettingsChange> {
    const next = clone(this.document);
    next.demo = demo;
    return this.commit(next, () => undefined);
  }

  /**
   * Imports a CLI config file: its workspaces and top-level options replace the app's, inline
   * keys go into the vault, `apiKeyEnv` stays a reference. The file itself is not changed.
   * Keys of connections that are gone are deleted from the vault.
   */
  async importConfig(file: string, allowObfuscatedKeys: boolean): Promise<SettingsChange> {
    return this.importFile(file, allowObfuscatedKeys);
  }

  private async importFile(file: string, allowObfuscatedKeys: boolean): Promise<SettingsChange> {
    let text: string;
    try {
      // Regular files of at most 1 MiB only: a FIFO would hang the app (issue 10).
      text = readConfigText(file);
    } catch (error) {
      if (error instanceof ConfigError) return { ok: false, reason: 'invalid', message: error.message, problems: error.problems.map((p) => ({ field: p.path, message: p.message })) };
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOENT' ? `${file} does not exist.` : code === 'EISDIR' ? `${file} is a folder, not a file.` : `${file} cannot be read (${code ?? 'error'}).`;
      return { ok: false, reason: 'io', message, problems: [{ field: '(file)', message }] };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      const message = describeJsonError(text, (error as Error).message);
      return { ok: false, reason: 'invalid', message: `${file}: ${message}`, problems: [{ field: '(root)', message }] };
    }
    try {
      // Validate first, so a broken file is reported and nothing half-imported is stored.
      parseConfig(raw, file, this.options.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { ok: false, reason: 'invalid', message: error.message, problems: error.problems.map((p) => ({ field: p.path, message: p.message })) };
    }
    const source = raw as { workspaces: Array<Record<string, unknown>> } & Record<string, unknown>;
    const hasInlineKeys = source.workspaces.some((w) => ((w.connections as Array<Record<string, unknown>> | undefined) ?? []).some((c) => typeof c.apiKey === 'string'));
    if (hasInlineKeys) {
      const consent = this.consent(allowObfuscatedKeys);
      if (consent && !consent.ok) return { ...consent, message: `${file} holds API keys. ${consent.message}` };
    }
    const before = this.document.config.workspaces.flatMap((w) => w.connections.map((c) => vaultKey(w.id, c.id)));
    const keys = new Map<string, string>();
    const workspaces: Array<Record<string, unknown> & { connections: Array<Record<string, unknown>> }> = source.workspaces.map((workspace) => ({
      ...workspace,
      connections: ((workspace.connections as Array<Record<string, unknown>> | undefined) ?? []).map((connection) => {
        const { apiKey, ...rest } = connection;
        if (typeof apiKey === 'string') keys.set(vaultKey(String(workspace.id), String(connection.id)), apiKey);
        return rest;
      }),
    }));
    for (const [key, secret] of keys) await this.options.vault.set(key, secret);
    const after = new Set(workspaces.flatMap((w) => w.connections.map((c) => vaultKey(String(w.id), String(c.id)))));
    // A connection that reads its key from the environment keeps no ciphertext either.
    for (const key of before) if (!after.has(key) || !keys.has(key)) await this.options.vault.delete(key);
    const next = clone(this.document);
    const { $schema: _schema, ...options } = source;
    next.config = { ...options, workspaces } as SettingsDocument['config'];
    next.demo = false;
    next.importedFrom = { file, at: new Date(this.options.clock.now()).toISOString() };
    if (hasInlineKeys && allowObfuscatedKeys) next.obfuscatedKeysAccepted = true;
    const change = await this.commit(next, (path) => path, `Imported ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'} from ${file}.`);
    if (change.ok) {
      this.options.logger.info(
        `Imported ${file}; API keys are now in the system keychain (${this.options.vault.protection}). Inline "apiKey" values can be removed from that file.`,
      );
    }
    return change;
  }

  /** Writes the workspaces as a CLI config file (mode 0600), without keys: keychain connections get an `apiKeyEnv` to fill in. */
  async exportConfig(file: string, overwrite: boolean): Promise<ExportResult> {
    if (!overwrite && existsSync(file)) return { ok: false, reason: 'exists', message: `${file} already exists. Export again to replace it.` };
    const { config } = this.document;
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
}

/** Environment variable name suggested for an exported keychain connection. */
function envNameFor(workspaceId: string, connectionId: string): string {
  return `BURNRATE_${`${workspaceId}_${connectionId}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
}

function providerView(id: ProviderId): ProviderView {
  const adapter = adapterFor(id);
  return { id, displayName: adapter.displayName, fields: adapter.settings.map((field) => ({ ...field })) };
}

function invalid(problems: readonly FieldProblem[]): SettingsChange {
  return { ok: false, reason: 'invalid', message: problems.map((p) => p.message).join(' '), problems };
}

function notFound(message: string): SettingsChange {
  return { ok: false, reason: 'not_found', message, problems: [] };
}

/** The form field of a config path inside the given prefix (`workspaces[0].budget.amountUsd` → `budget.amountUsd`). */
function fieldWithin(path: string, prefix: string): string | undefined {
  if (path.startsWith(prefix)) return path.slice(prefix.length);
  if (path.startsWith('config.')) return fieldWithin(path.slice('config.'.length), prefix);
  return undefined;
}

function redactAll(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('••••') : out), text);
}
