/**
 * Shared plumbing of the CLI end-to-end tests: they run the REAL `burnrate` binary
 * (`node bin/burnrate.js`, which loads the built out/main/cli.js) against the loopback fakes of
 * every registered provider (main/providers/<id>/<id>.fake.ts), started in the test process.
 *
 * Exactness: the fakes run on a FROZEN clock (`frozenNowMs`, taken just before the CLI starts).
 * They then record usage only through that instant, whatever the CLI asks later, so the truth
 * of `[periodStart, cliNow)` is a fixed number the test can compute before or after the run:
 * the CLI's clock is always at or past the fakes' one, so its range covers everything recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { PROVIDER_IDS, providerEntry, type ProviderId } from '../../main/providers/registry';
import type { ProviderFake } from '../../main/providers/types';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The package's bin. */
export const BIN = join(ROOT, 'bin', 'burnrate.js');
/** The bundle the bin loads. */
export const CLI_BUNDLE = join(ROOT, 'out', 'main', 'cli.js');

function newestMtimeMs(dir: string, accept: (file: string) => boolean): { ms: number; file: string } {
  let newest = { ms: 0, file: '' };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = newestMtimeMs(path, accept);
      if (inner.ms > newest.ms) newest = inner;
    } else if (accept(path)) {
      const ms = statSync(path).mtimeMs;
      if (ms > newest.ms) newest = { ms, file: path };
    }
  }
  return newest;
}

/**
 * Fails with a clear message when out/main/cli.js is missing or older than the code it bundles
 * (main/{cli,core,demo,providers,services}, preload/): the tests must exercise the code under review, not an old build.
 * `npm test` builds first; alone, run `npx electron-vite build`.
 */
export function assertFreshBuild(): void {
  const hint = 'run `npx electron-vite build` first (npm test does it before the unit tests)';
  let builtMs: number;
  try {
    builtMs = statSync(CLI_BUNDLE).mtimeMs;
  } catch {
    throw new Error(`The CLI end-to-end tests need the built CLI at ${CLI_BUNDLE}, which is missing: ${hint}.`);
  }
  const source = (file: string) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file);
  // What out/main/cli.js bundles (main/electron and main/index.ts go into the app bundle instead).
  for (const dir of ['main/cli', 'main/core', 'main/demo', 'main/providers', 'main/services', 'preload']) {
    const newest = newestMtimeMs(join(ROOT, dir), source);
    if (newest.ms > builtMs) {
      throw new Error(`The built CLI ${CLI_BUNDLE} is older than ${newest.file}: ${hint}.`);
    }
  }
}

/** What one finished CLI run produced. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Every API key the tests hand out (valid and invalid ones): none may ever be printed. */
const secrets = new Set<string>();

/** A fresh, distinctive API key, registered so that every CLI run is checked for leaks. */
export function newKey(prefix: string): string {
  const key = `${prefix}${randomBytes(16).toString('hex')}`;
  secrets.add(key);
  return key;
}

/** Secret forms that must never be printed: the key and its Basic-auth encodings (Civis). */
function leakForms(key: string): string[] {
  return [key, Buffer.from(`${key}:`).toString('base64'), Buffer.from(key).toString('base64')];
}

/** Throws when any registered key (or its base64 form) appears in the text. */
export function assertNoSecrets(text: string, where: string): void {
  for (const key of secrets) {
    for (const form of leakForms(key)) {
      if (text.includes(form)) throw new Error(`An API key (${key.slice(0, 6)}…) appeared in ${where}:\n${text}`);
    }
  }
}

/** A temp folder removed by {@link cleanupTempDirs}. */
const tempDirs: string[] = [];
export function tempDir(prefix = 'burnrate-cli-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * An isolated environment for one CLI run: HOME, XDG folders and BURNRATE_STATE_DIR inside `dir`
 * (no snapshot leaks between tests), nothing inherited that could change the behaviour
 * (BURNRATE_CONFIG, BURNRATE_HTTP_TIMEOUT_MS…), and a D-Bus address that fails fast so
 * notifications cannot block.
 */
export function isolatedEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  const state = join(dir, 'state');
  // Private, as burnrate creates it: a looser folder is repaired with a warning on stderr.
  mkdirSync(state, { recursive: true, mode: 0o700 });
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    BURNRATE_STATE_DIR: state,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-dbus')}`,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/** Writes a config file (mode 0600 unless told otherwise) and returns its path. */
export function writeConfig(dir: string, config: unknown, options: { mode?: number; name?: string; raw?: string } = {}): string {
  const file = join(dir, options.name ?? 'config.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, options.raw ?? `${JSON.stringify(config, null, 2)}\n`, { mode: options.mode ?? 0o600 });
  chmodSync(file, options.mode ?? 0o600);
  return file;
}

/**
 * Starts the binary: `node bin/burnrate.js` with this Node (vitest runs on the project's Node 24),
 * or through `npx --no-install burnrate` exactly as the README says (npx finds the package's bin
 * and the project's Node).
 */
export function spawnCli(args: readonly string[], env: Record<string, string>, via: 'node' | 'npx' = 'node'): ChildProcess {
  if (via === 'npx') {
    return spawn('npx', ['--no-install', 'burnrate', ...args], {
      cwd: ROOT,
      env: { ...env, NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_OFFLINE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the binary to completion (killed after `timeoutMs`, a hang guard just under the test timeout) and checks that no key leaked. */
export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 170_000, via: 'node' | 'npx' = 'node'): Promise<CliResult> {
  const started = performance.now();
  const child = spawnCli(args, env, via);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`burnrate ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        assertNoSecrets(stdout, `stdout of burnrate ${args.join(' ')}`);
        assertNoSecrets(stderr, `stderr of burnrate ${args.join(' ')}`);
      } catch (error) {
        reject(error as Error);
        return;
      }
      resolvePromise({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/**
 * Resolves once `emitter` has emitted `event` and `condition` holds (checked now and after each
 * emission): waiting on the event meant, never on a clock. Rejects when `abandon` settles first
 * (the process exited). Hangs are caught by the test's own timeout.
 */
export function waitForEvent(
  emitter: { on(event: string, listener: () => void): unknown; off(event: string, listener: () => void): unknown },
  event: string,
  condition: () => boolean,
  what: string,
  abandon?: Promise<unknown>,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const check = (): void => {
      if (!condition()) return;
      emitter.off(event, check);
      resolvePromise();
    };
    emitter.on(event, check);
    void abandon?.then(() => {
      emitter.off(event, check);
      if (!condition()) reject(new Error(`gave up waiting until ${what}`));
      else resolvePromise();
    });
    check();
  });
}

/**
 * Resolves when `server` records its next request (the moment the fake received it): the event,
 * not a poll. Hooks the fake's request log, which every request goes through.
 */
export function nextRequest(server: { readonly requests: unknown[] }): Promise<void> {
  return new Promise((resolvePromise) => {
    const log = server.requests;
    const push = log.push.bind(log);
    log.push = (...items: unknown[]): number => {
      log.push = push;
      const length = push(...items);
      resolvePromise();
      return length;
    };
  });
}

/** Every {@link LiveCli} whose process has not exited: killed after its test file (see withFakes). */
const liveProcesses = new Set<LiveCli>();

/** A long-running CLI process (serve, watch, demo) with its output so far. */
export class LiveCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], env: Record<string, string>) {
    this.child = spawnCli(args, env);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolvePromise) => this.child.on('close', (code, signal) => resolvePromise({ code, signal })));
    liveProcesses.add(this);
    void this.exited.then(() => liveProcesses.delete(this));
  }

  /** The process id (the same after `bin/burnrate.js` replaced itself with execve). */
  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Waits until stdout matches `pattern` (checked on every chunk of output); returns the match.
   * Fails when the process exits first; a hang is caught by the test's timeout, not a clock here.
   */
  async waitForStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    try {
      await waitForEvent(this.child.stdout!, 'data', () => pattern.test(this.stdout), `stdout matched ${pattern}`, this.exited);
    } catch {
      throw new Error(`stdout never matched ${pattern} (the process exited)\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
    }
    return this.stdout.match(pattern)!;
  }

  /** Waits until stderr matches `pattern` (checked on every chunk of it); like {@link waitForStdout}. */
  async waitForStderr(pattern: RegExp): Promise<RegExpMatchArray> {
    try {
      await waitForEvent(this.child.stderr!, 'data', () => pattern.test(this.stderr), `stderr matched ${pattern}`, this.exited);
    } catch {
      throw new Error(`stderr never matched ${pattern} (the process exited)\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
    }
    return this.stderr.match(pattern)!;
  }

  /**
   * Sends a signal and waits for the process to exit by itself (a process that does not is caught
   * by the test's timeout and killed by `kill()` in cleanup); checks that no key leaked.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    const result = await this.exited;
    assertNoSecrets(this.stdout, 'stdout of a long-running burnrate');
    assertNoSecrets(this.stderr, 'stderr of a long-running burnrate');
    return result;
  }

  /** Kills the process without checks (cleanup after a failed test). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** A fake of every registered provider with one valid key each, on a frozen clock. */
export type FakeSet = {
  readonly nowMs: number;
  readonly keys: Readonly<Record<ProviderName, string>>;
  stop(): Promise<void>;
} & { readonly [K in ProviderName]: ProviderFake };

/** A registered provider id. */
export type ProviderName = ProviderId;
/** Every registered provider id, in display order (the registry is the one list). */
export const PROVIDERS: readonly ProviderName[] = PROVIDER_IDS;

/** USD per Civis credit in the test configs: the demo's price (added by {@link connectionFor}). */
export const USD_PER_CREDIT = providerEntry('civis').demo.settings?.usdPerCredit as number;

/**
 * Starts every registered provider's fake on a clock frozen at `nowMs` (default: now). Lags are
 * realistic but irrelevant to exactness: with a frozen clock the recorded data no longer moves.
 */
export async function startFakes(nowMs = Date.now()): Promise<FakeSet> {
  const now = () => nowMs;
  const keys = Object.fromEntries(PROVIDERS.map((id) => [id, newKey(`${providerEntry(id).fake.keyPrefix}e2e_`)])) as Record<ProviderName, string>;
  const started = await Promise.all(PROVIDERS.map((id) => providerEntry(id).fake.start({ apiKey: keys[id], now, lagMs: providerEntry(id).fake.lagMs })));
  const fakes = Object.fromEntries(PROVIDERS.map((id, index) => [id, started[index]!])) as Record<ProviderName, ProviderFake>;
  return {
    nowMs,
    keys,
    ...fakes,
    stop: async () => {
      await Promise.all(started.map((fake) => fake.stop()));
    },
  };
}

/**
 * The fakes for a test file: checks the build and starts every provider's fake before the file's
 * tests (handing them to `ready`), and stops them and removes the temporary folders after.
 */
export function withFakes(ready: (fakes: FakeSet) => void): void {
  let started: FakeSet | undefined;
  beforeAll(async () => {
    assertFreshBuild();
    started = await startFakes();
    ready(started);
  });
  afterAll(async () => {
    // A test stopped by its timeout never reached its own stop(): its process would outlive the run.
    for (const live of liveProcesses) live.kill();
    await started?.stop();
    cleanupTempDirs();
  });
}

/**
 * The config-file connection for one fake (key inline unless `apiKey` is overridden), with the
 * settings the fake needs and the demo's (Civis: org id and credit price).
 */
export function connectionFor(fakes: FakeSet, provider: ProviderName, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const entry = providerEntry(provider);
  const base: Record<string, unknown> = { id: provider, provider, apiKey: fakes.keys[provider], baseUrl: fakes[provider].baseUrl, ...entry.fake.settings, ...entry.demo.settings };
  const merged = { ...base, ...overrides };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** A one-workspace config (UTC, monthly) with the given connections. */
export function workspaceConfig(connections: ReadonlyArray<Record<string, unknown>>, workspace: Record<string, unknown> = {}): Record<string, unknown> {
  return { workspaces: [{ id: 'team', name: 'Team', timeZone: 'UTC', ...workspace, connections }] };
}

/** Shape of a JSON value: keys and types, recursively (arrays by their first element). */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]));
  }
  return typeof value;
}
