#!/usr/bin/env bash
# Builds web/dist/ (embedded by `dateline serve`): installs the pinned packages when
# node_modules is missing, then bundles. Needs Node 20+ and the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
node build.mjs
