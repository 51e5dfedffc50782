/**
 * The desktop shell: single-instance lock, hardening, tray, popover, validated IPC, global
 * shortcuts, notification clicks, power events, and a quit that waits for the final save.
 * Everything it shows comes from a SpendService built in plain Node (main/services).
 */
import { app, session, shell, type BrowserWindow, type Tray } from 'electron';
import { PUSH_CHANNELS, type AppSnapshot, type PopoverView } from '../../preload/api';
import { trayIconState, trayText, type TrayIconState } from '../core/trayText';
import type { NotificationMessage, SpendService } from '../services/ports';
import { longRunningHeap } from '../services/heapMode';
import { installSystemZones } from '../services/systemZones';
import type { DesktopParts } from './desktopService';
import { registerIpc, registerSettingsIpc } from './ipc';
import { applyLaunchAtLogin } from './loginItem';
import { APP_USER_MODEL_ID, resolveResourcesDir } from './resources';
import { createPopover, defaultPreloadPath, showPopover, togglePopover } from './popover';
import { watchPower } from './power';
import { enforceContentSecurityPolicy, hardenWebContents } from './security';
import { DEFAULT_SHORTCUTS, registerShortcuts, workspaceAccelerator, type ShortcutSettings } from './shortcuts';
import { createTray, setTrayMenu, setTrayText, trayIcon, type TrayActions, type TrayMenuModel } from './tray';

/** Paths and the service factory the shell needs. */
export interface DesktopOptions {
  /** Folder of the built main bundle (for the preload and renderer paths). */
  readonly mainDir: string;
  /** Folder with tray icons. */
  readonly resourcesDir: string;
  /** electron-vite dev server URL (`electron-vite dev`); ignored in packaged builds. */
  readonly rendererUrl?: string;
  /** Builds the engine and the settings once Electron is ready (they need safeStorage and userData). */
  readonly createService: (hooks: ShellHooks) => Promise<DesktopParts>;
}

/** What the service layer calls back into the shell for. */
export interface ShellHooks {
  /** The person clicked a notification. */
  readonly onNotificationClick: (message: NotificationMessage) => void;
}

/** How long Quit waits for the final save before it gives up and quits anyway. */
export const QUIT_SAVE_TIMEOUT_MS = 3_000;

/**
 * The dev server URL only counts in unpackaged builds: a packaged app loads its own files, so an
 * environment variable can never point the popover (and its preload API) at another page.
 */
export function allowedRendererUrl(url: string | undefined, isPackaged: boolean): string | undefined {
  return url && !isPackaged ? url : undefined;
}

/** True for the loopback dashboard's URL (http://127.0.0.1:PORT/…), the only URL the app hands to the browser. */
export function isLoopbackDashboardUrl(url: string): boolean {
  return /^http:\/\/127\.0\.0\.1:\d{1,5}\//.test(url);
}

/** Starts the tray app. Quits at once when another instance already runs (and opens that one's popover). */
export function runDesktopApp(options: DesktopOptions): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A tray app has no dock icon and keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  // A long-running engine: a small, tightly grown heap (main/services/heapMode.ts).
  longRunningHeap();
  // Time zones from the system's tz database, not ICU (main/services/systemZones.ts).
  installSystemZones();

  let service: SpendService | undefined;
  let stopPower: (() => void) | undefined;
  let stopDashboard: (() => Promise<void>) | undefined;
  let openPopover: ((view?: PopoverView) => void) | undefined;
  let pendingClick: NotificationMessage | undefined;
  let onNotificationClick: ((message: NotificationMessage) => void) | undefined;

  app.on('second-instance', () => openPopover?.());

  // Quit waits for the final save (snapshots, alert state, outbox), at most QUIT_SAVE_TIMEOUT_MS.
  let quitPhase: 'running' | 'saving' | 'saved' = 'running';
  app.on('before-quit', (event) => {
    if (quitPhase === 'saved') return;
    event.preventDefault();
    if (quitPhase === 'saving') return;
    quitPhase = 'saving';
    stopPower?.();
    const save = Promise.all([service?.stop(), stopDashboard?.()]).then(
      () => 'saved' as const,
      (error: unknown) => {
        console.error(`Burnrate: the final save failed: ${(error as Error).message}`);
        return 'failed' as const;
      },
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), QUIT_SAVE_TIMEOUT_MS);
    });
    void Promise.race([save, timeout]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === 'timeout') console.error(`Burnrate: the final save took longer than ${QUIT_SAVE_TIMEOUT_MS} ms; quitting anyway.`);
      quitPhase = 'saved';
      app.quit();
    });
  });

  const hooks: ShellHooks = {
    // A click can arrive before the window exists (a notification from the last session's outbox).
    onNotificationClick: (message) => {
      if (onNotificationClick) onNotificationClick(message);
      else pendingClick = message;
    },
  };

  void app.whenReady().then(async () => {
    if (process.platform === 'darwin') app.dock?.hide();
    // Windows shows toasts under this id (the installer's appId), so they say "Burnrate".
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    hardenWebContents(app, session.defaultSession);
    enforceContentSecurityPolicy(session.defaultSession);

    const parts = await options.createService(hooks);
    service = parts.service;
    const running = service;
    const rendererUrl = allowedRendererUrl(options.rendererUrl, app.isPackaged);
    if (options.rendererUrl && !rendererUrl) console.error('Burnrate: ELECTRON_RENDERER_URL is ignored in a packaged build.');
    const window: BrowserWindow = createPopover({
      preloadPath: defaultPreloadPath(options.mainDir),
      rendererDir: `${options.mainDir}/../renderer`,
      ...(rendererUrl ? { rendererUrl } : {}),
    });
    window.on('show', () => running.setActivity({ popoverOpen: true }));
    window.on('hide', () => running.setActivity({ popoverOpen: false }));
    const trusted = () => (window.isDestroyed() ? undefined : window.webContents);
    // The popover reads snapshots with the shell's notices (a refused shortcut) added.
    let notices: string[] = [];
    const withNotices = (snapshot: AppSnapshot): AppSnapshot => (notices.length ? { ...snapshot, notices } : snapshot);
    const popoverService: SpendService = {
      snapshot: () => withNotices(running.snapshot()),
      refreshNow: () => running.refreshNow(),
      selectWorkspace: (workspaceId) => running.selectWorkspace(workspaceId),
      setActivity: (patch) => running.setActivity(patch),
      onSnapshot: (listener) => running.onSnapshot((snapshot) => listener(withNotices(snapshot))),
      stop: () => running.stop(),
    };
    registerIpc(popoverService, trusted, { hidePopover: () => window.hide() });
    registerSettingsIpc(parts.settings, parts.openFolder, trusted);
    let launchAtLogin: boolean | undefined;
    const applyLogin = () => {
      const wanted = parts.settings.preferences.launchAtLogin;
      if (wanted === launchAtLogin) return;
      launchAtLogin = wanted;
      applyLaunchAtLogin(wanted);
    };
    parts.settings.onChange(applyLogin);
    applyLogin();

    const resourcesDir = resolveResourcesDir(options.resourcesDir);
    // The tray is created after the actions that use it.
    const held: { tray?: Tray } = {};
    const show = (view: PopoverView = 'glance') => {
      const tray = held.tray;
      if (!tray || window.isDestroyed()) return;
      if (!window.isVisible()) showPopover(window, tray.getBounds());
      else window.focus();
      window.webContents.send(PUSH_CHANNELS.showView, view);
    };
    openPopover = show;
    // Switching only changes what is shown: every workspace keeps polling, nothing is refetched.
    const selectAndShow = (workspaceId: string | null) => {
      try {
        running.selectWorkspace(workspaceId);
      } catch (error) {
        console.error(`Burnrate: ${(error as Error).message}`);
        return;
      }
      show('glance');
    };
    onNotificationClick = (message) => selectAndShow(message.workspaceId ?? null);

    const actions: TrayActions = {
      open: () => show('glance'),
      refresh: () => void running.refreshNow(),
      quit: () => app.quit(),
      toggle: (bounds) => togglePopover(window, bounds),
      selectWorkspace: (workspaceId) => running.selectWorkspace(workspaceId),
      pause: (pause) => void parts.settings.pauseNotifications(pause).then(() => render(running.snapshot())),
      settings: () => show('settings'),
      openDashboard: () =>
        void parts.openDashboard().then(
          // Only ever our own loopback server (electronegativity OPEN_EXTERNAL_JS_CHECK, docs/security.md).
          (url) => (isLoopbackDashboardUrl(url) ? shell.openExternal(url) : Promise.reject(new Error(`refusing to open ${new URL(url).origin}`))),
          (error: unknown) => console.error(`Burnrate: the dashboard could not be started: ${(error as Error).message}`),
        ),
      about: () => {
        app.setAboutPanelOptions({ applicationName: 'Burnrate', applicationVersion: app.getVersion(), copyright: 'Copyright © 2026 Burnrate', website: 'https://github.com/burnrate/burnrate' });
        app.showAboutPanel();
      },
    };
    stopDashboard = () => parts.closeDashboard();

    let iconState: TrayIconState = 'normal';
    const activeTray = createTray(trayIcon(resourcesDir, iconState), actions);
    held.tray = activeTray;

    const workspaceIds = () => running.snapshot().status.workspaces.map((w) => w.id);
    // Registered again whenever the person changes them in Settings.
    let shortcuts: ShortcutSettings = DEFAULT_SHORTCUTS;
    let shortcutsKey = '';
    const applyShortcuts = () => {
      const wanted = parts.settings.preferences.shortcuts ?? DEFAULT_SHORTCUTS;
      const key = JSON.stringify(wanted);
      if (key === shortcutsKey) return;
      shortcutsKey = key;
      shortcuts = wanted;
      notices = registerShortcuts(shortcuts, {
        togglePopover: () => togglePopover(window, activeTray.getBounds()),
        jumpToWorkspace: (index) => {
          const id = workspaceIds()[index];
          if (id !== undefined) selectAndShow(id);
        },
      });
      for (const notice of notices) console.error(`Burnrate: ${notice}`);
    };
    applyShortcuts();

    let menuKey = '';
    const render = (snapshot: AppSnapshot) => {
      const full = withNotices(snapshot);
      const text = trayText(full, parts.settings.preferences.trayTitleFormat);
      setTrayText(activeTray, text.title, text.tooltip);
      const state = trayIconState(full);
      if (state !== iconState) {
        iconState = state;
        activeTray.setImage(trayIcon(resourcesDir, state));
      }
      const pausedUntilMs = parts.settings.preferences.notifications.pausedUntil ? Date.parse(parts.settings.preferences.notifications.pausedUntil) : Number.NaN;
      const model: TrayMenuModel = {
        workspaces: full.status.workspaces.map((w) => ({ id: w.id, name: w.name, spentUsd: w.spentUsd })),
        allSpentUsd: full.status.all?.spentUsd ?? full.status.workspaces.reduce((total, w) => total + w.spentUsd, 0),
        selectedId: full.selectedWorkspaceId,
        pausedUntil: pausedUntilMs > Date.now() ? new Date(pausedUntilMs).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }) : null,
        version: app.getVersion(),
        notices,
        workspaceAccelerator: (index) => workspaceAccelerator(shortcuts, index),
      };
      const key = JSON.stringify(model);
      if (key !== menuKey) {
        menuKey = key;
        setTrayMenu(activeTray, model, actions);
      }
      if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNELS.snapshotChanged, full);
    };
    running.onSnapshot(render);
    parts.settings.onChange(() => {
      applyShortcuts();
      render(running.snapshot());
    });
    render(running.snapshot());
    stopPower = watchPower(
      (patch) => running.setActivity(patch),
      // After sleep the numbers are old and timers ran late: refresh at once.
      () => void running.refreshNow(),
    );
    if (pendingClick) {
      const click = pendingClick;
      pendingClick = undefined;
      onNotificationClick(click);
    }
  });
}
