/**
 * The built preload (out/preload/index.cjs) is what a sandboxed window loads: it must be CommonJS,
 * require nothing but 'electron', and expose exactly the SpendApi of preload/api.ts. Electron
 * cannot start here, so the bundle runs in a vm with a recording contextBridge and ipcRenderer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS, SPEND_API_KEY } from '../../preload/api';

const bundle = resolve('out/preload/index.cjs');

function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push([channel, payload]);
        return { ok: true, value: null };
      },
      on: (channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      },
      removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(readFileSync(bundle, 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`the preload may not require ${name}`);
    },
  });
  return { exposed, invoked, listeners, required };
}

describe('the built preload', () => {
  it('exists as CommonJS (sandboxed windows cannot load ESM preloads)', () => {
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true);
    const text = readFileSync(bundle, 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
    expect(text).not.toMatch(/^\s*export\s/m);
  });

  it('requires only electron and exposes the SpendApi as window.burnrate', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual([SPEND_API_KEY]);
    expect(Object.keys(exposed[SPEND_API_KEY] as object).sort()).toEqual([
      'chooseDemo',
      'exportConfig',
      'getSettings',
      'getSnapshot',
      'hidePopover',
      'importConfig',
      'onShowView',
      'onSnapshot',
      'openFolder',
      'pauseNotifications',
      'refreshNow',
      'removeConnection',
      'removeWorkspace',
      'reorderWorkspaces',
      'saveConnection',
      'savePreferences',
      'saveWorkspace',
      'selectWorkspace',
      'setPopoverOpen',
      'testConnection',
    ]);
  });

  it('sends intent-named calls on the contract channels', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed[SPEND_API_KEY] as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api.getSnapshot!();
    await api.refreshNow!();
    await api.selectWorkspace!('prod');
    await api.setPopoverOpen!(true);
    await api.hidePopover!();
    await api.removeConnection!('research', 'bt');
    await api.importConfig!('/home/a/config.json', true);
    await api.exportConfig!('/home/a/out.json', false);
    await api.chooseDemo!(true);
    expect(invoked).toEqual([
      [INVOKE_CHANNELS.getSnapshot, null],
      [INVOKE_CHANNELS.refreshNow, null],
      [INVOKE_CHANNELS.selectWorkspace, { workspaceId: 'prod' }],
      [INVOKE_CHANNELS.setPopoverOpen, { open: true }],
      [INVOKE_CHANNELS.hidePopover, null],
      [INVOKE_CHANNELS.removeConnection, { workspaceId: 'research', connectionId: 'bt' }],
      [INVOKE_CHANNELS.importConfig, { file: '/home/a/config.json', allowObfuscatedKeys: true }],
      [INVOKE_CHANNELS.exportConfig, { file: '/home/a/out.json', overwrite: false }],
      [INVOKE_CHANNELS.chooseDemo, { demo: true }],
    ]);
  });

  it('delivers pushed snapshots to subscribers until they unsubscribe', () => {
    const { exposed, listeners } = loadPreload();
    const api = exposed[SPEND_API_KEY] as { onSnapshot: (fn: (s: unknown) => void) => () => void };
    const seen: unknown[] = [];
    const unsubscribe = api.onSnapshot((snapshot) => seen.push(snapshot));
    const push = (value: unknown) => listeners.get(PUSH_CHANNELS.snapshotChanged)?.forEach((fn) => fn({ sender: null }, value));
    push({ n: 1 });
    unsubscribe();
    push({ n: 2 });
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('keeps a view asked for before the page subscribed ("Settings…" while the popover loads) for its first subscriber', () => {
    const { exposed, listeners } = loadPreload();
    const api = exposed[SPEND_API_KEY] as { onShowView: (fn: (view: string) => void) => () => void };
    const push = (view: string) => listeners.get(PUSH_CHANNELS.showView)?.forEach((fn) => fn({ sender: null }, view));
    push('glance');
    push('settings');
    const seen: string[] = [];
    const unsubscribe = api.onShowView((view) => seen.push(view));
    expect(seen).toEqual(['settings']);
    push('glance');
    unsubscribe();
    push('settings');
    expect(seen).toEqual(['settings', 'glance']);
    const later: string[] = [];
    api.onShowView((view) => later.push(view));
    expect(later).toEqual(['settings']);
  });
});
