#!/usr/bin/env bash
# End-to-end ingest throughput: raw HTML through every stage (extraction, NLP, link, code)
# into SQLite, with `dateline ingest --threads 1` and `--threads N` (N = every core), each
# into a fresh database; then the same ingest again over the full database (everything is
# stored already: how fast it skips); then `dateline annotate --until code` over the same
# pages (one thread, JSON to a file) for the cost of storing against printing.
#
#   bench/ingest.sh [ROUNDS]      # default 14 rounds of the pages (2,464 articles)
#
# The pages are the 181 real news pages of ../shared/data/article-extraction-benchmark, each
# round a distinct copy (own canonical URL, one more paragraph, dates moved; see
# bench/bench_pages.py), written to a temporary directory and removed at the end. Peak RSS
# is /usr/bin/time -v's, CPU time its user + system time (steadier than wall time when other
# jobs share the machine: each run also notes the load average after it). Set KEEP_DB=path to
# keep the database of the N-thread run.
#
# Needs ../shared/data/article-extraction-benchmark and /usr/bin/time (Debian: `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-14}
threads=$(nproc)
pages="$root/../shared/data/article-extraction-benchmark/html"
[ -d "$pages" ] || { echo "no pages at $pages" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p dateline_cli
dateline="${CARGO_TARGET_DIR:-$root/target}/release/dateline"
"$dateline" annotate --until clean "$pages" > "$work/clean.jsonl"
DATELINE="$dateline" python3 "$root/bench/bench_pages.py" "$pages" "$work/pages" "$rounds" "$work/clean.jsonl"
articles=$(find "$work/pages" -name '*.html' | wc -l)
# Read the pages once so that the first run does not pay for the disk.
cat "$work/pages"/*/*.html > /dev/null

# Runs a command under /usr/bin/time -v; stderr (the summary line and time's report) to $1.
timed() {
  local log=$1
  shift
  /usr/bin/time -v "$@" 2> "$log"
}
# Figures of one run, as JSON: wall seconds, peak RSS and, for ingest, its summary line.
figures() {
  python3 - "$@" <<'PY'
import json, os, re, sys
log, db = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8", errors="replace").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
out = {"wall_s": round(seconds, 2), "peak_rss_mb": round(rss_kb / 1024, 1),
       "cpu_s": round(float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
                      + float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1)), 2)}
summary = re.search(
    r"dateline: (\d+) stored.* in ([\d.]+) s \(([\d.]+) articles/s on (\d+) threads\), (\d+) events \((\d+) new\), "
    r"(\d+) near-duplicates, (\d+) already stored, (\d+) failed", text)
if summary:
    keys = ["stored", "ingest_s", "articles_per_s", "threads", "mentions", "new_events", "near_duplicates",
            "already_stored", "failed"]
    out.update({key: float(value) if "." in value else int(value) for key, value in zip(keys, summary.groups())})
    out["summary"] = summary.group(0)
out["load_avg_1min_after"] = float(open("/proc/loadavg").read().split()[0])
if db and os.path.exists(db):
    size = sum(os.path.getsize(db + suffix) for suffix in ("", "-wal", "-shm") if os.path.exists(db + suffix))
    out["db_mb"] = round(size / 1e6, 1)
print(json.dumps(out))
PY
}

ingest_run() {
  local threads=$1 db=$2 log=$3
  timed "$log" "$dateline" ingest --threads "$threads" --db "$db" "$work/pages"
  figures "$log" "$db"
}

one=$(ingest_run 1 "$work/one.db" "$work/one.log")
echo "ingest --threads 1: $one" >&2
all=$(ingest_run "$threads" "$work/all.db" "$work/all.log")
echo "ingest --threads $threads: $all" >&2
again=$(ingest_run "$threads" "$work/all.db" "$work/again.log")
echo "ingest again (all stored): $again" >&2
timed "$work/annotate.log" "$dateline" annotate --until code "$work/pages" > "$work/annotate.jsonl"
annotate=$(figures "$work/annotate.log" "")
annotate_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/annotate.jsonl') / 1e6, 1))")
annotate_events=$(python3 -c "
import json
print(sum(len(json.loads(line).get('events', [])) for line in open('$work/annotate.jsonl', encoding='utf-8')))")
echo "annotate --until code: $annotate" >&2
if [ -n "${KEEP_DB:-}" ]; then
  cp "$work/all.db" "$KEEP_DB"
fi

python3 - "$articles" "$threads" "$one" "$all" "$again" "$annotate" "$annotate_mb" "$annotate_events" <<'PY'
import json, sys
articles, threads = int(sys.argv[1]), int(sys.argv[2])
one, all_, again, annotate = (json.loads(arg) for arg in sys.argv[3:7])
annotate_mb, annotate_events = float(sys.argv[7]), int(sys.argv[8])
for name, run in (("threads 1", one), (f"threads {threads}", all_)):
    if run.get("stored") != articles or run.get("failed"):
        print(f"warning: {name} stored {run.get('stored')} of {articles} articles", file=sys.stderr)
if again.get("already_stored") != articles:
    print(f"warning: the second run skipped {again.get('already_stored')} of {articles}", file=sys.stderr)
def rates(run):
    return {
        "articles_per_s_wall": round(articles / run["wall_s"], 1),
        "articles_per_s_ingest": run["articles_per_s"],
        "cpu_ms_per_article": round(1000 * run["cpu_s"] / articles, 2),
        "mentions_per_s_wall": round(run["mentions"] / run["wall_s"], 1),
        "new_events_per_s_wall": round(run["new_events"] / run["wall_s"], 1),
    }
print(json.dumps({
    "articles": articles, "threads": threads,
    "threads_1": {**one, **rates(one)},
    f"threads_{threads}": {**all_, **rates(all_)},
    "scaling": round(one["wall_s"] / all_["wall_s"], 2),
    "db_mb_per_1000_articles": round(all_["db_mb"] / articles * 1000, 1),
    "again": {**again, "articles_per_s_wall": round(articles / again["wall_s"], 1)},
    "annotate_until_code": {**annotate, "articles_per_s_wall": round(articles / annotate["wall_s"], 1),
                            "cpu_ms_per_article": round(1000 * annotate["cpu_s"] / articles, 2),
                            "events": annotate_events, "json_mb": annotate_mb},
    "ingest_1_thread_vs_annotate": round(one["wall_s"] / annotate["wall_s"], 3),
}, indent=1))
PY
