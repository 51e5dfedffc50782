/**
 * The headless composition root: `burnrate status | watch | serve | demo`.
 * Exit codes: 0 all good; 1 `--check` failed; 2 bad usage or bad config; 3 connections failed.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version as packageVersion } from '../../package.json';
import type { StatusDocument } from '../../preload/api';
import { ConfigError, type BurnrateConfig } from '../services/config';
import { startStatusServer, type StatusServer } from '../services/httpServer';
import { createNodeNotifier } from '../services/nodeNotifier';
import { startDemo } from '../../test/fakes/demo';
import { formatStatusTable, hasNoData, usd } from './format';
import { createCliRuntime, EXIT, loadCliConfig, processIo, rendererDir, reportConfigError, safeText, stderrLogger, UsageError, type CliIo } from './io';

/** The version of this build, from package.json (bundled at build time). */
const VERSION: string = packageVersion;

const USAGE = `Usage: burnrate <command> [options]

Commands:
  status [--config FILE] [--workspace ID] [--json] [--check]
        Refresh every connection once and print spend, burn rate, projection and budget.
        --json   the full status document (numbers in USD, times ISO-8601 UTC)
        --check  exit 1 when any workspace is over its budget (actual spend)
  watch  [--config FILE]
        Keep polling and send native notifications (threshold, forecast, spike, idle GPU,
        connection trouble) until interrupted.
  serve  [--config FILE] [--port N]
        Loopback dashboard, JSON API (/api/status) and Prometheus metrics (/metrics) on
        127.0.0.1, protected by a random access token printed at start.
  demo   [--port N] [--once] [--json]
        Start built-in fake providers with demo data and serve them (or, with --once, print
        their status once and exit).

Config: --config FILE, else $BURNRATE_CONFIG, else <OS config dir>/burnrate/config.json.
Exit codes: 0 ok, 1 --check failed, 2 bad usage or config, 3 one or more connections failed.
`;

/** Default port of `serve` and `demo`. */
const DEFAULT_PORT = 8787;
/** `status` finishes within 60 s even when providers hang: a 50 s deadline plus shutdown. */
const STATUS_DEADLINE_MS = 50_000;
/** Per-request timeout of `status`: three attempts fit in the deadline. */
const STATUS_REQUEST_TIMEOUT_MS = 15_000;

function parse<T extends ParseArgsConfig['options']>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port), got "${value}"`);
  return port;
}

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
  /** Set when `--workspace` narrowed the config: such runs keep their own snapshots. */
  readonly workspace?: string;
}

async function printStatusOnce(io: CliIo, config: BurnrateConfig, { json, check, demo, workspace }: StatusOptions): Promise<number> {
  const connections = config.workspaces.reduce((n, w) => n + w.connections.length, 0);
  const { runtime, http } = createCliRuntime(io, config, {
    timeoutMs: STATUS_REQUEST_TIMEOUT_MS,
    quiet: true,
    demo,
    ...(workspace === undefined ? {} : { snapshotScope: `workspace:${workspace}` }),
  });
  if (process.stderr.isTTY) io.stderr(`Refreshing ${connections} connection${connections === 1 ? '' : 's'}…\n`);
  try {
    await runtime.refreshAll({ attempts: 3, maxRetryAfterMs: 10_000, signal: AbortSignal.timeout(STATUS_DEADLINE_MS) });
    const status = runtime.status();
    io.stdout(safeText(config, json ? `${JSON.stringify(status, null, 2)}\n` : formatStatusTable(status)));
    return exitCodeFor(status, check);
  } finally {
    await runtime.stop();
    await http.close();
  }
}

async function statusCommand(io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string', short: 'c' },
    workspace: { type: 'string', short: 'w' },
    json: { type: 'boolean' },
    check: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const config = onlyWorkspace(loadCliConfig(io, values.config), values.workspace);
  return printStatusOnce(io, config, {
    json: values.json ?? false,
    check: values.check ?? false,
    demo: false,
    ...(values.workspace === undefined ? {} : { workspace: values.workspace }),
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
  const time = status.generatedAt.slice(11, 19);
  return status.workspaces
    .map((w) => {
      const budget = w.budget ? `, ${w.budget.usedPercent.toFixed(1)}% of budget` : '';
      const failing = w.connections.filter((c) => c.status === 'error').length;
      if (hasNoData(w)) return `${time} ${w.name}: spend unknown, ${failing} connection(s) failing`;
      return `${time} ${w.name}: ${usd(w.spentUsd)} spent, ${usd(w.burnRateUsdPerHour)}/h, ~${usd(w.projectedUsd)} projected${budget}${failing ? `, ${failing} connection(s) failing` : ''}`;
    })
    .join('\n');
}

async function watchCommand(io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string', short: 'c' } });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const config = loadCliConfig(io, values.config);
  let lastLine = '';
  const { runtime, http } = createCliRuntime(io, config, {
    timeoutMs: 30_000,
    quiet: false,
    notifier: createNodeNotifier(),
    onNotification: (n, delivered) => {
      io.stdout(safeText(config, `${new Date(n.atMs).toISOString()} [${n.severity}] ${n.title}: ${n.body}${delivered ? '' : ' (not shown: no notification service)'}\n`));
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
  await runtime.stop();
  await http.close();
  return EXIT.ok;
}

async function serve(io: CliIo, config: BurnrateConfig, port: number, demo: boolean): Promise<number> {
  const { runtime, http } = createCliRuntime(io, config, { timeoutMs: 30_000, quiet: false, demo });
  const signal = waitForSignal();
  let server: StatusServer | undefined;
  try {
    // Listen first: a busy port is reported at once, not after the first refresh. Nobody can
    // read the not-yet-refreshed status meanwhile: the token is only printed after it.
    try {
      server = await startStatusServer({ status: () => runtime.status(), rendererDir: rendererDir(), port, logger: stderrLogger(io, config, true), version: VERSION });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EADDRINUSE' ? `port ${port} is in use; pass --port N (0 picks a free port)` : `cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    io.stderr(`Refreshing ${config.workspaces.reduce((n, w) => n + w.connections.length, 0)} connections…\n`);
    // Ctrl+C during a slow first refresh stops at once instead of after the providers' timeouts.
    const interrupted = await Promise.race([runtime.start().then(() => false), signal.then(() => true)]);
    if (!interrupted) {
      if (demo) io.stdout('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
      io.stdout(`Burnrate dashboard: ${server.url}\n`);
      io.stdout(`JSON: http://127.0.0.1:${server.port}/api/status   Prometheus: http://127.0.0.1:${server.port}/metrics   (token required; Ctrl+C to stop)\n`);
      await signal;
    }
    io.stderr('Stopping…\n');
    return EXIT.ok;
  } finally {
    await server?.close();
    await runtime.stop();
    await http.close();
  }
}

async function serveCommand(io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' } });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const port = parsePort(values.port);
  return serve(io, loadCliConfig(io, values.config), port, false);
}

async function demoCommand(io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', short: 'p' }, once: { type: 'boolean' }, json: { type: 'boolean' } });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const port = parsePort(values.port);
  const demo = await startDemo();
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(demo.config, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    // Demo snapshots live with the demo config and vanish with it.
    const demoIo: CliIo = { ...io, env: { ...io.env, BURNRATE_STATE_DIR: dir } };
    const config = loadCliConfig(demoIo, file);
    if (values.once) {
      // The table says "Demo data" itself; JSON says `"demo": true`, and people reading the terminal get this line.
      if (values.json) io.stderr('Burnrate demo data: the numbers come from built-in fake providers, not real spend.\n');
      return await printStatusOnce(demoIo, config, { json: values.json ?? false, check: false, demo: true });
    }
    return await serve(demoIo, config, port, true);
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'status':
        return await statusCommand(io, rest);
      case 'watch':
        return await watchCommand(io, rest);
      case 'serve':
        return await serveCommand(io, rest);
      case 'demo':
        return await demoCommand(io, rest);
      case '--version':
      case '-v':
        io.stdout(`burnrate ${VERSION}\n`);
        return EXIT.ok;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return EXIT.ok;
      case undefined:
        io.stderr(USAGE);
        return EXIT.usage;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      reportConfigError(io, error);
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`burnrate: ${error.message}\nRun "burnrate --help" for usage.\n`);
      return EXIT.usage;
    }
    // A bug, not a provider or config problem: say so plainly (exit 70, EX_SOFTWARE).
    io.stderr(`burnrate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}
