#!/usr/bin/env bash
# Start the app on a fresh demo store and capture the README screenshots.
# Usage: scripts/readme-screenshots.sh [PAGE[?QUERY]]...   (default: overview)
#   e.g. scripts/readme-screenshots.sh overview 'segments?by=age_band&metric=churn_unprotected'
# Each lands in docs/screenshots/PAGE.png (the query is not part of the name).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8597}
tmp=$(mktemp -d)
export CONFIANCE_STORE="$tmp/demo.duckdb"
unset CONFIANCE_ANALYST_PASSWORD_HASH
$PY -m analysis demo --store "$CONFIANCE_STORE" >/dev/null
$PY -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port "$PORT" \
  --server.headless true --browser.gatherUsageStats false >"$tmp/app.log" 2>&1 &
app=$!
trap 'kill $app; rm -rf "$tmp"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/_stcore/health" >/dev/null && break; sleep 0.5; done
for target in "${@:-overview}"; do
  page=${target%%\?*}
  query=""; [ "$page" = "$target" ] || query="?${target#*\?}"
  path=$page; [ "$page" = overview ] && path=""
  $PY scripts/screenshot.py "http://127.0.0.1:$PORT/$path$query" "docs/screenshots/$page.png" \
    --width 1280 --height 900
done
