/**
 * `burnrate status`: one refresh (or the cached numbers), printed as a table or as the status
 * document (`--json`), with the exit code saying whether a connection failed or, with `--check`,
 * whether a budget was reached. `demo --once` prints through here too.
 */
import type { StatusDocument } from '../../preload/api';
import type { BurnrateConfig } from '../services/config';
import { optionFlag, optionText, UsageError, type ParsedOptions } from './args';
import { paintFor } from './color';
import { formatStatusTable } from './format';
import { createCliRuntime, EXIT, loadCliConfig, safeText, type CliIo } from './io';

/** `status` finishes within 60 s even when providers hang: a 50 s deadline plus shutdown. */
export const STATUS_DEADLINE_MS = 50_000;
/** Per-request timeout of `status`: three attempts fit in the deadline. */
export const STATUS_REQUEST_TIMEOUT_MS = 15_000;

/** True when actual spend has reached the budget. Compared in micro-dollars: `usedPercent` is rounded (99.999996 % shows as 100). */
function isOverBudget(workspace: StatusDocument['workspaces'][number]): boolean {
  return workspace.budget !== null && Math.round(workspace.spentUsd * 1e6) >= Math.round(workspace.budget.amountUsd * 1e6);
}

function exitCodeFor(status: StatusDocument, check: boolean): number {
  const overBudget = status.workspaces.some(isOverBudget);
  if (check && overBudget) return EXIT.checkFailed;
  const failed = status.workspaces.some((w) => w.connections.some((c) => c.status === 'error'));
  return failed ? EXIT.connectionsFailed : EXIT.ok;
}

/** The config narrowed to workspace `id` (`--workspace`); a usage error naming the known ones when there is none. */
export function onlyWorkspace(config: BurnrateConfig, id: string | undefined): BurnrateConfig {
  if (id === undefined) return config;
  const found = config.workspaces.filter((w) => w.workspace.id === id);
  if (found.length === 0) {
    throw new UsageError(`no workspace "${id}" in ${config.file} (known: ${config.workspaces.map((w) => w.workspace.id).join(', ')})`);
  }
  return { ...config, workspaces: found };
}

/** How {@link printStatusOnce} prints. */
export interface StatusOptions {
  readonly json: boolean;
  readonly check: boolean;
  readonly demo: boolean;
  /** `cached`: no request at all; `auto`: refresh what is older than the refresh interval; `refresh`: everything. */
  readonly freshness?: 'cached' | 'auto' | 'refresh';
}

/** Refreshes (as `freshness` says), prints the status once and resolves to the exit code. */
export async function printStatusOnce(io: CliIo, config: BurnrateConfig, { json, check, demo, freshness = 'refresh' }: StatusOptions): Promise<number> {
  const connections = config.workspaces.reduce((n, w) => n + w.connections.length, 0);
  const { runtime, close } = createCliRuntime(io, config, { timeoutMs: STATUS_REQUEST_TIMEOUT_MS, quiet: true, demo });
  if (process.stderr.isTTY && freshness !== 'cached') io.stderr(`Refreshing ${connections} connection${connections === 1 ? '' : 's'}…\n`);
  try {
    if (freshness !== 'cached') {
      await runtime.refreshAll({
        attempts: 3,
        maxRetryAfterMs: 10_000,
        signal: AbortSignal.timeout(STATUS_DEADLINE_MS),
        ...(freshness === 'auto' ? { maxAgeMs: config.refreshIntervalMs } : {}),
      });
    }
    const status = runtime.status();
    io.stdout(safeText(config, json ? `${JSON.stringify(status, null, 2)}\n` : formatStatusTable(status, paintFor(io))));
    return exitCodeFor(status, check);
  } finally {
    await close();
  }
}

/** `burnrate status [--json] [--check] [--workspace ID] [--cached | --refresh]`. */
export async function statusCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  if (optionFlag(values, 'cached') && optionFlag(values, 'refresh')) throw new UsageError('--cached and --refresh cannot be used together');
  const workspace = optionText(values, 'workspace');
  const config = onlyWorkspace(loadCliConfig(io, optionText(values, 'config')), workspace);
  return printStatusOnce(io, config, {
    json: optionFlag(values, 'json'),
    check: optionFlag(values, 'check'),
    demo: false,
    freshness: optionFlag(values, 'cached') ? 'cached' : optionFlag(values, 'refresh') ? 'refresh' : 'auto',
  });
}
