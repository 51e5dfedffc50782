import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageReport } from '../core/report';
import { emptySnapshotData, SnapshotStore, type SnapshotData } from './snapshotStore';
import { MemoryLogger, tempFolder } from '../../test/replay/support';

const NOW_MS = Date.UTC(2026, 2, 10, 12, 30);

const report: UsageReport = {
  provider: 'tensorone',
  range: { startMs: Date.UTC(2026, 2, 1), endMs: NOW_MS },
  unit: 'usd',
  totalMicros: 2_250_000_000,
  granularityMs: 3_600_000,
  buckets: [{ startMs: Date.UTC(2026, 2, 10, 11), durationMs: 3_600_000, costMicros: 10_000_000 }],
  resources: [
    {
      id: 'cluster-1',
      name: 'GPU Cluster A100',
      kind: 'cluster',
      costMicros: 2_250_000_000,
      activity: { gpuHours: 225 },
      dedicated: true,
      series: [{ startMs: Date.UTC(2026, 2, 10, 11), durationMs: 3_600_000, costMicros: 10_000_000 }],
    },
  ],
  dataThroughMs: NOW_MS,
  extras: {},
  notes: ['Storage is billed daily.'],
};

const data: SnapshotData = {
  version: 1,
  connections: {
    'lab/tensorone': {
      fingerprint: '["tensorone",{}]',
      current: { periodKey: 'month:2026-03-01@UTC', fetchedAtMs: NOW_MS, report },
      previous: { periodKey: 'month:2026-02-01@UTC', fetchedAtMs: NOW_MS, report: { ...report, range: { startMs: Date.UTC(2026, 1, 1), endMs: Date.UTC(2026, 2, 1) } } },
    },
    'lab/civis': { fingerprint: '["civis",{"orgId":7}]', failingSinceMs: NOW_MS - 600_000 },
  },
  alerts: { version: 1, entries: {} },
  outbox: [
    { key: 'lab|threshold:90|month:2026-03-01@UTC', workspaceId: 'lab', rule: 'threshold', severity: 'warning', title: 'Lab passed 90% of its $2,500 budget', body: '$2,250.00 spent of $2,500.00 this month', atMs: NOW_MS },
  ],
};

let folder: ReturnType<typeof tempFolder>;
let logger: MemoryLogger;
let file: string;
beforeEach(() => {
  folder = tempFolder('burnrate-store');
  logger = new MemoryLogger();
  file = join(folder.dir, 'state', 'snapshot.json');
});
afterEach(() => folder.remove());

const store = () => new SnapshotStore(file, logger, () => NOW_MS);

describe('SnapshotStore', () => {
  it('starts empty when there is no file yet, without a word', () => {
    expect(store().load()).toEqual(emptySnapshotData());
    expect(logger.lines).toEqual([]);
  });

  it('gives back what it saved: reports, failing-since times, alert state and outbox', () => {
    store().save(data);
    expect(store().load()).toEqual(data);
    expect(logger.lines).toEqual([]);
  });

  it('writes plain JSON equal to the data, also when it reuses the text of reports it wrote before', () => {
    const s = store();
    s.save(data);
    const later: SnapshotData = { ...data, outbox: [], alerts: { version: 1, entries: {} } };
    s.save(later);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(later)));
  });

  it('writes atomically: no temp file is left next to it, and it is readable only by the user', () => {
    const s = store();
    for (let i = 0; i < 5; i += 1) s.save({ ...data, outbox: data.outbox.map((n) => ({ ...n, atMs: NOW_MS + i })) });
    expect(readdirSync(join(folder.dir, 'state'))).toEqual(['snapshot.json']);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  const corrupt: ReadonlyArray<{ name: string; text: string; problem: RegExp }> = [
    { name: 'half a file (a crash of an old version)', text: '{"version":1,"connections":{"lab/tensorone":{"fingerprint":"x","cur', problem: /not valid JSON/ },
    { name: 'not JSON at all', text: '\u0000\u0000\u0000', problem: /not valid JSON/ },
    { name: 'an unknown version', text: '{"version":2,"connections":{},"alerts":null,"outbox":[]}', problem: /unexpected content at version/ },
    { name: 'a report of the wrong shape', text: '{"version":1,"connections":{"lab/x":{"fingerprint":"f","current":{"periodKey":"p","fetchedAtMs":1,"report":{}}}},"alerts":null}', problem: /unexpected content at connections\.lab\/x\.current\.report\./ },
  ];

  it.each(corrupt)('sets a corrupt file aside with a clear log line and starts empty: $name', ({ text, problem }) => {
    // Private, as Burnrate makes them: a looser mode would add a repair warning (privateFile.secure.test.ts).
    mkdirSync(join(folder.dir, 'state'), { recursive: true, mode: 0o700 });
    writeFileSync(file, text, { mode: 0o600 });
    expect(store().load()).toEqual(emptySnapshotData());
    expect(logger.problems).toHaveLength(1);
    expect(logger.problems[0]).toMatch(/^The snapshot file was corrupt \(/);
    expect(logger.problems[0]).toMatch(problem);
    expect(logger.problems[0]).toContain('moved it to ');
    expect(readdirSync(join(folder.dir, 'state'))).toEqual(['snapshot.json.corrupt-2026-03-10T12-30-00-000Z']);
    expect(readFileSync(join(folder.dir, 'state', 'snapshot.json.corrupt-2026-03-10T12-30-00-000Z'), 'utf8')).toBe(text);
  });

  it('starts empty with a warning when the file cannot be read', () => {
    mkdirSync(file, { recursive: true, mode: 0o700 });
    expect(store().load()).toEqual(emptySnapshotData());
    expect(logger.problems).toEqual([expect.stringMatching(/^Could not read the snapshot file .*; starting without cached data\.$/)]);
  });

  it('throws the file system error on a failed write, leaving no temp file and the old file intact', () => {
    const s = store();
    s.save(data);
    const before = readFileSync(file, 'utf8');
    const blocked = new SnapshotStore(join(folder.dir, 'state'), logger, () => NOW_MS);
    expect(() => blocked.save(data)).toThrow();
    expect(readdirSync(folder.dir)).toEqual(['state']);
    expect(readdirSync(join(folder.dir, 'state'))).toEqual(['snapshot.json']);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
