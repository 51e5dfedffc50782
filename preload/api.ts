/**
 * The contract between the three processes (main, preload, renderer) and the headless JSON API.
 * Types and constants only: zero runtime dependencies, so every layer may import it. Its parts:
 * statusDocument.ts (the status document) and settings.ts (the settings screen), re-exported here,
 * so every layer imports the contract from this one file.
 *
 * `StatusDocument` is at once the payload of `burnrate status --json`, of `GET /api/status`
 * and of the snapshot the tray popover renders: one shape everywhere.
 */
import type { StatusDocument } from './statusDocument';
import type {
  ConnectionInput,
  ConnectionTestResult,
  ExportResult,
  NotificationPause,
  PreferencesInput,
  SettingsChange,
  SettingsView,
  SetupState,
  WorkspaceInput,
} from './settings';

export type * from './statusDocument';
export * from './settings';

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

/** Result of every IPC call: nothing is thrown across IPC (Electron keeps only `message`). */
export type IpcResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** `bad_request` (payload does not match the channel's schema; `field` names the first bad field), `forbidden`, `internal`. */
      readonly error: { readonly kind: string; readonly message: string; readonly field?: string };
    };

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

/** The name under which preload exposes the API. */
export const SPEND_API_KEY = 'burnrate';
