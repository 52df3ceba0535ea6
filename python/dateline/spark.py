"""dateline on Apache Spark: news in, the articles and events of ``dateline ingest`` out, as
Parquet, on as many machines as the cluster has.

``python -m dateline.spark INPUT... --output DIR`` (or :func:`run` from a PySpark program)
reads files (WARC archives, HTML pages, scraped text, feeds, JSONL: whatever ``dateline
ingest`` reads, gzip or not) or Parquet / JSON Lines tables of articles, and writes

- ``DIR/articles``: one row per article, with the id ``dateline ingest`` would give it;
- ``DIR/events``: the events merged across articles, in the 61 columns of ``dateline export
  --format gdelt`` (GDELT 2.0's Events table; every value the text of the export's field);
- ``DIR/errors``: one row per document that could not be read or processed, naming it.

The work is three steps, each a Spark stage over the same Rust code as the command line:

1. ``mapInArrow``: each file (or each batch of table rows) goes through every stage of the
   pipeline (``ingest_file_json`` / ``ingest_batch_json``), giving a store record per
   article: its columns, the keys copies are found by, its events as mentions.
2. Copies: articles sharing a text fingerprint or a canonical URL are grouped (connected
   components, by rounds of min-label propagation), and each group is decided by ``claim``,
   the database's rule (the first copy in storing order is kept).
3. Events: the mentions are grouped by (source, target, CAMEO root) and each group is merged
   by ``merge_events``, the database's merge (same place or a place in the other's country,
   dates a day apart), in storing order.

Storing order is the order ``dateline ingest --threads 1`` stores articles in: files sorted
by path, one directory level at a time (as ingest walks a directory), and documents in a
file's order; table rows by input file, then row. With it, article ids, event ids and every
count equal what ``dateline ingest`` and ``dateline export --format gdelt`` give on the same
input (DATEADDED aside: the time the run stores them).
"""

from __future__ import annotations

import argparse
import datetime as _datetime
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

# Absolute, so that the file also runs as the main file of spark-submit.
from dateline._dateline import GDELT_COLUMNS, claim, ingest_batch_json, ingest_file_json, merge_events, skipped

__all__ = ["ARTICLE_COLUMNS", "main", "run"]

#: The columns of the ``articles`` table, in order (``id`` is ingest's article id).
ARTICLE_COLUMNS = (
    "id",
    "doc_id",
    "input",
    "url",
    "title",
    "published",
    "site",
    "source_name",
    "authors",
    "tags",
    "language",
    "text",
    "tone",
    "text_hash",
    "simhash",
    "n_events",
    "pipeline_version",
    "layers",
)

# The record of one document after step 1 (an article, or an error when `error` is set).
_RECORD_SCHEMA = (
    "file STRING, position BIGINT, error STRING, doc_id STRING, input STRING, url STRING, title STRING, "
    "published STRING, site STRING, source_name STRING, authors ARRAY<STRING>, tags ARRAY<STRING>, "
    "language STRING, text STRING, tone DOUBLE, text_hash STRING, simhash BIGINT, claim_keys ARRAY<STRING>, "
    "pipeline_version STRING, n_events INT, "
    "mentions ARRAY<STRUCT<source: STRING, target: STRING, root: STRING, index: INT, mention: STRING>>, "
    "layers STRING, cpu DOUBLE"
)

_FIELDS = (
    "doc_id",
    "input",
    "url",
    "title",
    "published",
    "site",
    "source_name",
    "authors",
    "tags",
    "language",
    "text",
    "tone",
    "text_hash",
    "simhash",
    "claim_keys",
    "pipeline_version",
    "n_events",
    "mentions",
    "layers",
)


def _record(file: str, position: int, document: str) -> dict[str, Any]:
    """A store record (or error record) of the Rust module as a row of `_RECORD_SCHEMA`."""
    parsed = json.loads(document)
    row: dict[str, Any] = {"file": file, "position": position, "error": parsed.get("error"), "cpu": None}
    if row["error"] is not None:
        row.update({name: None for name in _FIELDS})
        row["doc_id"] = parsed.get("id")
        row["input"] = parsed.get("input")
        return row
    row.update({name: parsed.get(name) for name in _FIELDS})
    row["doc_id"] = parsed.get("id")
    return row


def _error(file: str, position: int, input: str, message: str) -> dict[str, Any]:
    row = {name: None for name in _FIELDS}
    row.update({"file": file, "position": position, "error": message, "input": input, "cpu": None})
    return row


def _share_cpu(rows: list[dict[str, Any]], seconds: float) -> None:
    """Spreads the CPU time the worker process (the pipeline's threads included) spent on a
    file or batch over its rows, so that the summary can give the pipeline's CPU time."""
    for row in rows:
        row["cpu"] = seconds / len(rows)


def local_name(path: str) -> str:
    """What ``dateline ingest`` calls a file: a ``file:`` URI as its local path, any other
    URI (``s3://``, ``gs://``, ``dbfs:/``) as it is."""
    if path.startswith("file://"):
        return path[len("file://") :]
    if path.startswith("file:/"):
        return path[len("file:") :]
    return path


def _threads() -> int:
    """The cores Spark gives each task (``spark.task.cpus``)."""
    from pyspark import TaskContext

    context = TaskContext.get()
    return max(1, context.cpus()) if context is not None else 1


def _batch(rows: list[dict[str, Any]], schema):
    import pyarrow as pa

    return pa.RecordBatch.from_pylist(rows, schema=schema)


def _files_step(schema, layers: bool):
    """Step 1 over files: every document of every file, in the file's order."""

    def step(batches: Iterable[Any]) -> Iterator[Any]:
        threads = _threads()
        for batch in batches:
            paths = batch.column("path").to_pylist()
            for index, path in enumerate(paths):
                name = local_name(path)
                if skipped(name):
                    continue
                started = time.process_time()
                try:
                    content = batch.column("content")[index].as_py()
                    documents = ingest_file_json(content, name, threads=threads, layers=layers)
                    rows = [_record(path, position, document) for position, document in enumerate(documents)]
                    if not rows:
                        rows = [_error(path, 0, name, "no document in the file")]
                except Exception as error:  # noqa: BLE001 - a file that breaks the step is an error record
                    rows = [_error(path, 0, name, f"{type(error).__name__}: {error}")]
                _share_cpu(rows, time.process_time() - started)
                yield _batch(rows, schema)

    return step


def _table_step(schema, text_column: str | None, layers: bool):
    """Step 1 over table rows: the rows of each Arrow batch as one batch of documents."""

    def step(batches: Iterable[Any]) -> Iterator[Any]:
        threads = _threads()
        for batch in batches:
            columns = {name: batch.column(name).to_pylist() for name in batch.schema.names}
            files, positions = columns.pop("_file"), columns.pop("_row")
            column = text_column or ("html" if "html" in columns else "text")
            key = column if column in ("html", "text") else "doc"
            fields = [name for name in ("id", "url", "title", "published") if name in columns and name != column]
            docs = [
                {key: page, **{name: columns[name][index] for name in fields}}
                for index, page in enumerate(columns[column])
            ]
            started = time.process_time()
            try:
                documents = ingest_batch_json(docs, threads=threads, layers=layers)
                rows = [_record(file, position, doc) for file, position, doc in zip(files, positions, documents)]
            except Exception as error:  # noqa: BLE001 - a batch that breaks the step is error records
                message = f"{type(error).__name__}: {error}"
                ids = columns.get("id") or columns.get("url") or [None] * len(files)
                rows = [
                    _error(file, position, str(ident) if ident is not None else f"{file}#{position}", message)
                    for file, position, ident in zip(files, positions, ids)
                ]
            _share_cpu(rows, time.process_time() - started)
            yield _batch(rows, schema)

    return step


def _with_index(frame, order: list[str], name: str):
    """`frame` with a column `name` numbering its rows 1, 2, ... in `order`, by zipWithIndex
    (no single-partition window)."""
    from pyspark.sql import types as T

    schema = T.StructType(frame.schema.fields + [T.StructField(name, T.LongType(), False)])
    numbered = frame.orderBy(*order).rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1))
    return frame.sparkSession.createDataFrame(numbered, schema)


def _components(keys, spark_functions, max_rounds: int = 100):
    """Connected components of articles linked by shared keys: (seq, component), the
    component being the smallest seq in it. `keys` is (seq, key), one row per key."""
    F = spark_functions
    labels = keys.select("seq").distinct().withColumn("component", F.col("seq"))
    for _ in range(max_rounds):
        by_key = keys.join(labels, "seq").groupBy("key").agg(F.min("component").alias("component"))
        relabelled = keys.join(by_key, "key").groupBy("seq").agg(F.min("component").alias("component"))
        relabelled = relabelled.localCheckpoint()
        changed = relabelled.join(labels.withColumnRenamed("component", "old"), "seq").where(
            F.col("component") != F.col("old")
        )
        if changed.limit(1).count() == 0:
            return relabelled
        labels = relabelled
    raise RuntimeError(f"the copies of articles did not settle into groups in {max_rounds} rounds")


def _claim_group(table):
    """Step 2 for one group of articles sharing keys: `claim`, in storing order."""
    import pyarrow as pa

    rows = sorted(table.to_pylist(), key=lambda row: row["seq"])
    kept = claim([row["claim_keys"] for row in rows])
    return pa.table(
        {"seq": [row["seq"] for row in rows], "kept": kept},
        schema=pa.schema([("seq", pa.int64()), ("kept", pa.bool_())]),
    )


def _merge_group(added: str):
    """Step 3 for one group of mentions (one source, target and root): `merge_events`, in
    storing order."""

    def merge(table):
        import pyarrow as pa

        rows = sorted(zip(*(table.column(name).to_pylist() for name in ("article", "index", "mention"))))
        events = merge_events([(article, mention) for article, _, mention in rows], added)
        columns: dict[str, list[Any]] = {
            "first_article": [rows[first][0] for first, _ in events],
            "first_index": [rows[first][1] for first, _ in events],
        }
        for position, name in enumerate(GDELT_COLUMNS):
            columns[name] = [event[position] for _, event in events]
        return pa.table(columns, schema=_merged_schema())

    return merge


def _merged_schema():
    import pyarrow as pa

    return pa.schema(
        [("first_article", pa.int64()), ("first_index", pa.int64())] + [(name, pa.string()) for name in GDELT_COLUMNS]
    )


def _apply_in_arrow(grouped, func, schema):
    """`grouped.applyInArrow(func, schema)` (Spark 4), else the same through `applyInPandas`
    (Spark 3.5, whose grouped data has no Arrow entry point; also with
    DATELINE_SPARK_PANDAS=1)."""
    if hasattr(grouped, "applyInArrow") and not os.environ.get("DATELINE_SPARK_PANDAS"):
        return grouped.applyInArrow(func, schema)

    def via_pandas(frame):
        import pyarrow as pa

        return func(pa.Table.from_pandas(frame, preserve_index=False)).to_pandas()

    return grouped.applyInPandas(via_pandas, schema)


def _read(spark, inputs: list[str], input_format: str, text_column: str | None, layers: bool):
    """Step 1: the records of every document of the inputs."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = spark.createDataFrame([], _RECORD_SCHEMA).schema
    arrow_schema = to_arrow_schema(schema)
    if input_format == "files":
        files = (
            spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(inputs).select("path", "content")
        )
        return files.mapInArrow(_files_step(arrow_schema, layers), schema)
    if input_format in ("parquet", "jsonl"):
        reader = spark.read.option("recursiveFileLookup", "true")
        table = reader.parquet(*inputs) if input_format == "parquet" else reader.json(inputs)
        wanted = [name for name in ("id", "url", "title", "published", "html", "text", text_column) if name]
        missing = [name for name in ([text_column] if text_column else []) if name not in table.columns]
        if missing or not (set(wanted) & set(table.columns)) - {"id", "url", "title", "published"}:
            raise ValueError(
                f"the {input_format} input has no page column ({text_column or 'html or text'}); "
                f"its columns: {', '.join(table.columns)}"
            )
        columns = [F.col(name).cast("string") for name in dict.fromkeys(wanted) if name in table.columns]
        table = table.select(
            *columns, F.col("_metadata.file_path").alias("_file"), F.monotonically_increasing_id().alias("_row")
        )
        return table.mapInArrow(_table_step(arrow_schema, text_column, layers), schema)
    raise ValueError(f"input_format={input_format!r}: one of 'files', 'parquet', 'jsonl'")


def run(
    spark,
    inputs: list[str],
    output: str,
    *,
    input_format: str = "files",
    text_column: str | None = None,
    layers: bool = False,
    added: str | None = None,
    mode: str = "errorifexists",
) -> dict[str, float]:
    """Runs the job: ``inputs`` (paths, directories or globs Spark reads) in, ``output``
    (``articles``, ``events``, ``errors`` as Parquet) out. ``input_format`` is ``"files"``
    (every file read as ``dateline ingest`` reads it: WARC, HTML, text, feeds, JSONL, gzip),
    ``"parquet"`` or ``"jsonl"`` (tables of articles with ``html`` or ``text``, or
    ``text_column``, and optional ``id``, ``url``, ``title``, ``published``). ``layers`` adds
    each article's annotation JSON. ``added`` is the DATEADDED time (default: now). Returns
    counts: documents, articles, copies, errors, mentions, events, and the CPU seconds the
    Python workers spent in step 1 (every stage of the pipeline), ``pipeline_cpu_seconds``."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    added = added or _datetime.datetime.now(_datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    records = _read(spark, inputs, input_format, text_column, layers)
    # Storing order: files by path, one directory level at a time, then position in the file.
    records = records.withColumn("_parts", F.split(F.col("file"), "/")).persist(StorageLevel.MEMORY_AND_DISK)

    errors = records.where(F.col("error").isNotNull()).orderBy("_parts", "position")
    errors.select("input", F.col("doc_id").alias("id"), "error").write.mode(mode).parquet(f"{output}/errors")

    # Step 2: copies. Each article gets its place in storing order (seq); articles that share
    # a key with another are grouped and `claim` decides which is kept.
    ok = records.where(F.col("error").isNull())
    order = _with_index(ok.select("_parts", "position"), ["_parts", "position"], "seq")
    # Kept: the label propagation and the decision below read it several times, and the
    # numbering's sort would run again each time.
    numbered = ok.join(order, ["_parts", "position"]).persist(StorageLevel.MEMORY_AND_DISK)
    keys = numbered.select("seq", F.explode("claim_keys").alias("key"))
    shared = keys.groupBy("key").count().where(F.col("count") > 1).select("key")
    linked = keys.join(shared, "key").select("seq").distinct()
    groups = _components(keys.join(linked, "seq"), F)
    decided = groups.join(numbered.select("seq", "claim_keys"), "seq").groupBy("component")
    decided = _apply_in_arrow(decided, _claim_group, "seq BIGINT, kept BOOLEAN")
    ok = numbered.join(decided, "seq", "left").where(F.col("kept").isNull() | F.col("kept"))
    articles = _with_index(ok.select("seq"), ["seq"], "id").join(ok, "seq")
    articles = articles.persist(StorageLevel.MEMORY_AND_DISK)
    columns = [name for name in ARTICLE_COLUMNS if layers or name != "layers"]
    articles.orderBy("id").select(*columns).write.mode(mode).parquet(f"{output}/articles")

    # Step 3: events, merged per (source, target, root) in storing order; ids in the order
    # their first mentions are stored, as the database makes them.
    mentions = articles.select(F.col("id").alias("article"), F.explode("mentions").alias("m")).select(
        "article", "m.source", "m.target", "m.root", F.col("m.index").cast("long").alias("index"), "m.mention"
    )
    merged = _apply_in_arrow(
        mentions.groupBy("source", "target", "root"),
        _merge_group(added),
        spark.createDataFrame([], _merged_schema_ddl()).schema,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    events = _with_index(merged, ["first_article", "first_index"], "_id")
    events = events.withColumn("GLOBALEVENTID", F.col("_id").cast("string"))
    events = events.orderBy(F.col("SQLDATE"), F.col("_id")).select(*GDELT_COLUMNS)
    events.write.mode(mode).parquet(f"{output}/events")

    result = {
        "pipeline_cpu_seconds": records.agg(F.sum("cpu")).first()[0] or 0.0,
        "documents": records.count(),
        "errors": errors.count(),
        "articles": articles.count(),
        "mentions": mentions.count(),
        "events": spark.read.parquet(f"{output}/events").count(),
    }
    result["copies"] = result["documents"] - result["errors"] - result["articles"]
    result["pipeline_cpu_seconds"] = round(result["pipeline_cpu_seconds"], 2)
    for kept in (records, numbered, articles, merged):
        kept.unpersist()
    return result


def _merged_schema_ddl() -> str:
    return "first_article BIGINT, first_index BIGINT, " + ", ".join(f"`{name}` STRING" for name in GDELT_COLUMNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dateline.spark",
        description="dateline on Spark: news files or article tables in; articles, GDELT events and errors "
        "out as Parquet.",
    )
    parser.add_argument("inputs", nargs="+", help="files, directories or globs (local, hdfs://, s3://, gs://, ...)")
    parser.add_argument("--output", required=True, help="directory for articles/, events/ and errors/")
    parser.add_argument(
        "--format",
        dest="input_format",
        default="files",
        choices=("files", "parquet", "jsonl"),
        help="files: read every file as `dateline ingest` does (WARC, HTML, text, feeds, JSONL); "
        "parquet or jsonl: tables of articles (html or text, id, url, title, published)",
    )
    parser.add_argument("--text-column", help="the tables' page column (default: html, else text)")
    parser.add_argument("--layers", action="store_true", help="keep each article's annotation JSON")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    parser.add_argument("--added", help="DATEADDED, YYYY-MM-DDTHH:MM:SSZ (default: now)")
    parser.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting when not run by spark-submit (repeatable), e.g. spark.sql.shuffle.partitions=8",
    )
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("dateline")
    if args.master:
        builder = builder.master(args.master)
    for setting in args.conf:
        key, equals, value = setting.partition("=")
        if not equals:
            parser.error(f"--conf {setting!r}: a setting is KEY=VALUE")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    started = time.monotonic()
    counts = run(
        spark,
        args.inputs,
        args.output,
        input_format=args.input_format,
        text_column=args.text_column,
        layers=args.layers,
        added=args.added,
        mode="overwrite" if args.overwrite else "errorifexists",
    )
    seconds = time.monotonic() - started
    print(
        f"dateline.spark: {counts['documents']} documents, {counts['articles']} articles "
        f"({counts['copies']} copies left out), {counts['mentions']} mentions, {counts['events']} events, "
        f"{counts['errors']} errors in {seconds:.1f} s (pipeline CPU {counts['pipeline_cpu_seconds']:.1f} s) "
        f"-> {args.output}",
        file=sys.stderr,
    )
    spark.stop()
    return 1 if counts["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
