/**
 * `GET /api/history`: the query (every bad parameter named, in words) and the document built from
 * a real spend database: hourly buckets (finer ones summed into their hour, daily ones kept), a
 * bucket stored under two periods counted once, credits apart from dollars, config order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type CostBucket, type UsageReport } from '../core/report';
import { MemoryLogger, tempFolder } from '../../test/replay/support';
import { describeHits, scanForSecrets } from '../../test/support/secretScanner';
import { parseConfig } from './config';
import { buildHistoryDocument, parseHistoryQuery, type HistoryQuery } from './history';
import { SpendDb } from './spendDb';

const NOW_MS = Date.UTC(2026, 2, 10, 12, 30);
const MARCH = Date.UTC(2026, 2, 1);
const FEBRUARY = Date.UTC(2026, 1, 1);
const WORKSPACES = ['prod', 'research'];

describe('parseHistoryQuery', () => {
  const parse = (query: string) => parseHistoryQuery(new URLSearchParams(query), NOW_MS, WORKSPACES);

  it('reads dates (UTC midnight) and date-times with a zone; to defaults to now and from to 7 days before to', () => {
    expect(parse('from=2026-03-01&to=2026-03-02T06:00:00%2B02:00&workspace=prod')).toEqual({ fromMs: MARCH, toMs: MARCH + DAY_MS + 4 * HOUR_MS, workspaceId: 'prod' });
    expect(parse('token=abc')).toEqual({ fromMs: NOW_MS - 7 * DAY_MS, toMs: NOW_MS, workspaceId: undefined });
    expect(parse('to=2026-03-05')).toEqual({ fromMs: MARCH - 3 * DAY_MS, toMs: MARCH + 4 * DAY_MS, workspaceId: undefined });
  });

  it.each([
    ['from=yesterday', 'from', 'from must be an ISO-8601 date or date-time with a time zone, such as 2026-11-01 or 2026-11-01T00:00:00Z; got "yesterday"'],
    ['to=2026-03-01T00:00:00', 'to', 'to must be an ISO-8601 date or date-time with a time zone, such as 2026-11-01 or 2026-11-01T00:00:00Z; got "2026-03-01T00:00:00"'],
    ['from=2026-13-01', 'from', 'from must be an ISO-8601 date or date-time with a time zone, such as 2026-11-01 or 2026-11-01T00:00:00Z; got "2026-13-01"'],
    ['from=2026-03-02&to=2026-03-01', 'from', 'from (2026-03-02T00:00:00.000Z) must be before to (2026-03-01T00:00:00.000Z)'],
    ['from=2025-01-01&to=2026-03-01', 'from', 'from and to are 424 days apart; ask for at most 93 days at a time'],
    ['workspace=staging', 'workspace', 'no workspace "staging" on this server (it serves prod, research)'],
    ['from=2026-03-01&from=2026-03-02', 'from', 'from is given more than once'],
    ['form=2026-03-01', 'form', 'unknown parameter "form": /api/history takes from, to and workspace'],
  ])('refuses %s, naming %s', (query, parameter, error) => {
    expect(parse(query)).toEqual({ parameter, error });
  });

  // Secrets sweep regression: a key of the server sent as a parameter came back in the 400, cut
  // to 40 characters before anything was redacted (so a fragment survived).
  it.each(['from', 'to', 'workspace', '(name)'])('never quotes a key of the server sent as %s, not even a fragment', (where) => {
    const key = 'ciKNWFn_sLV815YE-bTJGsttv=bV4sBdVe/BjoBohIE+KXk';
    const query = new URLSearchParams(where === '(name)' ? { [key]: '1' } : { [where]: key });
    const problem = parseHistoryQuery(query, NOW_MS, WORKSPACES, [key]);
    const text = JSON.stringify(problem);
    expect(text).toContain('[redacted]');
    const hits = scanForSecrets([{ label: 'key', value: key }], [{ where: 'answer', content: text }]);
    expect(hits, describeHits(hits)).toEqual([]);
  });
});

describe('buildHistoryDocument over the spend database', () => {
  let folder: ReturnType<typeof tempFolder>;
  let db: SpendDb;

  beforeEach(() => {
    folder = tempFolder('burnrate-history');
    db = SpendDb.open(`${folder.dir}/burnrate.sqlite`, { logger: new MemoryLogger(), now: () => NOW_MS });
  });
  afterEach(() => {
    db.close();
    folder.remove();
  });

  const report = (range: { startMs: number; endMs: number }, buckets: CostBucket[], unit: UsageReport['unit'] = 'usd'): UsageReport => ({
    provider: 'x',
    range,
    unit,
    totalMicros: buckets.reduce((sum, b) => sum + b.costMicros, 0),
    granularityMs: buckets[0]?.durationMs ?? HOUR_MS,
    buckets,
    resources: [],
    dataThroughMs: range.endMs,
    extras: {},
    notes: [],
  });
  const quarterHours = (fromMs: number, costs: number[]) => costs.map((costMicros, i) => ({ startMs: fromMs + i * 15 * 60_000, durationMs: 15 * 60_000, costMicros }));

  it('answers hourly buckets per connection in config order, a bucket stored under two periods once, credits apart', () => {
    const config = parseConfig(
      {
        workspaces: [
          {
            id: 'prod',
            connections: [
              { id: 'fine', provider: 'simplismart', apiKey: 'k1' },
              { id: 'daily', provider: 'baseten', apiKey: 'k2' },
              { id: 'credits', provider: 'civis', apiKey: 'k3', orgId: 7 },
              { id: 'never', provider: 'limitry', apiKey: 'k4' },
            ],
          },
          { id: 'research', connections: [{ id: 'other', provider: 'limitry', apiKey: 'k5' }] },
        ],
      },
      'config.json',
      {},
    );
    const period = { startMs: MARCH, endMs: NOW_MS };
    // A UTC day that starts in February (a local period) and is stored with both periods; the March copy is newer.
    const straddling = { startMs: MARCH - 2 * HOUR_MS, durationMs: DAY_MS, costMicros: 0 };
    db.saveConnections('ns', {
      'prod/fine': { provider: 'simplismart', fingerprint: 'f', current: { periodKey: 'm', fetchedAtMs: NOW_MS, report: report(period, quarterHours(MARCH, [1, 2, 3, 4, 10, 20])) } },
      'prod/daily': {
        provider: 'baseten',
        fingerprint: 'd',
        previous: { periodKey: 'feb', fetchedAtMs: NOW_MS - DAY_MS, report: report({ startMs: FEBRUARY, endMs: MARCH }, [{ ...straddling, costMicros: 5_000_000 }]) },
        current: { periodKey: 'm', fetchedAtMs: NOW_MS, report: report(period, [{ ...straddling, costMicros: 7_000_000 }, { startMs: MARCH + 22 * HOUR_MS, durationMs: DAY_MS, costMicros: 1_500_000 }]) },
      },
      'prod/credits': { provider: 'civis', fingerprint: 'c', current: { periodKey: 'm', fetchedAtMs: NOW_MS, report: report(period, [{ startMs: MARCH, durationMs: HOUR_MS, costMicros: 2_500_000 }], 'credits') } },
    });
    const query: HistoryQuery = { fromMs: MARCH - DAY_MS, toMs: MARCH + DAY_MS, workspaceId: undefined };
    const doc = buildHistoryDocument(config, query, db.historyBuckets('ns', query.fromMs, query.toMs), NOW_MS);
    expect(doc.from).toBe('2026-02-28T00:00:00.000Z');
    expect(doc.to).toBe('2026-03-02T00:00:00.000Z');
    expect(doc.workspaces.map((w) => w.id)).toEqual(['prod', 'research']);
    const [fine, daily, credits, never] = doc.workspaces[0]!.connections;
    expect(fine).toEqual({
      id: 'fine',
      provider: 'simplismart',
      unit: 'usd',
      buckets: [
        { start: '2026-03-01T00:00:00.000Z', end: '2026-03-01T01:00:00.000Z', spentUsd: 0.00001, spentCredits: null },
        { start: '2026-03-01T01:00:00.000Z', end: '2026-03-01T02:00:00.000Z', spentUsd: 0.00003, spentCredits: null },
      ],
    });
    expect(daily).toEqual({
      id: 'daily',
      provider: 'baseten',
      unit: 'usd',
      buckets: [
        { start: '2026-02-28T22:00:00.000Z', end: '2026-03-01T22:00:00.000Z', spentUsd: 7, spentCredits: null },
        { start: '2026-03-01T22:00:00.000Z', end: '2026-03-02T22:00:00.000Z', spentUsd: 1.5, spentCredits: null },
      ],
    });
    expect(credits!.unit).toBe('credits');
    expect(credits!.buckets).toEqual([{ start: '2026-03-01T00:00:00.000Z', end: '2026-03-01T01:00:00.000Z', spentUsd: null, spentCredits: 2.5 }]);
    expect(never).toEqual({ id: 'never', provider: 'limitry', unit: null, buckets: [] });
    // Another namespace (another config file) sees none of it; one workspace when asked for one.
    const other = buildHistoryDocument(config, { ...query, workspaceId: 'research' }, db.historyBuckets('other-ns', query.fromMs, query.toMs), NOW_MS);
    expect(other.workspaces).toEqual([{ id: 'research', name: 'research', connections: [{ id: 'other', provider: 'limitry', unit: null, buckets: [] }] }]);
  });
});
