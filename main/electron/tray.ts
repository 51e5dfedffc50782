/**
 * The tray: icon per state (normal, warning, over budget, stale/error; template images on macOS),
 * title in the chosen format (macOS shows it beside the icon; elsewhere the tooltip says it), a
 * click that toggles the popover, and the menu: workspaces as radio items with their spend,
 * "All workspaces", Refresh now, Pause notifications, Settings…, Open dashboard in browser,
 * About Burnrate (version), Quit.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { formatUsdShort } from '../core/money';
import type { TrayIconState } from '../core/trayText';

/** Icon file for a state on a platform (see build/make-icons.py). */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return state === 'normal' ? 'trayTemplate.png' : `tray${state[0]!.toUpperCase()}${state.slice(1)}Template.png`;
  const size = platform === 'win32' ? 16 : 32;
  return state === 'normal' ? `tray-${size}.png` : `tray-${state}-${size}.png`;
}

/** Tray icon for the state: a template image on macOS (adapts to light and dark menu bars). */
export function trayIcon(resourcesDir: string, state: TrayIconState = 'normal'): NativeImage {
  const image = nativeImage.createFromPath(join(resourcesDir, trayIconFile(state, process.platform)));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

/** What the menu shows. */
export interface TrayMenuModel {
  readonly workspaces: ReadonlyArray<{ readonly id: string; readonly name: string; readonly spentUsd: number }>;
  /** Spend of all workspaces together. */
  readonly allSpentUsd: number;
  readonly selectedId: string | null;
  /** Notifications are paused until this time (already formatted for people), or null. */
  readonly pausedUntil: string | null;
  readonly version: string;
  /** Problems to say at the top of the menu (a refused shortcut). */
  readonly notices: readonly string[];
  /** Accelerator shown beside workspace N (the global shortcut), e.g. "CommandOrControl+Alt+1". */
  readonly workspaceAccelerator: (index: number) => string | undefined;
}

/** What the menu items do. */
export interface TrayActions {
  readonly open: () => void;
  readonly refresh: () => void;
  readonly quit: () => void;
  readonly toggle: (bounds: Electron.Rectangle) => void;
  readonly selectWorkspace: (workspaceId: string | null) => void;
  readonly pause: (pause: 'hour' | 'tomorrow' | 'off') => void;
  readonly settings: () => void;
  readonly openDashboard: () => void;
  readonly about: () => void;
}

/**
 * The menu template (plain data: tested without Electron).
 * Workspace items read "Research — $8,940"; the selected one (or "All workspaces") is checked.
 */
export function trayMenuTemplate(model: TrayMenuModel, actions: TrayActions): MenuItemConstructorOptions[] {
  const notices: MenuItemConstructorOptions[] = model.notices.length
    ? [...model.notices.map((notice) => ({ label: `⚠ ${notice}`, enabled: false })), { type: 'separator' as const }]
    : [];
  const workspaces: MenuItemConstructorOptions[] = model.workspaces.length
    ? [
        {
          label: `All workspaces — ${formatUsdShort(model.allSpentUsd)}`,
          type: 'radio',
          checked: model.selectedId === null,
          click: () => actions.selectWorkspace(null),
        },
        ...model.workspaces.map((w, index): MenuItemConstructorOptions => {
          const accelerator = model.workspaceAccelerator(index);
          return {
            label: `${w.name} — ${formatUsdShort(w.spentUsd)}`,
            type: 'radio',
            checked: w.id === model.selectedId,
            ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
            click: () => actions.selectWorkspace(w.id),
          };
        }),
        { type: 'separator' },
      ]
    : [];
  const pause: MenuItemConstructorOptions = {
    label: model.pausedUntil ? 'Notifications paused' : 'Pause notifications',
    submenu: [
      ...(model.pausedUntil ? [{ label: `Paused until ${model.pausedUntil}`, enabled: false }, { type: 'separator' as const }] : []),
      { label: 'For 1 hour', click: () => actions.pause('hour') },
      { label: 'Until tomorrow', click: () => actions.pause('tomorrow') },
      { label: 'Resume notifications', enabled: model.pausedUntil !== null, click: () => actions.pause('off') },
    ],
  };
  return [
    ...notices,
    { label: 'Open Burnrate', click: actions.open },
    { type: 'separator' },
    ...workspaces,
    { label: 'Refresh now', click: actions.refresh },
    pause,
    { label: 'Settings…', click: actions.settings },
    { label: 'Open dashboard in browser', click: actions.openDashboard },
    { type: 'separator' },
    { label: `About Burnrate ${model.version}`, click: actions.about },
    { label: 'Quit Burnrate', click: actions.quit },
  ];
}

/** Creates the tray; a click toggles the popover. The menu is set by {@link setTrayMenu}. */
export function createTray(icon: NativeImage, actions: TrayActions): Tray {
  const tray = new Tray(icon);
  tray.setToolTip('Burnrate');
  tray.on('click', (_event, bounds) => actions.toggle(bounds));
  return tray;
}

/** Builds and sets the context menu. */
export function setTrayMenu(tray: Tray, model: TrayMenuModel, actions: TrayActions): void {
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(model, actions)));
}

/** Shows title text beside the icon (macOS menu bar; elsewhere the tooltip carries it). */
export function setTrayText(tray: Tray, title: string, tooltip: string): void {
  if (process.platform === 'darwin') tray.setTitle(title, { fontType: 'monospacedDigit' });
  tray.setToolTip(tooltip);
}
