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

const api = {
  getSnapshot: () => invoke(INVOKE_CHANNELS.getSnapshot, null),
  refreshNow: () => invoke(INVOKE_CHANNELS.refreshNow, null),
  selectWorkspace: (workspaceId: string | null) => invoke(INVOKE_CHANNELS.selectWorkspace, { workspaceId }),
  setPopoverOpen: (open: boolean) => invoke(INVOKE_CHANNELS.setPopoverOpen, { open }),
  hidePopover: () => invoke(INVOKE_CHANNELS.hidePopover, null),
  onSnapshot: (listener: (snapshot: AppSnapshot) => void) => {
    const handler = (_event: IpcRendererEvent, snapshot: AppSnapshot) => listener(snapshot);
    ipcRenderer.on(PUSH_CHANNELS.snapshotChanged, handler);
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNELS.snapshotChanged, handler);
    };
  },
} satisfies SpendApi;

contextBridge.exposeInMainWorld(SPEND_API_KEY, api);
