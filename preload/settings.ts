/**
 * The settings screen's part of the contract (preload/api.ts re-exports it): what the tray app runs
 * on, the preferences, the forms main validates and the views it sends back (keys only masked),
 * and the answers of every settings change. Types and constants only.
 */
import type { StatusErrorKind } from './statusDocument';

/** One configuration problem, in words, with its place: the file and the JSON path. */
export interface SetupProblem {
  /** The file (or "Burnrate settings" and its path) the problem is in. */
  readonly file: string;
  /** JSON path inside it, e.g. `workspaces[0].connections[1].orgId`, or `(root)` / `(file)`. */
  readonly path: string;
  readonly message: string;
}

/**
 * What the tray app runs on:
 * - `unconfigured`: nothing set up yet: the popover offers "Try demo data" and "Add a provider";
 * - `demo`: the person chose demo data (built-in fake providers);
 * - `configured`: their own workspaces;
 * - `invalid`: the settings or the imported config file cannot be used; `problems` says why and where.
 *   Never a silent fallback to demo data.
 */
export interface SetupState {
  readonly mode: 'unconfigured' | 'demo' | 'configured' | 'invalid';
  readonly problems: readonly SetupProblem[];
}

/** What the tray title shows: spend · pace, spend, pace, projected total, budget used, or nothing beside the icon. */
export const TRAY_TITLE_FORMATS = ['spend-pace', 'spend', 'pace', 'projected', 'budget-percent', 'icon-only'] as const;
/** One of {@link TRAY_TITLE_FORMATS}. */
export type TrayTitleFormat = (typeof TRAY_TITLE_FORMATS)[number];

/** The alert rules a person can switch off one by one (the engine's AlertRule). */
export const NOTIFICATION_RULES = ['threshold', 'forecast', 'spike', 'idle', 'connection'] as const;
/** One of {@link NOTIFICATION_RULES}. */
export type NotificationRule = (typeof NOTIFICATION_RULES)[number];

/** Quiet hours in local time, `HH:MM` 24-hour; `start` after `end` spans midnight (22:00–07:00). */
export interface QuietHours {
  readonly enabled: boolean;
  readonly start: string;
  readonly end: string;
}

/** Notification preferences. */
export interface NotificationPreferences {
  /** One switch per rule; a rule switched off is never shown (its decisions are still recorded). */
  readonly rules: { readonly [R in NotificationRule]: boolean };
  readonly quietHours: QuietHours;
  /** Notifications are held back until this instant (ISO-8601 UTC); null = not paused. */
  readonly pausedUntil: string | null;
}

/** App-wide preferences of the tray app. */
export interface Preferences {
  /** Normal refresh interval (seconds, 60–86400); the refresh policy speeds up or slows down from it. */
  readonly refreshIntervalSeconds: number;
  readonly trayTitleFormat: TrayTitleFormat;
  readonly notifications: NotificationPreferences;
  /** Start Burnrate when the person logs in. */
  readonly launchAtLogin: boolean;
  /** Global shortcuts (Electron accelerators); null switches one off. */
  readonly shortcuts: ShortcutPreferences;
}

/** Global shortcuts of the tray app. */
export interface ShortcutPreferences {
  /** Toggles the popover. Default `CommandOrControl+Alt+B`. */
  readonly togglePopover: string | null;
  /** Modifiers of "jump to workspace N" (1…9 appended). Default `CommandOrControl+Alt`. */
  readonly workspacePrefix: string | null;
}

/** A change to the preferences: only the fields given change. `pausedUntil` changes through pauseNotifications. */
export interface PreferencesInput {
  readonly refreshIntervalSeconds?: number;
  readonly trayTitleFormat?: TrayTitleFormat;
  readonly notifications?: { readonly rules?: Partial<Record<NotificationRule, boolean>>; readonly quietHours?: QuietHours };
  readonly launchAtLogin?: boolean;
  readonly shortcuts?: ShortcutPreferences;
}

/** How long to pause notifications: one hour, until tomorrow (next local midnight), or resume now. */
export type NotificationPause = 'hour' | 'tomorrow' | 'off';

/** Period of a budget or of the view. */
export type PeriodKind = 'day' | 'week' | 'month';

/** A workspace's budget, as set in settings. */
export interface BudgetSettings {
  readonly amountUsd: number;
  readonly period: PeriodKind;
  /** month: day 1–28; week: 1 = Monday … 7; null = the default (1). */
  readonly cycleStartDay: number | null;
  /** Percentages (1–1000) at which a threshold notification fires. */
  readonly thresholdsPercent: readonly number[];
}

/** A workspace as the settings screen edits it (connections are edited one by one). */
export interface WorkspaceInput {
  /** null = a new workspace (its id is made from the name). */
  readonly id: string | null;
  readonly name: string;
  /** IANA zone; null = the system's. */
  readonly timeZone: string | null;
  readonly budget: BudgetSettings | null;
  /** Period shown without a budget. */
  readonly period: PeriodKind;
  readonly forecastAlerts: boolean;
}

/** Where a connection's key comes from, as the renderer may see it: never the key itself. */
export type ConnectionKeyView =
  | { readonly source: 'keychain'; readonly masked: string }
  | { readonly source: 'environment'; readonly variable: string; readonly set: boolean }
  | { readonly source: 'missing' };

/** A connection as shown in settings. */
export interface ConnectionView {
  readonly id: string;
  readonly provider: string;
  /** Display name; null = the provider's name. */
  readonly name: string | null;
  /** The provider-specific settings as stored (no key). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly key: ConnectionKeyView;
}

/** A workspace as shown in settings. */
export interface WorkspaceView extends Omit<WorkspaceInput, 'id'> {
  readonly id: string;
  readonly connections: readonly ConnectionView[];
}

/** A connection to add, edit or test. */
export interface ConnectionInput {
  readonly workspaceId: string;
  /** null = a new connection (its id is made from the provider). */
  readonly id: string | null;
  readonly provider: string;
  readonly name: string | null;
  /** Provider-specific settings, validated in main by the adapter's schema. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** A newly typed key; null keeps the stored one. Write-only: it never comes back. */
  readonly apiKey: string | null;
  /** Read the key from this environment variable instead of the keychain. */
  readonly apiKeyEnv: string | null;
  /** The person agreed that, without a system keychain, the key is only obfuscated on disk. */
  readonly allowObfuscatedKey: boolean;
}

/** One field of a provider's settings form (the adapter's SettingField). */
export interface SettingFieldView {
  readonly key: string;
  readonly label: string;
  readonly kind: 'secret' | 'text' | 'url' | 'number' | 'integer' | 'multi-select' | 'string-list';
  readonly required: boolean;
  readonly help?: string;
  readonly options?: readonly string[];
  readonly defaultValue?: string | number | readonly string[];
}

/** A provider the picker offers, with its form. */
export interface ProviderView {
  readonly id: string;
  readonly displayName: string;
  readonly fields: readonly SettingFieldView[];
}

/** How stored keys are protected on this machine. */
export interface KeyStorageView {
  /** `os-keychain`: encrypted by the OS; `obfuscation-only`: Linux without a keyring (basic_text). */
  readonly protection: 'os-keychain' | 'obfuscation-only';
  /** The person agreed to store keys obfuscated only. */
  readonly obfuscationAccepted: boolean;
}

/** Everything the settings screen shows. Keys appear only masked. */
export interface SettingsView {
  readonly workspaces: readonly WorkspaceView[];
  readonly preferences: Preferences;
  readonly providers: readonly ProviderView[];
  readonly keyStorage: KeyStorageView;
  /** The CLI config file offered for (re-)import, the default export file and the folders. */
  readonly paths: { readonly cliConfigFile: string; readonly exportFile: string; readonly configFolder: string; readonly logFolder: string };
  /** The config file last imported and when (ISO-8601), or null; `changedSince`: the file was modified after that import. */
  readonly importedFrom: { readonly file: string; readonly at: string; readonly changedSince: boolean } | null;
  readonly systemTimeZone: string;
  /** True while the app runs on demo data. */
  readonly demo: boolean;
}

/** A problem with one field of a settings form: `field` is the form key (`name`, `budget.amountUsd`, `orgId`, `apiKey`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The answer of every settings change: the new settings, or why nothing changed.
 * `consent_required`: no system keychain; ask the person before storing a key obfuscated only.
 */
export type SettingsChange =
  | { readonly ok: true; readonly settings: SettingsView; readonly message?: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'consent_required' | 'not_found' | 'io'; readonly message: string; readonly problems: readonly FieldProblem[] };

/** Result of "Test connection": one real request. */
export type ConnectionTestResult =
  | { readonly ok: true; readonly message: string; readonly spentUsd: number | null }
  | { readonly ok: false; readonly kind: StatusErrorKind | 'invalid'; readonly message: string; readonly problems: readonly FieldProblem[] };

/** Result of exporting the config file. */
export type ExportResult = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly reason: 'exists' | 'io'; readonly message: string };

