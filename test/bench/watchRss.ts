/**
 * The watch RSS figure of `npm run bench` alone (for iterating on memory): starts the heavy-month
 * fakes in their own process, runs a real `burnrate watch` (3 workspaces × 5 connections) and
 * prints its peak RSS (VmHWM) over the whole first round (./heavy.ts watchFirstRoundRss) and its RSS then. Needs a build
 * (`npx electron-vite build`). Run: `node node_modules/jiti/lib/jiti-cli.mjs test/bench/watchRss.ts`
 * (`-- light` for the floor: the same watch on the default accounts, 6 resources per provider).
 * Extra node flags for the child go in $WATCH_NODE_FLAGS (e.g. `--heap-prof`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchConfig, cpuSeconds, HEAVY_NOW_MS, watchFirstRoundRss, type BenchProvider } from './heavy';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const JITI = join(ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');


const light = process.argv.includes('light');
const fakes = spawn(process.execPath, [JITI, join(ROOT, 'test', 'bench', 'fakes.process.ts'), ...(light ? ['light'] : [])], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const fakeLines = createInterface({ input: fakes.stdout! });
const first = await new Promise<string>((r) => fakeLines.once('line', r));
const stats = async (): Promise<{ requests: Record<string, number> }> => {
  const line = new Promise<string>((r) => fakeLines.once('line', r));
  fakes.stdin!.write('stats\n');
  return JSON.parse(await line) as { requests: Record<string, number> };
};
const info = JSON.parse(first) as { keys: Record<BenchProvider, string>; urls: Record<BenchProvider, string> };
const dir = mkdtempSync(join(tmpdir(), 'burnrate-rss-'));
try {
  const file = join(dir, 'watch.json');
  writeFileSync(file, JSON.stringify(benchConfig(info, 3, 5)), { mode: 0o600 });
  const flags = (process.env.WATCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', join(ROOT, 'test', 'bench', 'fixedClock.mjs'), join(ROOT, 'bin', 'burnrate.js'), 'watch', '--config', file], {
    cwd: dir,
    env: { ...process.env, BURNRATE_STATE_DIR: join(dir, 'state'), BURNRATE_BENCH_NOW_MS: String(HEAVY_NOW_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const measured = await watchFirstRoundRss(
    child.pid!,
    () => out,
    async () => Object.values((await stats()).requests).reduce((a, b) => a + b, 0),
    () => child.exitCode === null,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${err}`);
  });
  const cpuS = cpuSeconds(child.pid!);
  if (process.env.WATCH_SNAPSHOT) {
    child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 15_000));
  }
  process.stdout.write(`fakes served: ${JSON.stringify(await stats())}\n`);
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  process.stdout.write(`${out.split('\n').filter((l) => / Team \d+: /.test(l) && !l.includes('[')).slice(-3).join('\n')}\n`);
  process.stdout.write(
    `watch RSS: peak ${(measured.peakKb / 1024).toFixed(1)} MB, ${(measured.endKb / 1024).toFixed(1)} MB once quiet (round took ${measured.roundS.toFixed(1)} s, quiet after ${measured.quietS.toFixed(1)} s, ${cpuS.toFixed(1)} s of CPU)\n`,
  );
} finally {
  fakes.stdin!.end('stop\n');
  await new Promise((r) => fakes.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
