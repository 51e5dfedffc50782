/**
 * The light world of the benchmark's many-cycle figures (heap growth over 10,000 refreshes, watch
 * rounds with up to 50 connections): the providers' default accounts on March 2, 12:00, so
 * thousands of refreshes fit in the bench's time. They measure what a refresh leaves behind and how
 * a round scales with connections, which do not depend on the size of the answers. Used by
 * ./run.ts; ./watchRoundsOnly.ts runs the watch rounds alone.
 */
import { parseConfig } from '../../main/services/config';
import { Runtime } from '../../main/services/runtime';
import { benchConfig, startBenchFakes } from './heavy';
import { median, record, replayClient, round, type Recorded } from './processing';
import type { FakesProcess } from './startup';

const LIGHT_NOW_MS = Date.UTC(2026, 2, 2, 12);
/** The light world's fixed "now". */
export const lightClock = { now: (): number => LIGHT_NOW_MS };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The light world's recorded answers (one workspace of the five providers) and the keys and URLs they were recorded with. */
export interface LightWorld {
  readonly recorded: Map<string, Recorded>;
  readonly info: Pick<FakesProcess['info'], 'keys' | 'urls'>;
}

/** Records the light world from in-process fakes on its clock. */
export async function recordLight(): Promise<LightWorld> {
  const fakes = await startBenchFakes(lightClock.now, 0);
  try {
    const { all } = await record(benchConfig(fakes, 1, 5), LIGHT_NOW_MS);
    return { recorded: all, info: { keys: fakes.keys, urls: fakes.urls } };
  } finally {
    await fakes.stop();
  }
}

/**
 * Median time (ms) of one round with 1, 5, 15 and 50 connections (workspaces of five): every
 * connection refreshed on replayed answers, each followed by the status document, as `watch`
 * prints its line. `during50`, if given, runs around the timed rounds of 50 (a CPU profile).
 */
export async function measureWatchRounds(light: LightWorld, during50?: { start(): void; stop(): void }): Promise<Record<'1' | '5' | '15' | '50', number>> {
  const figures: Record<string, number> = {};
  for (const count of [1, 5, 15, 50]) {
    const workspaces = Math.ceil(count / 5);
    const configObject = benchConfig(light.info, workspaces, 5);
    const all = configObject.workspaces as Array<{ connections: unknown[] }>;
    let left = count;
    for (const w of all) {
      w.connections = w.connections.slice(0, Math.min(5, left));
      left -= w.connections.length;
    }
    const holder: { runtime?: Runtime } = {};
    const created = new Runtime({
      config: parseConfig(configObject, 'bench'),
      http: replayClient(light.recorded),
      clock: lightClock,
      logger: silent,
      onRefresh: () => holder.runtime?.status(),
    });
    holder.runtime = created;
    await created.refreshAll();
    const times: number[] = [];
    if (count === 50) during50?.start();
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await created.refreshAll();
      times.push(performance.now() - started);
    }
    if (count === 50) during50?.stop();
    await created.stop();
    figures[String(count)] = round(median(times), 1);
  }
  return figures as Record<'1' | '5' | '15' | '50', number>;
}
