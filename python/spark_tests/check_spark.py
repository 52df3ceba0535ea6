"""The Spark job against the command line: the same corpus through `dateline ingest --threads 1`
+ `dateline export --format gdelt` and through `python -m dateline.spark` (Spark local mode),
and every event column (DATEADDED aside), article id, copy left out and error compared.

    python check_spark.py WORKDIR [--master local[2]]

The corpus is made in WORKDIR from the repository's samples/demo: the 50 sample reports, an
exact copy of one page under another name (a copy both must leave out), a WARC archive of
three more pages (per-record gzip), a file that is not what its name says (an error record
both must give, naming it) and an image (both skip it). Then the same pages as a JSON Lines
table (id, url, html) through the job's table input, against `dateline ingest` of the same
file. DATELINE_BIN is the command line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATEADDED = 59


def warc_record(uri: str, body: bytes, number: int) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)
    http += body
    header = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        "WARC-Date: 2025-01-20T10:00:00Z\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(header + http + b"\r\n\r\n")


def make_corpus(work: Path) -> Path:
    corpus = work / "corpus"
    shutil.copytree(ROOT / "samples" / "demo", corpus)
    pages = sorted((corpus / "html").glob("*.html"))
    # An exact copy: the same text, so the same fingerprint.
    shutil.copy(pages[0], corpus / "html" / "99-copy-of-the-first.html")
    archive = corpus / "crawl"
    archive.mkdir()
    with open(archive / "crawl-00000.warc.gz", "wb") as out:
        out.writelines(
            warc_record(f"https://wire.example/crawl/{page.stem}", page.read_bytes(), number)
            for number, page in enumerate(pages[1:4])
        )
    (archive / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00 this is not gzip data at all")
    (archive / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not news")
    return corpus


def make_table(work: Path, corpus: Path) -> Path:
    table = work / "table" / "articles.jsonl"
    table.parent.mkdir()
    with open(table, "w") as out:
        for page in sorted((corpus / "html").glob("*.html"))[:20]:
            record = {"id": page.stem, "url": f"https://wire.example/{page.stem}", "html": page.read_text()}
            out.write(json.dumps(record) + "\n")
    return table


def ingest(dateline: str, inputs: list[Path], db: Path) -> tuple[list[list[str]], list[tuple], list[tuple]]:
    started = time.monotonic()
    run = subprocess.run(
        [dateline, "ingest", *map(str, inputs), "--db", str(db), "--threads", "1", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):
        sys.exit(f"dateline ingest failed ({run.returncode}): {run.stderr}")
    export = subprocess.run(
        [dateline, "export", "--format", "gdelt", "--db", str(db)], capture_output=True, text=True, check=True
    )
    print(f"  dateline ingest + export: {time.monotonic() - started:.1f} s", file=sys.stderr)
    events = [line.split("\t") for line in export.stdout.splitlines()]
    with sqlite3.connect(db) as connection:
        articles = connection.execute(
            "SELECT id, input, url, title, published, source_name, text_hash FROM articles ORDER BY id"
        ).fetchall()
        failures = connection.execute("SELECT input, message FROM failures ORDER BY id").fetchall()
    return events, articles, failures


def spark(inputs: list[Path], output: Path, master: str, *extra: str) -> None:
    started = time.monotonic()
    command = [sys.executable, "-m", "dateline.spark", *map(str, inputs), "--output", str(output)]
    # A handful of shuffle partitions suits a corpus this small (Spark's default is 200).
    settings = ["--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.ui.enabled=false"]
    run = subprocess.run([*command, "--master", master, *settings, *extra], capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit(f"the Spark job failed ({run.returncode}):\n{run.stderr[-6000:]}")
    summary = [line for line in run.stderr.splitlines() if line.startswith("dateline.spark:")]
    print(f"  {summary[-1] if summary else run.stderr[-2000:]}", file=sys.stderr)
    print(f"  Spark job (JVM start included): {time.monotonic() - started:.1f} s", file=sys.stderr)


def read_parquet(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def compare(name: str, ingested, output: Path, *, inputs: bool = True) -> list[str]:
    """The differences between ingest's database and export and the job's output."""
    from dateline import GDELT_COLUMNS

    events, articles, failures = ingested
    problems: list[str] = []
    spark_events = [[row[column] for column in GDELT_COLUMNS] for row in read_parquet(output / "events")]
    # The export is ordered by date, then id; so is the job's output.
    if len(spark_events) != len(events):
        problems.append(f"{name}: {len(spark_events)} events from Spark, {len(events)} from ingest")
    for ours, theirs in zip(spark_events, events):
        differing = [
            f"{GDELT_COLUMNS[index]}: spark {a!r} != ingest {b!r}"
            for index, (a, b) in enumerate(zip(ours, theirs))
            if index != DATEADDED and a != b
        ]
        if differing:
            problems.append(f"{name}: event {theirs[0]}: " + "; ".join(differing))
    spark_articles = [
        (row["id"], row["input"], row["url"], row["title"], row["published"], row["source_name"], row["text_hash"])
        for row in read_parquet(output / "articles")
    ]
    if not inputs:
        # A table row has no file of its own: ingest names it `file#line`, the job by its id.
        spark_articles = [row[:1] + row[2:] for row in spark_articles]
        articles = [row[:1] + row[2:] for row in articles]
    if spark_articles != articles:
        missing = set(articles) - set(spark_articles)
        extra = set(spark_articles) - set(articles)
        problems.append(
            f"{name}: articles differ: only in ingest {sorted(missing)[:3]}, only in Spark {sorted(extra)[:3]}"
        )
    spark_errors = sorted(row["input"] for row in read_parquet(output / "errors"))
    if spark_errors != sorted(input for input, _ in failures):
        problems.append(f"{name}: errors differ: Spark {spark_errors}, ingest {[input for input, _ in failures]}")
    print(
        f"  {name}: {len(events)} events ({sum(int(event[31]) for event in events)} mentions), "
        f"{len(articles)} articles, {len(failures)} errors compared",
        file=sys.stderr,
    )
    return problems


def check_copy_groups(master: str) -> list[str]:
    """The job's copy step against `claim` over all articles in storing order, on keys that
    chain articles together (1-2 share a URL, 2-3 a text, 3-4 a URL, 7 the text of 1)."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import dateline
    from dateline import spark as job

    rows = [
        (1, ["h1", "url:a"]),
        (2, ["h2", "url:a"]),
        (3, ["h2", "url:c"]),
        (4, ["h4", "url:c"]),
        (5, ["h5"]),
        (6, ["h6", "url:x"]),
        (7, ["h1"]),
    ]
    session = (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        frame = session.createDataFrame(rows, "seq BIGINT, claim_keys ARRAY<STRING>")
        keys = frame.select("seq", F.explode("claim_keys").alias("key"))
        shared = keys.groupBy("key").count().where(F.col("count") > 1).select("key")
        groups = job._components(keys.join(keys.join(shared, "key").select("seq").distinct(), "seq"), F)
        decided = job._apply_in_arrow(
            groups.join(frame, "seq").groupBy("component"), job._claim_group, "seq BIGINT, kept BOOLEAN"
        )
        kept = {row.seq: row.kept for row in decided.collect()}
    finally:
        session.stop()
    expected = dict(zip((seq for seq, _ in rows), dateline.claim([keys for _, keys in rows])))
    got = {seq: kept.get(seq, True) for seq, _ in rows}
    print(f"  copies: {sum(not k for k in got.values())} of {len(rows)} articles left out", file=sys.stderr)
    return [] if got == expected else [f"copies: the job keeps {got}, claim {expected}"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    dateline = os.environ.get("DATELINE_BIN") or "dateline"
    work = args.work.resolve()
    problems: list[str] = []

    print("== copies chained by shared keys: the job's groups against claim", file=sys.stderr)
    problems += check_copy_groups(args.master)

    print("== files: samples/demo, a copy, a WARC, a broken file, an image", file=sys.stderr)
    corpus = make_corpus(work)
    ingested = ingest(dateline, [corpus], work / "files.db")
    spark([corpus], work / "files-out", args.master)
    problems += compare("files", ingested, work / "files-out")
    events = ingested[0]
    if not any(int(event[33]) > 1 for event in events):
        problems.append("files: no event is reported by two articles: the corpus does not test the merge")
    if not ingested[2]:
        problems.append("files: the broken file gave no error")
    errors = read_parquet(work / "files-out" / "errors")
    if not any(row["input"].endswith("broken.html.gz") and row["error"] for row in errors):
        problems.append(f"files: no error record names broken.html.gz: {errors}")

    print("== a JSON Lines table (id, url, html)", file=sys.stderr)
    table = make_table(work, corpus)
    ingested = ingest(dateline, [table], work / "table.db")
    spark([table.parent], work / "table-out", args.master, "--format", "jsonl")
    problems += compare("table", ingested, work / "table-out", inputs=False)

    for problem in problems:
        print(f"MISMATCH {problem}", file=sys.stderr)
    print("Spark equals ingest" if not problems else f"{len(problems)} differences", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
