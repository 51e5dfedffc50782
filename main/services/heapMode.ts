/**
 * The heap of a long-running engine (`burnrate watch`, `burnrate serve`). V8 doubles its young
 * generation each time a burst of allocation survives a minor collection, up to 64 MB × 2, and
 * keeps it for the life of the process: one refresh round parsing fifteen month-long answers
 * grew it to 128 MB, a third of `watch`'s RSS, for a few seconds of work every day. Pinned at
 * its size when this is called, the young generation costs a few more (cheap) minor collections
 * during such a burst instead. Short commands (`status`, `export`) keep V8's defaults.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The V8 flag that stops the young generation from growing (it may still shrink). */
export const BOUNDED_YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/** Stops V8's young generation from growing from now on (process-wide; call once at the start of a long-running command). */
export function boundYoungGeneration(): void {
  setFlagsFromString(BOUNDED_YOUNG_GENERATION_FLAG);
}

/** The young generation's reserved size now (bytes): what {@link boundYoungGeneration} bounds. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

