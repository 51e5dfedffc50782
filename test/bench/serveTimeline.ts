/**
 * Where `serve`'s first data goes (issue 11, "serve, start to first render with data"): one
 * timeline per run, in ms since spawning `burnrate serve` on the warm heavy-month world, the same
 * world, process and end condition as `measureServe` (./startup.ts), with marks from both sides:
 * - Node (./serveTimelineHook.mjs, preloaded): Node's start, the URL line, each HTTP request's
 *   socket, 'request' event and finish;
 * - Chromium (a trace: devtools.timeline, v8, loading): each resource's request, response and end,
 *   HTML parsing, each script's compile and evaluation, tasks over 5 ms, paints, and the moment the
 *   spend element holds its number (a MutationObserver from an init script).
 *   JITI_INTEROP_DEFAULT=false npx jiti test/bench/serveTimeline.ts [runs] [trace.json]
 * Run `npx electron-vite build` first. Absolute figures mean something only on a quiet machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { HEAVY_NOW_MS } from './heavy';
import { dashboardUrl, exited, markFirstRender, startFakesProcess, warmStatusWorld, type FirstRenderMarks } from './startup';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOOK = pathToFileURL(join(ROOT, 'test', 'bench', 'serveTimelineHook.mjs')).href;
const FIXED_CLOCK = join(ROOT, 'test', 'bench', 'fixedClock.mjs');
const BIN = process.env.BURNRATE_BENCH_BIN ?? join(ROOT, 'bin', 'burnrate.js');
const runs = Number(process.argv[2] ?? 3);
const traceFile = process.argv[3];

interface Mark {
  readonly t: number;
  readonly what: string;
}
interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: { data?: Record<string, unknown>; [k: string]: unknown };
}

const epoch = (): number => performance.timeOrigin + performance.now();

async function oneRun(world: { file: string; env: Record<string, string> }, browser: import('playwright').Browser, keepTrace: boolean): Promise<Mark[]> {
  const marks: Mark[] = [];
  const page = await browser.newPage();
  // In the page before its own scripts: when the spend element first holds a "$" number, and the
  // next frame after it (./startup.ts markFirstRender, as the serve figure measures it).
  await page.addInitScript(markFirstRender);
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing', 'loading', 'netlog', 'blink'],
  });
  const started = epoch();
  marks.push({ t: started, what: 'spawn serve' });
  const child = spawn(process.execPath, ['--import', FIXED_CLOCK, BIN, 'serve', '--port', '0', '--config', world.file], {
    cwd: ROOT,
    env: { ...process.env, ...world.env, BURNRATE_BENCH_NOW_MS: String(HEAVY_NOW_MS), NODE_OPTIONS: `--import=${HOOK}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (!line.startsWith('{"mark"')) return;
    const m = JSON.parse(line) as { mark: string; t: number; path?: string; bytes?: number };
    marks.push({ t: m.t, what: `node ${m.mark}${m.path ? ` ${m.path.replace(/^\/assets\//, '')}` : ''}${m.bytes ? ` (${Math.round(m.bytes / 1024)} KB)` : ''}` });
  });
  const url = await dashboardUrl(child);
  marks.push({ t: epoch(), what: 'bench: URL line read' });
  await page.goto(url, { waitUntil: 'commit' });
  marks.push({ t: epoch(), what: 'bench: goto returned (navigation committed)' });
  await page.getByTestId('spent').filter({ hasText: '$' }).first().waitFor();
  marks.push({ t: epoch(), what: "bench: Playwright's check saw the spend" });
  await page.waitForFunction(() => (window as unknown as FirstRenderMarks).__burnrateFramedMs !== undefined);
  const page_ = await page.evaluate(() => {
    const w = window as unknown as Required<FirstRenderMarks>;
    const o = performance.timeOrigin;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const out: Array<{ t: number; what: string }> = [];
    const add = (t: number, what: string) => t > 0 && out.push({ t: o + t, what });
    add(nav.requestStart, 'page: html requestStart');
    add(nav.responseStart, 'page: html responseStart');
    add(nav.responseEnd, 'page: html responseEnd');
    add(nav.domInteractive, 'page: domInteractive');
    add(nav.domContentLoadedEventStart, 'page: DOMContentLoaded');
    add(nav.loadEventStart, 'page: load event');
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const name = r.name.replace(/^.*\/assets\//, '').replace(/\?.*$/, '');
      add(r.startTime, `page: ${name} fetch start`);
      add(r.responseEnd, `page: ${name} fetched (${Math.round(r.encodedBodySize / 1024)} KB)`);
    }
    for (const p of performance.getEntriesByType('paint')) add(p.startTime, `page: ${p.name}`);
    out.push({ t: w.__burnrateSpentMs, what: 'page: spend element has its number (MutationObserver)' });
    out.push({ t: w.__burnrateFramedMs, what: 'page: frame after it' });
    return out;
  });
  marks.push(...page_);
  const trace = await browser.stopTracing();
  if (keepTrace && traceFile) writeFileSync(traceFile, trace);
  marks.push(...traceMarks(JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }));
  child.kill('SIGINT');
  await exited(child);
  await page.close();
  return marks.sort((a, b) => a.t - b.t).map((m) => ({ t: m.t - started, what: m.what }));
}

/** The trace's events of the page's renderer main thread, as marks (trace clock aligned by the origin mark). */
function traceMarks(trace: { traceEvents: TraceEvent[] }): Mark[] {
  const events = trace.traceEvents;
  const origin = events.find((e) => e.name.startsWith('bench.origin.'));
  if (!origin) return [{ t: 0, what: 'trace: no origin mark' }];
  // The user-timing mark's ts is the trace clock at the page's performance.now() of the mark, and
  // the origin mark's name carries the page's timeOrigin (epoch ms): together they align the clocks.
  const pageTimeOrigin = Number(origin.name.slice('bench.origin.'.length));
  const startTime = (origin.args?.data as { startTime?: number } | undefined)?.startTime ?? (origin.args as { startTime?: number } | undefined)?.startTime;
  const toEpoch = (ts: number): number => pageTimeOrigin + (startTime ?? 0) + (ts - origin.ts) / 1000;
  const main = events.filter((e) => e.pid === origin.pid && e.tid === origin.tid);
  const out: Mark[] = [];
  const interesting = (e: TraceEvent): string | null => {
    const d = e.args?.data ?? {};
    const url = String(d.url ?? d.fileName ?? '').replace(/^.*\/assets\//, '').replace(/\?.*$/, '').replace(/^http:\/\/[^/]+\//, '/');
    switch (e.name) {
      case 'ParseHTML':
        return 'ParseHTML';
      case 'EvaluateScript':
      case 'v8.evaluateModule':
        return `${e.name} ${url}`;
      case 'v8.compile':
      case 'v8.compileModule':
      case 'CompileScript':
      case 'v8.produceModuleCache':
      case 'v8.produceCache':
        return `${e.name} ${url}`;
      case 'UpdateLayoutTree':
      case 'Layout':
      case 'Paint':
      case 'PrePaint':
      case 'Commit':
      case 'FunctionCall':
      case 'TimerFire':
      case 'FireAnimationFrame':
      case 'ParseAuthorStyleSheet':
        return (e.dur ?? 0) >= 3000 ? `${e.name}${url ? ` ${url}` : ''}` : null;
      case 'RunTask':
        return (e.dur ?? 0) >= 5000 ? 'task' : null;
      case 'MarkDOMContent':
      case 'MarkLoad':
      case 'firstContentfulPaint':
      case 'firstPaint':
        return e.name;
      default:
        return null;
    }
  };
  for (const e of main) {
    const what = interesting(e);
    if (what === null) continue;
    const dur = e.dur === undefined ? '' : ` [${(e.dur / 1000).toFixed(1)} ms]`;
    out.push({ t: toEpoch(e.ts), what: `trace: ${what}${dur}` });
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-timeline-'));
const fakes = await startFakesProcess();
try {
  const world = await warmStatusWorld(fakes, dir);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    for (let i = 0; i < runs; i += 1) {
      const marks = await oneRun(world, browser, i === runs - 1);
      process.stdout.write(`── run ${i + 1}\n${marks.map((m) => `${m.t.toFixed(0).padStart(6)}  ${m.what}`).join('\n')}\n`);
    }
  } finally {
    await browser.close();
  }
} finally {
  await fakes.stop();
  rmSync(dir, { recursive: true, force: true });
}
