/**
 * The export-sum invariant, end to end with the real binary against every provider's fake: for
 * each connection over its workspace's current period, the `cost_usd` of `burnrate export` adds up
 * to its `spentUsd` in `burnrate status --json` to the cent (and, by design, to the micro-dollar),
 * in CSV and JSON, for every workspace at once and one at a time, in a local-time zone with a
 * half-hour offset (a provider's UTC days straddle its period edges) and on a weekly period.
 */
import { describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { connectionFor, isolatedEnv, PROVIDERS, runCli, tempDir, withFakes, writeConfig, type FakeSet } from './helpers';

let fakes: FakeSet;
withFakes((started) => {
  fakes = started;
});

/** Sum of `cost_usd` per `<workspace>/<connection>`, in integer micro-dollars. */
function sumsOf(rows: ReadonlyArray<{ workspace_id: string; connection_id: string; cost_usd: string | number }>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.workspace_id}/${row.connection_id}`;
    sums.set(key, (sums.get(key) ?? 0) + Math.round(Number(row.cost_usd) * 1e6));
  }
  return sums;
}

function csvRows(csv: string): Array<Record<string, string>> {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = header!.split(',');
  expect(columns.slice(0, 6)).toEqual(['workspace_id', 'connection_id', 'provider', 'start', 'end', 'cost_usd']);
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}

describe('export adds up to status --json', { timeout: 300_000 }, () => {
  it('per connection and period, to the cent, across zones and period kinds', async () => {
    const dir = tempDir();
    const connections = PROVIDERS.map((p) => connectionFor(fakes, p));
    const config = writeConfig(dir, {
      workspaces: [
        { id: 'team', name: 'Team', timeZone: 'UTC', budget: { amountUsd: 100_000 }, connections },
        { id: 'lab', name: 'Lab', timeZone: 'Asia/Kolkata', budget: { amountUsd: 5_000, period: 'week' }, connections },
        // A broken key: no dollars in status, and no rows in the export.
        { id: 'ops', name: 'Ops', timeZone: 'America/New_York', connections: [connectionFor(fakes, 'limitry', { id: 'broken', apiKey: 'lim_wrong_key_0123456789' })] },
      ],
    });
    const [status, csv, json, labOnly] = await Promise.all([
      runCli(['status', '--json', '--config', config], isolatedEnv(tempDir()), 120_000),
      runCli(['export', '--config', config], isolatedEnv(tempDir()), 120_000),
      runCli(['export', '--config', config, '--format', 'json'], isolatedEnv(tempDir()), 120_000),
      runCli(['export', '--config', config, '--workspace', 'lab', '--format', 'json'], isolatedEnv(tempDir()), 120_000),
    ]);
    // Ops/broken fails: exit 3 naming it on stderr, the other rows still written; Lab alone is fine.
    expect(csv.code, csv.stderr).toBe(3);
    expect(csv.stderr).toContain('broken');
    expect(json.code, json.stderr).toBe(3);
    expect(labOnly.code, labOnly.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as StatusDocument;
    const fromCsv = sumsOf(csvRows(csv.stdout) as unknown as Array<{ workspace_id: string; connection_id: string; cost_usd: string }>);
    const fromJson = sumsOf(JSON.parse(json.stdout) as Array<{ workspace_id: string; connection_id: string; cost_usd: number }>);
    const labRows = JSON.parse(labOnly.stdout) as Array<{ workspace_id: string; connection_id: string; cost_usd: number; start: string; end: string }>;
    expect(new Set(labRows.map((r) => r.workspace_id))).toEqual(new Set(['lab']));
    const fromLab = sumsOf(labRows);

    let compared = 0;
    for (const workspace of doc.workspaces) {
      for (const connection of workspace.connections) {
        const key = `${workspace.id}/${connection.id}`;
        if (connection.spentUsd === null) {
          expect(fromCsv.get(key), `${key} has no dollars, so no rows`).toBeUndefined();
          continue;
        }
        const spentMicros = Math.round(connection.spentUsd * 1e6);
        const spentCents = Math.round(connection.spentUsd * 100);
        expect(Math.round((fromCsv.get(key) ?? 0) / 1e4), `${key}: CSV, to the cent`).toBe(spentCents);
        expect(fromCsv.get(key) ?? 0, `${key}: CSV, to the micro-dollar`).toBe(spentMicros);
        expect(fromJson.get(key) ?? 0, `${key}: JSON`).toBe(spentMicros);
        if (workspace.id === 'lab') expect(fromLab.get(key) ?? 0, `${key}: --workspace lab`).toBe(spentMicros);
        compared += 1;
      }
    }
    // Every provider in both money workspaces (Civis counts in dollars through usdPerCredit).
    expect(compared).toBe(2 * PROVIDERS.length);
    expect(doc.workspaces.find((w) => w.id === 'ops')!.connections[0]!.spentUsd).toBeNull();
    // The weekly local-time period of Lab bounds its rows: none ends before it starts.
    const lab = doc.workspaces.find((w) => w.id === 'lab')!;
    for (const row of labRows) expect(Date.parse(row.end)).toBeGreaterThan(Date.parse(lab.period.start));
  });
});
