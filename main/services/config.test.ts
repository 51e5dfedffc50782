import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../providers/registry';
import { CONFIG_LIMITS, ConfigError, parseConfig, readConfigJson, resolveConfigPath, osDirs } from './config';

function problemsOf(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(raw, 'config.json', env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills defaults: month period, thresholds 50/75/90/100, 5-minute refresh, spike 3x over $5', () => {
    const config = parseConfig({ workspaces: [{ id: 'research', timeZone: 'UTC', budget: { amountUsd: 2000 }, connections: [{ id: 'bt', provider: 'baseten', apiKey: 'k_123456' }] }] }, 'f', {});
    const [w] = config.workspaces;
    expect(w?.workspace).toMatchObject({ id: 'research', name: 'research', period: 'month', forecastAlerts: false, connectionIds: ['bt'] });
    expect(w?.workspace.budget).toEqual({ amountMicros: 2_000_000_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] });
    expect(w?.connections[0]).toMatchObject({ name: 'Baseten', apiKey: 'k_123456', settings: { baseUrl: 'https://api.baseten.co' } });
    expect(config.refreshIntervalMs).toBe(300_000);
    expect(config.alerts).toEqual({ spikeFactor: 3, spikeMinMicros: 5_000_000 });
    expect(config.secrets).toEqual(['k_123456']);
  });

  it('reports every problem of the file at once, each with its JSON path', () => {
    const problems = problemsOf({
      workspaces: [
        {
          id: 'x',
          budget: { amountUsd: -5 },
          connections: [
            { id: 'a', provider: 'basetn', apiKey: 'k' },
            { id: 'b', provider: 'simplismart', apiKey: 'k', planTypes: ['private'], modelNames: ['m'] },
            { id: 'c', provider: 'civis', apiKey: 'k', apiKeyEnv: 'CIVIS_KEY', orgId: 7, colour: 'red' },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      'workspaces[0].budget.amountUsd: must be a positive amount in USD',
      `workspaces[0].connections[0].provider: must be one of ${PROVIDER_IDS.join(', ')}`,
      expect.stringMatching(/^workspaces\[0\]\.connections\[1\]\.modelNames: modelNames only applies to plan type shared/),
      'workspaces[0].connections[2]: give exactly one of "apiKey" or "apiKeyEnv"',
      'workspaces[0].connections[2]: unknown key "colour"',
    ]);
  });

  it('names unknown keys at the top level and in budgets', () => {
    expect(problemsOf({ workspaces: [{ id: 'x', budget: { amountUsd: 1, limit: 2 } }], extra: true })).toEqual(['(root): unknown key "extra"']);
    expect(problemsOf({ workspaces: [{ id: 'x', budget: { amountUsd: 1, limit: 2 } }] })).toEqual(['workspaces[0].budget: unknown key "limit"']);
  });

  it('refuses duplicate ids and unknown time zones', () => {
    expect(
      problemsOf({
        workspaces: [
          { id: 'x', timeZone: 'Mars/Olympus', connections: [{ id: 'a', provider: 'limitry', apiKey: 'k' }, { id: 'a', provider: 'limitry', apiKey: 'k' }] },
          { id: 'x' },
        ],
      }),
    ).toEqual([
      'workspaces[0].timeZone: must be an IANA time zone such as "Europe/Berlin" or "UTC"',
      'workspaces[0].connections[1].id: duplicate connection id "a" in this workspace',
      'workspaces[1].id: duplicate workspace id "x"',
    ]);
  });

  it('resolves apiKeyEnv, and an unset variable fails only that connection', () => {
    const config = parseConfig(
      { workspaces: [{ id: 'x', connections: [{ id: 'a', provider: 'limitry', apiKeyEnv: 'LM_KEY' }, { id: 'b', provider: 'limitry', apiKeyEnv: 'MISSING' }] }] },
      'f',
      { LM_KEY: 'lm_secret_1' },
    );
    const [a, b] = config.workspaces[0]!.connections;
    expect(a).toMatchObject({ apiKey: 'lm_secret_1', keyProblem: undefined });
    expect(b).toMatchObject({ apiKey: undefined, keyProblem: 'environment variable MISSING is not set' });
    expect(config.secrets).toEqual(['lm_secret_1']);
  });

  it('reads a team-server connection exactly as the README writes it: tokenEnv names its token', () => {
    const team = { id: 'team', provider: 'burnrate', baseUrl: 'https://burnrate.example.com', tokenEnv: 'BURNRATE_TEAM_TOKEN', workspace: 'prod' };
    const config = parseConfig({ workspaces: [{ id: 'w', connections: [team] }] }, 'f', { BURNRATE_TEAM_TOKEN: 'team_token_1' });
    expect(config.workspaces[0]!.connections[0]).toMatchObject({
      id: 'team',
      provider: 'burnrate',
      apiKey: 'team_token_1',
      keyProblem: undefined,
      settings: { baseUrl: 'https://burnrate.example.com', workspace: 'prod' },
    });
    expect(config.secrets).toEqual(['team_token_1']);
    const unset = parseConfig({ workspaces: [{ id: 'w', connections: [team] }] }, 'f', {});
    expect(unset.workspaces[0]!.connections[0]!.keyProblem).toBe('environment variable BURNRATE_TEAM_TOKEN is not set');
  });

  it('keeps token and tokenEnv for team-server connections, and wants exactly one secret', () => {
    const problems = (connection: Record<string, unknown>): string[] => {
      try {
        parseConfig({ workspaces: [{ id: 'w', connections: [connection] }] }, 'f', {});
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(problems({ id: 'a', provider: 'limitry', tokenEnv: 'X' })).toEqual([
      'workspaces[0].connections[0]: "token" and "tokenEnv" are for team-server connections ("provider": "burnrate"); a Limitry connection takes "apiKey" or "apiKeyEnv"',
    ]);
    expect(problems({ id: 't', provider: 'burnrate', workspace: 'prod', tokenEnv: 'X', token: 'y' })).toEqual([
      'workspaces[0].connections[0]: give exactly one of "tokenEnv" or "token" (or "apiKeyEnv" / "apiKey")',
    ]);
    expect(problems({ id: 't', provider: 'burnrate', tokenEnv: 'X' })).toEqual(['workspaces[0].connections[0].workspace: must name the workspace to read on the team server, such as "prod"']);
    expect(problems({ id: 't', provider: 'burnrate', workspace: 'prod', token: 'y' })).toEqual([]);
  });
});

describe('config location', () => {
  it('prefers --config, then $BURNRATE_CONFIG, then the OS config folder', () => {
    expect(resolveConfigPath('/a.json', { BURNRATE_CONFIG: '/b.json' })).toBe('/a.json');
    expect(resolveConfigPath(undefined, { BURNRATE_CONFIG: '/b.json' })).toBe('/b.json');
    expect(resolveConfigPath(undefined, { HOME: '/home/u' })).toBe(`${osDirs({ HOME: '/home/u' }).config}/config.json`);
  });

  it('uses each OS convention', () => {
    expect(osDirs({ HOME: '/home/u' }, 'linux')).toEqual({ config: '/home/u/.config/burnrate', state: '/home/u/.local/state/burnrate' });
    expect(osDirs({ HOME: '/home/u', XDG_CONFIG_HOME: '/x' }, 'linux').config).toBe('/x/burnrate');
    expect(osDirs({ HOME: '/Users/u' }, 'darwin').config).toBe('/Users/u/Library/Application Support/burnrate');
    expect(osDirs({ HOME: 'C:\\Users\\u', APPDATA: 'C:\\AppData' }, 'win32').config).toMatch(/AppData.burnrate$/);
  });
});

describe('limits on a hostile configuration (issue 10, defect 6)', () => {
  const connection = (i: number) => ({ id: `c${i}`, provider: 'limitry', apiKey: 'lmtry_sk_limits' });

  it('refuses more than 100 workspaces, naming the limit', () => {
    const workspaces = Array.from({ length: 250_000 }, (_, i) => ({ id: `w${i}`, timeZone: 'UTC', connections: [] }));
    expect(problemsOf({ workspaces })).toEqual([`workspaces: lists more than ${CONFIG_LIMITS.maxWorkspaces} workspaces (the limit of workspaces per file)`]);
  });

  it('refuses more than 50 connections in a workspace, naming the limit', () => {
    const connections = Array.from({ length: 51 }, (_, i) => connection(i));
    expect(problemsOf({ workspaces: [{ id: 'w', timeZone: 'UTC', connections }] })).toEqual([
      'workspaces[0].connections: lists more than 50 connections (the limit of connections per workspace)',
    ]);
  });

  it('refuses more than 500 connections in the file, naming the limit', () => {
    const workspaces = Array.from({ length: 11 }, (_, w) => ({ id: `w${w}`, timeZone: 'UTC', connections: Array.from({ length: 50 }, (_, i) => connection(i)) }));
    expect(problemsOf({ workspaces })).toEqual(['workspaces: lists 550 connections, more than 500 (the limit of connections per file)']);
  });

  it('refuses nesting deeper than 16 levels, naming the place and the limit (without overflowing the stack)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const problems = problemsOf({ workspaces: [{ id: 'w', timeZone: 'UTC', connections: [{ ...connection(0), modelIds: deep }] }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^workspaces\[0\]\.connections\[0\]\.modelIds\[0\](\[0\])+: nested more than 16 levels deep \(the nesting limit\)$/);
  });

  it.each([['__proto__'], ['constructor'], ['prototype']])('reports "%s" inside a connection as an unknown key, as at the root', (key) => {
    const raw = JSON.parse(`{"workspaces":[{"id":"w","timeZone":"UTC","connections":[{"id":"a","provider":"limitry","apiKey":"lmtry_sk_limits","${key}":{"baseUrl":"http://evil.example"}}]}]}`) as unknown;
    expect(problemsOf(raw)).toEqual([`workspaces[0].connections[0]: unknown key "${key}"`]);
    const root = JSON.parse(`{"${key}":{},"workspaces":[{"id":"w","timeZone":"UTC","connections":[]}]}`) as unknown;
    expect(problemsOf(root)).toEqual([`(root): unknown key "${key}"`]);
  });
});

describe.skipIf(process.platform === 'win32')('readConfigJson: only regular files of at most 1 MiB', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burnrate-config-limits-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problemOf = (file: string): string => {
    try {
      readConfigJson(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    }
    throw new Error('expected a ConfigError');
  };

  it('refuses a FIFO at once instead of waiting forever for a writer', () => {
    const fifo = join(dir, 'config.json');
    execFileSync('mkfifo', [fifo]);
    expect(problemOf(fifo)).toBe('(file): is not a regular file (a FIFO, socket or device); only regular files are read');
  });

  it('refuses a file over 1 MiB, naming the limit', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, `{"workspaces":[],"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(problemOf(file)).toMatch(/^\(file\): is \d+ bytes, more than the 1 MiB limit of a configuration file$/);
  });

  it('refuses a directory', () => {
    expect(problemOf(dir)).toBe('(file): is a directory, not a file');
  });
});
