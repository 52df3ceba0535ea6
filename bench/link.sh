#!/usr/bin/env bash
# Cost of the link stage (actors, places, times, quotes, tone) over the NLP stage, and of the
# code stage (events) over the link stage: the same documents annotated `--until nlp`,
# `--until link` and `--until code`, one thread, JSON out in every run. The coder's own speed
# is the number of sentences over the time `--until code` adds to `--until link`.
# The documents are EWT test's documents (news, reviews, e-mail, blogs) repeated 8 times, as
# JSON Lines, so each is linked as an article of its own. Each figure is the best of 5 runs.
#
#   bench/link.sh
#
# Needs ../shared/data/ud-english-ewt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root/../shared/data/ud-english-ewt/en_ewt-ud-test.conllu" "$work/docs.jsonl" <<'PY'
import json, sys
docs, paragraphs, current = [], [], []
def close_paragraph():
    global current
    if current:
        paragraphs.append(" ".join(current))
        current = []
def close_doc():
    global paragraphs
    close_paragraph()
    if paragraphs:
        docs.append("\n\n".join(paragraphs))
        paragraphs = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("# newdoc"):
        close_doc()
    elif line.startswith("# newpar"):
        close_paragraph()
    elif line.startswith("# text = "):
        current.append(line[len("# text = "):].rstrip("\n"))
close_doc()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for round_ in range(8):
        for index, text in enumerate(docs):
            out.write(json.dumps({"id": f"ewt-{round_}-{index}", "text": text, "published": "2019-02-27"}) + "\n")
PY
cargo build --release -p dateline_cli
dateline="$root/target/release/dateline"
documents=$(wc -l < "$work/docs.jsonl")

# The best of 5 runs of a command, in seconds.
best_of_5() {
  local best=
  for _ in 1 2 3 4 5; do
    local start
    start=$(date +%s.%N)
    "$@"
    local took
    took=$(python3 -c "print(round($(date +%s.%N) - $start, 3))")
    best=$(python3 -c "print(min(${best:-$took}, $took))")
  done
  echo "$best"
}
annotate() {
  "$dateline" annotate --jsonl --until "$1" "$work/docs.jsonl" > "$work/out-$1.jsonl"
}
# Start-up alone: loading the models (and, for link, the dictionaries and gazetteer).
annotate_nothing() {
  echo '{"id": "x", "text": "Hi."}' | "$dateline" annotate --jsonl --until "$1" > /dev/null
}
run() {
  best_of_5 annotate "$1"
}
startup() {
  best_of_5 annotate_nothing "$1"
}
nlp_load=$(startup nlp)
link_load=$(startup link)
code_load=$(startup code)
nlp=$(run nlp)
link=$(run link)
code=$(run code)
python3 - "$work/out-link.jsonl" "$documents" "$nlp" "$link" "$nlp_load" "$link_load" "$code" "$code_load" "$work/out-code.jsonl" <<'PY'
import json, sys
path, documents = sys.argv[1], int(sys.argv[2])
nlp, link, nlp_load, link_load, code, code_load = map(float, sys.argv[3:9])
events = sentences = 0
for line in open(sys.argv[9], encoding="utf-8"):
    record = json.loads(line)
    events += len(record["events"])
    sentences += len(record["sentences"])
coder_s = (code - code_load) - (link - link_load)
counts = {"entities": 0, "coded": 0, "places": 0, "times": 0, "quotes": 0}
for line in open(path, encoding="utf-8"):
    record = json.loads(line)
    counts["entities"] += len(record["entities"])
    counts["coded"] += sum(1 for e in record["entities"] if e.get("actor"))
    for layer in ("places", "times", "quotes"):
        counts[layer] += len(record[layer])
print(json.dumps({
    "documents": documents, **counts,
    "nlp_s": nlp, "link_s": link, "nlp_load_s": nlp_load, "link_load_s": link_load,
    "link_adds_percent": round(100 * (link - nlp) / nlp, 1),
    "link_adds_percent_after_load": round(100 * ((link - link_load) - (nlp - nlp_load)) / (nlp - nlp_load), 1),
    "code_s": code, "code_load_s": code_load, "sentences": sentences, "events": events,
    "coder_sentences_per_s": round(sentences / coder_s) if coder_s > 0 else None,
}))
PY
