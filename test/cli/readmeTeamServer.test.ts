/**
 * The README's "Team server" section, followed as written: the systemd unit's `ExecStart` (with its
 * `Environment=` lines) starts the server, the `curl` checks answer, Prometheus scrapes it with the
 * README's scrape config and the token file, and a laptop config with the README's `burnrate`
 * connection reads the same numbers. Only what a test machine cannot have is replaced: loopback
 * for `0.0.0.0` and `burnrate.example.com`, temporary folders for `/etc`, `/opt` and `/var/lib`,
 * plain http for the TLS proxy, the provider fakes for the team's real keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument, WorkspaceStatus } from '../../preload/api';
import { statusDocumentSchema } from '../../main/providers/burnrate/burnrate.schema';
import { assertFreshBuild, cleanupTempDirs, connectionFor, isolatedEnv, ROOT, runCli, startFakes, tempDir, waitForEvent, writeConfig, type FakeSet } from './helpers';
import { rawGet } from './rawHttp';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README's Team server section (up to the next top-level heading). */
const SECTION = README.slice(README.indexOf('## Team server'), README.indexOf('\n## ', README.indexOf('## Team server') + 3));

/** The fenced blocks of a language in the section, without the list indentation. */
function blocks(language: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`^( *)\`\`\`${language}\\n([\\s\\S]*?)^\\1\`\`\``, 'gm');
  for (const match of SECTION.matchAll(pattern)) {
    const indent = match[1]!.length;
    found.push(match[2]!.split('\n').map((line) => line.slice(indent)).join('\n'));
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let fakes: FakeSet;
let root: string;
/** `/` of the README's machine. */
const at = (path: string) => join(root, path);
let server: ChildProcess;
let serverOut = '';
let port: number;
let token: string;
let prometheus: ChildProcess | undefined;
let prometheusLog = '';

beforeAll(async () => {
  assertFreshBuild();
  fakes = await startFakes();
  root = tempDir();
  // Step 1 and 2: the folders, and a team config in /etc/burnrate/config.json (0600).
  mkdirSync(at('etc/burnrate'), { recursive: true, mode: 0o700 });
  mkdirSync(at('var/lib/burnrate'), { recursive: true, mode: 0o700 });
  writeConfig(at('etc/burnrate'), {
    workspaces: [{ id: 'prod', name: 'Prod', timeZone: 'UTC', budget: { amountUsd: 20_000, period: 'month' }, connections: ['baseten', 'limitry', 'tensorone'].map((p) => connectionFor(fakes, p as 'baseten')) }],
  });

  // Step 3: the unit's ExecStart and Environment= lines, word for word but for the paths and the address.
  const unit = blocks('ini')[0]!;
  const local = (text: string) =>
    text
      .replaceAll('/opt/burnrate', ROOT)
      .replaceAll('/etc/burnrate', at('etc/burnrate'))
      .replaceAll('/var/lib/burnrate', at('var/lib/burnrate'))
      .replaceAll('0.0.0.0:8787', '127.0.0.1:0');
  const env: Record<string, string> = isolatedEnv(root);
  delete env.BURNRATE_STATE_DIR;
  for (const [, name, value] of unit.matchAll(/^Environment=(\w+)=(.*)$/gm)) env[name!] = local(value!);
  const execStart = /^ExecStart=(.*)$/m.exec(unit)![1]!;
  expect(execStart).toMatch(/^\/opt\/burnrate\/node_modules\/\.bin\/node \/opt\/burnrate\/bin\/burnrate\.js serve /);
  const [command, ...args] = local(execStart).split(' ');
  server = spawn(command!, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (serverOut += chunk));
  server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (serverOut += chunk));
  const url = /Burnrate dashboard: http:\/\/burnrate\.example\.com:(\d+)\/\?token=([A-Za-z0-9_-]+)\n/;
  await waitForEvent(server.stdout!, 'data', () => url.test(serverOut), 'the server printed its URL');
  const match = url.exec(serverOut)!;
  port = Number(match[1]);
  token = readFileSync(at('etc/burnrate/token'), 'utf8').trim();
  expect(match[2]).toBe(token);
}, 120_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  server?.kill('SIGTERM');
  await fakes?.stop();
  cleanupTempDirs();
});

const prodOf = (doc: StatusDocument): WorkspaceStatus => doc.workspaces.find((w) => w.id === 'prod')!;
async function serverStatus(): Promise<StatusDocument> {
  const answer = await rawGet(port, '/api/status', { authorization: `Bearer ${token}` });
  return statusDocumentSchema.parse(JSON.parse(answer.body)) as StatusDocument;
}

describe('README "Team server", followed as written', () => {
  it('step 1: every command is runnable as written: no placeholder, and the clone is the package\'s own repository', () => {
    const shell = blocks('bash').join('\n');
    expect(shell).not.toMatch(/<[^>\n]+>/);
    const { homepage } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage: string };
    expect(blocks('bash')[0]).toContain(`git clone ${homepage}.git /opt/burnrate\n`);
    // The rest of the section runs the checkout at /opt/burnrate (step 3's unit, step 2's check).
    expect(blocks('bash')[0]).toContain('cd /opt/burnrate && npm ci');
  });

  it('step 3: the unit starts a team server that made its token file (0600) and answers the two curl lines', async () => {
    expect(statSync(at('etc/burnrate/token')).mode & 0o777).toBe(0o600);
    const curls = blocks('bash').find((block) => block.includes('/healthz'))!;
    expect(curls).toContain('curl -s http://127.0.0.1:8787/healthz');
    expect(curls).toContain('curl -s -H "Authorization: Bearer $(cat /etc/burnrate/token)" http://127.0.0.1:8787/api/status');
    const health = await rawGet(port, '/healthz');
    expect([health.status, health.body]).toEqual([200, 'ok\n']);
    const status = await rawGet(port, '/api/status', { authorization: `Bearer ${token}` });
    expect(status.status).toBe(200);
    expect(prodOf(statusDocumentSchema.parse(JSON.parse(status.body)) as StatusDocument).connections.map((c) => c.id)).toEqual(['baseten', 'limitry', 'tensorone']);
    // What the TLS proxy forwards: the public name.
    const named = await rawGet(port, '/api/status', { authorization: `Bearer ${token}`, host: 'burnrate.example.com' });
    expect(named.status).toBe(200);
  });

  it("step 4: Prometheus scrapes it with the README's scrape config and the copied token file", async () => {
    const copy = at('etc/prometheus/burnrate.token');
    mkdirSync(at('etc/prometheus'), { recursive: true });
    copyFileSync(at('etc/burnrate/token'), copy);
    const yaml = blocks('yaml')[0]!;
    const rules = join(ROOT, 'deploy', 'prometheus', 'burnrate.rules.yml');
    const config = [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      yaml
        .replace('/etc/prometheus/burnrate.rules.yml', rules)
        .replace('/etc/prometheus/burnrate.token', copy)
        .replace('scheme: https', 'scheme: http')
        .replace('"burnrate.example.com"', `"127.0.0.1:${port}"`),
    ].join('\n');
    expect(config).toContain(`credentials_file: ${copy}`);
    const file = at('etc/prometheus/prometheus.yml');
    writeFileSync(file, config);
    const promPort = await freePort();
    prometheus = spawn('prometheus', [`--config.file=${file}`, `--storage.tsdb.path=${at('var/lib/prometheus')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    const query = async (expr: string) =>
      (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
    // Prometheus scrapes once a second: ask until the target is up (or the test's timeout ends it).
    for (;;) {
      const up = await query('up{job="burnrate"}').catch(() => undefined);
      if (up?.data.result[0]?.value[1] === '1') break;
      await delay(250);
    }
    const spend = await query('burnrate_workspace_spend_usd{workspace="prod"}');
    expect(spend.data.result.length, prometheusLog).toBe(1);
    rmSync(at('var/lib/prometheus'), { recursive: true, force: true, maxRetries: 3 });
  });

  it("step 5: a laptop with the README's burnrate connection reads the server's spend, burn rate and projection", async () => {
    // The server's first refresh first: every connection answered.
    while (!prodOf(await serverStatus()).connections.every((c) => c.status === 'ok' && c.fetchedAt !== null && !c.stale)) await delay(200);
    const json = blocks('json').find((block) => block.includes('"provider": "burnrate"'))!;
    expect(json).toContain('{ "id": "team", "provider": "burnrate", "baseUrl": "https://burnrate.example.com", "tokenEnv": "BURNRATE_TEAM_TOKEN", "workspace": "prod" }');
    const laptop = tempDir();
    const file = join(laptop, 'team.json');
    writeFileSync(file, json.replace('https://burnrate.example.com', `http://127.0.0.1:${port}`), { mode: 0o600 });
    const before = prodOf(await serverStatus());
    const result = await runCli(['status', '--config', file, '--json'], isolatedEnv(laptop, { BURNRATE_TEAM_TOKEN: token }));
    const after = prodOf(await serverStatus());
    expect(result.code, result.stderr).toBe(0);
    const mine = prodOf(statusDocumentSchema.parse(JSON.parse(result.stdout)) as StatusDocument);
    const numbers = (w: WorkspaceStatus) => [w.spentUsd, w.burnRateUsdPerHour, w.projectedUsd];
    expect([numbers(before), numbers(after)]).toContainEqual(numbers(mine));
    expect(mine.spentUsd).toBeGreaterThan(0);
  });
});
