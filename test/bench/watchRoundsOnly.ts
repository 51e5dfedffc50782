/**
 * The watch-round figure of `npm run bench` alone (for iterating on it), on the light world
 * (./light.ts):
 *   JITI_INTEROP_DEFAULT=false npx jiti test/bench/watchRoundsOnly.ts [profile.cpuprofile]
 * With a file name, also writes a CPU profile of the timed rounds of 50 connections.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { measureWatchRounds, recordLight } from './light';

const profileFile = process.argv[2];
const session = new Session();
session.connect();
await session.post('Profiler.enable');
let stopped: Promise<unknown> = Promise.resolve();
const light = await recordLight();
const figures = await measureWatchRounds(
  light,
  profileFile === undefined
    ? undefined
    : {
        start: () => void session.post('Profiler.start'),
        stop: () => {
          stopped = session.post('Profiler.stop').then(({ profile }) => writeFileSync(profileFile, JSON.stringify(profile)));
        },
      },
);
await stopped;
process.stdout.write(`watch round, ms by connections: ${JSON.stringify(figures)} (per connection at 50 / at 5: ${((figures['50'] / 50) / (figures['5'] / 5)).toFixed(2)}×)\n`);
