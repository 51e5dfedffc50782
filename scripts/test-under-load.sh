#!/usr/bin/env bash
# `npm run test:under-load [RUNS]`: runs the whole `npm test` RUNS times in a row (default 3) while
# one busy loop per CPU core keeps every core at 100 %. The suite must pass every time: a test that
# fails only on a busy machine is a defect (issue 10). Stops at the first failed run.
set -u
cd "$(dirname "$0")/.."
runs="${1:-3}"
cores="$(nproc 2>/dev/null || echo 2)"
hogs=()
for _ in $(seq "$cores"); do
  node -e 'for (;;) {}' &
  hogs+=("$!")
done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
echo "CPU hog: ${#hogs[@]} busy loops (pids ${hogs[*]}) on $cores cores"
for run in $(seq "$runs"); do
  echo "=== run $run of $runs under the CPU hog"
  if ! npm test; then
    echo "=== run $run of $runs FAILED under the CPU hog"
    exit 1
  fi
done
echo "=== $runs of $runs runs passed under the CPU hog"
