/**
 * The desktop shell: single-instance lock, hardening, tray, popover, validated IPC, power events.
 * Everything it shows comes from a SpendService built in plain Node (main/services).
 */
import { app, session, type BrowserWindow, type Tray } from 'electron';
import { PUSH_CHANNELS, type AppSnapshot } from '../../preload/api';
import { trayText } from '../core/trayText';
import type { SpendService } from '../services/ports';
import type { DesktopParts } from './desktopService';
import { registerIpc, registerSettingsIpc } from './ipc';
import { applyLaunchAtLogin } from './loginItem';
import { resolveResourcesDir } from './resources';
import { createPopover, defaultPreloadPath, showPopover, togglePopover } from './popover';
import { watchPower } from './power';
import { enforceContentSecurityPolicy, hardenWebContents } from './security';
import { createTray, setTrayMenu, setTrayText, trayIcon, type TrayActions } from './tray';

/** Paths and the service factory the shell needs. */
export interface DesktopOptions {
  /** Folder of the built main bundle (for the preload and renderer paths). */
  readonly mainDir: string;
  /** Folder with tray icons. */
  readonly resourcesDir: string;
  /** electron-vite dev server URL, when running `electron-vite dev`. */
  readonly rendererUrl?: string;
  /** Builds the engine and the settings once Electron is ready (they need safeStorage and userData). */
  readonly createService: () => Promise<DesktopParts>;
}

/** Starts the tray app. Quits at once when another instance already runs (and focuses that one). */
export function runDesktopApp(options: DesktopOptions): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A tray app has no dock icon and keeps running with no window open.
  app.on('window-all-closed', () => undefined);

  let popover: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let service: SpendService | undefined;
  let stopPower: (() => void) | undefined;

  app.on('second-instance', () => {
    if (popover && tray) showPopover(popover, tray.getBounds());
  });

  app.on('before-quit', () => {
    stopPower?.();
    void service?.stop();
  });

  void app.whenReady().then(async () => {
    if (process.platform === 'darwin') app.dock?.hide();
    hardenWebContents(app, session.defaultSession);
    enforceContentSecurityPolicy(session.defaultSession);

    const parts = await options.createService();
    service = parts.service;
    const running = service;
    popover = createPopover({
      preloadPath: defaultPreloadPath(options.mainDir),
      rendererDir: `${options.mainDir}/../renderer`,
      ...(options.rendererUrl ? { rendererUrl: options.rendererUrl } : {}),
    });
    const window = popover;
    window.on('show', () => running.setActivity({ popoverOpen: true }));
    window.on('hide', () => running.setActivity({ popoverOpen: false }));
    registerIpc(running, () => (window.isDestroyed() ? undefined : window.webContents), { hidePopover: () => window.hide() });
    registerSettingsIpc(parts.settings, parts.openFolder, () => (window.isDestroyed() ? undefined : window.webContents));
    let launchAtLogin: boolean | undefined;
    const applyLogin = () => {
      const wanted = parts.settings.preferences.launchAtLogin;
      if (wanted === launchAtLogin) return;
      launchAtLogin = wanted;
      applyLaunchAtLogin(wanted);
    };
    parts.settings.onChange(applyLogin);
    applyLogin();

    const actions: TrayActions = {
      open: () => tray && showPopover(window, tray.getBounds()),
      refresh: () => void running.refreshNow(),
      quit: () => app.quit(),
      toggle: (bounds) => togglePopover(window, bounds),
      selectWorkspace: (workspaceId) => running.selectWorkspace(workspaceId),
    };
    tray = createTray(trayIcon(resolveResourcesDir(options.resourcesDir)), actions);
    const activeTray = tray;
    let menuKey = '';
    const render = (snapshot: AppSnapshot) => {
      const text = trayText(snapshot);
      setTrayText(activeTray, text.title, text.tooltip);
      const workspaces = snapshot.status.workspaces.map((w) => ({ id: w.id, name: w.name }));
      const key = JSON.stringify([workspaces, snapshot.selectedWorkspaceId]);
      if (key !== menuKey) {
        menuKey = key;
        setTrayMenu(activeTray, workspaces, snapshot.selectedWorkspaceId, actions);
      }
      if (!window.isDestroyed()) window.webContents.send(PUSH_CHANNELS.snapshotChanged, snapshot);
    };
    running.onSnapshot(render);
    render(running.snapshot());
    stopPower = watchPower((patch) => running.setActivity(patch));
  });
}
