/**
 * `burnrate status` end to end: the real binary against the five loopback fakes.
 * Exact totals, every exit code, provider faults, retries and the JSON contract.
 */
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, StatusDocument } from '../../preload/api';
import { adapterFor } from '../../main/providers/registry';
import { connectionFor, isolatedEnv, newKey, PROVIDERS, runCli, startFakes, tempDir, USD_PER_CREDIT, withFakes, workspaceConfig, writeConfig, type FakeSet, type ProviderName } from './helpers';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let fakes: FakeSet;
withFakes((started) => {
  fakes = started;
});

/** Runs `burnrate status --json` on a config; returns the result and the parsed document. */
async function statusJson(config: unknown, args: readonly string[] = [], extraEnv: Record<string, string> = {}, timeoutMs?: number) {
  const dir = tempDir();
  const file = writeConfig(dir, config);
  const result = await runCli(['status', '--config', file, '--json', ...args], isolatedEnv(dir, extraEnv), timeoutMs);
  let document: StatusDocument | undefined;
  try {
    document = JSON.parse(result.stdout) as StatusDocument;
  } catch (error) {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`, { cause: error });
  }
  return { result, document, dir, file };
}

function connection(document: StatusDocument, id: string, workspaceIndex = 0): ConnectionStatus {
  const found = document.workspaces[workspaceIndex]?.connections.find((c) => c.id === id);
  if (!found) throw new Error(`no connection ${id} in ${JSON.stringify(document)}`);
  return found;
}

/** Truth in micro-USD of one fake for the CLI's period (for Civis: micro-credits converted at USD_PER_CREDIT, half up). */
function truthUsdMicros(fakeSet: FakeSet, provider: ProviderName, range: { startMs: number; endMs: number }): number {
  if (provider === 'civis') {
    const credits = fakeSet.civis.truthMicros(range);
    return Math.round(credits * USD_PER_CREDIT);
  }
  return fakeSet[provider].truthMicros(range);
}

const micros = (usd: number) => Math.round(usd * 1e6);

// The suites below run concurrently (each test starts its own processes and, for faults, its own
// fakes): the 60-s hang test overlaps the rest instead of adding to it.
describe.concurrent('burnrate status: a provider that never answers', () => {
  it('ends at its own deadline with the default timeouts, reporting it as network', async () => {
    const own = await startFakes();
    try {
      own.tensorone.server.inject({ type: 'hang' }, { times: Infinity });
      const { result, document } = await statusJson(workspaceConfig([connectionFor(own, 'tensorone'), connectionFor(own, 'limitry')]), [], {}, 300_000);
      // The CLI ended the wait itself (its deadline or the request timeout said so), not a kill: no wall-clock bound.
      expect(result.signal).toBeNull();
      expect(result.code, result.stderr).toBe(3);
      expect(connection(document!, 'tensorone')).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'network', message: expect.stringMatching(/did not answer/) } });
      expect(connection(document!, 'limitry')).toMatchObject({ status: 'ok', error: null });
      // It tried again: the per-request timeout is shorter than the deadline.
      expect(own.tensorone.server.requests.length).toBeGreaterThanOrEqual(2);
    } finally {
      await own.stop();
    }
  });

  it('gives up after the request timeout set by BURNRATE_HTTP_TIMEOUT_MS, reporting kind network', async () => {
    const own = await startFakes();
    try {
      own.limitry.server.inject({ type: 'hang' }, { times: Infinity });
      const { result, document } = await statusJson(
        workspaceConfig([connectionFor(own, 'limitry'), connectionFor(own, 'baseten')]),
        [],
        // Long enough for a busy machine to answer the healthy provider, far below the 30-s default.
        { BURNRATE_HTTP_TIMEOUT_MS: '5000' },
      );
      expect(result.code, result.stderr).toBe(3);
      // The 5-s request timeout ended each attempt (not the 30-s default): the message names it.
      expect(connection(document!, 'limitry')).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'network', message: expect.stringMatching(/did not answer within 5 s/) } });
      expect(connection(document!, 'baseten').status).toBe('ok');
      expect(own.limitry.server.requests.length).toBeGreaterThanOrEqual(3);
    } finally {
      await own.stop();
    }
  });
});

describe.concurrent('burnrate status --json with all five providers', () => {
  it('reports the exact spend of every provider to the micro-dollar, and exits 0', async () => {
    const { result, document } = await statusJson(
      workspaceConfig(
        PROVIDERS.map((p) => connectionFor(fakes, p)),
        { budget: { amountUsd: 1_000_000, period: 'month', thresholdsPercent: [50, 100] } },
      ),
    );
    expect(result.stderr).toBe('');
    expect(result.code, result.stderr).toBe(0);
    const workspace = document!.workspaces[0]!;
    const startMs = Date.parse(workspace.period.start);
    const endMs = Date.parse(document!.generatedAt);
    // The CLI's clock is past the fakes' frozen one: its range covers everything they recorded.
    expect(endMs).toBeGreaterThanOrEqual(fakes.nowMs);
    expect(startMs).toBe(Date.UTC(new Date(fakes.nowMs).getUTCFullYear(), new Date(fakes.nowMs).getUTCMonth(), 1));
    let sum = 0;
    for (const provider of PROVIDERS) {
      const c = connection(document!, provider);
      expect(c, provider).toMatchObject({ provider, status: 'ok', error: null });
      const truth = truthUsdMicros(fakes, provider, { startMs, endMs });
      expect(truth, `${provider} has usage this month`).toBeGreaterThan(0);
      expect(micros(c.spentUsd!), `${provider} spentUsd`).toBe(truth);
      sum += truth;
    }
    const civis = connection(document!, 'civis');
    expect(micros(civis.spentCredits!)).toBe(fakes.civis.truthMicros({ startMs, endMs }));
    expect(micros(workspace.spentUsd)).toBe(sum);
    expect(workspace.budget).toMatchObject({ amountUsd: 1_000_000, crossesAt: null });
    expect(workspace.budget!.usedPercent).toBeCloseTo((sum / 1e6 / 1_000_000) * 100, 2);
  });

  it('reports Civis credits exactly and keeps them out of the dollar totals without usdPerCredit', async () => {
    const { result, document } = await statusJson(workspaceConfig([connectionFor(fakes, 'civis', { usdPerCredit: undefined }), connectionFor(fakes, 'limitry')]));
    expect(result.code, result.stderr).toBe(0);
    const startMs = Date.parse(document!.workspaces[0]!.period.start);
    const endMs = Date.parse(document!.generatedAt);
    const civis = connection(document!, 'civis');
    expect(civis).toMatchObject({ status: 'ok', spentUsd: null, error: null });
    expect(micros(civis.spentCredits!)).toBe(fakes.civis.truthMicros({ startMs, endMs }));
    expect(civis.notes?.join(' ')).toMatch(/not added to money totals/);
    expect(micros(document!.workspaces[0]!.spentUsd)).toBe(fakes.limitry.truthMicros({ startMs, endMs }));
  });

  it('runs as `npx burnrate` from the checkout, with the same exact totals', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'simplismart'), connectionFor(fakes, 'civis')]));
    const result = await runCli(['status', '--config', file, '--json'], isolatedEnv(dir), 170_000, 'npx');
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as StatusDocument;
    const startMs = Date.parse(document.workspaces[0]!.period.start);
    const endMs = Date.parse(document.generatedAt);
    expect(micros(connection(document, 'simplismart').spentUsd!)).toBe(truthUsdMicros(fakes, 'simplismart', { startMs, endMs }));
    expect(micros(connection(document, 'civis').spentUsd!)).toBe(truthUsdMicros(fakes, 'civis', { startMs, endMs }));
  });

  it('follows the documented JSON contract: USD numbers with at most 6 decimals, ISO-8601 UTC times', async () => {
    const { result, document } = await statusJson(workspaceConfig(PROVIDERS.map((p) => connectionFor(fakes, p))));
    expect(result.code, result.stderr).toBe(0);
    const doc = document!;
    expect(doc.generatedAt).toMatch(ISO_UTC);
    expect(doc).not.toHaveProperty('demo');
    const w = doc.workspaces[0]!;
    expect(Object.keys(w)).toEqual(
      expect.arrayContaining([
        'id', 'name', 'currency', 'period', 'spentUsd', 'nowcastUsd', 'burnRateUsdPerHour', 'projectedUsd',
        'projectedLowUsd', 'projectedHighUsd', 'projectionMethod', 'budget', 'connections',
      ]),
    );
    expect(w).toMatchObject({ id: 'team', name: 'Team', currency: 'USD', budget: null });
    expect(w.period.start).toMatch(ISO_UTC);
    expect(w.period.end).toMatch(ISO_UTC);
    const sixDecimals = (n: number) => Math.abs(n * 1e6 - Math.round(n * 1e6)) < 1e-6;
    for (const n of [w.spentUsd, w.nowcastUsd, w.burnRateUsdPerHour, w.projectedUsd, w.projectedLowUsd, w.projectedHighUsd]) {
      expect(typeof n).toBe('number');
      expect(sixDecimals(n), String(n)).toBe(true);
    }
    expect(w.projectedLowUsd).toBeLessThanOrEqual(w.projectedUsd);
    expect(w.projectedHighUsd).toBeGreaterThanOrEqual(w.projectedUsd);
    expect(w.projectedUsd).toBeGreaterThanOrEqual(w.spentUsd);
    for (const c of w.connections) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(['id', 'provider', 'status', 'spentUsd', 'spentCredits', 'dataThrough', 'fetchedAt', 'topResources', 'error']),
      );
      expect(c.dataThrough).toMatch(ISO_UTC);
      expect(c.fetchedAt).toMatch(ISO_UTC);
      expect(c.topResources.length).toBeGreaterThan(0);
      for (const r of c.topResources) {
        expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'spentUsd']));
        expect(sixDecimals(r.spentUsd)).toBe(true);
      }
      expect(c.spentCredits === null).toBe(c.provider !== 'civis');
    }
  });

  it('prints a compact human table without --json', async () => {
    const dir = tempDir();
    const file = writeConfig(
      dir,
      workspaceConfig(
        PROVIDERS.map((p) => connectionFor(fakes, p)),
        { budget: { amountUsd: 1_000_000 } },
      ),
    );
    const result = await runCli(['status', '--config', file], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^WORKSPACE\s+SPENT\s+BURN\/H\s+PROJECTED\s+BUDGET USED\s+STATUS$/);
    expect(lines[1]).toMatch(/^Team\s+\$[\d,]+\.\d\d\s+\$[\d,]+\.\d\d\s+\$[\d,]+\.\d\d \(.+\)\s+[\d.]+% of \$1,000,000\.00\s+ok$/);
    // The PROVIDER column shows each adapter's display name ("TensorOne"), not its id.
    for (const provider of PROVIDERS) expect(result.stdout).toMatch(new RegExp(`^\\s+${provider}\\s+${adapterFor(provider).displayName}\\s+ok\\s+\\$`, 'm'));
    expect(result.stdout).not.toContain('{');
  });

  it('shows unknown totals as a dash in the table, not as $0.00, when every connection failed', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry', { apiKey: newKey('lmtry_sk_wrong_') })], { budget: { amountUsd: 500 } }));
    const result = await runCli(['status', '--config', file], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(3);
    const row = result.stdout.split('\n')[1]!;
    expect(row).toMatch(/^Team\s+—\s+—\s+—\s+\? of \$500\.00\s+1 failing$/);
    expect(result.stdout).not.toContain('$0.00');
    expect(result.stdout).toMatch(/limitry\s+Limitry\s+error\s+—.*auth: Limitry rejected the API key \(401\)/);
    // The total leaves the failed connection out, and says why.
    expect(result.stdout).toMatch(/Not in the total: limitry: The last refresh failed \(auth\)/);
  });
});

describe.concurrent('burnrate status: exit codes', () => {
  it('exits 1 with --check when a workspace is over budget, and 0 when none is', async () => {
    const dir = tempDir();
    const over = writeConfig(dir, {
      workspaces: [
        { id: 'small', timeZone: 'UTC', budget: { amountUsd: 1 }, connections: [connectionFor(fakes, 'limitry')] },
        { id: 'large', timeZone: 'UTC', budget: { amountUsd: 1_000_000 }, connections: [connectionFor(fakes, 'limitry')] },
      ],
    }, { name: 'over.json' });
    const env = isolatedEnv(dir);
    const [checked, unchecked, onlyLarge] = await Promise.all([
      runCli(['status', '--config', over, '--check'], env),
      runCli(['status', '--config', over, '--json'], env),
      runCli(['status', '--config', over, '--check', '--json', '--workspace', 'large'], env),
    ]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('small');
    expect(unchecked.code).toBe(0);
    const doc = JSON.parse(unchecked.stdout) as StatusDocument;
    expect(doc.workspaces[0]!.budget!.usedPercent).toBeGreaterThan(100);
    expect(onlyLarge.code).toBe(0);
    expect((JSON.parse(onlyLarge.stdout) as StatusDocument).workspaces.map((w) => w.id)).toEqual(['large']);
  });

  it('--check compares actual spend with the budget exactly: reached is 1, one micro-dollar short is 0', async () => {
    const own = await startFakes();
    try {
      const now = new Date(own.nowMs);
      const month = { startMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), endMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) };
      // Frozen fakes: this is what the CLI will be told, to the micro-dollar.
      const spent = own.limitry.truthMicros(month);
      expect(spent).toBeGreaterThan(1_000_000);
      const dir = tempDir();
      const env = isolatedEnv(dir);
      const run = (budgetMicros: number, name: string) =>
        runCli(['status', '--check', '--json', '--config', writeConfig(dir, workspaceConfig([connectionFor(own, 'limitry')], { budget: { amountUsd: budgetMicros / 1e6 } }), { name })], env);
      const [reached, above, below] = await Promise.all([run(spent, 'reached.json'), run(spent + 1, 'above.json'), run(spent - 1, 'below.json')]);
      expect(micros((JSON.parse(reached.stdout) as StatusDocument).workspaces[0]!.spentUsd)).toBe(spent);
      expect(reached.code).toBe(1);
      expect(below.code).toBe(1);
      // 99.99999995 % is shown as 100 %, but the budget is not reached.
      expect((JSON.parse(above.stdout) as StatusDocument).workspaces[0]!.budget!.usedPercent).toBe(100);
      expect(above.code).toBe(0);
    } finally {
      await own.stop();
    }
  });

  it('exits 2 for bad usage with nothing on stdout', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const env = isolatedEnv(dir);
    const runs = await Promise.all([
      runCli(['status', '--config', file, '--bogus'], env),
      runCli(['status', '--config', file, 'extra'], env),
      runCli(['frobnicate'], env),
      runCli([], env),
      runCli(['serve', '--config', file, '--port', 'eighty'], env),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.length).toBeGreaterThan(0);
    }
    expect(runs[0]!.stderr).toContain('--bogus');
    expect(runs[2]!.stderr).toContain('frobnicate');
  });

  it('exits 2 when --workspace names no workspace, listing the known ones', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const result = await runCli(['status', '--config', file, '--workspace', 'nope'], isolatedEnv(dir));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"nope"');
    expect(result.stderr).toContain('team');
  });

  it('exits 3 when a connection fails, with the complete JSON on stdout', async () => {
    const wrongKey = newKey('bt_wrong_');
    const { result, document } = await statusJson(
      workspaceConfig([connectionFor(fakes, 'baseten', { apiKey: wrongKey }), connectionFor(fakes, 'limitry')]),
    );
    expect(result.code, result.stderr).toBe(3);
    expect(connection(document!, 'limitry')).toMatchObject({ status: 'ok', error: null });
    expect(connection(document!, 'baseten')).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'auth' } });
    expect(micros(document!.workspaces[0]!.spentUsd)).toBe(micros(connection(document!, 'limitry').spentUsd!));
  });
});

describe('burnrate status: private state files (issue 10, defect 4)', () => {
  it('repairs a state folder and snapshot file other users could read, with a warning naming each', async () => {
    const dir = tempDir();
    const env = isolatedEnv(dir);
    const file = writeConfig(dir, workspaceConfig([connectionFor(fakes, 'limitry')]));
    const first = await runCli(['status', '--config', file, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const state = env.BURNRATE_STATE_DIR!;
    const [snapshot] = readdirSync(state);
    chmodSync(state, 0o755);
    chmodSync(join(state, snapshot!), 0o644);
    writeFileSync(join(state, `${snapshot}.999999999.tmp`), '{"half', { mode: 0o600 });
    const second = await runCli(['status', '--config', file, '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`burnrate: warning: The folder ${state} was mode 755 (other users could read it); set it to 700.`);
    expect(second.stderr).toContain(`burnrate: warning: The file ${join(state, snapshot!)} was mode 644 (other users could read it); set it to 600.`);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(state, snapshot!)).mode & 0o777).toBe(0o600);
    expect(readdirSync(state)).toEqual([snapshot]);
  });
});

describe.concurrent('burnrate status: provider faults', () => {
  it('reports a rejected key (401) as kind auth without the key in any message', async () => {
    const wrongKey = newKey('lmtry_sk_wrong_');
    const { result, document } = await statusJson(workspaceConfig([connectionFor(fakes, 'limitry', { apiKey: wrongKey })]));
    expect(result.code, result.stderr).toBe(3);
    const c = connection(document!, 'limitry');
    expect(c).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'auth' } });
    expect(c.error!.message).toMatch(/401/);
    expect(c).not.toHaveProperty('stale');
  });

  it('never prints a key a provider echoes back in its 401 answer', async () => {
    const own = await startFakes();
    try {
      own.simplismart.server.inject(
        { type: 'status', status: 401, body: { detail: `Invalid token ${own.keys.simplismart} (base64 ${Buffer.from(own.keys.simplismart).toString('base64')})` } },
        { times: Infinity },
      );
      const { result, document } = await statusJson(workspaceConfig([connectionFor(own, 'simplismart')]));
      expect(result.code, result.stderr).toBe(3);
      expect(connection(document!, 'simplismart').error).toMatchObject({ kind: 'auth', message: expect.stringContaining('[redacted]') });
    } finally {
      await own.stop();
    }
  });

  it('retries a 429 after its Retry-After and succeeds (exit 0, exact total)', async () => {
    const own = await startFakes();
    try {
      own.baseten.server.inject({ type: 'status', status: 429, body: { error: 'Rate limit exceeded.' }, headers: { 'retry-after': '1' } });
      const { result, document } = await statusJson(workspaceConfig([connectionFor(own, 'baseten')]));
      expect(result.code, result.stderr).toBe(0);
      expect(result.durationMs).toBeGreaterThanOrEqual(1000);
      const startMs = Date.parse(document!.workspaces[0]!.period.start);
      expect(connection(document!, 'baseten')).toMatchObject({ status: 'ok', error: null });
      expect(micros(connection(document!, 'baseten').spentUsd!)).toBe(own.baseten.truthMicros({ startMs, endMs: Date.parse(document!.generatedAt) }));
      const usageRequests = own.baseten.server.requests.filter((r) => r.query.get('start_date')?.startsWith(document!.workspaces[0]!.period.start.slice(0, 10)));
      expect(usageRequests).toHaveLength(2);
    } finally {
      await own.stop();
    }
  });

  it('does not wait for a Retry-After longer than 10 s: rate_limited at once, exit 3', async () => {
    const own = await startFakes();
    try {
      own.tensorone.server.inject({ type: 'status', status: 429, body: { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests' } }, headers: { 'retry-after': '37' } }, { times: Infinity });
      const { result, document } = await statusJson(workspaceConfig([connectionFor(own, 'tensorone')]));
      expect(result.code, result.stderr).toBe(3);
      // Did not wait: one request, no retry (the request count says so; a wall-clock bound would be flaky).
      expect(connection(document!, 'tensorone')).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'rate_limited' } });
      expect(own.tensorone.server.requests).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });

  it('gives up after 3 attempts on a 503 throughout: kind server, exit 3, the other providers still complete', async () => {
    const own = await startFakes();
    try {
      own.civis.server.inject({ type: 'status', status: 503, body: { error: 'unavailable', errorDescription: 'Service Unavailable', code: 503 } }, { times: Infinity });
      const { result, document } = await statusJson(workspaceConfig(PROVIDERS.map((p) => connectionFor(own, p))));
      expect(result.code, result.stderr).toBe(3);
      const civis = connection(document!, 'civis');
      expect(civis).toMatchObject({ status: 'error', spentUsd: null, spentCredits: null, topResources: [], error: { kind: 'server' } });
      expect(civis.error!.message).toContain('503');
      // Three attempts, each the first requests of the fetch: the usage rows and, beside them, the
      // credit limit and the matching counts (secondary calls, not remembered when they fail).
      expect(own.civis.server.requests.filter((r) => r.path === '/usage/llm')).toHaveLength(3);
      expect(own.civis.server.requests.length).toBeLessThanOrEqual(9);
      const startMs = Date.parse(document!.workspaces[0]!.period.start);
      const endMs = Date.parse(document!.generatedAt);
      let sum = 0;
      for (const provider of PROVIDERS.filter((p) => p !== 'civis')) {
        const c = connection(document!, provider);
        expect(c.status).toBe('ok');
        expect(micros(c.spentUsd!)).toBe(truthUsdMicros(own, provider, { startMs, endMs }));
        sum += micros(c.spentUsd!);
      }
      expect(micros(document!.workspaces[0]!.spentUsd)).toBe(sum);
    } finally {
      await own.stop();
    }
  });

  it('reports an HTML page instead of JSON as bad_response', async () => {
    const own = await startFakes();
    try {
      own.simplismart.server.inject({ type: 'html' }, { times: Infinity });
      const { result, document } = await statusJson(workspaceConfig([connectionFor(own, 'simplismart'), connectionFor(own, 'tensorone')]));
      expect(result.code, result.stderr).toBe(3);
      const c = connection(document!, 'simplismart');
      expect(c).toMatchObject({ status: 'error', spentUsd: null, error: { kind: 'bad_response' } });
      expect(c.error!.message).not.toMatch(/Maintenance|<html/i);
      expect(connection(document!, 'tensorone').status).toBe('ok');
    } finally {
      await own.stop();
    }
  });

  it('keeps the other workspaces\' last good values when run with --workspace', async () => {
    const own = await startFakes();
    try {
      const dir = tempDir();
      const file = writeConfig(dir, {
        workspaces: [
          { id: 'a', timeZone: 'UTC', connections: [connectionFor(own, 'limitry')] },
          { id: 'b', timeZone: 'UTC', connections: [connectionFor(own, 'tensorone')] },
        ],
      });
      const env = isolatedEnv(dir);
      const first = await runCli(['status', '--config', file, '--json'], env);
      expect(first.code).toBe(0);
      const good = (JSON.parse(first.stdout) as StatusDocument).workspaces[1]!.connections[0]!;
      expect(good.spentUsd).not.toBeNull();
      const filtered = await runCli(['status', '--config', file, '--json', '--workspace', 'a'], env);
      expect(filtered.code).toBe(0);
      expect((JSON.parse(filtered.stdout) as StatusDocument).workspaces.map((w) => w.id)).toEqual(['a']);
      own.tensorone.server.inject({ type: 'status', status: 401 }, { times: Infinity });
      const last = await runCli(['status', '--config', file, '--json', '--refresh'], env);
      expect(last.code).toBe(3);
      const b = (JSON.parse(last.stdout) as StatusDocument).workspaces[1]!.connections[0]!;
      expect(b).toMatchObject({ status: 'error', stale: true, spentUsd: good.spentUsd, error: { kind: 'auth' } });
    } finally {
      await own.stop();
    }
  });

  it('shows the last good value as stale when a later refresh fails', async () => {
    const own = await startFakes();
    try {
      const dir = tempDir();
      const file = writeConfig(dir, workspaceConfig([connectionFor(own, 'tensorone'), connectionFor(own, 'limitry')]));
      const env = isolatedEnv(dir);
      const first = await runCli(['status', '--config', file, '--json'], env);
      expect(first.code).toBe(0);
      const good = connection(JSON.parse(first.stdout) as StatusDocument, 'tensorone');
      own.tensorone.server.inject({ type: 'status', status: 500 }, { times: Infinity });
      const second = await runCli(['status', '--config', file, '--json', '--refresh'], env);
      expect(second.code).toBe(3);
      const doc = JSON.parse(second.stdout) as StatusDocument;
      const stale = connection(doc, 'tensorone');
      expect(stale).toMatchObject({ status: 'error', stale: true, spentUsd: good.spentUsd, error: { kind: 'server' } });
      expect(stale.fetchedAt).toBe(good.fetchedAt);
      expect(connection(doc, 'limitry')).not.toHaveProperty('stale');
    } finally {
      await own.stop();
    }
  });

  it('answers from the spend database while it is fresh enough; --cached never asks, --refresh always does', async () => {
    const own = await startFakes();
    try {
      const dir = tempDir();
      const file = writeConfig(dir, workspaceConfig([connectionFor(own, 'tensorone')]));
      const env = isolatedEnv(dir);
      const first = await runCli(['status', '--config', file, '--json'], env);
      expect(first.code).toBe(0);
      const good = connection(JSON.parse(first.stdout) as StatusDocument, 'tensorone');
      const asked = own.tensorone.server.requests.length;
      // Within the refresh interval (300 s): from the database, not stale, no request.
      const warm = await runCli(['status', '--config', file, '--json'], env);
      expect(warm.code).toBe(0);
      const fromDb = connection(JSON.parse(warm.stdout) as StatusDocument, 'tensorone');
      expect(fromDb).toMatchObject({ status: 'ok', spentUsd: good.spentUsd, fetchedAt: good.fetchedAt });
      expect(fromDb).not.toHaveProperty('stale');
      expect(own.tensorone.server.requests.length).toBe(asked);
      // --cached: the stored value, marked stale, no request.
      const cached = await runCli(['status', '--config', file, '--json', '--cached'], env);
      expect(connection(JSON.parse(cached.stdout) as StatusDocument, 'tensorone')).toMatchObject({ spentUsd: good.spentUsd, stale: true });
      expect(own.tensorone.server.requests.length).toBe(asked);
      // --refresh: asks again.
      const refreshed = await runCli(['status', '--config', file, '--json', '--refresh'], env);
      expect(refreshed.code).toBe(0);
      expect(own.tensorone.server.requests.length).toBeGreaterThan(asked);
      const both = await runCli(['status', '--config', file, '--cached', '--refresh'], env);
      expect(both.code).toBe(2);
      expect(both.stdout).toBe('');
    } finally {
      await own.stop();
    }
  });
});
