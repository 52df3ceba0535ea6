#!/usr/bin/env bash
# Extraction accuracy and speed of `dateline annotate --jsonl` against trafilatura (and any
# other peer the shared bench knows), on the article-extraction-benchmark pages, in one run.
#
#   bench/extraction.sh                 # HTML input: dateline vs trafilatura, best of 3 runs
#   bench/extraction.sh --input text    # scraped-text input: dateline vs the identity floor
#
# Needs ../shared/bench/extraction and a Python venv with its peers (see its README); the venv
# is looked for at ../.venv-xbench unless XBENCH_PY names a Python.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench_dir="$root/../shared/bench/extraction"
python=${XBENCH_PY:-$root/../.venv-xbench/bin/python}
if [ ! -x "$python" ]; then
  echo "no Python with the bench's peers at $python: see $bench_dir/README.md (or set XBENCH_PY)" >&2
  exit 2
fi
cargo build --release -p dateline_cli
dateline="$root/target/release/dateline"
version=$("$dateline" --version | awk '{print $2}')
cd "$bench_dir"
if [ "${1:-}" = "--input" ] && [ "${2:-}" = "text" ]; then
  "$python" bench.py --input text --repeat 3 --no-save \
    --jsonl-cmd "$dateline annotate --jsonl --until clean" --name dateline --label "$version" \
    --cmd cat --name identity
else
  "$python" bench.py --repeat 3 --no-save --peer trafilatura \
    --jsonl-cmd "$dateline annotate --jsonl --until clean" --name dateline --label "$version"
fi
