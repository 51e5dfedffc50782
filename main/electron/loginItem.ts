/**
 * Launch at login: Electron's login item on macOS and Windows, a freedesktop autostart entry on
 * Linux (Electron's setLoginItemSettings does nothing there).
 */
import { app } from 'electron';
import { setAutostart } from '../services/autostart';

/** Turns launch at login on or off. A failure is logged to the console, never thrown. */
export function applyLaunchAtLogin(enabled: boolean): void {
  try {
    if (process.platform === 'linux') {
      // An AppImage must start through its own file (APPIMAGE), not the mounted, temporary copy.
      const command = process.env.APPIMAGE ? [process.env.APPIMAGE] : app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
      setAutostart(enabled, command);
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled });
    }
  } catch (error) {
    console.error(`Could not ${enabled ? 'turn on' : 'turn off'} launch at login: ${(error as Error).message}`);
  }
}
