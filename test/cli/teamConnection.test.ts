/**
 * Issue 14, "Done when": a team `burnrate serve` on the provider fakes, and a second Burnrate (the
 * real binary, `status --json`) whose only connection is `"provider": "burnrate"` pointing at it.
 * Both report the same spend, burn rate and projection to the cent (here: to the micro-dollar).
 * Stopping the server makes that connection stale (its last numbers, not zero), with the error in
 * words. Also: `GET /api/history` of the real server, and its 400s naming the parameter.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument, WorkspaceStatus } from '../../preload/api';
import { historyDocumentSchema, statusDocumentSchema } from '../../main/providers/burnrate/burnrate.schema';
import { assertFreshBuild, cleanupTempDirs, connectionFor, isolatedEnv, LiveCli, runCli, startFakes, tempDir, writeConfig, type FakeSet } from './helpers';
import { rawGet } from './rawHttp';

const TOKEN = 'team-token-for-the-e2e-0123456789';
const SERVER_PROVIDERS = ['baseten', 'civis', 'limitry', 'simplismart', 'tensorone'] as const;
const BUDGET = { amountUsd: 20_000, period: 'month', thresholdsPercent: [50, 75, 90, 100] };

let fakes: FakeSet;
let server: LiveCli;
let port: number;
let clientConfig: string;
let clientEnv: Record<string, string>;

const auth = { authorization: `Bearer ${TOKEN}` };
async function serverStatus(): Promise<StatusDocument> {
  const answer = await rawGet(port, '/api/status', auth);
  expect(answer.status).toBe(200);
  return statusDocumentSchema.parse(JSON.parse(answer.body)) as StatusDocument;
}
const prodOf = (doc: StatusDocument): WorkspaceStatus => doc.workspaces.find((w) => w.id === 'prod')!;
/** The numbers both must agree on. */
const numbers = (w: WorkspaceStatus) => ({ spentUsd: w.spentUsd, burnRateUsdPerHour: w.burnRateUsdPerHour, projectedUsd: w.projectedUsd });

beforeAll(async () => {
  assertFreshBuild();
  fakes = await startFakes();
  const serverDir = tempDir();
  const serverConfig = writeConfig(serverDir, {
    workspaces: [{ id: 'prod', name: 'Prod', timeZone: 'UTC', budget: BUDGET, connections: SERVER_PROVIDERS.map((p) => connectionFor(fakes, p)) }],
  });
  server = new LiveCli(['serve', '--config', serverConfig, '--listen', '127.0.0.1:0'], isolatedEnv(serverDir, { BURNRATE_TOKEN: TOKEN }));
  const match = await server.waitForStdout(/Burnrate dashboard: http:\/\/127\.0\.0\.1:(\d+)\/\?token=/);
  port = Number(match[1]);
  // The server's first refresh: every connection has answered once (the server has no event to wait on from outside).
  for (;;) {
    const doc = await serverStatus();
    if (prodOf(doc).connections.every((c) => c.status === 'ok' && c.fetchedAt !== null && !c.stale)) break;
    await delay(200);
  }
  const clientDir = tempDir();
  clientConfig = writeConfig(clientDir, {
    workspaces: [
      {
        id: 'prod',
        name: 'Prod (from the team server)',
        timeZone: 'UTC',
        budget: BUDGET,
        connections: [{ id: 'team', provider: 'burnrate', baseUrl: `http://127.0.0.1:${port}`, tokenEnv: 'BURNRATE_TEAM_TOKEN', workspace: 'prod' }],
      },
    ],
  });
  clientEnv = isolatedEnv(clientDir, { BURNRATE_TEAM_TOKEN: TOKEN });
}, 120_000);

afterAll(async () => {
  server?.kill();
  await fakes?.stop();
  cleanupTempDirs();
});

describe('a burnrate connection to a team server', () => {
  let first: WorkspaceStatus;

  it('reports the same spend, burn rate and projection as the server, to the micro-dollar', async () => {
    // The server summarizes again when the minute turns: read it before and after, the client saw one of the two.
    const before = prodOf(await serverStatus());
    const result = await runCli(['status', '--config', clientConfig, '--json'], clientEnv);
    const after = prodOf(await serverStatus());
    expect(result.code, result.stderr).toBe(0);
    const client = statusDocumentSchema.parse(JSON.parse(result.stdout)) as StatusDocument;
    first = prodOf(client);
    expect(before.spentUsd).toBeGreaterThan(0);
    expect(before.burnRateUsdPerHour).toBeGreaterThan(0);
    expect([numbers(before), numbers(after)]).toContainEqual(numbers(first));
    // The connection line says the same, and is a plain, fresh connection of this client.
    const team = first.connections[0]!;
    expect(team).toMatchObject({ id: 'team', provider: 'burnrate', providerName: 'Burnrate team server', status: 'ok', error: null });
    expect(team.stale).toBeUndefined();
    expect({ spentUsd: team.spentUsd, burnRateUsdPerHour: team.burnRateUsdPerHour, projectedUsd: team.projectedUsd }).toEqual(numbers(first));
    expect(first.coverage).toEqual({ connectionsOk: 1, connectionsTotal: 1, excluded: [] });
    // The budget is this workspace's own: the same amount gives the same share as on the server.
    expect(first.budget?.usedPercent).toBe(before.budget?.usedPercent);
    // Its breakdown is the server's resources, each under its server connection.
    expect(team.topResources.length).toBeGreaterThan(0);
    for (const resource of team.topResources) expect(resource.id).toMatch(new RegExp(`^(${SERVER_PROVIDERS.join('|')})/`));
  });

  it('serves the hourly history the connection reads, and names a bad parameter in a 400', async () => {
    const period = prodOf(await serverStatus()).period;
    const answer = await rawGet(port, `/api/history?from=${encodeURIComponent(period.start)}&workspace=prod`, auth);
    expect(answer.status).toBe(200);
    const history = historyDocumentSchema.parse(JSON.parse(answer.body));
    expect(history.from).toBe(period.start);
    expect(history.workspaces.map((w) => w.id)).toEqual(['prod']);
    expect(history.workspaces[0]!.connections.map((c) => [c.id, c.unit])).toEqual(SERVER_PROVIDERS.map((p) => [p, 'usd']));
    for (const connection of history.workspaces[0]!.connections) expect(connection.buckets.length, connection.id).toBeGreaterThan(0);
    const bad = await rawGet(port, '/api/history?from=last-tuesday', auth);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: expect.stringMatching(/^from must be an ISO-8601 date/), parameter: 'from' });
    const unauthorized = await rawGet(port, '/api/history');
    expect(unauthorized.status).toBe(401);
  });

  it('goes stale with its last numbers, not zero, and says why in words, once the server is stopped', async () => {
    expect(first, 'the first test ran').toBeDefined();
    await server.stop('SIGTERM');
    const result = await runCli(['status', '--config', clientConfig, '--json', '--refresh'], clientEnv);
    expect(result.code).toBe(3);
    const client = prodOf(statusDocumentSchema.parse(JSON.parse(result.stdout)) as StatusDocument);
    const team = client.connections[0]!;
    expect(team).toMatchObject({ status: 'error', stale: true, spentUsd: first.spentUsd, error: { kind: 'network' } });
    expect(team.error!.message).toMatch(new RegExp(`^Could not reach Burnrate team server at 127\\.0\\.0\\.1:${port}: connection refused`));
    expect(client.spentUsd).toBe(first.spentUsd);
    expect(client.spentUsd).toBeGreaterThan(0);
    const table = await runCli(['status', '--config', clientConfig, '--refresh'], clientEnv);
    expect(table.stdout).toMatch(/team\s+Burnrate team server\s+error \(stale\)\s+\$[\d,]+\.\d\d.*Could not reach Burnrate team server/);
  });
});
