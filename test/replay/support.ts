/**
 * Test support for the runtime and the 30-day replay: one fake clock that is also the runtime's
 * timer source, a driver that moves it from timer to timer (letting real loopback I/O finish in
 * between, with the clock standing still), a recording notifier and a memory logger.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusDocument } from '../../preload/api';
import type { Clock, Logger, NotificationMessage, Notifier, Timers } from '../../main/services/ports';

interface PendingTimer {
  readonly id: number;
  readonly atMs: number;
  readonly callback: () => void;
}

/** A clock and timer source in one: time moves only when a test says so. */
export class FakeTime implements Clock, Timers {
  private nowMs: number;
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  /** Epoch ms. Arrow so it can be handed out as `now: time.now`. */
  readonly now = (): number => this.nowMs;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.pending.set(id, { id, atMs: this.nowMs + Math.max(0, Math.floor(ms)), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves the clock without firing anything (never backwards). */
  set(ms: number): void {
    this.nowMs = Math.max(this.nowMs, ms);
  }

  /** When the earliest pending timer is due, or undefined. */
  nextDueMs(): number | undefined {
    let earliest: number | undefined;
    for (const timer of this.pending.values()) if (earliest === undefined || timer.atMs < earliest) earliest = timer.atMs;
    return earliest;
  }

  /** Pending timers as delays from now, sorted (for schedule assertions). */
  pendingDelays(): number[] {
    return [...this.pending.values()].map((t) => t.atMs - this.nowMs).sort((a, b) => a - b);
  }

  /** Number of pending timers. */
  get size(): number {
    return this.pending.size;
  }

  /** Fires every timer due by now, oldest first (in creation order on ties). Returns how many fired. */
  fireDue(): number {
    let fired = 0;
    for (;;) {
      const due = [...this.pending.values()].filter((t) => t.atMs <= this.nowMs).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) return fired;
      this.pending.delete(due.id);
      due.callback();
      fired += 1;
    }
  }

  /** Forgets every pending timer (a crashed process's timers die with it). */
  dropAll(): void {
    this.pending.clear();
  }
}

/** Something that can say when its in-flight work has settled (the Runtime's `whenIdle`). */
export interface Settles {
  whenIdle(): Promise<void>;
}

/**
 * Runs the fake clock up to `targetMs`: jumps to each due timer, fires it, and waits for the
 * work it started (real HTTP to the loopback fakes) with the clock standing still.
 * `onTick` runs after each batch of timers (e.g. to record state at that instant).
 */
export async function runUntil(time: FakeTime, targetMs: number, engine: Settles, onTick?: (nowMs: number) => void): Promise<void> {
  for (;;) {
    await engine.whenIdle();
    const next = time.nextDueMs();
    if (next === undefined || next > targetMs) {
      time.set(targetMs);
      return;
    }
    time.set(next);
    time.fireDue();
    await engine.whenIdle();
    onTick?.(time.now());
  }
}

/**
 * A notifier that records what it was asked to show. It can be told to fail, to hang (never
 * answer, like a crashed notification daemon) or to be slow (answer after 50 real ms).
 */
export class RecordingNotifier implements Notifier {
  readonly shown: NotificationMessage[] = [];
  readonly attempts: NotificationMessage[] = [];
  mode: 'ok' | 'fail' | 'hang' | 'slow' = 'ok';
  private onHang: (() => void) | undefined;

  /** Switches to 'hang'; the promise resolves when the first notification hangs. */
  hang(): Promise<void> {
    this.mode = 'hang';
    return new Promise<void>((resolve) => {
      this.onHang = resolve;
    });
  }

  notify(message: NotificationMessage): Promise<void> {
    this.attempts.push(message);
    if (this.mode === 'fail') return Promise.reject(new Error('no notification service'));
    if (this.mode === 'hang') {
      this.onHang?.();
      return new Promise<void>(() => undefined);
    }
    this.shown.push(message);
    if (this.mode === 'slow') return new Promise<void>((resolve) => setTimeout(resolve, 50));
    return Promise.resolve();
  }
}

/** A logger that keeps its lines. */
export class MemoryLogger implements Logger {
  readonly lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; fields?: Readonly<Record<string, unknown>> }> = [];
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
  /** Lines at warn or error level. */
  get problems(): string[] {
    return this.lines.filter((l) => l.level !== 'info').map((l) => l.message);
  }
}

/**
 * A fresh temp folder for snapshot files; on tmpfs (/dev/shm) when there is one, since every
 * refresh fsyncs the store and a month of refreshes on a real disk is slow. `remove()` deletes it.
 */
export function tempFolder(prefix: string): { dir: string; remove: () => void } {
  const base = process.platform === 'linux' && existsDir('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function existsDir(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch (error) {
    // Missing or not writable: the OS temp folder will do.
    return (error as NodeJS.ErrnoException).code === undefined;
  }
}

/** True when any connection's latest refresh failed, read from the status document as every shell reads it. */
export function hasFailures(engine: { status(): StatusDocument }): boolean {
  return engine.status().workspaces.some((workspace) => workspace.connections.some((connection) => connection.error !== null));
}
