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
import { existsSync } from 'node:fs';
import type {
  ConnectionInput,
  ConnectionTestResult,
  ExportResult,
  NotificationPause,
  PreferencesInput,
  SettingsChange,
  SettingsView,
  SetupProblem,
  SetupState,
  WorkspaceInput,
} from '../../preload/api';
import { isValidTimeZone } from '../core/workspace';
import type { HttpClient } from '../providers/http';
import { PROVIDER_IDS } from '../providers/registry';
import { formatIssuePath } from '../providers/schema';
import { ConfigError, type BurnrateConfig } from './config';
import { missingKeyResult, runConnectionTest } from './connectionTest';
import type { Clock, Logger, SecretVault } from './ports';
import { changedSinceImport, exportConfigFile, hasInlineKeys, readImportableConfig, separateKeys } from './settingsConfigFile';
import { configProblems, engineConfig, setupProblemsOf } from './settingsConfig';
import {
  emptySettingsDocument,
  loadSettingsDocument,
  preferencesView,
  settingsDocumentSchema,
  type SettingsDocument,
} from './settingsDocument';
import { SettingsKeys, vaultKey } from './settingsKeys';
import { applyPreferences, checkConnectionForm, connectionFromInput, fieldWithin, idFromName, invalid, notFound, pausedUntilMs, providerView, workspaceFromInput } from './settingsForm';
import { workspaceViews } from './settingsView';

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

export { coerceProviderSettings, idFromName, maskSecret } from './settingsForm';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The tray app's settings and the operations of the settings screen. */
export class DesktopSettings {
  private document: SettingsDocument = emptySettingsDocument();
  private loadProblems: SetupProblem[] = [];
  private readonly listeners = new Set<(resolution: SettingsResolution) => void>();
  private readonly keys: SettingsKeys;

  constructor(private readonly options: DesktopSettingsOptions) {
    this.keys = new SettingsKeys(options.vault, options.logger);
  }

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
    try {
      const config = await engineConfig(this.document.config, `Burnrate settings (${this.options.settingsFile})`, this.options.env, (workspaceId, connectionId) =>
        this.keys.read(workspaceId, connectionId),
      );
      return { mode: 'configured', config, problems };
    } catch (error) {
      if (error instanceof ConfigError) return { mode: 'invalid', problems: [...problems, ...setupProblemsOf(error)] };
      throw error;
    }
  }

  /** The setup state for the popover, from a resolution. */
  static setupState(resolution: SettingsResolution): SetupState {
    return { mode: resolution.mode, problems: resolution.problems };
  }

  /** Everything the settings screen shows. Keys appear only masked. */
  async view(): Promise<SettingsView> {
    const workspaces = await workspaceViews(this.document.config, this.options.env, (workspaceId, connectionId) => this.keys.read(workspaceId, connectionId));
    return {
      workspaces,
      preferences: preferencesView(this.document),
      providers: PROVIDER_IDS.map((id) => providerView(id)),
      keyStorage: {
        protection: this.keys.protection === 'obfuscation-only' ? 'obfuscation-only' : 'os-keychain',
        obfuscationAccepted: this.document.obfuscatedKeysAccepted,
      },
      paths: {
        cliConfigFile: this.options.cliConfigFile,
        exportFile: this.options.exportFile,
        configFolder: this.options.configFolder,
        logFolder: this.options.logFolder,
      },
      importedFrom: this.document.importedFrom ? { ...this.document.importedFrom, changedSince: changedSinceImport(this.document.importedFrom) } : null,
      systemTimeZone: this.options.systemTimeZone,
      demo: this.document.demo,
    };
  }

  /** Validates a candidate document (the config part with the engine's own parser), then stores it. */
  private async commit(next: SettingsDocument, fieldOf: (path: string) => string | undefined, message?: string): Promise<SettingsChange> {
    const checked = settingsDocumentSchema.safeParse(next);
    if (!checked.success) {
      return invalid(checked.error.issues.map((issue) => ({ field: fieldOf(formatIssuePath(issue.path)) ?? formatIssuePath(issue.path), message: issue.message })));
    }
    const problems = configProblems(next.config);
    if (problems) return invalid(problems.problems.map((p) => ({ field: fieldOf(p.path) ?? p.path, message: p.message })));
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
    const workspace = workspaceFromInput(input, id, name, existing?.connections ?? []);
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
    if (change.ok) for (const c of workspace.connections) await this.keys.forget(workspaceId, c.id);
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

  /**
   * Adds (id null) or edits a connection. A typed key goes into the vault; a null key keeps the
   * stored one. Without a system keychain the key is stored only with the person's consent.
   */
  async saveConnection(input: ConnectionInput): Promise<SettingsChange> {
    const { problems, settings, provider } = checkConnectionForm(input);
    if (problems.length > 0 || !provider) return invalid(problems);
    const next = clone(this.document);
    const workspace = next.config.workspaces.find((w) => w.id === input.workspaceId);
    if (!workspace) return notFound(`No workspace "${input.workspaceId}".`);
    const existing = input.id === null ? undefined : workspace.connections.find((c) => c.id === input.id);
    if (input.id !== null && !existing) return notFound(`No connection "${input.id}" in ${input.workspaceId}.`);
    const id = existing?.id ?? idFromName(provider, workspace.connections.map((c) => c.id));
    const usesKeychain = input.apiKeyEnv === null;
    const hasStoredKey = usesKeychain && existing !== undefined && existing.apiKeyEnv === undefined && (await this.keys.read(workspace.id, id)) !== undefined;
    if (usesKeychain && input.apiKey === null && !hasStoredKey) return invalid([{ field: 'apiKey', message: 'Type the API key.' }]);
    if (usesKeychain && input.apiKey !== null && !input.apiKey) return invalid([{ field: 'apiKey', message: 'Type the API key.' }]);
    if (usesKeychain && input.apiKey !== null) {
      const consent = this.keys.consentRequired(input.allowObfuscatedKey, this.document.obfuscatedKeysAccepted);
      if (consent) return consent;
    }
    const connection = connectionFromInput(input, id, provider, settings);
    const index = workspace.connections.findIndex((c) => c.id === id);
    if (index >= 0) workspace.connections[index] = connection;
    else workspace.connections.push(connection);
    const wsIndex = next.config.workspaces.indexOf(workspace);
    const connectionIndex = index >= 0 ? index : workspace.connections.length - 1;
    if (usesKeychain && input.apiKey !== null) {
      try {
        await this.keys.store(workspace.id, id, input.apiKey);
      } catch (error) {
        return { ok: false, reason: 'io', message: `The key could not be stored: ${(error as Error).message}`, problems: [] };
      }
    }
    if (input.allowObfuscatedKey) next.obfuscatedKeysAccepted = true;
    // Once a real connection exists, the demo has done its job.
    next.demo = false;
    const change = await this.commit(next, (path) => fieldWithin(path, `workspaces[${wsIndex}].connections[${connectionIndex}].`), existing ? 'Connection saved.' : 'Connection added.');
    if (!change.ok && usesKeychain && input.apiKey !== null && !existing) await this.keys.forget(workspace.id, id);
    if (change.ok && !usesKeychain) await this.keys.forget(workspace.id, id);
    return change;
  }

  /** Removes a connection and its stored key. */
  async removeConnection(workspaceId: string, connectionId: string): Promise<SettingsChange> {
    const next = clone(this.document);
    const workspace = next.config.workspaces.find((w) => w.id === workspaceId);
    if (!workspace || !workspace.connections.some((c) => c.id === connectionId)) return notFound(`No connection "${connectionId}" in ${workspaceId}.`);
    workspace.connections = workspace.connections.filter((c) => c.id !== connectionId);
    const change = await this.commit(next, () => undefined, 'Connection removed.');
    if (change.ok) await this.keys.forget(workspaceId, connectionId);
    return change;
  }

  /**
   * "Test connection": one fetch of the last 24 hours with these settings and the typed key (or
   * the stored one). Never saves anything. The error comes back typed and in words.
   */
  async testConnection(input: ConnectionInput): Promise<ConnectionTestResult> {
    const { problems, settings, provider } = checkConnectionForm(input);
    if (problems.length > 0 || !provider) return { ok: false, kind: 'invalid', message: problems.map((p) => p.message).join(' '), problems };
    let apiKey: string | undefined;
    if (input.apiKeyEnv !== null) apiKey = this.options.env[input.apiKeyEnv];
    else if (input.apiKey !== null) apiKey = input.apiKey;
    else if (input.id !== null) {
      const stored = this.document.config.workspaces.find((w) => w.id === input.workspaceId)?.connections.find((c) => c.id === input.id);
      if (typeof stored?.apiKeyEnv === 'string') apiKey = this.options.env[stored.apiKeyEnv];
      else apiKey = await this.keys.read(input.workspaceId, input.id);
    }
    if (!apiKey) return missingKeyResult(input);
    return runConnectionTest(provider, settings, apiKey, this.options);
  }

  /** Changes preferences (only the fields given). */
  async savePreferences(input: PreferencesInput): Promise<SettingsChange> {
    const next = clone(this.document);
    applyPreferences(next, input);
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
    const until = pausedUntilMs(pause, nowMs, this.options.utcOffsetMinutes ?? ((at) => -new Date(at).getTimezoneOffset()));
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
    const read = readImportableConfig(file, this.options.env);
    if (!read.ok) return read.change;
    const { source } = read;
    const inlineKeys = hasInlineKeys(source);
    if (inlineKeys) {
      const consent = this.keys.consentRequired(allowObfuscatedKeys, this.document.obfuscatedKeysAccepted);
      if (consent && !consent.ok) return { ...consent, message: `${file} holds API keys. ${consent.message}` };
    }
    const before = this.document.config.workspaces.flatMap((w) => w.connections.map((c) => vaultKey(w.id, c.id)));
    const { workspaces, keys } = separateKeys(source);
    await this.keys.replaceImported(before, new Set(workspaces.flatMap((w) => w.connections.map((c) => vaultKey(String(w.id), String(c.id))))), keys);
    const next = clone(this.document);
    const { $schema: _schema, ...options } = source;
    next.config = { ...options, workspaces } as SettingsDocument['config'];
    next.demo = false;
    next.importedFrom = { file, at: new Date(this.options.clock.now()).toISOString() };
    if (inlineKeys && allowObfuscatedKeys) next.obfuscatedKeysAccepted = true;
    const change = await this.commit(next, (path) => path, `Imported ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'} from ${file}.`);
    if (change.ok) {
      this.options.logger.info(
        `Imported ${file}; API keys are now in the system keychain (${this.keys.protection}). Inline "apiKey" values can be removed from that file.`,
      );
    }
    return change;
  }

  /** Writes the workspaces as a CLI config file (mode 0600), without keys: keychain connections get an `apiKeyEnv` to fill in. */
  async exportConfig(file: string, overwrite: boolean): Promise<ExportResult> {
    return exportConfigFile(this.document.config, file, overwrite);
  }
}

