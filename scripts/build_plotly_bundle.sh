#!/bin/sh
# Rebuild assets/plotly-cockpit.min.js, the plotly.js the pages load (only the traces the app
# draws, and the zh-CN locale). The versions and the traces are in scripts/plotly_bundle/
# traces.json; plotly.js matches the one plotly.py ships (plotly.offline.get_plotlyjs_version()).
# Needs Node 20 and the npm registry; the packages go to tools/plotly/ (not committed).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools/plotly"
spec="$root/scripts/plotly_bundle/traces.json"
plotly=$(node -p "require('$spec')['plotly.js']")
esbuild=$(node -p "require('$spec').esbuild")
mkdir -p "$tools"
[ -f "$tools/package.json" ] || (cd "$tools" && npm init -y >/dev/null 2>&1)
(cd "$tools" && npm install --no-audit --no-fund --save-exact "plotly.js@$plotly" "esbuild@$esbuild" >/dev/null 2>&1)
node "$root/scripts/plotly_bundle/build.mjs" "$tools" "$root/assets/plotly-cockpit.min.js"
ls -l "$root/assets/plotly-cockpit.min.js"
