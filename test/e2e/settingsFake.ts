/**
 * A fake `window.burnrate` WITH the settings functions, for the onboarding and settings browser
 * tests: an in-page stand-in for main's DesktopSettings that keeps a settings view, answers like
 * the real IPC contract (`{ ok, value }`), masks keys, asks for consent without a keychain, and
 * switches the pushed snapshot's setup mode as main's DesktopEngine does. Main's own behaviour is
 * tested in main/services; this fake only lets the UI be driven in real Chromium.
 */
import type { Page } from 'playwright/test';
import type { AppSnapshot, ProviderView, SettingsView, SetupState } from '../../preload/api';
import { PROVIDER_IDS } from '../../main/providers/registry';
import { providerView } from '../../main/services/settingsForm';

/** Options of {@link installSettingsFake}. */
export interface SettingsFakeOptions {
  /** The snapshot shown once the app runs on data (demo or configured). */
  readonly liveSnapshot: AppSnapshot;
  readonly setup: SetupState;
  readonly settings: SettingsView;
  /** The only key "Test connection" and saving accept; any other is refused like a 401. */
  readonly goodKey: string;
  /** testConnection answers only after `window.__finishTest()`. */
  readonly holdTest?: boolean;
}

/** The providers as main sends them: the registry's adapters and their settings fields (main/services/settingsForm.ts). */
export const PROVIDERS: readonly ProviderView[] = PROVIDER_IDS.map((id) => providerView(id));

/** A settings view with nothing configured. */
export function emptySettingsView(patch: Partial<SettingsView> = {}): SettingsView {
  return {
    workspaces: [],
    preferences: {
      refreshIntervalSeconds: 300,
      trayTitleFormat: 'spend-pace',
      notifications: {
        rules: { threshold: true, forecast: true, spike: true, idle: true, connection: true },
        quietHours: { enabled: false, start: '22:00', end: '07:00' },
        pausedUntil: null,
      },
      launchAtLogin: false,
      shortcuts: { togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' },
    },
    providers: PROVIDERS,
    keyStorage: { protection: 'os-keychain', obfuscationAccepted: false },
    paths: {
      cliConfigFile: '/home/ada/.config/burnrate/config.json',
      exportFile: '/home/ada/.config/burnrate/burnrate-export.json',
      configFolder: '/home/ada/.config/Burnrate',
      logFolder: '/home/ada/.config/Burnrate/logs',
    },
    importedFrom: null,
    systemTimeZone: 'America/New_York',
    demo: false,
    ...patch,
  };
}

/** Installs the fake before any page script runs. Calls are recorded in `window.__burnrateCalls`. */
export async function installSettingsFake(page: Page, options: SettingsFakeOptions): Promise<void> {
  // The page's clock stands still at the snapshot's time, so every picture of it is the same.
  await page.clock.setFixedTime(new Date(options.liveSnapshot.status.generatedAt));
  await page.addInitScript((opts: SettingsFakeOptions) => {
    type Listener = (snapshot: AppSnapshot) => void;
    type Any = Record<string, unknown>;
    const calls: Array<{ method: string; args: unknown[] }> = [];
    const listeners = new Set<Listener>();
    const viewListeners = new Set<(view: string) => void>();
    let setup = opts.setup;
    let view: SettingsView = JSON.parse(JSON.stringify(opts.settings));
    const keys = new Map<string, string>();
    for (const w of view.workspaces) for (const c of w.connections) if (c.key.source === 'keychain') keys.set(`${w.id}/${c.id}`, opts.goodKey);
    let finishTest: (() => void) | null = null;
    const empty = (): AppSnapshot => ({ status: { generatedAt: opts.liveSnapshot.status.generatedAt, workspaces: [] }, selectedWorkspaceId: null, refreshing: false, fromCache: false, setup });
    const snapshot = (): AppSnapshot => (setup.mode === 'demo' || setup.mode === 'configured' ? { ...opts.liveSnapshot, status: { ...opts.liveSnapshot.status, demo: setup.mode === 'demo' }, setup } : empty());
    const push = () => {
      const current = snapshot();
      for (const listener of listeners) listener(current);
    };
    const ok = <T,>(value: T) => ({ ok: true as const, value });
    const saved = (message?: string) => ok({ ok: true as const, settings: JSON.parse(JSON.stringify(view)) as SettingsView, ...(message ? { message } : {}) });
    const refused = (reason: string, message: string, problems: Array<{ field: string; message: string }> = []) => ok({ ok: false as const, reason, message, problems });
    const mask = (key: string) => (key.length >= 12 ? `••••${key.slice(-4)}` : '••••');
    const record = (method: string, ...args: unknown[]) => calls.push({ method, args: JSON.parse(JSON.stringify(args ?? [])) });
    const slug = (text: string, taken: string[]) => {
      const base = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace';
      let id = base;
      for (let n = 2; taken.includes(id); n += 1) id = `${base}-${n}`;
      return id;
    };
    const configured = () => {
      setup = { mode: view.workspaces.some((w) => w.connections.length > 0) || (view.workspaces.length > 0 && !view.demo) ? 'configured' : view.demo ? 'demo' : 'unconfigured', problems: [] };
      push();
    };
    const testWindow = window as unknown as Any;
    testWindow.__burnrateCalls = calls;
    testWindow.__finishTest = () => finishTest?.();
    testWindow.__showView = (view: string) => {
      for (const listener of viewListeners) listener(view);
    };
    testWindow.__pushSnapshot = (next: AppSnapshot) => {
      for (const listener of listeners) listener(next);
    };
    const api = {
      async getSnapshot() {
        record('getSnapshot');
        return ok(snapshot());
      },
      async refreshNow() {
        record('refreshNow');
        return ok(null);
      },
      async selectWorkspace(workspaceId: string | null) {
        record('selectWorkspace', workspaceId);
        return ok(null);
      },
      async hidePopover() {
        record('hidePopover');
        return ok(null);
      },
      async setPopoverOpen(open: boolean) {
        record('setPopoverOpen', open);
        return ok(null);
      },
      onSnapshot(listener: Listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
      onShowView(listener: (view: string) => void) {
        viewListeners.add(listener);
        return () => {
          viewListeners.delete(listener);
        };
      },
      async getSettings() {
        record('getSettings');
        return ok(JSON.parse(JSON.stringify(view)) as SettingsView);
      },
      async saveWorkspace(workspace: Any) {
        record('saveWorkspace', workspace);
        const name = String(workspace.name).trim();
        if (!name) return refused('invalid', 'Give the workspace a name.', [{ field: 'name', message: 'Give the workspace a name.' }]);
        const budget = workspace.budget as { amountUsd: number } | null;
        if (budget && !(budget.amountUsd > 0)) return refused('invalid', 'must be a positive amount in USD', [{ field: 'budget.amountUsd', message: 'must be a positive amount in USD' }]);
        const existing = view.workspaces.find((w) => w.id === workspace.id);
        const id = existing?.id ?? slug(name, view.workspaces.map((w) => w.id));
        const next = { ...(workspace as object), id, name, connections: existing?.connections ?? [] } as SettingsView['workspaces'][number];
        view = { ...view, workspaces: existing ? view.workspaces.map((w) => (w.id === id ? next : w)) : [...view.workspaces, next] };
        return saved(existing ? `Saved ${name}.` : `Added ${name}.`);
      },
      async removeWorkspace(workspaceId: string) {
        record('removeWorkspace', workspaceId);
        view = { ...view, workspaces: view.workspaces.filter((w) => w.id !== workspaceId) };
        return saved('Removed.');
      },
      async reorderWorkspaces(ids: string[]) {
        record('reorderWorkspaces', ids);
        view = { ...view, workspaces: ids.map((id) => view.workspaces.find((w) => w.id === id)!) };
        return saved();
      },
      async saveConnection(connection: Any) {
        record('saveConnection', connection);
        const settings = connection.settings as Any;
        if (connection.provider === 'civis' && !settings.orgId) {
          return refused('invalid', 'orgId is required', [{ field: 'orgId', message: 'orgId is required: the numeric id of your Civis organization' }]);
        }
        const workspace = view.workspaces.find((w) => w.id === connection.workspaceId);
        if (!workspace) return refused('not_found', 'No such workspace.');
        const id = (connection.id as string | null) ?? slug(String(connection.provider), workspace.connections.map((c) => c.id));
        const typed = connection.apiKey as string | null;
        if (typed === null && !keys.has(`${workspace.id}/${id}`) && connection.apiKeyEnv === null) return refused('invalid', 'Type the API key.', [{ field: 'apiKey', message: 'Type the API key.' }]);
        if (typed !== null && view.keyStorage.protection === 'obfuscation-only' && !view.keyStorage.obfuscationAccepted && !connection.allowObfuscatedKey) {
          return refused('consent_required', 'This system has no keychain (no Secret Service or KWallet), so Burnrate can only obfuscate API keys on disk. Store keys anyway?');
        }
        if (typed !== null) keys.set(`${workspace.id}/${id}`, typed);
        if (connection.allowObfuscatedKey) view = { ...view, keyStorage: { ...view.keyStorage, obfuscationAccepted: true } };
        const key = connection.apiKeyEnv !== null ? { source: 'environment' as const, variable: String(connection.apiKeyEnv), set: false } : { source: 'keychain' as const, masked: mask(keys.get(`${workspace.id}/${id}`)!) };
        const stored = { id, provider: String(connection.provider), name: (connection.name as string | null) ?? null, settings, key };
        const connections = workspace.connections.some((c) => c.id === id) ? workspace.connections.map((c) => (c.id === id ? stored : c)) : [...workspace.connections, stored];
        view = { ...view, demo: false, workspaces: view.workspaces.map((w) => (w.id === workspace.id ? { ...w, connections } : w)) };
        const answer = saved(connection.id ? 'Connection saved.' : 'Connection added.');
        configured();
        return answer;
      },
      async removeConnection(workspaceId: string, connectionId: string) {
        record('removeConnection', workspaceId, connectionId);
        keys.delete(`${workspaceId}/${connectionId}`);
        view = { ...view, workspaces: view.workspaces.map((w) => (w.id === workspaceId ? { ...w, connections: w.connections.filter((c) => c.id !== connectionId) } : w)) };
        return saved('Connection removed.');
      },
      async testConnection(connection: Any) {
        record('testConnection', connection);
        if (opts.holdTest) await new Promise<void>((done) => (finishTest = done));
        const key = (connection.apiKey as string | null) ?? keys.get(`${String(connection.workspaceId)}/${String(connection.id)}`);
        if (!key) return ok({ ok: false as const, kind: 'config', message: 'Type the API key first.', problems: [{ field: 'apiKey', message: 'Type the API key first.' }] });
        if (key !== opts.goodKey) {
          const message = 'Baseten rejected the API key (401 Unauthorized).';
          return ok({ ok: false as const, kind: 'auth', message, problems: [{ field: 'apiKey', message }] });
        }
        return ok({ ok: true as const, spentUsd: 184.5, message: 'Connected: Baseten answered. $184.50 in the last 24 hours.' });
      },
      async savePreferences(preferences: Any) {
        record('savePreferences', preferences);
        const p = view.preferences;
        const n = (preferences.notifications ?? {}) as Any;
        view = {
          ...view,
          preferences: {
            ...p,
            ...(preferences.refreshIntervalSeconds === undefined ? {} : { refreshIntervalSeconds: preferences.refreshIntervalSeconds as number }),
            ...(preferences.trayTitleFormat === undefined ? {} : { trayTitleFormat: preferences.trayTitleFormat as SettingsView['preferences']['trayTitleFormat'] }),
            ...(preferences.launchAtLogin === undefined ? {} : { launchAtLogin: preferences.launchAtLogin as boolean }),
            notifications: {
              ...p.notifications,
              rules: { ...p.notifications.rules, ...((n.rules as object | undefined) ?? {}) },
              quietHours: (n.quietHours as SettingsView['preferences']['notifications']['quietHours'] | undefined) ?? p.notifications.quietHours,
            },
          },
        };
        return saved();
      },
      async pauseNotifications(pause: string) {
        record('pauseNotifications', pause);
        const until = pause === 'off' ? null : new Date(Date.parse(opts.liveSnapshot.status.generatedAt) + (pause === 'hour' ? 3_600_000 : 10 * 3_600_000)).toISOString();
        view = { ...view, preferences: { ...view.preferences, notifications: { ...view.preferences.notifications, pausedUntil: until } } };
        return saved();
      },
      async chooseDemo(demo: boolean) {
        record('chooseDemo', demo);
        view = { ...view, demo };
        setup = { mode: demo ? 'demo' : view.workspaces.length > 0 ? 'configured' : 'unconfigured', problems: [] };
        const answer = saved();
        push();
        return answer;
      },
      async importConfig(file: string, allowObfuscatedKeys: boolean) {
        record('importConfig', file, allowObfuscatedKeys);
        if (file.endsWith('broken.json')) {
          return refused('invalid', `${file}: workspaces[0].budget.amountUsd: must be a positive amount in USD`, [{ field: 'workspaces[0].budget.amountUsd', message: 'must be a positive amount in USD' }]);
        }
        return refused('io', `${file} does not exist.`, [{ field: '(file)', message: `${file} does not exist.` }]);
      },
      async exportConfig(file: string, overwrite: boolean) {
        record('exportConfig', file, overwrite);
        if (!overwrite) return ok({ ok: false as const, reason: 'exists' as const, message: `${file} already exists. Export again to replace it.` });
        return ok({ ok: true as const, file });
      },
      async openFolder(folder: string) {
        record('openFolder', folder);
        return ok(null);
      },
    };
    Object.defineProperty(window, 'burnrate', { value: Object.freeze(api), writable: false, configurable: false });
  }, options);
}
