/**
 * `burnrate export`: the spend behind the numbers as CSV or JSON rows, for the current period
 * (through the same engine as `status`, so the rows add up to its spend) or for a chosen range
 * (`--from`/`--to`, asked of each provider directly).
 */
import { ProviderError } from '../core/errors';
import { exportCsv, exportJson, exportRows, type ExportInput } from '../core/export';
import { createHttpClient } from '../providers/http';
import { adapterFor } from '../providers/registry';
import { optionText, UsageError, type ParsedOptions } from './args';
import { createCliRuntime, EXIT, httpTimeoutMs, loadCliConfig, safeText, type CliIo } from './io';
import { onlyWorkspace, STATUS_DEADLINE_MS, STATUS_REQUEST_TIMEOUT_MS } from './status';

function parseInstant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO-8601 date or time such as 2026-11-01 or 2026-11-01T00:00:00Z, got "${value}"`, 'export');
  return ms;
}

/** `burnrate export [--format csv|json] [--from T] [--to T] [--workspace ID]`. */
export async function exportCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const format = optionText(values, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, got "${format}"`, 'export');
  const fromMs = parseInstant(optionText(values, 'from'), 'from');
  const toMs = parseInstant(optionText(values, 'to'), 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new UsageError('--from must be before --to', 'export');
  const workspace = optionText(values, 'workspace');
  const config = onlyWorkspace(loadCliConfig(io, optionText(values, 'config')), workspace);
  const write = (inputs: readonly ExportInput[]) => {
    const rows = exportRows(inputs);
    io.stdout(safeText(config, format === 'csv' ? exportCsv(rows) : exportJson(rows)));
  };
  const { runtime, close } = createCliRuntime(io, config, {
    timeoutMs: STATUS_REQUEST_TIMEOUT_MS,
    quiet: true,
    ...(workspace === undefined ? {} : { snapshotScope: `workspace:${workspace}` }),
  });
  try {
    if (fromMs === undefined && toMs === undefined) {
      // The current period through the same engine as `status`: the rows add up to its spentUsd.
      await runtime.refreshAll({ attempts: 3, maxRetryAfterMs: 10_000, signal: AbortSignal.timeout(STATUS_DEADLINE_MS) });
      write(runtime.periodReports());
      // Each failed connection in words (the status document's messages are already redacted).
      let failed = false;
      for (const w of runtime.status().workspaces) {
        for (const c of w.connections) {
          if (c.status !== 'error' || !c.error) continue;
          failed = true;
          const exported = c.stale && c.spentUsd !== null ? 'its last good values are exported (stale = true)' : 'not exported';
          io.stderr(safeText(config, `burnrate: ${w.id}/${c.id}: ${c.error.kind}: ${c.error.message}; ${exported}\n`));
        }
      }
      return failed ? EXIT.connectionsFailed : EXIT.ok;
    }
    // A chosen range: ask each provider for exactly that range.
    const nowMs = Date.now();
    const periods = runtime.periodReports();
    const client = createHttpClient({ timeoutMs: httpTimeoutMs(io.env, STATUS_REQUEST_TIMEOUT_MS), userAgent: 'burnrate-cli' });
    let failed = false;
    try {
      const inputs = await Promise.all(
        config.workspaces.flatMap((ws) =>
          ws.connections.map(async (connection): Promise<ExportInput> => {
            const period = periods.find((p) => p.workspaceId === ws.workspace.id && p.connectionId === connection.id)!.range;
            const range = { startMs: fromMs ?? period.startMs, endMs: Math.min(toMs ?? nowMs, nowMs) };
            const base = { workspaceId: ws.workspace.id, connectionId: connection.id, provider: connection.provider, range, stale: false };
            if (!connection.apiKey || range.endMs <= range.startMs) {
              if (!connection.apiKey) {
                failed = true;
                io.stderr(`burnrate: ${ws.workspace.id}/${connection.id}: ${connection.keyProblem ?? 'no API key'}; not exported\n`);
              }
              return { ...base, report: null };
            }
            try {
              const report = await adapterFor(connection.provider).fetchUsage(range, {
                http: client,
                apiKey: connection.apiKey,
                settings: connection.settings,
                signal: AbortSignal.timeout(STATUS_DEADLINE_MS),
                nowMs,
              });
              return { ...base, report };
            } catch (error) {
              failed = true;
              const kind = error instanceof ProviderError ? error.kind : 'internal';
              io.stderr(safeText(config, `burnrate: ${ws.workspace.id}/${connection.id}: ${kind}: ${(error as Error).message}; not exported\n`));
              return { ...base, report: null };
            }
          }),
        ),
      );
      write(inputs);
    } finally {
      await client.close();
    }
    return failed ? EXIT.connectionsFailed : EXIT.ok;
  } finally {
    await close();
  }
}
