/**
 * The contract between the three processes (main, preload, renderer) and the headless JSON API.
 * Types and constants only: zero runtime dependencies, so every layer may import it.
 *
 * `StatusDocument` is at once the payload of `burnrate status --json`, of `GET /api/status`
 * and of the snapshot the tray popover renders: one shape everywhere.
 */

/** Error kinds shown to people: a provider failure, or a configuration problem found before any request. */
export type StatusErrorKind = 'auth' | 'rate_limited' | 'bad_request' | 'server' | 'network' | 'bad_response' | 'config';

/** One line of a connection's or workspace's breakdown. Money in USD (major units, 6 decimals). */
export interface ResourceStatus {
  readonly id: string;
  readonly name: string;
  /** deployment | model | cluster | training_job | plan_type | service | other */
  readonly kind: string;
  readonly spentUsd: number;
  /** True for dedicated capacity billed by time whether used or not (GPU deployments, clusters). Connection-level lists. */
  readonly dedicated?: boolean;
  /** Requests this period, where the provider reports them (connection-level lists). */
  readonly requests?: number;
  /** Connection the resource belongs to (present in workspace-level lists). */
  readonly connectionId?: string;
}

/** One connection's state. */
export interface ConnectionStatus {
  readonly id: string;
  /** baseten | civis | limitry | simplismart | tensorone */
  readonly provider: string;
  /** Display name of the provider. */
  readonly providerName?: string;
  /** `ok` when the last refresh succeeded; `error` otherwise (then `error` says why). */
  readonly status: 'ok' | 'error';
  /** True when the numbers are the last good values from an earlier refresh, not from the latest one. */
  readonly stale?: boolean;
  /** Spend this period in USD; null when unknown or when the connection reports credits only. */
  readonly spentUsd: number | null;
  /** Credits this period (Civis); null for providers that bill in dollars. */
  readonly spentCredits: number | null;
  /** This connection's burn rate (USD per hour); null when unknown or credits-only. */
  readonly burnRateUsdPerHour?: number | null;
  /** This connection's projected period total (USD); null when unknown or credits-only. */
  readonly projectedUsd?: number | null;
  /** Latest instant the provider's data covers (ISO-8601 UTC). */
  readonly dataThrough: string | null;
  /** When the numbers were fetched (ISO-8601 UTC). */
  readonly fetchedAt: string | null;
  readonly topResources: readonly ResourceStatus[];
  readonly error: { readonly kind: StatusErrorKind; readonly message: string } | null;
  /** Plain-language notes ("reports credits: set usdPerCredit to include it in money totals"). */
  readonly notes?: readonly string[];
  /**
   * How the burn rate was computed: trimmed-mean | mean (complete series), sparse-points (only the
   * hours a sparse series reports, gaps not counted as zero), period-average (the total over the
   * elapsed period), no-data. Null without a counted report.
   */
  readonly burnRateMethod?: string | null;
  /** How this connection's projection was computed (see WorkspaceStatus.projectionMethod); null without one. */
  readonly projectionMethod?: string | null;
  /** This connection's 80 % projection range (USD); null without a projection. */
  readonly projectedLowUsd?: number | null;
  readonly projectedHighUsd?: number | null;
  /** True when `spentUsd` includes an estimated share (a UTC day only partly inside the period). */
  readonly spentIsEstimate?: boolean;
  /** Baseten: credits applied against the bill this period (USD), beside the gross `spentUsd`. */
  readonly creditsUsd?: number;
  /** Civis: the organization's LLM credit limit, and the credits used this period against it. */
  readonly creditLimit?: { readonly usedCredits: number; readonly limitCredits: number; readonly usedPercent: number };
  /** Civis: matching records this period from /usage/matching (no cost), by task (IDR, CDM). */
  readonly matchingRecords?: { readonly total: number; readonly byTask: Readonly<Record<string, number>> };
  /** The provider's own projection (TensorOne `projections`), beside Burnrate's. */
  readonly providerProjection?: { readonly projectedUsd: number; readonly confidence: number | null; readonly trend: string | null };
  /** The provider's own alerts (TensorOne `alerts[]`). Money fields only for budget alerts. */
  readonly providerAlerts?: readonly {
    readonly type: string;
    readonly severity: string;
    readonly message: string;
    readonly thresholdUsd?: number;
    readonly currentUsd?: number;
  }[];
  /** Rate-limit state from the provider's response headers (X-RateLimit-*); it slows polling when low. */
  readonly rateLimit?: { readonly limit: number | null; readonly remaining: number | null; readonly resetAt: string | null };
  /**
   * Simplismart: plan types the API refused (400/422) while the others answered. Their usage is NOT
   * in `spentUsd`; each is asked for again once a day (`nextCheck`, ISO-8601 UTC). Absent when none.
   */
  readonly refusedPlanTypes?: readonly {
    readonly planType: string;
    readonly since: string;
    readonly nextCheck: string;
    readonly message: string;
  }[];
}

/** Which connections a workspace's money total holds. */
export interface CoverageStatus {
  /** Connections whose spend is in `spentUsd` (a stale one counts, marked `stale`). */
  readonly connectionsOk: number;
  readonly connectionsTotal: number;
  /** Connections left out of `spentUsd` (failed without data, other period, credits only), with the reason. */
  readonly excluded: readonly { readonly id: string; readonly reason: string }[];
}

/** Budget state of a workspace. */
export interface BudgetStatus {
  readonly amountUsd: number;
  /** day | week | month */
  readonly period?: string;
  readonly usedPercent: number;
  readonly projectedPercent: number;
  /** When the budget will be crossed at the current pace (ISO-8601 UTC), or null. */
  readonly crossesAt: string | null;
  /** Probability (0..1) of ending the period over budget, when the projection range allows it. */
  readonly overBudgetProbability?: number | null;
  readonly thresholdsPercent?: readonly number[];
}

/** One workspace's state. */
export interface WorkspaceStatus {
  readonly id: string;
  readonly name: string;
  readonly currency: 'USD';
  /** The current period; `timeZone` is the workspace's IANA zone, in which it starts at midnight. */
  readonly period: { readonly start: string; readonly end: string; readonly timeZone?: string };
  /** Actual reported spend this period (USD connections only). */
  readonly spentUsd: number;
  /** Estimated spend now: reported + burn rate × time since the data ends. Always an estimate. */
  readonly nowcastUsd: number;
  readonly burnRateUsdPerHour: number;
  readonly projectedUsd: number;
  readonly projectedLowUsd: number;
  readonly projectedHighUsd: number;
  /** run-rate | day-of-week | previous-period | blend | sparse-points | period-average */
  readonly projectionMethod: string;
  readonly projectionConfidence?: number;
  readonly budget: BudgetStatus | null;
  readonly connections: readonly ConnectionStatus[];
  /** The workspace's most expensive resources across connections. */
  readonly topResources?: readonly ResourceStatus[];
  /** Hourly spend of the last 48 complete hours (USD), oldest first, for the sparkline. */
  readonly hourlySpendUsd?: readonly { readonly start: string; readonly spentUsd: number }[];
  /**
   * Which connections `spentUsd` holds. `connectionsOk < connectionsTotal` means a partial total:
   * every surface marks the headline then.
   */
  readonly coverage: CoverageStatus;
  /**
   * Spend per local day of the current period (USD), oldest first, from its first day through
   * today, with the share of each provider (`byProvider`, keyed by provider id), for the period chart.
   */
  readonly dailySpendUsd?: readonly { readonly start: string; readonly spentUsd: number; readonly byProvider: Readonly<Record<string, number>> }[];
  /** Every resource of the period (USD connections), most expensive first, with `connectionId`, `dedicated` and `requests` where reported. */
  readonly resources?: readonly ResourceStatus[];
  /**
   * Past periods from the spend database, newest first (at most 12), each with its spend against
   * the budget. `budgetUsd` is the workspace's budget as set now (null without one); `usedPercent`
   * is spend ÷ that budget; `connections` counts the connections with stored spend in the period.
   */
  readonly history?: readonly PastPeriodStatus[];
  /**
   * This period so far vs. the previous period at the same point (the same time elapsed since its
   * start, up to where every compared connection's data reaches), over the connections that have
   * both; null when none has a previous period. `changePercent` is +12 for 12 % more.
   */
  readonly comparison?: PeriodComparisonStatus | null;
}

/** One past period of {@link WorkspaceStatus.history}. */
export interface PastPeriodStatus {
  readonly start: string;
  readonly end: string;
  readonly spentUsd: number;
  readonly budgetUsd: number | null;
  readonly usedPercent: number | null;
  readonly connections: number;
}

/** {@link WorkspaceStatus.comparison}: money in USD, `elapsedHours` from the period start. */
export interface PeriodComparisonStatus {
  readonly currentUsd: number;
  readonly previousUsd: number;
  /** Percent change; null when the previous period had no spend by then. */
  readonly changePercent: number | null;
  readonly elapsedHours: number;
}

/** The whole state: `burnrate status --json`, `GET /api/status`, and the popover snapshot. */
export interface StatusDocument {
  /** ISO-8601 UTC. */
  readonly generatedAt: string;
  /** Present and true when the numbers are demo data from the built-in fakes. */
  readonly demo?: boolean;
  readonly workspaces: readonly WorkspaceStatus[];
  /** The "all workspaces" roll-up. */
  readonly all?: { readonly spentUsd: number; readonly burnRateUsdPerHour: number; readonly projectedUsd: number };
}

/** What the popover shows: the status plus UI state owned by main. */
export interface AppSnapshot {
  readonly status: StatusDocument;
  /** Workspace shown in the tray title; null = all workspaces. */
  readonly selectedWorkspaceId: string | null;
  /** True while a refresh is running (progress indicator). */
  readonly refreshing: boolean;
  /** True until the first refresh of every connection has finished (values come from the snapshot cache). */
  readonly fromCache: boolean;
  /** What the tray app runs on (onboarding, demo, a configuration problem). Absent in the served dashboard. */
  readonly setup?: SetupState;
  /** Problems of the desktop shell to say in words (a global shortcut the OS refused). Tray app only. */
  readonly notices?: readonly string[];
}

/** A view main asks the popover to show (tray menu "Settings…"; a notification opens `glance`). */
export type PopoverView = 'glance' | 'settings';

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

/** Result of every IPC call: nothing is thrown across IPC (Electron keeps only `message`). */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly kind: string; readonly message: string } };

/** Invoke channels (renderer → main), declared once. */
export const INVOKE_CHANNELS = {
  getSnapshot: 'burnrate:get-snapshot',
  refreshNow: 'burnrate:refresh-now',
  selectWorkspace: 'burnrate:select-workspace',
  setPopoverOpen: 'burnrate:set-popover-open',
  hidePopover: 'burnrate:hide-popover',
  getSettings: 'burnrate:get-settings',
  saveWorkspace: 'burnrate:save-workspace',
  removeWorkspace: 'burnrate:remove-workspace',
  reorderWorkspaces: 'burnrate:reorder-workspaces',
  saveConnection: 'burnrate:save-connection',
  removeConnection: 'burnrate:remove-connection',
  testConnection: 'burnrate:test-connection',
  savePreferences: 'burnrate:save-preferences',
  pauseNotifications: 'burnrate:pause-notifications',
  chooseDemo: 'burnrate:choose-demo',
  importConfig: 'burnrate:import-config',
  exportConfig: 'burnrate:export-config',
  openFolder: 'burnrate:open-folder',
} as const;

/** Push channels (main → renderer). */
export const PUSH_CHANNELS = {
  snapshotChanged: 'burnrate:snapshot-changed',
  showView: 'burnrate:show-view',
} as const;

/** Every invoke channel name. */
export type InvokeChannel = (typeof INVOKE_CHANNELS)[keyof typeof INVOKE_CHANNELS];

/** Request and response type of each invoke channel. */
export interface InvokeContracts {
  'burnrate:get-snapshot': { readonly request: null; readonly response: AppSnapshot };
  'burnrate:refresh-now': { readonly request: null; readonly response: null };
  'burnrate:select-workspace': { readonly request: { readonly workspaceId: string | null }; readonly response: null };
  'burnrate:set-popover-open': { readonly request: { readonly open: boolean }; readonly response: null };
  'burnrate:hide-popover': { readonly request: null; readonly response: null };
  'burnrate:get-settings': { readonly request: null; readonly response: SettingsView };
  'burnrate:save-workspace': { readonly request: { readonly workspace: WorkspaceInput }; readonly response: SettingsChange };
  'burnrate:remove-workspace': { readonly request: { readonly workspaceId: string }; readonly response: SettingsChange };
  'burnrate:reorder-workspaces': { readonly request: { readonly workspaceIds: readonly string[] }; readonly response: SettingsChange };
  'burnrate:save-connection': { readonly request: { readonly connection: ConnectionInput }; readonly response: SettingsChange };
  'burnrate:remove-connection': { readonly request: { readonly workspaceId: string; readonly connectionId: string }; readonly response: SettingsChange };
  'burnrate:test-connection': { readonly request: { readonly connection: ConnectionInput }; readonly response: ConnectionTestResult };
  'burnrate:save-preferences': { readonly request: { readonly preferences: PreferencesInput }; readonly response: SettingsChange };
  'burnrate:pause-notifications': { readonly request: { readonly pause: NotificationPause }; readonly response: SettingsChange };
  'burnrate:choose-demo': { readonly request: { readonly demo: boolean }; readonly response: SettingsChange };
  'burnrate:import-config': { readonly request: { readonly file: string; readonly allowObfuscatedKeys: boolean }; readonly response: SettingsChange };
  'burnrate:export-config': { readonly request: { readonly file: string; readonly overwrite: boolean }; readonly response: ExportResult };
  'burnrate:open-folder': { readonly request: { readonly folder: 'config' | 'logs' }; readonly response: null };
}

/** Fails the build when a channel lacks a contract or a contract lacks a channel. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const CONTRACT_COVERAGE: Exact<InvokeChannel, keyof InvokeContracts> = true;

/** The API the preload script exposes as `window.burnrate`. Intent-named functions only. */
export interface SpendApi {
  getSnapshot(): Promise<IpcResult<AppSnapshot>>;
  refreshNow(): Promise<IpcResult<null>>;
  selectWorkspace(workspaceId: string | null): Promise<IpcResult<null>>;
  setPopoverOpen(open: boolean): Promise<IpcResult<null>>;
  /** Closes the popover (Escape), like clicking outside it. */
  hidePopover(): Promise<IpcResult<null>>;
  /** Subscribes to snapshots pushed by main; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: AppSnapshot) => void): () => void;
  /** Main asks for a view (tray menu "Settings…"); returns the unsubscribe function. */
  onShowView(listener: (view: PopoverView) => void): () => void;
  /** The settings as the renderer may see them: keys only masked (`••••7f3a`). */
  getSettings(): Promise<IpcResult<SettingsView>>;
  /** Adds (id null) or edits a workspace: name, time zone, budget, forecast alerts. Connections are kept. */
  saveWorkspace(workspace: WorkspaceInput): Promise<IpcResult<SettingsChange>>;
  /** Removes a workspace, its connections and their stored keys. */
  removeWorkspace(workspaceId: string): Promise<IpcResult<SettingsChange>>;
  /** Puts the workspaces in this order (every id exactly once). */
  reorderWorkspaces(workspaceIds: readonly string[]): Promise<IpcResult<SettingsChange>>;
  /** Adds (id null) or edits a connection. A null `apiKey` keeps the stored key. */
  saveConnection(connection: ConnectionInput): Promise<IpcResult<SettingsChange>>;
  /** Removes a connection and its stored key (ciphertext). */
  removeConnection(workspaceId: string, connectionId: string): Promise<IpcResult<SettingsChange>>;
  /** Makes one real request with these settings (the stored key when none is typed); never saves. */
  testConnection(connection: ConnectionInput): Promise<IpcResult<ConnectionTestResult>>;
  /** Refresh interval, tray title format, notification rules and quiet hours, launch at login. */
  savePreferences(preferences: PreferencesInput): Promise<IpcResult<SettingsChange>>;
  /** Pauses notifications for an hour or until tomorrow, or resumes them. */
  pauseNotifications(pause: NotificationPause): Promise<IpcResult<SettingsChange>>;
  /** Runs on demo data (true) or leaves it (false). */
  chooseDemo(demo: boolean): Promise<IpcResult<SettingsChange>>;
  /** Imports a CLI config file: its workspaces replace the app's, inline keys go into the keychain. */
  importConfig(file: string, allowObfuscatedKeys: boolean): Promise<IpcResult<SettingsChange>>;
  /** Writes the app's workspaces as a CLI config file, without keys. */
  exportConfig(file: string, overwrite: boolean): Promise<IpcResult<ExportResult>>;
  /** Opens the config or log folder in the system file manager. */
  openFolder(folder: 'config' | 'logs'): Promise<IpcResult<null>>;
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

/** The name under which preload exposes the API. */
export const SPEND_API_KEY = 'burnrate';
