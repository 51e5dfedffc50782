/**
 * Validated IPC: every handler is registered through `handle`, which checks that the sender is
 * our popover's main frame and parses the payload with zod. Nothing is thrown across IPC:
 * handlers answer `{ ok: true, value } | { ok: false, error }`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { isAbsolute } from 'node:path';
import type { InvokeChannel, InvokeContracts, IpcResult } from '../../preload/api';
import { INVOKE_CHANNELS, NOTIFICATION_RULES, TRAY_TITLE_FORMATS } from '../../preload/api';
import type { DesktopSettings } from '../services/desktopSettings';
import { ACCELERATOR } from '../services/settingsDocument';
import { formatIssuePath } from '../providers/schema';
import type { SpendService } from '../services/ports';

const ID = z.string().min(1).max(64);
const PERIOD = z.enum(['day', 'week', 'month']);
const TIME_OF_DAY = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** A file the person typed: absolute, and for exports a .json file (nothing else is overwritten). */
const FILE = z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path');
const workspaceInput = z.strictObject({
  id: ID.nullable(),
  name: z.string().max(80),
  timeZone: z.string().min(1).max(64).nullable(),
  budget: z
    .strictObject({
      amountUsd: z.number().finite(),
      period: PERIOD,
      cycleStartDay: z.number().int().nullable(),
      thresholdsPercent: z.array(z.number().finite()).max(20),
    })
    .nullable(),
  period: PERIOD,
  forecastAlerts: z.boolean(),
});
const SETTING_VALUE = z.union([z.string().max(2048), z.number().finite(), z.boolean(), z.array(z.string().max(256)).max(100)]);
const connectionInput = z.strictObject({
  workspaceId: ID,
  id: ID.nullable(),
  provider: z.string().min(1).max(40),
  name: z.string().max(200).nullable(),
  settings: z.record(z.string().max(64), SETTING_VALUE).refine((value) => Object.keys(value).length <= 40),
  apiKey: z.string().max(4096).nullable(),
  apiKeyEnv: z.string().max(128).nullable(),
  allowObfuscatedKey: z.boolean(),
});
const preferencesInput = z.strictObject({
  refreshIntervalSeconds: z.number().int().optional(),
  trayTitleFormat: z.enum(TRAY_TITLE_FORMATS).optional(),
  notifications: z
    .strictObject({
      rules: z.strictObject(Object.fromEntries(NOTIFICATION_RULES.map((rule) => [rule, z.boolean().optional()]))).optional(),
      quietHours: z.strictObject({ enabled: z.boolean(), start: TIME_OF_DAY, end: TIME_OF_DAY }).optional(),
    })
    .optional(),
  launchAtLogin: z.boolean().optional(),
  shortcuts: z.strictObject({ togglePopover: ACCELERATOR.nullable(), workspacePrefix: ACCELERATOR.nullable() }).optional(),
});

/** Zod schema of every channel's request, checked at runtime; the type follows the contract. */
const requestSchemas: { [C in InvokeChannel]: z.ZodType<InvokeContracts[C]['request']> } = {
  'burnrate:get-snapshot': z.null(),
  'burnrate:refresh-now': z.null(),
  'burnrate:select-workspace': z.strictObject({ workspaceId: z.string().min(1).max(200).nullable() }),
  'burnrate:set-popover-open': z.strictObject({ open: z.boolean() }),
  'burnrate:hide-popover': z.null(),
  'burnrate:get-settings': z.null(),
  'burnrate:save-workspace': z.strictObject({ workspace: workspaceInput }),
  'burnrate:remove-workspace': z.strictObject({ workspaceId: ID }),
  'burnrate:reorder-workspaces': z.strictObject({ workspaceIds: z.array(ID).max(100) }),
  'burnrate:save-connection': z.strictObject({ connection: connectionInput }),
  'burnrate:remove-connection': z.strictObject({ workspaceId: ID, connectionId: ID }),
  'burnrate:test-connection': z.strictObject({ connection: connectionInput }),
  'burnrate:save-preferences': z.strictObject({ preferences: preferencesInput }),
  'burnrate:pause-notifications': z.strictObject({ pause: z.enum(['hour', 'tomorrow', 'off']) }),
  'burnrate:choose-demo': z.strictObject({ demo: z.boolean() }),
  'burnrate:import-config': z.strictObject({ file: FILE, allowObfuscatedKeys: z.boolean() }),
  'burnrate:export-config': z.strictObject({ file: FILE.refine((file) => file.toLowerCase().endsWith('.json'), 'must be a .json file'), overwrite: z.boolean() }),
  'burnrate:open-folder': z.strictObject({ folder: z.enum(['config', 'logs']) }),
};

function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | undefined): boolean {
  const contents = trusted();
  // Only the popover's own top frame may call: not an iframe, not another window.
  return !!contents && event.sender === contents && event.senderFrame === contents.mainFrame;
}

/** A field name safe to say back: the schema's own names, or an unknown key only when it looks like an identifier (never a value). */
function safeKey(key: PropertyKey): string {
  const text = String(key);
  return /^[A-Za-z_$][\w$]{0,23}$/.test(text) ? text : '(an unknown field)';
}

/** zod's expected types in words. */
const EXPECTED: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };

/**
 * The rejection of a payload that does not match the channel's schema: kind `bad_request`,
 * `field` = the JSON path of the first bad field (`connection.apiKey`, `workspaceIds[3]`;
 * `(root)` for the payload itself, `(arguments)` for a wrong argument count). The message names
 * the field and what was expected, never the value sent (zod's own messages may quote it).
 */
export function badRequest(channel: InvokeChannel, error: z.ZodError | null): { kind: 'bad_request'; message: string; field: string } {
  if (!error) return { kind: 'bad_request', field: '(arguments)', message: `Invalid request for ${channel}: (arguments) must be exactly one payload.` };
  const issue = error.issues[0];
  const path = issue ? [...issue.path] : [];
  let problem = 'has the wrong type or value';
  if (issue?.code === 'unrecognized_keys') {
    problem = 'is not a known field';
    path.push(...issue.keys.slice(0, 1).map(safeKey));
  } else if (issue?.code === 'invalid_type') problem = `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
  else if (issue?.code === 'too_big') problem = 'is too long or too large';
  else if (issue?.code === 'too_small') problem = 'is too short or too small';
  else if (issue?.code === 'invalid_value') problem = 'is not one of the allowed values';
  const field = formatIssuePath(path.map((segment) => (typeof segment === 'number' ? segment : safeKey(segment))));
  return { kind: 'bad_request', field, message: `Invalid request for ${channel}: ${field} ${problem}.` };
}

/** Registers one handler with sender check, payload validation and error-to-value conversion. */
export function handle<C extends InvokeChannel>(
  channel: C,
  trusted: () => WebContents | undefined,
  fn: (request: InvokeContracts[C]['request']) => Promise<InvokeContracts[C]['response']> | InvokeContracts[C]['response'],
): void {
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcResult<InvokeContracts[C]['response']>> => {
    if (!isTrustedSender(event, trusted)) {
      return { ok: false, error: { kind: 'forbidden', message: 'This window may not call Burnrate.' } };
    }
    // The preload sends exactly one payload; anything else is not our renderer's call.
    if (args.length !== 1) return { ok: false, error: badRequest(channel, null) };
    const parsed = requestSchemas[channel].safeParse(args[0]);
    if (!parsed.success) return { ok: false, error: badRequest(channel, parsed.error) };
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

/** The settings operations the popover may ask for (DesktopSettings). */
export type SettingsPort = Pick<
  DesktopSettings,
  | 'view'
  | 'saveWorkspace'
  | 'removeWorkspace'
  | 'reorderWorkspaces'
  | 'saveConnection'
  | 'removeConnection'
  | 'testConnection'
  | 'savePreferences'
  | 'pauseNotifications'
  | 'chooseDemo'
  | 'importConfig'
  | 'exportConfig'
>;

/** Wires the settings channels. Keys travel only renderer → main; answers carry masked keys only. */
export function registerSettingsIpc(
  settings: SettingsPort,
  openFolder: (folder: 'config' | 'logs') => Promise<void> | void,
  trusted: () => WebContents | undefined,
): void {
  handle(INVOKE_CHANNELS.getSettings, trusted, () => settings.view());
  handle(INVOKE_CHANNELS.saveWorkspace, trusted, ({ workspace }) => settings.saveWorkspace(workspace));
  handle(INVOKE_CHANNELS.removeWorkspace, trusted, ({ workspaceId }) => settings.removeWorkspace(workspaceId));
  handle(INVOKE_CHANNELS.reorderWorkspaces, trusted, ({ workspaceIds }) => settings.reorderWorkspaces(workspaceIds));
  handle(INVOKE_CHANNELS.saveConnection, trusted, ({ connection }) => settings.saveConnection(connection));
  handle(INVOKE_CHANNELS.removeConnection, trusted, ({ workspaceId, connectionId }) => settings.removeConnection(workspaceId, connectionId));
  handle(INVOKE_CHANNELS.testConnection, trusted, ({ connection }) => settings.testConnection(connection));
  handle(INVOKE_CHANNELS.savePreferences, trusted, ({ preferences }) => settings.savePreferences(preferences));
  handle(INVOKE_CHANNELS.pauseNotifications, trusted, ({ pause }) => settings.pauseNotifications(pause));
  handle(INVOKE_CHANNELS.chooseDemo, trusted, ({ demo }) => settings.chooseDemo(demo));
  handle(INVOKE_CHANNELS.importConfig, trusted, ({ file, allowObfuscatedKeys }) => settings.importConfig(file, allowObfuscatedKeys));
  handle(INVOKE_CHANNELS.exportConfig, trusted, ({ file, overwrite }) => settings.exportConfig(file, overwrite));
  handle(INVOKE_CHANNELS.openFolder, trusted, async ({ folder }) => {
    await openFolder(folder);
    return null;
  });
}
