#!/usr/bin/env bash
# Fault injection on `dateline ingest`:
#
#   scripts/faults.sh [KILLS]     # default 100
#
# 1. kill -9 at random points: ingest the demo corpus (samples/demo, 50 articles) again and
#    again into one database, each run SIGKILLed after a random delay (0 to 1.2 times an
#    uninterrupted run's duration), until a run completes; then a new database, until KILLS
#    kills are done. After every kill the database must open, pass `dateline stats --check`
#    (SQLite's integrity check and the store's consistency check) and hold exactly what the
#    committed batches logged (articles = the sum of the runs' logged articles); after the
#    completing run it must hold what an uninterrupted ingest stores: the same articles and
#    the same events with the same counts, no duplicates.
# 2. disk full: an ingest into a 256 KiB file system fails with a clear error, leaves a sound
#    database, and completes once there is room.
# 3. read-only: an ingest into a database on a read-only file system fails with a clear
#    error; the database can still be queried.
# Parts 2 and 3 mount tmpfs file systems and need root; without it they are skipped, said so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
kills=${1:-100}
cargo build --release --locked -p dateline_cli
dateline=${CARGO_TARGET_DIR:-$root/target}/release/dateline
corpus=$root/samples/demo
work=$(mktemp -d)
mounted=()
cleanup() {
  for point in "${mounted[@]}"; do umount "$point" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The articles, events (with their counts) and run log of a database, as comparable text.
summary() {
  python3 - "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
if not db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles'").fetchone()[0]:
    print("articles 0 distinct 0 logged 0")  # killed before the schema was made
    print("events 0 mentions 0")
    sys.exit()
articles = db.execute("SELECT count(*), count(DISTINCT text_hash) FROM articles").fetchone()
logged = db.execute("SELECT coalesce(sum(articles), 0) FROM runs").fetchone()[0]
events = sorted((tuple("" if v is None else v for v in row) for row in db.execute(
    "SELECT date, source, target, cameo, place_name, num_mentions, num_articles, num_sources FROM events")), key=str)
print(f"articles {articles[0]} distinct {articles[1]} logged {logged}")
print(f"events {len(events)} mentions {db.execute('SELECT count(*) FROM mentions').fetchone()[0]}")
for event in events:
    print(*event, sep="\t")
EOF
}

check() { # check DB WHAT: sound, and holding exactly what its runs logged
  if ! "$dateline" stats --db "$1" --check --format json >"$work/check.json" 2>"$work/check.err"; then
    echo "FAIL after $2: the database is not sound:" >&2
    cat "$work/check.json" "$work/check.err" >&2
    exit 1
  fi
  local line
  summary "$1" >"$work/summary.txt"
  line=$(head -1 "$work/summary.txt")
  read -r _ articles _ distinct _ logged <<<"$line"
  if [ "$articles" != "$logged" ] || [ "$articles" != "$distinct" ]; then
    echo "FAIL after $2: $line (stored articles must equal the committed batches' log, with no duplicate)" >&2
    exit 1
  fi
}

echo "== reference: an uninterrupted ingest"
start=$(date +%s%N)
"$dateline" ingest "$corpus" --db "$work/reference.db" --quiet
duration_ms=$((($(date +%s%N) - start) / 1000000))
summary "$work/reference.db" >"$work/reference.txt"
echo "$(head -2 "$work/reference.txt" | tr '\n' ' ')in ${duration_ms} ms"

echo "== kill -9 at random points: $kills kills"
done_kills=0
chains=0
completed_runs=0
while [ "$done_kills" -lt "$kills" ]; do
  chains=$((chains + 1))
  db=$work/chain-$chains.db
  while true; do
    delay_ms=$((RANDOM * 32768 + RANDOM))
    delay_ms=$((delay_ms % (duration_ms * 12 / 10 + 1)))
    "$dateline" ingest "$corpus" --db "$db" --quiet --batch 4 2>"$work/ingest.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      done_kills=$((done_kills + 1))
      [ -f "$db" ] && check "$db" "kill $done_kills (at $delay_ms ms)"
    else
      # The run ended before the kill: it must have succeeded, and stored what the
      # reference stores.
      if ! wait "$pid"; then
        echo "FAIL: a run after a kill did not complete:" >&2
        cat "$work/ingest.err" >&2
        exit 1
      fi
      completed_runs=$((completed_runs + 1))
      check "$db" "completion of chain $chains"
      summary "$db" | sed 's/ logged [0-9]*//' >"$work/got.txt"
      if ! diff <(sed 's/ logged [0-9]*//' "$work/reference.txt") "$work/got.txt" >"$work/diff.txt"; then
        echo "FAIL: chain $chains, completed after kills, differs from the uninterrupted ingest:" >&2
        head -20 "$work/diff.txt" >&2
        exit 1
      fi
      break
    fi
  done
done
echo "ok: $done_kills kills over $chains databases; after every kill the database was sound and held exactly its committed batches; $completed_runs completing runs stored what an uninterrupted ingest stores"

if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=256k tmpfs "$(mkdir -p "$work/small" && echo "$work/small")" 2>/dev/null; then
  echo "== disk full and read-only: skipped (mounting a tmpfs needs root)"
  exit 0
fi
mounted+=("$work/small")

refused() { # refused DB PATTERN WHAT: an ingest into DB fails, with an error matching PATTERN
  if "$dateline" ingest "$corpus" --db "$1" --quiet 2>"$work/refused.err"; then
    echo "FAIL: an ingest succeeded where $3" >&2
    exit 1
  fi
  if ! grep -qiE "$2" "$work/refused.err"; then
    echo "FAIL: the error does not say $3:" >&2
    cat "$work/refused.err" >&2
    exit 1
  fi
  echo "error: $(head -1 "$work/refused.err")"
}

echo "== disk full: ingest into a 256 KiB file system"
db=$work/small/full.db
refused "$db" "full" "the disk is full"
check "$db" "a full disk"
mount -o remount,size=64m "$work/small"
"$dateline" ingest "$corpus" --db "$db" --quiet
check "$db" "the run after the disk was full"
if ! diff <(sed 's/ logged [0-9]*//' "$work/reference.txt") <(summary "$db" | sed 's/ logged [0-9]*//') >/dev/null; then
  echo "FAIL: the run after the disk was full stored something else than an uninterrupted ingest" >&2
  exit 1
fi
echo "ok: the database stayed sound and the next run completed"

echo "== read-only: ingest into a database on a read-only file system"
mount -o remount,ro "$work/small"
refused "$db" "read-only|readonly" "the database is read-only"
if ! "$dateline" events --db "$db" --limit 3 >/dev/null 2>"$work/ro-query.err"; then
  echo "FAIL: a database on a read-only file system cannot be queried:" >&2
  cat "$work/ro-query.err" >&2
  exit 1
fi
echo "ok: the database on read-only media is refused for writing and still answers queries"
