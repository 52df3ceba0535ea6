"""The Ray Data adapter against the module: the sample pages (and a page that is not one) through
``dateline.ray.annotate`` on a local Ray, compared row by row with ``dateline.annotate_batch``.

    python check_ray.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import ray

import dateline
import dateline.ray

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    pages = sorted((ROOT / "samples" / "demo" / "html").glob("*.html"))
    ids = [page.stem for page in pages] + ["not-a-page"]
    html = [page.read_text() for page in pages] + [None]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    dataset = ray.data.from_arrow(pa.table({"id": ids, "html": html}))
    rows = sorted(dateline.ray.annotate(dataset, batch_size=8).take_all(), key=lambda row: row["id"])
    ray.shutdown()
    expected = {
        doc["id"]: doc for doc in dateline.annotate_batch([{"id": i, "html": h} for i, h in zip(ids, html)], threads=2)
    }
    problems = []
    if len(rows) != len(ids):
        problems.append(f"{len(rows)} rows for {len(ids)} pages")
    for row in rows:
        want = expected[row["id"]]
        if "error" in want:
            if not row["error"]:
                problems.append(f"{row['id']}: no error")
            continue
        if json.loads(row["events"]) != want["events"] or row["text"] != want["text"]:
            problems.append(f"{row['id']}: differs from annotate_batch")
    for problem in problems:
        print(f"MISMATCH {problem}", file=sys.stderr)
    events = sum(row["n_events"] or 0 for row in rows)
    print(f"Ray: {len(rows)} rows, {events} events, {len(problems)} differences", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
