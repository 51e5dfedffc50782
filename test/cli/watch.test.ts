/**
 * `burnrate watch` end to end: it polls, prints a status line and the engine's notifications,
 * and exits 0 on SIGINT and on SIGTERM.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertFreshBuild,
  cleanupTempDirs,
  connectionFor,
  isolatedEnv,
  LiveCli,
  newKey,
  runCli,
  startFakes,
  tempDir,
  nextRequest,
  workspaceConfig,
  writeConfig,
  type FakeSet,
} from './helpers';

let fakes: FakeSet;
const live: LiveCli[] = [];

beforeAll(async () => {
  assertFreshBuild();
  fakes = await startFakes();
});

afterAll(async () => {
  for (const watch of live.splice(0)) watch.kill();
  await fakes?.stop();
  cleanupTempDirs();
});

function startWatch(config: unknown): LiveCli {
  const dir = tempDir();
  const file = writeConfig(dir, config);
  const watch = new LiveCli(['watch', '--config', file], isolatedEnv(dir));
  live.push(watch);
  return watch;
}

/** `<local time with zone> Team: $1,234.56 spent, $12.34/h, ~$2,345.67 projected, 12.3% of budget used`, e.g. `Nov 26 15:05 UTC Team: …` */
const STATUS_LINE = /^\S+ \d{1,2} \d\d:\d\d \S+ Team: \$[\d,]+\.\d\d spent, \$[\d,]+\.\d\d\/h, ~\$[\d,]+\.\d\d projected, [\d.]+% of budget used/m;

describe.concurrent('burnrate watch', () => {
  it('prints a status line and the engine\'s notifications, then exits 0 on SIGINT', async () => {
    // A rejected key is connection trouble at once (the rule does not wait for 3 intervals).
    const revoked = newKey('bt_revoked_');
    const watch = startWatch(
      workspaceConfig([connectionFor(fakes, 'limitry'), connectionFor(fakes, 'baseten', { apiKey: revoked })], { budget: { amountUsd: 1_000_000 } }),
    );
    await watch.waitForStdout(STATUS_LINE);
    const notification = await watch.waitForStdout(/^\S+ \d{1,2} \d\d:\d\d \S+ \[(critical|warning|info)\] (.+)$/m);
    expect(notification[2]).toMatch(/Baseten/);
    expect(watch.stdout).toMatch(/1 connection\(s\) failing/);
    expect(watch.stderr).toContain('Watching 1 workspace');
    const result = await watch.stop('SIGINT');
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('exits 0 on SIGTERM', async () => {
    const watch = startWatch(workspaceConfig([connectionFor(fakes, 'civis')], { budget: { amountUsd: 1_000_000 } }));
    await watch.waitForStdout(STATUS_LINE);
    const result = await watch.stop('SIGTERM');
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('exits 0 on SIGINT while the first refresh still hangs', async () => {
    const own = await startFakes();
    try {
      own.baseten.server.inject({ type: 'hang' }, { times: Infinity });
      const firstRequest = nextRequest(own.baseten.server);
      const watch = startWatch(workspaceConfig([connectionFor(own, 'baseten')]));
      await firstRequest;
      // Exits by itself on the signal (not killed) although the request never ends.
      const result = await watch.stop('SIGINT');
      expect(result).toMatchObject({ code: 0, signal: null });
    } finally {
      await own.stop();
    }
  });

  it('two watchers on one state folder decide a notification once, and one of them shows it', async () => {
    const dir = tempDir();
    // A notify-send that records each call (node-notifier finds it first on PATH) and succeeds.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const shownLog = join(dir, 'shown.log');
    writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${shownLog}'\n`);
    chmodSync(join(bin, 'notify-send'), 0o755);
    const revoked = newKey('bt_revoked_');
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'baseten', { apiKey: revoked })], { budget: { amountUsd: 1_000_000 } }));
    const env = isolatedEnv(dir, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    const watchers = [new LiveCli(['watch', '--config', file], env), new LiveCli(['watch', '--config', file], env)];
    live.push(...watchers);
    // Both have refreshed and decided (a rejected key is connection trouble at once)…
    await Promise.all(watchers.map((watch) => watch.waitForStdout(/ Team: spend unknown, 1 connection\(s\) failing$/m)));
    // …and the one that decided it has shown it.
    const notified = /\[(critical|warning|info)\] .*Baseten/;
    await Promise.race(watchers.map((watch) => watch.waitForStdout(notified)));
    for (const watch of watchers) expect(await watch.stop('SIGINT')).toMatchObject({ code: 0, signal: null });
    const db = new DatabaseSync(join(dir, 'state', 'burnrate.sqlite'), { readOnly: true });
    const decided = db.prepare("SELECT key, delivered_at_ms FROM notifications WHERE key LIKE '%connection:%'").all();
    db.close();
    expect(decided).toHaveLength(1);
    expect(decided[0]!.delivered_at_ms).not.toBeNull();
    expect(watchers.filter((watch) => notified.test(watch.stdout))).toHaveLength(1);
    expect(existsSync(shownLog) ? readFileSync(shownLog, 'utf8').trim().split('\n') : []).toHaveLength(1);
  });

  it.runIf(process.platform === 'linux')('runs with glibc malloc set to give memory back, keeping what the user set, and --liftoff-only', async () => {
    const environOf = (watch: LiveCli): Record<string, string> =>
      Object.fromEntries(readFileSync(`/proc/${watch.pid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
    const config = workspaceConfig([connectionFor(fakes, 'limitry')], { budget: { amountUsd: 1_000_000 } });
    const plain = startWatch(config);
    const dir = tempDir();
    const own = new LiveCli(['watch', '--config', writeConfig(dir, config)], isolatedEnv(dir, { MALLOC_TRIM_THRESHOLD_: '999999' }));
    live.push(own);
    // The status line comes from the process as it runs after its one execve.
    await Promise.all([plain.waitForStdout(STATUS_LINE), own.waitForStdout(STATUS_LINE)]);
    expect(environOf(plain)).toMatchObject({ MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' });
    expect(environOf(own)).toMatchObject({ MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '999999' });
    // And with WebAssembly on V8's baseline compiler, a flag that works only from the command line.
    const argvOf = (watch: LiveCli): string[] => readFileSync(`/proc/${watch.pid}/cmdline`, 'utf8').split('\0');
    for (const watch of [plain, own]) expect(argvOf(watch).filter((arg) => arg === '--liftoff-only')).toHaveLength(1);
    for (const watch of [plain, own]) expect(await watch.stop('SIGINT')).toMatchObject({ code: 0, signal: null });
  });

  it('exits 2 on a bad config with nothing on stdout', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, { workspaces: [{ id: 'team', connections: [{ id: 'x', provider: 'limitry', apiKey: newKey('lmtry_sk_'), colour: 'red' }] }] });
    const result = await runCli(['watch', '--config', file], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('workspaces[0].connections[0]: unknown key "colour"');
  });
});
