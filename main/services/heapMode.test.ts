import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = join(dirname(fileURLToPath(import.meta.url)), 'heapMode.ts');

/**
 * The young generation of a fresh Node process after a burst of allocation that survives minor
 * collections (what a refresh round parsing month-long answers does), in MB: with
 * `longRunningHeap()` called first, or with V8's defaults. A V8 setting, so it runs in a
 * process of its own, with `--predictable`: V8's heuristics that look at the clock (allocation
 * throughput, the memory reducer) then stay out, so the figure is the same on a busy machine
 * (without it the bounded figure read 1 to 25 MB from run to run under six busy loops on two
 * cores, and this test failed in a full run on a loaded machine).
 */
function youngGenerationAfterBurst(bounded: boolean): number {
  const script = `
    const heap = await import(${JSON.stringify(MODULE)});
    if (${bounded}) heap.longRunningHeap();
    let kept = [];
    for (let i = 0; i < 3_000_000; i += 1) {
      kept.push({ startMs: 1_772_000_000_000 + i * 3_600_000, costMicros: i, name: 'model-' + (i % 50) });
      if (kept.length > 300_000) kept = [];
    }
    process.stdout.write(String(heap.youngGenerationBytes() / 1048576));
  `;
  return Number(execFileSync(process.execPath, ['--predictable', '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('longRunningHeap', () => {
  it('keeps the young generation at its starting size through a burst that grows it with the defaults', () => {
    const unbounded = youngGenerationAfterBurst(false);
    const bounded = youngGenerationAfterBurst(true);
    // The control: V8 grows it on this burst to its maximum, 128 MB (else the bound would be untested).
    expect(unbounded).toBeGreaterThanOrEqual(64);
    // Bounded: 5.25 MB here, run after run, quiet or loaded. The bound is what matters, an eighth
    // of the default at most, not an exact size.
    expect(bounded).toBeLessThanOrEqual(16);
  });
});

/**
 * The optimization status of a hot function in a fresh Node process (V8's %GetOptimizationStatus
 * bits: 1 << 5 Maglev code, 1 << 6 TurboFan code), with `longRunningHeap()` called first or not.
 * Optimized code is compiled on the main thread here (`--no-concurrent-recompilation`,
 * `--no-concurrent-osr`), so the tier reached depends on call counts only, not on when a
 * background compiler thread gets to run on a busy machine.
 */
function tierOfHotFunction(bounded: boolean): { maglev: boolean; turbofan: boolean } {
  const script = `
    const heap = await import(${JSON.stringify(MODULE)});
    if (${bounded}) heap.longRunningHeap();
    function fold(values) { let sum = 0; for (let i = 0; i < values.length; i += 1) sum += values[i] * 2 + (i & 3); return sum; }
    const values = Array.from({ length: 1000 }, (_, i) => i);
    let total = 0;
    for (let k = 0; k < 20_000; k += 1) total += fold(values);
    const status = %GetOptimizationStatus(fold);
    process.stdout.write(JSON.stringify({ maglev: (status & 32) !== 0, turbofan: (status & 64) !== 0, total }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '--no-concurrent-osr', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { maglev: boolean; turbofan: boolean; total: number };
  expect(out.total).toBe(20_010_000_000);
  return { maglev: out.maglev, turbofan: out.turbofan };
}

describe('longRunningHeap compilers', () => {
  it('optimizes hot code with Maglev and never TurboFan (whose code and compile memory cost watch ~8 MB of peak RSS)', () => {
    // The control: with V8's defaults the same loop ends in TurboFan code.
    expect(tierOfHotFunction(false)).toEqual({ maglev: false, turbofan: true });
    expect(tierOfHotFunction(true)).toEqual({ maglev: true, turbofan: false });
  });
});
