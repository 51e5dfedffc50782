/**
 * Instant start (issue 11): a command loads only what it uses. `status` answering from a warm spend
 * database loads no fake, no HTTP client (undici), no node:http or node:zlib, prom-client or node-notifier;
 * `serve` loads prom-client at the first scrape, not at start; `watch` node-notifier at its first
 * notification. The real binary, with a module hook
 * preloaded (test/support/loadedModules.mjs) that lists what the process loaded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { connectionFor, isolatedEnv, LiveCli, newKey, PROVIDERS, ROOT, runCli, startFakes, tempDir, withFakes, workspaceConfig, writeConfig, type FakeSet } from './helpers';

const HOOK = join(ROOT, 'test', 'support', 'loadedModules.mjs');
const INTL_HOOK = join(ROOT, 'test', 'support', 'intlCalls.mjs');

let fakes: FakeSet;
withFakes((started) => {
  fakes = started;
});

/** An environment that records the modules the process loads into `<dir>/<name>.txt`. */
function recording(dir: string, env: Record<string, string>, name: string): { env: Record<string, string>; loaded: () => string[] } {
  const file = join(dir, `${name}.txt`);
  return {
    env: { ...env, NODE_OPTIONS: `--import ${HOOK}`, BURNRATE_TEST_LOADED_MODULES: file },
    loaded: () => readFileSync(file, 'utf8').split('\n'),
  };
}

/** A config in `dir` with one workspace (`workspace` over the defaults) holding a connection to each provider's fake (the team server's aside). */
function everyProviderConfig(dir: string, workspace: Record<string, unknown> = {}): string {
  return writeConfig(dir, workspaceConfig(PROVIDERS.filter((p) => p !== 'burnrate').map((p) => connectionFor(fakes, p)), workspace));
}

/** What a command that makes no request and serves no fake must not load. */
function heavyIn(loaded: readonly string[]): string[] {
  return loaded.filter(
    (entry) =>
      /\/node_modules\/(undici|prom-client|node-notifier)\//.test(entry) ||
      /\/out\/main\/chunks\/(harness-|[\w]+\.fake-)/.test(entry) ||
      entry === 'NativeModule http' ||
      entry === 'NativeModule zlib' ||
      entry === 'NativeModule internal/deps/undici/undici',
  );
}

describe('instant start', () => {
  it('status from a warm database loads no fake, HTTP client, node:http, node:zlib, prom-client or node-notifier', async () => {
    const dir = tempDir();
    const file = everyProviderConfig(dir);
    const env = isolatedEnv(dir);
    const warm = await runCli(['status', '--config', file, '--json', '--refresh'], env);
    expect(warm.code, warm.stderr).toBe(0);

    const fresh = recording(dir, env, 'fresh');
    const answered = await runCli(['status', '--config', file, '--json'], fresh.env);
    expect(answered.code, answered.stderr).toBe(0);
    expect(heavyIn(fresh.loaded())).toEqual([]);

    // The check can fail: the demo starts the fakes, so it loads them and node:http.
    const demo = recording(dir, env, 'demo');
    const once = await runCli(['demo', '--once', '--json'], demo.env);
    expect(once.code, once.stderr).toBe(0);
    expect(heavyIn(demo.loaded())).toEqual(expect.arrayContaining(['NativeModule http', 'NativeModule zlib', expect.stringMatching(/\.fake-/)]));
  });

  it('a refresh sends its requests over HTTP/1.1 without loading node:http2 (main/providers/undiciParts.ts)', async () => {
    const dir = tempDir();
    const file = everyProviderConfig(dir);
    const refresh = recording(dir, isolatedEnv(dir), 'refresh');
    const asked = fakes.tensorone.server.requests.length;
    const run = await runCli(['status', '--config', file, '--json', '--refresh'], refresh.env);
    expect(run.code, run.stderr).toBe(0);
    expect(fakes.tensorone.server.requests.length).toBeGreaterThan(asked);
    const loaded = refresh.loaded();
    // undici's client did the requests, and undici's client requires its HTTP/2 file at load.
    expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(/\/node_modules\/undici\/lib\/dispatcher\/client\.js$/)]));
    expect(loaded.filter((entry) => /^NativeModule (http2|internal\/http2\/)/.test(entry))).toEqual([]);
  });

  it('a refresh and its human-readable output start no ICU: time zones come from the tz database (main/services/systemZones.ts)', async () => {
    const dir = tempDir();
    // A zone with daylight saving for the workspace, another for the system's clock ($TZ).
    const file = everyProviderConfig(dir, { timeZone: 'Europe/Berlin' });
    const calls = join(dir, 'intl.txt');
    const env = { ...isolatedEnv(dir, { TZ: 'America/New_York' }), NODE_OPTIONS: `--import ${INTL_HOOK}`, BURNRATE_TEST_INTL_CALLS: calls };
    const run = await runCli(['status', '--config', file, '--refresh'], env);
    expect(run.code, run.stderr).toBe(0);
    // The period in Berlin's zone, and the data's time in New York's, with its abbreviation.
    expect(run.stdout).toMatch(/\b(Nov|Dec|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct) \d+ \d\d:\d\d E[SD]T\b/);
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean)).toEqual([]);
  });

  it("status keeps V8's compile cache in the OS cache folder, and NODE_DISABLE_COMPILE_CACHE turns it off", async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'tensorone')]));
    const cache = join(dir, 'xdg-cache', 'burnrate', 'compile-cache');
    const off = await runCli(['status', '--config', file, '--json'], isolatedEnv(dir, { XDG_CACHE_HOME: join(dir, 'xdg-cache'), NODE_DISABLE_COMPILE_CACHE: '1' }));
    expect(off.code, off.stderr).toBe(0);
    expect(existsSync(cache)).toBe(false);
    const on = await runCli(['status', '--config', file, '--json'], isolatedEnv(dir, { XDG_CACHE_HOME: join(dir, 'xdg-cache') }));
    expect(on.code, on.stderr).toBe(0);
    // One folder per Node version and V8 flags, holding an entry per compiled module.
    const entries = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(entries.length).toBeGreaterThan(0);
  });

  it('serve answers from a warm database at once and does not fetch fresh connections again at start', async () => {
    const own = await startFakes();
    try {
      const dir = tempDir();
      const file = writeConfig(dir, workspaceConfig([connectionFor(own, 'tensorone')]));
      const env = isolatedEnv(dir);
      const warm = await runCli(['status', '--config', file, '--json', '--refresh'], env);
      expect(warm.code, warm.stderr).toBe(0);
      const stored = (JSON.parse(warm.stdout) as StatusDocument).workspaces[0]!.connections[0]!;
      // A request now would hang: a refresh at start would leave the connection stale, from cache.
      own.tensorone.server.inject({ type: 'hang' }, { times: Infinity });
      const asked = own.tensorone.server.requests.length;
      const cli = new LiveCli(['serve', '--config', file, '--port', '0'], env);
      try {
        const url = new URL((await cli.waitForStdout(/Burnrate dashboard: (\S+)/))[1]!);
        const answer = await fetch(`${url.origin}/api/status`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
        const served = ((await answer.json()) as StatusDocument).workspaces[0]!.connections[0]!;
        expect(served).toMatchObject({ status: 'ok', spentUsd: stored.spentUsd, fetchedAt: stored.fetchedAt });
        expect(served).not.toHaveProperty('stale');
      } finally {
        await cli.stop('SIGINT');
      }
      expect(own.tensorone.server.requests.length).toBe(asked);
    } finally {
      await own.stop();
    }
  });

  it('serve shows the document the last run kept at once, marked kept, then live ones; never one kept for another config', async () => {
    const dir = tempDir();
    const connections = [connectionFor(fakes, 'tensorone')];
    const file = writeConfig(dir, workspaceConfig(connections));
    const env = isolatedEnv(dir);
    const warm = await runCli(['status', '--config', file, '--json', '--refresh'], env);
    expect(warm.code, warm.stderr).toBe(0);
    const printed = JSON.parse(warm.stdout) as StatusDocument;
    const dataBlock = (html: string): { kept: boolean; document: StatusDocument } => {
      const match = /<script type="application\/json" id="burnrate-status"( data-kept)?>([^<]*)<\/script>/.exec(html);
      expect(match, html).not.toBeNull();
      return { kept: match![1] !== undefined, document: JSON.parse(match![2]!) as StatusDocument };
    };
    const firstPageAndThenStatus = async (): Promise<{ page: { kept: boolean; document: StatusDocument }; live: StatusDocument }> => {
      const cli = new LiveCli(['serve', '--config', file, '--port', '0'], env);
      try {
        const url = new URL((await cli.waitForStdout(/Burnrate dashboard: (\S+)/))[1]!);
        const page = dataBlock(await (await fetch(url)).text());
        const answer = await fetch(`${url.origin}/api/status`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
        return { page, live: (await answer.json()) as StatusDocument };
      } finally {
        await cli.stop('SIGINT');
      }
    };
    // The page carries the very document `status` printed (its time included), kept in the spend
    // database; /api/status then answers one made now.
    const first = await firstPageAndThenStatus();
    expect(first.page).toEqual({ kept: true, document: printed });
    expect(first.live.generatedAt).not.toBe(printed.generatedAt);
    expect(first.live.workspaces[0]!.connections[0]).toMatchObject({ spentUsd: printed.workspaces[0]!.connections[0]!.spentUsd });

    // Nobody asks: the engine still starts (2 s after the URL)
    // and begins its refresh round.
    const idle = new LiveCli(['serve', '--config', file, '--port', '0'], env);
    try {
      await idle.waitForStdout(/Burnrate dashboard: (\S+)/);
      await idle.waitForStderr(/Refreshing the connections whose stored data is older than/);
    } finally {
      await idle.stop('SIGINT');
    }

    // An edited budget: the kept document does not fit this config, so the page gets a live one.
    writeConfig(dir, workspaceConfig(connections, { budget: { amountUsd: 777, period: 'month' } }));
    const edited = await firstPageAndThenStatus();
    expect(edited.page.kept).toBe(false);
    expect(edited.page.document.workspaces[0]!.budget).toMatchObject({ amountUsd: 777 });
  });

  it('watch loads node-notifier at its first notification, not at start', async () => {
    /** Runs watch until `until` is on stdout, stops it; returns the node-notifier files it loaded. */
    const run = async (name: string, connection: Record<string, unknown>, until: RegExp): Promise<string[]> => {
      const dir = tempDir();
      const file = writeConfig(dir, workspaceConfig([connection], { budget: { amountUsd: 1_000_000 } }));
      const watch = recording(dir, isolatedEnv(dir), name);
      const cli = new LiveCli(['watch', '--config', file], watch.env);
      try {
        await cli.waitForStdout(until);
      } finally {
        expect(await cli.stop('SIGINT')).toMatchObject({ code: 0 });
      }
      return watch.loaded().filter((entry) => entry.includes('/node_modules/node-notifier/'));
    };
    // A round with nothing to notify: not loaded.
    expect(await run('quiet', connectionFor(fakes, 'tensorone'), / Team: \$[\d,.]+ spent/)).toEqual([]);
    // A rejected key is connection trouble at once: the notification loads it.
    const revoked = connectionFor(fakes, 'baseten', { apiKey: newKey('bt_revoked_') });
    expect((await run('notified', revoked, /\[(critical|warning|info)\] .*Baseten/)).length).toBeGreaterThan(0);
  });

  it('serve loads prom-client at the first scrape, not at start', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'tensorone')]));
    /** Starts serve, scrapes /metrics when asked, stops it; returns the prom-client files it loaded. */
    const run = async (name: string, scrape: boolean): Promise<string[]> => {
      const serve = recording(dir, isolatedEnv(dir), name);
      const cli = new LiveCli(['serve', '--config', file, '--port', '0'], serve.env);
      try {
        const url = new URL((await cli.waitForStdout(/Burnrate dashboard: (\S+)/))[1]!);
        if (scrape) {
          const metrics = await fetch(`${url.origin}/metrics?token=${url.searchParams.get('token')}`);
          expect(metrics.status).toBe(200);
          expect(await metrics.text()).toContain('burnrate_workspace_spend_usd');
        }
      } finally {
        await cli.stop('SIGINT');
      }
      return serve.loaded().filter((entry) => entry.includes('/node_modules/prom-client/'));
    };
    expect(await run('serve', false)).toEqual([]);
    expect((await run('scraped', true)).length).toBeGreaterThan(0);
  });
});
