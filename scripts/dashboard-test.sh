#!/usr/bin/env bash
# The dashboard in a real browser against the real server: fills a database with the demo
# corpus and a hostile page, starts `dateline serve` on a free loopback port, and runs the
# browser tests of web/tests (which install Chromium and the npm packages when missing).
# Usage: scripts/dashboard-test.sh [path/to/dateline]   (default: target/release/dateline)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/dateline}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" demo --db "$work/demo.db" >/dev/null
"$bin" ingest crates/dateline_cli/tests/data/hostile --db "$work/demo.db" --quiet
"$bin" serve --db "$work/demo.db" --addr 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
  if grep -q 'serving' "$work/serve.log"; then break; fi
  sleep 0.1
done
url="$(sed -n 's|.* at \(http://[0-9.:]*\)/ .*|\1|p' "$work/serve.log" | head -1)"
if [ -z "$url" ]; then cat "$work/serve.log" >&2; exit 1; fi
echo "dateline serve at $url" >&2
DATELINE_URL="$url" web/tests/run.sh
