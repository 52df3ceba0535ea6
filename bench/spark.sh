#!/usr/bin/env bash
# Throughput of the Spark job (python -m dateline.spark) against `dateline ingest`, on the same
# WARC archives, in Spark local mode on this machine:
#
#   VENV=path/to/venv bench/spark.sh [ROUNDS] [WARCS]    # default 4 rounds (704 articles), 4 WARCs
#
# The pages are bench/bench_pages.py's distinct copies of the 181 real pages of
# ../shared/data/article-extraction-benchmark (ROUNDS rounds), packed into WARCS archives of
# response records (per-record gzip, as CC-NEWS is). Runs, each timed by /usr/bin/time -v
# (wall, CPU = user + system of the whole process tree, peak RSS):
#
# - `dateline ingest --threads 1` and `--threads N` (N = every core) into fresh databases;
# - the Spark job with local[1] and local[N] on all the archives, and with local[N] on one
#   round only (the job's fixed cost: JVM start, stages, shuffles), so that the cost per
#   article can be told from the fixed cost;
# - then the events of the local[N] run are compared with `dateline export --format gdelt`.
#
# VENV is a virtual environment with the dateline module and pyspark installed (see
# python/spark_test.sh). Needs Java 17+, /usr/bin/time and the shared data.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-4}
warcs=${2:-4}
threads=$(nproc)
pages="$root/../shared/data/article-extraction-benchmark/html"
[ -d "$pages" ] || { echo "no pages at $pages" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
[ -n "${VENV:-}" ] && [ -x "$VENV/bin/python" ] || { echo "set VENV to a venv with dateline and pyspark" >&2; exit 2; }
py=$VENV/bin/python
export PYSPARK_PYTHON=$py PYSPARK_DRIVER_PYTHON=$py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dateline="${DATELINE_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/dateline}"
[ -x "$dateline" ] || cargo build --release -p dateline_cli
"$dateline" annotate --until clean "$pages" > "$work/clean.jsonl"
DATELINE="$dateline" python3 "$root/bench/bench_pages.py" "$pages" "$work/pages" "$rounds" "$work/clean.jsonl"

# The pages into WARC archives, and round 0 alone into one.
"$py" - "$work/pages" "$work/warc" "$warcs" <<'EOF'
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "python" / "spark_tests"))
from check_spark import warc_record

pages = sorted(Path(sys.argv[1]).glob("*/*.html"))
out, count = Path(sys.argv[2]), int(sys.argv[3])
(out / "all").mkdir(parents=True)
(out / "one").mkdir()
archives = [open(out / "all" / f"bench-{n:05d}.warc.gz", "wb") for n in range(count)]
with open(out / "one" / "bench-r0.warc.gz", "wb") as one:
    for number, page in enumerate(pages):
        record = warc_record(f"https://bench.dateline.invalid/{page.parent.name}/{page.stem}", page.read_bytes(), number)
        archives[number * count // len(pages)].write(record)
        if page.parent.name == "r000":
            one.write(record)
for archive in archives:
    archive.close()
print(f"{len(pages)} pages in {count} WARC archives", file=sys.stderr)
EOF
cat "$work/warc/all"/*.gz > /dev/null

# Runs a command under /usr/bin/time -v; prints its summary line, wall time, CPU time (user +
# system of the processes it waited for: all of ingest; for Spark only the driver's Python, so
# the job's summary gives the pipeline's CPU time instead), peak RSS and the load average.
timed() {
  local log=$1
  shift
  /usr/bin/time -v "$@" 2> "$log" > /dev/null || true
  local wall cpu_user cpu_sys rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  cpu_user=$(grep "User time" "$log" | awk '{print $NF}')
  cpu_sys=$(grep "System time" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$log" | awk '{print $NF}')
  grep -aoE "dateline(\.spark)?: .*" "$log" | tail -1 || true
  echo "  wall $wall, CPU $(awk "BEGIN {print $cpu_user + $cpu_sys}") s, peak RSS $((rss / 1024)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

settings=(--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false --conf spark.sql.shuffle.partitions=$((threads * 2)))
echo "== dateline ingest --threads 1"
timed "$work/ingest1.log" "$dateline" ingest "$work/warc/all" --db "$work/one.db" --threads 1
echo "== dateline ingest --threads $threads"
timed "$work/ingestN.log" "$dateline" ingest "$work/warc/all" --db "$work/all.db" --threads "$threads"
echo "== Spark local[1]"
timed "$work/spark1.log" "$py" -m dateline.spark "$work/warc/all" --output "$work/out1" --master "local[1]" "${settings[@]}"
echo "== Spark local[$threads]"
timed "$work/sparkN.log" "$py" -m dateline.spark "$work/warc/all" --output "$work/outN" --master "local[$threads]" "${settings[@]}"
echo "== Spark local[$threads], round 0 only (fixed cost)"
timed "$work/spark0.log" "$py" -m dateline.spark "$work/warc/one" --output "$work/out0" --master "local[$threads]" "${settings[@]}"

echo "== the local[$threads] run's events against ingest + export"
"$dateline" export --format gdelt --db "$work/one.db" > "$work/export.tsv"
"$py" - "$work/export.tsv" "$work/outN/events" <<'EOF'
import sys
import pyarrow.parquet as pq
from dateline import GDELT_COLUMNS

exported = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
ours = [[row[name] for name in GDELT_COLUMNS] for row in pq.read_table(sys.argv[2]).to_pylist()]
strip = lambda rows: [row[:59] + row[60:] for row in rows]
same = strip(exported) == strip(ours)
print(f"{len(ours)} events from Spark, {len(exported)} from ingest + export: {'identical' if same else 'DIFFERENT'}")
sys.exit(0 if same else 1)
EOF
