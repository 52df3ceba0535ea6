#!/usr/bin/env bash
# Builds and installs the Python module from the repository in a fresh virtual environment
# (maturin and the test dependencies come from PyPI), then runs its tests. The tests compare
# the module's JSON with the command line's: DATELINE_BIN, else the release binary of the
# target directory, which is built when it is missing. PYTHON picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}

if [ -z "${DATELINE_BIN:-}" ]; then
  DATELINE_BIN=$target/release/dateline
  if [ ! -x "$DATELINE_BIN" ]; then
    echo "== building the command line to compare with"
    cargo build --release --locked -p dateline_cli
  fi
fi
export DATELINE_BIN

venv=$(mktemp -d "${TMPDIR:-/tmp}/dateline-python.XXXXXX")
trap 'rm -rf "$venv"' EXIT
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --progress-bar off --upgrade pip

echo "== pip install ./python"
start=$SECONDS
"$venv/bin/python" -m pip install --progress-bar off "$root/python[test]"
echo "built and installed in $((SECONDS - start)) s"

echo "== pytest"
# From the venv's directory, so that `import dateline` finds the installed package rather
# than the source tree's python/dateline.
cd "$venv"
"$venv/bin/python" -m pytest -p no:cacheprovider -q "$root/python/tests"
