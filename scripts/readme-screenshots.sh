#!/usr/bin/env bash
# Start the app on a fresh demo store and capture the README screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8597}
tmp=$(mktemp -d)
export CONFIANCE_STORE="$tmp/demo.duckdb"
$PY -m analysis demo --store "$CONFIANCE_STORE" >/dev/null
$PY -m streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port "$PORT" >"$tmp/app.log" 2>&1 &
app=$!
trap 'kill $app; rm -rf "$tmp"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/_stcore/health" >/dev/null && break; sleep 0.5; done
for page in "${@:-overview}"; do
  url="http://127.0.0.1:$PORT/"; [ "$page" = overview ] || url="$url$page"
  $PY scripts/screenshot.py "$url" "docs/screenshots/$page.png" --width 1280 --height 900
done
