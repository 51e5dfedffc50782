/**
 * Defect 1 of issue 10, with real HTTP and Node's real timers: a Retry-After past the 32-bit timer
 * limit (2,147,484 s) made Node fire the poll timer after 1 ms (TimeoutOverflowWarning), so
 * `watch`, `serve` and the tray app hammered the provider. The engine must arm no timer longer
 * than 24 h and show the wait as a state instead.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpClient } from '../../main/providers/http';
import { systemClock } from '../../main/services/ports';
import { Runtime } from '../../main/services/runtime';
import { startTensorOneFake, type TensorOneFake } from '../../main/providers/tensorone/tensorone.fake';
import { MemoryLogger } from '../replay/support';
import { config, tensorOneResource } from '../replay/world';

const KEY = 'tpo_storm_test_key_0123456789';
const TIMER_LIMIT_MS = 2 ** 31 - 1;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  vi.restoreAllMocks();
});

/** Lets pending I/O callbacks, nextTicks (process warnings) and 1 ms timers run: a few event-loop turns, no wall-clock wait. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('a huge Retry-After against the real timers', () => {
  it.each<[string, () => Record<string, string>]>([
    ['2,147,484 seconds', () => ({ 'retry-after': '2147484' })],
    ['an HTTP date 30 days ahead', () => ({ 'retry-after': new Date(Date.now() + 30 * 86_400_000).toUTCString() })],
  ])('arms no timer past the 32-bit limit and sends no second request (%s)', async (_name, headers) => {
    const fake: TensorOneFake = await startTensorOneFake({ apiKey: KEY, scenario: { seed: 1, resources: [tensorOneResource('cluster-1', 'clusters', 10)] } });
    cleanup.push(() => fake.stop());
    fake.server.inject({ type: 'status', status: 429, headers: headers(), body: { error: 'RATE_LIMIT_EXCEEDED' } }, { times: Number.POSITIVE_INFINITY });

    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    cleanup.push(() => {
      process.off('warning', onWarning);
    });
    // Records what reaches Node's timer (and still arms it): the overflow happens there.
    const armed: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      armed.push(ms ?? 0);
      return realSetTimeout(callback, ms);
    }) as typeof setTimeout);

    const http = createHttpClient({ timeoutMs: 10_000 });
    cleanup.push(() => http.close());
    const runtime = new Runtime({
      config: config({ workspaces: [{ id: 'lab', timeZone: 'UTC', connections: [{ id: 'tensorone', provider: 'tensorone', apiKey: KEY, baseUrl: fake.baseUrl }] }] }),
      http,
      clock: systemClock,
      logger: new MemoryLogger(),
    });
    cleanup.push(() => runtime.stop());
    await runtime.start();
    await turns(20);

    expect(warnings).not.toContain('TimeoutOverflowWarning');
    expect(Math.max(...armed)).toBeLessThanOrEqual(24 * 3_600_000);
    expect(armed.every((ms) => ms <= TIMER_LIMIT_MS)).toBe(true);
    expect(fake.server.requests.filter((r) => r.path === '/v2/billing/usage')).toHaveLength(1);
    const error = runtime.status().workspaces[0]!.connections[0]!.error;
    expect(error).toMatchObject({ kind: 'rate_limited', message: expect.stringMatching(/rate-limited until \d{4}-.*Z, next try at/) });
  });
});
