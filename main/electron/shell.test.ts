/**
 * The shell's decisions that need no window: menu template, icon files, accelerators, which
 * renderer URL and which browser URL are allowed. Electron cannot start here, so the module is
 * replaced by an empty one (only main/electron tests may mock electron); the whole app runs in
 * the desktop harness (test/desktop).
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { allowedRendererUrl, isLoopbackDashboardUrl } = await import('./app');
const { trayIconFile, trayMenuTemplate } = await import('./tray');
const { DEFAULT_SHORTCUTS, refusedMessage, workspaceAccelerator } = await import('./shortcuts');

const calls: string[] = [];
const actions = {
  open: () => calls.push('open'),
  refresh: () => calls.push('refresh'),
  quit: () => calls.push('quit'),
  toggle: () => calls.push('toggle'),
  selectWorkspace: (id: string | null) => calls.push(`select:${id}`),
  pause: (pause: string) => calls.push(`pause:${pause}`),
  settings: () => calls.push('settings'),
  openDashboard: () => calls.push('dashboard'),
  about: () => calls.push('about'),
};

describe('trayMenuTemplate', () => {
  it('lists workspaces with their spend as radio items, then the actions, About with the version and Quit', () => {
    const template = trayMenuTemplate(
      {
        workspaces: [
          { id: 'research', name: 'Research', spentUsd: 8939.61 },
          { id: 'prod', name: 'Prod', spentUsd: 12.5 },
        ],
        allSpentUsd: 8952.11,
        selectedId: 'prod',
        pausedUntil: null,
        version: '1.2.3',
        notices: [],
        workspaceAccelerator: (index) => workspaceAccelerator(DEFAULT_SHORTCUTS, index),
      },
      actions,
    );
    expect(template.map((item) => item.label ?? `(${item.type})`)).toEqual([
      'Open Burnrate',
      '(separator)',
      'All workspaces — $8,952',
      'Research — $8,940',
      'Prod — $12.50',
      '(separator)',
      'Refresh now',
      'Pause notifications',
      'Settings…',
      'Open dashboard in browser',
      '(separator)',
      'About Burnrate 1.2.3',
      'Quit Burnrate',
    ]);
    expect(template.filter((item) => item.type === 'radio').map((item) => item.checked)).toEqual([false, false, true]);
    expect(template[3]).toMatchObject({ accelerator: 'CommandOrControl+Alt+1', registerAccelerator: false });
    template[2]!.click?.({} as never, undefined, {} as never);
    template[3]!.click?.({} as never, undefined, {} as never);
    expect(calls.splice(0)).toEqual(['select:null', 'select:research']);
  });

  it('says a pause and notices, and offers Resume only while paused', () => {
    const model = { workspaces: [], allSpentUsd: 0, selectedId: null, version: '1', workspaceAccelerator: () => undefined };
    const paused = trayMenuTemplate({ ...model, pausedUntil: 'Thu 15:00', notices: ['The shortcut Ctrl+Alt+B is taken.'] }, actions);
    expect(paused[0]).toMatchObject({ label: '⚠ The shortcut Ctrl+Alt+B is taken.', enabled: false });
    const pause = paused.find((item) => item.label === 'Notifications paused');
    const submenu = pause?.submenu as Electron.MenuItemConstructorOptions[];
    expect(submenu.map((item) => item.label ?? '-')).toEqual(['Paused until Thu 15:00', '-', 'For 1 hour', 'Until tomorrow', 'Resume notifications']);
    expect(submenu[4]?.enabled).toBe(true);
    const running = trayMenuTemplate({ ...model, pausedUntil: null, notices: [] }, actions);
    const resume = (running.find((item) => item.label === 'Pause notifications')?.submenu as Electron.MenuItemConstructorOptions[]).at(-1);
    expect(resume).toMatchObject({ label: 'Resume notifications', enabled: false });
  });
});

describe('tray icons and shortcuts', () => {
  it('picks a template image per state on macOS and coloured sizes elsewhere', () => {
    expect(['normal', 'warning', 'over', 'stale'].map((s) => trayIconFile(s as 'normal', 'darwin'))).toEqual([
      'trayTemplate.png',
      'trayWarningTemplate.png',
      'trayOverTemplate.png',
      'trayStaleTemplate.png',
    ]);
    expect(trayIconFile('over', 'win32')).toBe('tray-over-16.png');
    expect(trayIconFile('normal', 'linux')).toBe('tray-32.png');
  });

  it('gives the first nine workspaces an accelerator and names a refused one for people', () => {
    expect([0, 8, 9].map((i) => workspaceAccelerator(DEFAULT_SHORTCUTS, i))).toEqual(['CommandOrControl+Alt+1', 'CommandOrControl+Alt+9', undefined]);
    expect(refusedMessage('CommandOrControl+Alt+B', 'linux')).toBe('The shortcut Ctrl+Alt+B is taken by another app or the system. Choose another one in Settings.');
  });
});

describe('URLs', () => {
  it('honours the dev renderer URL only in unpackaged builds', () => {
    expect(allowedRendererUrl('http://localhost:5173', false)).toBe('http://localhost:5173');
    expect(allowedRendererUrl('http://localhost:5173', true)).toBeUndefined();
    expect(allowedRendererUrl(undefined, false)).toBeUndefined();
  });

  it('opens only the loopback dashboard in the browser', () => {
    expect(isLoopbackDashboardUrl('http://127.0.0.1:41234/?token=abc')).toBe(true);
    for (const url of ['https://127.0.0.1:1/', 'http://127.0.0.1.evil.com:80/', 'file:///etc/passwd', 'http://localhost:1/']) expect(isLoopbackDashboardUrl(url)).toBe(false);
  });
});
