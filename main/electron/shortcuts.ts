/**
 * Global shortcuts: one toggles the popover, one per workspace jumps to it (1…9). The OS may
 * refuse one (another app holds it): that is said in words, not swallowed.
 */
import { globalShortcut } from 'electron';

/** The shortcuts of the tray app. */
export interface ShortcutSettings {
  /** Toggles the popover; null = none. */
  readonly togglePopover: string | null;
  /** Modifiers of "jump to workspace N" (N = 1…9 is appended); null = none. */
  readonly workspacePrefix: string | null;
}

/** Defaults: ⌘⌥B / Ctrl+Alt+B toggles, ⌘⌥1…9 / Ctrl+Alt+1…9 jump. */
export const DEFAULT_SHORTCUTS: ShortcutSettings = { togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' };

/** What the shortcuts do. */
export interface ShortcutActions {
  readonly togglePopover: () => void;
  /** Workspace N (0-based index). */
  readonly jumpToWorkspace: (index: number) => void;
}

/** Accelerator of workspace `index` (0-based; only the first nine have one). */
export function workspaceAccelerator(settings: ShortcutSettings, index: number): string | undefined {
  return settings.workspacePrefix && index < 9 ? `${settings.workspacePrefix}+${index + 1}` : undefined;
}

/** A shortcut the OS refused, in words. */
export function refusedMessage(accelerator: string, platform: NodeJS.Platform): string {
  const shown = accelerator.replace('CommandOrControl', platform === 'darwin' ? 'Cmd' : 'Ctrl').replace('Alt', platform === 'darwin' ? 'Option' : 'Alt');
  return `The shortcut ${shown} is taken by another app or the system. Choose another one in Settings.`;
}

/**
 * Registers the shortcuts (replacing earlier ones); returns a message per refused one.
 * `globalShortcut.register` answers false when another application holds the accelerator, and
 * throws for one it cannot parse.
 */
export function registerShortcuts(settings: ShortcutSettings, actions: ShortcutActions): string[] {
  globalShortcut.unregisterAll();
  const bindings: Array<[string, () => void]> = [];
  if (settings.togglePopover) bindings.push([settings.togglePopover, actions.togglePopover]);
  for (let index = 0; index < 9; index += 1) {
    const accelerator = workspaceAccelerator(settings, index);
    if (accelerator) bindings.push([accelerator, () => actions.jumpToWorkspace(index)]);
  }
  const refused: string[] = [];
  for (const [accelerator, action] of bindings) {
    let ok: boolean;
    try {
      ok = globalShortcut.register(accelerator, action);
    } catch (error) {
      refused.push(`The shortcut ${accelerator} is not valid: ${(error as Error).message}`);
      continue;
    }
    if (!ok) refused.push(refusedMessage(accelerator, process.platform));
  }
  return refused;
}
