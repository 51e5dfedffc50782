import { describe, expect, it } from 'vitest';
import { FetchGate } from './fetchGate';

/** A task that runs until `finish()` is called; `started` says whether the gate let it start. */
function controlled<T>(value: T): { task: () => Promise<T>; finish: () => void; readonly started: boolean } {
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => (release = r));
  const state = {
    started: false,
    task: async (): Promise<T> => {
      state.started = true;
      await gate;
      return value;
    },
    finish: () => release!(),
  };
  return state;
}

/** Lets queued promise reactions run. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('FetchGate', () => {
  it('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const gate = new FetchGate(1);
    const a = controlled('a');
    const b = controlled('b');
    const c = controlled('c');
    const results = [gate.run(undefined, a.task), gate.run(undefined, b.task), gate.run(undefined, c.task)];
    await settle();
    expect([a.started, b.started, c.started]).toEqual([true, false, false]);
    expect(gate.running).toBe(1);
    a.finish();
    await settle();
    expect([b.started, c.started]).toEqual([true, false]);
    b.finish();
    await settle();
    expect(c.started).toBe(true);
    c.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(gate.running).toBe(0);
  });

  it('lets the next task start when one fails', async () => {
    const gate = new FetchGate(1);
    const failing = gate.run(undefined, () => Promise.reject(new Error('refused')));
    const next = controlled('next');
    const after = gate.run(undefined, next.task);
    await expect(failing).rejects.toThrow('refused');
    await settle();
    expect(next.started).toBe(true);
    next.finish();
    expect(await after).toBe('next');
  });

  it('allows two at once with a limit of 2', async () => {
    const gate = new FetchGate(2);
    const tasks = [controlled(1), controlled(2), controlled(3)];
    const results = tasks.map((t) => gate.run(undefined, t.task));
    await settle();
    expect(tasks.map((t) => t.started)).toEqual([true, true, false]);
    tasks[1]!.finish();
    await settle();
    expect(tasks[2]!.started).toBe(true);
    for (const t of tasks) t.finish();
    expect(await Promise.all(results)).toEqual([1, 2, 3]);
  });

  it('starts a waiting task at once when its signal aborts (it then fails on its own signal), and skips it in the queue', async () => {
    const gate = new FetchGate(1);
    const first = controlled('first');
    const running = gate.run(undefined, first.task);
    const controller = new AbortController();
    const waiting = controlled('aborted');
    const aborted = gate.run(controller.signal, waiting.task);
    const last = controlled('last');
    const queued = gate.run(undefined, last.task);
    await settle();
    expect(waiting.started).toBe(false);
    controller.abort();
    await settle();
    expect(waiting.started).toBe(true);
    waiting.finish();
    expect(await aborted).toBe('aborted');
    await settle();
    // The aborted task ran outside the count: the queue still waits for the first one.
    expect(last.started).toBe(false);
    expect(gate.running).toBe(1);
    first.finish();
    await running;
    await settle();
    expect(last.started).toBe(true);
    last.finish();
    expect(await queued).toBe('last');
  });
});
