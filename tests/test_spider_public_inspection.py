"""The Federal Register public inspection spider and its documents: real crawls over HTTP
against the sample server's desk (sample_sources/federal_register/public_inspection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.base import SpiderConfigError
from minwatch.spiders.documents import to_document
from minwatch.spiders.federal_register import effective_date_in
from minwatch.spiders.public_inspection import FederalRegisterPublicInspectionSpider
from minwatch.spiders.registry import DEFAULT_SOURCES, SPIDERS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import split_landing as landed

FAST = {"DOWNLOAD_DELAY": "0"}
RULE = "2026-04410"
NOTICE = "2026-04436"
RULE_TITLE = (
    "Implementation of Controls on Tungsten, Tellurium, and Bismuth Items; Additions to the "
    "Commerce Control List"
)


def crawl(
    server: SampleServer,
    landing: Path,
    run_id: str = "poll-1",
    state: CrawlState | None = None,
    **args: str,
) -> CrawlResult:
    return run_crawl(
        "federal_register_pi",
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        spider_args=args,
        settings=FAST,
        state=state,
        timeout_s=120,
    )


def test_the_desk_lands_bis_documents_only_marked_pre_publication(tmp_path: Path) -> None:
    with SampleServer() as server:
        result = crawl(server, tmp_path)
        paths = [r.path for r in server.requests]
    assert result.error is None, result.error
    documents, failures = landed(result)
    assert failures == []
    # The NOAA rule is another agency's; 2026-04129 was withdrawn (no publication date).
    assert sorted(documents) == [RULE, NOTICE]
    assert result.stats["minwatch/skipped_other_agency"] == 1
    assert result.stats["minwatch/skipped_unscheduled"] == 1
    # The full texts of the two kept documents only (concurrently: in either order).
    assert paths[0] == "/api/v1/public-inspection-documents/current.json"
    assert sorted(paths[1:]) == [
        f"/federal_register/public_inspection/raw_text/{RULE}.txt",
        f"/federal_register/public_inspection/raw_text/{NOTICE}.txt",
    ]
    assert (documents[RULE].kind, documents[NOTICE].kind) == ("export_control", "regulation")

    rule = to_document(documents[RULE])
    assert rule.doc_id == f"fr:{RULE}"  # the published document's identity
    assert rule.source == "federal_register_pi"
    assert rule.title == RULE_TITLE
    assert rule.announcement == {
        "authority": "BIS",
        "number": RULE,
        "title": RULE_TITLE,
        "language": "en",
        "issued_on": "2026-03-05",
        "effective_on": "2026-03-05",
        "items": [
            {"code": "1C998", "description": "", "hs_codes": []},
            {"code": "1C999", "description": "", "hs_codes": []},
        ],
        "suspends": [],
        "amends": ["90 FR 43711"],
        "suspended_until": None,
        "pre_publication": True,
        "scheduled_publication_date": "2026-03-05",
        "filed_at": "2026-03-04T13:45:00Z",
        "filing_type": "regular",
    }
    # The whole filed text, summary included, without the filing trailer.
    assert rule.text.startswith("DEPARTMENT OF COMMERCE")
    assert "SUMMARY: BIS amends" in rule.text and "[FR Doc." not in rule.text
    notice = to_document(documents[NOTICE])
    assert notice.announcement is None and notice.doc_id == f"fr:{NOTICE}"


def test_an_unchanged_desk_asks_for_current_json_only(tmp_path: Path) -> None:
    with SampleServer() as server:
        first = crawl(server, tmp_path)
        assert first.state_path is not None
        state = CrawlState.load(first.state_path)
        assert set(state.seen) == {RULE, NOTICE}
        before = len(server.requests)
        second = crawl(server, tmp_path, run_id="poll-2", state=state)
        paths = [r.path for r in server.requests[before:]]
    assert paths == ["/api/v1/public-inspection-documents/current.json"]
    assert (second.documents, second.failures) == (0, 0)
    assert second.stats["minwatch/skipped_seen"] == 2


def test_search_mode_asks_the_api_for_bis_expedited_filings(tmp_path: Path) -> None:
    with SampleServer() as server:
        result = crawl(
            server, tmp_path, mode="search", available_on="2026-03-04", special_filing="1"
        )
        api = [r.path for r in server.requests if r.path.startswith("/api/")]
    assert result.error is None
    documents, _ = landed(result)
    assert sorted(documents) == [NOTICE]
    assert len(api) == 1
    assert "conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau" in api[0]
    assert "conditions%5Bspecial_filing%5D=1" in api[0]
    assert "conditions%5Bavailable_on%5D=2026-03-04" in api[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"mode": "latest"}, "got `mode` 'latest'; give one of current, search"),
        ({"special_filing": "1"}, "are conditions of `mode=search`"),
        ({"mode": "search", "special_filing": "yes"}, "got `special_filing` 'yes'; give 0 or 1"),
        ({"mode": "search", "available_on": "03/04/2026"}, "`available_on` '03/04/2026'"),
    ],
)
def test_bad_arguments_name_themselves(args: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        FederalRegisterPublicInspectionSpider(**args)


def test_the_desk_is_polled_by_the_watcher_not_crawled_by_the_night() -> None:
    assert "federal_register_pi" in SPIDERS
    assert "federal_register_pi" not in DEFAULT_SOURCES


def test_effective_date_from_the_dates_paragraph() -> None:
    assert effective_date_in("DATES: This rule is effective March 5, 2026.") == "2026-03-05"
    assert (
        effective_date_in("DATES: Effective date: This rule is effective on April 6, 2026.")
        == "2026-04-06"
    )
    assert effective_date_in("The rule will be effective May 1, 2026.") is None  # not DATES
    assert effective_date_in("DATES: Comments must be received by May 4, 2026.") is None
