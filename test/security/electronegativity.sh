#!/usr/bin/env bash
# Electron security scan with @doyensec/electronegativity, failing on any HIGH finding.
# It must run on the system Node 20 (it crashes on Node 24) and is kept out of package.json
# (405 packages of its own), so it is installed into a cache folder outside the project.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
node20="${ELECTRONEGATIVITY_NODE:-/usr/bin/node}"
version=1.10.3
tool="${XDG_CACHE_HOME:-$HOME/.cache}/burnrate-electronegativity-$version"
if [ ! -x "$tool/node_modules/.bin/electronegativity" ]; then
  mkdir -p "$tool"
  (cd "$tool" && [ -f package.json ] || echo '{"name":"en-scan","private":true,"allowScripts":{"es5-ext":false}}' > package.json)
  (cd "$tool" && PATH="$(dirname "$node20"):$PATH" npm install --no-audit --no-fund --no-save "@doyensec/electronegativity@$version" >/dev/null 2>&1)
fi
[ -d out/main ] || { echo "electronegativity: build first (npm run build)"; exit 1; }
csv="$(mktemp --suffix=.csv)"
trap 'rm -f "$csv"' EXIT
# One scan of the whole project (it skips node_modules), so its global checks see main/electron/security.ts.
(cd "$tool" && "$node20" node_modules/.bin/electronegativity -i "$root" -r -v false -o "$csv" >/dev/null 2>&1) || true
[ -s "$csv" ] || { echo "electronegativity: no report (the scan crashed)"; exit 1; }
sed -i 1d "$csv"
[ -n "${ELECTRONEGATIVITY_VERBOSE:-}" ] && cut -d, -f1-5 "$csv"
total=$(grep -c . "$csv" || true)
high=$(grep -c '"HIGH"\|,HIGH,' "$csv" || true)
if [ "$high" -gt 0 ]; then
  echo "HIGH findings:"; grep '"HIGH"\|,HIGH,' "$csv"
fi
echo "electronegativity: $total findings, $high HIGH"
[ "$high" -eq 0 ]
