/**
 * The processing figures (./processing.ts) under the V8 settings of a long-running engine
 * (`watch`, `serve`, the tray app: main/services/heapMode.ts, set the way those commands set them,
 * by `longRunningHeap()` at run time). V8's flags are process-wide, so this runs in a process of
 * its own: run.ts spawns it with the fakes' `{ keys, urls }` as its argument and reads one JSON line
 * `{ whole, tail }` from it. `npm run bench` prints it as a row of its own; results.json's
 * `processingRatio` stays the figure under V8's defaults (what `status` runs with).
 */
import { longRunningHeap } from '../../main/services/heapMode';
import { measureProcessing } from './processing';

longRunningHeap();
const info = JSON.parse(process.argv[2] ?? '') as Parameters<typeof measureProcessing>[0];
const figures = await measureProcessing(info);
process.stdout.write(`${JSON.stringify(figures)}\n`);
