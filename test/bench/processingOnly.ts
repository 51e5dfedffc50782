/**
 * The processing figures of the benchmark alone (see ./processing.ts), with the fakes in this
 * process (they only serve the recording, which is not timed). For profiling and iterating:
 *   JITI_INTEROP_DEFAULT=false npx jiti test/bench/processingOnly.ts [runs] [profile.cpuprofile|-] [whole|tail]
 * With a profile file, the timed part (not the recording) is profiled into it (Chrome DevTools format).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { HEAVY_NOW_MS, startBenchFakes } from './heavy';
import { measureProcessing } from './processing';

const runs = Number(process.argv[2] ?? 7);
const profileFile = process.argv[3];
/** `whole` or `tail`: time (and profile) mostly that phase. */
const only = process.argv[4] as 'whole' | 'tail' | undefined;
const session = profileFile === undefined || profileFile === '-' ? undefined : new Session();
const fakes = await startBenchFakes(() => HEAVY_NOW_MS);
try {
  const { whole, tail } = await measureProcessing(fakes, runs, async (phase) => {
    if (!session || phase !== (only ?? 'whole')) return;
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }, only);
  if (session && profileFile !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
  }
  const show = (name: string, f: typeof whole): string =>
    `${name}: ${f.ratio}× (${f.refreshMs} ms vs ${f.floorMs} ms for ${f.megabytes} MB in ${f.answers} answers)`;
  process.stdout.write(`${show('whole period (heavy month)', whole)}\n${show('steady state (open tail)', tail)}\n`);
} finally {
  await fakes.stop();
}
