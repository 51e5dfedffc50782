/**
 * The command line people like, end to end with the real binary: --version, per-command help,
 * "did you mean", colour rules, `init`, `doctor`, `export` (its rows add up to `status --json`
 * to the cent) and the stable serve token with its HTML page for browsers without it.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { connectionFor, isolatedEnv, LiveCli, PROVIDERS, runCli, tempDir, withFakes, workspaceConfig, writeConfig, type FakeSet } from './helpers';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

let fakes: FakeSet;
withFakes((started) => {
  fakes = started;
});

describe('help, version and typos', { timeout: 240_000 }, () => {
  it('prints the version', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const result = await runCli(['--version'], isolatedEnv(tempDir()));
    expect(result).toMatchObject({ code: 0, stdout: `burnrate ${version}\n` });
  });

  it('gives each command its own help, about its own flags', async () => {
    const env = isolatedEnv(tempDir());
    const [status, exportHelp, serve, viaHelp] = await Promise.all([
      runCli(['status', '--help'], env),
      runCli(['export', '--help'], env),
      runCli(['serve', '-h'], env),
      runCli(['help', 'doctor'], env),
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Usage: burnrate status /);
    expect(status.stdout).toContain('--check');
    expect(status.stdout).not.toContain('--port');
    expect(exportHelp.stdout).toMatch(/^Usage: burnrate export /);
    for (const flag of ['--config FILE', '--workspace ID', '--format csv|json', '--from ISO', '--to ISO']) expect(exportHelp.stdout).toContain(flag);
    expect(serve.stdout).toContain('--token-file FILE');
    expect(serve.stdout).not.toContain('--check');
    expect(viaHelp.stdout).toMatch(/^Usage: burnrate doctor /);
  });

  it('suggests the command, flag or config key a typo meant, and exits 2', async () => {
    const dir = tempDir();
    const env = isolatedEnv(dir);
    const config = writeConfig(dir, { workspaces: [{ id: 'team', budget: { amountUsd: 10, thresholdPercent: [50] }, connections: [{ id: 'bt', provider: 'baseten', apiKeyEnvv: 'X' }] }] });
    const [command, option, missing, key] = await Promise.all([
      runCli(['stauts'], env),
      runCli(['status', '--jsno'], env),
      runCli(['status', '--config'], env),
      runCli(['status', '--config', config], env),
    ]);
    expect(command).toMatchObject({ code: 2, stdout: '' });
    expect(command.stderr).toContain('Did you mean "status"?');
    expect(option).toMatchObject({ code: 2, stdout: '' });
    expect(option.stderr).toContain('Did you mean "--json"?');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--config needs a value (FILE)');
    // Node's own parser wording never shows.
    expect(missing.stderr).not.toMatch(/ERR_PARSE_ARGS|-c, --config|argument missing/);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('did you mean "thresholdsPercent"?');
    expect(key.stderr).toContain('did you mean "apiKeyEnv"?');
  });

  it('colours a terminal only: no codes when piped or with NO_COLOR, codes with FORCE_COLOR', async () => {
    const dir = tempDir();
    const base = isolatedEnv(dir);
    delete base.NO_COLOR;
    // One after another: each starts five fakes, and a loaded CI machine has two cores.
    const piped = await runCli(['demo', '--once'], base, 80_000);
    const forced = await runCli(['demo', '--once'], { ...base, FORCE_COLOR: '1' }, 80_000);
    const noColor = await runCli(['demo', '--once'], { ...base, FORCE_COLOR: '1', NO_COLOR: '1' }, 80_000);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toMatch(ANSI);
    expect(forced.stdout).toMatch(ANSI);
    expect(noColor.stdout).not.toMatch(ANSI);
  });
});

describe('status table', { timeout: 240_000 }, () => {
  it('names the risk, shows the period as dates, local times with a zone, and a totals row', async () => {
    const result = await runCli(['demo', '--once'], isolatedEnv(tempDir(), { TZ: 'Europe/Berlin' }));
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('TOTAL'))).toMatch(/^TOTAL\s+\$[\d,]+\.\d\d/);
    // The demo's Prod workspace is near its budget and crosses it within hours (or, later in the
    // demo's day, has crossed it): the STATUS column names the risk either way.
    expect(lines.find((l) => l.startsWith('Prod'))).toMatch(/(over pace · crosses in (\d+ h( \d+ min)?|\d+ min)|over budget)$/);
    expect(result.stdout).toMatch(/Research \(research\), [A-Z][a-z]{2} \d{1,2} – [A-Z][a-z]{2} \d{1,2}:/);
    expect(result.stdout).toMatch(/[A-Z][a-z]{2} \d{1,2} \d\d:\d\d GMT\+1/);
    expect(result.stdout).not.toMatch(/\d{4}-\d\d-\d\d/);
  });
});

describe('init and doctor', { timeout: 240_000 }, () => {
  it('init writes a commented, valid starter config with mode 0600 and never overwrites', async () => {
    const dir = tempDir();
    const file = join(dir, 'new', 'config.json');
    const env = isolatedEnv(dir);
    const first = await runCli(['init', '--config', file], env);
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as { $comment: string[]; workspaces: { connections: { apiKeyEnv?: string; apiKey?: string }[] }[] };
    expect(parsed.$comment.join(' ')).toMatch(/apiKeyEnv/);
    const connections = parsed.workspaces[0]!.connections;
    expect(connections.length).toBe(5);
    for (const c of connections) {
      expect(c.apiKeyEnv).toMatch(/^[A-Z_]+_API_KEY$/);
      expect(c.apiKey).toBeUndefined();
    }
    writeFileSync(join(dir, 'marker'), '');
    const second = await runCli(['init', '--config', file], env);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe(text);
    // The starter file is valid: doctor accepts it, and names the unset variables.
    const doctor = await runCli(['doctor', '--config', file], env);
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toContain('is valid: 1 workspace, 5 connections');
    expect(doctor.stdout).toContain('environment variable BASETEN_API_KEY is not set');
  });

  it('doctor tests each connection and reports each in words', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, workspaceConfig([...PROVIDERS.map((p) => connectionFor(fakes, p)), connectionFor(fakes, 'limitry', { id: 'bad-limitry', apiKey: 'lmtry_sk_wrong_key_000000' })]));
    const result = await runCli(['doctor', '--config', config], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(3);
    for (const provider of PROVIDERS) expect(result.stdout).toMatch(new RegExp(`✓ team/${provider} \\(.+\\): works, answered in \\d+ ms`));
    expect(result.stdout).toMatch(/✗ team\/bad-limitry \(Limitry\): the API key was refused \(auth\)/);
    expect(result.stdout).toContain(`1 of ${PROVIDERS.length + 1} connections failed.`);
  });

  it('doctor reports an invalid config in words and exits 2', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, { workspaces: [{ id: 'team', connections: [{ id: 'x', provider: 'basetn', apiKey: 'k' }] }] });
    const result = await runCli(['doctor', '--config', config], isolatedEnv(dir));
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('is not usable');
    expect(result.stdout).toContain('workspaces[0].connections[0].provider');
  });
});

describe('export', { timeout: 240_000 }, () => {
  it('writes one CSV row per connection and bucket whose sums equal status --json to the cent', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, workspaceConfig(PROVIDERS.map((p) => connectionFor(fakes, p)), { budget: { amountUsd: 100000 } }));
    const env = isolatedEnv(dir);
    const status = await runCli(['status', '--json', '--config', config], env, 80_000);
    const csv = await runCli(['export', '--config', config], isolatedEnv(tempDir()), 80_000);
    const json = await runCli(['export', '--config', config, '--format', 'json', '--workspace', 'team'], isolatedEnv(tempDir()), 80_000);
    expect(status.code, status.stderr).toBe(0);
    expect(csv.code, csv.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as StatusDocument;
    const [header, ...lines] = csv.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^workspace_id,connection_id,provider,start,end,cost_usd/);
    const columns = header!.split(',');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
    const sums = new Map<string, number>();
    for (const row of rows) {
      expect(row.workspace_id).toBe('team');
      expect(Date.parse(row.end!)).toBeGreaterThan(Date.parse(row.start!));
      sums.set(row.connection_id!, (sums.get(row.connection_id!) ?? 0) + Math.round(Number(row.cost_usd) * 1e6));
    }
    for (const connection of doc.workspaces[0]!.connections) {
      expect(connection.spentUsd, connection.id).not.toBeNull();
      expect(Math.round((sums.get(connection.id) ?? 0) / 1e4), connection.id).toBe(Math.round(connection.spentUsd! * 100));
    }
    expect(json.code, json.stderr).toBe(0);
    const jsonRows = JSON.parse(json.stdout) as { connection_id: string; cost_usd: number }[];
    expect(jsonRows.length).toBe(rows.length);
  });

  it('exports a chosen range and refuses a bad one', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const from = new Date(fakes.nowMs - 6 * 3_600_000).toISOString();
    const to = new Date(fakes.nowMs).toISOString();
    const [ranged, bad, reversed] = await Promise.all([
      runCli(['export', '--config', config, '--from', from, '--to', to], isolatedEnv(dir)),
      runCli(['export', '--config', config, '--from', 'yesterday'], isolatedEnv(dir)),
      runCli(['export', '--config', config, '--from', to, '--to', from], isolatedEnv(dir)),
    ]);
    expect(ranged.code, ranged.stderr).toBe(0);
    const rows = ranged.stdout.trimEnd().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Date.parse(row.split(',')[3]!)).toBeGreaterThanOrEqual(Date.parse(from) - 3_600_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from must be an ISO-8601 date');
    expect(reversed.code).toBe(2);
  });
});

describe('serve token', { timeout: 240_000 }, () => {
  it('keeps the token in --token-file (0600) across starts, prints the URL at once, serves the CSV, and shows browsers without a token a page', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const tokenFile = join(dir, 'token');
    const urls: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const serve = new LiveCli(['serve', '--config', config, '--port', '0', '--token-file', tokenFile], isolatedEnv(dir));
      try {
        const match = await serve.waitForStdout(/Burnrate dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))\n/);
        urls.push(match[2]!);
        const url = new URL(match[1]!);
        if (run === 0) {
          const page = await fetch(new URL('/', url));
          expect(page.status).toBe(401);
          expect(page.headers.get('content-type')).toMatch(/^text\/html/);
          expect(await page.text()).toMatch(/access token/);
          const api = await fetch(new URL('/api/status', url));
          expect(api.headers.get('content-type')).toMatch(/json/);
          // The CSV needs the token too, and adds up like the status.
          expect((await fetch(new URL('/api/export.csv', url))).status).toBe(401);
          let csv = '';
          let status: StatusDocument | undefined;
          // Until the first refresh has answered (serve prints nothing when it ends, so ask again after
          // each answer); no count and no clock: a refresh that never ends is the test's timeout.
          for (;;) {
            status = (await (await fetch(new URL(`/api/status?${url.searchParams}`, url))).json()) as StatusDocument;
            if (status.workspaces[0]!.connections[0]!.spentUsd !== null) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          const answer = await fetch(new URL(`/api/export.csv?${url.searchParams}`, url));
          expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
          csv = await answer.text();
          expect(csv.split('\n')[0]).toMatch(/^workspace_id,connection_id,provider,start,end,cost_usd/);
        }
      } finally {
        await serve.stop('SIGINT');
      }
    }
    expect(urls[0]).toBe(urls[1]);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(decodeURIComponent(urls[0]!));
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  });

  it('uses BURNRATE_TOKEN when set', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const serve = new LiveCli(['serve', '--config', config, '--port', '0'], isolatedEnv(dir, { BURNRATE_TOKEN: 'a-stable-token-for-scrapes' }));
    try {
      await serve.waitForStdout(/Burnrate dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=a-stable-token-for-scrapes\n/);
    } finally {
      await serve.stop('SIGINT');
    }
  });
});
