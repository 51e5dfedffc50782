/**
 * Validated IPC: every handler is registered through `handle`, which checks that the sender is
 * our popover's main frame and parses the payload with zod. Nothing is thrown across IPC:
 * handlers answer `{ ok: true, value } | { ok: false, error }`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import type { InvokeChannel, InvokeContracts, IpcResult } from '../../preload/api';
import { INVOKE_CHANNELS } from '../../preload/api';
import type { SpendService } from '../services/ports';

/** Zod schema of every channel's request, checked at runtime; the type follows the contract. */
const requestSchemas: { [C in InvokeChannel]: z.ZodType<InvokeContracts[C]['request']> } = {
  'burnrate:get-snapshot': z.null(),
  'burnrate:refresh-now': z.null(),
  'burnrate:select-workspace': z.strictObject({ workspaceId: z.string().min(1).max(200).nullable() }),
  'burnrate:set-popover-open': z.strictObject({ open: z.boolean() }),
  'burnrate:hide-popover': z.null(),
};

function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | undefined): boolean {
  const contents = trusted();
  // Only the popover's own top frame may call: not an iframe, not another window.
  return !!contents && event.sender === contents && event.senderFrame === contents.mainFrame;
}

/** Registers one handler with sender check, payload validation and error-to-value conversion. */
export function handle<C extends InvokeChannel>(
  channel: C,
  trusted: () => WebContents | undefined,
  fn: (request: InvokeContracts[C]['request']) => Promise<InvokeContracts[C]['response']> | InvokeContracts[C]['response'],
): void {
  ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult<InvokeContracts[C]['response']>> => {
    if (!isTrustedSender(event, trusted)) {
      return { ok: false, error: { kind: 'forbidden', message: 'This window may not call Burnrate.' } };
    }
    const parsed = requestSchemas[channel].safeParse(payload);
    if (!parsed.success) {
      return { ok: false, error: { kind: 'bad_request', message: `Invalid request for ${channel}.` } };
    }
    try {
      return { ok: true, value: await fn(parsed.data) };
    } catch (error) {
      return { ok: false, error: { kind: 'internal', message: error instanceof Error ? error.message : 'Unexpected error' } };
    }
  });
}

/** Window actions the popover may ask for. */
export interface WindowActions {
  readonly hidePopover: () => void;
}

/** Wires every invoke channel to the spend service and the window. */
export function registerIpc(service: SpendService, trusted: () => WebContents | undefined, windowActions: WindowActions): void {
  handle(INVOKE_CHANNELS.getSnapshot, trusted, () => service.snapshot());
  handle(INVOKE_CHANNELS.refreshNow, trusted, async () => {
    await service.refreshNow();
    return null;
  });
  handle(INVOKE_CHANNELS.selectWorkspace, trusted, ({ workspaceId }) => {
    service.selectWorkspace(workspaceId);
    return null;
  });
  handle(INVOKE_CHANNELS.setPopoverOpen, trusted, ({ open }) => {
    service.setActivity({ popoverOpen: open });
    return null;
  });
  handle(INVOKE_CHANNELS.hidePopover, trusted, () => {
    windowActions.hidePopover();
    return null;
  });
}
