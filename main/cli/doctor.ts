/**
 * `burnrate doctor`: is the config valid, and does each connection answer? One request per
 * connection (usage of the last hour), each reported in words.
 */
import { resolve } from 'node:path';
import { ProviderError } from '../core/errors';
import { HOUR_MS } from '../core/report';
import { createHttpClient } from '../providers/http';
import { adapterFor } from '../providers/registry';
import { ConfigError, loadConfig, resolveConfigPath, type BurnrateConfig } from '../services/config';
import { optionText, type ParsedOptions } from './args';
import { paintFor, type Paint } from './color';
import { usd } from './format';
import { EXIT, httpTimeoutMs, safeText, type CliIo } from './io';

/** Plain words for each error kind. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  auth: 'the API key was refused',
  rate_limited: 'the provider is rate limiting us (try again later)',
  bad_request: 'the provider rejected the request (check the connection settings)',
  server: 'the provider answered with an error of its own',
  network: 'the provider could not be reached',
  bad_response: "the provider's answer was not understood",
};

/** The outcome of testing one connection. */
export interface ConnectionCheck {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly ok: boolean;
  readonly line: string;
}

/** Tests every connection once, in parallel; resolves to one line per connection. */
export async function checkConnections(io: CliIo, config: BurnrateConfig, paint: Paint, nowMs: number = Date.now()): Promise<ConnectionCheck[]> {
  const http = createHttpClient({ timeoutMs: httpTimeoutMs(io.env, 15_000), userAgent: 'burnrate-cli' });
  try {
    const jobs = config.workspaces.flatMap((ws) =>
      ws.connections.map(async (connection): Promise<ConnectionCheck> => {
        const adapter = adapterFor(connection.provider);
        const name = `${ws.workspace.id}/${connection.id} (${adapter.displayName})`;
        const base = { workspaceId: ws.workspace.id, connectionId: connection.id };
        if (!connection.apiKey) {
          return { ...base, ok: false, line: `${paint('red', '✗')} ${name}: not tested: ${connection.keyProblem ?? 'no API key'}.` };
        }
        const started = performance.now();
        try {
          const report = await adapter.fetchUsage(
            { startMs: nowMs - HOUR_MS, endMs: nowMs },
            { http, apiKey: connection.apiKey, settings: connection.settings, signal: AbortSignal.timeout(30_000), nowMs },
          );
          const ms = Math.round(performance.now() - started);
          const amount = report.unit === 'usd' ? `${usd(report.totalMicros / 1e6)} in the last hour` : 'reports credits (set usdPerCredit to see dollars)';
          return { ...base, ok: true, line: `${paint('green', '✓')} ${name}: works, answered in ${ms} ms; ${amount}.` };
        } catch (error) {
          const kind = error instanceof ProviderError ? error.kind : 'internal';
          const words = KIND_WORDS[kind] ?? 'the test failed unexpectedly';
          return { ...base, ok: false, line: `${paint('red', '✗')} ${name}: ${words} (${kind}): ${safeText(config, (error as Error).message)}` };
        }
      }),
    );
    return await Promise.all(jobs);
  } finally {
    await http.close();
  }
}

/** `burnrate doctor [--config FILE]`: the config checked, then one request per connection; the exit code says if any failed. */
export async function doctorCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const paint = paintFor(io);
  const file = resolve(resolveConfigPath(optionText(values, 'config'), io.env));
  let config: BurnrateConfig;
  try {
    config = loadConfig(file, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stdout(`${paint('red', '✗')} The config ${file} is not usable:\n`);
    for (const problem of error.problems) io.stdout(`    ${problem.path}: ${problem.message}\n`);
    io.stdout('  Fix it and run burnrate doctor again (burnrate init writes a starter config).\n');
    return EXIT.usage;
  }
  const connections = config.workspaces.reduce((n, w) => n + w.connections.length, 0);
  io.stdout(`${paint('green', '✓')} The config ${file} is valid: ${config.workspaces.length} workspace${config.workspaces.length === 1 ? '' : 's'}, ${connections} connection${connections === 1 ? '' : 's'}.\n`);
  for (const warning of config.warnings) io.stdout(`${paint('yellow', '!')} ${warning}\n`);
  if (connections === 0) return EXIT.ok;
  io.stdout('Testing each connection with one request (usage of the last hour):\n');
  const checks = await checkConnections(io, config, paint);
  for (const check of checks) io.stdout(safeText(config, `  ${check.line}\n`));
  const failed = checks.filter((c) => !c.ok).length;
  io.stdout(failed === 0 ? `${paint('green', 'All connections work.')}\n` : `${paint('red', `${failed} of ${checks.length} connection${checks.length === 1 ? '' : 's'} failed.`)}\n`);
  return failed === 0 ? EXIT.ok : EXIT.connectionsFailed;
}
