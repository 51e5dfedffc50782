/**
 * The start-up figures of the benchmark (issue 11, "instant start"), in real processes on the
 * heavy month with a warm spend database:
 * - statusColdStartMs: wall time of `burnrate status --json`, spawn to exit, median of N;
 * - serveFirstDataMs: from spawning `burnrate serve` to the frame in Chromium that shows the spend
 *   (the page's own marks: when the spend element gets its number, then the next frame), median of N;
 * - updateScriptingMs: script time (CDP `ScriptDuration`) of one update of the dashboard: a new
 *   status document arriving (the served page's poll, fired by the page clock), median of
 *   {@link UPDATES}.
 *   What ScriptDuration counts (checked with a busy loop in each place, Chromium 14x): script
 *   that Blink runs in a task (timers, message and event callbacks, observers, with the microtasks
 *   they queue): React's render, commit and effects (its scheduler runs in MessageChannel tasks),
 *   the chart's redraw, and the harness's own MutationObserver (a text compare). It does NOT count
 *   script the harness runs through CDP (page.evaluate, and so the clock's `runFor` and the poll
 *   callback it fires: a runFor with no poll due measures 0.00 ms), nor promise continuations
 *   resolved by the network: fetch's answer, `response.json()` and the transport code after it
 *   (structural sharing of the new document included). So the harness adds nothing to the figure,
 *   and the page's fetch, JSON parse and transport are left out of it; the second figure covers them:
 * - updateCpuMs (printed, not in results.json): main-thread CPU time (CDP `ThreadTime`) of one
 *   update minus that of the same harness steps with no poll due (an evaluate awaiting one task,
 *   and a 1 s runFor), median of {@link UPDATES}: everything the page's main thread does for the update (fetch,
 *   JSON, script, style, layout; painting when the frame lands before the end of the window).
 * Used by ./run.ts; ./startupOnly.ts runs them alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { benchConfig, HEAVY_NOW_MS, type BenchProvider } from './heavy';
import { median, round } from './processing';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** jiti's command line, which runs the bench's TypeScript files in a process of their own. */
export const JITI = join(ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');
const BIN = join(ROOT, 'bin', 'burnrate.js');
const FIXED_CLOCK = join(ROOT, 'test', 'bench', 'fixedClock.mjs');
/** The served page's poll interval (SERVED_POLL_INTERVAL_MS of renderer/src/spendApi.ts, which the test build cannot import). */
const SERVED_POLL_INTERVAL_MS = 30_000;

/** The benchmark's fakes, in their own process (./fakes.process.ts). */
export interface FakesProcess {
  readonly info: { keys: Record<BenchProvider, string>; urls: Record<BenchProvider, string> };
  readonly child: ChildProcess;
  /** Asks the fakes process for its counters (`stats`); one JSON line answers. */
  stats(): Promise<{ requests: Record<BenchProvider, number>; bytes: Record<BenchProvider, number> }>;
  stop(): Promise<void>;
}

/** Starts ./fakes.process.ts and reads its `{ keys, urls }` line. */
export async function startFakesProcess(): Promise<FakesProcess> {
  const child = spawn(process.execPath, [JITI, join(ROOT, 'test', 'bench', 'fakes.process.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`the fakes process exited (${code})`)));
  });
  return {
    info: JSON.parse(first) as FakesProcess['info'],
    child,
    stats: async () => {
      const line = new Promise<string>((r) => lines.once('line', r));
      child.stdin!.write('stats\n');
      return JSON.parse(await line) as Awaited<ReturnType<FakesProcess['stats']>>;
    },
    stop: async () => {
      const done = new Promise((r) => child.once('exit', r));
      child.stdin!.end('stop\n');
      await done;
    },
  };
}

/** A real `burnrate` process living in the heavy month (./fixedClock.mjs). */
export function cli(args: readonly string[], env: Record<string, string>): ChildProcess {
  // BURNRATE_BENCH_BIN: another build's bin, to compare before and after in the same conditions.
  return spawn(process.execPath, ['--import', FIXED_CLOCK, process.env.BURNRATE_BENCH_BIN ?? BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, BURNRATE_BENCH_NOW_MS: String(HEAVY_NOW_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves to the exit code of `child`. */
export function exited(child: ChildProcess): Promise<number> {
  return new Promise((r) => child.once('exit', (code) => r(code ?? -1)));
}

/** The config (1 workspace × 5 heavy connections) and state folder of the start-up figures, warmed by one `status --refresh`. */
export async function warmStatusWorld(fakes: FakesProcess, dir: string): Promise<{ file: string; env: Record<string, string> }> {
  const file = join(dir, 'status.json');
  writeFileSync(file, JSON.stringify(benchConfig(fakes.info, 1, 5)), { mode: 0o600 });
  const env = { BURNRATE_STATE_DIR: join(dir, 'status-state') };
  const warm = cli(['status', '--json', '--refresh', '--config', file], env);
  warm.stdout!.resume();
  warm.stderr!.resume();
  const code = await exited(warm);
  if (code !== 0) throw new Error(`bench: warming status exited ${code}`);
  return { file, env };
}

/** Median wall time (ms) of `runs` real `status --json` processes on the warm world. */
export async function measureStatusColdStart(world: { file: string; env: Record<string, string> }, runs: number): Promise<{ medianMs: number; times: number[] }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const child = cli(['status', '--json', '--config', world.file], world.env);
    child.stdout!.resume();
    child.stderr!.resume();
    const code = await exited(child);
    if (code !== 0) throw new Error(`bench: status exited ${code}`);
    times.push(performance.now() - started);
  }
  return { medianMs: Math.round(median(times)), times: times.map((t) => Math.round(t)) };
}

/** The serve and dashboard figures. */
export interface ServeFigures {
  /** Median of the runs: spawn of `serve` to the spend shown in Chromium. */
  readonly serveFirstDataMs: number;
  /** Per run: [URL printed, spend shown, page's load event, whole app rendered], ms since spawn. */
  readonly marks: number[][];
  /** Median script time of one update (a new status document arriving), ms. */
  readonly updateScriptingMs: number;
  readonly updates: number[];
  /** Median main-thread CPU time of one update, harness baseline subtracted, ms. */
  readonly updateCpuMs: number;
  readonly updatesCpu: number[];
}

/**
 * Starts `serve` `runs` times on the warm world and opens its dashboard; then once more, and measures
 * the script time of {@link UPDATES} updates. The page clock is installed before the page loads, so the served
 * page's poll (every SERVED_POLL_INTERVAL_MS) is fired by `clock.runFor`: one fetch of
 * /api/status, one new document (its times move), one render.
 */
export async function measureServe(world: { file: string; env: Record<string, string> }, runs: number): Promise<ServeFigures> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const times: number[] = [];
    const marks: number[][] = [];
    let updates: UpdateFigures = { scriptMs: [], cpuMs: [] };
    // `runs` starts for the figure, then one more whose page has the page clock installed (the
    // updates): a faked clock would also fake the page's own marks.
    for (let i = 0; i <= runs; i += 1) {
      const page = await browser.newPage();
      const last = i === runs;
      if (last) await page.clock.install();
      else await page.addInitScript(markFirstRender);
      const started = performance.now();
      const startedEpochMs = performance.timeOrigin + started;
      const child = cli(['serve', '--port', '0', '--config', world.file], world.env);
      child.stderr!.resume();
      const url = await dashboardUrl(child);
      const printed = performance.now() - started;
      // Until the navigation commits only: the figure ends when the spend is on screen, which the
      // served first paint draws before the page's load event (that one waits for the whole app's
      // modules to load and run). Its time is still one of the marks.
      // The page's own mark of the frame that shows the spend arrives as a console message (a CDP
      // event): nothing of the harness runs in the page before it. (Playwright's locators and
      // waitForFunction first inject Playwright's script into the page: about 50 ms on its main
      // thread, in the timeline right before the first paint's scripts.)
      const framed = last ? undefined : page.waitForEvent('console', (message) => message.text().startsWith(FRAMED_MESSAGE));
      await page.goto(url, { waitUntil: 'commit' });
      if (framed !== undefined) {
        const shown = Number((await framed).text().slice(FRAMED_MESSAGE.length)) - startedEpochMs;
        times.push(shown);
        await page.getByTestId('spent').filter({ hasText: '$' }).first().waitFor();
        await page.waitForLoadState('load');
        const loaded = performance.now() - started;
        // Not part of the figure: when the app itself (React, the whole panel) has replaced the
        // served first paint (renderer/src/firstPaint.ts), which draws the spend before it loads.
        await page.locator('[data-testid="panel"] [data-testid="spent"]').waitFor();
        const live = performance.now() - started;
        marks.push([printed, shown, loaded, live].map((t) => Math.round(t)));
      } else {
        await page.getByTestId('spent').filter({ hasText: '$' }).first().waitFor();
        await page.locator('[data-testid="panel"] [data-testid="spent"]').waitFor();
        // The page's first poll, before measuring updates: it replaces the document the page was
        // served with (soon when that one was kept by an earlier run, else after a poll interval).
        // Exactly one poll fires in this span, and the next is a whole interval after it.
        const polled = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/status');
        await page.clock.runFor(SERVED_POLL_INTERVAL_MS);
        await polled;
        updates = await measureUpdates(page);
      }
      child.kill('SIGINT');
      await exited(child);
      await page.close();
    }
    return {
      serveFirstDataMs: Math.round(median(times)),
      marks,
      updateScriptingMs: round(median(updates.scriptMs), 2),
      updates: updates.scriptMs.map((u) => round(u, 2)),
      updateCpuMs: round(median(updates.cpuMs), 2),
      updatesCpu: updates.cpuMs.map((u) => round(u, 2)),
    };
  } finally {
    await browser.close();
  }
}

/**
 * Updates measured per run. One update's script time ranges from 2.5 to 12 ms on the development
 * machine (collections, the scheduler's task boundaries); the median of 10 moved by ±1.5 ms from
 * run to run. Twice the samples narrow the median's spread by about √2 (not measured here).
 */
export const UPDATES = 20;

/** The console message {@link markFirstRender} logs, followed by the epoch ms of the frame. */
const FRAMED_MESSAGE = 'burnrate-bench framed ';

/** What {@link markFirstRender} leaves on the page's window, epoch ms. */
export interface FirstRenderMarks {
  __burnrateSpentMs?: number;
  __burnrateFramedMs?: number;
}

/**
 * An init script (runs in the page before its own scripts): once the spend element first holds a
 * "$" number, records that moment, then waits for the next frame to be produced
 * (requestAnimationFrame, then a task: that frame shows the number) and records it too, on the
 * window ({@link FirstRenderMarks}) and as a console message with its epoch ms. Also leaves the
 * user-timing marks a trace aligns by (`bench.origin.<timeOrigin>`, `bench.spent`).
 */
export function markFirstRender(): void {
  const w = window as unknown as FirstRenderMarks;
  const now = (): number => performance.timeOrigin + performance.now();
  const check = (): boolean => {
    const element = document.querySelector('[data-testid="spent"]');
    if (!element?.textContent?.includes('$')) return false;
    w.__burnrateSpentMs = now();
    performance.mark('bench.spent');
    requestAnimationFrame(() =>
      setTimeout(() => {
        w.__burnrateFramedMs = now();
        // FRAMED_MESSAGE (the init script runs in the page, without this module's names).
        console.debug(`burnrate-bench framed ${w.__burnrateFramedMs}`);
      }, 0),
    );
    return true;
  };
  new MutationObserver((_, observer) => {
    if (check()) observer.disconnect();
  }).observe(document, { subtree: true, childList: true, characterData: true });
  performance.mark(`bench.origin.${performance.timeOrigin}`);
}

/** Per update: script time (CDP ScriptDuration) and main-thread CPU time less the harness baseline, ms. */
export interface UpdateFigures {
  readonly scriptMs: number[];
  readonly cpuMs: number[];
}

/**
 * Script time and main-thread CPU time (ms) of {@link UPDATES} updates (see the file's comment for what each
 * counts). Each: the poll fires (page clock), /api/status answers the server's document with the
 * first workspace's spend (and the all-workspaces total) raised by $1 × k (a new document with a
 * new number, as when providers report more spend), and the new number shows. Before each, the
 * same harness steps with no poll due give the CPU baseline subtracted from the update's.
 */
export async function measureUpdates(page: import('playwright').Page): Promise<UpdateFigures> {
  let bump = 0;
  await page.route('**/api/status', async (route) => {
    const response = await route.fetch();
    const document = (await response.json()) as { workspaces: Array<{ spentUsd: number }>; all?: { spentUsd: number } };
    document.workspaces[0]!.spentUsd += bump;
    if (document.all) document.all.spentUsd += bump;
    await route.fulfill({ response, json: document });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metricsMs = async (): Promise<{ script: number; thread: number }> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const ms = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { script: ms('ScriptDuration'), thread: ms('ThreadTime') };
  };
  const updates: UpdateFigures = { scriptMs: [], cpuMs: [] };
  for (let k = 1; k <= UPDATES; k += 1) {
    bump = k;
    // The harness alone: an evaluate that awaits one task, and a runFor with no poll due (the
    // next one is SERVED_POLL_INTERVAL_MS after the last fetch; this advances 1 s of it).
    const idleBefore = await metricsMs();
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        }),
    );
    await page.clock.runFor(1000);
    const idleAfter = await metricsMs();
    // Waits in the page for the headline to change (a MutationObserver: Playwright's own polling
    // would run its scripts in the page and count in ScriptDuration).
    const changed = headlineChanged(page);
    const before = await metricsMs();
    await page.clock.runFor(SERVED_POLL_INTERVAL_MS);
    await changed;
    const after = await metricsMs();
    updates.scriptMs.push(after.script - before.script);
    updates.cpuMs.push(after.thread - before.thread - (idleAfter.thread - idleBefore.thread));
  }
  return updates;
}

/** The dashboard URL `burnrate serve` prints on its stdout (rejects if it exits first). */
export function dashboardUrl(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise<string>((r, reject) => {
    lines.on('line', (line) => {
      const match = /Burnrate dashboard: (\S+)/.exec(line);
      if (match) r(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

/**
 * Resolves once the headline spend's text has changed, and the effects React runs after that
 * commit (the chart's redraw) one task later. Waits in the page with a MutationObserver: Playwright's
 * own polling would run its scripts in the page and count in ScriptDuration.
 */
export function headlineChanged(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const spent = document.querySelector('[data-testid="spent"]');
        const shown = spent?.textContent;
        const observer = new MutationObserver(() => {
          if (spent?.textContent === shown) return;
          observer.disconnect();
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        });
        observer.observe(spent!, { subtree: true, childList: true, characterData: true });
      }),
  );
}
