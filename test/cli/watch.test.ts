/**
 * `burnrate watch` end to end: it polls, prints a status line and the engine's notifications,
 * and exits 0 on SIGINT and on SIGTERM.
 */
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

/** `<local time with zone> Team: $1,234.56 spent, $12.34/h, ~$2,345.67 projected, 12.3% of budget`, e.g. `Nov 26 15:05 UTC Team: …` */
const STATUS_LINE = /^\S+ \d{1,2} \d\d:\d\d \S+ Team: \$[\d,]+\.\d\d spent, \$[\d,]+\.\d\d\/h, ~\$[\d,]+\.\d\d projected, [\d.]+% of budget/m;

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

  it('exits 2 on a bad config with nothing on stdout', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, { workspaces: [{ id: 'team', connections: [{ id: 'x', provider: 'limitry', apiKey: newKey('lmtry_sk_'), colour: 'red' }] }] });
    const result = await runCli(['watch', '--config', file], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('workspaces[0].connections[0]: unknown key "colour"');
  });
});
