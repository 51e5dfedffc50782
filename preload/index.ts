/**
 * Preload (CJS, sandboxed): builds `window.burnrate` from the contract in api.ts.
 * Exposes intent-named functions only, never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  INVOKE_CHANNELS,
  PUSH_CHANNELS,
  SPEND_API_KEY,
  type AppSnapshot,
  type PopoverView,
  type ConnectionInput,
  type NotificationPause,
  type PreferencesInput,
  type WorkspaceInput,
  type InvokeChannel,
  type InvokeContracts,
  type IpcResult,
  type SpendApi,
} from './api';

function invoke<C extends InvokeChannel>(
  channel: C,
  request: InvokeContracts[C]['request'],
): Promise<IpcResult<InvokeContracts[C]['response']>> {
  return ipcRenderer.invoke(channel, request) as Promise<IpcResult<InvokeContracts[C]['response']>>;
}

// "Settings…" or a notification click can ask for a view before the page has subscribed (the
// window is shown and loading): the latest such request waits here for the first subscriber.
const viewListeners = new Set<(view: PopoverView) => void>();
let pendingView: PopoverView | null = null;
ipcRenderer.on(PUSH_CHANNELS.showView, (_event: IpcRendererEvent, view: PopoverView) => {
  if (viewListeners.size === 0) pendingView = view;
  for (const listener of viewListeners) listener(view);
});

const api = {
  getSnapshot: () => invoke(INVOKE_CHANNELS.getSnapshot, null),
  refreshNow: () => invoke(INVOKE_CHANNELS.refreshNow, null),
  selectWorkspace: (workspaceId: string | null) => invoke(INVOKE_CHANNELS.selectWorkspace, { workspaceId }),
  setPopoverOpen: (open: boolean) => invoke(INVOKE_CHANNELS.setPopoverOpen, { open }),
  hidePopover: () => invoke(INVOKE_CHANNELS.hidePopover, null),
  getSettings: () => invoke(INVOKE_CHANNELS.getSettings, null),
  saveWorkspace: (workspace: WorkspaceInput) => invoke(INVOKE_CHANNELS.saveWorkspace, { workspace }),
  removeWorkspace: (workspaceId: string) => invoke(INVOKE_CHANNELS.removeWorkspace, { workspaceId }),
  reorderWorkspaces: (workspaceIds: readonly string[]) => invoke(INVOKE_CHANNELS.reorderWorkspaces, { workspaceIds }),
  saveConnection: (connection: ConnectionInput) => invoke(INVOKE_CHANNELS.saveConnection, { connection }),
  removeConnection: (workspaceId: string, connectionId: string) => invoke(INVOKE_CHANNELS.removeConnection, { workspaceId, connectionId }),
  testConnection: (connection: ConnectionInput) => invoke(INVOKE_CHANNELS.testConnection, { connection }),
  savePreferences: (preferences: PreferencesInput) => invoke(INVOKE_CHANNELS.savePreferences, { preferences }),
  pauseNotifications: (pause: NotificationPause) => invoke(INVOKE_CHANNELS.pauseNotifications, { pause }),
  chooseDemo: (demo: boolean) => invoke(INVOKE_CHANNELS.chooseDemo, { demo }),
  importConfig: (file: string, allowObfuscatedKeys: boolean) => invoke(INVOKE_CHANNELS.importConfig, { file, allowObfuscatedKeys }),
  exportConfig: (file: string, overwrite: boolean) => invoke(INVOKE_CHANNELS.exportConfig, { file, overwrite }),
  openFolder: (folder: 'config' | 'logs') => invoke(INVOKE_CHANNELS.openFolder, { folder }),
  onSnapshot: (listener: (snapshot: AppSnapshot) => void) => {
    const handler = (_event: IpcRendererEvent, snapshot: AppSnapshot) => listener(snapshot);
    ipcRenderer.on(PUSH_CHANNELS.snapshotChanged, handler);
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNELS.snapshotChanged, handler);
    };
  },
  onShowView: (listener: (view: PopoverView) => void) => {
    viewListeners.add(listener);
    if (pendingView !== null) {
      const view = pendingView;
      pendingView = null;
      listener(view);
    }
    return () => {
      viewListeners.delete(listener);
    };
  },
} satisfies SpendApi;

contextBridge.exposeInMainWorld(SPEND_API_KEY, api);
