/**
 * The popover: a hidden, frameless BrowserWindow shown under the tray icon. Sandboxed, with
 * context isolation and no Node integration; it loads only our renderer.
 */
import { join } from 'node:path';
import { BrowserWindow, nativeTheme, screen, type Rectangle } from 'electron';
import { popoverPosition } from '../core/popoverPosition';

/** Popover size in DIPs. */
export const POPOVER_SIZE = { width: 380, height: 560 } as const;

/** Creates the hidden popover window. `rendererUrl` is set in development (electron-vite dev server). */
export function createPopover(options: { preloadPath: string; rendererDir: string; rendererUrl?: string }): BrowserWindow {
  const window = new BrowserWindow({
    ...POPOVER_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    transparent: false,
    // The renderer's page colour for the system theme, so the window never flashes the other one.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1317' : '#f4f6f8',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (Electron security checklist).
      disableBlinkFeatures: 'Auxclick',
      devTools: !!options.rendererUrl,
    },
  });
  // Hide when focus leaves, like a native menu-bar popover.
  window.on('blur', () => {
    if (!window.webContents.isDevToolsOpened()) window.hide();
  });
  if (options.rendererUrl) void window.loadURL(options.rendererUrl);
  else void window.loadFile(join(options.rendererDir, 'index.html'));
  return window;
}

/** Shows the popover under the tray icon (or hides it when visible). */
export function togglePopover(window: BrowserWindow, trayBounds: Rectangle): void {
  if (window.isVisible()) {
    window.hide();
    return;
  }
  showPopover(window, trayBounds);
}

/** Positions the popover next to the tray icon on the icon's display and shows it. */
export function showPopover(window: BrowserWindow, trayBounds: Rectangle): void {
  const anchor = { x: Math.round(trayBounds.x + trayBounds.width / 2), y: Math.round(trayBounds.y + trayBounds.height / 2) };
  const display = screen.getDisplayNearestPoint(anchor);
  const { x, y } = popoverPosition(trayBounds, POPOVER_SIZE, display.workArea);
  window.setPosition(x, y, false);
  window.show();
  window.focus();
}

/** Preload path relative to the built main bundle (CJS: sandboxed windows cannot load ESM preloads). */
export function defaultPreloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}
