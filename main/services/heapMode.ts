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
 * - JavaScript goes from the interpreter straight to Maglev, V8's mid-tier optimizing compiler,
 *   and no further (`--no-sparkplug`, `--no-turbofan`): one tier of machine code, and not the
 *   compiler with the largest code and compile-time memory (TurboFan's own code was 6.3 MB of
 *   the Node binary's resident pages in `watch`, session 10). Measured on `watch` 3 × 5 on the
 *   heavy month, alternated with the build that ran TurboFan instead of Maglev (session 11): peak
 *   RSS 110.6–118.2 MB (median 115) against 118.6–126.8 MB (median 123.6), 6 runs each, the
 *   round's CPU 6.8–8.2 s against 6.9–7.3 s.
 *   (Session 8 had gone from all four tiers to TurboFan alone: 137.3 → 129.4 MB.)
 * `watch` also runs WebAssembly on its baseline compiler only (`--liftoff-only`, which must be on
 * the command line: bin/burnrate.js adds it when it re-executes `watch`). undici parses HTTP with a
 * WebAssembly llhttp, and V8's optimizing tier recompiled it mid-round in 15–20 MB of V8's own
 * memory (peak_malloced_memory 25–30 MB, 10 MB with the flag).
 * The price is CPU spent collecting: `--optimize-for-size` keeps the young generation at about
 * 1 MB and makes every full collection a memory-reducing one. Measured in session 11: `watch`'s
 * heavy first round (15 connections) took 7.4–8.1 s of CPU against 5.5–5.8 s with V8's defaults
 * (whose peak RSS was 240–288 MB), and processing read about 3.8× its `JSON.parse` floor against
 * about 2.3× (`npm run bench` prints both; README, Performance). Less garbage per refresh brought
 * that to 3.1–3.4× (against about 2×), and a steady-state refresh of five connections to 33–45 ms
 * (about 17 ms with V8's defaults).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The V8 flags of a long-running engine: the young generation does not grow (it may still shrink); the old one grows by 10 % between full collections; V8 prefers size to speed; one optimizing tier, Maglev. */
export const LONG_RUNNING_V8_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=10', '--optimize-for-size', '--no-sparkplug', '--no-turbofan'] as const;

/** Sets {@link LONG_RUNNING_V8_FLAGS} from now on (process-wide; call once at the start of a long-running command). */
export function longRunningHeap(): void {
  for (const flag of LONG_RUNNING_V8_FLAGS) setFlagsFromString(flag);
}

/** The young generation's reserved size now (bytes): what {@link longRunningHeap} bounds. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

