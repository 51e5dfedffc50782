/**
 * Bounded concurrency for adapters that need several requests per refresh (one per plan type,
 * page or day), so a refresh never opens more connections than the provider tolerates.
 */

/**
 * Runs `task` over `inputs` with at most `limit` in flight, keeping input order in the result.
 * Rejects with the first failure and starts nothing after it; calls already in flight finish on
 * their own (each is bounded by the http client's timeout) and their results are dropped.
 * @example await mapWithLimit([1, 2, 3], 2, async (n) => n * 2) //=> [2, 4, 6]
 */
export function mapWithLimit<T, R>(inputs: readonly T[], limit: number, task: (input: T) => Promise<R>): Promise<R[]> {
  return new Promise((resolve, reject) => {
    const results = new Array<R>(inputs.length);
    let started = 0;
    let finished = 0;
    let failed = false;
    if (inputs.length === 0) {
      resolve(results);
      return;
    }
    const launch = (): void => {
      if (failed || started >= inputs.length) return;
      const index = started;
      started += 1;
      task(inputs[index] as T).then(
        (value) => {
          results[index] = value;
          finished += 1;
          if (finished === inputs.length) resolve(results);
          else launch();
        },
        (error: unknown) => {
          // Only the first failure is reported; a later one is the same outage seen again.
          if (!failed) reject(error);
          failed = true;
        },
      );
    };
    for (let slot = 0; slot < Math.min(limit, inputs.length); slot += 1) launch();
  });
}
