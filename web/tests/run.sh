#!/usr/bin/env bash
# Runs the dashboard's browser tests against $DATELINE_URL (a running `dateline serve`), or,
# when it is unset, against tests/mock-server.mjs on a free port.
# Installs Debian's Chromium when /usr/bin/chromium is missing and the npm packages when
# web/node_modules is missing. Screenshots go to web/tests/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/index.html ]; then
  node build.mjs
fi

mock_pid=""
cleanup() { if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ -z "${DATELINE_URL:-}" ]; then
  log="$(mktemp)"
  node tests/mock-server.mjs --port 0 >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 50); do
    if grep -q '^listening on ' "$log"; then break; fi
    sleep 0.1
  done
  DATELINE_URL="$(sed -n 's/^listening on //p' "$log")"
  if [ -z "$DATELINE_URL" ]; then cat "$log" >&2; exit 1; fi
  echo "mock server at $DATELINE_URL" >&2
fi
export DATELINE_URL
node --test tests/unit.test.mjs tests/dashboard.test.mjs
