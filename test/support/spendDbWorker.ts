/**
 * A second (third…) process on one spend database, for the cross-process tests of
 * main/services/spendDb.processes.test.ts, which bundles it once (test/support/bundleForNode.ts) and
 * runs the bundle with node. By hand it runs with jiti:
 *   node node_modules/jiti/lib/jiti-cli.mjs test/support/spendDbWorker.ts decide FILE WORKSPACES ROUNDS
 *     Prints `ready`, waits for a line on stdin (so all workers start at once), then decides a 50 %
 *     threshold crossing for every workspace, ROUNDS times, interleaved with the other workers;
 *     prints `inserted N` (the notifications this process inserted) and exits.
 *   … spendDbWorker.ts write FILE
 *     Saves connection `w/<i>` for i = 0, 1, 2, … forever, printing `committed <i>` after each commit.
 *   … spendDbWorker.ts cycle FILE SETTINGS START
 *     What an engine does, forever from cycle START: shows the notifications left in the outbox
 *     (claim, print `shown <key>`, settle), then per cycle i writes the settings file SETTINGS
 *     atomically ({"cycle": i}), saves spend data of connection `c/<i>`, decides a threshold
 *     crossing of workspace `ws<i>` (two observations) and shows it; prints `committed <i>`.
 */
import { evaluateAlerts, type AlertNotification } from '../../main/core/alerts';
import { HOUR_MS } from '../../main/core/report';
import { writePrivateFile } from '../../main/services/privateFile';
import { SpendDb } from '../../main/services/spendDb';
import { crossingObservation } from './alertObservation';

const [mode, file, ...rest] = process.argv.slice(2);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
// `cycle` runs on a frozen clock: a claim cut short by a kill never lapses during the test, so an
// interrupted showing is not repeated (claims lapse after CLAIM_LEASE_MS of real time otherwise).
const db = SpendDb.open(file!, { logger: silent, ...(mode === 'cycle' ? { now: () => Date.UTC(2026, 2, 15) } : {}) });
const MARCH = Date.UTC(2026, 2, 1);

/** Connection `key` with one March report of `hours` hourly buckets costing `cost(h)`; total `totalMicros`, else their sum. */
function saveHourly(key: string, provider: string, fetchedAtMs: number, hours: number, cost: (hour: number) => number, totalMicros?: number): void {
  const buckets = Array.from({ length: hours }, (_, h) => ({ startMs: MARCH + h * HOUR_MS, durationMs: HOUR_MS, costMicros: cost(h) }));
  const range = { startMs: MARCH, endMs: MARCH + hours * HOUR_MS };
  const total = totalMicros ?? buckets.reduce((sum, b) => sum + b.costMicros, 0);
  const report = { provider, range, unit: 'usd' as const, totalMicros: total, granularityMs: HOUR_MS, buckets, resources: [], dataThroughMs: null, extras: {}, notes: [] };
  db.saveConnections('ns', { [key]: { provider, fingerprint: 'f', current: { periodKey: 'month:2026-03', fetchedAtMs, report } } });
}

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
        evaluateAlerts(state, crossingObservation(Date.now() + tick, { workspaceId, workspaceName: workspaceId })),
      ).length;
    }
  }
  process.stdout.write(`inserted ${inserted}\n`);
  db.close();
} else if (mode === 'write') {
  for (let i = 0; ; i += 1) {
    saveHourly(`w/${i}`, 'tensorone', i, 200, (h) => i * 1000 + h, i);
    process.stdout.write(`committed ${i}\n`);
  }
} else if (mode === 'cycle') {
  const [settings, startText] = rest as [string, string];
  const show = (n: AlertNotification): void => {
    if (!db.claim('ns', n)) return;
    process.stdout.write(`shown ${n.key}\n`);
    db.settle('ns', n, 'delivered');
  };
  for (const n of db.outbox('ns')) show(n);
  for (let i = Number(startText); ; i += 1) {
    writePrivateFile(settings, `${JSON.stringify({ cycle: i })}\n`);
    saveHourly(`c/${i}`, 'baseten', i, 48, (h) => i * 100 + h);
    const workspaceId = `ws${i}`;
    const observe = (nowMs: number) => (state: Parameters<typeof evaluateAlerts>[0]) =>
      evaluateAlerts(state, crossingObservation(nowMs, { workspaceId, workspaceName: workspaceId }));
    db.decide('ns', workspaceId, observe(MARCH + i * 1000));
    for (const n of db.decide('ns', workspaceId, observe(MARCH + i * 1000 + 1))) show(n);
    process.stdout.write(`committed ${i}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
