#!/usr/bin/env python3
"""Distinct copies of the article-extraction-benchmark pages, for the ingest and API benches.

    bench/bench_pages.py HTML_DIR OUT_DIR ROUNDS [CLEAN_JSONL]

Writes OUT_DIR/rK/<item>.html for every round K (0 to ROUNDS-1) and every page of HTML_DIR
(`<item>.html.gz`). Round 0 is the page as is, plus its marks; round K > 0 is the same page
made into another article, so that `dateline ingest` stores it instead of skipping it:

- a canonical link of its own (`https://bench.dateline.invalid/rK/<item>`) first in `<head>`,
  and an HTML comment naming the copy: another URL;
- one more sentence naming the copy, at the end of a paragraph of the article's text (found in
  CLEAN_JSONL, the output of `dateline annotate --until clean HTML_DIR`, when given; else
  the page's longest `<p>`): another text;
- every ISO date of the page (`2019-11-19`, JSON-LD and meta tags) moved 2*K days later:
  another publication date, so its events are new events rather than more mentions of
  round 0's (events merge within a day).

With DATELINE naming the dateline binary, the pages whose added sentence does not reach the
text `dateline annotate --until clean` extracts are left out of every round (each round must
be new articles for `dateline ingest`).
"""

import datetime
import gzip
import json
import os
import re
import subprocess
import sys

ISO_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])(?![0-9])")
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
PARAGRAPH = re.compile(r"<p\b[^>]*>((?:(?!</?p\b).)*?)</p\s*>", re.IGNORECASE | re.DOTALL)
SCRIPT = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def shift_dates(html, days):
    if days == 0:
        return html

    def shifted(match):
        try:
            day = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return match.group(0)
        return (day + datetime.timedelta(days=days)).isoformat()

    return ISO_DATE.sub(shifted, html)


def anchor(html, paragraphs):
    """The end of a paragraph of the extracted text in the page, outside scripts: the place
    for the added sentence to land in the text."""
    scripts = [m.span() for m in SCRIPT.finditer(html)]
    for paragraph in sorted(paragraphs, key=len, reverse=True):
        for width in (40, 25, 15):
            tail = paragraph[-width:]
            if len(tail) < width or not re.fullmatch(r"[A-Za-z0-9 ,.;:!?()-]+", tail):
                continue
            # In text content (not in an attribute such as a meta description), last first.
            for found in reversed(list(re.finditer(re.escape(tail), html))):
                in_text = html.rfind("<", 0, found.start()) < html.rfind(">", 0, found.start())
                if in_text and not any(a <= found.start() < b for a, b in scripts):
                    return found.end()
    return None


def copy(html, item, round_, paragraphs):
    url = f"https://bench.dateline.invalid/r{round_}/{item}"
    marks = f'<!-- dateline bench copy {round_} of {item} --><link rel="canonical" href="{url}">'
    head = HEAD.search(html)
    html = html[: head.end()] + marks + html[head.end() :] if head else marks + html
    at = anchor(html, paragraphs)
    # Else the longest paragraph outside scripts and styles: the article's, on a news page.
    scripts = [m.span() for m in SCRIPT.finditer(html)]
    paragraphs = [m for m in PARAGRAPH.finditer(html) if not any(a <= m.start() < b for a, b in scripts)]
    longest = max(paragraphs, key=lambda m: len(TAG.sub("", m.group(1))), default=None)
    added = (
        f" This is copy {round_} of the report, number {item[:8]}, kept by the desk for its "
        f"archive of round {round_}."
    )
    if at is not None:
        html = html[:at] + added + html[at:]
    elif longest:
        end = longest.start(1) + len(longest.group(1))
        html = html[:end] + added + html[end:]
    else:
        body_end = html.lower().rfind("</body")
        html = html[:body_end] + added + html[body_end:] if body_end >= 0 else html + added
    return shift_dates(html, 2 * round_)


def main():
    source, out, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    texts = {}
    if len(sys.argv) > 4:
        for line in open(sys.argv[4], encoding="utf-8"):
            record = json.loads(line)
            name = os.path.basename(record.get("source", {}).get("uri", ""))
            text = record.get("text") or ""
            texts[name[: -len(".html.gz")]] = [p for p in text.split("\n\n") if p.strip()]
    pages = []
    for name in sorted(os.listdir(source)):
        if name.endswith(".html.gz"):
            with gzip.open(os.path.join(source, name), "rt", encoding="utf-8", errors="replace") as file:
                pages.append((name[: -len(".html.gz")], file.read()))
    for round_ in range(rounds):
        directory = os.path.join(out, f"r{round_:03}")
        os.makedirs(directory, exist_ok=True)
        for item, html in pages:
            with open(os.path.join(directory, f"{item}.html"), "w", encoding="utf-8") as file:
                file.write(copy(html, item, round_, texts.get(item, [])))
    kept = len(pages)
    dateline = os.environ.get("DATELINE")
    if dateline:
        # Pages whose added sentence did not reach the extracted text would be skipped as
        # stored already: leave them out of every round.
        lost = set()
        for round_ in range(rounds):
            directory = os.path.join(out, f"r{round_:03}")
            run = subprocess.run([dateline, "annotate", "--until", "clean", directory], capture_output=True, text=True)
            for line in run.stdout.splitlines():
                record = json.loads(line)
                if f"This is copy {round_} of" not in (record.get("text") or ""):
                    lost.add(os.path.basename(record["source"]["uri"]))
        for round_ in range(rounds):
            for name in lost:
                path = os.path.join(out, f"r{round_:03}", name)
                if os.path.exists(path):
                    os.remove(path)
        kept -= len(lost)
        print(f"left out {len(lost)} pages whose added sentence is not in the extracted text", file=sys.stderr)
    print(f"{kept * rounds} pages ({kept} x {rounds} rounds) in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
