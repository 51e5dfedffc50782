/**
 * The tray icon: title with live spend and pace, a context menu (Open, Refresh now, Quit) and a
 * click that toggles the popover.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';

/** Tray icon for the platform: a template image on macOS (adapts to light/dark menu bars). */
export function trayIcon(resourcesDir: string): NativeImage {
  if (process.platform === 'darwin') {
    const image = nativeImage.createFromPath(join(resourcesDir, 'trayTemplate.png'));
    image.setTemplateImage(true);
    return image;
  }
  return nativeImage.createFromPath(join(resourcesDir, process.platform === 'win32' ? 'tray-16.png' : 'tray-32.png'));
}

export interface TrayActions {
  readonly open: () => void;
  readonly refresh: () => void;
  readonly quit: () => void;
  readonly toggle: (bounds: Electron.Rectangle) => void;
  readonly selectWorkspace: (workspaceId: string | null) => void;
}

/** Creates the tray; the menu is set by {@link setTrayMenu}. */
export function createTray(icon: NativeImage, actions: TrayActions): Tray {
  const tray = new Tray(icon);
  tray.setToolTip('Burnrate');
  setTrayMenu(tray, [], null, actions);
  tray.on('click', (_event, bounds) => actions.toggle(bounds));
  return tray;
}

/** Context menu: Open, Refresh now, one radio item per workspace (one-click switching), Quit. */
export function setTrayMenu(
  tray: Tray,
  workspaces: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  selectedId: string | null,
  actions: TrayActions,
): void {
  const workspaceItems: Electron.MenuItemConstructorOptions[] =
    workspaces.length > 1
      ? [
          { type: 'separator' },
          { label: 'All workspaces', type: 'radio', checked: selectedId === null, click: () => actions.selectWorkspace(null) },
          ...workspaces.map((w, index) => ({
            label: w.name,
            type: 'radio' as const,
            checked: w.id === selectedId,
            ...(index < 9 ? { accelerator: `CmdOrCtrl+${index + 1}` } : {}),
            click: () => actions.selectWorkspace(w.id),
          })),
        ]
      : [];
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Burnrate', click: actions.open },
      { label: 'Refresh now', click: actions.refresh },
      ...workspaceItems,
      { type: 'separator' },
      { label: 'Quit Burnrate', click: actions.quit },
    ]),
  );
}

/** Shows title text beside the icon (macOS menu bar; Linux shows it in the tooltip instead). */
export function setTrayText(tray: Tray, title: string, tooltip: string): void {
  if (process.platform === 'darwin') tray.setTitle(title, { fontType: 'monospacedDigit' });
  tray.setToolTip(tooltip);
}
