/**
 * The spend database under several real processes: decisions are neither lost nor duplicated when
 * processes decide on the same workspaces at once, and a process killed (SIGKILL) in the middle of
 * writing leaves a database that opens, passes SQLite's integrity check and holds every commit the
 * killed process reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleForNode, type NodeBundle } from '../../test/support/bundleForNode';
import { MemoryLogger, tempFolder } from '../../test/replay/support';
import { SpendDb, SPEND_DB_FILE } from './spendDb';

const ROOT = resolve(__dirname, '..', '..');
const WORKER = join(ROOT, 'test', 'support', 'spendDbWorker.ts');

// The worker is bundled once and started as plain JavaScript: 100+ processes start in this file,
// and a jiti start (transpiling the import graph in each process) costs about 2 s of CPU each.
let bundle: NodeBundle;
beforeAll(async () => {
  bundle = await bundleForNode(WORKER);
}, 120_000);
afterAll(() => bundle?.remove());

let folder: ReturnType<typeof tempFolder>;
let file: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  folder = tempFolder('burnrate-db-processes');
  file = join(folder.dir, SPEND_DB_FILE);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  folder.remove();
});

function worker(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, [bundle.file, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

/** Resolves with the whole stdout when the child exits 0; rejects with its stderr otherwise. */
function finished(child: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolvePromise, reject) =>
    child.on('exit', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`worker exited ${code}: ${err}`)))),
  );
}

/** Resolves with the last `committed N` once the child reported `count` commits. */
function commits(child: ChildProcess, count: number): Promise<number> {
  let buffer = '';
  let seen = 0;
  let last = -1;
  return new Promise((resolvePromise, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`writer ended early (${code ?? signal})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (!match) continue;
        last = Number(match[1]);
        seen += 1;
        if (seen === count) resolvePromise(last);
      }
    });
  });
}

describe('SpendDb across processes', () => {
  it('three processes deciding the same crossings at once decide each exactly once', async () => {
    SpendDb.open(file, { logger: new MemoryLogger() }).close();
    const workspaces = 30;
    const workers = [1, 2, 3].map(() => worker('decide', file, String(workspaces), '3'));
    const outputs = Promise.all(workers.map(finished));
    // Start them together, so their decisions really interleave.
    await Promise.all(workers.map((child) => new Promise((ready) => child.stdout!.once('data', ready))));
    for (const child of workers) child.stdin!.end('go\n');
    const texts = await outputs;
    const inserted = texts.map((out) => Number(/inserted (\d+)/.exec(out)![1]));
    const db = SpendDb.open(file, { logger: new MemoryLogger() });
    const decisions = db.decisions('ns');
    db.close();
    // One threshold notification per workspace: none lost, none twice, whoever decided it.
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(workspaces);
    expect(decisions).toHaveLength(workspaces);
    expect(new Set(decisions.map((d) => d.workspaceId)).size).toBe(workspaces);
  }, 60_000);

  it('an engine killed with SIGKILL at 100 seeded moments: settings, spend data and alert state reopen whole, nothing committed is lost, nothing shown twice', async () => {
    const settings = join(folder.dir, 'settings.json');
    const shown = new Map<string, number>();
    let committed = -1;
    // Seeded: kill after 1…6 commits (a cycle is several transactions, so the kill lands anywhere in one).
    const plan = fc.sample(fc.noBias(fc.integer({ min: 1, max: 6 })), { seed: 10_100, numRuns: 100 });
    for (const killAfter of plan) {
      const child = worker('cycle', file, settings, String(committed + 1));
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await commits(child, killAfter);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      for (const line of out.split('\n')) {
        const match = /^(shown|committed) (.+)$/.exec(line);
        if (match?.[1] === 'shown') shown.set(match[2]!, (shown.get(match[2]!) ?? 0) + 1);
        if (match?.[1] === 'committed') committed = Number(match[2]);
      }
      // Settings: whole JSON of the last committed cycle or of the one in flight (rename is atomic).
      const cycle = (JSON.parse(readFileSync(settings, 'utf8')) as { cycle: number }).cycle;
      expect([committed, committed + 1]).toContain(cycle);
      const raw = new DatabaseSync(file);
      expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      raw.close();
      const db = SpendDb.open(file, { logger: new MemoryLogger() });
      const stored = db.loadConnections('ns');
      const alerts = db.alertState('ns');
      db.close();
      for (let i = 0; i <= committed; i += 1) {
        expect(stored[`c/${i}`]?.current?.report.buckets, `c/${i}`).toHaveLength(48);
        expect(Object.values(alerts.entries).some((e) => e.workspaceId === `ws${i}`), `ws${i}`).toBe(true);
      }
    }
    expect(committed).toBeGreaterThanOrEqual(plan.reduce((a, b) => a + b, 0) - 1);
    // Every crossing decided in a committed cycle was shown, once, by whichever run got to it.
    const db = SpendDb.open(file, { logger: new MemoryLogger() });
    const decisions = db.decisions('ns');
    db.close();
    // Never shown twice. Each committed crossing was shown, unless a kill fell between claiming and
    // showing it: then it stays claimed and undelivered, and is shown once that claim lapses.
    expect([...shown.values()].every((count) => count === 1)).toBe(true);
    const delivered = new Set(decisions.filter((d) => d.deliveredAtMs !== null).map((d) => d.key));
    let interrupted = 0;
    for (let i = 0; i <= committed; i += 1) {
      const key = `ws${i}|threshold:50|month:2026-03`;
      if (shown.has(key)) continue;
      interrupted += 1;
      expect(delivered.has(key), key).toBe(false);
      expect(decisions.some((d) => d.key === key), key).toBe(true);
    }
    expect(interrupted).toBeLessThanOrEqual(plan.length);
    // Marked delivered only once shown.
    expect([...delivered].every((key) => shown.has(key))).toBe(true);
  }, 600_000);

  it('a writer killed with SIGKILL, again and again, loses nothing it committed', async () => {
    let expected = 0;
    for (const killAfter of [1, 7, 25, 3, 60]) {
      const child = worker('write', file);
      const last = await commits(child, killAfter);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const raw = new DatabaseSync(file);
      expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      raw.close();
      const db = SpendDb.open(file, { logger: new MemoryLogger() });
      const stored = db.loadConnections('ns');
      db.close();
      // Each writer starts again at w/0; everything up to the last reported commit is there, whole.
      expected = Math.max(expected, last + 1);
      for (let i = 0; i <= last; i += 1) {
        const report = stored[`w/${i}`]?.current?.report;
        expect(report?.totalMicros, `w/${i}`).toBe(i);
        expect(report?.buckets).toHaveLength(200);
        expect(report?.buckets[199]!.costMicros).toBe(i * 1000 + 199);
      }
      expect(Object.keys(stored).length).toBeGreaterThanOrEqual(expected);
    }
  }, 120_000);
});
