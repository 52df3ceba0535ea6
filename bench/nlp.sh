#!/usr/bin/env bash
# Speed of the NLP stage (tokenize, split, tag, lemmatise, parse, NER) against spaCy's small
# English pipeline, one thread each, on the same raw text: EWT test repeated 8 times.
#
#   bench/nlp.sh
#
# Needs ../shared/data/ud-english-ewt and a Python venv with spaCy and en-core-web-sm at
# ../.venv-spacy (or SPACY_PY naming its Python): see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${SPACY_PY:-$root/../.venv-spacy/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root/../shared/data/ud-english-ewt/en_ewt-ud-test.conllu" "$work/text.txt" <<'PY'
import sys
paragraphs, current = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith(("# newpar", "# newdoc")) and current:
        paragraphs.append(" ".join(current))
        current = []
    elif line.startswith("# text = "):
        current.append(line[len("# text = "):].rstrip("\n"))
if current:
    paragraphs.append(" ".join(current))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("\n\n".join(paragraphs * 8) + "\n")
PY
cargo build --release -p dateline_cli
dateline="$root/target/release/dateline"

# Load time: the models alone, on an empty input.
start=$(date +%s.%N)
printf "Hi." | "$dateline" annotate --from text --format conllu - > /dev/null
load=$(python3 -c "print(round($(date +%s.%N) - $start, 3))")

start=$(date +%s.%N)
"$dateline" annotate --from text --format conllu "$work/text.txt" > "$work/out.conllu"
total=$(python3 -c "print(round($(date +%s.%N) - $start, 3))")
tokens=$(grep -cE '^[0-9]+	' "$work/out.conllu")
entities=$(grep -c 'NE=B-' "$work/out.conllu" || true)
echo "{\"system\": \"dateline $("$dateline" --version | awk '{print $2}')\", \"tokens\": $tokens, \"entities\": $entities, \"load_s\": $load, \"total_s\": $total, \"tokens_per_s\": $(python3 -c "print(round($tokens / ($total - $load)))"), \"tokens_per_s_with_load\": $(python3 -c "print(round($tokens / $total))")}"

if [ -x "$python" ]; then
  "$python" bench/nlp_speed.py "$work/text.txt"
else
  echo "no spaCy venv at $python: skipped the peer" >&2
fi
