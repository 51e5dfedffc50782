/**
 * At most `limit` heavy fetches at a time, process-wide: the whole-period fetches of a first round
 * (the head of the period, the previous period). Each parses a month of hourly data per resource;
 * fifteen of them at once held every answer's parsed rows in memory together (the peak of
 * `burnrate watch`'s RSS). One after the other, each answer is folded into its report and dropped
 * before the next is read. The open tail (a day or two) is light and never waits here.
 */

/** A counting gate for heavy fetches; FIFO. */
export class FetchGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param limit heavy fetches allowed at once (≥ 1). */
  constructor(private readonly limit: number) {}

  /**
   * Runs `task` once fewer than `limit` others run. A signal aborted before or while waiting starts
   * the task at once, outside the count: it then fails on its aborted signal as it would have
   * without the gate.
   * @example await new FetchGate(1).run(undefined, () => fetchHead()) //=> fetchHead's report
   */
  async run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    // `holds`: this task has a slot (it got one free, or one was handed over by a finishing task).
    let holds = false;
    if (this.active < this.limit) {
      this.active += 1;
      holds = true;
    } else if (!signal?.aborted) {
      holds = await this.turn(signal);
    }
    try {
      return await task();
    } finally {
      if (holds) {
        const next = this.waiting.shift();
        // The slot goes to the next waiting task as it is; freed only when nobody waits.
        if (next) next();
        else this.active -= 1;
      }
    }
  }

  /** Fetches running now (for tests). */
  get running(): number {
    return this.active;
  }

  /** Waits for a slot handed over (true), or for `signal` to abort first (false: no slot). */
  private turn(signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const go = (): void => {
        signal?.removeEventListener('abort', abort);
        resolve(true);
      };
      const abort = (): void => {
        const index = this.waiting.indexOf(go);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      this.waiting.push(go);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
