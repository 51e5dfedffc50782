/**
 * The tray app's settings document: its zod schema and the versioned migrations that bring an
 * older document up to date. Plain data, no I/O: the Electron shell keeps the document in
 * electron-store (`settings.json`), tests keep it in memory.
 *
 * The document never holds an API key: keys live in the SecretVault (safeStorage ciphertext),
 * and the schema refuses a connection with an inline `apiKey`.
 *
 * Versions:
 * - 1: `{ version: 1, config }`: the CLI config-file format without keys (first desktop release).
 * - 2: adds `preferences` (tray title, notifications, launch at login), `demo` (the person chose
 *   demo data), `obfuscatedKeysAccepted` (Linux basic_text consent) and `importedFrom`.
 */
import { z } from 'zod';
import { NOTIFICATION_RULES, TRAY_TITLE_FORMATS, type NotificationPreferences, type Preferences } from '../../preload/api';
import { formatIssuePath } from '../providers/schema';

/** The version this build writes. */
export const SETTINGS_VERSION = 2;

/** An Electron accelerator: modifiers and keys joined by "+" (the OS may still refuse it). */
export const ACCELERATOR = z.string().regex(/^[A-Za-z0-9]+(\+[A-Za-z0-9]+)*$/, 'must be an accelerator like CommandOrControl+Alt+B').max(80);

const TIME_OF_DAY = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');

const rulesSchema = z.strictObject(
  Object.fromEntries(NOTIFICATION_RULES.map((rule) => [rule, z.boolean().default(true)])) as Record<(typeof NOTIFICATION_RULES)[number], z.ZodDefault<z.ZodBoolean>>,
);

/** Notification preferences when nothing was chosen: every rule on, no quiet hours, not paused. */
export const DEFAULT_NOTIFICATIONS: NotificationPreferences = {
  rules: { threshold: true, forecast: true, spike: true, idle: true, connection: true },
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  pausedUntil: null,
};

/** Stored app-wide preferences (the refresh interval lives in `config`, like in the CLI file). */
export const storedPreferencesSchema = z.strictObject({
  trayTitleFormat: z.enum(TRAY_TITLE_FORMATS).default('spend-pace'),
  notifications: z
    .strictObject({
      rules: rulesSchema.default(DEFAULT_NOTIFICATIONS.rules),
      quietHours: z
        .strictObject({ enabled: z.boolean(), start: TIME_OF_DAY, end: TIME_OF_DAY })
        .default(DEFAULT_NOTIFICATIONS.quietHours),
      pausedUntil: z.iso.datetime().nullable().default(null),
    })
    .default(DEFAULT_NOTIFICATIONS),
  launchAtLogin: z.boolean().default(false),
  // Added after version 2 with a default, so version 2 documents without it stay valid.
  shortcuts: z
    .strictObject({ togglePopover: ACCELERATOR.nullable(), workspacePrefix: ACCELERATOR.nullable() })
    .default({ togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' }),
});

/** Preferences as stored. */
export type StoredPreferences = z.output<typeof storedPreferencesSchema>;

/** Preferences of a fresh install. */
export const DEFAULT_PREFERENCES: StoredPreferences = storedPreferencesSchema.parse({});

const connectionSchema = z
  .looseObject({ id: z.string(), provider: z.string() })
  .refine((connection) => !('apiKey' in connection), { message: 'holds an inline "apiKey": keys belong in the keychain, never in this file', path: ['apiKey'] });

const workspaceSchema = z.looseObject({ id: z.string(), connections: z.array(connectionSchema).default([]) });

/**
 * The `config` part: the CLI config-file format without keys. Only its outline is checked here;
 * `parseConfig` checks every field (with the provider schemas) before the engine uses it. Unlike
 * the CLI file it may list no workspace (nothing set up yet).
 */
const configSchema = z.looseObject({ workspaces: z.array(workspaceSchema) });

/** The current settings document. */
export const settingsDocumentSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  config: configSchema,
  preferences: storedPreferencesSchema.default(DEFAULT_PREFERENCES),
  demo: z.boolean().default(false),
  obfuscatedKeysAccepted: z.boolean().default(false),
  importedFrom: z.strictObject({ file: z.string(), at: z.iso.datetime() }).nullable().default(null),
});

/** The settings document, current version. */
export type SettingsDocument = z.output<typeof settingsDocumentSchema>;

/** Config part of the document: workspaces (key-free connections) and the CLI file's top-level options. */
export type StoredConfig = SettingsDocument['config'];
/** One stored workspace (CLI file format, key-free connections). */
export type StoredWorkspace = StoredConfig['workspaces'][number];
/** One stored connection (CLI file format, no `apiKey`). */
export type StoredConnection = StoredWorkspace['connections'][number];

/** An empty document: nothing configured, default preferences. */
export function emptySettingsDocument(): SettingsDocument {
  return settingsDocumentSchema.parse({ version: SETTINGS_VERSION, config: { workspaces: [] } });
}

/** One migration: the document of version `from` to version `from + 1`. Pure. */
interface Migration {
  readonly from: number;
  readonly describe: string;
  readonly migrate: (document: Record<string, unknown>) => Record<string, unknown>;
}

/** Every migration, in order. A new version = one entry here + its test. */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 1,
    describe: 'adds preferences, demo choice, keychain consent and import origin',
    migrate: (document) => ({
      version: 2,
      config: document.config,
      preferences: DEFAULT_PREFERENCES,
      demo: false,
      obfuscatedKeysAccepted: false,
      importedFrom: null,
    }),
  },
];

/** Outcome of reading a stored document. */
export type LoadedSettings =
  /** Nothing stored yet (first start). */
  | { readonly kind: 'empty' }
  /** A usable document; `migratedFrom` is set when it was older and must be written back. */
  | { readonly kind: 'ok'; readonly document: SettingsDocument; readonly migratedFrom: number | undefined }
  /** A document that cannot be used: every problem with its JSON path. Nothing is overwritten. */
  | { readonly kind: 'invalid'; readonly problems: ReadonlyArray<{ readonly path: string; readonly message: string }> };

/**
 * Reads a stored document of any known version: runs the migrations from its version up to
 * {@link SETTINGS_VERSION}, then validates it. Never throws; a broken or newer document is
 * `invalid` with its problems (the caller shows them and does not overwrite the file).
 * @example loadSettingsDocument({ version: 1, config: { workspaces: [] } }) //=> { kind: 'ok', migratedFrom: 1, document: { version: 2, … } }
 */
export function loadSettingsDocument(raw: unknown): LoadedSettings {
  if (raw === undefined || raw === null) return { kind: 'empty' };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'invalid', problems: [{ path: '(root)', message: 'must be an object' }] };
  let document = raw as Record<string, unknown>;
  const version = document.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { kind: 'invalid', problems: [{ path: 'version', message: 'missing or not a known settings version' }] };
  }
  if (version > SETTINGS_VERSION) {
    return {
      kind: 'invalid',
      problems: [{ path: 'version', message: `written by a newer Burnrate (settings version ${version}; this one reads up to ${SETTINGS_VERSION}): update Burnrate` }],
    };
  }
  for (const migration of MIGRATIONS) {
    if (document.version === migration.from) document = migration.migrate(document);
  }
  const parsed = settingsDocumentSchema.safeParse(document);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      problems: parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? { path: formatIssuePath(issue.path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` }
          : { path: formatIssuePath(issue.path), message: issue.message },
      ),
    };
  }
  return { kind: 'ok', document: parsed.data, migratedFrom: version === SETTINGS_VERSION ? undefined : version };
}

/** Preferences as the renderer sees them (the refresh interval comes from the config part). */
export function preferencesView(document: SettingsDocument): Preferences {
  const seconds = document.config.refreshIntervalSeconds;
  return {
    refreshIntervalSeconds: typeof seconds === 'number' ? seconds : 300,
    trayTitleFormat: document.preferences.trayTitleFormat,
    notifications: document.preferences.notifications,
    launchAtLogin: document.preferences.launchAtLogin,
    shortcuts: document.preferences.shortcuts,
  };
}
