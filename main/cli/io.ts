/**
 * What every command needs: streams, environment, and the shared plumbing that turns a config
 * file into a running engine (HTTP client, spend database, logger).
 */
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact } from '../core/redact';
import { createHttpClient, type HttpClient } from '../providers/http';
import { ConfigError, loadConfig, osDirs, resolveConfigPath, type BurnrateConfig } from '../services/config';
import { createLogger } from '../services/logger';
import type { Logger, Notifier } from '../services/ports';
import { systemClock } from '../services/ports';
import { Runtime, type RuntimeOptions } from '../services/runtime';
import { securePrivateDir } from '../services/privateFile';
import { SpendDb, SPEND_DB_FILE } from '../services/spendDb';
import { openSpendStore, type SpendStore } from '../services/spendStore';

/** Streams and environment of one invocation (the real process by default). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour is on by default only then). */
  readonly stdoutIsTTY?: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
};

/** Exit codes of the `burnrate` command (README "Exit codes"). */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, connectionsFailed: 3 } as const;

export { UsageError } from './args';

/** Loads the config named by --config / $BURNRATE_CONFIG / the OS default; prints warnings. */
export function loadCliConfig(io: CliIo, flag: string | undefined): BurnrateConfig {
  const file = resolve(resolveConfigPath(flag, io.env));
  const config = loadConfig(file, io.env);
  for (const warning of config.warnings) io.stderr(`burnrate: warning: ${warning}\n`);
  return config;
}

/** Prints a configuration error to stderr (file, JSON path, what is wrong); stdout stays empty. */
export function reportConfigError(io: CliIo, error: ConfigError): void {
  io.stderr(`burnrate: invalid configuration in ${error.file}\n`);
  for (const problem of error.problems) io.stderr(`  ${problem.path}: ${problem.message}\n`);
}

/** The CLI's state folder: $BURNRATE_STATE_DIR, else the OS state folder (`~/.local/state/burnrate` on Linux). */
export function stateDirFor(env: CliIo['env']): string {
  return env.BURNRATE_STATE_DIR || osDirs(env).state;
}

/**
 * Where earlier versions kept snapshots: one JSON file per config file, and a separate one per
 * `scope` (a `--workspace` run). Only read to import them into the spend database once.
 */
export function snapshotFileFor(configFile: string, env: CliIo['env'], scope?: string): string {
  const id = createHash('sha256')
    .update(resolve(configFile) + (scope === undefined ? '' : `\0${scope}`))
    .digest('hex')
    .slice(0, 16);
  return join(stateDirFor(env), `snapshots-${id}.json`);
}

/** The spend database's namespace of a config file: config files sharing a state folder keep apart. */
export function namespaceFor(configFile: string): string {
  return `config:${createHash('sha256').update(resolve(configFile)).digest('hex').slice(0, 16)}`;
}

/**
 * Opens the spend database of the state folder (`<state dir>/burnrate.sqlite`) and the engine's
 * store over it; imports the JSON snapshots of earlier versions for this config once (the
 * whole-config file with its alert state, and each workspace's `--workspace` file), then they are gone.
 */
export function openCliStore(io: CliIo, config: BurnrateConfig, logger: Logger): { db: SpendDb; store: SpendStore } {
  // The whole state folder is Burnrate's: 0700, its files 0600, crash leftovers removed.
  securePrivateDir(stateDirFor(io.env), logger, { owns: (name) => name.startsWith('snapshots-') || name.startsWith(SPEND_DB_FILE) });
  const db = SpendDb.open(join(stateDirFor(io.env), SPEND_DB_FILE), { logger });
  const store = openSpendStore({
    db,
    namespace: namespaceFor(config.file),
    config,
    logger,
    legacyFiles: [
      { file: snapshotFileFor(config.file, io.env), withAlerts: true },
      ...config.workspaces.map((w) => ({ file: snapshotFileFor(config.file, io.env, `workspace:${w.workspace.id}`), withAlerts: false })),
    ],
  });
  return { db, store };
}

/** Per-request timeout: $BURNRATE_HTTP_TIMEOUT_MS (for slow links and tests), else `fallbackMs`. */
export function httpTimeoutMs(env: CliIo['env'], fallbackMs: number): number {
  const value = Number(env.BURNRATE_HTTP_TIMEOUT_MS);
  return Number.isFinite(value) && value >= 100 ? value : fallbackMs;
}

/** A logger to stderr that redacts the config's secrets. */
export function stderrLogger(io: CliIo, config: BurnrateConfig | undefined, quiet: boolean): Logger {
  return createLogger({ write: (line) => io.stderr(`burnrate: ${line}\n`), secrets: () => config?.secrets ?? [], quiet });
}

/** Builds the engine for a command. */
export function createCliRuntime(
  io: CliIo,
  config: BurnrateConfig,
  options: { timeoutMs: number; quiet: boolean; notifier?: Notifier; demo?: boolean; persist?: boolean; opened?: ReturnType<typeof openCliStore> } & Pick<
    RuntimeOptions,
    'onNotification' | 'onRefresh' | 'heavyFetchesAtOnce'
  >,
): { runtime: Runtime; http: HttpClient; logger: Logger; db: SpendDb | undefined; store: SpendStore | undefined; close: () => Promise<void> } {
  const http = createHttpClient({ timeoutMs: httpTimeoutMs(io.env, options.timeoutMs), userAgent: 'burnrate-cli', now: () => systemClock.now() });
  const logger = stderrLogger(io, config, options.quiet);
  // The spend database, unless the command opened it already (serve reads its kept document first).
  const opened = options.persist === false ? undefined : (options.opened ?? openCliStore(io, config, logger));
  const store = opened?.store;
  const runtime = new Runtime({
    config,
    http,
    clock: systemClock,
    logger,
    ...(store ? { store } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...(options.onNotification ? { onNotification: options.onNotification } : {}),
    ...(options.onRefresh ? { onRefresh: options.onRefresh } : {}),
    ...(options.heavyFetchesAtOnce === undefined ? {} : { heavyFetchesAtOnce: options.heavyFetchesAtOnce }),
    demo: options.demo ?? false,
  });
  const close = async (): Promise<void> => {
    await runtime.stop();
    await http.close();
    opened?.db.close();
  };
  return { runtime, http, logger, db: opened?.db, store, close };
}

/** The built renderer folder next to the CLI bundle (out/main/cli.js → out/renderer). */
export function rendererDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return join(here, '..', 'renderer');
}

/** Redacts the config's secrets from any text about to be printed. */
export function safeText(config: BurnrateConfig | undefined, text: string): string {
  return config ? redact(text, config.secrets) : text;
}

/** Resolves with the first SIGINT or SIGTERM (Ctrl+C, a service manager stopping us). */
export function waitForSignal(): Promise<NodeJS.Signals> {
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
