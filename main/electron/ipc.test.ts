/**
 * The IPC gate: only our popover's top frame may call, payloads are validated, nothing is thrown
 * across IPC. Electron itself cannot start here, so ipcMain is replaced by a recorder (only
 * main/electron tests may mock electron).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, fn) },
}));

const { registerIpc, registerSettingsIpc } = await import('./ipc');
import { INVOKE_CHANNELS } from '../../preload/api';
import type { SettingsPort } from './ipc';
import type { SpendService } from '../services/ports';

const mainFrame = { id: 'main-frame' };
const popover = { mainFrame } as unknown as Electron.WebContents;
const calls: string[] = [];
const service: SpendService = {
  snapshot: () => ({ status: { generatedAt: '2026-11-21T00:00:00.000Z', workspaces: [] }, selectedWorkspaceId: null, refreshing: false, fromCache: false }),
  refreshNow: async () => {
    calls.push('refresh');
  },
  selectWorkspace: (id) => {
    if (id === 'nope') throw new Error('Unknown workspace "nope".');
    calls.push(`select:${id}`);
  },
  setActivity: (patch) => calls.push(`activity:${JSON.stringify(patch)}`),
  onSnapshot: () => () => undefined,
  stop: async () => undefined,
};

beforeEach(() => {
  handlers.clear();
  calls.length = 0;
  registerIpc(service, () => popover, { hidePopover: () => calls.push('hide') });
  registerSettingsIpc(settings, (folder) => void calls.push(`open:${folder}`), () => popover);
});

/** Records what reached the settings port (the port's own behaviour is tested in main/services). */
const saved = { ok: true, settings: {} } as never;
const settings = new Proxy({} as SettingsPort, {
  get: (_target, method: string) => async (...args: unknown[]) => {
    calls.push(`${method}:${JSON.stringify(args)}`);
    return method === 'view' ? {} : saved;
  },
});

const fromPopover = { sender: popover, senderFrame: mainFrame };
const invoke = (channel: string, event: unknown, payload: unknown) => handlers.get(channel)!(event, payload);

describe('registerIpc', () => {
  it('registers a handler for every channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
  });

  it('passes valid settings requests on and answers with a value', async () => {
    const connection = { workspaceId: 'research', id: null, provider: 'baseten', name: null, settings: { orgId: 7, planTypes: ['shared'] }, apiKey: 'k', apiKeyEnv: null, allowObfuscatedKey: false };
    await expect(invoke('burnrate:save-connection', fromPopover, { connection })).resolves.toEqual({ ok: true, value: saved });
    await expect(invoke('burnrate:import-config', fromPopover, { file: '/home/a/config.json', allowObfuscatedKeys: false })).resolves.toMatchObject({ ok: true });
    await expect(invoke('burnrate:open-folder', fromPopover, { folder: 'logs' })).resolves.toEqual({ ok: true, value: null });
    await expect(invoke('burnrate:pause-notifications', fromPopover, { pause: 'tomorrow' })).resolves.toMatchObject({ ok: true });
    expect(calls).toEqual([`saveConnection:${JSON.stringify([connection])}`, 'importConfig:["/home/a/config.json",false]', 'open:logs', 'pauseNotifications:["tomorrow"]']);
  });

  it('refuses settings requests that do not match the contract', async () => {
    const bad: Array<[string, unknown]> = [
      ['burnrate:export-config', { file: 'relative.json', overwrite: false }],
      ['burnrate:export-config', { file: '/home/a/.bashrc', overwrite: true }],
      ['burnrate:import-config', { file: '/etc/passwd' }],
      ['burnrate:open-folder', { folder: '/' }],
      ['burnrate:pause-notifications', { pause: 'forever' }],
      ['burnrate:save-preferences', { preferences: { trayTitleFormat: 'huge' } }],
      ['burnrate:save-preferences', { preferences: { notifications: { quietHours: { enabled: true, start: '25:00', end: '07:00' } } } }],
      ['burnrate:save-connection', { connection: { workspaceId: 'w', id: null, provider: 'baseten', name: null, settings: { nested: { a: 1 } }, apiKey: null, apiKeyEnv: null, allowObfuscatedKey: false } }],
      ['burnrate:save-workspace', { workspace: { id: null, name: 'x' } }],
      ['burnrate:reorder-workspaces', { workspaceIds: 'a,b' }],
    ];
    for (const [channel, payload] of bad) {
      await expect(invoke(channel, fromPopover, payload), channel).resolves.toMatchObject({ ok: false, error: { kind: 'bad_request' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses settings requests from other frames', async () => {
    await expect(invoke('burnrate:get-settings', { sender: popover, senderFrame: { id: 'iframe' } }, null)).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('answers the popover with a result value', async () => {
    await expect(invoke('burnrate:get-snapshot', fromPopover, null)).resolves.toMatchObject({ ok: true, value: { selectedWorkspaceId: null } });
    await expect(invoke('burnrate:select-workspace', fromPopover, { workspaceId: 'research' })).resolves.toEqual({ ok: true, value: null });
    await expect(invoke('burnrate:set-popover-open', fromPopover, { open: true })).resolves.toEqual({ ok: true, value: null });
    await expect(invoke('burnrate:hide-popover', fromPopover, null)).resolves.toEqual({ ok: true, value: null });
    expect(calls).toEqual(['select:research', 'activity:{"popoverOpen":true}', 'hide']);
  });

  it('refuses other windows and iframes', async () => {
    const otherWindow = { sender: { mainFrame: {} }, senderFrame: {} };
    const iframe = { sender: popover, senderFrame: { id: 'iframe' } };
    for (const event of [otherWindow, iframe]) {
      await expect(invoke('burnrate:refresh-now', event, null)).resolves.toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses payloads that do not match the contract', async () => {
    for (const payload of [undefined, { workspaceId: 42 }, { workspaceId: 'a', extra: true }, 'research']) {
      await expect(invoke('burnrate:select-workspace', fromPopover, payload)).resolves.toMatchObject({ ok: false, error: { kind: 'bad_request' } });
    }
    expect(calls).toEqual([]);
  });

  it('turns a thrown error into an error value instead of throwing across IPC', async () => {
    await expect(invoke('burnrate:select-workspace', fromPopover, { workspaceId: 'nope' })).resolves.toEqual({
      ok: false,
      error: { kind: 'internal', message: 'Unknown workspace "nope".' },
    });
  });
});
