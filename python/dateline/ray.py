"""dateline on Ray Data: every stage of the pipeline over a dataset of pages, per article.

    import ray, dateline.ray
    pages = ray.data.read_parquet("s3://bucket/articles/")       # html or text, id, url, ...
    annotated = dateline.ray.annotate(pages)                      # + text, events, error, ...
    annotated.write_parquet("s3://bucket/annotated/")

``annotate`` is ``Dataset.map_batches`` over :func:`dateline.annotate_arrow`: one row out per
row in, with the columns of :data:`dateline.ARROW_COLUMNS` (the clean text, language, tone,
the events as JSON, ``error``, the whole annotation). A page that cannot be read gives a row
whose ``error`` names it; the batch goes on. The pipeline loads once per Ray worker process.

This is per-article output: events are not merged across articles and copies are not left out.
For events merged as ``dateline ingest`` merges them (GDELT's NumArticles, NumSources), use the
Spark job, ``dateline.spark``.
"""

from __future__ import annotations

from typing import Any

from . import annotate_arrow

__all__ = ["annotate"]


def annotate(
    dataset,
    *,
    text_column: str | None = None,
    until: str = "code",
    format: str = "auto",
    tokens: bool = False,
    threads: int = 1,
    batch_size: int = 64,
    **map_batches_args: Any,
):
    """The dataset's pages annotated: ``dataset.map_batches`` with Arrow batches of
    ``batch_size`` rows, each run by :func:`dateline.annotate_arrow` (``text_column``,
    ``until``, ``format``, ``tokens`` as there) on ``threads`` threads, one CPU per task
    unless ``num_cpus`` says otherwise. Other keyword arguments go to ``map_batches``."""
    map_batches_args.setdefault("num_cpus", threads)

    def run(batch):
        import pyarrow as pa

        out = annotate_arrow(batch, text_column=text_column, until=until, format=format, tokens=tokens, threads=threads)
        return pa.Table.from_batches([out])

    return dataset.map_batches(run, batch_format="pyarrow", batch_size=batch_size, **map_batches_args)
