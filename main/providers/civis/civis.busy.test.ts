/**
 * Issue 9, item 6: Civis. `/usage/matching` is called as PROVIDERS.md §0 decides and its record
 * counts reach the report; a busy month whose `/usage/llm` answer is over 20 MiB is read in
 * narrower date windows, so no answer reaches the client's 20 MiB cap (which stays as a safety limit).
 * Real HTTP (undici) against the loopback fake.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError } from '../../core/errors';
import type { TimeRange } from '../../core/report';
import { createHttpClient } from '../http';
import type { ProviderContext } from '../types';
import { civisAdapter, type CivisSettings } from './civis';
import { CIVIS_FAKE_ORG_ID, startCivisFake, type CivisFake } from './civis.fake';

const SECRET = 'civ_live_SECRET_busy_0a1b2c3d4e5f';
const AUTH = `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`;
const MAY_1 = Date.UTC(2026, 4, 1);
const APRIL: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: MAY_1 };
const MIB = 1024 * 1024;

// The client every adapter gets in production: its default 20 MiB answer cap.
const http = createHttpClient({ timeoutMs: 60_000 });
let busy: CivisFake;

beforeAll(async () => {
  // 5 models × 30 runs an hour × 720 hours: about 108,000 runs in April.
  busy = await startCivisFake({ apiKey: SECRET, now: () => MAY_1, runsPerHour: 30 });
});
afterAll(async () => {
  await http.close();
  await busy.stop();
});

function context(memory?: Map<string, unknown>): ProviderContext<CivisSettings> {
  return {
    http,
    apiKey: SECRET,
    nowMs: MAY_1,
    settings: civisAdapter.settingsSchema.parse({ orgId: CIVIS_FAKE_ORG_ID, baseUrl: busy.baseUrl }),
    ...(memory ? { memory } : {}),
  };
}

async function rawGet(path: string, query: Record<string, string>): Promise<{ bytes: number; body: unknown }> {
  const url = new URL(path, busy.baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const answer = await request(url, { headers: { authorization: AUTH } });
  const text = await answer.body.text();
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) as unknown };
}

describe('Civis: a busy month', () => {
  it('reads a month whose /usage/llm answer is over 20 MiB in date windows, exactly, and remembers the window', async () => {
    // The premise: asked in one go, April is more than the 20 MiB cap.
    const whole = await rawGet('/usage/llm', { org_id: String(CIVIS_FAKE_ORG_ID), start_date: '2026-04-01T00:00:00Z', end_date: '2026-05-01T00:00:00Z' });
    expect(whole.bytes).toBeGreaterThan(20 * MIB);

    const memory = new Map<string, unknown>();
    let from = busy.server.requests.length;
    const report = await civisAdapter.fetchUsage(APRIL, context(memory));
    expect(report.unit).toBe('credits');
    expect(report.totalMicros).toBe(busy.truthMicros(APRIL));
    expect(report.buckets.reduce((sum, bucket) => sum + bucket.costMicros, 0)).toBe(report.totalMicros);
    expect(report.notes.some((note) => /too large for one answer; Burnrate read it in \d+ date windows/.test(note))).toBe(true);
    const windows = busy.server.requests.slice(from).filter((r) => r.path === '/usage/llm');
    // Split into several windows (each within the 4 MiB budget, checked below).
    expect(windows.length).toBeGreaterThan(1);

    // The next refresh starts at the window length that fitted: no answer over the budget any more.
    from = busy.server.requests.length;
    const again = await civisAdapter.fetchUsage(APRIL, context(memory));
    expect(again.totalMicros).toBe(report.totalMicros);
    const asked = busy.server.requests
      .slice(from)
      .filter((r) => r.path === '/usage/llm')
      .map((r) => [Date.parse(r.query.get('start_date')!), Date.parse(r.query.get('end_date')!)] as const)
      .sort((a, b) => a[0] - b[0]);
    expect(asked[0]![0]).toBe(APRIL.startMs);
    expect(asked.at(-1)![1]).toBe(APRIL.endMs);
    for (let index = 1; index < asked.length; index += 1) expect(asked[index]![0]).toBe(asked[index - 1]![1]);
    // Each window of the remembered length fits the 4 MiB budget (the longest one checked directly).
    const [longestStart, longestEnd] = [...asked].sort((a, b) => b[1] - b[0] - (a[1] - a[0]))[0]!;
    const part = await rawGet('/usage/llm', { org_id: String(CIVIS_FAKE_ORG_ID), start_date: new Date(longestStart).toISOString(), end_date: new Date(longestEnd).toISOString() });
    expect(part.bytes).toBeLessThanOrEqual(4 * MIB);
    // No over-budget attempts this time: fewer requests than the first refresh, which had to split.
    expect(asked.length).toBeLessThan(windows.length);
  });

  it('keeps the 20 MiB cap as a safety limit: one hour over it is still a bad_response', async () => {
    const client = createHttpClient({ timeoutMs: 60_000, maxResponseBytes: 8 * 1024 });
    try {
      const error = await civisAdapter
        .fetchUsage({ startMs: Date.UTC(2026, 3, 10, 9), endMs: Date.UTC(2026, 3, 10, 10) }, { ...context(), http: client })
        .catch((caught: unknown) => caught);
      expect(isProviderError(error) && error.kind).toBe('bad_response');
      expect((error as Error).message).toContain('larger than Burnrate accepts');
    } finally {
      await client.close();
    }
  });
});

describe('Civis: /usage/matching', () => {
  it('asks /usage/matching for the range and reports its record counts per task', async () => {
    const range: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 8) };
    const from = busy.server.requests.length;
    const report = await civisAdapter.fetchUsage(range, context());
    const matching = busy.server.requests.slice(from).find((r) => r.path === '/usage/matching');
    expect(matching && Object.fromEntries(matching.query)).toEqual({
      org_id: String(CIVIS_FAKE_ORG_ID),
      start_date: '2026-04-01T00:00:00Z',
      end_date: '2026-04-08T00:00:00Z',
    });
    // The truth, read straight from the API.
    const raw = await rawGet('/usage/matching', { org_id: String(CIVIS_FAKE_ORG_ID), start_date: '2026-04-01T00:00:00Z', end_date: '2026-04-08T00:00:00Z' });
    const rows = raw.body as Array<{ numRecords: number; task: string }>;
    const byTask: Record<string, number> = {};
    for (const row of rows) byTask[row.task] = (byTask[row.task] ?? 0) + row.numRecords;
    const total = rows.reduce((sum, row) => sum + row.numRecords, 0);
    expect(total).toBeGreaterThan(0);
    expect(report.extras.matchingRecords).toEqual({ total, byTask });
  });

  it('keeps the credits when /usage/matching fails, with a note', async () => {
    busy.server.inject({ type: 'status', status: 500 }, { path: '/usage/matching' });
    const range: TimeRange = { startMs: Date.UTC(2026, 3, 1), endMs: Date.UTC(2026, 3, 2) };
    const report = await civisAdapter.fetchUsage(range, context());
    expect(report.totalMicros).toBe(busy.truthMicros(range));
    expect(report.extras.matchingRecords).toBeUndefined();
    expect(report.notes.some((note) => note.startsWith('The Civis matching record counts could not be read'))).toBe(true);
    busy.server.clearFaults();
  });
});
