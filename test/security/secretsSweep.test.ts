/**
 * The secrets sweep (issue 10), command-line part: distinctive keys for every connection, the REAL
 * `burnrate` binary run through every path that prints, serves, notifies or stores, then every
 * output, answer, notification and file scanned for each key in every form and as any
 * 8-character fragment (test/support/secretScanner.ts). 0 hits.
 *
 * Connections: one workspace "team" with a connection to every registered provider's loopback
 * fake (keys inline in the config file), and one workspace "hostile" with a connection to a second
 * fake of every provider whose every answer echoes the Authorization header it received (raw, in
 * base64 and URL-encoded) in a 401/403/429/500/503 body and in response headers (keys from
 * `apiKeyEnv` variables). Runs: `status`, `status --json`, `status --cached`, `export` (csv and
 * json), `doctor`, `init`, `watch` until a notification was shown (a notify-send stand-in records
 * it), `serve` (dashboard HTML and every asset, /api/status, /api/history, /api/export.csv,
 * /metrics, /healthz, and the 400/401/403/404/405 answers). Scanned: stdout and stderr of every
 * run, every answer's body and headers, the notifications, and every file under the run's HOME
 * (state folder with the spend database, its WAL and SHM, the XDG folders, the written config of
 * `init`), taken while `serve` and `watch` run and again after they stopped. The config file the
 * test writes holds the inline keys on purpose and is the one file not scanned.
 * The desktop harness part is test/desktop/secretsSweep.spec.ts.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS, providerEntry, type ProviderId } from '../../main/providers/registry';
import type { ProviderFake } from '../../main/providers/types';
import type { FakeRequest, Fault } from '../../main/providers/fake/harness';
import { assertFreshBuild, cleanupTempDirs, isolatedEnv, LiveCli, runCli, tempDir, writeConfig, type CliResult } from '../cli/helpers';
import { rawGet } from '../cli/rawHttp';
import { describeHits, distinctiveKey, filesUnder, scanForSecrets, type SweepItem, type SweepSecret } from '../support/secretScanner';

/** Seeded keys: the same every run, long and mixed (letters, digits, `-_.~+/=`). */
const keyOf = (label: string) => distinctiveKey(`${label.slice(0, 2)}K`, createHash('sha512').update(`secrets sweep ${label}`).digest());

const goodKeys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, keyOf(`${id} team`)])) as Record<ProviderId, string>;
const hostileKeys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, keyOf(`${id} hostile`)])) as Record<ProviderId, string>;
const secrets: SweepSecret[] = [
  ...PROVIDER_IDS.map((id) => ({ label: `${id} (team, inline)`, value: goodKeys[id] })),
  ...PROVIDER_IDS.map((id) => ({ label: `${id} (hostile, apiKeyEnv)`, value: hostileKeys[id] })),
];

const HOSTILE_STATUSES = [401, 500, 403, 503, 429, 401];

/** A hostile provider: every answer echoes the Authorization header back, in the body and in headers. */
function echoFault(index: number): (request: FakeRequest) => Fault {
  return (request) => {
    const auth = request.headers.authorization ?? '';
    const status = HOSTILE_STATUSES[index % HOSTILE_STATUSES.length]!;
    const echo = `you sent ${auth} (base64 ${Buffer.from(auth).toString('base64')}, url ${encodeURIComponent(auth)})`;
    return {
      type: 'status',
      status,
      body: { error: echo, detail: echo, message: echo, errors: [{ message: echo, code: 'echo' }] },
      headers: { 'x-echo-authorization': encodeURIComponent(auth), 'www-authenticate': `Bearer error="invalid_token", error_description="${encodeURIComponent(auth)}"`, ...(status === 429 ? { 'retry-after': '1' } : {}) },
    };
  };
}

let dir: string;
let env: Record<string, string>;
let configFile: string;
const fakes: ProviderFake[] = [];
const hostile: ProviderFake[] = [];
/** Everything Burnrate produced, scanned at the end (and by each test for its own part). */
const outputs: SweepItem[] = [];

function connection(id: ProviderId, fake: ProviderFake, key: { apiKey: string } | { apiKeyEnv: string }, suffix = ''): Record<string, unknown> {
  const entry = providerEntry(id);
  return { id: `${id}${suffix}`, provider: id, ...key, baseUrl: fake.baseUrl, ...entry.fake.settings, ...entry.demo.settings };
}

function record(name: string, result: CliResult): void {
  outputs.push({ where: `stdout of ${name}`, content: result.stdout }, { where: `stderr of ${name}`, content: result.stderr });
}

/** Resolves once `file` exists with some text, checked now and on every change in its folder; a hang is the test's timeout. */
function whenFileHasText(file: string): Promise<void> {
  const has = () => existsSync(file) && readFileSync(file, 'utf8').trim().length > 0;
  return new Promise((resolve) => {
    const watcher = watch(dirname(file), () => {
      if (!has()) return;
      watcher.close();
      resolve();
    });
    if (has()) {
      watcher.close();
      resolve();
    }
  });
}

/** A request path as a report may name it: keys in it replaced by their label. */
function nameOf(path: string): string {
  let named = path;
  for (const secret of secrets) named = named.split(encodeURIComponent(secret.value)).join(`<key of ${secret.label}>`).split(secret.value).join(`<key of ${secret.label}>`);
  return named;
}

/** Asserts 0 hits in these items (the message names label, form and place, never the key). */
function expectClean(items: readonly SweepItem[]): void {
  const hits = scanForSecrets(secrets, items);
  expect(hits, describeHits(hits)).toEqual([]);
}

/** Every file Burnrate may have written: the whole HOME of the run, except the config file the test wrote. */
function files(): SweepItem[] {
  return filesUnder(dir, (path) => path === configFile);
}

beforeAll(async () => {
  assertFreshBuild();
  const nowMs = Date.now();
  for (const [index, id] of PROVIDER_IDS.entries()) {
    const entry = providerEntry(id);
    fakes.push(await entry.fake.start({ apiKey: goodKeys[id], now: () => nowMs, lagMs: entry.fake.lagMs }));
    const bad = await entry.fake.start({ apiKey: hostileKeys[id], now: () => nowMs, lagMs: entry.fake.lagMs });
    bad.server.chaos(echoFault(index));
    hostile.push(bad);
  }
  dir = tempDir('burnrate-secrets-sweep-');
  // A notify-send that records every notification it is asked to show (node-notifier finds it first on PATH).
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${join(dir, 'notifications.log')}'\n`);
  chmodSync(join(bin, 'notify-send'), 0o755);
  const keyEnv = Object.fromEntries(PROVIDER_IDS.map((id) => [`SWEEP_${id.toUpperCase()}_KEY`, hostileKeys[id]]));
  env = isolatedEnv(dir, { ...keyEnv, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
  configFile = writeConfig(join(dir, 'input'), {
    workspaces: [
      {
        id: 'team',
        name: 'Team',
        timeZone: 'UTC',
        // A budget the fakes' month crosses: threshold notifications too.
        budget: { amountUsd: 1, thresholdsPercent: [50, 100] },
        connections: PROVIDER_IDS.map((id, i) => connection(id, fakes[i]!, { apiKey: goodKeys[id] })),
      },
      {
        id: 'hostile',
        name: 'Hostile',
        timeZone: 'UTC',
        connections: PROVIDER_IDS.map((id, i) => connection(id, hostile[i]!, { apiKeyEnv: `SWEEP_${id.toUpperCase()}_KEY` }, '-hostile')),
      },
    ],
  });
});

afterAll(async () => {
  await Promise.all([...fakes, ...hostile].map((fake) => fake.stop()));
  cleanupTempDirs();
});

describe('secrets sweep: every key, every form, every output (CLI, serve, watch)', () => {
  it('status, status --json and status --cached: the hostile providers failed, their echoes are not printed', async () => {
    const text = await runCli(['status', '--config', configFile], env);
    record('status', text);
    // Exit 3: connections failed (the hostile ones), and the table still printed.
    expect(text.code, text.stderr).toBe(3);
    expect(text.stdout).toContain('Team');
    const json = await runCli(['status', '--json', '--config', configFile], env);
    record('status --json', json);
    expect(json.code).toBe(3);
    const document = JSON.parse(json.stdout) as { workspaces: Array<{ id: string; connections: Array<{ status: string; error: { message: string } | null }> }> };
    const failed = document.workspaces.find((w) => w.id === 'hostile')!.connections;
    expect(failed.map((c) => c.status)).toEqual(PROVIDER_IDS.map(() => 'error'));
    // The echo reached the product and was redacted there (not merely absent).
    for (const c of failed) expect(c.error!.message).toMatch(/you sent .*\[redacted\]/);
    const cached = await runCli(['status', '--cached', '--json', '--config', configFile], env);
    record('status --cached --json', cached);
    // Every hostile fake saw the key and echoed it.
    for (const fake of hostile) expect(fake.server.requests.length).toBeGreaterThan(0);
    expectClean(outputs);
  });

  it('export (csv and json), doctor and init', async () => {
    for (const args of [['export', '--config', configFile], ['export', '--config', configFile, '--format', 'json'], ['doctor', '--config', configFile]]) {
      const result = await runCli(args, env);
      record(args.join(' '), result);
      expect(result.stdout.length + result.stderr.length).toBeGreaterThan(0);
    }
    const init = await runCli(['init', '--config', join(dir, 'xdg-config', 'burnrate', 'init.json')], env);
    record('init', init);
    expect(init.code, init.stderr).toBe(0);
    expectClean([...outputs, ...files()]);
  });

  it('watch: a notification is shown (notify-send records it), and neither it nor the output carries a key', async () => {
    const watch = new LiveCli(['watch', '--config', configFile], env);
    try {
      // A rejected key (the hostile 401s) is connection trouble at once.
      await watch.waitForStdout(/\[(critical|warning|info)\] .+/);
      // …and shown: notify-send has written it (waited for on the folder's change events, not a clock).
      await whenFileHasText(join(dir, 'notifications.log'));
      outputs.push(...files().map((item) => ({ ...item, where: `${item.where} while watch runs` })));
    } finally {
      const result = await watch.stop('SIGINT');
      expect(result.code).toBe(0);
      outputs.push({ where: 'stdout of watch', content: watch.stdout }, { where: 'stderr of watch', content: watch.stderr });
    }
    const shown = readFileSync(join(dir, 'notifications.log'), 'utf8');
    expect(shown.trim().split('\n').length).toBeGreaterThan(0);
    outputs.push({ where: 'notifications shown by watch', content: shown });
    expectClean(outputs);
  });

  it('serve: dashboard, assets, JSON API, metrics and error answers', async () => {
    const serve = new LiveCli(['serve', '--config', configFile, '--port', '0'], env);
    try {
      const match = await serve.waitForStdout(/Burnrate dashboard: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)\n/);
      await serve.waitForStdout(/Prometheus: .*\n/);
      const port = Number(match[1]);
      const token = match[2]!;
      const answers: Array<[string, Awaited<ReturnType<typeof rawGet>>]> = [];
      const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
        const answer = await rawGet(port, path, headers, method);
        answers.push([`${method} ${nameOf(path.replace(token, 'TOKEN'))}`, answer]);
        return answer;
      };
      // The first refresh has met every hostile provider: serve logs each failure (redacted) on stderr.
      for (const id of PROVIDER_IDS) await serve.waitForStderr(new RegExp(`hostile/${id}-hostile: `));
      const status = await get(`/api/status?token=${token}`);
      expect(status.status).toBe(200);
      expect(status.body).toMatch(/you sent .*\[redacted\]/);
      const index = await get(`/?token=${token}`);
      expect(index.status).toBe(200);
      const assets = [...index.body.matchAll(/(?:src|href)="\.(\/assets\/[^"?]+)\?token=[^"]+"/g)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) expect((await get(`${asset}?token=${token}`)).status).toBe(200);
      expect((await get(`/api/history?token=${token}`)).status).toBe(200);
      expect((await get(`/api/export.csv?token=${token}`)).status).toBe(200);
      expect((await get(`/metrics?token=${token}`)).status).toBe(200);
      expect((await get('/healthz')).status).toBe(200);
      // Error answers: no token, a wrong token that is a provider key, a 404, a bad parameter that is a key, a POST, a rebinding Host.
      expect((await get('/api/status')).status).toBe(401);
      expect((await get('/api/status', { authorization: `Bearer ${goodKeys.baseten}` })).status).toBe(401);
      expect((await get(`/nope/${encodeURIComponent(goodKeys.limitry)}?token=${token}`)).status).toBe(404);
      expect((await get(`/api/history?token=${token}&from=${encodeURIComponent(goodKeys.civis)}`)).status).toBe(400);
      expect((await get(`/api/history?token=${token}&workspace=${encodeURIComponent(goodKeys.tensorone)}`)).status).toBe(400);
      expect((await get(`/api/history?token=${token}&${encodeURIComponent(goodKeys.simplismart)}=1`)).status).toBe(400);
      expect((await get(`/api/status?token=${token}`, {}, 'POST')).status).toBe(405);
      expect((await rawGet(port, `/api/status?token=${token}`, { host: 'evil.example:80' })).status).toBe(403);
      for (const [where, answer] of answers) {
        outputs.push({ where: `${where} (${answer.status}) body`, content: answer.body }, { where: `${where} (${answer.status}) headers`, content: JSON.stringify(answer.headers) });
      }
      outputs.push(...files().map((item) => ({ ...item, where: `${item.where} while serve runs` })));
    } finally {
      const result = await serve.stop('SIGTERM');
      expect(result.code).toBe(0);
      outputs.push({ where: 'stdout of serve', content: serve.stdout }, { where: 'stderr of serve', content: serve.stderr });
    }
    expectClean(outputs);
  });

  it('0 hits in everything produced and every file left behind', () => {
    const everything = [...outputs, ...files()];
    // The sweep looked at real output: the spend database, notifications, answers and runs.
    const names = everything.map((item) => item.where);
    expect(names.some((name) => /burnrate\.sqlite/.test(name))).toBe(true);
    expect(names.some((name) => /notifications\.log/.test(name))).toBe(true);
    const bytes = everything.reduce((sum, item) => sum + item.content.length, 0);
    console.log(`secrets sweep: ${secrets.length} keys, ${everything.length} outputs and files, ${bytes} bytes scanned`);
    expectClean(everything);
  });
});
