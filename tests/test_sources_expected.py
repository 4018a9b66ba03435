"""Every source, crawled over its real-format sample pages, lands exactly the expected documents.

One test parametrised over every registered source (as Fundus tests every publisher and
kingfisher-collect every spider the same way): the sample site is crawled through the real
spider and crawl process, each landed record is converted as the nightly flow converts it, and
the fields an analyst or an alert acts on (identity, kind, title, dates, language, the head of
the text, the parsed notice or announcement) are compared with
`tests/data/expected_sources/<source>.json`, and so are the failures each source records.

After a deliberate change of a parser or of the sample site, regenerate the files with
`MINWATCH_REGENERATE_EXPECTED=1 .venv/bin/pytest tests/test_sources_expected.py`, read the
diff, and commit it with the change that caused it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.documents import DocumentError, read_landing, to_document
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import DEFAULT_SOURCES, SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import run_crawl
from tests.crawl_helpers import FAST

EXPECTED = Path(__file__).parent / "data" / "expected_sources"
REGENERATE = os.environ.get("MINWATCH_REGENERATE_EXPECTED") == "1"
# SAM.gov searches a date window (the flow gives it from the watermark): the sample's notices.
WINDOWS = {"sam_gov": {"from_date": "2025-01-01", "until_date": "2026-11-27"}}
TEXT_HEAD = 160  # characters of each document's text compared (whole texts change with layout)
# Notice and announcement fields that are the parse itself (the rest repeats the record).
NOTICE_FIELDS = (
    "notice_id", "solicitation_number", "notice_type", "posted_date", "office_code",
    "naics_code", "award_number", "award_date", "award_amount", "awardee_name", "awardee_uei",
)  # fmt: skip
ANNOUNCEMENT_FIELDS = (
    "authority", "number", "title", "language", "issued_on", "effective_on", "clauses",
    "suspends", "amends", "suspended_from", "suspended_until", "suspensions", "numbered_clauses",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """JSON-comparable: dates as ISO strings, tuples as lists."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _document_record(raw: RawDocument) -> dict[str, Any]:
    try:
        document = to_document(raw)
    except DocumentError as exc:
        return {"source_id": raw.source_id, "unreadable": str(exc)}
    record: dict[str, Any] = {
        "source_id": raw.source_id,
        "format": raw.format,
        "doc_id": document.doc_id,
        "kind": document.kind,
        "title": document.title,
        "published_at": document.published_at,
        "language": document.language,
        "text_head": document.text[:TEXT_HEAD],
        "known_suppliers": document.known_suppliers,
    }
    if document.notice is not None:
        record["notice"] = {k: document.notice.get(k) for k in NOTICE_FIELDS}
    if document.announcement is not None:
        record["announcement"] = {k: document.announcement.get(k) for k in ANNOUNCEMENT_FIELDS}
    return _plain(record)


def _failure_record(failure: FetchFailure) -> dict[str, Any]:
    return {"url": failure.url, "error": failure.error, "http_status": failure.http_status}


@pytest.fixture(scope="module")
def sample_server() -> Iterator[SampleServer]:
    with SampleServer() as server:
        yield server


@pytest.mark.parametrize("source", DEFAULT_SOURCES)
def test_a_source_lands_the_expected_documents(
    source: str,
    sample_server: SampleServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", "SENTINEL-KEY-expected-sources")
    result = run_crawl(
        source,
        landing_dir=tmp_path,
        run_id="expected",
        base_url=sample_server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS.get(source, {}), **WINDOWS.get(source, {})},
        settings=FAST,
        timeout_s=300,
    )
    assert result.error is None, result.error
    documents: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for record in read_landing(result.landing_path):
        if isinstance(record, RawDocument):
            documents.append(_document_record(record))
        else:
            failures.append(_failure_record(record))
    # The sample server's port changes every run; crawl order depends on response timing.
    documents = json.loads(json.dumps(documents).replace(sample_server.base_url, "BASE"))
    failures = json.loads(json.dumps(failures).replace(sample_server.base_url, "BASE"))
    actual = {
        "documents": sorted(documents, key=lambda d: (d["source_id"], d.get("format", ""))),
        "failures": sorted(failures, key=lambda f: (f["url"], f["error"])),
    }
    path = EXPECTED / f"{source}.json"
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual["failures"] == expected["failures"]
    by_id = {d["source_id"]: d for d in expected["documents"]}
    assert [d["source_id"] for d in actual["documents"]] == [
        d["source_id"] for d in expected["documents"]
    ]
    for document in actual["documents"]:
        assert document == by_id[document["source_id"]], document["source_id"]
    assert actual["documents"], f"{source} landed no document from its sample pages"
