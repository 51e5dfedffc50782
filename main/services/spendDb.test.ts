import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyAlertState, evaluateAlerts, type AlertNotification } from '../core/alerts';
import { DAY_MS, HOUR_MS, type UsageReport } from '../core/report';
import { MemoryLogger, tempFolder } from '../../test/replay/support';
import { crossingObservation } from '../../test/support/alertObservation';
import { CLAIM_LEASE_MS, RETENTION_MS, SpendDb, SPEND_DB_FILE, type StoredConnection } from './spendDb';
import { SCHEMA_VERSION } from './spendDbSchema';
import { SnapshotStore, type SnapshotData } from './snapshotStore';
import { seriesInMemory } from './spendDbLazy';

const NOW_MS = Date.UTC(2026, 2, 10, 12, 30);
const MARCH = Date.UTC(2026, 2, 1);

function hours(fromMs: number, count: number, cost: (i: number) => number) {
  return Array.from({ length: count }, (_, i) => ({ startMs: fromMs + i * HOUR_MS, durationMs: HOUR_MS, costMicros: cost(i) }));
}

function report(overrides: Partial<UsageReport> = {}): UsageReport {
  const buckets = hours(MARCH, 24 * 9 + 12, (i) => 1_000_000 + i);
  return {
    provider: 'baseten',
    range: { startMs: MARCH, endMs: NOW_MS },
    unit: 'usd',
    totalMicros: buckets.reduce((sum, b) => sum + b.costMicros, 0),
    granularityMs: HOUR_MS,
    buckets,
    resources: [
      {
        id: 'dep/1',
        name: 'llama-70b',
        kind: 'deployment',
        costMicros: 900_000,
        activity: { requests: 12, inputTokens: 5 },
        dedicated: true,
        group: 'Dedicated',
        series: [
          { startMs: MARCH, durationMs: DAY_MS, costMicros: 400_000, requests: 10 },
          { startMs: MARCH + DAY_MS, durationMs: DAY_MS, costMicros: 500_000 },
        ],
      },
      { id: 'model-x', name: 'Model X', kind: 'model', costMicros: 100, activity: {}, dedicated: false },
    ],
    dataThroughMs: NOW_MS - HOUR_MS,
    extras: { creditsUsedMicros: 5, rateLimit: { limit: 100, remaining: 99 } },
    notes: ['A note.'],
    ...overrides,
  };
}

let folder: ReturnType<typeof tempFolder>;
let logger: MemoryLogger;
let file: string;
let clockMs: number;
const open = () => SpendDb.open(file, { logger, now: () => clockMs });
const opened: SpendDb[] = [];
const tracked = () => {
  const db = open();
  opened.push(db);
  return db;
};

beforeEach(() => {
  folder = tempFolder('burnrate-db');
  logger = new MemoryLogger();
  file = join(folder.dir, 'state', SPEND_DB_FILE);
  clockMs = NOW_MS;
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  folder.remove();
});

const connection = (current: UsageReport = report(), extra: Partial<StoredConnection> = {}): StoredConnection => ({
  provider: 'baseten',
  fingerprint: '["baseten",{}]',
  current: { periodKey: 'month:2026-03', fetchedAtMs: NOW_MS, report: current },
  ...extra,
});

function changes(db: SpendDb): number {
  // total_changes() counts the rows this connection changed: the write cost of a save.
  return (db as unknown as { session: { db: DatabaseSync } }).session.db.prepare('SELECT total_changes() AS n').get()!.n as number;
}

describe('SpendDb: the file', () => {
  it('is created 0600 in a 0700 folder, in WAL mode, at the current schema version', () => {
    const db = tracked();
    db.saveConnections('ns', { 'lab/bt': connection() });
    expect(statSync(join(folder.dir, 'state')).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(join(folder.dir, 'state'))) expect(statSync(join(folder.dir, 'state', name)).mode & 0o777, name).toBe(0o600);
    expect(readdirSync(join(folder.dir, 'state'))).toContain(`${SPEND_DB_FILE}-wal`);
    const raw = new DatabaseSync(file);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it("keeps a page cache of 256 KiB, not SQLite's 2 MB, for the life of the process", () => {
    const db = tracked();
    const session = (db as unknown as { session: { db: DatabaseSync } }).session.db;
    // Negative: KiB (a positive number would count pages).
    expect(session.prepare('PRAGMA cache_size').get()).toEqual({ cache_size: -256 });
  });

  it('tightens an existing file readable by others', () => {
    tracked().close();
    chmodSync(file, 0o644);
    tracked();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('sets a file that is not a database aside and starts a new one', () => {
    tracked().close();
    writeFileSync(file, 'this is not sqlite at all, just text that is long enough to have a header'.repeat(20));
    const db = tracked();
    expect(db.loadConnections('ns')).toEqual({});
    expect(readdirSync(join(folder.dir, 'state')).some((name) => name.startsWith(`${SPEND_DB_FILE}.corrupt-`))).toBe(true);
    expect(JSON.stringify(logger.lines)).toMatch(/not readable.*moved it to/);
  });

  it('refuses a file written by a newer schema instead of damaging it', () => {
    tracked().close();
    const raw = new DatabaseSync(file);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => open()).toThrow(/newer than this Burnrate/);
  });
});

describe('SpendDb: connections and history', () => {
  it('gives back exactly the reports it saved, rebuilt from the bucket rows', () => {
    const db = tracked();
    const previous = report({ range: { startMs: Date.UTC(2026, 1, 1), endMs: MARCH }, buckets: hours(Date.UTC(2026, 1, 1), 3, () => 7), totalMicros: 21 });
    const saved: Record<string, StoredConnection> = {
      'lab/bt': connection(report(), { previous: { periodKey: 'month:2026-02', fetchedAtMs: NOW_MS - 5, report: previous }, failingSinceMs: NOW_MS - 60_000 }),
      'lab/cv': { provider: 'civis', fingerprint: 'f', failingSinceMs: NOW_MS },
    };
    db.saveConnections('ns', saved);
    expect(open().loadConnections('ns')).toEqual(saved);
    expect(open().loadConnections('other namespace')).toEqual({});
  });

  it('reads the per-resource series on first use, not at load (a start showing stored numbers skips most rows)', () => {
    tracked().saveConnections('ns', { 'lab/bt': connection(report()), 'lab/b2': connection(report()) });
    const reader = open();
    const loaded = reader.loadConnections('ns');
    const used = loaded['lab/bt']!.current!.report.resources[0]!;
    expect(used.series).toEqual(report().resources[0]!.series);
    // Read once, then a plain value: spreading and JSON see the same array.
    expect({ ...used }.series).toBe(used.series);
    expect(JSON.parse(JSON.stringify(used)).series).toEqual(report().resources[0]!.series);
    expect(loaded['lab/bt']!.current!.report.buckets).toEqual(report().buckets);
    reader.close();
    // The series read before closing stays; one never read was not read at load (it needs the open database).
    expect(used.series).toHaveLength(2);
    expect(() => loaded['lab/b2']!.current!.report.resources[0]!.series).toThrow();
    // A resource stored without a series has none.
    expect(loaded['lab/b2']!.current!.report.resources[1]!.series).toBeUndefined();
  });

  it('releases a saved previous period\'s per-resource series to the database: read on first use, saved again at no cost', () => {
    const db = tracked();
    const previous = { periodKey: 'month:2026-02', fetchedAtMs: NOW_MS - 5, report: report({ range: { startMs: Date.UTC(2026, 1, 1), endMs: MARCH } }) };
    const saved = connection(report(), { previous });
    // Not written yet: nothing to release.
    expect(db.releasePreviousSeries('ns', 'lab/bt', previous)).toBeUndefined();
    db.saveConnections('ns', { 'lab/bt': saved });
    const light = db.releasePreviousSeries('ns', 'lab/bt', previous)!;
    const [withSeries, without] = light.report.resources;
    expect(seriesInMemory(withSeries!)).toBe(false);
    expect(light.report.buckets).toBe(previous.report.buckets);
    // Saving the released report is no change: no row written or deleted.
    const before = changes(db);
    db.saveConnections('ns', { 'lab/bt': { ...saved, previous: light } });
    expect(changes(db) - before).toBe(0);
    // Once only, and only for what was written.
    expect(db.releasePreviousSeries('ns', 'lab/bt', light)).toBeUndefined();
    expect(db.releasePreviousSeries('ns', 'lab/bt', previous)).toBeUndefined();
    // The series are still there, from the database.
    expect(withSeries!.series).toEqual(previous.report.resources[0]!.series);
    expect(without!.series).toBeUndefined();
    expect(open().loadConnections('ns')['lab/bt']!.previous!.report.resources[0]!.series).toEqual(previous.report.resources[0]!.series);
  });

  it('writes only what changed: the same reports again cost nothing, one revised hour costs one row', () => {
    const db = tracked();
    const first = report();
    db.saveConnections('ns', { 'lab/bt': connection(first) });
    let before = changes(db);
    db.saveConnections('ns', { 'lab/bt': connection(first) });
    // A new fetch with the same numbers: the connection and fetch rows, not one bucket.
    expect(changes(db) - before).toBe(2);
    // The same stored report again: nothing at all.
    before = changes(db);
    const unchanged = { provider: 'baseten' as const, fingerprint: '["baseten",{}]', current: db.loadConnections('ns')['lab/bt']!.current! };
    db.saveConnections('ns', { 'lab/bt': unchanged });
    expect(changes(db) - before).toBe(0);
    const revised = report({ buckets: first.buckets.map((b, i) => (i === 5 ? { ...b, costMicros: b.costMicros + 1 } : b)) });
    const mark = changes(db);
    db.saveConnections('ns', { 'lab/bt': { ...unchanged, current: { periodKey: 'month:2026-03', fetchedAtMs: NOW_MS + 1, report: revised } } });
    expect(changes(db) - mark).toBe(3); // connection row + fetch row + the one revised bucket
    expect(open().loadConnections('ns')['lab/bt']!.current!.report.buckets[5]!.costMicros).toBe(first.buckets[5]!.costMicros + 1);
  });

  it('removes buckets a newer fetch of the same period no longer has', () => {
    const db = tracked();
    db.saveConnections('ns', { 'lab/bt': connection(report()) });
    const shorter = report();
    const trimmed = { ...shorter, buckets: shorter.buckets.slice(0, 10) };
    db.saveConnections('ns', { 'lab/bt': connection(trimmed) });
    expect(open().loadConnections('ns')['lab/bt']!.current!.report.buckets).toEqual(trimmed.buckets);
  });

  it('keeps a straddling bucket in both periods it belongs to', () => {
    const db = tracked();
    const day = { startMs: MARCH, durationMs: DAY_MS, costMicros: 10 };
    db.saveConnections('ns', {
      'la/bt': connection(report({ buckets: [day], range: { startMs: MARCH + 8 * HOUR_MS, endMs: NOW_MS } }), {
        previous: { periodKey: 'month:2026-02', fetchedAtMs: NOW_MS, report: report({ buckets: [{ ...day, costMicros: 4 }], range: { startMs: Date.UTC(2026, 1, 1, 8), endMs: MARCH + 8 * HOUR_MS } }) },
      }),
    });
    const loaded = open().loadConnections('ns')['la/bt']!;
    expect(loaded.current!.report.buckets).toEqual([day]);
    expect(loaded.previous!.report.buckets).toEqual([{ ...day, costMicros: 4 }]);
  });

  it('leaves connections it was not given alone, and forgets the history of an edited connection', () => {
    const db = tracked();
    db.saveConnections('ns', { 'lab/bt': connection(), 'lab/other': connection() });
    const other = open();
    opened.push(other);
    other.loadConnections('ns');
    other.saveConnections('ns', { 'lab/bt': connection(report({ buckets: [] }), { fingerprint: 'edited' }) });
    const loaded = open().loadConnections('ns');
    expect(loaded['lab/other']).toEqual(connection());
    expect(loaded['lab/bt']!.fingerprint).toBe('edited');
    expect(loaded['lab/bt']!.current!.report.buckets).toEqual([]);
  });

  it('keeps 400 days of history and prunes what is older', () => {
    const db = tracked();
    const old = NOW_MS - RETENTION_MS - DAY_MS;
    db.saveConnections('ns', {
      'lab/bt': connection(report({ range: { startMs: old, endMs: old + 2 * DAY_MS }, buckets: [{ startMs: old, durationMs: DAY_MS, costMicros: 1 }, { startMs: old + DAY_MS, durationMs: DAY_MS, costMicros: 2 }] })),
    });
    db.prune(NOW_MS);
    expect(open().loadConnections('ns')['lab/bt']!.current!.report.buckets.map((b) => b.costMicros)).toEqual([2]);
  });
});

describe('SpendDb: period totals (the history)', () => {
  it('keeps past periods after the slots moved on, preferring a kept fetch total over the bucket sum', () => {
    const db = tracked();
    const jan = { periodKey: 'month:2026-01-01@UTC', fetchedAtMs: NOW_MS, report: report({ buckets: [{ startMs: Date.UTC(2026, 0, 5), durationMs: DAY_MS, costMicros: 7 }], totalMicros: 7 }) };
    // February: its total (30) is above its buckets (10 + 5): an "unallocated" share.
    const febBuckets = [{ startMs: Date.UTC(2026, 1, 2), durationMs: DAY_MS, costMicros: 10 }, { startMs: Date.UTC(2026, 1, 3), durationMs: DAY_MS, costMicros: 5 }];
    const feb = { periodKey: 'month:2026-02-01@UTC', fetchedAtMs: NOW_MS, report: report({ buckets: febBuckets, totalMicros: 30 }) };
    db.saveConnections('ns', { 'lab/bt': connection(jan.report, { current: jan }) });
    db.saveConnections('ns', { 'lab/bt': connection(feb.report, { current: feb, previous: jan }) });
    const march = { periodKey: 'month:2026-03-01@UTC', fetchedAtMs: NOW_MS, report: report() };
    db.saveConnections('ns', { 'lab/bt': connection(march.report, { current: march, previous: feb }) });
    const totals = open().periodTotals('ns').sort((a, b) => a.periodKey.localeCompare(b.periodKey));
    expect(totals.map(({ periodKey, totalMicros, unit }) => [periodKey, totalMicros, unit])).toEqual([
      ['month:2026-01-01@UTC', 7, 'usd'],
      ['month:2026-02-01@UTC', 30, 'usd'],
      ['month:2026-03-01@UTC', report().totalMicros, 'usd'],
    ]);
    expect(open().periodTotals('other')).toEqual([]);
  });
});

const OBSERVATION = crossingObservation(NOW_MS);

describe('SpendDb: decisions and the outbox', () => {
  it('decides a crossing once even when two connections observe it', () => {
    const a = tracked();
    const b = tracked();
    const decide = (db: SpendDb, nowMs: number) => db.decide('ns', 'lab', (state) => evaluateAlerts(state, { ...OBSERVATION, nowMs }));
    expect(decide(a, NOW_MS)).toEqual([]); // first observation above 50 %: pending
    const second = decide(b, NOW_MS + 60_000); // b sees a's pending entry: confirmed
    expect(second.map((n) => n.key)).toEqual(['lab|threshold:50|month:2026-03']);
    expect(decide(a, NOW_MS + 120_000)).toEqual([]); // a sees that b fired it
    expect(a.decisions('ns')).toHaveLength(1);
    expect(a.alertState('other')).toEqual(emptyAlertState());
  });

  it('inserts a notification once by its key and time, and lets one process claim it at a time', () => {
    const a = tracked();
    const b = tracked();
    const n: AlertNotification = { key: 'lab|spike|hour:x', workspaceId: 'lab', rule: 'spike', severity: 'warning', title: 't', body: 'b', atMs: NOW_MS };
    const decision = (state = emptyAlertState()) => ({ state, notifications: [n] });
    expect(a.decide('ns', 'lab', decision)).toEqual([n]);
    expect(b.decide('ns', 'lab', decision)).toEqual([]);
    expect(b.outbox('ns')).toEqual([n]);
    expect(a.claim('ns', n)).toBe(true);
    expect(b.claim('ns', n)).toBe(false);
    a.settle('ns', n, 'released');
    expect(b.claim('ns', n)).toBe(true);
    clockMs += CLAIM_LEASE_MS + 1; // b died while showing it: its claim expires
    expect(a.claim('ns', n)).toBe(true);
    a.settle('ns', n, 'delivered');
    expect(b.outbox('ns')).toEqual([]);
    expect(b.claim('ns', n)).toBe(false);
    expect(a.decisions('ns')[0]!.deliveredAtMs).toBe(clockMs);
  });
});

describe('SpendDb: importing the JSON snapshots', () => {
  const snapshot = (): SnapshotData => ({
    version: 1,
    connections: { 'lab/bt': { fingerprint: '["baseten",{}]', current: { periodKey: 'month:2026-03', fetchedAtMs: NOW_MS, report: report() }, failingSinceMs: 5 } },
    alerts: evaluateAlerts(emptyAlertState(), OBSERVATION).state,
    outbox: [{ key: 'lab|spike|hour:x', workspaceId: 'lab', rule: 'spike', severity: 'warning', title: 't', body: 'b', atMs: NOW_MS }],
  });

  it('imports reports, alert state and outbox once, then removes the file', () => {
    const json = join(folder.dir, 'state', 'snapshots-abc.json');
    new SnapshotStore(json, logger).save(snapshot());
    const db = tracked();
    expect(db.importSnapshotFile(json, 'ns', { withAlerts: true })).toBe(true);
    expect(readdirSync(join(folder.dir, 'state'))).not.toContain('snapshots-abc.json');
    expect(db.loadConnections('ns')).toEqual({ 'lab/bt': { provider: 'baseten', ...snapshot().connections['lab/bt'] } });
    expect(db.alertState('ns')).toEqual(snapshot().alerts);
    expect(db.outbox('ns')).toEqual(snapshot().outbox);
    expect(db.importSnapshotFile(json, 'ns', { withAlerts: true })).toBe(false);
  });

  it('never overwrites what the database already has with an older file', () => {
    const db = tracked();
    const newer = connection(report({ totalMicros: 1 }));
    db.saveConnections('ns', { 'lab/bt': newer });
    const json = join(folder.dir, 'state', 'snapshots-abc.json');
    new SnapshotStore(json, logger).save(snapshot());
    db.importSnapshotFile(json, 'ns', { withAlerts: false });
    expect(open().loadConnections('ns')['lab/bt']!.current!.report.totalMicros).toBe(1);
    expect(db.alertState('ns')).toEqual(emptyAlertState());
  });
});
