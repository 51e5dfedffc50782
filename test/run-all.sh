#!/usr/bin/env bash
# `npm test`: every check the project has, in one command. Runs all steps even when one fails,
# then prints one line per step and a combined total:  total: N passed, N failed, N skipped
# Steps: lint (incl. the layering rule), typecheck, build, Electron security scan, Prometheus rules
# (promtool check rules + promtool test rules), unit tests (vitest), browser tests (Playwright +
# Chromium), the tray app through the desktop harness (test/desktop), notification delivery
# (D-Bus + dunst).
set -u
cd "$(dirname "$0")/.."
summary_dir="$(mktemp -d)"
trap 'rm -rf "$summary_dir"' EXIT
export BURNRATE_SUMMARY_DIR="$summary_dir"

declare -a results=()
failed_steps=0
step() {
  local name="$1"; shift
  echo
  echo "=== $name: $*"
  local started=$SECONDS
  if "$@"; then
    results+=("$name: ok ($((SECONDS - started)) s)")
    echo "{\"passed\":1,\"failed\":0,\"skipped\":0}" > "$summary_dir/step-$name.json"
  else
    results+=("$name: FAILED ($((SECONDS - started)) s)")
    failed_steps=$((failed_steps + 1))
    echo "{\"passed\":0,\"failed\":1,\"skipped\":0}" > "$summary_dir/step-$name.json"
  fi
}

step lint npx eslint --max-warnings 0 .
# One type environment per layer: main + preload (Node), renderer (DOM), tests and configs.
step typecheck npm run --silent typecheck
step build npx electron-vite build
step security bash test/security/electronegativity.sh
step rules bash -c 'promtool check rules deploy/prometheus/burnrate.rules.yml && cd deploy/prometheus && promtool test rules tests.yml'
# Test runners record their own counts; their step files are removed so tests are not counted twice.
step unit env NO_COLOR=1 BURNRATE_SUMMARY_NAME=vitest npx vitest run && rm -f "$summary_dir/step-unit.json"
step e2e npx playwright test && rm -f "$summary_dir/step-e2e.json"
step desktop npx playwright test -c test/desktop/playwright.config.ts && rm -f "$summary_dir/step-desktop.json"
step notify env BURNRATE_SUMMARY_NAME=notify dbus-run-session -- bash test/notify/run.sh && rm -f "$summary_dir/step-notify.json"

echo
echo "=== summary"
printf '  %s\n' "${results[@]}"
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const f of fs.readdirSync(dir)) {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    for (const k of Object.keys(sum)) sum[k] += counts[k] ?? 0;
  }
  console.log(`total: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
' "$summary_dir"
[ "$failed_steps" -eq 0 ]
