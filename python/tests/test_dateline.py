"""Tests of the dateline Python module against the sample pages and the command line.

The comparison with ``dateline annotate`` needs the binary: ``DATELINE_BIN``, else
``$CARGO_TARGET_DIR/release/dateline``, else ``target/release/dateline``; without it those
tests are skipped.
"""

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest

import dateline

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "samples" / "demo" / "html").glob("*.html"))
PAGE = ROOT / "samples" / "demo" / "html" / "01-vietnam-philippines-maritime-talks.html"


def cli_binary():
    candidates = [os.environ.get("DATELINE_BIN")]
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(str(Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "dateline"))
    candidates.append(str(ROOT / "target" / "release" / "dateline"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def cli_annotate(*args):
    binary = cli_binary()
    if binary is None:
        pytest.skip("no dateline binary: set DATELINE_BIN or build target/release/dateline")
    result = subprocess.run([binary, "annotate", *args], capture_output=True, check=False, cwd=ROOT)
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]


def test_a_page_has_its_metadata_and_events():
    document = dateline.annotate(PAGE.read_text(encoding="utf-8"))
    assert document["schema"] == dateline.SCHEMA
    assert document["meta"]["title"] == "Vietnam and Philippines agree to deepen maritime cooperation"
    assert document["meta"]["published"] == "2025-01-14T08:15:00Z"
    assert document["source"]["format"] == "html"
    assert document["events"], "events expected"
    for event in document["events"]:
        assert event["cameo"].isdigit() and len(event["cameo"]) in (3, 4)
        assert event["root"] == event["cameo"][:2]
    assert any(event["source"].get("code", "").startswith("VNM") for event in document["events"])
    assert "tokens" not in document


@pytest.mark.parametrize("page", PAGES[:6], ids=lambda page: page.name)
def test_same_json_as_the_command_line(page):
    (expected,) = cli_annotate(str(page.relative_to(ROOT)))
    got = dateline.annotate(page.read_text(encoding="utf-8"))
    assert set(got) == set(expected)
    for key in ("events", "suppressed", "entities", "sentences", "places", "times", "quotes", "tone", "text", "meta"):
        assert got[key] == expected[key], key
    # Only where the document came from differs: a file for the command line, a string here.
    assert expected["id"] == str(page.relative_to(ROOT))
    assert got["id"] == "-"


def test_bytes_are_decoded_as_a_file_is():
    from_bytes = dateline.annotate(PAGE.read_bytes())
    from_text = dateline.annotate(PAGE.read_text(encoding="utf-8"))
    assert from_bytes["events"] == from_text["events"]
    assert from_bytes["text"] == from_text["text"]


def test_a_str_is_not_decoded_again_by_its_meta_charset():
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Café talks</title></head>'
        "<body><article><p>Ministers met in Zürich on Monday for talks on trade.</p></article></body></html>"
    )
    document = dateline.annotate(html, until="clean")
    assert "Zürich" in document["text"]


def test_metadata_given_with_a_document():
    text = "Ukraine and Poland signed a border agreement on Tuesday, officials said."
    document = dateline.annotate(
        text,
        id="doc-1",
        url="https://news.test/a",
        title="Border deal",
        published=datetime.datetime(2024, 5, 7, 10, 0, tzinfo=datetime.timezone.utc),
        format="text",
    )
    assert document["id"] == "doc-1"
    assert document["meta"]["url"] == "https://news.test/a"
    assert document["meta"]["title"] == "Border deal"
    assert document["meta"]["published"].startswith("2024-05-07T10:00:00")
    assert document["source"]["format"] == "text"
    assert all(event["date"] == "2024-05-07" for event in document["events"])


def test_until_and_tokens():
    text = PAGE.read_text(encoding="utf-8")
    clean = dateline.annotate(text, until="clean")
    assert "sentences" not in clean and "events" not in clean and clean["text"]
    nlp = dateline.annotate(text, until="nlp", tokens=True)
    assert nlp["sentences"] and nlp["tokens"] and "places" not in nlp
    link = dateline.annotate(text, until="link")
    assert "tone" in link and "events" not in link


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="until"):
        dateline.annotate("text", until="parse")
    with pytest.raises(ValueError, match="format"):
        dateline.annotate("text", format="pdf")
    with pytest.raises(ValueError, match="threads"):
        dateline.annotate_batch(["text"], threads=0)
    with pytest.raises(TypeError):
        dateline.annotate(42)
    with pytest.raises(TypeError):
        dateline.annotate_batch("one document, not a list")


def test_a_broken_document_gives_an_error_record():
    empty = dateline.annotate("   ", url="https://news.test/empty")
    assert empty == {
        "schema": dateline.SCHEMA,
        "id": "https://news.test/empty",
        "input": "https://news.test/empty",
        "error": "empty input",
    }
    image = dateline.annotate(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert "PNG" in image["error"] and image["input"] == "-"
    container = dateline.annotate('{"id": "a", "html": "<p>A</p>"}\n{"id": "b", "html": "<p>B</p>"}\n')
    assert "holds 2 documents" in container["error"]


def test_error_records_match_the_command_line(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("  \n")
    (expected,) = cli_annotate(str(empty))
    got = dateline.annotate(empty.read_bytes(), id=str(empty))
    assert got["error"] == expected["error"]
    assert set(got) == set(expected)


def test_batch_keeps_input_order():
    pages = [page.read_text(encoding="utf-8") for page in PAGES]
    docs = pages + [None, b"", {"id": "r1", "url": "https://news.test/r1", "text": "no"}, pages[0]]
    results = dateline.annotate_batch(docs, threads=2)
    assert len(results) == len(docs)
    for index, (page, result) in enumerate(zip(pages, results)):
        alone = dateline.annotate(page)
        assert result["id"] == result["source"]["uri"] == f"docs[{index}]"
        assert {**result, "id": "-", "source": alone["source"]} == alone
    assert results[len(pages)]["input"] == f"docs[{len(pages)}]" and "error" in results[len(pages)]
    assert results[len(pages) + 1]["error"] == "empty input"
    assert results[len(pages) + 2]["id"] == "r1"
    assert results[-1]["events"] == results[0]["events"]
    assert dateline.annotate_batch([]) == []


def test_batch_records_with_metadata():
    records = [
        {"id": 7, "url": "https://news.test/7", "html": PAGE.read_text(encoding="utf-8"), "extra": 1},
        {"id": "t", "title": "Given title", "published": "2024-03-02", "text": "Police arrested protesters in Lima."},
    ]
    first, second = dateline.annotate_batch(records, threads=1)
    assert first["id"] == "7" and first["events"]
    assert second["id"] == "t" and second["meta"]["title"] == "Given title"
    assert second["meta"]["published"].startswith("2024-03-02")


def test_arrow_round_trip():
    pa = pytest.importorskip("pyarrow")
    pages = [page.read_text(encoding="utf-8") for page in PAGES[:5]]
    batch = pa.RecordBatch.from_pydict(
        {
            "id": [f"p{index}" for index in range(len(pages))] + ["bad"],
            "url": [f"https://news.test/{index}" for index in range(len(pages))] + [None],
            "html": pages + [None],
        }
    )
    result = dateline.annotate_arrow(batch, threads=2)
    assert isinstance(result, pa.RecordBatch)
    assert result.schema == dateline.arrow_schema()
    assert result.num_rows == batch.num_rows
    rows = result.to_pylist()
    assert [row["id"] for row in rows] == batch.column("id").to_pylist()
    for page, row in zip(pages, rows):
        expected = dateline.annotate(page)
        assert row["error"] is None
        assert row["title"] == expected["meta"]["title"]
        assert row["published"] == expected["meta"]["published"]
        assert row["text"] == expected["text"]
        assert row["tone"] == expected["tone"]["tone"]
        assert json.loads(row["events"]) == expected["events"]
        assert row["n_events"] == len(expected["events"])
        whole = json.loads(row["annotate_json"])
        assert whole["entities"] == expected["entities"]
    assert rows[-1]["error"] and rows[-1]["events"] is None and rows[-1]["id"] == "bad"
    table = pa.Table.from_batches([batch])
    assert dateline.annotate_arrow(table, threads=1).column("events").to_pylist() == result.column("events").to_pylist()
    with pytest.raises(ValueError, match="no html or text column"):
        dateline.annotate_arrow(pa.RecordBatch.from_pydict({"body": ["x"]}))
    other = dateline.annotate_arrow(pa.RecordBatch.from_pydict({"body": pages[:1]}), text_column="body")
    assert other.column("events").to_pylist() == result.column("events").to_pylist()[:1]


def test_pandas():
    pd = pytest.importorskip("pandas")
    pages = [page.read_text(encoding="utf-8") for page in PAGES[:3]]
    frame = pd.DataFrame(
        {"html": pages + [None], "published": [pd.Timestamp("2025-01-01T00:00:00Z")] * 3 + [pd.NaT]},
        index=[10, 11, 12, 13],
    )
    result = dateline.annotate_pandas(frame, threads=2)
    assert list(result.index) == [10, 11, 12, 13]
    assert list(result.columns) == list(dateline.ARROW_COLUMNS)
    assert result.loc[10, "title"] == dateline.annotate(pages[0])["meta"]["title"]
    assert json.loads(result.loc[11, "events"]) == dateline.annotate(pages[1])["events"]
    assert isinstance(result.loc[13, "error"], str)


def warc(pages):
    """A WARC archive (per-record gzip) of (uri, html bytes) pages."""
    import gzip

    out = b""
    for number, (uri, body) in enumerate(pages):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
        header = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{number:08d}-0000-0000-0000-000000000000>\r\n"
            f"WARC-Date: 2025-01-20T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
        ).encode()
        out += gzip.compress(header + http + b"\r\n\r\n")
    return out


def test_ingest_file_reads_every_record_of_a_warc_in_order():
    pages = [(f"https://wire.example/{page.stem}", page.read_bytes()) for page in PAGES[:3]]
    records = [json.loads(record) for record in dateline.ingest_file_json(warc(pages), "crawl.warc.gz", threads=2)]
    # In the archive's order; the page's canonical URL wins over the record's.
    assert [record["input"] for record in records] == ["crawl.warc.gz#1", "crawl.warc.gz#2", "crawl.warc.gz#3"]
    assert [record["id"] for record in records] == [f"urn:uuid:{n:08d}-0000-0000-0000-000000000000" for n in range(3)]
    for record in records:
        assert len(record["text_hash"]) == 32 and record["claim_keys"][0] == record["text_hash"]
        assert record["claim_keys"][1] == "url:" + record["url"]
        assert record["n_events"] == len(record["mentions"]) > 0
        assert record["source_name"] and record["url"].startswith("https://")
        assert record["layers"] is None
        for mention in record["mentions"]:
            assert json.loads(mention["mention"])["event"]["key"]["root"] == mention["root"]


def test_ingest_file_gives_an_error_record_naming_a_broken_input():
    records = [json.loads(record) for record in dateline.ingest_file_json(b"\x1f\x8b\x08\x00 broken", "bad.html.gz")]
    assert len(records) == 1 and records[0]["input"] == "bad.html.gz" and records[0]["error"]


def test_ingest_batch_keeps_order_and_names_errors():
    docs = [{"id": "a", "html": PAGE.read_text()}, None, {"id": "c", "text": "Plain words.", "url": "https://x.test/c"}]
    records = [json.loads(record) for record in dateline.ingest_batch_json(docs, threads=2, layers=True)]
    assert records[0]["id"] == "a" and json.loads(records[0]["layers"])["schema"] == dateline.SCHEMA
    assert "error" in records[1]
    assert records[2]["id"] == "c" and records[2]["url"] == "https://x.test/c"


def test_claim_keeps_the_first_copy():
    assert dateline.claim([["h1", "url:a"], ["h2", "url:a"], ["h2"], ["h1"]]) == [True, False, True, False]


def test_merge_events_merges_reports_of_one_event():
    record = json.loads(dateline.ingest_batch_json([{"id": "a", "html": PAGE.read_text()}])[0])
    mention = record["mentions"][0]
    # The same sentence reported by two articles is one event with two articles' counts.
    events = dateline.merge_events([(1, mention["mention"]), (2, mention["mention"])], "2025-01-20T10:00:00Z")
    assert len(events) == 1
    first, columns = events[0]
    assert first == 0 and len(columns) == len(dateline.GDELT_COLUMNS) == 61
    row = dict(zip(dateline.GDELT_COLUMNS, columns))
    assert row["EventRootCode"] == mention["root"] and row["NumArticles"] == "2" and row["NumSources"] == "1"
    assert row["DATEADDED"] == "20250120100000"
    with pytest.raises(ValueError, match="mentions\\[0\\]"):
        dateline.merge_events([(1, "{}")], "2025-01-20T10:00:00Z")
