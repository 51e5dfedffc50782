/**
 * A CPU profile of the dashboard's update (the benchmark's updateScriptingMs, ./startup.ts), for
 * finding where its script time goes:
 *   JITI_INTEROP_DEFAULT=false npx jiti test/bench/updateProfile.ts [updates] [profile.cpuprofile]
 * Same world and update as the benchmark (heavy month, `serve` with a warm database, a new status
 * document with the spend raised arriving through the page's poll), profiled in Chromium with a
 * 50 µs sampling interval over `updates` updates (default 20). Prints the self time per function
 * (top 40) and the inclusive time of a few entry points; writes the profile (Chrome DevTools
 * format) when a file is given. Build first (`npx electron-vite build`); for readable names build
 * the renderer unminified (`BURNRATE_NO_MINIFY=1 npx electron-vite build`). BURNRATE_BENCH_BIN=<other checkout>/bin/burnrate.js profiles another build.
 * With UPDATE_TRACE=<file.json>, traces the updates instead (devtools.timeline: the main thread's
 * tasks, script, style, layout and paint, wall time; the events are written to the file) and
 * prints the time per update of each kind of event.
 * The sampled profile attributes the gaps in sampling of a busy machine to whatever ran before
 * them: read it on a quiet machine, or compare shares only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { cli, dashboardUrl, exited, headlineChanged, startFakesProcess, warmStatusWorld } from './startup';

const updates = Number(process.argv[2] ?? 20);
const profileFile = process.argv[3];
const POLL_MS = 30_000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-update-'));
const fakes = await startFakesProcess();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const world = await warmStatusWorld(fakes, dir);
  const page = await browser.newPage();
  await page.clock.install();
  const child = cli(['serve', '--port', '0', '--config', world.file], world.env);
  child.stderr!.resume();
  const url = await dashboardUrl(child);
  await page.goto(url);
  // The app itself, not the served first paint (renderer/src/firstPaint.ts) that shows the spend before it.
  await page.locator('[data-testid="panel"] [data-testid="spent"]').waitFor();
  let bump = 0;
  let documentBytes = 0;
  await page.route('**/api/status', async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    documentBytes = body.length;
    const document = JSON.parse(body) as { workspaces: Array<{ spentUsd: number }>; all?: { spentUsd: number } };
    document.workspaces[0]!.spentUsd += bump;
    if (document.all) document.all.spentUsd += bump;
    await route.fulfill({ response, json: document });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  const update = async (): Promise<void> => {
    const changed = headlineChanged(page);
    await page.clock.runFor(POLL_MS);
    await changed;
  };
  bump = 1;
  await update(); // warm
  if (process.env.UPDATE_TRACE) {
    await traceUpdates(cdp, update, updates, (k) => (bump = k), process.env.UPDATE_TRACE);
    child.kill('SIGINT');
    await exited(child);
    process.exit(0);
  }
  await cdp.send('Profiler.start');
  for (let k = 2; k < updates + 2; k += 1) {
    bump = k;
    await update();
  }
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  if (profileFile) writeFileSync(profileFile, JSON.stringify(profile));
  child.kill('SIGINT');
  await exited(child);

  // Self time per function, and inclusive time (each sample counted once per function on its stack).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id)!;
    const name = key(node);
    if (node.callFrame.functionName !== '(idle)' && node.callFrame.functionName !== '(program)') busy += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const perUpdate = (ms: number): string => (ms / updates).toFixed(3).padStart(8);
  process.stdout.write(`document ${(documentBytes / 1024).toFixed(1)} KB; ${updates} updates; profiled ${total.toFixed(1)} ms, busy (not idle/program) ${busy.toFixed(1)} ms = ${(busy / updates).toFixed(2)} ms per update\n`);
  process.stdout.write('\nself ms per update, top 40:\n');
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${perUpdate(ms)}  ${name}\n`);
  process.stdout.write('\ninclusive ms per update, top 60:\n');
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60)) process.stdout.write(`${perUpdate(ms)}  ${name}\n`);
} finally {
  await browser.close();
  await fakes.stop();
  rmSync(dir, { recursive: true, force: true });
}

interface TraceEvent { name: string; cat: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: { data?: Record<string, unknown> } }

/**
 * Traces `count` updates (devtools.timeline) and prints, per update, the main thread's top-level
 * tasks with script (their duration, what ran, and the style/layout inside script).
 */
async function traceUpdates(cdp: import('playwright').CDPSession, update: () => Promise<void>, count: number, setBump: (k: number) => void, file: string): Promise<void> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  for (let k = 2; k < count + 2; k += 1) {
    setBump(k);
    await update();
  }
  await cdp.send('Tracing.end');
  await complete;
  // The renderer main thread: where FunctionCall events of the page's script are.
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, String((e.args as { name?: string }).name));
  const mainKey = [...threadNames].find(([, n]) => n === 'CrRendererMain')?.[0];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === mainKey && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const totals = new Map<string, number>();
  const add = (k: string, v: number): void => void totals.set(k, (totals.get(k) ?? 0) + v);
  // Script events (FunctionCall, EvaluateScript, RunMicrotasks, TimerFire, EventDispatch...) at the top level of a task.
  let taskEnd = -1;
  let task: TraceEvent | null = null;
  for (const e of onMain) {
    if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') {
      task = e;
      taskEnd = e.ts + e.dur!;
      continue;
    }
    if (task && e.ts < taskEnd) {
      const d = e.dur! / 1000;
      const data = e.args?.data ?? {};
      const where = data.functionName ? `${String(data.functionName)}@${String(data.url ?? '').split('/').pop()?.split('?')[0]}:${String(data.lineNumber ?? '')}` : '';
      if (['FunctionCall', 'EvaluateScript', 'v8.run', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'V8.Execute', 'v8.callFunction'].includes(e.name)) add(`${e.name} ${where}`, d);
      if (['UpdateLayoutTree', 'Layout', 'RecalculateStyles', 'ParseHTML', 'Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'HitTest', 'GCEvent', 'MinorGC', 'MajorGC', 'V8.GCScavenger', 'MinorGCEvent'].includes(e.name)) add(`  (${e.name})`, d);
    }
  }
  process.stdout.write(`trace: ${count} updates; ms per update of each event (nested events are counted in their parents too)\n`);
  for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 60)) process.stdout.write(`${(v / count).toFixed(3).padStart(8)}  ${k}\n`);
  writeFileSync(file, JSON.stringify(events));
}
