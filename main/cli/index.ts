/**
 * The headless composition root: `burnrate status | watch | serve | demo`.
 * Exit codes: 0 all good; 1 `--check` failed; 2 bad usage or bad config; 3 connections failed.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { version as packageVersion } from '../../package.json';
import type { StatusDocument } from '../../preload/api';
import { exportCsv, exportJson, exportRows, type ExportInput } from '../core/export';
import { ProviderError } from '../core/errors';
import { createHttpClient } from '../providers/http';
import { adapterFor } from '../providers/registry';
import { ConfigError, loadConfig, resolveConfigPath, type BurnrateConfig } from '../services/config';
import type { StatusServer } from '../services/httpServer';
import { COMMANDS, commandHelp, commandNamed, globalHelp, parseOptions, UsageError, type ParsedOptions } from './args';
import { colorEnabled, painter, type Paint } from './color';
import { checkConnections } from './doctor';
import { formatStatusTable, hasNoData, localTime, usd } from './format';
import { InitRefused, writeStarterConfig } from './init';
import { listenAddress, publicHosts, type ListenAddress } from './listen';
import { createCliRuntime, EXIT, httpTimeoutMs, loadCliConfig, processIo, rendererDir, reportConfigError, safeText, stderrLogger, type CliIo } from './io';
import { resolveToken } from './token';

/** Burnrate's version (package.json). */
export const VERSION: string = packageVersion;

/** Default port of `serve` and `demo`. */
const DEFAULT_PORT = 8787;
/** `status` finishes within 60 s even when providers hang: a 50 s deadline plus shutdown. */
const STATUS_DEADLINE_MS = 50_000;
/** Per-request timeout of `status`: three attempts fit in the deadline. */
const STATUS_REQUEST_TIMEOUT_MS = 15_000;

/** Colour for stdout, by environment and terminal. */
function paintFor(io: CliIo): Paint {
  return painter(colorEnabled(io.env, io.stdoutIsTTY ?? false));
}

const text = (values: ParsedOptions, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
const flag = (values: ParsedOptions, name: string): boolean => values[name] === true;

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

function onlyWorkspace(config: BurnrateConfig, id: string | undefined): BurnrateConfig {
  if (id === undefined) return config;
  const found = config.workspaces.filter((w) => w.workspace.id === id);
  if (found.length === 0) {
    throw new UsageError(`no workspace "${id}" in ${config.file} (known: ${config.workspaces.map((w) => w.workspace.id).join(', ')})`);
  }
  return { ...config, workspaces: found };
}

interface StatusOptions {
  readonly json: boolean;
  readonly check: boolean;
  readonly demo: boolean;
  /** `cached`: no request at all; `auto`: refresh what is older than the refresh interval; `refresh`: everything. */
  readonly freshness?: 'cached' | 'auto' | 'refresh';
}

async function printStatusOnce(io: CliIo, config: BurnrateConfig, { json, check, demo, freshness = 'refresh' }: StatusOptions): Promise<number> {
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

async function statusCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  if (flag(values, 'cached') && flag(values, 'refresh')) throw new UsageError('--cached and --refresh cannot be used together');
  const workspace = text(values, 'workspace');
  const config = onlyWorkspace(loadCliConfig(io, text(values, 'config')), workspace);
  return printStatusOnce(io, config, {
    json: flag(values, 'json'),
    check: flag(values, 'check'),
    demo: false,
    freshness: flag(values, 'cached') ? 'cached' : flag(values, 'refresh') ? 'refresh' : 'auto',
  });
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

function summaryLine(status: StatusDocument): string {
  const time = localTime(status.generatedAt);
  return status.workspaces
    .map((w) => {
      const budget = w.budget ? `, ${w.budget.usedPercent.toFixed(1)}% of budget` : '';
      const failing = w.connections.filter((c) => c.status === 'error').length;
      if (hasNoData(w)) return `${time} ${w.name}: spend unknown, ${failing} connection(s) failing`;
      return `${time} ${w.name}: ${usd(w.spentUsd)} spent, ${usd(w.burnRateUsdPerHour)}/h, ~${usd(w.projectedUsd)} projected${budget}${failing ? `, ${failing} connection(s) failing` : ''}`;
    })
    .join('\n');
}

async function watchCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const config = loadCliConfig(io, text(values, 'config'));
  let lastLine = '';
  const { runtime, close } = createCliRuntime(io, config, {
    timeoutMs: 30_000,
    quiet: false,
    // Loaded here only: other commands never pay for node-notifier.
    notifier: (await import('../services/nodeNotifier')).createNodeNotifier(),
    onNotification: (n, delivered) => {
      io.stdout(safeText(config, `${localTime(new Date(n.atMs).toISOString())} [${n.severity}] ${n.title}: ${n.body}${delivered ? '' : ' (not shown: no notification service)'}\n`));
    },
    onRefresh: () => {
      const line = summaryLine(runtime.status());
      if (line !== lastLine) io.stdout(safeText(config, `${line}\n`));
      lastLine = line;
    },
  });
  const signal = waitForSignal();
  io.stderr(`Watching ${config.workspaces.length} workspace(s); notifications go to the desktop. Press Ctrl+C to stop.\n`);
  await Promise.race([runtime.start(), signal]);
  await signal;
  io.stderr('Stopping…\n');
  await close();
  return EXIT.ok;
}

/** Where and how `serve` listens: the address, the names of a team server, and its token. */
interface ServeTarget {
  readonly address: ListenAddress;
  readonly publicHosts: readonly string[];
  readonly token: string | undefined;
}

async function serve(io: CliIo, config: BurnrateConfig, target: ServeTarget, demo: boolean): Promise<number> {
  const { address, token } = target;
  const port = address.port;
  const where = address.host.includes(':') ? `[${address.host}]:${port}` : `${address.host}:${port}`;
  const { runtime, close } = createCliRuntime(io, config, { timeoutMs: 30_000, quiet: false, demo });
  const signal = waitForSignal();
  let server: StatusServer | undefined;
  try {
    // Listen first: a busy port is reported at once, not after the first refresh. The server
    // (and prom-client with it) is loaded only by the commands that serve.
    const { startStatusServer } = await import('../services/httpServer');
    try {
      server = await startStatusServer({
        status: () => runtime.status(),
        exportCsv: () => safeText(config, exportCsv(exportRows(runtime.periodReports()))),
        rendererDir: rendererDir(),
        port,
        host: address.host,
        publicHosts: target.publicHosts,
        logger: stderrLogger(io, config, true),
        version: VERSION,
        ...(token === undefined ? {} : { token }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EADDRINUSE' ? `port ${port} is in use; pass --port N (0 picks a free port)` : `cannot listen on ${where}: ${(error as Error).message}`);
    }
    if (!address.loopback) {
      io.stderr(
        `burnrate: warning: listening on ${where}, reachable from other machines over plain HTTP. ` +
          'Terminate TLS in front of it (a reverse proxy such as nginx or Caddy): the token travels with every request.\n',
      );
    }
    // The URL at once: the dashboard shows the cached numbers (or "loading") until the first
    // refresh is done, and a script can start polling right away.
    if (demo) io.stdout('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
    io.stdout(`Burnrate dashboard: ${server.url}\n`);
    const base = new URL(server.url).origin;
    io.stdout(`JSON: ${base}/api/status   CSV: ${base}/api/export.csv   Prometheus: ${base}/metrics   (token required; Ctrl+C to stop)\n`);
    io.stderr(`Refreshing ${config.workspaces.reduce((n, w) => n + w.connections.length, 0)} connections…\n`);
    // Ctrl+C during a slow first refresh stops at once instead of after the providers' timeouts.
    const interrupted = await Promise.race([runtime.start().then(() => false), signal.then(() => true)]);
    if (!interrupted) await signal;
    io.stderr('Stopping…\n');
    return EXIT.ok;
  } finally {
    await server?.close();
    await close();
  }
}

function tokenFor(io: CliIo, values: ParsedOptions): string | undefined {
  const resolved = resolveToken(text(values, 'token-file'), io.env);
  for (const warning of resolved.warnings) io.stderr(`burnrate: warning: ${warning}\n`);
  if (resolved.source === 'created') io.stderr(`burnrate: created ${text(values, 'token-file')} with a new access token (mode 0600); later starts reuse it.\n`);
  return resolved.token;
}

async function serveCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const address = listenAddress(text(values, 'listen'), text(values, 'port'), DEFAULT_PORT);
  const names = publicHosts(text(values, 'public-host'));
  if (!address.loopback) {
    // A team server is reached by name from other machines: a token that changes at every start
    // would break every client, and without names the Host check (DNS rebinding) would refuse them all.
    if (values['token-file'] === undefined && (io.env.BURNRATE_TOKEN ?? '') === '') {
      throw new UsageError(`--listen ${text(values, 'listen')} is not a loopback address: set BURNRATE_TOKEN or pass --token-file FILE for a stable token`, 'serve');
    }
    if (names.length === 0) {
      throw new UsageError(`--listen ${text(values, 'listen')} is not a loopback address: name the server with --public-host NAME (the host clients use)`, 'serve');
    }
  }
  const token = tokenFor(io, values);
  return serve(io, loadCliConfig(io, text(values, 'config')), { address, publicHosts: names, token }, false);
}

async function demoCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const address = listenAddress(undefined, text(values, 'port'), DEFAULT_PORT);
  const token = tokenFor(io, values);
  // The fakes are loaded by the demo only.
  const { startDemo } = await import('../demo/demo');
  const demo = await startDemo();
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(demo.config, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    // Demo snapshots live with the demo config and vanish with it.
    const demoIo: CliIo = { ...io, env: { ...io.env, BURNRATE_STATE_DIR: dir } };
    const config = loadCliConfig(demoIo, file);
    if (flag(values, 'once')) {
      // The table says "Demo data" itself; JSON says `"demo": true`, and people reading the terminal get this line.
      if (flag(values, 'json')) io.stderr('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
      return await printStatusOnce(demoIo, config, { json: flag(values, 'json'), check: false, demo: true });
    }
    return await serve(demoIo, config, { address, publicHosts: [], token }, true);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseInstant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO-8601 date or time such as 2026-11-01 or 2026-11-01T00:00:00Z, got "${value}"`, 'export');
  return ms;
}

async function exportCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const format = text(values, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, got "${format}"`, 'export');
  const fromMs = parseInstant(text(values, 'from'), 'from');
  const toMs = parseInstant(text(values, 'to'), 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new UsageError('--from must be before --to', 'export');
  const workspace = text(values, 'workspace');
  const config = onlyWorkspace(loadCliConfig(io, text(values, 'config')), workspace);
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
      return runtime.status().workspaces.some((w) => w.connections.some((c) => c.status === 'error')) ? EXIT.connectionsFailed : EXIT.ok;
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

function initCommand(io: CliIo, values: ParsedOptions): number {
  const file = resolve(resolveConfigPath(text(values, 'config'), io.env));
  try {
    writeStarterConfig(file);
  } catch (error) {
    if (error instanceof InitRefused) {
      io.stderr(`burnrate: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const paint = paintFor(io);
  io.stdout(
    [
      `${paint('green', 'Wrote')} ${file} (mode 0600).`,
      'Next:',
      '  1. Remove the providers you do not use, set your budget and time zone.',
      '  2. Export each apiKeyEnv variable (for example: export BASETEN_API_KEY=...).',
      `  3. Check it: burnrate doctor${text(values, 'config') ? ` --config ${text(values, 'config')}` : ''}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

async function doctorCommand(io: CliIo, values: ParsedOptions): Promise<number> {
  const paint = paintFor(io);
  const file = resolve(resolveConfigPath(text(values, 'config'), io.env));
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

const RUNNERS: Readonly<Record<string, (io: CliIo, values: ParsedOptions) => Promise<number> | number>> = {
  status: statusCommand,
  watch: watchCommand,
  serve: serveCommand,
  demo: demoCommand,
  export: exportCommand,
  init: initCommand,
  doctor: doctorCommand,
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr(globalHelp());
      return EXIT.usage;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout(`burnrate ${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(rest[0] === undefined ? globalHelp() : commandHelp(commandNamed(rest[0])));
      return EXIT.ok;
    }
    if (command.startsWith('-')) {
      throw new UsageError(`unknown option "${command}"; options go after the command (burnrate <command> [options])`);
    }
    const spec = commandNamed(command);
    const values = parseOptions(spec, rest);
    if (values.help) {
      io.stdout(commandHelp(spec));
      return EXIT.ok;
    }
    return await RUNNERS[spec.name]!(io, values);
  } catch (error) {
    if (error instanceof ConfigError) {
      reportConfigError(io, error);
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`burnrate: ${error.message}\nRun "burnrate ${error.command ? `${error.command} ` : ''}--help" for usage.\n`);
      return EXIT.usage;
    }
    // A bug, not a provider or config problem: say so plainly (exit 70, EX_SOFTWARE).
    io.stderr(`burnrate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}

/** Every command name (for tests and completions). */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);
