#!/usr/bin/env bash
# The Spark job in Spark local mode against the command line: builds and installs the Python
# module in a fresh virtual environment with PySpark 4 (from PyPI; Java 17 or later on the
# PATH), then python/spark_tests/check_spark.py runs the same corpus through
# `dateline ingest --threads 1` + `dateline export --format gdelt` and through
# `python -m dateline.spark --master local[2]` and compares every event column, article and
# error. DATELINE_BIN is the command line (else the target directory's release binary, built
# when missing); PYTHON picks the interpreter; SPARK_MASTER the master (default local[2]).
# Then the Ray Data adapter (dateline.ray, with ray[data] from PyPI) on a local Ray against
# annotate_batch (python/spark_tests/check_ray.py).
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

work=$(mktemp -d "${TMPDIR:-/tmp}/dateline-spark.XXXXXX")
trap 'rm -rf "$work"' EXIT
"${PYTHON:-python3}" -m venv "$work/venv"
py=$work/venv/bin/python
"$py" -m pip install --quiet --progress-bar off --upgrade pip

echo "== pip install ./python pyspark ray[data]"
start=$SECONDS
"$py" -m pip install --quiet --progress-bar off 'pyspark>=4,<5' 'pandas<3' 'pyarrow>=10' 'ray[data]>=2.40' "$root/python"
echo "installed in $((SECONDS - start)) s"

echo "== Spark local mode against dateline ingest + export"
start=$SECONDS
# From the work directory, so that `import dateline` finds the installed package rather than
# the source tree's python/dateline; Spark's workers use the same interpreter.
cd "$work"
PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" \
  "$py" "$root/python/spark_tests/check_spark.py" "$work" --master "${SPARK_MASTER:-local[2]}"
echo "compared in $((SECONDS - start)) s"

echo "== Ray Data: dateline.ray.annotate on a local Ray against annotate_batch"
start=$SECONDS
"$py" "$root/python/spark_tests/check_ray.py" 2> "$work/ray.log" || { cat "$work/ray.log" >&2; exit 1; }
grep -E "^(Ray:|MISMATCH)" "$work/ray.log"
echo "compared in $((SECONDS - start)) s"
