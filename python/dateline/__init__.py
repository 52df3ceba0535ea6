"""News in, event data out: the dateline pipeline from Python.

``annotate`` runs one document (an HTML page or text, ``str`` or ``bytes``) through the stages
(clean, NLP, link, code) and gives what ``dateline annotate`` prints for it, as a dict.
``annotate_batch`` does it for many documents on several threads, keeping their order;
``annotate_arrow`` and ``annotate_pandas`` do it for a column of a pyarrow record batch or a
pandas data frame (pyarrow and pandas are optional, imported when used).

The models and dictionaries are built into the module: nothing is downloaded. They load once
per process, on first use (or on ``load()``); the GIL is released while documents run.

A document that cannot be read or processed gives an error record, ``{"schema", "id",
"input", "error"}``, as the command line prints one, instead of raising. Options that are not
understood raise ``ValueError``; arguments of the wrong type raise ``TypeError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Union

from . import _dateline
from ._dateline import (
    GDELT_COLUMNS,
    PIPELINE_VERSION,
    SCHEMA,
    annotate_batch_json,
    annotate_json,
    claim,
    ingest_batch_json,
    ingest_file_json,
    load,
    merge_events,
)

__version__ = _dateline.__version__

__all__ = [
    "ARROW_COLUMNS",
    "GDELT_COLUMNS",
    "PIPELINE_VERSION",
    "SCHEMA",
    "annotate",
    "annotate_arrow",
    "annotate_batch",
    "annotate_batch_json",
    "annotate_json",
    "annotate_pandas",
    "arrow_schema",
    "claim",
    "ingest_batch_json",
    "ingest_file_json",
    "load",
    "merge_events",
]

Document = Union[str, bytes]

#: The columns of :func:`annotate_arrow`'s record batches, in order.
ARROW_COLUMNS = (
    "id",
    "url",
    "title",
    "published",
    "text",
    "language",
    "tone",
    "n_events",
    "events",
    "error",
    "annotate_json",
)


def annotate(
    doc: Document,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: Any = None,
    until: str = "code",
    format: str = "auto",
    tokens: bool = False,
) -> dict:
    """Annotates one document and returns the JSON of ``dateline annotate`` for it as a dict.

    ``doc`` is an HTML page or text, ``str`` or ``bytes`` (bytes are decoded as the command
    line decodes a file: byte order mark, ``<meta charset>``, else detection). ``format`` is
    ``"auto"`` (HTML or scraped text, sniffed as the command line does), ``"html"``,
    ``"text"`` (plain text taken as is) or ``"scraped"`` (text whose page chrome is removed).
    ``url``, ``title`` and ``published`` (a string or a ``datetime``) are metadata the page may
    lack; what the page says wins. ``id`` names the document (default: the URL, else ``-``).
    ``until`` is the last stage: ``"clean"``, ``"nlp"``, ``"link"`` or ``"code"``;
    ``tokens`` adds every token with its annotations.

    A document that cannot be read gives an error record (with ``error``) rather than raising.
    """
    return json.loads(
        annotate_json(
            doc,
            id=id,
            url=url,
            title=title,
            published=published,
            until=until,
            format=format,
            tokens=tokens,
        )
    )


def annotate_batch(
    docs: Iterable[Any],
    *,
    until: str = "code",
    format: str = "auto",
    tokens: bool = False,
    threads: int | None = None,
) -> list:
    """Annotates many documents on ``threads`` threads (default: every core) and returns one
    dict per document, in input order.

    Each document is a ``str`` or ``bytes`` (as for :func:`annotate`), ``None`` (an error
    record), or a dict with the fields of a ``dateline annotate --jsonl`` record: ``id``,
    ``url``, ``title``, ``published`` and the page as ``html`` or ``text`` (scraped text, or
    plain text taken as is with ``format="text"``) or ``doc`` (read as ``format`` says).
    """
    return [
        json.loads(item)
        for item in annotate_batch_json(docs, until=until, format=format, tokens=tokens, threads=threads)
    ]


def _row(record: dict, document: str) -> dict:
    """The Arrow columns of one document's record."""
    meta = record.get("meta") or {}
    error = record.get("error")
    events = record.get("events")
    tone = record.get("tone")
    return {
        "id": record.get("id"),
        "url": meta.get("url"),
        "title": meta.get("title"),
        "published": meta.get("published"),
        "text": record.get("text"),
        "language": meta.get("language"),
        "tone": tone.get("tone") if isinstance(tone, dict) else None,
        "n_events": len(events) if events is not None else None,
        "events": json.dumps(events, ensure_ascii=False, separators=(",", ":")) if events is not None else None,
        "error": error,
        "annotate_json": document,
    }


def arrow_schema():
    """The schema of :func:`annotate_arrow`'s record batches (needs pyarrow)."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("url", pa.string()),
            pa.field("title", pa.string()),
            pa.field("published", pa.string()),
            pa.field("text", pa.string()),
            pa.field("language", pa.string()),
            pa.field("tone", pa.float64()),
            pa.field("n_events", pa.int32()),
            pa.field("events", pa.string()),
            pa.field("error", pa.string()),
            pa.field("annotate_json", pa.string()),
        ]
    )


def _records(columns: dict, text_column: str | None, what: str) -> list:
    """The documents of a table given as lists by column name: the page column as ``html``,
    ``text`` or (a column of another name, read as ``format`` says) ``doc``, with ``id``,
    ``url``, ``title`` and ``published`` from the columns of those names when there are."""
    names = list(columns)
    if text_column is None:
        text_column = next((name for name in ("html", "text") if name in columns), None)
        if text_column is None:
            raise ValueError(
                f"the {what} has no html or text column (its columns: {names}): name one with text_column="
            )
    elif text_column not in columns:
        raise ValueError(f"text_column={text_column!r}: the {what} has no such column (its columns: {names})")
    key = text_column if text_column in ("html", "text") else "doc"
    fields = [name for name in ("id", "url", "title", "published") if name in columns and name != text_column]
    pages = columns[text_column]
    return [{key: page, **{name: columns[name][index] for name in fields}} for index, page in enumerate(pages)]


def annotate_arrow(
    batch,
    *,
    text_column: str | None = None,
    until: str = "code",
    format: str = "auto",
    tokens: bool = False,
    threads: int | None = None,
):
    """Annotates the documents of a ``pyarrow.RecordBatch`` (or ``Table``) and returns a
    record batch with one row per input row, in order, with the columns of
    :data:`ARROW_COLUMNS`: ``id``, ``url``, ``title``, ``published`` (RFC 3339), ``text``
    (the clean text), ``language``, ``tone``, ``n_events``, ``events`` (the events as a JSON
    array), ``error`` (null unless the document failed) and ``annotate_json`` (the whole
    JSON of ``dateline annotate``).

    ``text_column`` is the column holding the pages (default: ``html``, else ``text``). An
    ``html`` column is read as HTML and a ``text`` column as scraped text (``format="text"``
    takes it as is); any other column is sniffed. Columns named ``id``, ``url``, ``title`` and
    ``published`` are passed with each document. Suits PySpark's ``mapInArrow``.
    """
    import pyarrow as pa

    if not isinstance(batch, (pa.RecordBatch, pa.Table)):
        raise TypeError(f"annotate_arrow takes a pyarrow RecordBatch or Table, not {type(batch).__name__}")
    columns = {name: batch.column(name).to_pylist() for name in batch.schema.names}
    docs = _records(columns, text_column, "record batch")
    documents = annotate_batch_json(docs, until=until, format=format, tokens=tokens, threads=threads) if docs else []
    rows = [_row(json.loads(document), document) for document in documents]
    schema = arrow_schema()
    return pa.RecordBatch.from_arrays(
        [pa.array([row[name] for row in rows], type=field.type) for name, field in zip(ARROW_COLUMNS, schema)],
        schema=schema,
    )


def annotate_pandas(
    df,
    *,
    text_column: str | None = None,
    until: str = "code",
    format: str = "auto",
    tokens: bool = False,
    threads: int | None = None,
):
    """Annotates a column of a pandas ``DataFrame`` as :func:`annotate_arrow` does a record
    batch, and returns a data frame with the columns of :data:`ARROW_COLUMNS`, one row per
    input row, with the input's index (pyarrow is not needed)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"annotate_pandas takes a pandas DataFrame, not {type(df).__name__}")
    columns = {
        str(name): [None if _missing(pd, value) else value for value in df[name].tolist()]
        for name in df.columns
        if name in ("html", "text", "id", "url", "title", "published", text_column)
    }
    docs = _records(columns, text_column, "data frame")
    documents = annotate_batch_json(docs, until=until, format=format, tokens=tokens, threads=threads) if docs else []
    rows = [_row(json.loads(document), document) for document in documents]
    return pd.DataFrame(rows, columns=list(ARROW_COLUMNS), index=df.index)


def _missing(pd, value) -> bool:
    """True for pandas' missing values (None, NaN, NaT)."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
