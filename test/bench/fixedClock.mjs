// Preloaded (`node --import`) into the CLI processes the benchmark starts: their clock starts at
// $BURNRATE_BENCH_NOW_MS and then runs at the real pace, so they live in the heavy month (fixed
// dates) whatever today's date is. Benchmark-only; Burnrate itself never reads this variable.
const startMs = Number(process.env.BURNRATE_BENCH_NOW_MS);
if (Number.isFinite(startMs)) {
  const RealDate = Date;
  const offsetMs = startMs - RealDate.now();
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = FixedDate;
}
