/**
 * `npm run bench`: speed and memory figures of the hot paths, printed with their targets.
 * These are measurements to compare changes, never pass/fail timing tests (they would flake on a
 * busy machine); the only assertions check that the work really happened.
 *
 * Targets (2-core CI machine):
 * - one refresh round of the six demo connections over loopback HTTP (a month of hourly data): < 250 ms
 * - summarizeWorkspace for one workspace (three connections, a month of hourly buckets): < 5 ms
 * - the StatusDocument for the demo (two workspaces): < 10 ms
 * - heap held by the engine after a refresh round: < 50 MB
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../main/providers/http';
import { parseConfig } from '../../main/services/config';
import { systemClock } from '../../main/services/ports';
import { Runtime } from '../../main/services/runtime';
import { startDemo, type Demo } from '../fakes/demo';
import { hasFailures } from '../replay/support';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const http = createHttpClient();
let demo: Demo;
let runtime: Runtime;
const figures: string[] = [];

async function measure(name: string, targetMs: number, runs: number, fn: () => unknown): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p90 = times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!;
  figures.push(`${name}: median ${median.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms over ${runs} runs (target < ${targetMs} ms: ${median < targetMs ? 'met' : 'NOT met'})`);
  return median;
}

beforeAll(async () => {
  demo = await startDemo();
  runtime = new Runtime({ config: parseConfig(demo.config, 'bench'), http, clock: systemClock, logger: silent });
});

afterAll(async () => {
  await runtime.stop();
  await http.close();
  await demo.stop();
  console.log(['', 'Burnrate benchmarks', ...figures.map((f) => `  ${f}`), ''].join('\n'));
});

describe('engine benchmarks', () => {
  it('refresh round over loopback HTTP', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    await measure('refresh round, 6 connections, month to date', 250, 10, () => runtime.refreshAll());
    gc?.();
    const heldMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    const how = gc ? 'after GC' : 'without GC (run through npm run bench for a held-memory figure)';
    figures.push(`heap held by the engine after 11 refresh rounds, ${how}: ${heldMb.toFixed(1)} MB (target < 50 MB: ${heldMb < 50 ? 'met' : 'NOT met'})`);
    expect(hasFailures(runtime)).toBe(false);
  });

  it('status document', async () => {
    await measure('StatusDocument, 2 workspaces', 10, 50, () => runtime.status());
    expect(runtime.status().workspaces).toHaveLength(2);
  });
});
