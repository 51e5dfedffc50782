/**
 * Configuration end to end: where the file is found, how bad files are reported (exit 2, file,
 * JSON path and problem on stderr, nothing on stdout), keys from the environment, permissions.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { connectionFor, isolatedEnv, newKey, runCli, tempDir, withFakes, workspaceConfig, writeConfig, type CliResult, type FakeSet } from './helpers';

let fakes: FakeSet;
withFakes((started) => {
  fakes = started;
});

/** Expects a configuration error: exit 2, nothing on stdout, stderr naming the file and each `path: problem`. */
function expectConfigError(result: CliResult, file: string, problems: ReadonlyArray<readonly [string, RegExp]>): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`invalid configuration in ${file}`);
  for (const [path, message] of problems) {
    const line = result.stderr.split('\n').find((l) => l.trim().startsWith(`${path}: `));
    expect(line, `a line for ${path} in:\n${result.stderr}`).toBeDefined();
    expect(line).toMatch(message);
  }
}

async function statusWith(config: unknown, options: { raw?: string; mode?: number; env?: Record<string, string> } = {}) {
  const dir = tempDir();
  const file = writeConfig(dir, config, options);
  const result = await runCli(['status', '--config', file, '--json'], isolatedEnv(dir, options.env));
  return { result, file, dir };
}

describe.concurrent('burnrate status: bad configuration exits 2 and says where', () => {
  it('names unknown keys with their JSON path, at every level', async () => {
    const base = workspaceConfig([connectionFor(fakes, 'limitry')]);
    const [top, workspace, connection, budget] = await Promise.all([
      statusWith({ ...base, refreshIntervalSecs: 60 }),
      statusWith({ workspaces: [{ id: 'team', timeZone: 'UTC', colour: 'red', connections: [] }] }),
      statusWith(workspaceConfig([connectionFor(fakes, 'limitry'), connectionFor(fakes, 'baseten', { orgId: 7, region: 'eu' })])),
      statusWith(workspaceConfig([], { budget: { amountUsd: 10, currency: 'EUR' } })),
    ]);
    expectConfigError(top.result, top.file, [['(root)', /unknown key "refreshIntervalSecs"/]]);
    expectConfigError(workspace.result, workspace.file, [['workspaces[0]', /unknown key "colour"/]]);
    expectConfigError(connection.result, connection.file, [['workspaces[0].connections[1]', /unknown keys "orgId", "region"/]]);
    expectConfigError(budget.result, budget.file, [['workspaces[0].budget', /unknown key "currency"/]]);
  });

  it('names values of the wrong type with their JSON path', async () => {
    const { result, file } = await statusWith({
      workspaces: [
        {
          id: 'team',
          timeZone: 'Mars/Olympus',
          budget: { amountUsd: '2000', thresholdsPercent: [50, 'ninety'] },
          connections: [
            connectionFor(fakes, 'civis', { orgId: 'seven' }),
            connectionFor(fakes, 'simplismart', { planTypes: ['shared', 'free'] }),
            { id: 'x', provider: 'openai', apiKey: newKey('sk_other_') },
          ],
        },
      ],
    });
    expectConfigError(result, file, [
      ['workspaces[0].timeZone', /IANA time zone/],
      ['workspaces[0].budget.amountUsd', /number/],
      ['workspaces[0].budget.thresholdsPercent[1]', /number/],
    ]);
    const second = await statusWith(workspaceConfig([
      connectionFor(fakes, 'civis', { orgId: 'seven' }),
      connectionFor(fakes, 'simplismart', { planTypes: ['shared', 'free'] }),
      { id: 'x', provider: 'openai', apiKey: newKey('sk_other_') },
      { id: 'both', provider: 'limitry', apiKey: newKey('lmtry_sk_both_'), apiKeyEnv: 'LIMITRY_KEY' },
    ]));
    expectConfigError(second.result, second.file, [
      ['workspaces[0].connections[0].orgId', /orgId must be a number/],
      ['workspaces[0].connections[1].planTypes[1]', /plan type must be one of/],
      ['workspaces[0].connections[2].provider', /must be one of baseten, civis, limitry, simplismart, tensorone/],
      ['workspaces[0].connections[3]', /exactly one of "apiKey" or "apiKeyEnv"/],
    ]);
  });

  it('reports invalid JSON by line and column without quoting the file (which holds keys)', async () => {
    const key = fakes.keys.baseten;
    // The key lost its quotes: V8's JSON.parse message would quote the text around it.
    const unquoted = `{\n  "workspaces": [{"id": "team", "connections": [{"id": "bt", "provider": "baseten", "apiKey": ${key}}]}]\n}\n`;
    const missingComma = `{"workspaces": [{"id": "team", "connections": [{"id": "bt", "provider": "baseten", "apiKey": "${key}" "baseUrl": "x"}]}]}`;
    const [first, second, bom] = await Promise.all([
      statusWith(null, { raw: unquoted }),
      statusWith(null, { raw: missingComma }),
      statusWith(null, { raw: `\uFEFF${JSON.stringify(workspaceConfig([connectionFor(fakes, 'limitry')]))}` }),
    ]);
    expectConfigError(first.result, first.file, [['(root)', /^\s*\(root\): not valid JSON: unexpected 'b' at line 2, column \d+$/]]);
    expectConfigError(second.result, second.file, [['(root)', /not valid JSON: expected ',' or '}' after property value at line 1, column \d+$/]]);
    for (const { result } of [first, second]) expect(result.stderr).not.toContain(key.slice(0, 9));
    // A UTF-8 byte-order mark (Windows editors) is accepted.
    expect(bom.result.code, bom.result.stderr).toBe(0);
  });

  it('reports a missing file, an empty workspace list and a directory', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.json');
    const env = isolatedEnv(dir);
    const [gone, empty, folder] = await Promise.all([
      runCli(['status', '--config', missing], env),
      statusWith({ workspaces: [] }),
      runCli(['status', '--config', dir], env),
    ]);
    expectConfigError(gone, missing, [['(file)', /file not found/]]);
    expectConfigError(empty.result, empty.file, [['workspaces', /at least one workspace/]]);
    expectConfigError(folder, dir, [['(file)', /directory/]]);
  });
});

describe.concurrent('burnrate status: keys and permissions', () => {
  it('reads a key from the variable named by apiKeyEnv', async () => {
    const { result } = await statusWith(workspaceConfig([connectionFor(fakes, 'tensorone', { apiKey: undefined, apiKeyEnv: 'TENSORONE_E2E_KEY' })]), {
      env: { TENSORONE_E2E_KEY: fakes.keys.tensorone },
    });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as StatusDocument).workspaces[0]!.connections[0]).toMatchObject({ status: 'ok', error: null });
  });

  it('turns an unset apiKeyEnv into a config error of that connection only (exit 3)', async () => {
    const { result } = await statusWith(
      workspaceConfig([connectionFor(fakes, 'tensorone', { apiKey: undefined, apiKeyEnv: 'TENSORONE_E2E_UNSET' }), connectionFor(fakes, 'limitry')]),
    );
    expect(result.code, result.stderr).toBe(3);
    const [tensorone, limitry] = (JSON.parse(result.stdout) as StatusDocument).workspaces[0]!.connections;
    expect(tensorone).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'config', message: expect.stringContaining('TENSORONE_E2E_UNSET') } });
    expect(limitry).toMatchObject({ status: 'ok' });
    // Nothing was sent without a key.
    expect(fakes.tensorone.server.requests.filter((r) => !r.headers.authorization?.includes(fakes.keys.tensorone))).toHaveLength(0);
  });

  it('warns on stderr when the file is readable by other users, and still runs', async () => {
    const config = workspaceConfig([connectionFor(fakes, 'limitry')]);
    const [world, group, writable, own] = await Promise.all([
      statusWith(config, { mode: 0o644 }),
      statusWith(config, { mode: 0o640 }),
      statusWith(config, { mode: 0o620 }),
      statusWith(config, { mode: 0o600 }),
    ]);
    for (const { result, file } of [world, group, writable]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('warning');
      expect(result.stderr).toContain(file);
      expect(result.stderr).toContain('chmod 600');
      expect(JSON.parse(result.stdout)).toHaveProperty('workspaces');
    }
    expect(world.result.stderr).toContain('readable by other users (mode 644)');
    expect(group.result.stderr).toContain('readable by other users (mode 640)');
    expect(writable.result.stderr).toContain('can be changed by other users (mode 620)');
    expect(own.result.stderr).toBe('');
  });
});

describe.concurrent('burnrate status: which config file is read', () => {
  it('uses $BURNRATE_CONFIG without --config, and --config over it', async () => {
    const dir = tempDir();
    const fromEnv = writeConfig(dir, { workspaces: [{ id: 'from-env', timeZone: 'UTC', connections: [connectionFor(fakes, 'limitry')] }] }, { name: 'env.json' });
    const fromFlag = writeConfig(dir, { workspaces: [{ id: 'from-flag', timeZone: 'UTC', connections: [connectionFor(fakes, 'limitry')] }] }, { name: 'flag.json' });
    const env = isolatedEnv(dir, { BURNRATE_CONFIG: fromEnv });
    const [byEnv, byFlag] = await Promise.all([runCli(['status', '--json'], env), runCli(['status', '--json', '--config', fromFlag], env)]);
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect((JSON.parse(byEnv.stdout) as StatusDocument).workspaces[0]!.id).toBe('from-env');
    expect(byFlag.code, byFlag.stderr).toBe(0);
    expect((JSON.parse(byFlag.stdout) as StatusDocument).workspaces[0]!.id).toBe('from-flag');
  });

  it('falls back to <OS config dir>/burnrate/config.json, and names it when missing', async () => {
    const dir = tempDir();
    const env = isolatedEnv(dir);
    const expected = join(env.XDG_CONFIG_HOME!, 'burnrate', 'config.json');
    const missing = await runCli(['status'], env);
    expectConfigError(missing, expected, [['(file)', /file not found/]]);
    writeConfig(dir, { workspaces: [{ id: 'default-path', timeZone: 'UTC', connections: [connectionFor(fakes, 'limitry')] }] }, { name: join('xdg-config', 'burnrate', 'config.json') });
    const found = await runCli(['status', '--json'], env);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as StatusDocument).workspaces[0]!.id).toBe('default-path');
  });
});
