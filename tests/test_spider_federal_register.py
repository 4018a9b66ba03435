"""Federal Register spider and converter: real crawls over HTTP against the sample server."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources.server import LoggedRequest, Override, SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.federal_register import amended_citations, eccns
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import split_landing

FAST = {"DOWNLOAD_DELAY": "0"}
ALL_NUMBERS = {
    "2025-07318",
    "2025-10964",
    "2025-13570",
    "2025-15120",
    "2025-17288",
    "2025-19422",
    "2025-21905",
    "2026-01377",
    "2026-03012",
}


def crawl(server: SampleServer, landing: Path, **args: str) -> CrawlResult:
    return run_crawl(
        "federal_register",
        landing_dir=landing,
        run_id="night-1",
        base_url=server.base_url,
        spider_args={"from_date": "2025-01-01", **args},
        settings=FAST,
        timeout_s=120,
    )


def split(result: CrawlResult) -> tuple[dict[str, RawDocument], list[FetchFailure]]:
    return split_landing(result, once=True)


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every search, two results a page."""
    with SampleServer() as server:
        result = crawl(server, tmp_path_factory.mktemp("landing"), limit="2")
        yield {"result": result, "requests": server.requests}


def api_requests(requests: list[LoggedRequest]) -> list[str]:
    return [r.path for r in requests if r.path.startswith("/api/v1/documents")]


def test_every_document_lands_once_across_searches_and_pages(paged: dict[str, Any]) -> None:
    result = paged["result"]
    assert result.error is None, result.error
    documents, failures = split(result)
    assert set(documents) == ALL_NUMBERS
    # The raw text of the correction is missing: recorded, then body_html_url was used.
    assert [(f.error, f.http_status, f.source_id) for f in failures] == [
        ("http_404", 404, "2026-03012")
    ]
    assert failures[0].url.endswith("/federal_register/full_text/text/2026/02/17/2026-03012.txt")
    kinds = {number: d.kind for number, d in documents.items()}
    assert sorted(n for n, k in kinds.items() if k == "export_control") == [
        "2025-10964",
        "2025-17288",
        "2025-19422",
        "2026-03012",
    ]


def test_paging_follows_next_page_url_cursor_and_page_forms(paged: dict[str, Any]) -> None:
    paths = api_requests(paged["requests"])
    first_pages = [p for p in paths if p.startswith("/api/v1/documents.json?")]
    next_pages = [p for p in paths if p.startswith("/api/v1/documents?")]
    # RULE, PRORULE, NOTICE and the full-text search; then RULE 5 hits -> 2 more pages,
    # NOTICE 3 -> 1, term 6 -> 2; PRORULE has none.
    assert len(first_pages) == 4
    assert len(next_pages) == 5
    assert all("per_page=2" in p and "format=json" in p for p in next_pages)
    cursor_pages = [p for p in next_pages if "search_after_cursor=" in p]
    assert len(cursor_pages) == 4
    (plain,) = [p for p in next_pages if "search_after_cursor=" not in p]
    assert "conditions%5Btype%5D%5B%5D=NOTICE" in plain and "page=2" in plain
    assert all("fields%5B%5D=raw_text_url" in p for p in first_pages)


def test_bis_rule_fields_by_value(paged: dict[str, Any]) -> None:
    documents, _ = split(paged["result"])
    rule = documents["2025-17288"]
    assert rule.format == "federal_register"
    assert rule.kind == "export_control"
    assert rule.title == (
        "Implementation of Controls on High-Purity Gallium, Germanium, and Antimony Items; "
        "Additions to the Commerce Control List"
    )
    assert rule.published_at == datetime(2025, 9, 10, tzinfo=UTC)
    assert rule.url == (
        "https://www.federalregister.gov/documents/2025/09/10/2025-17288/"
        "implementation-of-controls-on-high-purity-gallium-germanium-and-antimony-items"
    )
    assert rule.data is not None
    assert rule.data["effective_on"] == "2025-09-10"
    assert rule.data["type"] == "Rule"
    assert rule.data["citation"] == "90 FR 43711"
    assert rule.data["full_text_format"] == "text"
    assert rule.data["full_text_error"] is None
    assert rule.data["full_text"].startswith(
        "[Federal Register Volume 90, Number 156 (Wednesday, September 10, 2025)]"
    )
    notice = documents["2025-13570"]  # DLA, found by the full-text search only
    assert notice.kind == "regulation"
    assert notice.data is not None and notice.data["effective_on"] is None
    assert [a["slug"] for a in notice.data["agencies"]] == [
        "defense-department",
        "defense-logistics-agency",
    ]


def test_converter_builds_text_and_bis_announcement(paged: dict[str, Any]) -> None:
    documents, _ = split(paged["result"])
    document = to_document(documents["2025-17288"])
    assert document.doc_id == "fr:2025-17288"
    assert document.kind == "export_control"
    # The title is the document's title, not repeated in its text (the extractor reads it
    # in front of the text once).
    assert document.title == (
        "Implementation of Controls on High-Purity Gallium, Germanium, and Antimony Items; "
        "Additions to the Commerce Control List"
    )
    assert document.text.startswith(
        "Action: Interim final rule; request for comments.\n\n"
        "Dates: Effective date: This rule is effective September 10, 2025."
    )
    # The hard-wrapped GPO text becomes one line a paragraph; the filing trailer is dropped.
    assert (
        "China produces about 98 percent of the world's primary gallium, 60 percent of refined "
        "germanium and about half of mined antimony," in document.text
    )
    assert "BILLING CODE" not in document.text and "[FR Doc." not in document.text
    assert document.announcement == {
        "authority": "BIS",
        "number": "2025-17288",
        "title": document.title,
        "language": "en",
        "issued_on": "2025-09-10",
        "effective_on": "2025-09-10",
        "items": [
            {"code": code, "description": "", "hs_codes": []}
            for code in ("1C999", "3C001", "3C005", "3C006")
        ],
        "suspends": [],
        "amends": ["90 FR 4544"],
        "suspended_until": None,
    }
    assert to_document(documents["2025-21905"]).announcement is None  # advanced computing


def test_missing_raw_text_falls_back_to_body_html(paged: dict[str, Any]) -> None:
    documents, _ = split(paged["result"])
    correction = documents["2026-03012"]
    assert correction.data is not None
    assert correction.data["full_text_format"] == "html"
    assert correction.data["full_text_error"] == "raw_text_url: http_404: HTTP 404"
    document = to_document(correction)
    assert "This correcting amendment amends the rule published on September 10, 2025" in (
        document.text
    )
    assert document.announcement is not None
    assert document.announcement["amends"] == ["90 FR 43711"]
    assert [i["code"] for i in document.announcement["items"]] == ["1C999", "3C005"]  # type: ignore[index, union-attr]
    assert document.announcement["effective_on"] == "2026-02-17"


def test_zero_hit_search_is_an_empty_result(tmp_path: Path) -> None:
    with SampleServer() as server:
        query = (
            "conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau"
            "&conditions%5Btype%5D%5B%5D=PRORULE&conditions%5Bpublication_date%5D%5Bgte%5D=2025-01-01"
        )
        url = f"{server.base_url}/api/v1/documents.json?{query}"
        with urllib.request.urlopen(url, timeout=5) as answer:
            assert json.loads(answer.read()) == {"count": 0}
        result = crawl(server, tmp_path, document_types="PRORULE", search_terms="")
    assert result.error is None, result.error
    assert split(result) == ({}, [])


def test_malformed_json_page_is_recorded_and_earlier_pages_land(tmp_path: Path) -> None:
    truncated = Override(
        status=200,
        body='{"count": 5, "results": [{"document_number": "2025-19',
        headers={"Content-Type": "application/json"},
    )
    with SampleServer(overrides={"/api/v1/documents": [truncated]}) as server:
        result = crawl(server, tmp_path, limit="2", document_types="RULE,NOTICE", search_terms="")
    assert result.error is None, result.error
    documents, failures = split(result)
    (broken,) = [f for f in failures if f.error == "malformed_json"]
    assert broken.message.startswith("page 1 of {")
    # The page after the broken one is never asked for; every other page still lands.
    # Which search's second page got the broken answer depends on request order.
    if "conditions%5Btype%5D%5B%5D=RULE" in broken.url:
        lost = {"2025-19422", "2025-21905", "2026-03012"}
    else:
        lost = {"2026-01377"}
    expected = {"2025-10964", "2025-17288", "2025-19422", "2025-21905", "2026-03012"}
    expected |= {"2025-07318", "2025-15120", "2026-01377"}
    assert set(documents) == expected - lost
    assert [f.error for f in failures if f is not broken] == (
        [] if "2026-03012" in lost else ["http_404"]
    )


def test_eccns_and_amended_citations() -> None:
    text = (
        "Items under ECCN 3A090.a and 4A090 and 5A992.z are unchanged; EAR99 is not an ECCN. "
        "This rule amends the rule published on January 16, 2025 (90 FR 4544). "
        "See also 89 FR 96790 for background."
    )
    assert eccns(text) == ["3A090", "4A090", "5A992"]
    assert amended_citations(text, own_citation="90 FR 55874") == ["90 FR 4544"]
