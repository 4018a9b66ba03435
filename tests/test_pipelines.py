"""Validate, Deduplicate and LandingWriter, each on its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem

from minwatch.pipelines import Deduplicate, LandingWriter, Validate, validate_item
from minwatch.spiders.items import FetchFailure, RawDocument

FETCHED = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def document_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "type": "document",
        "source": "mining_com",
        "source_id": "https://www.mining.com/a/",
        "format": "article_html",
        "kind": "news",
        "url": "https://www.mining.com/a/",
        "fetched_at": FETCHED,
        "http_status": 200,
        "title": "A",
        "body": "<p>x</p>",
    }
    return {**fields, **overrides}


def test_validate_builds_a_raw_document() -> None:
    record = Validate().process_item(document_fields())
    assert isinstance(record, RawDocument)
    assert record.source_id == "https://www.mining.com/a/"
    assert record.fetched_at == FETCHED


def test_validate_builds_a_fetch_failure() -> None:
    record = Validate().process_item(
        {
            "type": "error",
            "source": "sam_gov",
            "url": "https://api.sam.gov/x",
            "error": "http_500",
            "message": "HTTP 500",
            "occurred_at": FETCHED,
        }
    )
    assert isinstance(record, FetchFailure)
    assert record.error == "http_500"


def test_invalid_item_becomes_a_recorded_failure_without_its_key() -> None:
    record = validate_item(
        document_fields(
            kind="gossip", url="https://api.sam.gov/x?noticeid=1&api_key=SECRET", extra=1
        ),
        source="sam_gov",
    )
    assert isinstance(record, FetchFailure)
    assert record.error == "invalid_item"
    assert record.source == "mining_com"
    assert record.source_id == "https://www.mining.com/a/"
    assert record.url == "https://api.sam.gov/x?noticeid=1"
    assert record.http_status == 200
    assert "kind:" in record.message and "extra:" in record.message
    assert "SECRET" not in record.model_dump_json()


def test_non_dict_item_becomes_a_recorded_failure() -> None:
    record = validate_item(["not", "an", "item"], source="trade_atom")
    assert isinstance(record, FetchFailure)
    assert (record.source, record.url, record.error) == ("trade_atom", "unknown", "invalid_item")


def test_deduplicate_keeps_the_first_document_and_every_failure() -> None:
    dedupe = Deduplicate()
    first = RawDocument.model_validate(document_fields(title="first"))
    assert dedupe.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate mining_com document"):
        dedupe.process_item(RawDocument.model_validate(document_fields(title="second")))
    other_source = RawDocument.model_validate(document_fields(source="trade_atom"))
    assert dedupe.process_item(other_source) is other_source
    failure = FetchFailure(
        source="mining_com", url="u", error="http_404", message="m", occurred_at=FETCHED
    )
    assert dedupe.process_item(failure) is failure
    assert dedupe.process_item(failure) is failure


def test_landing_writer_flushes_each_line_and_renames_on_close(tmp_path: Path) -> None:
    path = tmp_path / "mining_com" / "night.jsonl"
    writer = LandingWriter(path)
    writer.open_spider()
    writer.process_item(RawDocument.model_validate(document_fields()))
    part = tmp_path / "mining_com" / "night.jsonl.part"
    # Flushed already: a crash now would keep this line.
    assert json.loads(part.read_text())["source_id"] == "https://www.mining.com/a/"
    assert not path.exists()
    writer.process_item(
        FetchFailure(
            source="mining_com", url="u", error="timeout", message="m", occurred_at=FETCHED
        )
    )
    writer.close_spider()
    assert not part.exists()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["document", "error"]
    assert (writer.documents, writer.failures) == (1, 1)


def test_landing_writer_replaces_a_stale_part_file(tmp_path: Path) -> None:
    path = tmp_path / "night.jsonl"
    (tmp_path / "night.jsonl.part").write_text('{"half a line from a crash\n')
    writer = LandingWriter(path)
    writer.open_spider()
    writer.close_spider()
    assert path.read_text() == ""


def test_a_nights_clean_up_keeps_a_live_crawls_part_file_and_removes_a_killed_ones(
    tmp_path: Path,
) -> None:
    """A watch poll crawls without the warehouse lock, so a night starting meanwhile must not
    take its landing file from under it; once that crawl is killed, the file is litter."""
    import signal
    import subprocess
    import sys

    from minwatch.flows.nightly import remove_leftovers

    landing = tmp_path / "landing"
    live = landing / "mofcom_zh" / "20261205T085628Z-4f1686.jsonl.part"
    dead = landing / "federal_register" / "20261204T020000Z-dead00.jsonl.part"
    for part in (live, dead):
        part.parent.mkdir(parents=True)
    dead.write_text('{"type":"document"')
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from minwatch.spiders.landing import open_part\n"
            "f = open_part(Path(sys.argv[1])); f.write('{}\\n'); f.flush()\n"
            "print('held', flush=True); sys.stdin.read()",
            str(live),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "held\n"
        removed = remove_leftovers(tmp_path / "minwatch.duckdb", landing)
        assert removed == [dead]
        assert live.read_text() == "{}\n"  # untouched, still the writer's
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert remove_leftovers(tmp_path / "minwatch.duckdb", landing) == [live]
        assert not live.exists() and not dead.exists()
    finally:
        writer.kill()
        writer.wait(timeout=30)
