/**
 * A second (third…) process on one spend database, for the cross-process tests of
 * main/services/spendDb.processes.test.ts. Run with jiti:
 *   node node_modules/jiti/lib/jiti-cli.mjs test/support/spendDbWorker.ts decide FILE WORKSPACES ROUNDS
 *     Prints `ready`, waits for a line on stdin (so all workers start at once), then decides a 50 %
 *     threshold crossing for every workspace, ROUNDS times, interleaved with the other workers;
 *     prints `inserted N` (the notifications this process inserted) and exits.
 *   … spendDbWorker.ts write FILE
 *     Saves connection `w/<i>` for i = 0, 1, 2, … forever, printing `committed <i>` after each commit.
 */
import { evaluateAlerts } from '../../main/core/alerts';
import { HOUR_MS } from '../../main/core/report';
import { SpendDb } from '../../main/services/spendDb';

const [mode, file, ...rest] = process.argv.slice(2);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const db = SpendDb.open(file!, { logger: silent });
const MARCH = Date.UTC(2026, 2, 1);

async function ready(): Promise<void> {
  // All workers start deciding together: each says `ready`, then waits for a line on stdin.
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}

if (mode === 'decide') {
  await ready();
  const workspaces = Number(rest[0]);
  const rounds = Number(rest[1]);
  let inserted = 0;
  let tick = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (let w = 0; w < workspaces; w += 1) {
      const workspaceId = `ws${w}`;
      tick += 1;
      inserted += db.decide('ns', workspaceId, (state) =>
        evaluateAlerts(state, {
          nowMs: Date.now() + tick,
          workspaceId,
          workspaceName: workspaceId,
          period: { key: 'month:2026-03', startMs: MARCH, endMs: Date.UTC(2026, 3, 1) },
          budgetMicros: 100_000_000,
          thresholdsPercent: [50],
          actualSpentMicros: 60_000_000,
          complete: true,
          forecastAlerts: false,
          forecast: null,
          hourlySeries: [],
          resources: [],
          connections: [],
        }),
      ).length;
    }
  }
  process.stdout.write(`inserted ${inserted}\n`);
  db.close();
} else if (mode === 'write') {
  for (let i = 0; ; i += 1) {
    const buckets = Array.from({ length: 200 }, (_, h) => ({ startMs: MARCH + h * HOUR_MS, durationMs: HOUR_MS, costMicros: i * 1000 + h }));
    db.saveConnections('ns', {
      [`w/${i}`]: {
        provider: 'tensorone',
        fingerprint: 'f',
        current: {
          periodKey: 'month:2026-03',
          fetchedAtMs: i,
          report: { provider: 'tensorone', range: { startMs: MARCH, endMs: MARCH + 200 * HOUR_MS }, unit: 'usd', totalMicros: i, granularityMs: HOUR_MS, buckets, resources: [], dataThroughMs: null, extras: {}, notes: [] },
        },
      },
    });
    process.stdout.write(`committed ${i}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
