/**
 * Issue 9, item 3: over several ≤ 31-day windows the total is the sum of the daily rows, never the
 * windows' totals added up, so a Baseten whose end_date includes its end day counts no day twice.
 * Against the loopback fake (real HTTP), for a non-UTC (Berlin) month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBasetenFake, type BasetenFake } from './baseten.fake';
import { createHttpClient } from '../http';
import { basetenAdapter } from './baseten';

const KEY = 'bt_WINDOWS_9f8e7d6c5b4a3210';
const NOW = Date.UTC(2026, 10, 20, 12);
// From October 1 in Europe/Berlin (Sep 30 22:00Z) until now, Nov 20: more than 31 days, two windows.
const OCTOBER_BERLIN = { startMs: Date.UTC(2026, 8, 30, 22), endMs: NOW };
const http = createHttpClient({ timeoutMs: 5_000 });
let inclusive: BasetenFake;
let exclusive: BasetenFake;

beforeAll(async () => {
  inclusive = await startBasetenFake({ apiKey: KEY, now: () => NOW, inclusiveEndDay: true });
  exclusive = await startBasetenFake({ apiKey: KEY, now: () => NOW });
});
afterAll(async () => {
  await http.close();
  await Promise.all([inclusive.stop(), exclusive.stop()]);
});

const fetchFrom = (fake: BasetenFake) =>
  basetenAdapter.fetchUsage(OCTOBER_BERLIN, { http, apiKey: KEY, settings: basetenAdapter.settingsSchema.parse({ baseUrl: fake.baseUrl }), nowMs: NOW });

describe('Baseten over several windows (Berlin October)', () => {
  it('asks for whole UTC days in windows that do not overlap', async () => {
    const before = inclusive.server.requests.length;
    await fetchFrom(inclusive);
    const windows = inclusive.server.requests.slice(before).map((r) => [r.query.get('start_date'), r.query.get('end_date')]);
    expect(windows).toEqual([
      ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'],
      ['2026-11-01T00:00:00Z', '2026-11-20T12:00:00Z'],
    ]);
  });

  it('totals exactly the sum of the rows, whichever way end_date is read, counting the shared day Nov 1 once', async () => {
    const truth = exclusive.truthMicros({ startMs: Date.UTC(2026, 9, 1), endMs: NOW });
    for (const fake of [inclusive, exclusive]) {
      const report = await fetchFrom(fake);
      const rows = report.buckets.reduce((sum, bucket) => sum + bucket.costMicros, 0);
      expect(report.totalMicros).toBe(rows);
      expect(report.totalMicros).toBe(truth);
      expect(report.estimated).toBe(true);
      expect(report.notes.join(' ')).toMatch(/whole UTC days.*2026-10-01 to 2026-11-20.*estimate/);
    }
  });
});
