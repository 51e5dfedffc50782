/**
 * The start-up figures of the benchmark alone (see ./startup.ts), for iterating:
 *   npx jiti test/bench/startupOnly.ts [status runs] [serve runs]
 * Run `npx electron-vite build` first: they start the built binary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureServe, measureStatusColdStart, startFakesProcess, warmStatusWorld } from './startup';

const statusRuns = Number(process.argv[2] ?? 9);
const serveRuns = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-startup-'));
const fakes = await startFakesProcess();
try {
  const world = await warmStatusWorld(fakes, dir);
  const status = await measureStatusColdStart(world, statusRuns);
  process.stdout.write(`statusColdStartMs ${status.medianMs} (runs: ${status.times.join(', ')})\n`);
  const serve = await measureServe(world, serveRuns);
  process.stdout.write(`serveFirstDataMs ${serve.serveFirstDataMs} (per run, ms since spawn: URL printed / spend shown / load event / whole app rendered: ${serve.marks.map((m) => m.join(' / ')).join('; ')})\n`);
  process.stdout.write(`updateScriptingMs ${serve.updateScriptingMs} (updates: ${serve.updates.join(', ')})\n`);
  process.stdout.write(`updateCpuMs ${serve.updateCpuMs} (main-thread CPU less the harness baseline; updates: ${serve.updatesCpu.join(', ')})\n`);
} finally {
  await fakes.stop();
  rmSync(dir, { recursive: true, force: true });
}
