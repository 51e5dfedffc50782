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

const { registerIpc } = await import('./ipc');
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
});

const fromPopover = { sender: popover, senderFrame: mainFrame };
const invoke = (channel: string, event: unknown, payload: unknown) => handlers.get(channel)!(event, payload);

describe('registerIpc', () => {
  it('registers a handler for every channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual([
      'burnrate:get-snapshot',
      'burnrate:hide-popover',
      'burnrate:refresh-now',
      'burnrate:select-workspace',
      'burnrate:set-popover-open',
    ]);
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
