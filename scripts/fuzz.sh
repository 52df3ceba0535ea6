#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo fuzz) of every parser of outside input:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    # each target for SECONDS (default 20); all targets
#                                             # when none is named
#   scripts/fuzz.sh --replay                  # only re-run fuzz/regressions (every crash found)
#   scripts/fuzz.sh --ci                      # the regressions, then a fixed number of inputs
#                                             # per target from a fixed seed: the same inputs on
#                                             # every run, so a pass or a failure is repeatable
#
# Targets (fuzz/fuzz_targets): ingest_auto html_clean text_clean warc feed jsonl conllu
# petrarch_dictionaries user_dictionaries times pipeline api_query.
#
# Seeds are made from the project's own files (samples, test data, the built-in dictionaries,
# the command line's own CoNLL-U output) in fuzz/corpus/TARGET, which grows from run to run
# and is not committed; PETRARCH dictionaries from ../shared/data seed their target when
# present. api_query queries a database ingested from samples/demo. Each run stops at the
# first crash, hang (an input over 10 s) or memory blow-up (over 2 GiB), saves the input in
# fuzz/artifacts/TARGET and exits non-zero; a crash that is fixed gets its input copied to
# fuzz/regressions/TARGET and a unit test of its own, and every run replays the regressions
# first. Needs cargo-fuzz (installed here when missing) and a nightly toolchain, or the stable
# one with RUSTC_BOOTSTRAP=1, which this script sets when no nightly is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

replay_only=false
ci=false
seconds=20
if [ "${1:-}" = "--replay" ]; then
  replay_only=true
  shift
elif [ "${1:-}" = "--ci" ]; then
  ci=true
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
all=(ingest_auto html_clean text_clean warc feed jsonl conllu petrarch_dictionaries user_dictionaries times pipeline api_query)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! command -v cargo-fuzz >/dev/null; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked --version 0.13.2
fi
toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
fuzz() { (cd "$root/fuzz" && cargo "${toolchain[@]}" fuzz "$@"); }

echo "== building the fuzz targets (libFuzzer, debug assertions on)"
fuzz build --sanitizer none --debug-assertions

corpus=$root/fuzz/corpus
seed() { # seed TARGET FILE...
  mkdir -p "$corpus/$1"
  local target=$1
  shift
  for file in "$@"; do
    [ -f "$file" ] && cp "$file" "$corpus/$target/seed-$(basename "$file")"
  done
  return 0
}
dateline=${CARGO_TARGET_DIR:-$root/target}/release/dateline
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! $replay_only; then
  echo "== seeds"
  cargo build --release --locked -p dateline_cli
  html=(samples/demo/html/*.html samples/news/*.html crates/dateline_cli/tests/data/*.html crates/dateline_cli/tests/data/hostile/*.html)
  texts=(samples/demo/text/*.txt samples/news/*.txt)
  seed ingest_auto "${html[@]:0:6}" "${texts[@]:0:4}" samples/news/feed.rss
  seed html_clean "${html[@]}"
  seed text_clean "${texts[@]}"
  seed feed samples/news/feed.rss
  seed pipeline "${texts[@]:0:8}"
  # A WARC of a few demo pages, and JSONL records of a few demo texts.
  python3 - "$corpus" "${html[@]:0:3}" <<'EOF'
import json, os, sys
corpus, pages = sys.argv[1], sys.argv[2:]
os.makedirs(f"{corpus}/warc", exist_ok=True)
os.makedirs(f"{corpus}/jsonl", exist_ok=True)
out = b""
for number, page in enumerate(pages):
    body = open(page, "rb").read()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{number:08d}-0000-0000-0000-000000000000>\r\n"
            f"WARC-Target-URI: https://example.org/{number}\r\nWARC-Date: 2024-03-0{number + 1}T10:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    out += head + http + b"\r\n\r\n"
open(f"{corpus}/warc/seed-pages.warc", "wb").write(out)
records = [{"id": f"r{n}", "url": f"https://example.org/{n}", "title": "Talks", "published": "2024-03-04",
            "text": "Officials met in Hanoi on Monday.\n\nThey agreed to talk again."} for n in range(3)]
records.append({"id": "h", "html": "<html><body><article><p>Troops attacked the town.</p></article></body></html>"})
open(f"{corpus}/jsonl/seed-records.jsonl", "w").write("".join(json.dumps(r) + "\n" for r in records))
EOF
  mkdir -p "$corpus/conllu" "$corpus/times" "$corpus/api_query"
  "$dateline" annotate --format conllu "${texts[0]}" > "$corpus/conllu/seed-annotate.conllu"
  cut -f1 crates/dateline_link/tests/data/times.tsv | head -200 | awk '{ printf "%c%s", 200, $0 > (dir "/seed-" NR) }' dir="$corpus/times"
  seed user_dictionaries resources/actors/*.tsv
  shared=$root/../shared/data/event-coding
  if [ -d "$shared" ]; then
    seed petrarch_dictionaries $(find "$shared" -name '*.txt' -size -200k | head -12)
  else
    seed petrarch_dictionaries resources/actors/roles.tsv
  fi
  n=0
  for query in "actor=USA&since=2024-01-01" "source=RUS&target=UKR&quad=4&sort=date&limit=5" "q=talks&offset=10" \
    "country=VNM&root=04&plover=CONSULT" "since=2024-13-45" "limit=-1" "sort=%27%3B" "text=%22%00"; do
    n=$((n + 1))
    printf '%s' "$query" > "$corpus/api_query/seed-$n"
  done
  db=$work/demo.db
  "$dateline" ingest samples/demo --db "$db" --quiet
  export DATELINE_FUZZ_DB=$db
fi

failed=()
for target in "${targets[@]}"; do
  if [ -d "$root/fuzz/regressions/$target" ]; then
    echo "== $target: replaying fuzz/regressions/$target"
    fuzz run --sanitizer none --debug-assertions "$target" "$root/fuzz/regressions/$target" -- -runs=0 \
      || { failed+=("$target (regression)"); continue; }
  fi
  $replay_only && continue
  # About 10 s of inputs per target on an idle 2-core machine.
  case $target in
    pipeline) runs=250 ;;
    petrarch_dictionaries) runs=1500 ;;
    ingest_auto | html_clean | text_clean | warc) runs=3000 ;;
    *) runs=30000 ;;
  esac
  if $ci; then
    limit=(-seed=1 -runs=$runs)
    echo "== $target: $runs inputs from seed 1"
  else
    limit=(-max_total_time="$seconds")
    echo "== $target: ${seconds} s"
  fi
  mkdir -p "$corpus/$target"
  log=$work/$target.log
  # Inputs are kept small enough for thousands of runs a second; the seeds are cut to fit.
  case $target in
    api_query | times) max_len=1024 ;;
    conllu | petrarch_dictionaries | user_dictionaries | pipeline) max_len=4096 ;;
    *) max_len=16384 ;;
  esac
  if fuzz run --sanitizer none --debug-assertions "$target" "$corpus/$target" -- -max_len=$max_len \
    "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | tr '\n' ' '
    echo
  else
    tail -40 "$log"
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found a failure in: ${failed[*]} (inputs in fuzz/artifacts)" >&2
  exit 1
fi
