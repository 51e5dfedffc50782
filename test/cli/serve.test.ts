/**
 * `burnrate serve` end to end: the real binary serving the loopback fakes' numbers. Token and
 * Host checks, `/api/status` = `status --json`, `/metrics` in the Prometheus text format, the dashboard.
 */
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import {
  assertFreshBuild,
  cleanupTempDirs,
  connectionFor,
  isolatedEnv,
  LiveCli,
  newKey,
  PROVIDERS,
  runCli,
  shapeOf,
  startFakes,
  tempDir,
  writeConfig,
  type FakeSet,
} from './helpers';
import { rawGet as get } from './rawHttp';

let fakes: FakeSet;
let serve: LiveCli;
let port: number;
let token: string;
let configFile: string;
let configDir: string;
const badKey = newKey('bt_revoked_');

beforeAll(async () => {
  assertFreshBuild();
  fakes = await startFakes();
  configDir = tempDir();
  configFile = writeConfig(configDir, {
    workspaces: [
      {
        id: 'research',
        name: 'Research',
        timeZone: 'UTC',
        budget: { amountUsd: 100_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] },
        connections: [connectionFor(fakes, 'baseten'), connectionFor(fakes, 'simplismart'), connectionFor(fakes, 'civis')],
      },
      {
        id: 'prod',
        name: 'Prod',
        timeZone: 'UTC',
        connections: [
          connectionFor(fakes, 'tensorone'),
          connectionFor(fakes, 'limitry'),
          connectionFor(fakes, 'baseten', { id: 'baseten-revoked', apiKey: badKey }),
        ],
      },
    ],
  });
  serve = new LiveCli(['serve', '--config', configFile, '--port', '0'], isolatedEnv(configDir));
  const match = await serve.waitForStdout(/Burnrate dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n/);
  // The lines after it (JSON and Prometheus URLs) may arrive in a later chunk: wait for the last one.
  await serve.waitForStdout(/Prometheus: .*\n/);
  port = Number(match[2]);
  token = match[3]!;
});

afterAll(async () => {
  serve?.kill();
  await fakes?.stop();
  cleanupTempDirs();
});

describe('burnrate serve', () => {
  it('prints the access token once, as a URL on 127.0.0.1', () => {
    expect(token.length).toBeGreaterThanOrEqual(32);
    const all = serve.stdout + serve.stderr;
    expect(all.split(token).length - 1).toBe(1);
    expect(serve.stdout).toContain(`http://127.0.0.1:${port}/api/status`);
    expect(serve.stdout).toContain(`http://127.0.0.1:${port}/metrics`);
    expect(serve.stdout).not.toMatch(/demo data/i);
  });

  it('rejects requests without the token or with a wrong one (401)', async () => {
    const wrongSameLength = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const answers = await Promise.all([
      get(port, '/api/status'),
      get(port, '/metrics'),
      get(port, '/'),
      get(port, `/api/status?token=${wrongSameLength}`),
      get(port, '/api/status?token=short'),
      get(port, '/api/status', { authorization: `Bearer ${wrongSameLength}` }),
      get(port, '/metrics', { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` }),
      get(port, '/api/status?token='),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.body).not.toContain('spentUsd');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('accepts the token as ?token= and as Authorization: Bearer', async () => {
    const [byQuery, byHeader, byLocalhost] = await Promise.all([
      get(port, `/api/status?token=${token}`),
      get(port, '/api/status', { authorization: `Bearer ${token}` }),
      get(port, '/metrics', { authorization: `Bearer ${token}`, host: `localhost:${port}` }),
    ]);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers['content-type']).toMatch(/^application\/json/);
    expect(byHeader.status).toBe(200);
    expect(JSON.parse(byHeader.body)).toHaveProperty('workspaces');
    expect(byLocalhost.status).toBe(200);
  });

  it('refuses requests whose Host is not loopback (DNS rebinding), even with the token (403)', async () => {
    const hosts = ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, '10.0.0.1', `[::ffff:7f00:1]:${port}`];
    const answers = await Promise.all(hosts.map((host) => get(port, `/api/status?token=${token}`, { host, authorization: `Bearer ${token}` })));
    for (const [index, answer] of answers.entries()) {
      expect(answer.status, `Host: ${hosts[index]}`).toBe(403);
      expect(answer.body).not.toContain('spentUsd');
    }
  });

  it('refuses a request without a Host header (HTTP/1.0), even with the token (403)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(`GET /api/status?token=${token} HTTP/1.0\r\n\r\n`));
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.[01] 403 /);
    expect(answer).not.toContain('spentUsd');
  });

  it('answers only GET and HEAD', async () => {
    const post = await get(port, `/api/status?token=${token}`, {}, 'POST');
    expect(post.status).toBe(405);
    const head = await get(port, `/api/status?token=${token}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (!external) return; // No other interface on this machine: nothing to show.
    await expect(get(port, `/api/status?token=${token}`, {}, 'GET', external.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves at /api/status the same document as status --json', async () => {
    const dir = tempDir();
    const cli = await runCli(['status', '--config', configFile, '--json'], isolatedEnv(dir));
    expect(cli.code).toBe(3); // the revoked key
    const printed = JSON.parse(cli.stdout) as StatusDocument;
    // serve reads the previous period (history, comparison) after every connection's current one,
    // one connection at a time: asked again until it has read what status read (the test's timeout bounds it).
    let served = JSON.parse((await get(port, '/api/status', { authorization: `Bearer ${token}` })).body) as StatusDocument;
    while (!isDeepStrictEqual(shapeOf(served), shapeOf(printed))) {
      await new Promise((r) => setTimeout(r, 100));
      served = JSON.parse((await get(port, '/api/status', { authorization: `Bearer ${token}` })).body) as StatusDocument;
    }
    expect(shapeOf(served)).toEqual(shapeOf(printed));
    const spend = (doc: StatusDocument) => doc.workspaces.map((w) => [w.id, w.spentUsd, w.budget?.amountUsd ?? null, w.connections.map((c) => [c.id, c.status, c.spentUsd, c.spentCredits, c.error?.kind ?? null])]);
    // The fakes' clock is frozen: both saw the same data.
    expect(spend(served)).toEqual(spend(printed));
    const revoked = served.workspaces[1]!.connections.find((c) => c.id === 'baseten-revoked');
    expect(revoked).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'auth' } });
  });

  it('exposes /metrics in the Prometheus text format, labelled by workspace and provider', async () => {
    const [metrics, status] = await Promise.all([
      get(port, `/metrics?token=${token}`),
      get(port, `/api/status?token=${token}`),
    ]);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(metrics.body);
    const byName = new Map(families.map((family) => [family.name, family]));
    const doc = JSON.parse(status.body) as StatusDocument;
    const workspaceMetrics = [
      'burnrate_workspace_spend_usd',
      'burnrate_workspace_nowcast_usd',
      'burnrate_workspace_burn_rate_usd_per_hour',
      'burnrate_workspace_projected_usd',
      'burnrate_workspace_projected_low_usd',
      'burnrate_workspace_projected_high_usd',
    ];
    for (const name of workspaceMetrics) {
      const family = byName.get(name);
      expect(family, name).toBeDefined();
      expect(family!.type).toBe('GAUGE');
      expect(family!.help.length).toBeGreaterThan(0);
      expect(family!.metrics.map((m) => m.labels?.workspace).sort()).toEqual(['prod', 'research']);
    }
    const value = (name: string, labels: Record<string, string>) => {
      const sample = byName.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
      return sample === undefined ? undefined : Number(sample.value);
    };
    for (const w of doc.workspaces) {
      expect(value('burnrate_workspace_spend_usd', { workspace: w.id })).toBeCloseTo(w.spentUsd, 6);
      expect(value('burnrate_workspace_burn_rate_usd_per_hour', { workspace: w.id })).toBeCloseTo(w.burnRateUsdPerHour, 6);
      expect(value('burnrate_workspace_projected_usd', { workspace: w.id })).toBeCloseTo(w.projectedUsd, 6);
    }
    // Budget metrics exist only for the workspace that has a budget.
    expect(value('burnrate_workspace_budget_usd', { workspace: 'research' })).toBe(100_000);
    expect(value('burnrate_workspace_budget_usd', { workspace: 'prod' })).toBeUndefined();
    expect(value('burnrate_workspace_budget_used_ratio', { workspace: 'research' })).toBeCloseTo(doc.workspaces[0]!.budget!.usedPercent / 100, 4);
    expect(byName.has('burnrate_workspace_budget_projected_ratio')).toBe(true);

    for (const name of ['burnrate_connection_up', 'burnrate_connection_stale', 'burnrate_connection_spend_usd']) {
      const family = byName.get(name);
      expect(family, name).toBeDefined();
      for (const sample of family!.metrics) {
        expect(Object.keys(sample.labels ?? {}).sort()).toEqual(['connection', 'provider', 'workspace']);
        expect(PROVIDERS).toContain(sample.labels!.provider);
      }
    }
    expect(byName.get('burnrate_connection_up')!.metrics).toHaveLength(6);
    expect(value('burnrate_connection_up', { workspace: 'prod', provider: 'baseten', connection: 'baseten-revoked' })).toBe(0);
    expect(value('burnrate_connection_up', { workspace: 'research', provider: 'baseten', connection: 'baseten' })).toBe(1);
    expect(value('burnrate_connection_stale', { workspace: 'prod', connection: 'tensorone' })).toBe(0);
    // Unknown spend is absent, never 0.
    expect(value('burnrate_connection_spend_usd', { connection: 'baseten-revoked' })).toBeUndefined();
    for (const w of doc.workspaces) {
      for (const c of w.connections) {
        if (c.spentUsd !== null) expect(value('burnrate_connection_spend_usd', { workspace: w.id, provider: c.provider, connection: c.id })).toBeCloseTo(c.spentUsd, 6);
        // Burn rate and projection per connection, so Prometheus can sum them by provider.
        const labels = { workspace: w.id, provider: c.provider, connection: c.id };
        if (c.burnRateUsdPerHour != null) expect(value('burnrate_connection_burn_rate_usd_per_hour', labels)).toBeCloseTo(c.burnRateUsdPerHour, 6);
        else expect(value('burnrate_connection_burn_rate_usd_per_hour', labels)).toBeUndefined();
        if (c.projectedUsd != null) expect(value('burnrate_connection_projected_usd', labels)).toBeCloseTo(c.projectedUsd, 6);
      }
    }
    expect(byName.get('burnrate_connection_burn_rate_usd_per_hour')!.metrics.length).toBeGreaterThan(0);
    expect(value('burnrate_connection_spend_credits', { provider: 'civis' })).toBeCloseTo(doc.workspaces[0]!.connections.find((c) => c.id === 'civis')!.spentCredits!, 6);
    expect(value('burnrate_info', { demo: 'false' })).toBe(1);
  });

  it('serves the dashboard with the token carried into its asset URLs', async () => {
    const index = await get(port, `/?token=${token}`);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect(index.body).toContain('<div id="root">');
    const assets = [...index.body.matchAll(/(?:src|href)="\.(\/assets\/[^"?]+)\?token=([^"]+)"/g)];
    expect(assets.length).toBeGreaterThan(0);
    for (const [, path, assetToken] of assets) {
      expect(decodeURIComponent(assetToken!)).toBe(token);
      const [withToken, without] = await Promise.all([get(port, `${path}?token=${token}`), get(port, path!)]);
      expect(withToken.status).toBe(200);
      expect(without.status).toBe(401);
    }
    const [traversal, malformed, unknown] = await Promise.all([
      get(port, `/assets/..%2f..%2fmain%2fcli.js?token=${token}`),
      get(port, `/assets/%E0%A4%A?token=${token}`),
      get(port, `/nope?token=${token}`),
    ]);
    expect(traversal.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(serve.stderr).not.toMatch(/error/i);
  });

  it('reports a busy port as bad usage (exit 2) without printing a URL', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(['serve', '--config', configFile, '--port', String(busy)], isolatedEnv(tempDir()));
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`port ${busy} is in use`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('stops cleanly on SIGTERM (exit 0)', async () => {
    const result = await serve.stop('SIGTERM');
    expect(result).toMatchObject({ code: 0, signal: null });
    await expect(get(port, `/api/status?token=${token}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
