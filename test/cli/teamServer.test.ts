/**
 * `burnrate serve --listen` as a team server, end to end through the real binary: a non-loopback
 * address needs a stable token and --public-host names (exit 2 otherwise), warns about TLS, prints
 * the public URL, answers requests addressed to its public names and refuses every other Host.
 * It binds 0.0.0.0 but every request goes to 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { assertFreshBuild, cleanupTempDirs, connectionFor, isolatedEnv, LiveCli, runCli, startFakes, tempDir, writeConfig, type FakeSet } from './helpers';
import { rawGet } from './rawHttp';

const TOKEN = 'team-token-0123456789abcdef';

let fakes: FakeSet;
let configFile: string;

beforeAll(async () => {
  assertFreshBuild();
  fakes = await startFakes();
  const dir = tempDir();
  configFile = writeConfig(dir, { workspaces: [{ id: 'prod', connections: [connectionFor(fakes, 'baseten')] }] });
});

afterAll(async () => {
  await fakes?.stop();
  cleanupTempDirs();
});

describe('serve --listen (team server)', () => {
  it('refuses a non-loopback address without a stable token, naming BURNRATE_TOKEN and --token-file (exit 2)', async () => {
    const result = await runCli(['serve', '--config', configFile, '--listen', '0.0.0.0:0', '--public-host', 'burnrate.test'], isolatedEnv(tempDir()));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/BURNRATE_TOKEN/);
    expect(result.stderr).toMatch(/--token-file/);
  });

  it('refuses a non-loopback address without --public-host (exit 2)', async () => {
    const result = await runCli(['serve', '--config', configFile, '--listen', '0.0.0.0:0'], isolatedEnv(tempDir(), { BURNRATE_TOKEN: TOKEN }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--public-host/);
  });

  it('rejects malformed --listen values and --listen with --port (exit 2)', async () => {
    const env = isolatedEnv(tempDir(), { BURNRATE_TOKEN: TOKEN });
    const [noPort, both, badV6] = await Promise.all([
      runCli(['serve', '--config', configFile, '--listen', '0.0.0.0'], env),
      runCli(['serve', '--config', configFile, '--listen', '127.0.0.1:0', '--port', '0'], env),
      runCli(['serve', '--config', configFile, '--listen', '[nope]:80'], env),
    ]);
    for (const result of [noPort, both, badV6]) expect(result.code).toBe(2);
    expect(noPort.stderr).toMatch(/HOST:PORT/);
    expect(both.stderr).toMatch(/not both/);
  });

  describe('with a token and public names', () => {
    let serve: LiveCli;
    let port: number;

    beforeAll(async () => {
      serve = new LiveCli(
        ['serve', '--config', configFile, '--listen', '0.0.0.0:0', '--public-host', 'burnrate.test', '--public-host', 'BURNRATE.internal'],
        isolatedEnv(tempDir(), { BURNRATE_TOKEN: TOKEN }),
      );
      const match = await serve.waitForStdout(/Burnrate dashboard: http:\/\/burnrate\.test:(\d+)\/\?token=([A-Za-z0-9_-]+)\n/);
      port = Number(match[1]);
      expect(match[2]).toBe(TOKEN);
    });

    afterAll(async () => {
      await serve?.stop('SIGINT').catch(() => serve.kill());
    });

    it('warns on stderr to terminate TLS in front of it', () => {
      expect(serve.stderr).toMatch(/warning: listening on 0\.0\.0\.0:\d+/);
      expect(serve.stderr).toMatch(/TLS/);
    });

    it('answers requests addressed to its public names (any case, any port) with the token', async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const [byName, byOther, byLoopback] = await Promise.all([
        rawGet(port, '/api/status', { ...auth, host: `burnrate.test:${port}` }),
        rawGet(port, '/api/status', { ...auth, host: 'burnrate.INTERNAL' }),
        rawGet(port, '/api/status', { ...auth, host: `127.0.0.1:${port}` }),
      ]);
      for (const answer of [byName, byOther, byLoopback]) expect(answer.status).toBe(200);
      expect((JSON.parse(byName.body) as StatusDocument).workspaces[0]?.id).toBe('prod');
    });

    it('refuses other Host names, look-alikes included, even with the token (403)', async () => {
      const hosts = ['evil.test', `burnrate.test.evil.test:${port}`, 'xburnrate.test', `burnrate.test:${port}@evil.test`, 'burnrate.test:99999999'];
      const answers = await Promise.all(hosts.map((host) => rawGet(port, '/api/status', { host, authorization: `Bearer ${TOKEN}` })));
      answers.forEach((answer, index) => expect(answer.status, `Host: ${hosts[index]}`).toBe(403));
    });

    it('still needs the token for data, and /healthz answers without it and without data', async () => {
      const [noToken, health] = await Promise.all([
        rawGet(port, '/api/status', { host: 'burnrate.test', accept: 'application/json' }),
        rawGet(port, '/healthz', { host: 'burnrate.test' }),
      ]);
      expect(noToken.status).toBe(401);
      expect(health.status).toBe(200);
      expect(health.body).toBe('ok\n');
    });
  });
});
