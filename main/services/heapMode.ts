/**
 * The heap of a long-running engine (`burnrate watch`, `burnrate serve`, the tray app). V8 settings, set at
 * the start of those commands (short ones like `status` keep V8's defaults):
 * - The young generation stays at its starting size. V8 doubles it each time a burst of
 *   allocation survives a minor collection, up to 64 MB × 2, and keeps it for the life of the
 *   process: one refresh round parsing fifteen month-long answers grew it to 128 MB, a third of
 *   `watch`'s RSS, for a few seconds of work a day.
 * - The old generation may grow 10 % over what the last full collection kept before the next one
 *   (V8's default lets it grow much more): with a small young generation, short-lived objects of a
 *   burst are promoted and would otherwise pile up as garbage in the old generation.
 * - V8 optimizes for size (`--optimize-for-size`): it gives pages back after collections, keeps
 *   the young generation small and compiles smaller code. After `watch`'s heavy first round
 *   (3 × 5 connections) this took RSS from 134–149 to 107–111 MB at no measurable CPU cost for the
 *   round (16–18 s either way on the busy 2-core machine).
 * - JavaScript goes from the interpreter straight to the optimizing compiler (`--no-sparkplug`,
 *   `--no-maglev`): two fewer tiers of machine code and of compiler code resident. Measured on
 *   `watch` 3 × 5 heavy, alternated with the build without them: peak RSS median 129.4 MB against
 *   137.3 MB (5 runs each), the round's CPU 14–17 s either way.
 * `watch` also runs WebAssembly on its baseline compiler only (`--liftoff-only`, which must be on
 * the command line: bin/burnrate.js adds it when it re-executes `watch`). undici parses HTTP with a
 * WebAssembly llhttp, and V8's optimizing tier recompiled it mid-round in 15–20 MB of V8's own
 * memory (peak_malloced_memory 25–30 MB, 10 MB with the flag).
 * The price is more (cheap) collections during a burst: about 1 s more CPU over the heavy first
 * round of 15 connections, nothing noticeable at the small refreshes after it.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The V8 flags of a long-running engine: the young generation does not grow (it may still shrink); the old one grows by 10 % between full collections; V8 prefers size to speed; fewer compiler tiers. */
export const LONG_RUNNING_V8_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=10', '--optimize-for-size', '--no-sparkplug', '--no-maglev'] as const;

/** Sets {@link LONG_RUNNING_V8_FLAGS} from now on (process-wide; call once at the start of a long-running command). */
export function longRunningHeap(): void {
  for (const flag of LONG_RUNNING_V8_FLAGS) setFlagsFromString(flag);
}

/** The young generation's reserved size now (bytes): what {@link longRunningHeap} bounds. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

