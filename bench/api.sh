#!/usr/bin/env bash
# Latency of `dateline serve` under a steady load on loopback, with wrk.
#
#   bench/api.sh [ROUNDS]     # default 14 rounds of the bench pages
#
# 1. Fills a database: the demo corpus (`dateline demo --db`), then ROUNDS distinct copies of
#    the 181 pages of ../shared/data/article-extraction-benchmark (bench/bench_pages.py)
#    through `dateline ingest`.
# 2. Serves it (`dateline serve --db DB --addr 127.0.0.1:PORT`) and loads it with wrk and a
#    Lua script that mixes the dashboard's requests (weights in bench/api_mix.lua): /api/events
#    without and with filters (root, actor, since), /api/events/{id}, /api/articles/{id},
#    /api/search, /api/timeline, /api/map, /api/network, /api/stats; ids, actors and dates are
#    drawn from the database. 4 and 32 connections, DURATION seconds each (default 20).
# 3. wrk's latency distribution is the mix's, so each kind of request is then loaded alone
#    (4 connections, ENDPOINT_DURATION seconds each, default 5): its own p50/p90/p99.
#
# Prints one JSON object per run (requests/s, p50/p90/p99/max in ms, non-2xx, socket errors).
# KEEP_DB=path keeps the database. Installs wrk (Debian package) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-14}
duration=${DURATION:-20}
endpoint_duration=${ENDPOINT_DURATION:-5}
port=${PORT:-18787}
pages="$root/../shared/data/article-extraction-benchmark/html"
[ -d "$pages" ] || { echo "no pages at $pages" >&2; exit 2; }
if ! command -v wrk > /dev/null; then
  apt-get update && apt-get install -y wrk
fi
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release -p dateline_cli
dateline="${CARGO_TARGET_DIR:-$root/target}/release/dateline"
db="$work/api.db"
"$dateline" demo --db "$db" > /dev/null
"$dateline" annotate --until clean "$pages" > "$work/clean.jsonl"
DATELINE="$dateline" python3 "$root/bench/bench_pages.py" "$pages" "$work/pages" "$rounds" "$work/clean.jsonl"
"$dateline" ingest --db "$db" "$work/pages"
rm -rf "$work/pages"
if [ -n "${KEEP_DB:-}" ]; then cp "$db" "$KEEP_DB"; fi

"$dateline" serve --db "$db" --addr "127.0.0.1:$port" 2> "$work/serve.log" &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do
  curl -fsS "$base/api/stats" > /dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$base/api/stats" > "$work/stats.json"

# What the requests draw from: event and article ids, busy actors, dates, search words.
python3 - "$base" "$work/draw.lua" <<'PY'
import json, sys, urllib.request
base, out = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(base + path))
events = get("/api/events?limit=1000&sort=-mentions")["events"]
events += get("/api/events?limit=1000")["events"]
event_ids = sorted({event["id"] for event in events})
articles = get("/api/articles?limit=1000")["articles"]
article_ids = sorted({article["id"] for article in articles})
actors = [node["id"] for node in sorted(get("/api/network?limit=200")["nodes"], key=lambda n: -n["events"])][:20]
dates = sorted({event["date"] for event in events if event.get("date")})
since = [dates[len(dates) * k // 10] for k in range(1, 10)]
words = ["government", "president", "police", "minister", "trade", "court", "election", "talks",
         "sanctions", "company", "market", "war"]
lua = lambda values: "{" + ", ".join(json.dumps(v) for v in values) + "}"
with open(out, "w") as file:
    file.write(f"event_ids = {lua(event_ids)}\narticle_ids = {lua(article_ids)}\nactors = {lua(actors)}\n"
               f"since = {lua(since)}\nwords = {lua(words)}\n")
PY
cat "$root/bench/api_mix.lua" >> "$work/draw.lua"

# One wrk run; KIND="" is the mix, else only that kind of request.
load() {
  local connections=$1 seconds=$2 kind=$3
  KIND="$kind" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$work/draw.lua" "$base" \
    > "$work/wrk.txt" 2>&1
  local json
  json=$(grep '^{' "$work/wrk.txt" | tail -1)
  echo "{\"connections\": $connections, \"kind\": \"${kind:-mix}\", ${json#\{}"
}

echo "database: $(cat "$work/stats.json")"
echo "size_mb: $(python3 -c "import os; print(round(os.path.getsize('$db') / 1e6, 1))")"
load 4 "$duration" ""
load 32 "$duration" ""
for kind in events events_root events_actor events_since event article search timeline map network stats; do
  load 4 "$endpoint_duration" "$kind"
done
